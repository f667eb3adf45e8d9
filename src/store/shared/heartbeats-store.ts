import type { Selectable } from 'kysely';
import { HEARTBEAT_STATES, type HeartbeatRecord, type HeartbeatState, type Store } from '../../service/ports.js';
import { asConflict } from './errors.js';
import type { Db } from './kysely-store.js';
import type { Database, Engine } from './schema.js';

type HeartbeatStore = Pick<
  Store,
  | 'createHeartbeat'
  | 'findHeartbeat'
  | 'listHeartbeats'
  | 'deleteHeartbeat'
  | 'pingHeartbeat'
  | 'claimHeartbeats'
  | 'finishHeartbeatMiss'
  | 'heartbeatStats'
>;

const ARMED = ['waiting', 'up'] as const;

const toHeartbeat = (r: Selectable<Database['heartbeats']>): HeartbeatRecord => ({
  name: r.name,
  service: r.service,
  severity: r.severity as HeartbeatRecord['severity'],
  intervalSeconds: Number(r.interval_seconds),
  graceSeconds: Number(r.grace_seconds),
  tokenHash: r.token_hash,
  state: r.state as HeartbeatState,
  createdAt: r.created_at,
  createdBy: r.created_by,
  lastPingAt: r.last_ping_at,
  dueAt: r.due_at,
  missedAt: r.missed_at,
  leaseOwner: r.lease_owner,
  leaseUntil: r.lease_until,
});

/** The heartbeats table: reads on `reader`, read-then-write verbs in one transaction each. */
export function heartbeatStore(engine: Engine, db: Db, reader: Db, transaction: <T>(fn: (db: Db) => Promise<T>) => Promise<T>): HeartbeatStore {
  // Inside a transaction PostgreSQL locks the row until it ends; SQLite's BEGIN IMMEDIATE already serialises writers.
  const locked = async (trx: Db, name: string) => {
    const q = trx.selectFrom('heartbeats').selectAll().where('name', '=', name);
    const row = await (engine === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
    return row && toHeartbeat(row);
  };
  return {
    createHeartbeat: async (h) => {
      await asConflict(`A heartbeat named ${h.name} exists already; choose another name, or delete that one first.`, () =>
        db
          .insertInto('heartbeats')
          .values({
            name: h.name,
            service: h.service,
            severity: h.severity,
            interval_seconds: h.intervalSeconds,
            grace_seconds: h.graceSeconds,
            token_hash: h.tokenHash,
            state: h.state,
            created_at: h.createdAt,
            created_by: h.createdBy,
            last_ping_at: h.lastPingAt,
            due_at: h.dueAt,
            missed_at: h.missedAt,
            lease_owner: h.leaseOwner,
            lease_until: h.leaseUntil,
          })
          .execute(),
      );
    },
    findHeartbeat: async (name) => {
      const row = await reader.selectFrom('heartbeats').selectAll().where('name', '=', name).executeTakeFirst();
      return row && toHeartbeat(row);
    },
    listHeartbeats: async () => (await reader.selectFrom('heartbeats').selectAll().orderBy('name').execute()).map(toHeartbeat),
    deleteHeartbeat: (name) =>
      transaction(async (trx) => {
        const before = await locked(trx, name);
        if (before) await trx.deleteFrom('heartbeats').where('name', '=', name).execute();
        return before;
      }),
    pingHeartbeat: (name, at, dueAt) =>
      transaction(async (trx) => {
        const before = await locked(trx, name);
        if (!before) return undefined;
        await trx
          .updateTable('heartbeats')
          .set({ state: 'up', last_ping_at: at, due_at: dueAt, lease_owner: null, lease_until: null })
          .where('name', '=', name)
          .execute();
        return before;
      }),
    claimHeartbeats: ({ now, until, owner, limit }) =>
      transaction(async (trx) => {
        let due = trx
          .selectFrom('heartbeats')
          .select('name')
          .where('state', 'in', ARMED)
          .where('due_at', '<=', now)
          .where((eb) => eb.or([eb('lease_until', 'is', null), eb('lease_until', '<=', now)]))
          .orderBy('due_at')
          .orderBy('name')
          .limit(limit);
        // Instances skip each other's claimed rows instead of queueing behind them; SQLite has one writer.
        if (engine === 'postgres') due = due.forUpdate().skipLocked();
        const names = (await due.execute()).map((r) => r.name);
        if (names.length === 0) return [];
        const rows = await trx
          .updateTable('heartbeats')
          .set({ lease_owner: owner, lease_until: until })
          .where('name', 'in', names)
          .returningAll()
          .execute();
        return rows.map(toHeartbeat).sort((a, b) => a.dueAt.localeCompare(b.dueAt) || a.name.localeCompare(b.name));
      }),
    // Read under the row lock, so the row answered is the one the claim was lost to, not a later one.
    finishHeartbeatMiss: (name, owner, at) =>
      transaction(async (trx) => {
        const current = await locked(trx, name);
        if (!current || current.leaseOwner !== owner || !(ARMED as readonly string[]).includes(current.state)) return { finished: false, current };
        await trx
          .updateTable('heartbeats')
          .set({ state: 'missed', missed_at: at, lease_owner: null, lease_until: null })
          .where('name', '=', name)
          .execute();
        return { finished: true };
      }),
    heartbeatStats: async () => {
      const rows = await reader
        .selectFrom('heartbeats')
        .select((eb) => ['state', eb.fn.countAll().as('n')])
        .groupBy('state')
        .execute();
      const stats = Object.fromEntries(HEARTBEAT_STATES.map((s) => [s, 0])) as Record<HeartbeatState, number>;
      for (const r of rows) if ((HEARTBEAT_STATES as readonly string[]).includes(r.state)) stats[r.state as HeartbeatState] = Number(r.n);
      return stats;
    },
  };
}
