import type { AlertInfo, IncidentAnswer, IncidentSummary } from '../../../src/client/index.js';
import { ClientError, createClient, ServerUnreachableError } from '../../../src/client/index.js';

export type * from '../../../src/client/index.js';
export { ClientError, ServerUnreachableError };

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

export const isUnauthorized = (err: unknown) => err instanceof ClientError && err.status === 401;

export type Severity = NonNullable<IncidentSummary['severity']>;
export type Status = IncidentSummary['status'];
export type Incident = IncidentAnswer;

export const OPEN_STATUSES: readonly Status[] = ['investigating', 'mitigated'];
// The size limits the server enforces (the one list, in the domain); the forms use them as maxLength.
export {
  ACTION_STATUSES,
  EVIDENCE_KINDS,
  LIMITS,
  MITIGATION_KINDS,
  PRIORITIES,
  ROLES,
  SEVERITIES,
  STATUSES,
} from '../../../src/client/index.js';

export type AlertSeverity = AlertInfo['severity'];
