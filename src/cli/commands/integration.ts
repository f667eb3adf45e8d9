import { Option, type Command } from 'commander';
import { INTEGRATION_TYPES, type IntegrationType } from '../../client/index.js';
import { UsageError } from '../exit-codes.js';
import { cleanLine, formatTable } from '../format.js';
import { contextFor, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';

/** `integration create|ls|revoke`: sender credentials (admin). */
export function registerIntegrationCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);
  const integration = program.command('integration').description('sender credentials: Alertmanager, Grafana, PagerDuty, Opsgenie, GitHub, generic (admin)');

  mapFields(integration.command('create'), { 'body.type': '--type', 'body.name': '--name', 'body.secret': '--secret-stdin' })
    .description('create a sender credential; it is printed once')
    .addOption(new Option('--type <type>', 'the sender').choices(INTEGRATION_TYPES).makeOptionMandatory())
    .requiredOption('--name <name>', 'what it is for, e.g. prod-alertmanager')
    // Never in argv: visible in `ps` and shell history.
    .option('--secret-stdin', 'read the HMAC secret (github, grafana; at least 65 bytes) from standard input')
    .action(async (o, cmd: Command) => {
      let secret: string | undefined;
      if (o.secretStdin) {
        secret = (await io.readStdin()).replace(/\r?\n$/, '');
        if (secret === '') throw new UsageError('--secret-stdin: standard input was empty');
      }
      const c = ctx(cmd);
      const created = await c.client.createIntegration({ type: o.type as IntegrationType, name: o.name, ...(secret !== undefined && { secret }) });
      const credential = created.token ?? created.routingKey ?? created.apiKey ?? created.secret ?? '';
      c.out(created, () => credential);
      if (!c.json) {
        const what = created.token ? 'bearer token' : created.routingKey ? 'routing key' : created.apiKey ? 'API key' : 'HMAC secret';
        io.stderr(
          `Created ${created.type} integration ${cleanLine(created.name)} (${created.id}); the ${what} above is shown only once. Endpoints: ${created.endpoints.join(', ')}\n`,
        );
      }
    });

  integration
    .command('ls')
    .description('list integrations (never their credentials)')
    .action(async (_o, cmd: Command) => {
      const c = ctx(cmd);
      const list = await c.client.listIntegrations();
      c.out(list, () =>
        list.items.length === 0
          ? 'No integrations.'
          : formatTable(
              ['ID', 'TYPE', 'NAME', 'CREATED', 'REVOKED', 'ENDPOINTS'],
              list.items.map((i) => [i.id, i.type, i.name, i.createdAt, i.revokedAt ?? '-', i.endpoints.join(' ')]),
            ),
      );
    });

  integration
    .command('revoke')
    .description('revoke an integration: its credential is refused from now on')
    .argument('<id>', 'integration id (see integration ls)')
    .action(async (id: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      await c.client.revokeIntegration(id);
      c.out({ id, revoked: true }, () => `Revoked integration ${cleanLine(id)}.`);
    });
}
