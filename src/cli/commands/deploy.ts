import { InvalidArgumentError, Option, type Command } from 'commander';
import { type ConfigDelta, DEPLOY_STATUSES, type DeployInput } from '../../client/index.js';
import { cleanLine } from '../format.js';
import { parseService } from '../service-arg.js';
import { contextFor, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';
import { TIME_HELP, timeParser } from '../time.js';

/** `key=from:to`; an empty side means absent (`NEW=:on` added, `OLD=off:` removed). Split at the first `:`. */
function parseConfigDelta(value: string): ConfigDelta {
  const m = /^([^=]+)=([^:]*):(.*)$/.exec(value);
  if (!m || (m[2] === '' && m[3] === '')) throw new InvalidArgumentError('expected key=from:to (either side may be empty, not both).');
  return { key: m[1]!.trim(), from: m[2] === '' ? null : m[2]!, to: m[3] === '' ? null : m[3]! };
}

/** `deploy record`: for pipelines that just run a command. */
export function registerDeployCommands(program: Command, io: CliIo, state: RunState): void {
  const deploy = program.command('deploy').description('deploys and config changes');
  const time = timeParser(() => io.now());
  const record = deploy
    .command('record')
    .description('record a deploy; the same --external-id again updates it (started, then succeeded)')
    .requiredOption('--service <name>', 'the catalog service deployed (name or namespace/name)', parseService)
    .requiredOption('--version <version>', 'the version deployed')
    .requiredOption('--environment <env>', 'e.g. production')
    .addOption(new Option('--status <status>', 'deploy status').choices(DEPLOY_STATUSES).default('succeeded'))
    .option('--sha <sha>', 'commit SHA')
    .option('--external-id <id>', 'your pipeline run id (default: a fresh one per invocation)')
    .option('--started-at <time>', `when it started (default: now, on the server); ${TIME_HELP}`, time)
    .option('--finished-at <time>', `when it finished; ${TIME_HELP}`, time)
    .option('--previous-version <version>', 'the version it replaced')
    .option('--url <url>', 'link to the pipeline run')
    .option('--actor <name>', 'who deployed')
    .option('--config <key=from:to>', 'a config delta, split at the first ":"; repeatable', (v: string, prev: ConfigDelta[] | undefined) => [
      ...(prev ?? []),
      parseConfigDelta(v),
    ]);
  mapFields(record, {
    'body.externalId': '--external-id',
    'body.service': '--service',
    'body.environment': '--environment',
    'body.version': '--version',
    'body.status': '--status',
    'body.commitSha': '--sha',
    'body.startedAt': '--started-at',
    'body.finishedAt': '--finished-at',
    'body.previousVersion': '--previous-version',
    'body.url': '--url',
    'body.actor': '--actor',
    'body.configDeltas': '--config',
  }).action(async (o, cmd: Command) => {
    const configDeltas = (o.config as ConfigDelta[] | undefined) ?? [];
    const input: DeployInput = {
      externalId: o.externalId ?? `cli-${io.newKey()}`,
      service: o.service,
      environment: o.environment,
      version: o.version,
      status: o.status,
      ...(o.sha !== undefined && { commitSha: o.sha }),
      ...(o.startedAt !== undefined && { startedAt: o.startedAt }),
      ...(o.finishedAt !== undefined && { finishedAt: o.finishedAt }),
      ...(o.previousVersion !== undefined && { previousVersion: o.previousVersion }),
      ...(o.url !== undefined && { url: o.url }),
      ...(o.actor !== undefined && { actor: o.actor }),
      ...(configDeltas.length > 0 && { configDeltas }),
    };
    const c = contextFor(io, state, cmd);
    const d = await c.client.recordDeploy(input);
    c.out(d, () => `Recorded deploy ${cleanLine(d.externalId)}: ${cleanLine(d.service)} ${cleanLine(d.version ?? '-')} to ${cleanLine(d.environment)} (${d.status}).`);
  });
}
