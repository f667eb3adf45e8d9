// Insights at scale: a generated history (test/support/insights-history.ts) of 100,000 incidents and
// 2,000,000 events appended straight through the store (every append keeps the read model), then
// `insightsData` over windows of 30 and 365 days, with and without filters, on SQLite and PostgreSQL.
import { insightsFrom, type InsightsOptions } from '../src/domain/insights/insights.js';
import { generateHistory, loadHistory } from '../test/support/insights-history.js';
import { median } from './lib.js';
import { type BenchDb, benchDbs } from './engines.js';

const DAY = 86_400_000;
const START = Date.parse('2025-01-06T00:00:00.000Z');
const SPAN_DAYS = 365;
const EVENTS_PER_INCIDENT = 20;
const RUNS = 5;

async function benchDb(db: BenchDb, incidents: number): Promise<Record<string, string | number>[]> {
  const history = generateHistory({ seed: 1, incidents, start: START, days: SPAN_DAYS, eventsPerIncident: EVENTS_PER_INCIDENT });
  const events = history.incidents.reduce((n, g) => n + g.events.length, 0);
  const store = await db.open();
  await store.migrate();
  const rows: Record<string, string | number>[] = [];
  try {
    const t = performance.now();
    await loadHistory(store, history, { batch: 500, parallel: db.name === 'postgres' ? 4 : 1 });
    const loadS = (performance.now() - t) / 1000;
    // What autovacuum would have done by the time anyone asks: statistics for the planner and the
    // visibility map that lets PostgreSQL answer the rank walks from the index alone.
    await db.analyze();
    rows.push({ engine: db.name, query: `load ${incidents} incidents, ${events} events (appends)`, incidents: incidents, 'median ms': loadS * 1000, 'max ms': loadS * 1000, 'per s': events / loadS });

    const end = START + SPAN_DAYS * DAY;
    const now = new Date(end).toISOString();
    const window = (days: number) => ({ from: new Date(end - days * DAY).toISOString(), to: now, now });
    const queries: [string, InsightsOptions][] = [
      ['30 days', window(30)],
      ['365 days (every incident)', window(365)],
      ['365 days, service checkout', { ...window(365), service: 'checkout' }],
      ['365 days, SEV1,SEV2', { ...window(365), severity: ['SEV1', 'SEV2'] }],
    ];
    for (const [name, q] of queries) {
      await store.insightsData(q); // warm
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < RUNS; i++) {
        const s = performance.now();
        total = insightsFrom(await store.insightsData(q), q).incidents.total;
        times.push(performance.now() - s);
      }
      rows.push({ engine: db.name, query: `insights ${name}`, incidents: total, 'median ms': median(times), 'max ms': Math.max(...times), 'per s': 1000 / median(times) });
    }
  } finally {
    await store.close();
  }
  return rows;
}

/** The insights rows for `npm run bench`: `incidents` of history (100,000 at scale 1), both engines. */
export async function benchInsights(incidents: number): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const db of await benchDbs('insights')) {
    try {
      rows.push(...(await benchDb(db, incidents)));
    } finally {
      await db.drop();
    }
  }
  return rows;
}

if (process.argv[1]?.endsWith('insights.ts')) {
  const { table } = await import('./lib.js');
  const incidents = Math.max(1_000, Math.round(100_000 * Number(process.env.BENCH_SCALE ?? '1')));
  console.log(table(await benchInsights(incidents)));
}
