import type { Store } from '../service/ports.js';
import { openPostgresStore } from './postgres/open.js';
import { openSqliteStore } from './sqlite/open.js';

export interface StoreOptions {
  /** `postgres://…`: when set, PostgreSQL is used and sqlitePath is ignored. */
  databaseUrl?: string;
  /** The SQLite file; its folder is created when missing. */
  sqlitePath: string;
}

/** Opens the store the options name. It does not migrate: call `store.migrate()`. */
export function createStore(opts: StoreOptions): Promise<Store> {
  return opts.databaseUrl ? openPostgresStore(opts.databaseUrl) : openSqliteStore(opts.sqlitePath);
}
