import { sql, type Kysely, type Migration } from 'kysely';

/**
 * Heartbeats (service/heartbeats.ts): a named expectation of a ping at least every interval, whose
 * token is kept as its SHA-256 only. A runner claims a due one under a lease before it raises the
 * miss, so instances raise each miss once; the partial index keeps its scan to the armed rows.
 */
export const heartbeats = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('heartbeats')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('interval_seconds', 'integer', (c) => c.notNull())
      .addColumn('grace_seconds', 'integer', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull())
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('last_ping_at', 'text')
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('missed_at', 'text')
      .addColumn('lease_owner', 'text')
      .addColumn('lease_until', 'text')
      .execute();
    await sql`create index heartbeats_due on heartbeats (due_at, name) where state in ('waiting', 'up')`.execute(db);
  },
});
