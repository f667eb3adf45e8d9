import { sql, type Kysely, type Migration } from 'kysely';

/** One live token per name, so `token:<name>` on an event names one token; a revoked token's name is free again. */
export const uniqueActors = (): Migration => ({
  async up(db: Kysely<unknown>) {
    // Live tokens that already share a name keep working: all but the oldest become `<name>-<id>`.
    await sql`
      update tokens set name = name || '-' || id
      where revoked_at is null and exists (
        select 1 from tokens older
        where older.name = tokens.name and older.revoked_at is null
          and (older.created_at < tokens.created_at or (older.created_at = tokens.created_at and older.id < tokens.id))
      )`.execute(db);
    await sql`create unique index tokens_live_name on tokens (name) where revoked_at is null`.execute(db);
  },
});
