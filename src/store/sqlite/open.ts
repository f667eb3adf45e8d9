import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Sqlite from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import type { Store, StoreTx } from '../../service/ports.js';
import { migrateToLatest } from '../migrations/index.js';
import { asConflict } from '../shared/errors.js';
import { alertRow, type AlertRow, alertUpdate, toAlert } from '../shared/inputs-store.js';
import { kyselyStore, type Db } from '../shared/kysely-store.js';
import type { Database } from '../shared/schema.js';
import { BACKSTOP_FRAMES, startCheckpointer, WAL_SIZE_LIMIT, walDurability } from './wal.js';

function connect(path: string): Sqlite.Database {
  const conn = new Sqlite(path);
  conn.pragma('busy_timeout = 5000');
  // NORMAL in WAL mode: SQLite syncs around checkpoints but not at commit; `durability` below
  // syncs the WAL after each commit instead, off the event loop.
  conn.pragma('synchronous = NORMAL');
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
 * The alert hot path as prepared statements on the writer connection (so inside its transactions).
 * Prepared on first use, as the table exists only after migrate(); the columns are alertRow's own.
 * In-process, a statement per alert costs less than building one statement for many.
 */
function alertStatements(conn: Sqlite.Database): Pick<StoreTx, 'findAlerts' | 'saveAlerts'> {
  let find: Sqlite.Statement | undefined;
  let save: { insert: Sqlite.Statement; update: Sqlite.Statement } | undefined;
  const prepareSave = (row: AlertRow) => {
    const columns = Object.keys(row);
    const updated = Object.keys(alertUpdate(row));
    return {
      insert: conn.prepare(`insert into alerts (${columns.join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`),
      update: conn.prepare(`update alerts set ${updated.map((c) => `${c} = @${c}`).join(', ')} where id = @id`),
    };
  };
  return {
    findAlerts: async (dedupKeys) => {
      find ??= conn.prepare('select * from alerts where dedup_key = ?');
      const found = new Map<string, ReturnType<typeof toAlert>>();
      for (const key of dedupKeys) {
        const row = find.get(key) as Parameters<typeof toAlert>[0] | undefined;
        if (row) found.set(key, toAlert(row));
      }
      return found;
    },
    saveAlerts: async (writes) => {
      for (const { alert, isNew } of writes) {
        const row = alertRow(alert);
        const { insert, update } = (save ??= prepareSave(row));
        if (isNew) await asConflict(`Alert ${alert.dedupKey} was stored meanwhile.`, async () => insert.run(row));
        else update.run(row);
      }
    },
  };
}

/**
 * SQLite through better-sqlite3 in WAL mode. One writer connection carries every transaction and
 * write; Kysely's connection mutex queues them so they never interleave. A second, query-only
 * connection serves reads outside transactions, so a read never waits for (or deadlocks on) one.
 */
export async function openSqliteStore(path: string, opts: { checkpointer?: boolean } = {}): Promise<Store> {
  const memory = path === ':memory:';
  if (!memory) mkdirSync(dirname(path), { recursive: true });
  const writer = connect(path);
  writer.pragma('journal_mode = WAL');
  // Checkpoints run in a worker thread (wal.ts); on the writer they would stall the event loop. A second
  // store on the same file in this process (the alert worker) leaves them to the first one's checkpointer,
  // with SQLite's own checkpoint past twice the WAL the checkpointer allows as a backstop: should that
  // thread die, the first store's writer falls back to SQLite's, but the second one does most writes.
  const checkpointer =
    memory || opts.checkpointer === false ? undefined : startCheckpointer(path, () => writer.pragma('wal_autocheckpoint = 1000'));
  if (checkpointer) writer.pragma('wal_autocheckpoint = 0');
  if (opts.checkpointer === false) writer.pragma(`wal_autocheckpoint = ${BACKSTOP_FRAMES}`);
  writer.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT}`);
  const db: Db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(writer) }) });
  let reader = db;
  if (!memory) {
    const conn = connect(path);
    conn.pragma('query_only = ON');
    reader = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(conn) }) });
  }

  // BEGIN IMMEDIATE takes the write lock up front, so another process on the same file waits
  // (busy_timeout) instead of failing halfway through a read-then-write transaction.
  const durable = memory ? async () => {} : walDurability(`${path}-wal`);
  const immediate = async <T>(fn: (db: Db) => Promise<T>): Promise<T> => {
    const result = await db.connection().execute(async (conn) => {
      await sql`begin immediate`.execute(conn);
      try {
        const value = await fn(conn);
        await sql`commit`.execute(conn);
        return value;
      } catch (err) {
        if (writer.inTransaction) await sql`rollback`.execute(conn);
        throw err;
      }
    });
    await durable();
    return result;
  };

  const statements = alertStatements(writer);
  return kyselyStore({
    engine: 'sqlite',
    alertStatements: () => statements,
    db,
    reader,
    transaction: immediate,
    durable,
    // SQLite DDL is transactional: all pending migrations apply in one transaction or none do.
    migrate: () => immediate((conn) => migrateToLatest(conn, 'sqlite')),
    close: async () => {
      await checkpointer?.stop();
      if (reader !== db) await reader.destroy();
      await db.destroy();
    },
  });
}
