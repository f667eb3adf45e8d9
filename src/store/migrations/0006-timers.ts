import { sql, type Kysely, type Migration } from 'kysely';

/**
 * The timer jobs (service/timers.ts): written with the events that cause them, claimed by any
 * instance's runner under a lease, fired or cancelled once. Partial indexes keep the runner's scan
 * to the scheduled rows, and allow one scheduled timer per (incident, key).
 */
export const timers = (): Migration => ({
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
  },
});
