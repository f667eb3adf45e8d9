import type { Kysely, Migration } from 'kysely';

/**
 * Calendar feeds (service/calendar-feeds.ts): one secret URL per feed of a schedule's or a person's
 * shifts. Only the secret's SHA-256 is stored, unique, so the public route finds a feed by hashing
 * the secret it was given; a revoked feed keeps its row with `revoked_at` set.
 */
export const calendarFeeds = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('calendar_feeds')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('target', 'text', (c) => c.notNull())
      .addColumn('secret_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created_by', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();
  },
});
