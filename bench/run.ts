// npm run bench: command throughput and read latency on SQLite and PostgreSQL, through a real server
// process over HTTP. Results go in docs/BENCHMARKS.md. BENCH_SCALE=0.1 gives a quick smoke run.
import { Pool } from 'undici';
import { apply, replay } from '../src/domain/incident/state.js';
import type { IncidentEvent } from '../src/domain/incident/events.js';
import { declareIncident } from '../src/service/execute-command.js';
import { readWholeTimeline } from '../src/service/queries.js';
import type { ServiceDeps } from '../src/service/deps.js';
import type { Store } from '../src/service/ports.js';
import { createEgress } from '../src/egress/index.js';
import { startServerProcess } from '../test/e2e/server.js';
import { benchStorm, benchWebhookAgainstPeer } from './alerts.js';
import { type BenchDb, benchDbs } from './engines.js';
import { load, table } from './lib.js';
import { benchTimers } from './timers.js';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const n = (x: number) => Math.max(10, Math.round(x * scale));
const BIG_EVENTS = n(50_000);
const ADMIN = 'fb_bench_admin_token_0123456789abcdef';

const silent = { info() {}, warn() {}, error() {} };

/** Seeds one incident with BIG_EVENTS note events straight through the store, in batches. */
async function seedBigIncident(store: Store): Promise<number> {
  let seq = 0;
  const deps: ServiceDeps = {
    store,
    clock: { now: () => new Date(Date.UTC(2026, 10, 27, 0, 0, seq++)).toISOString() },
    ids: { next: () => String(seq) },
    log: silent,
    egress: createEgress({ allow: [] }),
  };
  const { incident } = await declareIncident(deps, 'bench', { title: 'Big incident', impact: 'Checkout errors' });
  let state = incident;
  const batch = 1_000;
  for (let done = 0; done < BIG_EVENTS; done += batch) {
    const events: IncidentEvent[] = Array.from({ length: Math.min(batch, BIG_EVENTS - done) }, (_, i) => ({
      type: 'NoteAdded',
      at: new Date(Date.UTC(2026, 10, 27, 1, 0, 0, done + i)).toISOString(),
      actor: 'bench',
      data: { body: `observation ${done + i}: error rate still at 31%, p99 2.4 s on checkout` },
    }));
    const next = events.reduce(apply, state);
    await store.transaction((tx) => tx.append(state.number, events, state.version, next));
    state = next;
  }
  return state.number;
}

async function replayMs(store: Store, number: number): Promise<number> {
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    const events = await readWholeTimeline({ store }, number);
    replay(number, events);
    runs.push(performance.now() - t);
  }
  return runs.sort((a, b) => a - b)[1] ?? 0;
}

async function benchEngine(engine: BenchDb) {
  const rows: Record<string, string | number>[] = [];
  const row = (metric: string, r: { count: number; perSecond: number; p50: number; p99: number }) =>
    rows.push({ engine: engine.name, metric, count: r.count, 'per s': r.perSecond, 'p50 ms': r.p50, 'p99 ms': r.p99 });

  const seedStore = await engine.open();
  await seedStore.migrate();
  const big = await seedBigIncident(seedStore);
  await seedStore.close();

  const server = await startServerProcess({ ...engine.env, FIREBREAK_ADMIN_TOKEN: ADMIN });
  const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };
  // undici's Pool, not fetch: fetch costs ~1.5 ms a request here and would measure the client, not the server.
  const pool = new Pool(server.url, { connections: 16 });
  const call = async (method: 'GET' | 'POST', path: string, body?: unknown) => {
    const r = await pool.request({ method, path, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await r.body.text();
    if (r.statusCode >= 300) throw new Error(`${method} ${path}: ${r.statusCode} ${text}`);
    return text;
  };
  const post = (path: string, body: unknown) => call('POST', path, body);
  const get = (path: string) => call('GET', path);
  try {
    const one = (JSON.parse(await post('/api/v1/incidents', { title: 'Notes target', impact: 'Search degraded' })) as { number: number }).number;
    await load(200, 4, () => get(`/api/v1/incidents/${one}`));
    await load(200, 4, () => post(`/api/v1/incidents/${one}/notes`, { body: 'warm-up' }));
    row('notes → one incident (c=1)', await load(n(2_000), 1, () => post(`/api/v1/incidents/${one}/notes`, { body: 'still degraded' })));
    row('notes → one incident (c=8)', await load(n(2_000), 8, () => post(`/api/v1/incidents/${one}/notes`, { body: 'still degraded' })));

    const many = n(1_000);
    const firstNumber = one + 1;
    row('declarations (c=8)', await load(many, 8, (i) => post('/api/v1/incidents', { title: `Incident ${i}`, impact: 'Users see errors' })));
    row(`notes across ${many} incidents (c=16)`, await load(n(5_000), 16, (i) =>
      post(`/api/v1/incidents/${firstNumber + (i % many)}/notes`, { body: `note ${i}` })));

    row(`GET incident with ${BIG_EVENTS} events (c=8)`, await load(n(2_000), 8, () => get(`/api/v1/incidents/${big}`)));
    row('GET incident with 3 events (c=8)', await load(n(2_000), 8, () => get(`/api/v1/incidents/${firstNumber}`)));
    row(`GET timeline page 100 of ${BIG_EVENTS} (c=8)`, await load(n(1_000), 8, () => get(`/api/v1/incidents/${big}/timeline?limit=100`)));
  } finally {
    await pool.close();
    await server.stop();
  }
  const store = await engine.open();
  const replay = await replayMs(store, big);
  await store.close();
  rows.push({ engine: engine.name, metric: `replay ${BIG_EVENTS} events in-process (no projection)`, count: 3, 'per s': 1000 / replay, 'p50 ms': replay, 'p99 ms': replay });
  return rows;
}

const all: Record<string, string | number>[] = [];
for (const engine of await benchDbs('core')) {
  try {
    all.push(...(await benchEngine(engine)));
  } finally {
    await engine.drop();
  }
}
// Alert ingestion on both engines against a real Alertmanager, and the alert storm on both.
all.push(...(await benchWebhookAgainstPeer(n(10_000))));
all.push(...(await benchStorm(n(100_000), Math.max(10, Math.round(5_000 * Math.min(1, scale))))));
// Timers: 100,000 scheduled through appendDraft, fire lag with all of them waiting, a burst (bench/timers.ts).
all.push(...(await benchTimers(Math.max(1_000, Math.round(100_000 * scale)))));
// Insights over 100,000 incidents / 2,000,000 events appended through the store (bench/insights.ts).
all.push(...(await (await import('./insights.js')).benchInsights(Math.max(1_000, Math.round(100_000 * scale)))));
// Final on-call shifts, gaps, who is on call and ICS feeds for 100 schedules over a year, in-process (bench/schedules.ts).
const { benchSchedules } = await import('./schedules.js');
console.log(`\nOn-call schedules (in-process)\n\n${table(benchSchedules(Math.max(10, Math.round(100 * Math.min(1, scale)))))}\n`);

console.log(`\nFirebreak bench (scale ${scale}, node ${process.version})\n`);
console.log(table(all));
await (await import('./web.js')).benchWeb(Math.max(500, Math.round(5_000 * scale)));
// A storm-sized incident (20,000 linked alerts) against a 3-alert one: GET size and time, a note, the room in Chromium.
await (await import('./storm-incident.js')).benchStormIncident(Math.max(2_000, Math.round(20_000 * scale)));
// The notification outbox: 1,000 incidents notifying a local webhook receiver, a backlog drained and a live run.
await (await import('./outbox.js')).benchOutbox(Math.max(100, Math.round(1_000 * scale)));
