import type { Command } from 'commander';
import { SEVERITIES, type Insights } from '../../client/index.js';
import type { Severity } from '../../domain/incident/types.js';
import { collectUpper, contextFor, parseWhole, type CliIo, type RunState } from '../context.js';
import { parseService } from '../service-arg.js';
import { cleanLine, formatMinutes, formatTable } from '../format.js';
import { UsageError } from '../exit-codes.js';
import { mapFields } from '../fields.js';
import { TIME_HELP, timeParser } from '../time.js';

const TOP_RESPONDERS = 5;

const percent = (share: number | null) => (share === null ? '-' : `${Math.round(share * 1000) / 10}%`);

/** The `insights` summary: window, counts, response times, postmortems, actions, responders, warnings. */
function formatInsights(r: Insights): string {
  const i = r.incidents;
  const sev = [...SEVERITIES, 'unset' as const].map((s) => `${s} ${i.bySeverity[s]}`).join(' · ');
  const status = Object.entries(i.byStatus).map(([s, n]) => `${s} ${n}`).join(' · ');
  const cfr = r.changeFailureRate;
  const pm = r.postmortems;
  const a = r.actionItems;
  const only = [r.filters.service && `service ${cleanLine(r.filters.service)}`, r.filters.severity.length > 0 && r.filters.severity.join(',')].filter(Boolean);
  const nudges = Object.entries(r.nudges.byKind).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`);
  const lines = [
    `Insights ${r.window.from} → ${r.window.to} (${r.window.days} days)${only.length > 0 ? `, only ${only.join(', ')}` : ''}`,
    '',
    `Incidents            ${i.total} (${sev}), ${i.autoDeclared} auto-declared`,
    `                     ${status}`,
    '',
    formatTable(
      ['METRIC', 'MEDIAN', 'P90', 'MEAN', 'SAMPLES'],
      (
        [
          ['MTTD', r.mttd],
          ['MTTA', r.mtta],
          ['time to mitigate', r.timeToMitigate],
          ['MTTR', r.mttr],
          ['time to restore', r.dora.timeToRestore],
        ] as const
      ).map(([name, s]) => [name, formatMinutes(s.median), formatMinutes(s.p90), formatMinutes(s.mean), String(s.samples)]),
    ),
    '',
    `Change failure rate  ${percent(cfr.rate)} (failures ${cfr.failures} ÷ succeeded deploys ${cfr.deploys})`,
    `Postmortems          ${percent(pm.punctuality)} on time: ${pm.due} due · ${pm.onTime} on time · ${pm.late} late · ${pm.overdue} overdue · ${pm.pending} pending · ${pm.skipped} skipped`,
    `Action items         ${a.open} open · ${a.overdue} overdue · ${a.done} done (${a.doneOnTime} on time)`,
    `Nudges               ${r.nudges.total}${nudges.length > 0 ? ` (${nudges.join(' · ')})` : ''}`,
    `Gate overrides       ${r.overrides.count}`,
    ...r.overrides.items.map((o) => `  ${o.incident} → ${o.to} by ${cleanLine(o.by)}: ${cleanLine(o.reason)}`),
  ];
  if (r.responders.length > 0) {
    lines.push(
      '',
      formatTable(
        ['RESPONDER', 'INCIDENTS', 'COMMANDER', 'SHARE'],
        r.responders.slice(0, TOP_RESPONDERS).map((p) => [p.person, String(p.incidents), String(p.commander), percent(p.share)]),
      ),
    );
  }
  if (r.warnings.length > 0) lines.push('', 'Warnings', ...r.warnings.map((w) => `  - ${cleanLine(w.message)}`));
  return lines.join('\n');
}

/** `firebreak insights`: response metrics over a window. */
export function registerInsightsCommand(program: Command, io: CliIo, state: RunState): void {
  const time = timeParser(() => io.now());
  const insightsCmd = program
    .command('insights')
    .description('MTTA, MTTR, postmortem punctuality, overdue actions, responder load (default: the last 30 days)')
    .option('--days <n>', 'the last n days, 1–365', parseWhole)
    .option('--from <time>', `window start (with --to); ${TIME_HELP}`, time)
    .option('--to <time>', 'window end (with --from), the same forms', time)
    .option('--service <name>', 'only incidents naming this service, and its deploys (name or namespace/name)', parseService)
    .option('--severity <list>', 'only these severities, comma-separated or repeated: SEV1,SEV2', collectUpper);
  mapFields(insightsCmd, {
    'query.days': '--days',
    'query.from': '--from',
    'query.to': '--to',
    'query.service': '--service',
    'query.severity': '--severity',
  }).action(async (o: { days?: number; from?: string; to?: string; service?: string; severity?: string[] }, cmd: Command) => {
    if (o.days !== undefined && (o.from !== undefined || o.to !== undefined)) {
      throw new UsageError('give --days or --from with --to, not both.');
    }
    const c = contextFor(io, state, cmd);
    const insights = await c.client.getInsights({
      days: o.days,
      from: o.from,
      to: o.to,
      service: o.service,
      severity: o.severity as Severity[] | undefined,
    });
    c.out(insights, () => formatInsights(insights));
  });
}
