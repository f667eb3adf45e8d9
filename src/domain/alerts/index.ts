/** Service alerts: the senders' parsers, de-duplication, routing, grouping and auto-declaration. */
export type * from './types.js';
export { ALERT_SOURCES, ALERT_STATUSES, ALERT_SEVERITIES, ALERT_SIGNALS } from './types.js';
export { ALERT_LIMITS } from './check.js';
export { severityOf, signalOf } from './classify.js';
export { parseAlertmanager, parseGrafana } from './webhook.js';
export { parseFirebreakAlerts } from './firebreak.js';
export {
  PAGERDUTY_ACTIONS,
  type PagerDutyAction,
  type PagerDutyContext,
  type PagerDutyEvent,
  parsePagerDutyEvent,
  pagerDutyRoutingKey,
  pagerDutyAccepted,
  pagerDutyInvalid,
  pagerDutyUnrecognized,
} from './pagerduty.js';
export {
  type AutoDeclareRules,
  type Dedupe,
  type DedupeOutcome,
  type Routing,
  type RoutingContext,
  type SuggestedSeverity,
  DEFAULT_AUTO_DECLARE,
  dedupe,
  decideRouting,
  groupKeyFor,
  incidentTitleFor,
  severityAtLeast,
  suggestedSeverity,
} from './rules.js';
