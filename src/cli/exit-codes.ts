import { CommanderError } from 'commander';
import { ClientError, ServerUnreachableError } from '../client/index.js';
import { flagOfPath, withFlagNames, type FieldFlags } from './fields.js';
import { cleanLine } from './format.js';

/** Exit codes scripts can rely on (docs/CLI.md). */
export const EXIT_CODES = {
  ok: 0,
  unexpected: 1,
  usage: 2,
  validation: 3,
  unauthorized: 4,
  notFound: 5,
  conflict: 6,
  gateUnmet: 7,
  unreachable: 8,
  actionFailed: 9,
} as const;

export type ExitCode = (typeof EXIT_CODES)[keyof typeof EXIT_CODES];

/** Wrong use of the CLI itself, found before any request: exits 2 like commander's own errors. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** What a command needs from the server is not there, found before any change (no suggested commander): exits 5 like a not-found answer. */
export class MissingError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingError';
  }
}

/** The server recorded the request, but what it set off did not happen (a lever's webhook failed or was refused): exits 9. */
export class ActionFailedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionFailedError';
  }
}

const BY_CODE: Record<string, ExitCode> = {
  validation: EXIT_CODES.validation,
  too_large: EXIT_CODES.validation,
  unauthorized: EXIT_CODES.unauthorized,
  forbidden: EXIT_CODES.unauthorized,
  not_found: EXIT_CODES.notFound,
  conflict: EXIT_CODES.conflict,
  gate_unmet: EXIT_CODES.gateUnmet,
};

const BY_STATUS: Record<number, ExitCode> = {
  400: EXIT_CODES.validation,
  401: EXIT_CODES.unauthorized,
  403: EXIT_CODES.unauthorized,
  404: EXIT_CODES.notFound,
  409: EXIT_CODES.conflict,
  413: EXIT_CODES.validation,
  422: EXIT_CODES.gateUnmet,
};

/** The exit code for anything a command may throw. */
export function exitCodeFor(err: unknown): ExitCode {
  if (err instanceof CommanderError) return err.exitCode === 0 ? EXIT_CODES.ok : EXIT_CODES.usage;
  if (err instanceof UsageError) return EXIT_CODES.usage;
  if (err instanceof ActionFailedError) return EXIT_CODES.actionFailed;
  if (err instanceof MissingError) return EXIT_CODES.notFound;
  if (err instanceof ServerUnreachableError) return EXIT_CODES.unreachable;
  if (err instanceof ClientError) return BY_CODE[err.code] ?? BY_STATUS[err.status] ?? EXIT_CODES.unexpected;
  return EXIT_CODES.unexpected;
}

const stripDot = (s: string) => cleanLine(s).trim().replace(/[.:]+$/, '');

/**
 * What the user reads on stderr: the first line says it all; a refused gate lists each criterion below it.
 * `fields` (the failing command's) turns API field names into the flags the user typed.
 */
export function errorMessage(err: unknown, hints: { tokenGiven?: boolean; fields?: FieldFlags } = {}): string {
  if (err instanceof UsageError || err instanceof MissingError || err instanceof ActionFailedError) return `firebreak: ${cleanLine(err.message)}`;
  if (err instanceof ServerUnreachableError) {
    return `firebreak: ${cleanLine(err.message)}: is it running? (set FIREBREAK_URL or --url)`;
  }
  if (!(err instanceof ClientError)) {
    const message = err instanceof Error ? err.message : String(err);
    return `firebreak: unexpected error: ${cleanLine(message)}`;
  }
  const fields = hints.fields ?? {};
  const said = (text: string) => cleanLine(withFlagNames(text, fields));
  const detail = stripDot(said(err.detail));
  switch (err.code) {
    case 'gate_unmet': {
      if (err.unmet.length === 0) return `firebreak: ${detail}`;
      const first = `firebreak: ${detail}: ${err.unmet.map((u) => cleanLine(u.code)).join(', ')}`;
      return [first, ...err.unmet.map((u) => `  ${cleanLine(u.code)}: ${said(u.message)}`)].join('\n');
    }
    case 'validation': {
      if (err.errors.length === 0) return `firebreak: ${detail}`;
      const list = err.errors.map((e) => (e.path ? `${cleanLine(flagOfPath(e.path, fields))} ${said(e.message)}` : said(e.message)));
      return `firebreak: ${detail}: ${list.join('; ')}`;
    }
    case 'conflict': {
      const v = err.currentVersion;
      const known = v === undefined || detail.includes(`version ${v}`);
      return `firebreak: ${detail}${known ? '' : ` (current version ${v})`}`;
    }
    case 'unauthorized':
      return `firebreak: ${detail}${hints.tokenGiven ? '' : ' (set FIREBREAK_TOKEN or --token)'}`;
    default:
      return `firebreak: ${detail}${err.status >= 500 && err.requestId ? ` (request ${err.requestId})` : ''}`;
  }
}
