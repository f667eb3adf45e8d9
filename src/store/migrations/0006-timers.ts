import { sql, type Kysely, type Migration } from 'kysely';
import type { Incident } from '../../domain/incident/state.js';
import { backfillTimers } from '../../domain/timers/plan.js';
import { DEFAULT_TIMER_RULES } from '../../domain/timers/rules.js';
import type { Db } from '../shared/kysely-store.js';
import { timerId } from '../shared/timers-store.js';

const PAGE = 500;

/**
 * The timer jobs (service/timers.ts): written with the events that cause them, claimed by any
 * instance's runner under a lease, fired or cancelled once. Partial indexes keep the runner's scan
 * to the scheduled rows, and allow one scheduled timer per (incident, key). Incidents recorded before get
 * the timers still ahead of them (the default durations; `backfillTimers`), so an upgrade nudges nothing late.
 */
export const timers = (now: () => string = () => new Date().toISOString()): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('timers')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_number', 'integer', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('fired_at', 'text')
      .addColumn('cancelled_at', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`create index timers_due on timers (due_at, id) where state = 'scheduled'`.execute(db);
    await sql`create unique index timers_scheduled_key on timers (incident_number, key) where state = 'scheduled'`.execute(db);
    await sql`create index timers_incident on timers (incident_number, due_at)`.execute(db);

    const at = now();
    const typed = db as unknown as Db;
    for (let after = 0; ; ) {
      const rows = await typed
        .selectFrom('incidents')
        .select(['number', 'state', 'version'])
        .where('number', '>', after)
        .where('status', '!=', 'cancelled')
        .orderBy('number')
        .limit(PAGE)
        .execute();
      const jobs = rows.flatMap((r) =>
        backfillTimers(JSON.parse(r.state) as Incident, DEFAULT_TIMER_RULES, at).map((j) => ({
          id: timerId(r.number, j.key, r.version),
          incident_number: r.number,
          kind: j.kind,
          key: j.key,
          due_at: j.dueAt,
          state: 'scheduled',
          created_at: at,
        })),
      );
      for (let i = 0; i < jobs.length; i += PAGE) await typed.insertInto('timers').values(jobs.slice(i, i + PAGE)).execute();
      const last = rows.at(-1);
      if (!last || rows.length < PAGE) break;
      after = last.number;
    }
  },
});
