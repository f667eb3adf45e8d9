import Sqlite from 'better-sqlite3';
import { ToolError } from './db.js';

/**
 * Takes a SQLite file for this connection alone, or refuses. A running server keeps the file open (its
 * writer, reader, checkpointer and alert worker connections, in WAL mode); leaving WAL mode needs every
 * other connection, in any process, to be closed, so `journal_mode = DELETE` answers SQLITE_BUSY while one
 * is open (busy_timeout 0: no waiting). Once it succeeds, `locking_mode = EXCLUSIVE` and an exclusive
 * transaction keep the file locked until `release`: a server starting meanwhile fails to open it.
 */
export function takeExclusive(path: string, doing: string): { conn: Sqlite.Database; release(): void } {
  const conn = new Sqlite(path, { fileMustExist: true });
  let mode: unknown;
  try {
    conn.pragma('busy_timeout = 0');
    mode = conn.pragma('journal_mode = DELETE', { simple: true });
  } catch (err) {
    conn.close();
    if ((err as { code?: string }).code?.startsWith('SQLITE_BUSY')) throw inUse(path, doing);
    throw new ToolError('failed', `cannot open ${path}: ${(err as Error).message}`);
  }
  if (mode !== 'delete') {
    conn.close();
    throw inUse(path, doing);
  }
  conn.pragma('locking_mode = EXCLUSIVE');
  conn.exec('begin exclusive; commit');
  conn.pragma('busy_timeout = 5000');
  return {
    conn,
    release: () => {
      if (!conn.open) return;
      // Back to WAL, as the server runs it, then the lock goes with the connection.
      conn.pragma('locking_mode = NORMAL');
      conn.pragma('journal_mode = WAL');
      conn.close();
    },
  };
}

const inUse = (path: string, doing: string) =>
  new ToolError('refused', `${path} is open in another process (a running server?): stop it before ${doing}`);
