import { sql, type Kysely, type Migration } from 'kysely';

/** One live integration per name, so `integration:<name>` on an event names one sender. */
export const uniqueIntegrations = (): Migration => ({
  async up(db: Kysely<unknown>) {
    // Live integrations that already share a name keep working: all but the oldest become `<name>-<id>`.
    await sql`
      update integrations set name = name || '-' || id
      where revoked_at is null and exists (
        select 1 from integrations older
        where older.name = integrations.name and older.revoked_at is null
          and (older.created_at < integrations.created_at or (older.created_at = integrations.created_at and older.id < integrations.id))
      )`.execute(db);
    await sql`create unique index integrations_live_name on integrations (name) where revoked_at is null`.execute(db);
  },
});
