import { canonicalService } from '../domain/catalog/names.js';
import { notFound } from '../domain/errors.js';
import type { StoredEvent } from '../domain/incident/events.js';
import { formatIncidentId } from '../domain/incident/types.js';
import { LIMITS } from '../domain/limits.js';
import type { ServiceDeps } from './deps.js';
import type { IncidentFilter, IncidentSummary, LoadedIncident } from './ports.js';

/** The incident's projection, or a not_found error a user can read. */
export async function getIncidentOrThrow(deps: Pick<ServiceDeps, 'store'>, number: number): Promise<LoadedIncident> {
  const loaded = await deps.store.loadIncident(number);
  if (!loaded) throw notFound(`Incident ${formatIncidentId(number)} does not exist.`);
  return loaded;
}

export interface IncidentPage {
  items: IncidentSummary[];
  nextCursor: string | null;
}

/** Newest first; open incidents first is the UI's concern, the filter does the rest. */
export async function listIncidents(deps: Pick<ServiceDeps, 'store'>, filter: IncidentFilter): Promise<IncidentPage> {
  const limit = Math.min(filter.limit, LIMITS.pageSize);
  const service = filter.service === undefined ? undefined : canonicalService(filter.service);
  const rows = await deps.store.listIncidents({ ...filter, service, limit: limit + 1 });
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last ? String(last.number) : null };
}

export interface TimelineSlice {
  incident: LoadedIncident;
  events: StoredEvent[];
  /** The event just before the page, so its first entry can be read in context (an override, say). */
  before: StoredEvent | null;
  nextCursor: string | null;
}

/** One page of an incident's log in order; the cursor is the last seq seen. One projection read, one event read. */
export async function readTimeline(
  deps: Pick<ServiceDeps, 'store'>,
  number: number,
  page: { afterSeq?: number; limit?: number },
): Promise<TimelineSlice> {
  const incident = await getIncidentOrThrow(deps, number);
  const limit = Math.min(page.limit ?? LIMITS.defaultPageSize, LIMITS.pageSize);
  const from = page.afterSeq ? page.afterSeq - 1 : page.afterSeq;
  const rows = await deps.store.readEvents(number, { afterSeq: from, limit: limit + 2 });
  const before = page.afterSeq && rows[0]?.seq === page.afterSeq ? rows.shift()! : null;
  const events = rows.slice(0, limit);
  const last = events.at(-1);
  return { incident, events, before, nextCursor: rows.length > limit && last ? String(last.seq) : null };
}

/** Every event of an incident, read page by page (for exports). */
export async function readWholeTimeline(deps: Pick<ServiceDeps, 'store'>, number: number): Promise<StoredEvent[]> {
  const all: StoredEvent[] = [];
  let afterSeq: number | undefined;
  for (;;) {
    const rows = await deps.store.readEvents(number, { afterSeq, limit: 5_000 });
    all.push(...rows);
    if (rows.length < 5_000) return all;
    afterSeq = rows.at(-1)?.seq;
  }
}
