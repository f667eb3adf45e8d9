import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Store } from '../../service/ports.js';
import { migrateToLatest } from '../migrations/index.js';
import { conflict } from '../../domain/errors.js';
import { isRetryableAbort } from '../shared/errors.js';
import { kyselyStore } from '../shared/kysely-store.js';
import type { Database } from '../shared/schema.js';
import { postgresAlertStatements } from './alerts.js';
import { pgChanges } from './changes.js';

const POOL_SIZE = 10;
// Waiting longer for a free connection means the pool is starved; fail the request instead of hanging.
const CONNECT_TIMEOUT_MS = 10_000;

/** PostgreSQL through a pg Pool; any number of instances may share the database. */
export async function openPostgresStore(url: string): Promise<Store> {
  const pool = new pg.Pool({ connectionString: url, max: POOL_SIZE, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // An idle client that loses its server emits here; without a listener Node would crash.
  // The pool drops that client and the next query connects afresh.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  const changes = pgChanges(url);
  return kyselyStore({
    engine: 'postgres',
    alertStatements: postgresAlertStatements,
    db,
    reader: db,
    // Writers that lock rows in different orders (two incidents, a counter, a group claim) may deadlock;
    // PostgreSQL ends one of them, and as a conflict it is retried like any lost race.
    transaction: async (fn) => {
      try {
        return await db.transaction().execute(fn);
      } catch (err) {
        if (isRetryableAbort(err)) throw conflict('The database ended this transaction to break a deadlock; it can be retried.');
        throw err;
      }
    },
    migrate: () => migrateToLatest(db, 'postgres'),
    changes,
    close: async () => {
      await changes.close();
      await db.destroy();
    },
  });
}
