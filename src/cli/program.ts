import { Command, CommanderError } from 'commander';
import { ClientError } from '../client/index.js';
import { registerActionsExportCommand } from './commands/actions-export.js';
import { registerAdminCommands } from './commands/admin.js';
import { registerAlertCommands } from './commands/alerts.js';
import { registerCalendarFeedCommands } from './commands/calendar-feed.js';
import { registerCatalogCommands } from './commands/catalog.js';
import { registerContactCommands } from './commands/contact.js';
import { registerDatabaseCommands } from './commands/database.js';
import { registerDemoCommand } from './commands/demo.js';
import { registerDeployCommands } from './commands/deploy.js';
import { registerFollowUpCommands } from './commands/follow-ups.js';
import { registerHeartbeatCommands } from './commands/heartbeat.js';
import { registerIntegrationCommands } from './commands/integration.js';
import { registerIncidentCommands } from './commands/incidents.js';
import { registerInsightsCommand } from './commands/insights.js';
import { registerMaintenanceCommands } from './commands/maintenance.js';
import { registerOncallCommand } from './commands/oncall.js';
import { registerReadCommands } from './commands/reads.js';
import { addGlobalOptions, copyGlobalOptions, type CliIo, type RunState } from './context.js';
import { errorMessage, exitCodeFor } from './exit-codes.js';

/** The `firebreak` command tree; nothing runs until it is parsed. */
export function buildProgram(io: CliIo, state: RunState = { json: false, tokenGiven: false }): Command {
  const program = new Command('firebreak')
    .description('Firebreak incident response: contain first, root-cause later.')
    .enablePositionalOptions()
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      outputError: (s, write) => write(`firebreak: ${s.replace(/^error: /, '')}`),
    });
  addGlobalOptions(program);

  program
    .command('serve')
    .description('run the Firebreak server (configured by environment, see docs/CONFIGURATION.md)')
    .action(async () => {
      const serve = io.serve ?? (await import('./commands/serve.js')).serve;
      await serve(io.env);
    });

  registerDatabaseCommands(program, io);
  registerIncidentCommands(program, io, state);
  registerReadCommands(program, io, state);
  registerAlertCommands(program, io, state);
  registerAdminCommands(program, io, state);
  registerCatalogCommands(program, io, state);
  registerDeployCommands(program, io, state);
  registerIntegrationCommands(program, io, state);
  registerInsightsCommand(program, io, state);
  registerMaintenanceCommands(program, io, state);
  registerHeartbeatCommands(program, io, state);
  registerOncallCommand(program, io, state);
  registerContactCommands(program, io, state);
  registerCalendarFeedCommands(program, io, state);
  registerFollowUpCommands(program, io, state);
  registerDemoCommand(program, io, state);
  // After the others: `actions export` joins an `actions` command registered above, or makes the group.
  registerActionsExportCommand(program, io, state);
  copyGlobalOptions(program);
  return program;
}

/** Runs one invocation and answers its exit code; errors become one stderr line, never a stack. */
export async function run(argv: readonly string[], cliIo: CliIo): Promise<number> {
  // One instant per invocation: `--started-at -20m --finished-at -12m` are exactly 8 minutes apart.
  const at = cliIo.now();
  const io: CliIo = { ...cliIo, now: () => at };
  const state: RunState = { json: false, tokenGiven: false };
  const program = buildProgram(io, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (err) {
    // Commander has already printed its own message.
    if (err instanceof CommanderError) return exitCodeFor(err);
    if (state.json && err instanceof ClientError) io.stdout(`${JSON.stringify(err.problem, null, 2)}\n`);
    io.stderr(`${errorMessage(err, { tokenGiven: state.tokenGiven, fields: state.fields })}\n`);
    if (io.env.FIREBREAK_DEBUG && err instanceof Error && err.stack) io.stderr(`${err.stack}\n`);
    return exitCodeFor(err);
  }
}
