import { writeFile } from 'node:fs/promises';
import { Option, type Command } from 'commander';
import { contextFor, type CliIo, type RunState } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { mapFields } from '../fields.js';
import { cleanLine, cleanText } from '../format.js';

const FORMATS = ['md', 'csv', 'jira', 'linear', 'github'] as const;
type Format = (typeof FORMATS)[number];

/** Which flag goes with which format; the server refuses the same combinations, this says so before asking. */
const FLAG_RULES = [
  { flag: '--project', key: 'project', format: 'jira', required: true, value: 'KEY' },
  { flag: '--issue-type', key: 'issueType', format: 'jira', required: false, value: 'TYPE' },
  { flag: '--team', key: 'team', format: 'linear', required: true, value: 'ID' },
] as const;

// Characters that could drive a terminal, written as JSON escapes: the bodies stay the same JSON.
const UNSAFE_IN_JSON = /(?!\n)[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const jsonEscape = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** `export <id>`: the incident's action items as a document or as issue-tracker request bodies. */
export function addActionsExportCommand(parent: Command, io: CliIo, state: RunState): Command {
  const cmd = parent
    .command('export')
    .description("export an incident's action items: a Markdown or CSV table, or Jira, Linear or GitHub create-issue bodies")
    .argument('<id>', 'incident, INC-<n> or <n>')
    .addOption(new Option('--format <format>', 'what to export as').choices(FORMATS).default('md'))
    .option('--project <key>', 'Jira project key (required with --format jira)')
    .option('--issue-type <type>', 'Jira issue type (with --format jira; default Task)')
    .option('--team <id>', 'Linear team id, a UUID (required with --format linear)')
    .option('--output <file>', 'write the export to this file instead of stdout');
  mapFields(cmd, {
    'params.id': '<id>',
    'query.format': '--format',
    'query.project': '--project',
    'query.issueType': '--issue-type',
    'query.team': '--team',
  });
  cmd.action(async (id: string, o: { format: Format; project?: string; issueType?: string; team?: string; output?: string }, c: Command) => {
    for (const rule of FLAG_RULES) {
      const given = o[rule.key] !== undefined;
      if (rule.required && !given && o.format === rule.format) {
        throw new UsageError(`--format ${rule.format} needs ${rule.flag} ${rule.value}`);
      }
      if (given && o.format !== rule.format) throw new UsageError(`${rule.flag} is only for --format ${rule.format}`);
    }
    const ctx = contextFor(io, state, c);
    const text = await ctx.client.exportActionItems(id, {
      format: o.format,
      project: o.project,
      issueType: o.issueType,
      team: o.team,
    });
    const json = o.format !== 'md' && o.format !== 'csv';
    if (o.output !== undefined) {
      await writeFile(o.output, text);
      const bodies = json ? (JSON.parse(text) as unknown[]).length : undefined;
      const what = bodies === undefined ? `the ${o.format} export` : `${bodies} ${o.format} request bod${bodies === 1 ? 'y' : 'ies'}`;
      ctx.out({ file: o.output, format: o.format, ...(bodies !== undefined && { bodies }) }, () => `wrote ${what} to ${cleanLine(o.output!)}`);
      return;
    }
    ctx.print(json ? JSON.stringify(JSON.parse(text), null, 2).replace(UNSAFE_IN_JSON, jsonEscape) : cleanText(text));
  });
  return cmd;
}

/**
 * Adds `export` to the `actions` command group, creating the group only when no `actions` command exists
 * yet (a list of action items across incidents may own it).
 */
export function registerActionsExportCommand(program: Command, io: CliIo, state: RunState): void {
  const actions =
    program.commands.find((c) => c.name() === 'actions') ??
    program.command('actions').description('action items (follow-ups): export them for an issue tracker');
  addActionsExportCommand(actions, io, state);
}
