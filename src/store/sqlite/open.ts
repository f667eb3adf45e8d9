import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Store } from '../../service/ports.js';
import { migrateToLatest } from '../migrations/index.js';
import { kyselyStore, type Db } from '../shared/kysely-store.js';
import type { Database } from '../shared/schema.js';

function connect(path: string): Sqlite.Database {
  const conn = new Sqlite(path);
  conn.pragma('busy_timeout = 5000');
  // FULL: a commit is on disk before we answer (SPEC §6, nothing acknowledged is lost).
  conn.pragma('synchronous = FULL');
  conn.pragma('foreign_keys = ON');
  return conn;
}

const STATEMENT_CACHE_SIZE = 200;

/**
 * Kysely prepares every query afresh; preparing was the largest single cost of a read here. The SQL
 * text is the key (values are bound parameters), so a small cache of prepared statements is safe.
 */
function withStatementCache(conn: Sqlite.Database) {
  const cache = new Map<string, Sqlite.Statement>();
  return {
    close: () => conn.close(),
    prepare(sqlText: string) {
      let stmt = cache.get(sqlText);
      if (!stmt) {
        stmt = conn.prepare(sqlText);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
        cache.set(sqlText, stmt);
      }
      return stmt;
    },
  };
}

/**
 * SQLite through better-sqlite3 in WAL mode. One writer connection carries every transaction and
 * write; Kysely's connection mutex queues them so they never interleave. A second, query-only
 * connection serves reads outside transactions, so a read never waits for (or deadlocks on) one.
 */
export async function openSqliteStore(path: string): Promise<Store> {
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const writer = connect(path);
  writer.pragma('journal_mode = WAL');
  const db: Db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(writer) }) });
  let reader = db;
  if (!memory) {
    const conn = connect(path);
    conn.pragma('query_only = ON');
    reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(conn) }) });
  }

  // BEGIN IMMEDIATE takes the write lock up front, so another process on the same file waits
  // (busy_timeout) instead of failing halfway through a read-then-write transaction.
  const immediate = <T>(fn: (db: Db) => Promise<T>): Promise<T> =>
    db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const result = await fn(conn);
        await sql`commit`.execute(conn);
        return result;
      } catch (err) {
        if (writer.inTransaction) await sql`rollback`.execute(conn);
        throw err;
      }
    });

  return kyselyStore({
    engine: 'sqlite',
    db,
    reader,
    transaction: immediate,
    // SQLite DDL is transactional: all pending migrations apply in one transaction or none do.
    migrate: () => immediate((conn) => migrateToLatest(conn, 'sqlite')),
    close: async () => {
      if (reader !== db) await reader.destroy();
      await db.destroy();
    },
  });
}
