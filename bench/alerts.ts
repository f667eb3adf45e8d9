// Alert ingestion on SQLite and PostgreSQL: Firebreak's Alertmanager webhook against a real Alertmanager's own
// POST /api/v2/alerts in the same run (same alerts, 10 a request, 32 connections), then an alert
// storm of 100,000 alerts over 5,000 dedup keys. Every Firebreak alert is committed before its 2xx.
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { Pool } from 'undici';
import { parseCatalogYaml, validateCatalog } from '../src/domain/catalog/index.js';
import { EXAMPLE_CATALOG_YAML } from '../src/domain/catalog/catalog.fixture.js';
import { createIntegration } from '../src/service/integrations.js';
import { createEgress } from '../src/egress/index.js';
import { type ServerProcess, startServerProcess } from '../test/e2e/server.js';
import { alertmanagerWebhookBody } from '../test/support/alertmanager.js';
import {
  ALERTS_PER_REQUEST,
  type AlertLoadResult,
  alertmanagerTarget,
  type BenchTarget,
  firebreakTarget,
  floorTarget,
  runSeed,
} from './alertmanager.js';
import { type BenchDb, benchDbs } from './engines.js';
import { cpuSeconds, load, median, postgresCpuSeconds, table } from './lib.js';

type Row = Record<string, string | number>;
const silent = { info() {}, warn() {}, error() {} };

/** A scratch database with an alertmanager integration (and optionally the catalog) in it. */
async function prepare(db: BenchDb, withCatalog: boolean) {
  const store = await db.open();
  await store.migrate();
  let i = 0;
  const deps = { store, clock: { now: () => new Date().toISOString() }, ids: { next: () => `bench-${++i}` }, log: silent, egress: createEgress({ allow: [] }) };
  const { token } = await createIntegration(deps, { type: 'alertmanager', name: 'bench' });
  if (withCatalog) {
    const catalog = validateCatalog(parseCatalogYaml(EXAMPLE_CATALOG_YAML));
    await store.transaction((tx) => tx.saveCatalog(catalog, 'bench', deps.clock.now()));
  }
  await store.close();
  return token!;
}

// Sparse enough that the sampling costs the database little of the CPU the rounds compete for.
const SAMPLE_EVERY_MS = 25;

/**
 * Samples the database's client backends every SAMPLE_EVERY_MS while a round runs: how often at least
 * one is waiting on a heavyweight lock (a row, a tuple, or the NOTIFY queue's database-wide lock).
 */
async function lockWaits(url: string): Promise<{ stop(): Promise<{ samples: number; locked: number }> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let samples = 0;
  let locked = 0;
  let stopped = false;
  const sampling = (async () => {
    while (!stopped) {
      const { rows } = await client.query<{ n: string }>(
        "select count(*) as n from pg_stat_activity where datname = current_database() and pid <> pg_backend_pid() and wait_event_type = 'Lock'",
      );
      samples++;
      if (Number(rows[0]?.n) > 0) locked++;
      await new Promise((resolve) => setTimeout(resolve, SAMPLE_EVERY_MS));
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      await sampling;
      await client.end();
      return { samples, locked };
    },
  };
}

/** The server's peak resident memory (VmHWM) in MB, from /proc. */
function peakRssMb(pid: number): number {
  const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}


/**
 * Firebreak's webhook on SQLite, on PostgreSQL with one instance and with two on one database,
 * Alertmanager's API and the floor (Fastify + JSON.parse), with the same alerts, all running at once
 * and driven in turns, `rounds` rounds of `requests / rounds`: the machine's drift (it is noisy) then
 * falls on all alike. Throughput and latencies are medians over rounds, and each ratio is the median
 * of the per-round ratios.
 */
export async function benchWebhookAgainstPeer(requests: number, rounds = 5): Promise<Row[]> {
  const dbs = await benchDbs('alerts');
  const servers: ServerProcess[] = [];
  const targets: { engine: string; name: string; target: BenchTarget; pids: number[]; url?: string }[] = [];
  const webhook = 'Firebreak Alertmanager webhook, durable';
  try {
    for (const db of dbs) {
      const token = await prepare(db, false);
      const first = await startServerProcess(db.env);
      servers.push(first);
      targets.push({ engine: db.name, name: webhook, target: await firebreakTarget(first.url, token), pids: [first.pid], url: db.env.DATABASE_URL });
      if (db.name === 'postgres') {
        const second = await startServerProcess(db.env);
        servers.push(second);
        targets.push({
          engine: db.name,
          name: `${webhook}, two instances on one database`,
          target: await firebreakTarget([first.url, second.url], token),
          pids: [first.pid, second.pid],
          url: db.env.DATABASE_URL,
        });
      }
    }
    targets.push({ engine: '-', name: 'Alertmanager 0.25 POST /api/v2/alerts, in memory', target: await alertmanagerTarget(), pids: [] });
    targets.push({ engine: '-', name: 'floor: Fastify + JSON.parse of the same bodies, nothing else', target: await floorTarget(), pids: [] });
    const per = Math.ceil(requests / rounds);
    const results = targets.map(() => [] as AlertLoadResult[]);
    const cpu = targets.map(() => ({ server: 0, postgres: 0, client: 0, wall: 0, alerts: 0, samples: 0, locked: 0 }));
    for (let r = 0; r < rounds; r++) {
      for (const [i, t] of targets.entries()) {
        const sampler = t.url ? await lockWaits(t.url) : undefined;
        const pgCpu = () => (t.engine === 'postgres' ? postgresCpuSeconds() : 0);
        const [server, postgres, client] = [cpuSeconds(t.pids), pgCpu(), process.cpuUsage()];
        const result = await t.target.run(per, `${runSeed()}-${r}`);
        results[i]!.push(result);
        const c = cpu[i]!;
        const waits = await sampler?.stop();
        c.samples += waits?.samples ?? 0;
        c.locked += waits?.locked ?? 0;
        c.server += cpuSeconds(t.pids) - server;
        c.postgres += pgCpu() - postgres;
        const used = process.cpuUsage(client);
        c.client += (used.user + used.system) / 1e6;
        c.wall += result.seconds;
        c.alerts += result.count;
      }
    }
    // Where the time goes: CPU per 1,000 alerts of each Firebreak process, of PostgreSQL (every backend),
    // and of this load generator, beside the wall time; the machine has 2 cores.
    const perK = (x: number, alerts: number) => (x * 1e6) / alerts;
    console.log(
      `\nAlert webhook: where the time goes (CPU ms per 1,000 alerts, summed over ${rounds} rounds)\n\n${table(
        targets.flatMap((t, i) =>
          t.pids.length === 0
            ? []
            : [
                {
                  engine: t.engine,
                  target: t.name.replace(`${webhook}, `, '').replace(webhook, 'one instance'),
                  'wall ms': perK(cpu[i]!.wall, cpu[i]!.alerts),
                  'Firebreak CPU ms': perK(cpu[i]!.server, cpu[i]!.alerts),
                  'PostgreSQL CPU ms': t.engine === 'postgres' ? perK(cpu[i]!.postgres, cpu[i]!.alerts) : '-',
                  'load generator CPU ms': perK(cpu[i]!.client, cpu[i]!.alerts),
                  'a writer waits on a lock': t.url ? `${((100 * cpu[i]!.locked) / Math.max(1, cpu[i]!.samples)).toFixed(1)}% of ${cpu[i]!.samples} samples` : '-',
                },
              ],
        ),
      )}\n`,
    );
    const of = (engine: string, name: string) => results[targets.findIndex((t) => t.engine === engine && t.name === name)];
    const row = (t: (typeof targets)[number], rs: AlertLoadResult[]): Row => ({
      engine: t.engine,
      metric: `${t.name}: ${rounds}×${per} requests of ${ALERTS_PER_REQUEST} alerts (c=32), alerts/s`,
      count: rs.reduce((n, x) => n + x.count, 0),
      'per s': median(rs.map((x) => x.perSecond)),
      'p50 ms': median(rs.map((x) => x.p50)),
      'p99 ms': median(rs.map((x) => x.p99)),
    });
    const ratio = (engine: string, metric: string, a: AlertLoadResult[] | undefined, b: AlertLoadResult[] | undefined): Row[] =>
      a && b
        ? [
            {
              engine,
              metric,
              count: rounds,
              'per s': median(a.map((x, i) => x.perSecond / b[i]!.perSecond)),
              'p50 ms': median(a.map((x, i) => x.p50 / b[i]!.p50)),
              'p99 ms': median(a.map((x, i) => x.p99 / b[i]!.p99)),
            },
          ]
        : [];
    const peer = of('-', 'Alertmanager 0.25 POST /api/v2/alerts, in memory');
    return [
      ...targets.map((t, i) => row(t, results[i]!)),
      ...ratio('sqlite', 'ratio Firebreak / Alertmanager (alerts/s)', of('sqlite', webhook), peer),
      ...ratio('postgres', 'ratio Firebreak / Alertmanager (alerts/s)', of('postgres', webhook), peer),
      ...ratio('postgres', 'ratio PostgreSQL / SQLite (alerts/s)', of('postgres', webhook), of('sqlite', webhook)),
      ...ratio('postgres', 'ratio two instances / one (alerts/s)', of('postgres', `${webhook}, two instances on one database`), of('postgres', webhook)),
      ...ratio('-', 'ratio floor / Alertmanager (alerts/s): the most this HTTP stack allows here', of('-', 'floor: Fastify + JSON.parse of the same bodies, nothing else'), peer),
    ];
  } finally {
    for (const t of targets) await t.target.stop();
    for (const s of servers) await s.stop();
    for (const db of dbs) await db.drop();
  }
}

/**
 * An alert storm: `total` alerts over `keys` dedup keys of the tier-1 service checkout, critical,
 * as Alertmanager webhooks of 10. Each round re-fires every key with a newer startsAt, so the
 * first declares one incident and every later alert attaches to it or counts an occurrence.
 */
export async function benchStorm(total: number, keys: number): Promise<Row[]> {
  const rows: Row[] = [];
  for (const db of await benchDbs('storm')) {
    try {
      rows.push(await stormOn(db, total, keys));
    } finally {
      await db.drop();
    }
  }
  return rows;
}

async function stormOn(db: BenchDb, total: number, keys: number): Promise<Row> {
  const token = await prepare(db, true);
  const server = await startServerProcess(db.env);
  const pool = new Pool(server.url, { connections: 32 });
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  try {
    const base = Date.now() - 3_600_000;
    const requests = Math.ceil(total / ALERTS_PER_REQUEST);
    // Alertmanager's own webhook body for each batch; every round re-fires the keys with a newer startsAt.
    const body = (r: number) =>
      JSON.stringify(
        alertmanagerWebhookBody(
          Array.from({ length: ALERTS_PER_REQUEST }, (_, j) => {
            const n = r * ALERTS_PER_REQUEST + j;
            const key = n % keys;
            return {
              labels: { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical', instance: `pod-${key}` },
              annotations: { summary: `5xx above 5% on pod-${key}` },
              startsAt: new Date(base + Math.floor(n / keys) * 1000).toISOString(),
              generatorURL: 'http://prometheus.bench:9090/graph',
            };
          }),
        ),
      );
    const bodies = Array.from({ length: requests }, (_, r) => body(r));
    const started = performance.now();
    const r = await load(requests, 32, async (i) => {
      const res = await pool.request({ method: 'POST', path: '/api/v1/integrations/alertmanager', headers, body: bodies[i] });
      const text = await res.body.text();
      if (res.statusCode !== 200) throw new Error(`storm: ${res.statusCode} ${text.slice(0, 500)}`);
    });
    const seconds = (performance.now() - started) / 1000;
    const peak = peakRssMb(server.pid);
    const get = async (path: string) => {
      const res = await pool.request({ method: 'GET', path, headers: { authorization: `Bearer ${server.adminToken}` } });
      return (await res.body.json()) as { items: { occurrences?: number }[]; nextCursor: string | null };
    };
    const incidents = (await get('/api/v1/incidents?limit=500')).items.length;
    let stored = 0;
    let occurrences = 0;
    for (let cursor: string | null = ''; cursor !== null; ) {
      const page: { items: { occurrences?: number }[]; nextCursor: string | null } = await get(
        `/api/v1/alerts?limit=500${cursor ? `&cursor=${cursor}` : ''}`,
      );
      stored += page.items.length;
      occurrences += page.items.reduce((s, a) => s + (a.occurrences ?? 0), 0);
      cursor = page.nextCursor;
    }
    return {
        engine: db.name,
        metric: `storm: ${total} alerts over ${keys} keys (c=32): s=${seconds.toFixed(1)}, peak RSS ${peak.toFixed(0)} MB, ${incidents} incident(s), ${stored} alerts stored, ${occurrences} occurrences`,
        count: total,
        'per s': total / seconds,
        'p50 ms': r.p50,
        'p99 ms': r.p99,
      };
  } finally {
    await pool.close();
    await server.stop();
  }
}

if (process.argv[1]?.endsWith('alerts.ts')) {
  const scale = Number(process.env.BENCH_SCALE ?? '1');
  const rows = await benchWebhookAgainstPeer(Math.max(10, Math.round(10_000 * scale)));
  if (process.env.BENCH_STORM !== '0') rows.push(...(await benchStorm(Math.max(10, Math.round(100_000 * scale)), Math.max(10, Math.round(5_000 * Math.min(1, scale))))));
  console.log(table(rows));
}
