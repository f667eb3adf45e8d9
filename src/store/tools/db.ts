import { existsSync } from 'node:fs';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import { migrationNames } from '../migrations/index.js';
import type { Database, Engine } from '../shared/schema.js';

export type Db = Kysely<Database>;

/**
 * A refusal or failure of a database tool, said in one line. `kind` picks the CLI's exit code:
 * usage (2), missing (5), refused (6: the database's state forbids it), failed (1).
 */
export class ToolError extends Error {
  constructor(
    readonly kind: 'usage' | 'missing' | 'refused' | 'failed',
    message: string,
  ) {
    super(message);
    this.name = 'ToolError';
  }
}

/** Where a tool works: a SQLite file or a PostgreSQL URL. */
export type Location = { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };

export const describeLocation = (l: Location) => (l.engine === 'sqlite' ? l.path : redactUrl(l.url));

/** A URL without its password, for output. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'postgres://…';
  }
}

/** A bare Kysely on a location, no migrations run; `sqlite` is the raw connection when there is one. */
export interface Opened {
  engine: Engine;
  db: Db;
  sqlite?: Sqlite.Database;
  close(): Promise<void>;
}

export function openSqliteFile(path: string, opts: { readonly?: boolean; mustExist?: boolean } = {}): Opened {
  if (opts.mustExist && !existsSync(path)) throw new ToolError('missing', `no database file at ${path}`);
  let conn: Sqlite.Database;
  try {
    conn = new Sqlite(path, { readonly: opts.readonly ?? false, fileMustExist: opts.mustExist ?? false });
    conn.pragma('busy_timeout = 5000');
  } catch (err) {
    throw new ToolError('failed', `cannot open ${path}: ${(err as Error).message}`);
  }
  return wrapSqlite(conn);
}

export function wrapSqlite(conn: Sqlite.Database): Opened {
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: conn }) });
  return { engine: 'sqlite', db, sqlite: conn, close: () => db.destroy() };
}

export async function openPostgres(url: string): Promise<Opened> {
  const pool = new pg.Pool({ connectionString: url, max: 2, connectionTimeoutMillis: 10_000 });
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await sql`select 1`.execute(db);
  } catch (err) {
    await db.destroy();
    throw new ToolError('failed', `cannot connect to ${redactUrl(url)}: ${(err as Error).message.split('\n')[0]}`);
  }
  return { engine: 'postgres', db, close: () => db.destroy() };
}

export const openLocation = (l: Location, opts: { readonly?: boolean } = {}): Promise<Opened> =>
  l.engine === 'sqlite' ? Promise.resolve(openSqliteFile(l.path, { mustExist: true, ...opts })) : openPostgres(l.url);

/** Does the table exist? */
export async function hasTable(o: Pick<Opened, 'engine' | 'db'>, table: string): Promise<boolean> {
  if (o.engine === 'sqlite') {
    const r = await sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${table}`.execute(o.db);
    return Number(r.rows[0]?.n) > 0;
  }
  const r = await sql<{ t: string | null }>`select to_regclass(${`public.${table}`})::text as t`.execute(o.db);
  return r.rows[0]?.t != null;
}

/** The schema as this build sees it: migrations applied, those this build lacks (newer), and those pending. */
export interface SchemaVersion {
  applied: string[];
  unknown: string[];
  pending: string[];
  latest: number;
}

export async function schemaVersion(o: Pick<Opened, 'engine' | 'db'>): Promise<SchemaVersion | undefined> {
  if (!(await hasTable(o, 'kysely_migration'))) return undefined;
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(o.db);
  const applied = rows.rows.map((r) => r.name);
  const known = migrationNames(o.engine);
  return {
    applied,
    unknown: applied.filter((n) => !known.includes(n)),
    pending: known.filter((n) => !applied.includes(n)),
    latest: known.length,
  };
}

/** The tables this tooling counts, copies and checks: every table of schema.ts, in an order that respects foreign keys. */
export const TABLES = [
  'counters',
  'instance_keys',
  'users',
  'sessions',
  'tokens',
  'catalogs',
  'integrations',
  'github_deliveries',
  'notification_targets',
  'incidents',
  'incident_services',
  'events',
  'incident_alerts',
  'idempotency_keys',
  'incident_facts',
  'incident_people',
  'action_items',
  'deploys',
  'alerts',
  'alert_groups',
  'notification_messages',
  'outbox',
  'timers',
  'maintenances',
  'heartbeats',
  'calendar_feeds',
  'contact_methods',
  'notification_rules',
] as const satisfies readonly (keyof Database)[];

export type Table = (typeof TABLES)[number];

// A table schema.ts has and TABLES forgets would be skipped by migrate-db and doctor without a word: fail the build instead.
const EVERY_TABLE_LISTED: [Exclude<keyof Database, Table>] extends [never] ? true : never = true;
void EVERY_TABLE_LISTED;

export async function countRows(db: Db, table: Table): Promise<number> {
  const r = await sql<{ n: number | string }>`select count(*) as n from ${sql.table(table)}`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

export async function countAll(db: Db, tables: readonly Table[] = TABLES): Promise<Record<Table, number>> {
  const out = {} as Record<Table, number>;
  for (const t of tables) out[t] = await countRows(db, t);
  return out;
}
