import { existsSync } from 'node:fs';
import { sql } from 'kysely';
import { migrateToLatest } from '../migrations/index.js';
import { countAll, hasTable, openPostgres, redactUrl, schemaVersion, TABLES, ToolError, wrapSqlite, type Opened, type Table } from './db.js';
import { doctor } from './doctor.js';
import { takeExclusive } from './sqlite-lock.js';
import type { Database } from '../shared/schema.js';

/** Rows read and inserted at a time: 500 rows × 25 columns stays well under PostgreSQL's 65,535 parameters. */
const ROWS = 500;
/** Columns PostgreSQL generates (GENERATED ALWAYS AS IDENTITY): copied as they are, their sequences moved past them. */
const IDENTITY: Partial<Record<Table, string>> = { events: 'position', alerts: 'position' };

export interface MigrateResult {
  rows: Record<Table, { source: number; target: number }>;
  projections: number;
  ms: number;
}

/** `sqlite:FILE` (or a path ending in .db), and a postgres:// URL. */
export function parseMigrateArgs(from: string, to: string): { path: string; url: string } {
  const path = from.startsWith('sqlite:') ? from.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '') : undefined;
  if (!path) throw new ToolError('usage', `--from must be sqlite:FILE (not ${from})`);
  if (!/^postgres(ql)?:\/\/\S+$/.test(to)) throw new ToolError('usage', '--to must be a postgres:// or postgresql:// URL');
  return { path, url: to };
}

/**
 * Copies a whole SQLite database into an empty PostgreSQL database in one pass: the target is migrated to
 * the latest schema, then every table is copied in batches of ROWS in one transaction (ids, sequence numbers
 * and event positions kept; the identity sequences moved past the copied rows), then the counts of every
 * table and every projection (against the replay of its log, on the target) are checked.
 */
export async function migrateDb(path: string, url: string, progress: (line: string) => void = () => {}): Promise<MigrateResult> {
  const started = Date.now();
  if (!existsSync(path)) throw new ToolError('missing', `no database file at ${path}`);
  const holder = takeExclusive(path, 'copying it');
  const source = wrapSqlite(holder.conn);
  let target: Opened | undefined;
  try {
    const version = await schemaVersion(source);
    if (!version) throw new ToolError('refused', `${path} is not a Firebreak database (no kysely_migration table)`);
    if (version.unknown.length > 0) throw new ToolError('refused', `${path} has a schema newer than this build (${version.unknown.join(', ')})`);
    target = await openPostgres(url);
    await refuseNonEmpty(target);
    if (version.pending.length > 0) {
      await source.db.transaction().execute((trx) => migrateToLatest<Database>(trx, 'sqlite'));
      progress(`applied ${version.pending.length} pending migration(s) to ${path} first`);
    }
    await migrateToLatest(target.db, 'postgres');
    const sourceCounts = await countAll(source.db);

    const db = target.db;
    await db.transaction().execute(async (trx) => {
      // The migrations seed these; the copy brings the source's own rows.
      await trx.deleteFrom('counters').execute();
      await trx.deleteFrom('instance_keys').execute();
      for (const table of TABLES) {
        const identity = IDENTITY[table];
        const read = holder.conn.prepare(`select rowid as "__rowid", * from "${table}" where rowid > ? order by rowid limit ${ROWS}`);
        let copied = 0;
        for (let after = 0; ; ) {
          const rows = read.all(after) as Record<string, unknown>[];
          const last = rows.at(-1);
          if (!last) break;
          after = Number(last.__rowid);
          const columns = Object.keys(last).filter((c) => c !== '__rowid');
          await sql`insert into ${sql.table(table)} (${sql.join(columns.map((c) => sql.ref(c)))})
            ${identity ? sql`overriding system value` : sql``}
            values ${sql.join(rows.map((r) => sql`(${sql.join(columns.map((c) => r[c] ?? null))})`))}`.execute(trx);
          copied += rows.length;
        }
        if (identity) {
          // The next generated value comes after the highest copied one (1 on an empty table).
          await sql`select setval(pg_get_serial_sequence(${table}, ${identity}),
              coalesce(max(${sql.ref(identity)}), 1), max(${sql.ref(identity)}) is not null)
            from ${sql.table(table)}`.execute(trx);
        }
        if (copied > 0) progress(`copied ${table}: ${copied}`);
      }
    });
    await sql`analyze`.execute(db);

    const targetCounts = await countAll(db);
    const rows = Object.fromEntries(TABLES.map((t) => [t, { source: sourceCounts[t], target: targetCounts[t] }])) as MigrateResult['rows'];
    const differ = TABLES.filter((t) => sourceCounts[t] !== targetCounts[t]);
    if (differ.length > 0) {
      throw new ToolError('failed', `the copy differs from ${path} in ${differ.map((t) => `${t} (${sourceCounts[t]} → ${targetCounts[t]})`).join(', ')}`);
    }
    const report = await doctor(target);
    if (report.problems.length > 0) throw new ToolError('failed', `the copy in ${redactUrl(url)} is not healthy: ${report.problems[0]}`);
    return { rows, projections: report.checked, ms: Date.now() - started };
  } finally {
    await target?.close();
    holder.release();
  }
}

/** Refuses a target holding any incident, user or token, before anything is written to it. */
async function refuseNonEmpty(target: Opened) {
  const found: string[] = [];
  for (const t of ['incidents', 'users', 'tokens'] as const) {
    if (!(await hasTable(target, t))) continue;
    const n = Number((await target.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirst())?.n ?? 0);
    if (n > 0) found.push(`${n} ${t}`);
  }
  if (found.length > 0) {
    throw new ToolError('refused', `the target database is not empty (${found.join(', ')}): migrate-db copies into an empty database only`);
  }
}
