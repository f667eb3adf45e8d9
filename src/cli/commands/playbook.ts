import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Option, type Command } from 'commander';
import { writeFilesAtomically } from '../../files.js';
import { cleanLine, cleanText } from '../format.js';
import { contextFor, type CliIo, type Context, type RunState } from '../context.js';
import { MissingError, UsageError } from '../exit-codes.js';

// Names Windows will not take as a file, whatever the extension.
const RESERVED = /^(?:con|prn|aux|nul|com\d|lpt\d)$/i;

/**
 * `<service>.md` for each name, safe on any file system: `payments/checkout` is `payments__checkout.md`
 * (a catalog name never holds `__`), anything outside letters, digits and `-_.` becomes `_`, and names
 * that would land on one file where case is ignored get `-2`, `-3`, … in catalog order.
 */
export function playbookFileNames(services: readonly string[]): string[] {
  const taken = new Set<string>();
  return services.map((name) => {
    let base = name.replace(/\//g, '__').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_') || '_';
    if (RESERVED.test(base)) base = `${base}_`;
    let file = `${base}.md`;
    for (let n = 2; taken.has(file.toLowerCase()); n++) file = `${base}-${n}.md`;
    taken.add(file.toLowerCase());
    return file;
  });
}

/** `playbook --all DIR`: every catalog service's playbook as Markdown, one file each, through the API. */
async function writeAllPlaybooks(c: Context, dir: string): Promise<void> {
  const found = await stat(dir).catch(() => null);
  if (found && !found.isDirectory()) throw new UsageError(`--all ${dir}: is a file, not a directory`);
  const { items } = await c.client.listServices();
  if (items.length === 0) throw new MissingError('the catalog has no services, so there is no playbook to write');
  const names = items.map((s) => s.name);
  const paths = playbookFileNames(names);
  const files: { path: string; body: string }[] = [];
  // One at a time: the server renders each from the catalog in force, and a failure writes nothing.
  for (const [i, name] of names.entries()) files.push({ path: paths[i] as string, body: await c.client.getServicePlaybook(name) });
  await writeFilesAtomically(dir, files);
  c.out({ dir, files: names.map((service, i) => ({ service, path: join(dir, paths[i] as string) })) }, () =>
    paths.map((p) => `wrote ${cleanLine(join(dir, p))}`).join('\n'),
  );
}

/** `playbook <id>`: the incident's live checklist; `playbook --all DIR`: every service's playbook as files. */
export function registerPlaybookCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('playbook')
    .description("print the incident's live seven-step checklist, or write every service's playbook with --all")
    .argument('[id]', 'incident')
    .addOption(new Option('--format <format>', 'default md; json with --json').choices(['md', 'json']))
    .option('--all <dir>', "write each catalog service's playbook to DIR/<service>.md")
    .action(async (id: string | undefined, o: { format?: string; all?: string }, cmd: Command) => {
      const c = contextFor(io, state, cmd);
      if (o.all !== undefined) {
        if (id !== undefined) throw new UsageError(`playbook takes an incident or --all DIR, not both (got ${id} and --all)`);
        if (o.format !== undefined) throw new UsageError('--format is for an incident checklist; --all writes Markdown');
        return writeAllPlaybooks(c, o.all);
      }
      if (id === undefined) throw new UsageError('playbook needs an incident (or --all DIR for every service)');
      const format = o.format ?? (c.json ? 'json' : 'md');
      if (format === 'json') c.print(JSON.stringify(await c.client.getPlaybook(id), null, 2));
      else c.print(cleanText(await c.client.getPlaybookText(id)));
    });
}
