import type { Command } from 'commander';
import type { OncallAnswer, Shift } from '../../client/index.js';
import { contextFor, type CliIo, type RunState } from '../context.js';
import { mapFields } from '../fields.js';
import { cleanLine, formatTable } from '../format.js';
import { TIME_HELP, timeParser } from '../time.js';

const sourceOf = (s: Shift) => (s.source.kind === 'layer' ? `layer ${s.source.layer}` : `override ${s.source.id}`);

const sentence = (a: OncallAnswer) =>
  a.oncall === null
    ? `Nobody is on call for ${cleanLine(a.schedule)} at ${a.at}.`
    : `${cleanLine(a.oncall.person)} is on call for ${cleanLine(a.schedule)} from ${a.oncall.startAt} until ${a.oncall.endAt} (${cleanLine(sourceOf(a.oncall))}).`;

const table = (answers: readonly OncallAnswer[]) =>
  answers.length === 0
    ? 'No schedules in the catalog.'
    : formatTable(
        ['SCHEDULE', 'ON CALL', 'FROM', 'UNTIL', 'SOURCE'],
        answers.map(({ schedule, oncall: s }) =>
          s === null ? [schedule, '-', '-', '-', '-'] : [schedule, s.person, s.startAt, s.endAt, sourceOf(s)],
        ),
      );

/** `oncall [SCHEDULE] [--at TIME]`: who the catalog's on-call schedules have on call. */
export function registerOncallCommand(program: Command, io: CliIo, state: RunState): void {
  mapFields(
    program
      .command('oncall')
      .description('who is on call: one schedule, or every schedule of the catalog')
      .argument('[schedule]', 'a catalog schedule (name or namespace/name); every schedule when left out')
      .option('--at <time>', `ask about this instant instead of now; ${TIME_HELP}`, timeParser(() => io.now())),
    { 'query.at': '--at', 'params.name': '<schedule>' },
  ).action(async (name: string | undefined, o: { at?: string }, cmd: Command) => {
    const c = contextFor(io, state, cmd);
    if (name !== undefined) {
      const answer = await c.client.getOncall(name, o.at);
      c.out(answer, () => sentence(answer));
      return;
    }
    const list = await c.client.listSchedules();
    const at = o.at;
    const items =
      at === undefined
        ? list.items.map((s): OncallAnswer => ({ schedule: s.name, at: list.at, oncall: s.oncallNow }))
        : await Promise.all(list.items.map((s) => c.client.getOncall(s.name, at)));
    const answer = { at: at === undefined ? list.at : new Date(at).toISOString(), items };
    c.out(answer, () => table(items));
  });
}
