import type { Command } from 'commander';
import type { AccessRole } from '../../client/index.js';
import { UsageError } from '../exit-codes.js';
import { cleanLine, formatTokenTable, formatUserTable } from '../format.js';
import { contextFor, type CliIo, type RunState } from '../context.js';

const ROLE_HELP = 'admin | responder | viewer | ingest';

/** The password never travels in argv (visible in `ps` and shell history). */
async function readPassword(io: CliIo, fromStdin: boolean): Promise<string> {
  const password = fromStdin ? (await io.readStdin()).replace(/\r?\n$/, '') : (io.env.FIREBREAK_PASSWORD ?? '');
  if (password === '') {
    throw new UsageError('give the password on stdin with --password-stdin, or in FIREBREAK_PASSWORD');
  }
  return password;
}

/** `token` and `user`: administration, admin tokens only. */
export function registerAdminCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);

  const token = program.command('token').description('API tokens (admin)');
  token
    .command('create')
    .description('create a token; its secret is printed once')
    .argument('<name>', 'what it is for, e.g. ci or alertmanager')
    .requiredOption('--role <role>', ROLE_HELP)
    .action(async (name: string, o, cmd: Command) => {
      const c = ctx(cmd);
      const created = await c.client.createToken({ name, role: o.role as AccessRole });
      c.out(created, () => created.token);
      if (!c.json) {
        io.stderr(
          `Created token ${cleanLine(created.name)} (${created.id}, role ${created.role}); the secret above is shown only once.\n`,
        );
      }
    });
  token
    .command('ls')
    .description('list tokens')
    .action(async (_o, cmd: Command) => {
      const c = ctx(cmd);
      const list = await c.client.listTokens();
      c.out(list, () => formatTokenTable(list.items));
    });
  token
    .command('revoke')
    .description('revoke a token')
    .argument('<id>', 'token id (see token ls)')
    .action(async (id: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      await c.client.revokeToken(id);
      c.out({ id, revoked: true }, () => `Revoked token ${cleanLine(id)}.`);
    });

  const user = program.command('user').description('web users (admin)');
  user
    .command('create')
    .description('create a user; password from --password-stdin or FIREBREAK_PASSWORD')
    .argument('<username>', 'the sign-in name (use the same name for incident roles)')
    .requiredOption('--role <role>', ROLE_HELP)
    .option('--password-stdin', 'read the password from standard input')
    .action(async (username: string, o, cmd: Command) => {
      const c = ctx(cmd);
      const password = await readPassword(io, Boolean(o.passwordStdin));
      const created = await c.client.createUser({ username, password, role: o.role as AccessRole });
      c.out(created, () => `Created user ${cleanLine(created.username)} (${created.role}, ${created.id}).`);
    });
  user
    .command('ls')
    .description('list users')
    .action(async (_o, cmd: Command) => {
      const c = ctx(cmd);
      const list = await c.client.listUsers();
      c.out(list, () => formatUserTable(list.items));
    });
}
