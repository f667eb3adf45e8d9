import type { Selectable } from 'kysely';
import type { CalendarFeedKind, CalendarFeedRecord, Store } from '../../service/ports.js';
import type { Db } from './kysely-store.js';
import type { Database } from './schema.js';

type CalendarFeedStore = Pick<Store, 'createCalendarFeed' | 'listCalendarFeeds' | 'findCalendarFeedBySecretHash' | 'revokeCalendarFeed'>;

/** The calendar_feeds table: reads on `reader`, writes in a transaction (which waits until they are durable). */
export function calendarFeedStore(reader: Db, transaction: <T>(fn: (db: Db) => Promise<T>) => Promise<T>): CalendarFeedStore {
  return {
    createCalendarFeed: (f) =>
      transaction(async (db) => {
        await db
          .insertInto('calendar_feeds')
          .values({
            id: f.id,
            kind: f.kind,
            target: f.target,
            secret_hash: f.secretHash,
            created_by: f.createdBy,
            created_at: f.createdAt,
            revoked_at: f.revokedAt,
          })
          .execute();
      }),
    listCalendarFeeds: async () =>
      (await reader.selectFrom('calendar_feeds').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').execute()).map(toFeed),
    findCalendarFeedBySecretHash: async (hash) => {
      const row = await reader.selectFrom('calendar_feeds').selectAll().where('secret_hash', '=', hash).executeTakeFirst();
      return row && toFeed(row);
    },
    revokeCalendarFeed: (id, at) =>
      transaction(async (db) => {
        const r = await db
          .updateTable('calendar_feeds')
          .set({ revoked_at: at })
          .where('id', '=', id)
          .where('revoked_at', 'is', null)
          .executeTakeFirst();
        return r.numUpdatedRows > 0n;
      }),
  };
}

const toFeed = (r: Selectable<Database['calendar_feeds']>): CalendarFeedRecord => ({
  id: r.id,
  kind: r.kind as CalendarFeedKind,
  target: r.target,
  secretHash: r.secret_hash,
  createdBy: r.created_by,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});
