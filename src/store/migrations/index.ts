import { Migrator, sql, type Kysely, type Migration } from 'kysely';
import type { Engine } from '../shared/schema.js';
import { initial } from './0001-initial.js';
import { inputs } from './0002-inputs.js';
import { uniqueActors } from './0003-unique-actors.js';
import { incidentAlerts } from './0004-incident-alerts.js';
import { outbox } from './0005-outbox.js';
import { timers } from './0006-timers.js';
import { maintenances } from './0007-maintenances.js';
import { uniqueIntegrations } from './0008-unique-integrations.js';
import { readModel } from './0009-read-model.js';
import { insightsOrder } from './0010-insights-order.js';
import { calendarFeeds } from './0011-calendar-feeds.js';
import { heartbeats } from './0012-heartbeats.js';
import { contactMethods } from './0013-contact-methods.js';

/** Every migration, by name; names sort in the order they run and never change once shipped. */
const migrations = (engine: Engine): Record<string, Migration> => ({
  '0001-initial': initial(engine),
  '0002-inputs': inputs(engine),
  '0003-unique-actors': uniqueActors(),
  '0004-incident-alerts': incidentAlerts(),
  '0005-outbox': outbox(),
  '0006-timers': timers(),
  '0007-maintenances': maintenances(),
  '0008-unique-integrations': uniqueIntegrations(),
  '0009-read-model': readModel(),
  '0010-insights-order': insightsOrder(),
  '0011-calendar-feeds': calendarFeeds(),
  '0012-heartbeats': heartbeats(),
  '0013-contact-methods': contactMethods(),
});

/** The names of this build's migrations, in the order they run. */
export const migrationNames = (engine: Engine): string[] => Object.keys(migrations(engine)).sort();

// A migration that sorts before one already run is still applied (each is independent of later ones):
// work that lands in another order, or a test that re-runs one, never finds the database "corrupted".
const migrator = <DB>(db: Kysely<DB>, engine: Engine) =>
  new Migrator({ db, provider: { getMigrations: async () => migrations(engine) }, allowUnorderedMigrations: true });

/** Applies pending migrations. On PostgreSQL Kysely's Migrator holds an advisory lock meanwhile. */
export async function migrateToLatest<DB>(db: Kysely<DB>, engine: Engine): Promise<void> {
  const { error } = await migrator(db, engine).migrateToLatest();
  if (error) throw error;
}

/** Applies the migrations up to and including `name`: for tests of a migration over older data. */
export async function migrateTo<DB>(db: Kysely<DB>, engine: Engine, name: string): Promise<void> {
  const { error } = await migrator(db, engine).migrateTo(name);
  if (error) throw error;
}

/**
 * How many of the known migrations the database has applied, of how many there are, and which are missing:
 * one read of Kysely's migration table (readiness asks this every few seconds). A database that answers
 * but has no such table has applied none; one that does not answer throws.
 */
export async function migrationStatus<DB>(db: Kysely<DB>, engine: Engine): Promise<MigrationStatus> {
  const known = migrationNames(engine);
  let applied: Set<string>;
  try {
    applied = new Set((await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name));
  } catch (err) {
    await sql`select 1`.execute(db).catch(() => {
      throw err;
    });
    applied = new Set();
  }
  const pending = known.filter((n) => !applied.has(n));
  return { current: known.length - pending.length, latest: known.length, pending };
}

export interface MigrationStatus {
  current: number;
  latest: number;
  pending: string[];
}
