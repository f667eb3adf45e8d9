import type { Selectable } from 'kysely';
import { formatIncidentId } from '../../domain/incident/types.js';
import type { TimerKind } from '../../domain/timers/plan.js';
import type { Store, StoreTx, TimerRecord, TimerState } from '../../service/ports.js';
import type { Db } from './kysely-store.js';
import type { Database, Engine } from './schema.js';

// Keys per `in` list: well under both engines' bound-parameter limits.
const CHUNK = 500;

/** `INC-<n>.<key>.<version>`: an append schedules a key at most once, and a version is appended once. */
export const timerId = (incident: number, key: string, version: number) => `${formatIncidentId(incident)}.${key}.${version}`;

const toTimer = (r: Selectable<Database['timers']>): TimerRecord => ({
  id: r.id,
  incident: r.incident_number,
  kind: r.kind as TimerKind,
  key: r.key,
  dueAt: r.due_at,
  state: r.state as TimerState,
  createdAt: r.created_at,
  firedAt: r.fired_at,
  cancelledAt: r.cancelled_at,
  leaseOwner: r.lease_owner,
  leaseUntil: r.lease_until,
  attempts: Number(r.attempts),
});

async function cancel(db: Db, incident: number, keys: readonly string[], at: string) {
  for (let i = 0; i < keys.length; i += CHUNK) {
    await db
      .updateTable('timers')
      .set({ state: 'cancelled', cancelled_at: at, lease_owner: null, lease_until: null })
      .where('incident_number', '=', incident)
      .where('key', 'in', keys.slice(i, i + CHUNK))
      .where('state', '=', 'scheduled')
      .execute();
  }
}

/** The timer jobs inside a transaction: scheduling with the events, claiming and finishing by the runner. */
export function timerTx(
  db: Db,
  engine: Engine,
): Pick<StoreTx, 'saveTimers' | 'cancelTimers' | 'claimTimers' | 'lockTimer' | 'finishTimer'> {
  return {
    saveTimers: async (incident, version, jobs, at) => {
      if (jobs.length === 0) return;
      await cancel(db, incident, jobs.map((j) => j.key), at);
      for (let i = 0; i < jobs.length; i += CHUNK) {
        await db
          .insertInto('timers')
          .values(
            jobs.slice(i, i + CHUNK).map((j) => ({
              id: timerId(incident, j.key, version),
              incident_number: incident,
              kind: j.kind,
              key: j.key,
              due_at: j.dueAt,
              state: 'scheduled',
              created_at: at,
            })),
          )
          .execute();
      }
    },
    cancelTimers: (incident, keys, at) => cancel(db, incident, keys, at),
    claimTimers: async ({ now, until, owner, limit }) => {
      let q = db
        .selectFrom('timers')
        .select('id')
        .where('state', '=', 'scheduled')
        .where('due_at', '<=', now)
        .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
        .orderBy('due_at')
        .orderBy('id')
        .limit(limit);
      // SQLite's BEGIN IMMEDIATE already serialises claims; PostgreSQL skips rows another claim holds.
      if (engine === 'postgres') q = q.forUpdate().skipLocked();
      const ids = (await q.execute()).map((r) => r.id);
      if (ids.length === 0) return [];
      const rows = await db
        .updateTable('timers')
        .set((eb) => ({ lease_owner: owner, lease_until: until, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', ids)
        .returningAll()
        .execute();
      return rows.map(toTimer).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.id.localeCompare(b.id));
    },
    lockTimer: async (id) => {
      const q = db.selectFrom('timers').selectAll().where('id', '=', id);
      const row = await (engine === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
      return row && toTimer(row);
    },
    finishTimer: async (id, state, at) => {
      await db
        .updateTable('timers')
        .set({
          state,
          ...(state === 'fired' ? { fired_at: at } : { cancelled_at: at }),
          lease_owner: null,
          lease_until: null,
        })
        .where('id', '=', id)
        .where('state', '=', 'scheduled')
        .execute();
    },
  };
}

/** The timer reads outside a transaction. */
export const timerReads = (reader: Db): Pick<Store, 'listTimers' | 'nextTimer' | 'timerStats'> => ({
  listTimers: async (incident) =>
    (
      await reader
        .selectFrom('timers')
        .selectAll()
        .where('incident_number', '=', incident)
        .orderBy('due_at')
        .orderBy('id')
        .execute()
    ).map(toTimer),
  nextTimer: async (incident) => {
    const row = await reader
      .selectFrom('timers')
      .selectAll()
      .where('incident_number', '=', incident)
      .where('state', '=', 'scheduled')
      .orderBy('due_at')
      .orderBy('id')
      .limit(1)
      .executeTakeFirst();
    return row && toTimer(row);
  },
  timerStats: async (now) => {
    const row = await reader
      .selectFrom('timers')
      .select((eb) => [
        eb.fn.countAll().as('scheduled'),
        eb.fn.count(eb.case().when('due_at', '<', now).then(1).end()).as('overdue'),
        eb.fn.min('due_at').as('oldest'),
      ])
      .where('state', '=', 'scheduled')
      .executeTakeFirstOrThrow();
    const oldest = row.oldest === null ? null : String(row.oldest);
    return { scheduled: Number(row.scheduled), overdue: Number(row.overdue), oldestDueAt: oldest !== null && oldest < now ? oldest : null };
  },
});
