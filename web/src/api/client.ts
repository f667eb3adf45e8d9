import type { IncidentAnswer, IncidentSummary } from '../../../src/client/index.js';
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
        : err.code === 'conflict'
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

export const SEVERITIES: readonly Severity[] = ['SEV1', 'SEV2', 'SEV3', 'SEV4'];
export const STATUSES: readonly Status[] = ['investigating', 'mitigated', 'resolved', 'closed', 'cancelled'];
export const OPEN_STATUSES: readonly Status[] = ['investigating', 'mitigated'];
// The size limits the server enforces (the one list, in the domain); the forms use them as maxLength.
export { LIMITS } from '../../../src/domain/limits.js';

// ── Reads the shared client (src/client) does not have yet: the alert inbox. They use the same error
// classes, so scenes handle them like every other call.

type Query = Record<string, string | number | undefined>;

async function getJson<T>(path: string, query: Query = {}): Promise<T> {
  const url = new URL(path, window.location.origin);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') url.searchParams.set(k, String(v));
  let res: Response;
  try {
    res = await fetch(url, { headers: { accept: 'application/json' }, signal: AbortSignal.timeout(20_000) });
  } catch (err) {
    throw new ServerUnreachableError(window.location.origin, err);
  }
  const text = await res.text();
  let body: unknown;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!res.ok) {
    const problem = body && typeof body === 'object' ? (body as Record<string, unknown>) : { title: res.statusText || `HTTP ${res.status}` };
    throw new ClientError(res.status, problem);
  }
  return body as T;
}

export type AlertStatus = 'firing' | 'resolved';
export type AlertSeverity = 'critical' | 'error' | 'warning' | 'info';
export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'error', 'warning', 'info'];

/** One alert of `GET /api/v1/alerts` (docs/API.md "Alerts"); `service` is the routed service, null when unrouted. */
export interface AlertView {
  id: string;
  source: string;
  dedupKey: string;
  status: AlertStatus;
  service: string | null;
  senderService: string | null;
  summary: string;
  severity: AlertSeverity;
  signal: string;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  generatorURL: string | null;
  receivedAt: string;
  firstReceivedAt: string;
  occurrences: number;
  incident: string | null;
}

export interface AlertFilter {
  status?: AlertStatus;
  service?: string;
  /** `none` for the inbox proper (alerts linked to no incident), or an incident id. */
  incident?: string;
  cursor?: string;
  limit?: number;
}

export const listAlerts = (f: AlertFilter = {}) =>
  getJson<{ items: AlertView[]; nextCursor: string | null }>('/api/v1/alerts', { ...f });
export const getAlert = (id: string) => getJson<AlertView>(`/api/v1/alerts/${encodeURIComponent(id)}`);
