import { Option, type Command } from 'commander';
import type { MaintenanceInfo, MaintenanceStatus } from '../../client/index.js';
import { contextFor, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';
import { cleanLine, formatTable, truncate } from '../format.js';
import { collectServices } from '../service-arg.js';
import { TIME_HELP, timeParser } from '../time.js';

const STATES = ['scheduled', 'in_progress', 'completed'] as const satisfies readonly MaintenanceStatus[];

const describe = (m: MaintenanceInfo) =>
  `${cleanLine(m.id)} ${cleanLine(m.title)} (${m.components.map(cleanLine).join(', ')}) ${m.startsAt} → ${m.endsAt}`;

/** `maintenance schedule|ls|cancel`: planned work on public services, shown on the status page. */
export function registerMaintenanceCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);
  const time = timeParser(() => io.now());
  const maintenance = program.command('maintenance').description('scheduled maintenance of public services, for the status page');

  mapFields(maintenance.command('schedule'), {
    'body.title': '--title',
    'body.components': '--component',
    'body.startsAt': '--starts',
    'body.endsAt': '--ends',
    'body.body': '--body',
  })
    .description('schedule a maintenance (responder)')
    .requiredOption('--title <text>', 'what the status page calls it')
    .requiredOption('--component <name>', 'a public catalog service it affects (repeatable, or comma-separated)', collectServices)
    .requiredOption('--starts <time>', `when it starts; ${TIME_HELP}`, time)
    .requiredOption('--ends <time>', `when it ends (at most 31 days after it starts); ${TIME_HELP}`, time)
    .option('--body <text>', 'what customers should expect')
    .action(async (o, cmd: Command) => {
      const c = ctx(cmd);
      const created = await c.client.scheduleMaintenance({
        title: o.title,
        components: o.component,
        startsAt: o.starts,
        endsAt: o.ends,
        ...(o.body !== undefined && { body: o.body }),
      });
      c.out(created, () => `Scheduled maintenance ${describe(created)}.`);
    });

  maintenance
    .command('ls')
    .description('list maintenances not cancelled, by start (completed: newest first)')
    .addOption(new Option('--state <state>', 'only those in this status').choices(STATES))
    .action(async (o, cmd: Command) => {
      const c = ctx(cmd);
      const list = await c.client.listMaintenances({ ...(o.state !== undefined && { state: o.state as MaintenanceStatus }) });
      c.out(list, () =>
        list.items.length === 0
          ? 'No maintenances.'
          : formatTable(
              ['ID', 'STATUS', 'STARTS', 'ENDS', 'COMPONENTS', 'TITLE'],
              list.items.map((m) => [m.id, m.status, m.startsAt, m.endsAt, m.components.join(','), truncate(m.title, 60)]),
            ),
      );
    });

  maintenance
    .command('cancel')
    .description('call a maintenance off: it leaves the status page (responder)')
    .argument('<id>', 'maintenance id (see maintenance ls)')
    .action(async (id: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      const cancelled = await c.client.cancelMaintenance(id);
      c.out(cancelled, () => `Cancelled maintenance ${describe(cancelled)}.`);
    });
}
