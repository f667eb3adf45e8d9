import { conflict } from '../../domain/errors.js';

/** A UNIQUE or PRIMARY KEY violation, as better-sqlite3 and pg report it. */
export function isUniqueViolation(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

/** Runs a write; a unique violation (another writer got there first) becomes a conflict, which callers retry. */
export async function asConflict<T>(message: string, write: () => Promise<T>): Promise<T> {
  try {
    return await write();
  } catch (err) {
    if (isUniqueViolation(err)) throw conflict(message);
    throw err;
  }
}

/** PostgreSQL ended the transaction to break a deadlock (40P01) or a serialization failure (40001): running it again succeeds. */
export function isRetryableAbort(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === '40P01' || code === '40001';
}
