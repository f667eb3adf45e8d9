import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import Sqlite from 'better-sqlite3';
import { openSqliteStore } from '../sqlite/open.js';
import { countAll, schemaVersion, ToolError, wrapSqlite } from './db.js';
import { COUNTED, countsLine } from './doctor.js';
import { takeExclusive } from './sqlite-lock.js';

export const PG_BACKUP_HINT =
  'backup copies a SQLite file; on PostgreSQL run: pg_dump --format=custom --file firebreak-$(date +%F).dump "$DATABASE_URL" (docs/OPERATIONS.md, "Backups")';
export const PG_RESTORE_HINT =
  'restore replaces a SQLite file; on PostgreSQL run: pg_restore --clean --if-exists --no-owner --dbname "$DATABASE_URL" firebreak-….dump (docs/OPERATIONS.md, "Backups")';

const fsyncPath = (path: string) => {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

export const formatBytes = (n: number) =>
  n < 1024 ? `${n} B` : n < 1024 ** 2 ? `${(n / 1024).toFixed(1)} KiB` : n < 1024 ** 3 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : `${(n / 1024 ** 3).toFixed(2)} GiB`;

async function countsOf(path: string) {
  const o = wrapSqlite(new Sqlite(path, { readonly: true, fileMustExist: true }));
  try {
    return await countAll(o.db, COUNTED as never);
  } finally {
    await o.close();
  }
}

/**
 * A consistent copy of a live SQLite database: `VACUUM INTO` reads one snapshot (a WAL read
 * transaction, so the server's writers go on meanwhile) into a new file beside FILE, which is then
 * synced and renamed onto FILE. Refuses an existing FILE unless `force`.
 */
export async function backup(source: string, file: string, opts: { force?: boolean } = {}): Promise<string> {
  if (!existsSync(source)) throw new ToolError('missing', `no database file at ${source}`);
  if (resolve(source) === resolve(file)) throw new ToolError('usage', `the backup must not be the database itself (${file})`);
  if (existsSync(file) && !opts.force) throw new ToolError('refused', `${file} exists: choose another name, or give --force to replace it`);
  mkdirSync(dirname(resolve(file)), { recursive: true });
  const partial = `${file}.partial-${process.pid}`;
  rmSync(partial, { force: true });
  const conn = new Sqlite(source, { fileMustExist: true });
  try {
    conn.pragma('busy_timeout = 5000');
    if ((await schemaVersion(wrapSqlite(conn))) === undefined) {
      throw new ToolError('refused', `${source} is not a Firebreak database (no kysely_migration table)`);
    }
    conn.prepare('vacuum into ?').run(partial);
  } catch (err) {
    rmSync(partial, { force: true });
    if (err instanceof ToolError) throw err;
    throw new ToolError('failed', `backup of ${source} failed: ${(err as Error).message}`);
  } finally {
    conn.close();
  }
  fsyncPath(partial);
  renameSync(partial, file);
  fsyncPath(dirname(resolve(file)));
  const counts = await countsOf(file);
  return `backed up ${source} to ${file}: ${formatBytes(statSync(file).size)}; ${countsLine(counts)}`;
}

/**
 * Replaces the SQLite database with FILE, a Firebreak database no newer than this build: refused while
 * another process has the database open (a running server); the copy is made beside it, renamed over it
 * (its -wal and -shm removed), then pending migrations run.
 */
export async function restore(target: string, file: string): Promise<string[]> {
  if (!existsSync(file)) throw new ToolError('missing', `no backup file at ${file}`);
  if (resolve(target) === resolve(file)) throw new ToolError('usage', `${file} is the database itself`);
  let src: Sqlite.Database;
  try {
    src = new Sqlite(file, { readonly: true, fileMustExist: true });
    src.pragma('schema_version');
  } catch {
    throw new ToolError('refused', `${file} is not a SQLite database`);
  }
  const partial = `${target}.restoring-${process.pid}`;
  let holder: ReturnType<typeof takeExclusive> | undefined;
  let pendingBefore: number;
  try {
    const version = await schemaVersion(wrapSqlite(src));
    if (!version) throw new ToolError('refused', `${file} is not a Firebreak database (no kysely_migration table)`);
    if (version.unknown.length > 0) {
      throw new ToolError('refused', `${file} has a schema newer than this build (${version.unknown.join(', ')}): restore it with a newer Firebreak`);
    }
    const check = src.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new ToolError('refused', `${file} is damaged (quick_check: ${String(check)})`);
    pendingBefore = version.pending.length;
    mkdirSync(dirname(resolve(target)), { recursive: true });
    if (existsSync(target)) holder = takeExclusive(target, 'restoring');
    rmSync(partial, { force: true });
    await src.backup(partial);
    fsyncPath(partial);
    renameSync(partial, target);
    for (const suffix of ['-wal', '-shm', '-journal']) rmSync(`${target}${suffix}`, { force: true });
    fsyncPath(dirname(resolve(target)));
  } catch (err) {
    rmSync(partial, { force: true });
    if (err instanceof ToolError) throw err;
    throw new ToolError('failed', `restore from ${file} failed: ${(err as Error).message}`);
  } finally {
    src.close();
    // The lock was on the file just replaced; closing it leaves the new one alone.
    if (holder?.conn.open) holder.conn.close();
  }
  const store = await openSqliteStore(target, { checkpointer: false });
  try {
    await store.migrate();
  } finally {
    await store.close();
  }
  const counts = await countsOf(target);
  return [
    `restored ${target} from ${file}${pendingBefore > 0 ? `, then applied ${pendingBefore} migration(s)` : ''}: ${countsLine(counts)}`,
    `check it with: firebreak doctor`,
  ];
}
