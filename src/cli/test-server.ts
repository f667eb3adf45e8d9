import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { before } from 'node:test';
import { useTestApp, type TestApp } from '../http/test-app.js';
import type { Principal, Store } from '../service/ports.js';
import type { TestAdapter } from '../store/test-adapters.js';
import { runCli } from './test-cli.js';

/** Whose token a CLI run sends: one of the test app's roles, or a token of its own. */
export type CliAs = Principal | { token: string };

export interface CliServerOptions {
  /** The one fixed instant the server's clock and the CLI's `now` share. */
  now: Date;
  /** A catalog (YAML) applied as admin once the app listens. */
  catalog?: string;
  /** The egress guard's allow-list (tests with a local receiver pass ['127.0.0.1']). */
  egressAllow?: string[];
  /** Whose token `fb` sends when a run does not say; responder unless given. */
  as?: Principal;
}

export interface CliServer {
  readonly t: TestApp;
  readonly store: Store;
  /** The app's address, `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Applies a catalog (YAML) as admin, asserting it is accepted. */
  applyCatalog(yaml: string): Promise<void>;
  /** Runs the CLI in-process against the listening app, with real fetch and fresh idempotency keys. */
  fb(argv: string[], as?: CliAs): ReturnType<typeof runCli>;
}

/**
 * Gives the enclosing describe block a real app on a fresh store, listening on 127.0.0.1, for the CLI to
 * talk to over HTTP; for *.int.test.ts only. `t`, `store` and `url` are there from the first test (or a
 * later `before`) on.
 */
export function useCliServer(adapter: TestAdapter, opts: CliServerOptions): CliServer {
  const { now, catalog, egressAllow, as: defaultAs = 'responder' } = opts;
  const clock = { now: () => now.toISOString() };
  let t: TestApp | undefined;
  let store: Store | undefined;
  let url: string | undefined;
  useTestApp(
    () => adapter.create(),
    (s, app) => {
      store = s;
      t = app;
    },
    () => ({ clock, ...(egressAllow && { egressAllow }) }),
  );
  const ready = <T>(value: T | undefined, name: string): T => {
    if (value === undefined) throw new Error(`useCliServer: ${name} is not there before the app listens`);
    return value;
  };
  const server: CliServer = {
    get t() {
      return ready(t, 't');
    },
    get store() {
      return ready(store, 'store');
    },
    get url() {
      return ready(url, 'url');
    },
    applyCatalog: async (yaml) => {
      const res = await server.t.call('PUT', '/api/v1/catalog', { as: 'admin', body: yaml, headers: { 'content-type': 'application/yaml' } });
      assert.equal(res.statusCode, 200, res.body);
    },
    fb: (argv, as = defaultAs) =>
      runCli(argv, [], {
        env: { FIREBREAK_URL: server.url, FIREBREAK_TOKEN: typeof as === 'string' ? server.t.tokens[as] : as.token },
        fetch: globalThis.fetch,
        now: () => now,
        newKey: randomUUID,
      }),
  };
  before(async () => {
    const app = server.t.app;
    await app.listen({ host: '127.0.0.1', port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    if (catalog !== undefined) await server.applyCatalog(catalog);
  });
  return server;
}
