import { existsSync } from 'node:fs';
import { schemaVersion, ToolError, wrapSqlite, type Db, type Opened } from './db.js';
import { incidentBatch, replayIncidents, writeProjections } from './replay.js';
import { takeExclusive } from './sqlite-lock.js';

export interface RebuildResult {
  incidents: number;
  rewritten: number;
  batches: number;
}

/**
 * Re-projects every incident from its log with this build's `apply` and rewrites its projection and read
 * model: one transaction per batch, so it is safe to stop and re-run. On PostgreSQL servers may keep
 * running: each batch locks its incidents (FOR UPDATE, as commands do) before reading their logs, so a
 * command on one of them waits for the batch and then sees the rewritten state. On SQLite the file is taken
 * for this process alone first (one process per file): refused while a server has it open.
 */
export async function rebuildProjections(
  target: { engine: 'sqlite'; path: string } | { engine: 'postgres'; open: () => Promise<Opened> },
  progress: (line: string) => void = () => {},
): Promise<RebuildResult> {
  if (target.engine === 'sqlite') {
    if (!existsSync(target.path)) throw new ToolError('missing', `no database file at ${target.path}`);
    const holder = takeExclusive(target.path, 'rebuilding projections');
    const o = wrapSqlite(holder.conn);
    try {
      await ready(o);
      return await run((fn) => o.db.transaction().execute(fn), false, progress);
    } finally {
      holder.release();
    }
  }
  const o = await target.open();
  try {
    await ready(o);
    return await run((fn) => o.db.transaction().execute(fn), true, progress);
  } finally {
    await o.close();
  }
}

async function ready(o: Opened) {
  const v = await schemaVersion(o);
  if (!v) throw new ToolError('refused', 'not a Firebreak database: it has no kysely_migration table');
  if (v.unknown.length > 0) throw new ToolError('refused', `the schema is newer than this build (${v.unknown.join(', ')}): use a newer Firebreak`);
  if (v.pending.length > 0) {
    throw new ToolError('refused', `${v.pending.length} migration(s) not applied (${v.pending.join(', ')}): start the server once (it migrates), then rebuild`);
  }
}

async function run(
  transaction: <T>(fn: (trx: Db) => Promise<T>) => Promise<T>,
  lock: boolean,
  progress: (line: string) => void,
): Promise<RebuildResult> {
  const result: RebuildResult = { incidents: 0, rewritten: 0, batches: 0 };
  for (let after = 0; ; ) {
    const batch = await transaction(async (trx) => {
      const numbers = await incidentBatch(trx, after, undefined, lock);
      const rewritten = await writeProjections(trx, await replayIncidents(trx, numbers));
      return { numbers, rewritten };
    });
    const last = batch.numbers.at(-1);
    if (last === undefined) break;
    result.incidents += batch.numbers.length;
    result.rewritten += batch.rewritten;
    result.batches++;
    progress(`rebuilt INC-${batch.numbers[0]}…INC-${last}`);
    after = last;
  }
  return result;
}
