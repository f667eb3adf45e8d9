import { Option, type Command } from 'commander';
import { IMPACT_FACTS, type Severity, type Status } from '../../domain/incident/types.js';
import { cleanLine, cleanText, formatIncident, formatIncidentTable } from '../format.js';
import { parseService } from '../service-arg.js';
import { collect, collectUpper, contextFor, parseWhole, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';
import { registerPlaybookCommand } from './playbook.js';

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** Lists, views, reports and triage: reads that never change an incident. */
export function registerReadCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);

  mapFields(
    program
      .command('ls')
      .description('list incidents, newest first')
      .option('--status <list>', 'comma-separated: investigating,mitigated,resolved,closed,cancelled', collect)
      .option('--severity <list>', 'comma-separated: SEV1,SEV2,…', collectUpper)
      .option('--service <name>', 'only incidents affecting this service (name or namespace/name)', parseService)
      .option('--limit <n>', 'at most n rows', parseWhole)
      .option('--cursor <cursor>', 'continue after a previous page'),
    {
      'query.status': '--status',
      'query.severity': '--severity',
      'query.service': '--service',
      'query.limit': '--limit',
      'query.cursor': '--cursor',
    },
  ).action(async (o, cmd: Command) => {
    const c = ctx(cmd);
    const page = await c.client.listIncidents({
      status: o.status?.map((s: string) => s.toLowerCase()) as Status[] | undefined,
      severity: o.severity as Severity[] | undefined,
      service: o.service,
      limit: o.limit,
      cursor: o.cursor,
    });
    c.out(page, () => {
      const table = formatIncidentTable(page.items, c.now);
      return page.nextCursor ? `${table}\n(more: firebreak ls --cursor ${cleanLine(page.nextCursor)})` : table;
    });
  });

  program
    .command('show')
    .description('show one incident: status, severity, impact, roles, next gate')
    .argument('<id>', 'incident, INC-<n> or <n>')
    .action(async (id: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      const inc = await c.client.getIncident(id);
      c.out(inc, () => formatIncident(inc, c.now));
    });

  program
    .command('timeline')
    .description('print the incident timeline')
    .argument('<id>', 'incident')
    .addOption(new Option('--format <format>', 'default md; json with --json').choices(['md', 'csv', 'json']))
    .action(async (id: string, o, cmd: Command) => {
      const c = ctx(cmd);
      const format = o.format ?? (c.json ? 'json' : 'md');
      if (format === 'json') c.print(JSON.stringify(await c.client.getWholeTimeline(id), null, 2));
      else c.print(cleanText(await c.client.getTimelineText(id, format)));
    });

  registerPlaybookCommand(program, io, state);

  const triage = program.command('triage').description('suggest a severity from current user impact');
  for (const fact of IMPACT_FACTS) triage.option(`--${kebab(fact)}`, `impact fact: ${kebab(fact).replace(/-/g, ' ')}`);
  mapFields(triage, Object.fromEntries(IMPACT_FACTS.map((f) => [`body.${f}`, `--${kebab(f)}`])));
  triage.action(async (o: Record<string, boolean | undefined>, cmd: Command) => {
    const c = ctx(cmd);
    const facts = Object.fromEntries(IMPACT_FACTS.filter((f) => o[f]).map((f) => [f, true]));
    const result = await c.client.triage(facts);
    c.out(result, () => [result.severity, ...result.reasons.map((r) => `  - ${cleanLine(r)}`)].join('\n'));
  });
}
