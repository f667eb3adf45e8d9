import type { CliIo } from './context.js';
import { run } from './program.js';

/** One request the CLI sent: `text` is the body as sent, `body` the same parsed as JSON (undefined when it is not JSON). */
export interface Sent {
  origin: string;
  method: string;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  text: string | undefined;
  body: unknown;
}

/** A scripted answer: JSON (a problem from 400 on), text of a media type, or a network error. */
export type Answer = { status?: number; json?: unknown; text?: string; type?: string } | Error;

const NOW = new Date('2026-03-01T12:00:00.000Z');

const jsonOrUndefined = (text: string | undefined): unknown => {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
};

/** Runs the CLI in-process against a scripted fetch; answers are used in order, the last one repeats. */
export async function runCli(argv: string[], answers: Answer[], io: Partial<CliIo> = {}) {
  const sent: Sent[] = [];
  let stdout = '';
  let stderr = '';
  let i = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const text = typeof init?.body === 'string' ? init.body : undefined;
    sent.push({
      origin: url.origin,
      method: init?.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...(init?.headers as Record<string, string>) },
      text,
      body: jsonOrUndefined(text),
    });
    const a = answers[Math.min(i++, answers.length - 1)]!;
    if (a instanceof Error) throw a;
    const status = a.status ?? 200;
    if (status === 204) return new Response(null, { status });
    const body = a.text ?? JSON.stringify(a.json);
    const type = a.type ?? (a.text !== undefined ? 'text/markdown' : status >= 400 ? 'application/problem+json' : 'application/json');
    return new Response(body, { status, headers: { 'content-type': type } });
  };
  const code = await run(argv, {
    env: { FIREBREAK_URL: 'http://fb.test:7070', FIREBREAK_TOKEN: 'tok-123' },
    stdout: (s) => void (stdout += s),
    stderr: (s) => void (stderr += s),
    readStdin: async () => '',
    readFile: async () => {
      throw new Error('ENOENT: no such file');
    },
    newKey: () => 'key-1',
    now: () => NOW,
    fetch: fetch as typeof globalThis.fetch,
    retryDelayMs: 0,
    ...io,
  });
  return { code, sent, stdout, stderr, last: sent.at(-1) };
}
