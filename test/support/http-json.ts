import { setTimeout as sleep } from 'node:timers/promises';

/** A JSON call against a server process: the status and the parsed body (or the text when it is not JSON). */
export interface JsonAnswer<T = unknown> {
  status: number;
  body: T;
}

/** `call(method, path, body?, headers?)` against `base` with `Authorization: Bearer <token>`. */
export function jsonApi(base: string, token: string) {
  return async <T = Record<string, unknown>>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<JsonAnswer<T>> => {
    const r = await fetch(base + path, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined && { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    });
    const text = await r.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text for the failure message
    }
    return { status: r.status, body: parsed as T };
  };
}

/**
 * Polls `probe` every 100 ms until it answers something other than undefined, for at most
 * `timeoutMs`; then fails with `describe()` (what was last seen) so a timeout explains itself.
 */
export async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const got = await probe();
    if (got !== undefined) return got;
    if (Date.now() >= deadline) throw new Error(`${what}: not within ${timeoutMs} ms\n${describe()}`);
    await sleep(100);
  }
}
