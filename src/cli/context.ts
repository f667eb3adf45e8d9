import { InvalidArgumentError, Option, type Command } from 'commander';
import { createClient, type Client, type CommandOptions } from '../client/index.js';
import { UsageError } from './exit-codes.js';
import { fieldsOf, mapFields, type FieldFlags } from './fields.js';

export const DEFAULT_URL = 'http://127.0.0.1:7070';

/** Everything the CLI touches outside itself, injected so tests run it in-process. */
export interface CliIo {
  /** Read once by the entry point; the CLI looks only at FIREBREAK_URL, FIREBREAK_TOKEN, FIREBREAK_PASSWORD. */
  env: Readonly<Record<string, string | undefined>>;
  stdout(text: string): void;
  stderr(text: string): void;
  readStdin(): Promise<string>;
  readFile(path: string): Promise<string>;
  /** A fresh Idempotency-Key for each invocation. */
  newKey(): string;
  /** The CLI's clock: relative times (`-15m`) and ages are resolved against it. */
  now(): Date;
  fetch?: typeof fetch;
  /** Pause before retrying a request that failed on the network or with a 5xx. */
  retryDelayMs?: number;
  /** Runs the server until it is stopped; the default imports src/main.ts. */
  serve?(env: CliIo['env']): Promise<void>;
}

/** What the error handler needs to know about the invocation that failed. */
export interface RunState {
  json: boolean;
  tokenGiven: boolean;
  /** The failing command's flags by request field, so errors name what the user typed. */
  fields?: FieldFlags;
}

interface Globals {
  url?: string;
  token?: string;
  json?: boolean;
}

const GLOBAL_OPTIONS = [
  ['--url <url>', 'server URL (env FIREBREAK_URL, default http://127.0.0.1:7070)'],
  ['--token <token>', 'bearer token (env FIREBREAK_TOKEN)'],
  ['--json', 'print the raw JSON answer'],
] as const;

const copies = new WeakSet<Option>();

/** Declares --url, --token and --json on the root program. */
export function addGlobalOptions(program: Command): void {
  for (const [flags, description] of GLOBAL_OPTIONS) program.option(flags, description);
}

/**
 * With positional options the root parses only what precedes the command, so each command
 * repeats the global options (hidden) unless it owns the name: `evidence --url` is the link.
 */
export function copyGlobalOptions(cmd: Command): void {
  for (const sub of cmd.commands) {
    for (const [flags, description] of GLOBAL_OPTIONS) {
      const option = new Option(flags, description).hideHelp();
      if (sub.options.some((o) => o.long === option.long)) continue;
      copies.add(option);
      sub.addOption(option);
    }
    copyGlobalOptions(sub);
  }
}

function globalsOf(cmd: Command): Globals {
  const lineage: Command[] = [];
  for (let c: Command | null = cmd; c; c = c.parent) lineage.unshift(c);
  const g: Record<string, unknown> = {};
  for (const c of lineage) {
    for (const o of c.options) {
      const key = o.attributeName();
      const value = c.getOptionValue(key);
      if ((c.parent === null || copies.has(o)) && value !== undefined) g[key] = value;
    }
  }
  return g as Globals;
}

/** The client, the output mode and the command headers for one action. */
export interface Context {
  client: Client;
  json: boolean;
  now: Date;
  /** Prints the raw answer with --json, else the human text. */
  out(answer: unknown, human: () => string): void;
  /** Prints text as it is (reports in md/csv/html). */
  print(text: string): void;
  /** A URL the server answered as a path alone (it knows no FIREBREAK_PUBLIC_URL), made absolute on the server this CLI talks to. */
  onServer(urlOrPath: string): string;
  commandOptions: CommandOptions;
}

/** Resolves URL, token and output mode for one action and builds its client. */
export function contextFor(io: CliIo, state: RunState, cmd: Command): Context {
  const g = globalsOf(cmd);
  const own = cmd.opts<{ ifMatch?: number; idempotencyKey?: string }>();
  const token = g.token ?? io.env.FIREBREAK_TOKEN ?? '';
  const baseUrl = g.url ?? io.env.FIREBREAK_URL ?? DEFAULT_URL;
  state.json = Boolean(g.json);
  state.tokenGiven = token !== '';
  state.fields = fieldsOf(cmd);
  let client: Client;
  try {
    client = createClient({ baseUrl, token: token || undefined, fetch: io.fetch, retryDelayMs: io.retryDelayMs });
  } catch (err) {
    throw new UsageError(`--url/FIREBREAK_URL: ${(err as Error).message}`);
  }
  const withNewline = (s: string) => (s.endsWith('\n') ? s : `${s}\n`);
  return {
    client,
    json: state.json,
    now: io.now(),
    out: (answer, human) => io.stdout(withNewline(state.json ? JSON.stringify(answer, null, 2) : human())),
    print: (text) => io.stdout(withNewline(text)),
    onServer: (urlOrPath) => new URL(urlOrPath, baseUrl).toString(),
    commandOptions: { ifMatch: own.ifMatch, idempotencyKey: own.idempotencyKey ?? io.newKey() },
  };
}

/** Commander parser for a non-negative whole number. */
export function parseWhole(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n)) throw new InvalidArgumentError('expected a whole number.');
  return n;
}

/** Commander parser for a repeatable, comma-separable option. */
export function collect(value: string, previous: string[] | undefined): string[] {
  const items = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  return [...(previous ?? []), ...items];
}

/** `collect`, upper-cased (severities). */
export const collectUpper = (value: string, previous: string[] | undefined) => collect(value.toUpperCase(), previous);

/** `--if-match` and `--idempotency-key`, accepted by every incident command; `fields` names the command's own flags. */
export function withCommandFlags(cmd: Command, fields: FieldFlags = {}): Command {
  return mapFields(cmd, { 'headers.if-match': '--if-match', 'headers.idempotency-key': '--idempotency-key', 'params.id': '<id>', ...fields })
    .option('--if-match <version>', 'refuse (exit 6) unless the incident is still at this version', parseWhole)
    .option('--idempotency-key <key>', 'replay-safe key for this write (default: a fresh random key)');
}

/** The answer's newest element, for "added Q2"-style confirmations. */
export const lastId = (items: readonly { id: string }[]) => items.at(-1)?.id ?? '?';
