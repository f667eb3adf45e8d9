// Alert ingestion: the same alerts through Firebreak's Alertmanager webhook and through a real
// Alertmanager's own POST /api/v2/alerts, both driven with undici's Pool at the same concurrency.
import { Pool } from 'undici';
import { alertmanagerFingerprint, startAlertmanager, type PostableAlert } from '../test/support/alertmanager.js';
import { load, type LoadResult } from './lib.js';

/** Alerts per request on both sides: one Alertmanager group notification, or one API post. */
export const ALERTS_PER_REQUEST = 10;
const WARM_UP_REQUESTS = 200;
const EXTERNAL_URL = 'http://alertmanager.bench:9093';
const RECEIVER = 'firebreak';

/** An alert as both sides take it: every field set, so Alertmanager fills in nothing. */
export type BenchAlert = Required<Pick<PostableAlert, 'labels' | 'annotations' | 'startsAt' | 'generatorURL'>>;

/** Throughput in alerts (`count`, `perSecond`); latencies per request of ALERTS_PER_REQUEST alerts. */
export interface AlertLoadResult extends LoadResult {
  requests: number;
}

/**
 * `total` distinct alerts (distinct label sets, so distinct fingerprints) in batches of `perRequest`.
 * A batch shares an alertname, so each batch is one Alertmanager group; `seed` goes into every
 * alertname and instance so runs (and warm-ups) against one database never share a group or an alert.
 */
export function makeAlertBatches(total: number, perRequest = ALERTS_PER_REQUEST, seed = 'bench'): BenchAlert[][] {
  const startsAt = new Date().toISOString();
  const batches: BenchAlert[][] = [];
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

/** The labels (or annotations) every alert of the batch has with the same value, as Alertmanager computes them. */
function common(maps: Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

/**
 * The webhook body (payload version "4") a real Alertmanager grouping by alertname would send for this
 * batch: groupKey of the root route, fingerprints as Alertmanager computes them.
 */
export function alertmanagerWebhookBody(batch: BenchAlert[], receiver = RECEIVER, externalURL = EXTERNAL_URL) {
  const alertname = batch[0]?.labels.alertname ?? '';
  return {
    version: '4',
    groupKey: `{}:{alertname=${JSON.stringify(alertname)}}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver,
    groupLabels: { alertname },
    commonLabels: common(batch.map((a) => a.labels)),
    commonAnnotations: common(batch.map((a) => a.annotations)),
    externalURL,
    alerts: batch.map((a) => ({
      status: 'firing',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: a.generatorURL,
      fingerprint: alertmanagerFingerprint(a.labels),
    })),
  };
}

interface Target {
  url: string;
  path: string;
  headers: Record<string, string>;
  /** JSON bodies, built before the clock starts. */
  warmUp: string[];
  bodies: string[];
  ok: (status: number) => boolean;
  concurrency: number;
}

/** Warms up, then posts every body once; the first refused request aborts the run with its status and body. */
async function drive(t: Target): Promise<AlertLoadResult> {
  // undici's Pool, not fetch, as in run.ts: fetch's own cost would dominate small requests.
  const pool = new Pool(t.url, { connections: t.concurrency });
  let failure: Error | undefined;
  const post = async (body: string | undefined) => {
    if (failure) throw failure;
    const r = await pool.request({ method: 'POST', path: t.path, headers: t.headers, body });
    const text = await r.body.text();
    if (!t.ok(r.statusCode)) {
      failure ??= new Error(`POST ${t.url}${t.path}: ${r.statusCode} ${text.slice(0, 2_000)}`);
      throw failure;
    }
  };
  try {
    await load(t.warmUp.length, Math.min(t.concurrency, 4), (i) => post(t.warmUp[i]));
    const r = await load(t.bodies.length, t.concurrency, (i) => post(t.bodies[i]));
    const alerts = t.bodies.length * ALERTS_PER_REQUEST;
    return { ...r, requests: r.count, count: alerts, perSecond: alerts / r.seconds };
  } finally {
    await pool.close();
  }
}

/** Alerts in Alertmanager's store, every state (`unprocessed` until group_wait has passed), from its own metrics. */
async function storedAlerts(url: string): Promise<number> {
  const r = await fetch(`${url}/metrics`, { signal: AbortSignal.timeout(10_000) });
  const text = await r.text();
  const states = [...text.matchAll(/^alertmanager_alerts\{state="\w+"\} (\S+)$/gm)];
  if (states.length === 0) throw new Error(`no alertmanager_alerts gauge in ${url}/metrics`);
  return states.reduce((sum, m) => sum + Number(m[1]), 0);
}

const runSeed = () => `r${Date.now().toString(36)}`;

/**
 * The peer: a real Alertmanager with a receiver that sends nothing (alerts are stored, grouped and
 * dispatched in memory) and its production route timings, taking `requests` posts of 10 alerts each.
 */
export async function benchAlertmanagerPeer(opts: { requests: number; concurrency?: number; seed?: string }): Promise<AlertLoadResult> {
  const { requests, concurrency = 32, seed = runSeed() } = opts;
  const warmUp = makeAlertBatches(Math.min(WARM_UP_REQUESTS, requests) * ALERTS_PER_REQUEST, ALERTS_PER_REQUEST, `${seed}-warm`);
  const batches = makeAlertBatches(requests * ALERTS_PER_REQUEST, ALERTS_PER_REQUEST, seed);
  // Alertmanager's defaults: shorter ones would have its dispatcher flush every group during the run.
  const am = await startAlertmanager({ groupWait: '30s', groupInterval: '5m', repeatInterval: '4h' });
  try {
    const result = await drive({
      url: am.url,
      path: '/api/v2/alerts',
      headers: { 'content-type': 'application/json' },
      warmUp: warmUp.map((b) => JSON.stringify(b)),
      bodies: batches.map((b) => JSON.stringify(b)),
      ok: (s) => s === 200,
      concurrency,
    });
    const sent = (warmUp.length + batches.length) * ALERTS_PER_REQUEST;
    const held = await storedAlerts(am.url);
    if (held !== sent) throw new Error(`Alertmanager holds ${held} alerts after ${sent} were posted`);
    return result;
  } catch (err) {
    throw new Error(`${(err as Error).message}\nAlertmanager said:\n${am.output().slice(-4_000)}`, { cause: err });
  } finally {
    await am.stop();
  }
}

/**
 * Firebreak: the same alerts as Alertmanager webhook bodies, posted to a running server's
 * `/api/v1/integrations/alertmanager` with an alertmanager integration token (from
 * `POST /api/v1/integrations {type:'alertmanager', name}`). Any non-2xx aborts the run.
 */
export async function benchFirebreakWebhook(opts: {
  url: string;
  token: string;
  requests: number;
  concurrency?: number;
  seed?: string;
}): Promise<AlertLoadResult> {
  const { url, token, requests, concurrency = 32, seed = runSeed() } = opts;
  const body = (b: BenchAlert[]) => JSON.stringify(alertmanagerWebhookBody(b));
  const warmUp = makeAlertBatches(Math.min(WARM_UP_REQUESTS, requests) * ALERTS_PER_REQUEST, ALERTS_PER_REQUEST, `${seed}-warm`);
  const batches = makeAlertBatches(requests * ALERTS_PER_REQUEST, ALERTS_PER_REQUEST, seed);
  return drive({
    url,
    path: '/api/v1/integrations/alertmanager',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}`, 'user-agent': 'Alertmanager/0.25.0' },
    warmUp: warmUp.map(body),
    bodies: batches.map(body),
    ok: (s) => s >= 200 && s < 300,
    concurrency,
  });
}
