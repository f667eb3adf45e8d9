import { Option, type Command } from 'commander';
import { ALERT_STATUSES, type AlertFilter, type AlertInfo } from '../../client/index.js';
import { contextFor, parseWhole, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';
import { cleanLine, formatAge, formatChange, formatTable, truncate } from '../format.js';
import { parseService } from '../service-arg.js';

const pairs = (m: Record<string, string>) => Object.entries(m).map(([k, v]) => `${k}=${v}`).join(', ');

const serviceOf = (a: AlertInfo) => a.service ?? (a.senderService ? `unrouted (sent as ${a.senderService})` : 'unrouted');

/** The `alerts ls` table: ID, SEVERITY, STATUS, SERVICE, INCIDENT, FIRED, SINCE, SUMMARY. */
export function formatAlertTable(rows: readonly AlertInfo[], now: Date): string {
  if (rows.length === 0) return 'No alerts.';
  return formatTable(
    ['ID', 'SEVERITY', 'STATUS', 'SERVICE', 'INCIDENT', 'FIRED', 'SINCE', 'SUMMARY'],
    rows.map((a) => [
      a.id,
      a.severity,
      a.status,
      serviceOf(a),
      a.incident ?? '-',
      `${a.occurrences}×`,
      formatAge(a.startsAt, now),
      truncate(a.summary, 60),
    ]),
  );
}

/** The `alerts show` block. */
export function formatAlert(a: AlertInfo, now: Date): string {
  const fields: [string, string][] = [
    ['status', a.status],
    ['severity', `${a.severity} · signal ${a.signal}`],
    ['service', serviceOf(a)],
    ['incident', a.incident ?? `none (attach: firebreak alerts attach ${a.id} <incident>; or declare --from-alert ${a.id})`],
    ['source', `${a.source} · ${a.dedupKey}`],
    ['started', `${a.startsAt} (${formatAge(a.startsAt, now)} ago)`],
    ...(a.endsAt ? [['ended', a.endsAt] as [string, string]] : []),
    ['fired', `${a.occurrences}× · first received ${a.firstReceivedAt} · last ${a.receivedAt}`],
    ...(a.generatorURL ? [['link', a.generatorURL] as [string, string]] : []),
    ...(Object.keys(a.labels).length ? [['labels', pairs(a.labels)] as [string, string]] : []),
    ...(Object.keys(a.annotations).length ? [['notes', pairs(a.annotations)] as [string, string]] : []),
  ];
  return [`${a.id}  ${cleanLine(a.summary)}`, ...fields.map(([k, v]) => `  ${k.padEnd(9)} ${cleanLine(v)}`)].join('\n');
}

/** `alerts ls|show|attach`: the inbox, as the web UI's Alerts page; declaring from one is `declare --from-alert`. */
export function registerAlertCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);
  const alerts = program
    .command('alerts')
    .description('the alert inbox: ls, show, attach (declare from one: declare --from-alert <alertId>)');

  mapFields(
    alerts
      .command('ls')
      .alias('list')
      .description('list alerts, newest first (every alert unless filtered; --inbox: those on no incident)')
      .addOption(new Option('--status <status>', 'firing or resolved').choices(ALERT_STATUSES))
      .option('--service <name>', 'routed to this catalog service (name or namespace/name)', parseService)
      .addOption(new Option('--incident <id>', 'linked to this incident (INC-<n> or <n>), or none').conflicts('inbox'))
      .option('--inbox', 'only alerts on no incident (--incident none)')
      .option('--dedup-key <key>', "the sender's de-duplication key")
      .option('--limit <n>', 'at most n rows', parseWhole)
      .option('--cursor <cursor>', 'continue after a previous page'),
    {
      'query.status': '--status',
      'query.service': '--service',
      'query.incident': '--incident',
      'query.dedupKey': '--dedup-key',
      'query.limit': '--limit',
      'query.cursor': '--cursor',
    },
  ).action(async (o, cmd: Command) => {
    const c = ctx(cmd);
    const page = await c.client.listAlerts({
      status: o.status as AlertFilter['status'],
      service: o.service,
      incident: o.inbox ? 'none' : o.incident,
      dedupKey: o.dedupKey,
      limit: o.limit,
      cursor: o.cursor,
    });
    c.out(page, () => {
      const table = formatAlertTable(page.items, c.now);
      return page.nextCursor ? `${table}\n(more: the same command with --cursor ${cleanLine(page.nextCursor)})` : table;
    });
  });

  mapFields(
    alerts.command('show').description('show one alert: status, service, incident, labels').argument('<alertId>', 'the alert id (see alerts ls)'),
    { 'params.id': '<alertId>' },
  ).action(async (id: string, _o, cmd: Command) => {
    const c = ctx(cmd);
    const alert = await c.client.getAlert(id);
    c.out(alert, () => formatAlert(alert, c.now));
  });

  mapFields(
    alerts
      .command('attach')
      .description('attach an alert to an open (investigating or mitigated) incident')
      .argument('<alertId>', 'the alert id (see alerts ls)')
      .argument('<incident>', 'INC-<n> or <n>'),
    { 'body.alertId': '<alertId>', 'params.id': '<incident>' },
  ).action(async (alertId: string, incident: string, _o, cmd: Command) => {
    const c = ctx(cmd);
    const inc = await c.client.attachAlert(incident, alertId);
    c.out(inc, () => formatChange(inc, `alert ${alertId} attached`));
  });
}
