import { randomBytes } from 'node:crypto';
import { after, before } from 'node:test';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { pino, type Logger } from 'pino';
import { loadConfig } from '../config.js';
import { createEgress, type Resolver } from '../egress/index.js';
import { createToken } from '../service/auth.js';
import { type AlertWorkerData, startAlertWorker } from '../service/alert-worker.js';
import type { Principal, Store } from '../service/ports.js';
import { buildApp } from './build-app.js';
import type { AppDeps } from './context.js';

const PROBLEM_TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Content Too Large',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
};

/** The problem body a test expects, without its requestId (see `problemOf`). */
export const problem = (status: number, code: string, detail: string, extra: Record<string, unknown> = {}) => ({
  type: `https://firebreak.dev/problems/${code}`,
  title: PROBLEM_TITLES[status],
  status,
  detail,
  code,
  ...extra,
});

/** The 400 a request with invalid fields gets, listing each field's error. */
export const invalidRequest = (errors: { path: string; message: string }[]) =>
  problem(400, 'validation', 'The request is not valid.', { errors });

/** A response's JSON body without its requestId, which is checked to look like one. */
export function problemOf(res: { json(): unknown }): Record<string, unknown> {
  const { requestId, ...rest } = res.json() as Record<string, unknown>;
  if (!/^req-\d+$/.test(String(requestId))) throw new Error(`no requestId in ${JSON.stringify(res.json())}`);
  return rest;
}

export type As = Principal | 'anonymous' | { token: string } | { cookie: string };

export interface TestApp {
  app: FastifyInstance;
  deps: AppDeps;
  tokens: Record<Principal, string>;
  /** Sends a request as one of the test tokens (or anonymously, or with a session cookie). */
  call(
    method: InjectOptions['method'],
    url: string,
    opts?: { as?: As; body?: unknown; headers?: Record<string, string> },
  ): Promise<LightMyRequestResponse>;
  /** Declares an incident as a responder and answers its id (`INC-<n>`) and number. */
  declare(body?: Record<string, unknown>): Promise<{ id: string; number: number; version: number }>;
}

export interface TestAppOptions {
  env?: Record<string, string>;
  log?: Logger;
  routes?: (app: FastifyInstance) => Promise<void>;
  /** The wall clock unless a test moves its own. */
  clock?: AppDeps['clock'];
  /** The store's database: alerts are then ingested on the worker thread, as main.ts does. */
  alertWorker?: AlertWorkerData['database'];
  /**
   * The egress guard's allow-list: FIREBREAK_EGRESS_ALLOW from `env` unless given (tests with a local
   * receiver pass ['127.0.0.1', 'localhost']).
   */
  egressAllow?: string[];
  /** The egress guard's DNS lookup (e.g. `internal.example` → 10.0.0.5); the system resolver unless given. */
  resolver?: Resolver;
}

/** A real app on a real store, with one token per role; for *.int.test.ts only. */
export async function testApp(store: Store, opts: TestAppOptions = {}): Promise<TestApp> {
  const run = randomBytes(4).toString('hex');
  let n = 0;
  const config = loadConfig(opts.env ?? {});
  const deps: AppDeps = {
    config,
    store,
    clock: opts.clock ?? { now: () => new Date().toISOString() },
    ids: { next: () => `t${run}-${++n}` },
    log: opts.log ?? pino({ level: 'silent' }),
    egress: createEgress({ allow: opts.egressAllow ?? config.egressAllow, resolver: opts.resolver }),
  };
  const database = opts.alertWorker;
  if (database) {
    deps.startAlertIngestor = (options) =>
      startAlertWorker({
        data: { database, options, logLevel: 'silent' },
        store,
        log: deps.log,
      });
  }
  const app = await buildApp(deps);
  if (opts.routes) await app.register(opts.routes);
  const tokens = {} as Record<Principal, string>;
  for (const role of ['admin', 'responder', 'viewer', 'ingest'] as const) {
    tokens[role] = (await createToken(deps, { name: `${role}-${run}`, role })).token;
  }

  const call: TestApp['call'] = (method, url, { as = 'responder', body, headers = {} } = {}) => {
    const auth: Record<string, string> =
      as === 'anonymous'
        ? {}
        : typeof as === 'string'
          ? { authorization: `Bearer ${tokens[as]}` }
          : 'token' in as
            ? { authorization: `Bearer ${as.token}` }
            : { cookie: as.cookie };
    return app.inject({
      method,
      url,
      headers: { ...auth, ...(body !== undefined && { 'content-type': 'application/json' }), ...headers },
      ...(body !== undefined && { payload: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
  };

  const declare: TestApp['declare'] = async (body = {}) => {
    const res = await call('POST', '/api/v1/incidents', {
      body: { title: 'Checkout fails for card payments', impact: 'Users cannot pay by card', ...body },
    });
    if (res.statusCode !== 201) throw new Error(`declare failed: ${res.statusCode} ${res.body}`);
    const json = res.json() as { id: string; number: number; version: number };
    return { id: json.id, number: json.number, version: json.version };
  };

  return { app, deps, tokens, call, declare };
}

/** Gives the enclosing describe block a fresh store and an app on it (through `set`), closed after. */
export function useTestApp(
  create: () => Promise<Store>,
  set: (store: Store, t: TestApp) => void,
  opts: () => TestAppOptions = () => ({}),
): void {
  let store: Store | undefined;
  let t: TestApp | undefined;
  before(async () => {
    store = await create();
    t = await testApp(store, opts());
    set(store, t);
  });
  after(async () => {
    await t?.app.close();
    await store?.close();
  });
}
