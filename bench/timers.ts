// Timers at scale: 100,000 timers scheduled through the real write path (appendDraft), then the lag
// between a timer's due time and its firing with the runner polling on the wall clock while all of them
// wait in the table, and a burst of due timers fired at once (two runners on PostgreSQL).
import type { IncidentEvent } from '../src/domain/incident/events.js';
import { createEgress } from '../src/egress/index.js';
import type { ServiceDeps } from '../src/service/deps.js';
import { declareIncident } from '../src/service/execute-command.js';
import { appendDraft, applyTo, draftOf } from '../src/service/incident-log.js';
import type { Store } from '../src/service/ports.js';
import { timerRunner } from '../src/service/timers.js';
import { quantile } from './lib.js';
import { type BenchDb, benchDbs } from './engines.js';

const PER_APPEND = 100;
const silent = { info() {}, warn() {}, error() {} };

/** The store with the wall-clock moment each timer was marked fired, for the lag. */
function recordingFirings(store: Store, firedAt: Map<string, number>): Store {
  return {
    ...store,
    transaction: (fn) =>
      store.transaction((tx) =>
        fn({
          ...tx,
          finishTimer: async (id, state, at) => {
            await tx.finishTimer(id, state, at);
            if (state === 'fired') firedAt.set(id, Date.now());
          },
        }),
      ),
  };
}

function depsOf(store: Store): ServiceDeps {
  let n = 0;
  return {
    store,
    clock: { now: () => new Date().toISOString() },
    ids: { next: () => `bench-${++n}-${Math.random().toString(36).slice(2)}` },
    log: silent,
    egress: createEgress({ allow: [] }),
  };
}

/** Declares an incident (a commander at once: no acknowledgement timer) and gives it `dueAts.length` action items in one append. */
async function incidentWithActions(deps: ServiceDeps, dueAts: string[]): Promise<number> {
  const { incident } = await declareIncident(deps, 'bench', {
    title: 'Bench incident',
    impact: 'Checkout errors',
    severity: 'SEV4',
    severityReason: 'bench',
    commander: 'bench',
  });
  const n = incident.number;
  await deps.store.transaction(async (tx) => {
    const draft = draftOf(n, (await tx.loadIncident(n))!);
    const at = deps.clock.now();
    const events: IncidentEvent[] = dueAts.map((dueAt, i) => ({
      type: 'ActionItemAdded',
      at,
      actor: 'bench',
      data: { id: `INC-${n}-A${i + 1}`, title: `Follow-up ${i + 1}`, owner: 'bench', dueAt, priority: 'P2' },
    }));
    applyTo(draft, events);
    await appendDraft(tx, draft);
  });
  return n;
}

const ms = (t: number) => Math.round(t * 100) / 100;

async function benchDb(db: BenchDb, total: number): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  const firedAt = new Map<string, number>();
  const base = await db.open();
  await base.migrate();
  const store = recordingFirings(base, firedAt);
  const deps = depsOf(store);
  try {
    // 1. Schedule `total` timers, 100 per append, due in 30 days: they wait in the table throughout.
    const far = new Date(Date.now() + 30 * 86_400_000).toISOString();
    const appends: number[] = [];
    const started = performance.now();
    for (let done = 0; done < total; done += PER_APPEND) {
      const t = performance.now();
      await incidentWithActions(deps, Array.from({ length: Math.min(PER_APPEND, total - done) }, () => far));
      appends.push(performance.now() - t);
    }
    const seconds = (performance.now() - started) / 1000;
    appends.sort((a, b) => a - b);
    rows.push({
      engine: db.name,
      metric: `schedule ${total} timers (declare + 100 action items per append)`,
      count: total,
      'per s': Math.round(total / seconds),
      'p50 ms': ms(quantile(appends, 0.5)),
      'p99 ms': ms(quantile(appends, 0.99)),
    });

    // 2. Fire lag: a runner polling every 250 ms on the wall clock while 500 incidents are declared, each
    // with one timer due 2 s after it was scheduled, and the `total` timers still waiting in the table.
    const soon = 500;
    const dueOf = new Map<string, number>();
    const runner = timerRunner(deps);
    firedAt.clear();
    runner.start(250);
    for (let i = 0; i < soon; i++) {
      const n = await incidentWithActions(deps, [new Date(Date.now() + 2_000).toISOString()]);
      for (const t of await base.listTimers(n)) dueOf.set(t.id, Date.parse(t.dueAt));
    }
    const deadline = Date.now() + 60_000;
    while (firedAt.size < soon && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await runner.stop();
    const lags = [...firedAt.entries()].map(([id, at]) => at - (dueOf.get(id) ?? NaN)).filter(Number.isFinite);
    lags.sort((a, b) => a - b);
    rows.push({
      engine: db.name,
      metric: `fire lag: ${soon} timers due 2 s after scheduling, ${total} waiting, poll 250 ms`,
      count: firedAt.size,
      'per s': '',
      'p50 ms': ms(quantile(lags, 0.5)),
      'p99 ms': ms(quantile(lags, 0.99)),
    });

    // 3. A burst: 1,000 incidents with one timer each, all due already, fired by one runner (two on PostgreSQL).
    const burst = 1_000;
    const past = new Date(Date.now() - 1_000).toISOString();
    for (const runners of db.name === 'postgres' ? [1, 2] : [1]) {
      for (let i = 0; i < burst; i++) await incidentWithActions(deps, [past]);
      const second = runners === 2 ? await db.open() : undefined;
      const stores = second ? [store, recordingFirings(second, firedAt)] : [store];
      firedAt.clear();
      const t = performance.now();
      await Promise.all(stores.map((s) => timerRunner(depsOf(s)).runOnce()));
      const took = (performance.now() - t) / 1000;
      await second?.close();
      rows.push({
        engine: db.name,
        metric: `fire a burst: ${burst} incidents' due timers, ${runners} runner${runners === 1 ? '' : 's'}`,
        count: firedAt.size,
        'per s': Math.round(firedAt.size / took),
        'p50 ms': '',
        'p99 ms': '',
      });
    }
  } finally {
    await base.close();
  }
  return rows;
}

/** The timer rows of `npm run bench` (SQLite, and PostgreSQL when reachable). */
export async function benchTimers(total: number): Promise<Record<string, string | number>[]> {
  const rows: Record<string, string | number>[] = [];
  for (const db of await benchDbs('timers')) {
    try {
      rows.push(...(await benchDb(db, total)));
    } finally {
      await db.drop();
    }
  }
  return rows;
}

if (process.argv[1]?.endsWith('timers.ts')) {
  const { table } = await import('./lib.js');
  const total = Math.max(1_000, Math.round(100_000 * Number(process.env.BENCH_SCALE ?? '1')));
  console.log(table(await benchTimers(total)));
}
