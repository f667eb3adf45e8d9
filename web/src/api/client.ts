import type { AlertInfo, IncidentAnswer, IncidentSummary } from '../../../src/client/index.js';
import { ACTION_KINDS, ACTIVE_STATUSES, ClientError, createClient, isClientError, ServerUnreachableError, SEVERITIES } from '../../../src/client/index.js';

export type * from '../../../src/client/index.js';
export { ClientError, isClientError, ServerUnreachableError };

/** The API client for this page: same origin, so the browser sends the session cookie itself. */
export const api = createClient({ baseUrl: window.location.origin, timeoutMs: 20_000 });

/** What went wrong, in the shape the UI shows: a line, field errors and unmet gate criteria. */
export interface ProblemInfo {
  status: number;
  title: string;
  errors: { path: string; message: string }[];
  unmet: { code: string; message: string }[];
}

export function problemOf(err: unknown): ProblemInfo {
  if (err instanceof ClientError) {
    const title =
      err.code === 'gate_unmet'
        ? 'The gate is not met yet:'
        : err.code === 'conflict' && err.currentVersion !== undefined
          ? 'Someone changed this incident at the same time; it has been reloaded, try again.'
          : err.detail;
    return { status: err.status, title, errors: err.errors, unmet: err.unmet };
  }
  if (err instanceof ServerUnreachableError) {
    return { status: 0, title: 'Cannot reach the Firebreak server. Check your connection and retry.', errors: [], unmet: [] };
  }
  return { status: 0, title: 'Something went wrong in the page. Reload and try again.', errors: [], unmet: [] };
}

export type Severity = NonNullable<IncidentSummary['severity']>;
export type Status = IncidentSummary['status'];
export type Incident = IncidentAnswer;

/** The statuses of an incident being worked: it takes alerts and attachments. */
export const OPEN_STATUSES: readonly Status[] = ACTIVE_STATUSES;


/** SEV1 first; an incident with no severity yet after every other. */
export const severityRank = (s: Severity | null) => (s ? SEVERITIES.indexOf(s) : SEVERITIES.length);

/** How a scene hands commands to its panels: run one, then show its answer. */
export type Act = (command: Promise<Incident>) => Promise<void>;

/**
 * The `act` for a scene that shows one incident: `reload(answer)` after each command. A 409 means someone else
 * changed the incident: reload it from the server, and still throw so the form shows the refusal in place.
 */
export const actWith =
  (reload: (known?: Incident) => Promise<void>): Act =>
  async (command) => {
    try {
      await reload(await command);
    } catch (err) {
      if (isClientError(err, 'conflict')) void reload();
      throw err;
    }
  };

// The size limits the server enforces (the one list, in the domain); the forms use them as maxLength.
export {
  ACTION_STATUSES,
  alertNote,
  EVIDENCE_KINDS,
  INTEGRATION_TYPES,
  LIMITS,
  MITIGATION_KINDS,
  PRIORITIES,
  ROLES,
  STATUSES,
} from '../../../src/client/index.js';
export { SEVERITIES };

export type AlertSeverity = AlertInfo['severity'];

export type ActionItem = Incident['actions'][number];
export type ActionKind = ActionItem['kind'];
export type PostmortemState = NonNullable<Incident['postmortem']>['state'];
export type BlameWarning = Incident['postmortemWarnings'][number];

export { ACTION_KINDS };
/** Kinds a person picks when adding an item: guardrail removals come from a guardrail. */
export const PICKABLE_KINDS = ACTION_KINDS.filter((k) => k !== 'guardrail-removal');

