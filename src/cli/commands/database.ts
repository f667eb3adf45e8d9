import type { Command } from 'commander';
import { ClientError } from '../../client/index.js';
import type { CliIo } from '../context.js';
import { MissingError, UsageError } from '../exit-codes.js';

type Tools = typeof import('../../store/tools/index.js');

/**
 * The commands run on the machine that holds the database, configured by the server's environment
 * (DATABASE_URL, else FIREBREAK_DB): backup, restore, doctor, rebuild-projections, migrate-db. Like
 * `serve`, they load the store code only when run (lint lets this file and serve.ts import it).
 */
export function registerDatabaseCommands(program: Command, io: CliIo): void {
  const run = async (fn: (c: ReturnType<Tools['databaseCommands']>) => Promise<void>) => {
    const tools: Tools = await import('../../store/tools/index.js');
    try {
      await fn(tools.databaseCommands(io.env, (line) => io.stdout(`${line}\n`)));
    } catch (err) {
      if (!(err instanceof tools.ToolError)) throw err;
      // One line, and the exit code of its kind (docs/CLI.md, "Database commands").
      if (err.kind === 'usage') throw new UsageError(err.message);
      if (err.kind === 'missing') throw new MissingError(err.message);
      throw new ClientError(err.kind === 'refused' ? 409 : 500, { code: err.kind === 'refused' ? 'conflict' : 'internal', detail: err.message });
    }
  };

  program
    .command('backup')
    .description('copy the SQLite database while the server runs (on this machine; PostgreSQL: pg_dump)')
    .argument('<file>', 'the copy to write')
    .option('--force', 'replace FILE if it exists')
    .action((file: string, o: { force?: boolean }) => run((c) => c.backup(file, { force: o.force === true })));

  program
    .command('restore')
    .description('replace the SQLite database with a backup, then migrate it (the server must be stopped)')
    .argument('<file>', 'a backup made by firebreak backup')
    .action((file: string) => run((c) => c.restore(file)));

  program
    .command('doctor')
    .description('check the database: schema, every projection against its log, the read model, counts')
    .action(() => run((c) => c.doctor()));

  program
    .command('rebuild-projections')
    .description('re-project every incident from its log and rewrite projections and read model (SQLite: server stopped)')
    .action(() => run((c) => c.rebuildProjections()));

  program
    .command('migrate-db')
    .description('copy a whole SQLite database into an empty PostgreSQL database (writers stopped)')
    .requiredOption('--from <sqlite:FILE>', 'the SQLite database, as sqlite:PATH')
    .requiredOption('--to <url>', 'the PostgreSQL database, postgres://…')
    .action((o: { from: string; to: string }) => run((c) => c.migrateDb(o.from, o.to)));
}
