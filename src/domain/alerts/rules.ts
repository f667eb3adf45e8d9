import { validationError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { formatIncidentId, type Severity } from '../incident/types.js';
import { clip, oneLine } from './check.js';
import {
  ALERT_SEVERITIES,
  type AlertResolution,
  type AlertSeverity,
  type NormalizedAlert,
  type StoredAlert,
} from './types.js';

/** How an incoming alert changed what is stored; `drop` and `unchanged` write nothing. */
export type DedupeOutcome = 'new' | 'repeat' | 'refire' | 'reopen' | 'resolve' | 'unchanged' | 'drop';

/** What to store for one incoming alert, and why. */
export interface Dedupe {
  outcome: DedupeOutcome;
  alert: StoredAlert | null;
}

// What the parser says about an alert that is not a fact to store.
const facts = ({ truncated: _t, startsAtUnset: _u, ...alert }: NormalizedAlert): NormalizedAlert => alert;

/**
 * Merges an incoming alert into the stored one of the same dedupKey. An occurrence is one firing
 * episode, told apart by startsAt: a re-send of the same episode (Alertmanager repeats every group
 * change and repeat_interval) is a `repeat`; a firing with a newer startsAt is a `refire` (+1, its
 * resolve was missed); firing after resolved is a `reopen` (+1). A firing without a usable startsAt
 * is the episode already firing, or a new one after a resolve. A resolve keeps the description of
 * what fired. Late deliveries (an older startsAt) change nothing, and a resolve of an alert never
 * seen is dropped: as in PagerDuty, resolves never create alerts.
 *
 * A firing updates what it carries and keeps what it omits: labels and annotations are the sender's
 * full current set and replace the stored ones, while a missing generatorURL or sender service keeps
 * the stored one, and so does a missing endsAt or startsAt within the same episode.
 */
export function dedupe(existing: StoredAlert | null, incoming: NormalizedAlert | AlertResolution): Dedupe {
  if (!('startsAt' in incoming)) {
    if (existing === null) return { outcome: 'drop', alert: null };
    if (existing.status === 'resolved') return { outcome: 'unchanged', alert: existing };
    const { endsAt, receivedAt } = incoming;
    return { outcome: 'resolve', alert: { ...existing, status: 'resolved', endsAt, receivedAt } };
  }
  if (existing === null) {
    return incoming.status === 'firing'
      ? { outcome: 'new', alert: { ...facts(incoming), occurrences: 1 } }
      : { outcome: 'drop', alert: null };
  }
  const unset = incoming.startsAtUnset === true;
  if (!unset && incoming.startsAt < existing.startsAt) return { outcome: 'unchanged', alert: existing };
  if (incoming.status === 'resolved') {
    if (existing.status === 'resolved') return { outcome: 'unchanged', alert: existing };
    const endsAt = incoming.endsAt ?? incoming.receivedAt;
    return { outcome: 'resolve', alert: { ...existing, status: 'resolved', endsAt, receivedAt: incoming.receivedAt } };
  }
  const firing = existing.status === 'firing';
  const sameEpisode = (unset && firing) || incoming.startsAt === existing.startsAt;
  // A firing of the episode already resolved is a late delivery, not a regression.
  if (sameEpisode && !firing) return { outcome: 'unchanged', alert: existing };
  const alert: StoredAlert = {
    ...facts(incoming),
    service: incoming.service ?? existing.service,
    generatorURL: incoming.generatorURL ?? existing.generatorURL,
    startsAt: sameEpisode ? existing.startsAt : incoming.startsAt,
    endsAt: incoming.endsAt ?? (sameEpisode ? existing.endsAt : null),
    occurrences: existing.occurrences + (sameEpisode ? 0 : 1),
  };
  if (sameEpisode) return { outcome: 'repeat', alert };
  return { outcome: firing ? 'refire' : 'reopen', alert };
}

/** When an alert declares an incident by itself: `minSeverity` or worse, on a tier ≤ `maxTier` (0 turns it off). */
export interface AutoDeclareRules {
  minSeverity: AlertSeverity;
  maxTier: number;
}

/** The default rule: a critical alert on a tier-1 or tier-2 service declares an incident. */
export const DEFAULT_AUTO_DECLARE: AutoDeclareRules = { minSeverity: 'critical', maxTier: 2 };

/** True when `s` is `min` or more severe. */
export const severityAtLeast = (s: AlertSeverity, min: AlertSeverity) =>
  ALERT_SEVERITIES.indexOf(s) <= ALERT_SEVERITIES.indexOf(min);

/** Where an alert goes: a new incident, the open incident of its service, or the inbox. */
export interface Routing {
  action: 'declare' | 'attach' | 'inbox';
  reason: string;
}

/** What routing needs besides the alert: the routed service (from the catalog) and its open incident. */
export interface RoutingContext {
  service: { name: string; tier: number } | null;
  openIncidentForService: number | null;
  rules: AutoDeclareRules;
}

/**
 * Routes one alert. An open incident of the service takes every alert, so a storm makes
 * one incident; a resolved alert never declares; otherwise the rules decide between declaring and
 * the inbox, and the reason says which rule held the alert back.
 */
export function decideRouting(alert: Pick<NormalizedAlert, 'status' | 'severity'>, ctx: RoutingContext): Routing {
  const { service, openIncidentForService: open, rules } = ctx;
  if (service && open !== null) {
    return { action: 'attach', reason: `${service.name} has an open incident, ${formatIncidentId(open)}` };
  }
  if (alert.status === 'resolved') return { action: 'inbox', reason: 'the alert is resolved' };
  if (!service) return { action: 'inbox', reason: 'no catalog service matches the alert' };
  if (!severityAtLeast(alert.severity, rules.minSeverity)) {
    return { action: 'inbox', reason: `${alert.severity} is below the auto-declare severity, ${rules.minSeverity}` };
  }
  if (service.tier > rules.maxTier) {
    const limit = rules.maxTier < 1 ? 'auto-declare is off' : `auto-declare stops at tier ${rules.maxTier}`;
    return { action: 'inbox', reason: `${service.name} is tier ${service.tier}; ${limit}` };
  }
  return {
    action: 'declare',
    reason: `${alert.severity} alert on tier-${service.tier} service ${service.name}`,
  };
}

/**
 * The group an alert joins: `service:<name>:<n>` with n the fixed window of `windowMinutes` that `at`
 * (the receive time) falls in, or `alert:<dedupKey>:<n>` without a service. Fixed windows give every
 * instance the same key with no shared state, so the key can guard "one incident per group"; a storm
 * that straddles two windows still makes one incident, as the second finds the first open.
 */
export function groupKeyFor(
  alert: Pick<NormalizedAlert, 'service' | 'dedupKey'>,
  windowMinutes: number,
  at: string,
): string {
  const ms = Date.parse(at);
  if (!Number.isInteger(windowMinutes) || windowMinutes < 1 || Number.isNaN(ms)) {
    throw validationError([
      { path: 'windowMinutes', message: 'expected a whole number of minutes, at least 1, and a valid time' },
    ]);
  }
  const n = Math.floor(ms / (windowMinutes * 60_000));
  return alert.service ? `service:${alert.service}:${n}` : `alert:${alert.dedupKey}:${n}`;
}

/** A severity suggestion with its reasons. */
export interface SuggestedSeverity {
  severity: Severity;
  reasons: string[];
}

/**
 * The severity of an auto-declared incident, from the alert's severity and the service's tier only:
 * the alert's text (often a guessed cause) is never read. It never goes above SEV2, since SEV1 needs
 * confirmed user impact; a critical alert on a tier-1 service is SEV2, each step less severe adds one.
 */
export function suggestedSeverity(
  alert: Pick<NormalizedAlert, 'severity'>,
  service: { tier: number } | null,
): SuggestedSeverity {
  const tierSteps = service?.tier === 1 ? 0 : 1;
  const steps = Math.min(ALERT_SEVERITIES.indexOf(alert.severity) + tierSteps, 2);
  const severity = (['SEV2', 'SEV3', 'SEV4'] as const)[steps] ?? 'SEV4';
  const reasons = [`${alert.severity} alert`, service ? `tier-${service.tier} service` : 'no catalog service'];
  if (severity === 'SEV2') reasons.push('impact unconfirmed: SEV1 needs confirmed user impact');
  return { severity, reasons };
}

/** The title of an auto-declared incident: `[checkout] 5xx rate 30% on checkout`, one line, within the title limit. */
export function incidentTitleFor(alert: Pick<NormalizedAlert, 'summary'>, service: string | null): string {
  const summary = oneLine(alert.summary);
  return clip(service ? `[${service}] ${summary}` : summary, LIMITS.title);
}
