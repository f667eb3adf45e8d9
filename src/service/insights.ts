import { validationError } from '../domain/errors.js';
import { insightsFrom, type Insights } from '../domain/insights/insights.js';
import type { Severity } from '../domain/incident/types.js';
import type { ServiceDeps } from './deps.js';

/** Longest window, in days, by `days` or by `from`/`to`. */
export const INSIGHTS_MAX_DAYS = 365;
export const INSIGHTS_DEFAULT_DAYS = 30;
const DAY = 86_400_000;

export interface InsightsQuery {
  days?: number;
  from?: string;
  to?: string;
  /** Only incidents naming this service (and its deploys). */
  service?: string;
  /** Only incidents of these severities. */
  severity?: Severity[];
}

/** The window a query names: `days` back from now (default 30), or `from`..`to`; ISO UTC strings. */
export function insightsWindow(q: InsightsQuery, now: string): { from: string; to: string } {
  const errors: { path: string; message: string }[] = [];
  if (q.days !== undefined && (q.from !== undefined || q.to !== undefined)) {
    errors.push({ path: 'query.days', message: 'cannot be combined with from and to' });
  }
  if (q.from !== undefined && q.to === undefined) errors.push({ path: 'query.to', message: 'is required with from' });
  if (q.to !== undefined && q.from === undefined) errors.push({ path: 'query.from', message: 'is required with to' });
  if (errors.length === 0 && q.from !== undefined && q.to !== undefined) {
    const from = Date.parse(q.from);
    const to = Date.parse(q.to);
    if (!(from < to)) errors.push({ path: 'query.from', message: 'must be before to' });
    else if (to - from > INSIGHTS_MAX_DAYS * DAY) {
      errors.push({ path: 'query.to', message: `must be at most ${INSIGHTS_MAX_DAYS} days after from` });
    }
    if (errors.length === 0) return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
  }
  if (errors.length > 0) throw validationError(errors);
  const to = Date.parse(now);
  const days = q.days ?? INSIGHTS_DEFAULT_DAYS;
  return { from: new Date(to - days * DAY).toISOString(), to: new Date(to).toISOString() };
}

/** Insights for one window (docs/API.md#insights), aggregated by the store over every matching incident. */
export async function getInsights(deps: Pick<ServiceDeps, 'store' | 'clock'>, q: InsightsQuery): Promise<Insights> {
  const now = deps.clock.now();
  const { from, to } = insightsWindow(q, now);
  const opts = {
    from,
    to,
    now,
    ...(q.service !== undefined && { service: q.service }),
    ...(q.severity !== undefined && q.severity.length > 0 && { severity: [...new Set(q.severity)] }),
  };
  return insightsFrom(await deps.store.insightsData(opts), opts);
}
