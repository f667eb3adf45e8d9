import { isFirebreakError } from '../../domain/errors.js';
import { loadConfig } from '../../config.js';
import { backup, PG_BACKUP_HINT, PG_RESTORE_HINT, restore } from './backup.js';
import { describeLocation, openLocation, ToolError, type Location } from './db.js';
import { countsLine, doctor } from './doctor.js';
import { migrateDb, parseMigrateArgs } from './migrate-db.js';
import { rebuildProjections } from './rebuild.js';

export { ToolError } from './db.js';

/**
 * The commands run on the machine holding the database (docs/OPERATIONS.md, "Backups" and "Moving to
 * PostgreSQL"), configured by the server's own environment: DATABASE_URL, else FIREBREAK_DB.
 */
export interface DatabaseCommands {
  backup(file: string, opts: { force?: boolean }): Promise<void>;
  restore(file: string): Promise<void>;
  doctor(): Promise<void>;
  rebuildProjections(): Promise<void>;
  migrateDb(from: string, to: string): Promise<void>;
}

function locationOf(env: Readonly<Record<string, string | undefined>>): Location {
  try {
    const config = loadConfig({ ...env });
    return config.databaseUrl ? { engine: 'postgres', url: config.databaseUrl } : { engine: 'sqlite', path: config.sqlitePath };
  } catch (err) {
    const first = isFirebreakError(err, 'validation') ? err.details?.errors?.[0] : undefined;
    throw new ToolError('usage', first ? `config: ${first.path} ${first.message}` : `config: ${(err as Error).message}`);
  }
}

export function databaseCommands(env: Readonly<Record<string, string | undefined>>, out: (line: string) => void): DatabaseCommands {
  return {
    backup: async (file, opts) => {
      const l = locationOf(env);
      if (l.engine === 'postgres') throw new ToolError('usage', PG_BACKUP_HINT);
      out(await backup(l.path, file, opts));
    },
    restore: async (file) => {
      const l = locationOf(env);
      if (l.engine === 'postgres') throw new ToolError('usage', PG_RESTORE_HINT);
      for (const line of await restore(l.path, file)) out(line);
    },
    doctor: async () => {
      const l = locationOf(env);
      const o = await openLocation(l, { readonly: true });
      try {
        const r = await doctor(o);
        out(`database ${describeLocation(l)} (${l.engine}): schema ${r.schema.applied} of ${r.schema.latest} migrations`);
        if (Object.keys(r.counts).length > 0) out(countsLine(r.counts));
        out(`checked ${r.checked} incident(s) against their logs`);
        for (const p of r.problems) out(`problem: ${p}`);
        if (r.problems.length > 0) throw new ToolError('failed', `doctor found ${r.problems.length} problem(s) in ${describeLocation(l)}`);
        out('healthy');
      } finally {
        await o.close();
      }
    },
    rebuildProjections: async () => {
      const l = locationOf(env);
      const r = await rebuildProjections(l.engine === 'sqlite' ? l : { engine: 'postgres', open: () => openLocation(l) });
      out(`rebuilt ${r.rewritten} of ${r.incidents} incident(s) from their logs in ${r.batches} batch(es) in ${describeLocation(l)}`);
    },
    migrateDb: async (from, to) => {
      const { path, url } = parseMigrateArgs(from, to);
      const r = await migrateDb(path, url);
      const width = Math.max(...Object.keys(r.rows).map((t) => t.length));
      const num = (n: number) => String(n).padStart(8);
      out(`${'TABLE'.padEnd(width)}  ${'SQLITE'.padStart(8)}  ${'POSTGRES'.padStart(8)}`);
      for (const [t, c] of Object.entries(r.rows)) out(`${t.padEnd(width)}  ${num(c.source)}  ${num(c.target)}`);
      const total = Object.values(r.rows).reduce((s, c) => s + c.target, 0);
      out(`copied ${total} rows in ${(r.ms / 1000).toFixed(1)} s; counts match, and ${r.projections} projection(s) equal the replay of their logs on PostgreSQL`);
    },
  };
}
