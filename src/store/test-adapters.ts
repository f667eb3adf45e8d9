import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Store } from '../service/ports.js';
import { openPostgresStore } from './postgres/open.js';
import type { Database } from './shared/schema.js';
import { openSqliteStore } from './sqlite/open.js';

/**
 * The engines every *.int.test.ts runs against:
 *
 *   for (const adapter of adapters()) describe(adapter.name, () => {
 *     let store: Store;
 *     before(async () => (store = await adapter.create()));   // fresh database, migrated
 *     after(() => store.close());                              // closes and deletes that database
 *   });
 *
 * `database()` gives a fresh, empty database that several stores can open at once (several
 * "instances"); `drop()` deletes it once they are closed.
 */
export interface TestAdapter {
  name: 'sqlite' | 'postgres';
  /** A fresh, migrated store; `opened` hears where its database is. */
  create(opened?: (location: string) => void): Promise<Store>;
  database(): Promise<TestDatabase>;
}

export interface TestDatabase {
  /** The SQLite file, or the PostgreSQL URL (FIREBREAK_DB or DATABASE_URL for a server process). */
  location: string;
  /** A new, unmigrated store on this database. */
  open(): Promise<Store>;
  /** A bare Kysely on this database, for tests of a migration over older data; destroy it when done. */
  kysely(): Kysely<Database>;
  drop(): Promise<void>;
}

const PG_URL = process.env.FIREBREAK_TEST_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function reachable(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
  } catch {
    return false;
  }
  await client.end();
  return true;
}

const pgReachable = await reachable(PG_URL);
let skipNoticePrinted = false;

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

/** A fresh PostgreSQL database `fb_test_<random>` for a test (e2e servers take `url` as DATABASE_URL). */
export async function createPgTestDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `fb_test_${randomBytes(8).toString('hex')}`;
  await adminQuery(`CREATE DATABASE ${name}`);
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return { url: url.toString(), drop: () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}

const sqliteDatabase = async (): Promise<TestDatabase> => {
  const dir = mkdtempSync(join(tmpdir(), 'fb-test-'));
  const file = join(dir, 'firebreak.db');
  return {
    location: file,
    open: () => openSqliteStore(file),
    kysely: () => new Kysely<Database>({ dialect: new SqliteDialect({ database: new Sqlite(file) }) }),
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
};

const postgresDatabase = async (): Promise<TestDatabase> => {
  const { url, drop } = await createPgTestDatabase();
  return {
    location: url,
    open: () => openPostgresStore(url),
    kysely: () => new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: url }) }) }),
    drop,
  };
};

function adapter(name: TestAdapter['name'], database: () => Promise<TestDatabase>): TestAdapter {
  return {
    name,
    database,
    create: async (opened) => {
      const d = await database();
      opened?.(d.location);
      const store = await d.open();
      await store.migrate();
      return {
        ...store,
        close: async () => {
          await store.close();
          await d.drop();
        },
      };
    },
  };
}

/**
 * SQLite always; PostgreSQL when it is reachable at FIREBREAK_TEST_PG_URL. With CI set, an
 * unreachable PostgreSQL is an error, never a silent skip.
 */
export function adapters(): TestAdapter[] {
  const list = [adapter('sqlite', sqliteDatabase)];
  if (pgReachable) return [...list, adapter('postgres', postgresDatabase)];
  if (process.env.CI) {
    throw new Error(`no PostgreSQL reachable at ${PG_URL}: CI is set, so the postgres tests cannot be skipped`);
  }
  if (!skipNoticePrinted) {
    skipNoticePrinted = true;
    console.warn(`postgres tests skipped: no PostgreSQL reachable at ${PG_URL} (set CI=1 to make this a failure)`);
  }
  return list;
}
