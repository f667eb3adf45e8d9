// Alert ingestion: the same alerts through Firebreak's Alertmanager webhook and through a real
// Alertmanager's own POST /api/v2/alerts, both driven with undici's Pool at the same concurrency.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { Pool } from 'undici';
import { alertmanagerWebhookBody, startAlertmanager, type WebhookAlert } from '../test/support/alertmanager.js';
import { load, type LoadResult } from './lib.js';

/** Alerts per request on both sides: one Alertmanager group notification, or one API post. */
export const ALERTS_PER_REQUEST = 10;
const WARM_UP_REQUESTS = 200;

/** Throughput in alerts (`count`, `perSecond`); latencies per request of ALERTS_PER_REQUEST alerts. */
export interface AlertLoadResult extends LoadResult {
  requests: number;
}

/**
 * `total` distinct alerts (distinct label sets, so distinct fingerprints) in batches of `perRequest`.
 * A batch shares an alertname, so each batch is one Alertmanager group; `seed` goes into every
 * alertname and instance so runs (and warm-ups) against one database never share a group or an alert.
 */
export function makeAlertBatches(total: number, perRequest = ALERTS_PER_REQUEST, seed = 'bench'): WebhookAlert[][] {
  const startsAt = new Date().toISOString();
  const batches: WebhookAlert[][] = [];
  for (let first = 0; first < total; first += perRequest) {
    const b = batches.length;
    const alertname = `CheckoutLatencyHigh-${seed}-${b}`;
    batches.push(
      Array.from({ length: Math.min(perRequest, total - first) }, (_, j) => {
        const instance = `checkout-${seed}-${first + j}:8080`;
        return {
          labels: { alertname, service: 'checkout', severity: 'warning', instance },
          annotations: { summary: `p99 latency above 2s on ${instance}` },
          startsAt,
          generatorURL: `http://prometheus.bench:9090/graph?g0.expr=${encodeURIComponent(`${alertname}{instance="${instance}"}`)}`,
        };
      }),
    );
  }
  return batches;
}

interface Target {
  /** Several: requests take turns among them (instances of one service). */
  url: string | string[];
  path: string;
  headers: Record<string, string>;
  ok: (status: number) => boolean;
  /** The webhook body for one batch: Alertmanager's API takes the bare list, webhooks the envelope. */
  body: (batch: WebhookAlert[]) => string;
}

/** One receiver of the same alerts, kept running across rounds; `run` posts `requests` fresh batches. */
export interface BenchTarget {
  run(requests: number, seed: string): Promise<AlertLoadResult>;
  /** Checks the receiver kept what it was sent, then stops it. */
  stop(): Promise<void>;
}

/**
 * Posts `requests` batches of fresh alerts (bodies built before the clock starts) at `concurrency`;
 * the first refused request aborts the run with its status and body.
 */
async function drive(t: Target, pools: Pool[], requests: number, seed: string, concurrency: number): Promise<AlertLoadResult> {
  const bodies = makeAlertBatches(requests * ALERTS_PER_REQUEST, ALERTS_PER_REQUEST, seed).map(t.body);
  let failure: Error | undefined;
  const r = await load(bodies.length, concurrency, async (i) => {
    if (failure) throw failure;
    const res = await pools[i % pools.length]!.request({ method: 'POST', path: t.path, headers: t.headers, body: bodies[i] });
    const text = await res.body.text();
    if (!t.ok(res.statusCode)) {
      failure ??= new Error(`POST ${t.url}${t.path}: ${res.statusCode} ${text.slice(0, 2_000)}`);
      throw failure;
    }
  });
  const alerts = bodies.length * ALERTS_PER_REQUEST;
  return { ...r, requests: r.count, count: alerts, perSecond: alerts / r.seconds };
}

/** A target on undici's Pool (not fetch: its own cost would dominate small requests), warmed up once. */
async function target(t: Target, concurrency: number, stop: (sent: number) => Promise<void>): Promise<BenchTarget> {
  const urls = typeof t.url === 'string' ? [t.url] : t.url;
  const pools = urls.map((url) => new Pool(url, { connections: Math.ceil(concurrency / urls.length) }));
  let sent = 0;
  const run = async (requests: number, seed: string, c = concurrency) => {
    sent += requests * ALERTS_PER_REQUEST;
    return drive(t, pools, requests, seed, c);
  };
  await run(WARM_UP_REQUESTS, `${runSeed()}-warm`, 4);
  return {
    run: (requests, seed) => run(requests, seed),
    stop: async () => {
      for (const pool of pools) await pool.close();
      await stop(sent);
    },
  };
}

/** Alerts in Alertmanager's store, every state (`unprocessed` until group_wait has passed), from its own metrics. */
async function storedAlerts(url: string): Promise<number> {
  const r = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const text = await r.text();
  const states = [...text.matchAll(/^alertmanager_alerts\{state="\w+"\} (\S+)$/gm)];
  if (states.length === 0) throw new Error(`no alertmanager_alerts gauge in ${url}/metrics`);
  return states.reduce((sum, m) => sum + Number(m[1]), 0);
}

export const runSeed = () => `r${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

/**
 * The peer: a real Alertmanager with a receiver that sends nothing (alerts are stored, grouped and
 * dispatched in memory) and its production route timings, taking the alerts on its own API.
 */
export async function alertmanagerTarget(concurrency = 32): Promise<BenchTarget> {
  // Alertmanager's defaults: shorter ones would have its dispatcher flush every group during the run.
  const am = await startAlertmanager({ groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' });
  const fail = (err: unknown) => new Error(`${(err as Error).message}\nAlertmanager said:\n${am.output().slice(-4_000)}`, { cause: err });
  try {
    const t = await target(
      { url: am.url, path: '/api/v2/alerts', headers: { 'content-type': 'application/json' }, ok: (s) => s === 200, body: (b) => JSON.stringify(b) },
      concurrency,
      async (sent) => {
        try {
          const held = await storedAlerts(am.url);
          if (held !== sent) throw new Error(`Alertmanager holds ${held} alerts after ${sent} were posted`);
        } finally {
          await am.stop();
        }
      },
    );
    return {
      run: (requests, seed) => t.run(requests, seed).catch((err: unknown) => Promise.reject(fail(err))),
      stop: () => t.stop(),
    };
  } catch (err) {
    await am.stop();
    throw fail(err);
  }
}

/**
 * Firebreak: the same alerts as the webhook bodies a real Alertmanager sends, posted to a running
 * server's `/api/v1/integrations/alertmanager` with an alertmanager integration token. Any non-2xx
 * aborts the run. Given several servers' URLs, requests take turns among them. The servers are the
 * caller's to stop.
 */
export function firebreakTarget(url: string | string[], token: string, concurrency = 32): Promise<BenchTarget> {
  return target(
    {
      url,
      path: '/api/v1/integrations/alertmanager',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': 'Alertmanager/0.25.0' },
      ok: (s) => s >= 200 && s < 300,
      body: (b) => JSON.stringify(alertmanagerWebhookBody(b)),
    },
    concurrency,
    async () => {},
  );
}

/**
 * The floor: bench/floor-server.ts (Fastify and JSON.parse, nothing else) taking the same webhook
 * bodies: the most Firebreak could reach with this HTTP stack on this machine.
 */
export async function floorTarget(concurrency = 32): Promise<BenchTarget> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./floor-server.ts', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const stop = async () => {
    if (child.exitCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  };
  try {
    const [first] = (await once(child.stdout, 'data')) as [Buffer];
    return await target(
      {
        url: first.toString().trim(),
        path: '/api/v1/integrations/alertmanager',
        headers: { 'content-type': 'application/json' },
        ok: (s) => s === 200,
        body: (b) => JSON.stringify(alertmanagerWebhookBody(b)),
      },
      concurrency,
      stop,
    );
  } catch (err) {
    await stop();
    throw err;
  }
}
