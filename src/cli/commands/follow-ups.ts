import { Option, type Command } from 'commander';
import { ACTION_KINDS, ACTION_STATUSES, POSTMORTEM_STATES } from '../../domain/incident/types.js';
import { collect, contextFor, parseWhole, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';
import { formatTable, truncate } from '../format.js';

const list = (values: string[] | undefined) => (values === undefined ? undefined : values.join(','));
/** Repeatable and comma-separated values; the server refuses unknown ones with the list it knows. */
const values = (v: string, prev: string[] | undefined) => collect(v.toLowerCase(), prev);
/** States as users type them too: `in-review` is `in_review`. */
const states = (v: string, prev: string[] | undefined) => values(v.replace(/-/g, '_'), prev);
const day = (iso: string | null) => (iso ? iso.slice(0, 16).replace('T', ' ') : '—');

/** `postmortems` and `actions`: what is due across incidents, overdue first in mind. */
export function registerFollowUpCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);

  mapFields(
    program
      .command('postmortems')
      .description('postmortems across incidents, newest first; --overdue for those past due and unpublished')
      .option('--state <state>', `only these states (repeatable, or comma-separated): ${[...POSTMORTEM_STATES, 'missing'].join(', ')}`, states)
      .addOption(new Option('--overdue', 'only overdue ones').conflicts('notOverdue'))
      .addOption(new Option('--not-overdue', 'only those not overdue'))
      .option('--limit <n>', 'at most this many (default 100)', parseWhole),
    { 'query.state': '--state', 'query.limit': '--limit' },
  ).action(async (o, cmd: Command) => {
    const c = ctx(cmd);
    const page = await c.client.listPostmortems({
      ...(o.state !== undefined && { state: list(o.state) }),
      ...(o.overdue ? { overdue: 'true' as const } : o.notOverdue ? { overdue: 'false' as const } : {}),
      ...(o.limit !== undefined && { limit: o.limit }),
    });
    c.out(page, () =>
      page.items.length === 0
        ? 'No postmortems.'
        : formatTable(
            ['INCIDENT', 'STATE', 'DUE', 'OVERDUE', 'AUTHOR', 'REVIEWERS', 'TITLE'],
            page.items.map((p) => [
              p.incident,
              p.state.replace('_', ' '),
              day(p.dueAt),
              p.overdue ? 'yes' : '',
              p.author ?? '—',
              p.reviewers.join(',') || '—',
              truncate(p.title, 50),
            ]),
          ),
    );
  });

  mapFields(
    program
      .command('actions')
      .description('action items across incidents, earliest deadline first (or: actions export)')
      .option('--owner <name>', 'only this owner')
      .option('--state <state>', `only these states (repeatable, or comma-separated): ${ACTION_STATUSES.join(', ')}`, states)
      .option('--kind <kind>', `only these kinds (repeatable, or comma-separated): ${ACTION_KINDS.join(', ')}`, values)
      .option('--incident <id>', 'only this incident')
      .addOption(new Option('--overdue', 'only overdue ones (past due, not done)').conflicts('notOverdue'))
      .addOption(new Option('--not-overdue', 'only those not overdue'))
      .option('--limit <n>', 'at most this many (default 100)', parseWhole),
    { 'query.owner': '--owner', 'query.state': '--state', 'query.kind': '--kind', 'query.incident': '--incident', 'query.limit': '--limit' },
  ).action(async (o, cmd: Command) => {
    const c = ctx(cmd);
    const page = await c.client.listActions({
      ...(o.owner !== undefined && { owner: o.owner }),
      ...(o.state !== undefined && { state: list(o.state) }),
      ...(o.kind !== undefined && { kind: list(o.kind) }),
      ...(o.incident !== undefined && { incident: o.incident }),
      ...(o.overdue ? { overdue: 'true' as const } : o.notOverdue ? { overdue: 'false' as const } : {}),
      ...(o.limit !== undefined && { limit: o.limit }),
    });
    c.out(page, () =>
      page.items.length === 0
        ? 'No action items.'
        : formatTable(
            ['ID', 'DUE', 'OVERDUE', 'STATUS', 'KIND', 'OWNER', 'P', 'TITLE'],
            page.items.map((a) => [
              a.id,
              day(a.dueAt),
              a.overdue ? 'yes' : '',
              a.status.replace('_', ' '),
              a.kind,
              a.owner,
              a.priority,
              truncate(a.title, 60),
            ]),
          ),
    );
  });
}
