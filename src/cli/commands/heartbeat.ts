import { Option, type Command } from 'commander';
import type { HeartbeatInfo } from '../../client/index.js';
import { HEARTBEAT_SEVERITIES } from '../../domain/paging/heartbeat.js';
import { contextFor, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';
import { cleanLine, formatTable } from '../format.js';

const describe = (h: HeartbeatInfo) => `${cleanLine(h.name)} on ${cleanLine(h.service)} (every ${h.interval}, grace ${h.grace})`;

/** `heartbeat create|ls|rm`: dead-man's switches that raise an alert when a job stops pinging. */
export function registerHeartbeatCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);
  const heartbeat = program.command('heartbeat').description("heartbeats: an alert on a service when a job's ping is late");

  mapFields(heartbeat.command('create'), {
    'body.name': '<name>',
    'body.service': '--service',
    'body.interval': '--interval',
    'body.grace': '--grace',
    'body.severity': '--severity',
  })
    .description('create a heartbeat and print its ping URL and token, shown this once (admin)')
    .argument('<name>', "letters, digits, '.', '_' and '-': part of the ping URL")
    .requiredOption('--service <name>', 'the catalog service whose alert a miss raises')
    .requiredOption('--interval <duration>', 'how often a ping is expected: 5m, 1h30m, 1d (1m to 30d)')
    .option('--grace <duration>', 'how late a ping may be (default 1m, at most 1d)')
    .addOption(new Option('--severity <severity>', 'the alert a miss raises (default critical)').choices(HEARTBEAT_SEVERITIES))
    .action(async (name: string, o, cmd: Command) => {
      const c = ctx(cmd);
      const created = await c.client.createHeartbeat({
        name,
        service: o.service,
        interval: o.interval,
        ...(o.grace !== undefined && { grace: o.grace }),
        ...(o.severity !== undefined && { severity: o.severity }),
      });
      const pingUrl = c.onServer(created.pingUrl);
      c.out(
        created,
        () =>
          `Created heartbeat ${describe(created)}, due by ${created.dueAt}.\n` +
          `Ping URL: ${pingUrl}\nToken (shown once): ${created.token}\n` +
          `From cron: curl -fsS -m 10 --retry 3 -H "Authorization: Bearer $TOKEN" ${pingUrl}`,
      );
    });

  heartbeat
    .command('ls')
    .description('list heartbeats with their state and due time')
    .action(async (_o, cmd: Command) => {
      const c = ctx(cmd);
      const list = await c.client.listHeartbeats();
      c.out(list, () =>
        list.items.length === 0
          ? 'No heartbeats.'
          : formatTable(
              ['NAME', 'SERVICE', 'STATE', 'INTERVAL', 'GRACE', 'LAST PING', 'DUE'],
              list.items.map((h) => [h.name, h.service, h.state, h.interval, h.grace, h.lastPingAt ?? '-', h.dueAt]),
            ),
      );
    });

  heartbeat
    .command('rm')
    .description('delete a heartbeat; the alert of a miss it raised is resolved (admin)')
    .argument('<name>', 'heartbeat name (see heartbeat ls)')
    .action(async (name: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      const deleted = await c.client.deleteHeartbeat(name);
      c.out(deleted, () => `Deleted heartbeat ${describe(deleted)}.`);
    });
}
