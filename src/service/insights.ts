import { validationError } from '../domain/errors.js';
import { computeInsights, type Insights } from '../domain/insights/insights.js';
import { POSTMORTEM_DUE_HOURS, type Incident } from '../domain/incident/state.js';
import { UNCLOSED_STATUSES } from '../domain/incident/types.js';
import type { ServiceDeps } from './deps.js';
import type { IncidentSummary, Store } from './ports.js';

/** Longest window, in days, by `days` or by `from`/`to`. */
export const INSIGHTS_MAX_DAYS = 365;
export const INSIGHTS_DEFAULT_DAYS = 30;
/** Projections read per request at most: the newest ones win, and the answer warns when the cap bit. */
export const INSIGHTS_MAX_INCIDENTS = 2_000;
/** Deploys read per request at most (newest start first). */
export const INSIGHTS_MAX_DEPLOYS = 10_000;
/**
 * How far before the window the newest-first scan goes to find incidents declared earlier whose
 * postmortem fell due in the window; older ones are found only while they are still open.
 */
export const INSIGHTS_SCAN_MARGIN_DAYS = 30;

/** Summaries scanned per request at most (cheap rows, but a window far back must not read the whole table). */
const MAX_SCANNED = 50_000;
const DAY = 86_400_000;
const PAGE = 500;

export interface InsightsQuery {
  days?: number;
  from?: string;
  to?: string;
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

/**
 * The incidents insights need, newest first, at most INSIGHTS_MAX_INCIDENTS: those declared in the
 * window, those whose postmortem can fall due in it (updated since 48 h before it), and every open
 * one however old. Reads summaries page by page, then the projections.
 */
async function incidentsFor(store: Store, from: string, to: string): Promise<{ incidents: Incident[]; capped: boolean }> {
  const start = Date.parse(from);
  const end = Date.parse(to);
  const scanFloor = start - INSIGHTS_SCAN_MARGIN_DAYS * DAY;
  const dueFloor = start - POSTMORTEM_DUE_HOURS * 3_600_000;
  const wanted = (s: IncidentSummary) => {
    const declared = Date.parse(s.declaredAt);
    return (declared >= start && declared <= end) || (UNCLOSED_STATUSES as readonly string[]).includes(s.status) || Date.parse(s.updatedAt) >= dueFloor;
  };
  const numbers: number[] = [];
  let capped = false;
  const take = (s: IncidentSummary) => {
    if (numbers.length >= INSIGHTS_MAX_INCIDENTS) capped = true;
    else numbers.push(s.number);
  };

  // Numbers are handed out in declaration order, so the scan can stop at the first one too old.
  let before: number | undefined;
  let exhausted = false;
  let scanned = 0;
  scan: while (!capped) {
    if (scanned >= MAX_SCANNED) {
      capped = true;
      break;
    }
    const page = await store.listIncidents({ before, limit: PAGE });
    scanned += page.length;
    for (const s of page) {
      if (Date.parse(s.declaredAt) < scanFloor) break scan;
      if (wanted(s)) take(s);
      before = s.number;
    }
    if (page.length < PAGE) {
      exhausted = true;
      break;
    }
  }
  while (!capped && !exhausted) {
    const page = await store.listIncidents({ status: [...UNCLOSED_STATUSES], before, limit: PAGE });
    for (const s of page) take(s);
    if (page.length < PAGE) break;
    before = page.at(-1)!.number;
  }

  const incidents = (await store.loadIncidents(numbers)).map((l) => l.state);
  return { incidents, capped };
}

/** Insights for one window (docs/API.md#insights): one read of incidents, one of deploys. */
export async function getInsights(deps: Pick<ServiceDeps, 'store' | 'clock'>, q: InsightsQuery): Promise<Insights> {
  const now = deps.clock.now();
  const { from, to } = insightsWindow(q, now);
  const [{ incidents, capped }, deploys] = await Promise.all([
    incidentsFor(deps.store, from, to),
    deps.store.listDeploys({ since: from, until: to, limit: INSIGHTS_MAX_DEPLOYS }),
  ]);
  const insights = computeInsights(incidents, deploys, { from, to, now });
  if (capped) {
    insights.warnings.push({
      code: 'incidents_capped',
      message: `Not every incident was read (at most ${INSIGHTS_MAX_INCIDENTS} newest, ${MAX_SCANNED} scanned): narrow the window for exact figures.`,
    });
  }
  if (deploys.length >= INSIGHTS_MAX_DEPLOYS) {
    insights.warnings.push({
      code: 'deploys_capped',
      message: `Only the ${INSIGHTS_MAX_DEPLOYS} newest deploys were read: the change failure rate is an upper bound; narrow the window.`,
    });
  }
  return insights;
}
