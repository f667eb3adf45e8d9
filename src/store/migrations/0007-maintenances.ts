import type { Kysely, Migration } from 'kysely';

/**
 * Scheduled maintenances for the public status page (service/maintenances.ts): `components` is a JSON
 * array of public service names; a cancelled one keeps its row with `cancelled_at` set. The page reads
 * the ones not yet ended, hence the index on `ends_at`.
 */
export const maintenances = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('maintenances')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('components', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('cancelled_at', 'text')
      .execute();
    await db.schema.createIndex('maintenances_ends').on('maintenances').columns(['ends_at']).execute();
  },
});
