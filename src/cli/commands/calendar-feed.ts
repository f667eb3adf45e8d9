import { Option, type Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { cleanLine, formatTable } from '../format.js';
import { contextFor, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';

/** `calendar-feed create|ls|revoke`: on-call shifts as iCalendar under secret URLs (responder). */
export function registerCalendarFeedCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);
  const feed = program.command('calendar-feed').description('on-call shifts as calendar feeds (iCalendar) under secret URLs, for calendar apps (responder)');

  feed
    .command('create')
    .description("create a feed of a schedule's shifts, or of a person's across every schedule; its URL is printed once")
    .addOption(new Option('--schedule <name>', 'a catalog schedule (name or namespace/name)').conflicts('person'))
    .addOption(new Option('--person <name>', 'a person of the catalog: a team member, a user, or someone a schedule puts on call'))
    .action(async (o: { schedule?: string; person?: string }, cmd: Command) => {
      if (o.schedule === undefined && o.person === undefined) throw new UsageError('give --schedule NAME or --person NAME');
      const kind = o.schedule !== undefined ? 'schedule' : 'person';
      mapFields(cmd, { 'body.target': `--${kind}` });
      const c = ctx(cmd);
      const created = await c.client.createCalendarFeed({ kind, target: (o.schedule ?? o.person)! });
      c.out(created, () => c.onServer(created.url));
      if (!c.json) {
        io.stderr(
          `Created calendar feed ${created.id} of ${created.kind} ${cleanLine(created.target)}; the URL above is shown only once, and anyone who has it can read the feed: subscribe to it, keep it private, revoke it if it leaks.\n`,
        );
      }
    });

  feed
    .command('ls')
    .description('list calendar feeds, revoked ones too, newest first (never their URLs)')
    .action(async (_o, cmd: Command) => {
      const c = ctx(cmd);
      const list = await c.client.listCalendarFeeds();
      c.out(list, () =>
        list.items.length === 0
          ? 'No calendar feeds.'
          : formatTable(
              ['ID', 'KIND', 'TARGET', 'CREATED', 'BY', 'REVOKED'],
              list.items.map((f) => [f.id, f.kind, f.target, f.createdAt, f.createdBy, f.revokedAt ?? '-']),
            ),
      );
    });

  feed
    .command('revoke')
    .description('revoke a calendar feed: its URL answers 404 from now on')
    .argument('<id>', 'calendar feed id (see calendar-feed ls)')
    .action(async (id: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      await c.client.revokeCalendarFeed(id);
      c.out({ id, revoked: true }, () => `Revoked calendar feed ${cleanLine(id)}.`);
    });
}
