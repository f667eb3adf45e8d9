import type { Command } from 'commander';
import { UsageError } from '../exit-codes.js';
import { cleanLine } from '../format.js';
import { contextFor, type CliIo, type RunState } from '../context.js';

/** The catalog format a file name implies: .yaml/.yml or .json. */
function catalogFormatOf(path: string): 'yaml' | 'json' {
  const ext = /\.([A-Za-z]+)$/.exec(path)?.[1]?.toLowerCase();
  if (ext === 'yaml' || ext === 'yml') return 'yaml';
  if (ext === 'json') return 'json';
  throw new UsageError(`${path}: expected a .yaml, .yml or .json file`);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `catalog apply`: the architecture, validated whole by the server. */
export function registerCatalogCommands(program: Command, io: CliIo, state: RunState): void {
  const catalog = program.command('catalog').description('the service catalog');
  catalog
    .command('apply')
    .description('apply a catalog file (native firebreak/v1 or Backstage YAML, or JSON); refused whole with every error path')
    .argument('<file>', 'a .yaml, .yml or .json file')
    .action(async (file: string, _o, cmd: Command) => {
      const format = catalogFormatOf(file);
      let text: string;
      try {
        text = await io.readFile(file);
      } catch (err) {
        throw new UsageError(`cannot read ${file}: ${(err as Error).message}`);
      }
      const c = contextFor(io, state, cmd);
      const applied = await c.client.applyCatalog(text, format);
      c.out(applied, () => {
        const counts = [plural(applied.services, 'service'), plural(applied.teams, 'team'), plural(applied.systems, 'system')];
        const lines = [`Applied catalog version ${applied.version}: ${counts.join(', ')}.`];
        for (const i of applied.ignored) {
          const why = i.reason ? ` (${cleanLine(i.reason)})` : '';
          lines.push(`  ignored document ${i.document}: ${`${cleanLine(i.kind)} ${cleanLine(i.name ?? '')}`.trimEnd()}${why}`);
        }
        for (const w of applied.warnings ?? []) lines.push(`  warning: ${cleanLine(w.path)}: ${cleanLine(w.message)}`);
        if (applied.incidentsUpdated.length > 0) {
          lines.push(`Suspect deploys updated on ${applied.incidentsUpdated.map((n) => `INC-${n}`).join(', ')}.`);
        }
        return lines.join('\n');
      });
    });
}
