import { validationError } from '../domain/errors.js';
import { formatIncidentId, parseIncidentId, type ActionKind, type ActionStatus } from '../domain/incident/types.js';
import type { ServiceDeps } from './deps.js';
import type { ActionItemRow, ActionQuery, PostmortemItem, PostmortemQuery } from '../domain/postmortem/follow-ups.js';
import type { PostmortemListState } from './ports.js';

/** A page of a cross-incident list: the items, and the cursor of the next page (null on the last). */
interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

const split = <T extends string>(list: string | undefined) => (list === undefined ? undefined : (list.split(',') as T[]));
const overdueOf = (flag: 'true' | 'false' | undefined, at: string) => (flag === undefined ? undefined : { at, is: flag === 'true' });


const isOverdue = (dueAt: string | null, done: boolean, now: string) => !done && dueAt !== null && dueAt < now;

/** `GET /api/v1/postmortems`: newest incident first; overdue = due passed, not published, incident not closed. */
export async function listPostmortems(deps: Pick<ServiceDeps, 'store' | 'clock'>, q: PostmortemQuery): Promise<Page<PostmortemItem>> {
  const now = deps.clock.now();
  const limit = q.limit ?? 100;
  const rows = await deps.store.listPostmortems({
    states: split<PostmortemListState>(q.state),
    overdue: overdueOf(q.overdue, now),
    before: q.before,
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const items = page.map((r) => ({
    ...r,
    incident: formatIncidentId(r.incident),
    number: r.incident,
    overdue: isOverdue(r.dueAt, r.state === 'published' || r.status === 'closed' || r.status === 'cancelled', now),
  }));
  return { items, nextCursor: rows.length > limit ? String(page.at(-1)!.incident) : null };
}


const encodeCursor = (a: { dueAt: string; id: string }) => Buffer.from(JSON.stringify([a.dueAt, a.id])).toString('base64url');

function decodeCursor(cursor: string): { dueAt: string; id: string } {
  try {
    const [dueAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof dueAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(dueAt))) return { dueAt, id };
  } catch {
    // refused below
  }
  throw validationError([{ path: 'query.cursor', message: 'is not a cursor this list answered' }]);
}

/** `GET /api/v1/actions`: action items across incidents, earliest deadline first. */
export async function listActions(deps: Pick<ServiceDeps, 'store' | 'clock'>, q: ActionQuery): Promise<Page<ActionItemRow>> {
  const now = deps.clock.now();
  const limit = q.limit ?? 100;
  let incident: number | undefined;
  if (q.incident !== undefined) {
    incident = parseIncidentId(q.incident);
    if (incident === undefined) throw validationError([{ path: 'query.incident', message: 'must be an incident id like INC-12' }]);
  }
  const rows = await deps.store.listActions({
    owner: q.owner,
    status: split<ActionStatus>(q.state),
    kind: split<ActionKind>(q.kind),
    incident,
    overdue: overdueOf(q.overdue, now),
    after: q.cursor === undefined ? undefined : decodeCursor(q.cursor),
    limit: limit + 1,
  });
  const page = rows.slice(0, limit);
  const items = page.map((r) => ({ ...r, incident: formatIncidentId(r.incident), overdue: isOverdue(r.dueAt, r.status === 'done', now) }));
  return { items, nextCursor: rows.length > limit ? encodeCursor(page.at(-1)!) : null };
}
