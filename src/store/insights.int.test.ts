import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Incident } from '../domain/incident/state.js';
import type { Severity } from '../domain/incident/types.js';
import { computeInsights, insightsFrom, type InsightsOptions } from '../domain/insights/insights.js';
import type { Store } from '../service/ports.js';
import { generateHistory, loadHistory, type History, type IncidentTruth } from '../../test/support/insights-history.js';
import { adapters } from './test-adapters.js';

const DAY = 86_400_000;
const START = Date.parse('2026-01-05T00:00:00.000Z');
const HISTORY = generateHistory({ seed: 7, incidents: 400, start: START, days: 100 });
const WINDOW = { from: new Date(START + 10 * DAY).toISOString(), to: new Date(START + 80 * DAY).toISOString() };
// Before the window ends, so some postmortems are still pending.
const NOW = new Date(START + 78 * DAY).toISOString();

// ——— the expected figures, from what the generator built each incident from ———

const r1 = (n: number) => Math.round(n * 10) / 10;
/** Linear interpolation between closest ranks, h = q·(n − 1). */
function quantile(sorted: number[], q: number): number {
  const h = q * (sorted.length - 1);
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * ((sorted[lo + 1] ?? sorted[lo]!) - sorted[lo]!);
}
function stat(values: (number | null)[]) {
  const v = values.filter((x): x is number => x !== null).sort((a, b) => a - b);
  if (v.length === 0) return { median: null, p90: null, mean: null, samples: 0 };
  return { median: r1(quantile(v, 0.5)), p90: r1(quantile(v, 0.9)), mean: r1(v.reduce((a, b) => a + b, 0) / v.length), samples: v.length };
}

function expected(h: History, f: { service?: string; severity?: Severity[] }) {
  const from = Date.parse(WINDOW.from);
  const to = Date.parse(WINDOW.to);
  const now = Date.parse(NOW);
  const inWindow = (iso: string | null) => iso !== null && Date.parse(iso) >= from && Date.parse(iso) <= to;
  const all = h.incidents
    .map((g) => g.truth)
    .filter((t) => (f.service === undefined || t.service === f.service) && (!f.severity || (t.severity !== null && f.severity.includes(t.severity))));
  const declared = all.filter((t) => inWindow(t.declaredAt));
  const counted = declared.filter((t) => t.status !== 'cancelled');
  const count = (list: IncidentTruth[], p: (t: IncidentTruth) => boolean) => list.filter(p).length;
  const due = all.filter((t) => t.status !== 'cancelled' && inWindow(t.postmortemDueAt));
  const done = (t: IncidentTruth) => t.postmortemDoneAt !== null;
  const onTime = count(due, (t) => done(t) && t.postmortemDoneAt! <= t.postmortemDueAt!);
  const late = count(due, (t) => done(t) && t.postmortemDoneAt! > t.postmortemDueAt!);
  const overdue = count(due, (t) => !done(t) && Date.parse(t.postmortemDueAt!) < now);
  const scope = all.filter((t) => inWindow(t.declaredAt) || ['investigating', 'mitigated', 'resolved'].includes(t.status));
  const items = scope.flatMap((t) => t.actions);
  const isDone = (a: IncidentTruth['actions'][number]) => a.doneAt !== null;
  const deploys = h.deploys.filter((d) => d.status === 'succeeded' && inWindow(d.startedAt) && (f.service === undefined || d.service === f.service)).length;
  const failures = count(counted, (t) => t.changeFailure);
  const filtered = f.service !== undefined || f.severity !== undefined;
  const numbers = new Set(all.map((t) => t.number));
  const load = new Map<string, number>();
  for (const t of counted) for (const p of t.people) load.set(p, (load.get(p) ?? 0) + 1);
  return {
    total: declared.length,
    counted: counted.length,
    autoDeclared: count(declared, (t) => t.auto),
    cancelled: count(declared, (t) => t.status === 'cancelled'),
    closed: count(declared, (t) => t.status === 'closed'),
    mttd: stat(counted.map((t) => t.ttd)),
    mtta: stat(counted.map((t) => t.tta)),
    timeToMitigate: stat(counted.map((t) => t.ttm)),
    mttr: stat(counted.map((t) => t.ttr)),
    timeToRestore: stat(counted.filter((t) => t.changeFailure).map((t) => t.ttr)),
    changeFailureRate: { failures, deploys, rate: deploys === 0 ? null : Math.round((failures / deploys) * 1000) / 1000 },
    postmortems: {
      due: due.length, onTime, late, overdue,
      pending: due.length - onTime - late - overdue,
      skipped: count(due, (t) => t.status === 'closed' && t.publishedAt === null),
    },
    actionItems: {
      open: items.filter((a) => !isDone(a)).length,
      overdue: items.filter((a) => !isDone(a) && Date.parse(a.dueAt) < now).length,
      done: items.filter(isDone).length,
      doneOnTime: items.filter((a) => isDone(a) && a.doneAt! <= a.dueAt).length,
    },
    overrides: declared.reduce((n, t) => n + t.overrides, 0),
    nudges: h.firedTimers.filter((t) => inWindow(t.firedAt) && (!filtered || numbers.has(t.incident))).length,
    load: Object.fromEntries(load),
  };
}

const FILTERS: { name: string; f: { service?: string; severity?: Severity[] } }[] = [
  { name: 'everything', f: {} },
  { name: 'service checkout', f: { service: 'checkout' } },
  { name: 'SEV1 and SEV2', f: { severity: ['SEV1', 'SEV2'] } },
  { name: 'search, SEV3', f: { service: 'search', severity: ['SEV3'] } },
];

for (const adapter of adapters()) {
  describe(`insights in SQL over a generated history (${adapter.name})`, () => {
    let store: Store;
    let states: Incident[];
    before(async () => {
      store = await adapter.create();
      states = await loadHistory(store, HISTORY, { batch: 100 });
    });
    after(() => store?.close());

    for (const { name, f } of FILTERS) {
      it(`answers the known figures: ${name}`, async () => {
        const opts: InsightsOptions = { ...WINDOW, now: NOW, ...f };
        const r = insightsFrom(await store.insightsData(opts), opts);
        const e = expected(HISTORY, f);
        assert.ok(e.counted > (name === 'everything' ? 200 : 5), `the history gives ${name} enough incidents (${e.counted})`);
        assert.equal(r.incidents.total, e.total);
        assert.equal(r.incidents.autoDeclared, e.autoDeclared);
        assert.equal(r.incidents.byStatus.cancelled, e.cancelled);
        assert.equal(r.incidents.byStatus.closed, e.closed);
        assert.deepEqual(r.mttd, e.mttd);
        assert.deepEqual(r.mtta, e.mtta);
        assert.deepEqual(r.timeToMitigate, e.timeToMitigate);
        assert.deepEqual(r.mttr, e.mttr);
        assert.deepEqual(r.dora.timeToRestore, e.timeToRestore);
        assert.deepEqual(r.changeFailureRate, e.changeFailureRate);
        const { punctuality: _, ...pm } = r.postmortems;
        assert.deepEqual(pm, e.postmortems);
        assert.deepEqual(r.actionItems, e.actionItems);
        assert.equal(r.overrides.count, e.overrides);
        assert.equal(r.nudges.total, e.nudges);
        assert.deepEqual(Object.fromEntries(r.responders.map((p) => [p.person, p.incidents])), e.load);
        assert.equal(r.trend.reduce((n, w) => n + w.incidents, 0), e.counted);

        // The whole answer equals the in-memory reference over the same incidents.
        const reference = computeInsights(states, HISTORY.deploys, opts, HISTORY.firedTimers);
        assert.deepEqual(r, reference);
      });
    }

    it('lists postmortems and action items across incidents from the read model', async () => {
      const published = await store.listPostmortems({ states: ['published'], limit: 1_000 });
      const want = HISTORY.incidents.filter((g) => g.truth.publishedAt !== null).map((g) => g.number).sort((a, b) => b - a);
      assert.deepEqual(published.map((p) => p.incident), want);
      assert.ok(published.every((p) => p.state === 'published' && p.reviewers.length === 1 && p.publishedAt !== null));
      const page = await store.listPostmortems({ limit: 5, before: want[0] });
      assert.ok(page.every((p) => p.incident < want[0]!));
      const overdue = await store.listPostmortems({ overdue: { at: NOW, is: true }, limit: 1_000 });
      assert.ok(overdue.every((p) => p.publishedAt === null && p.status !== 'closed' && p.dueAt! < NOW));

      const all = await store.listActions({ limit: 10_000 });
      const count = HISTORY.incidents.filter((g) => g.truth.status !== 'cancelled').reduce((n, g) => n + g.truth.actions.length, 0);
      assert.equal(all.length, count);
      const sorted = [...all].sort((a, b) => (a.dueAt < b.dueAt ? -1 : a.dueAt > b.dueAt ? 1 : a.id < b.id ? -1 : 1));
      assert.deepEqual(all.map((a) => a.id), sorted.map((a) => a.id));
      const first = all.slice(0, 10);
      const next = await store.listActions({ limit: 10, after: { dueAt: first[9]!.dueAt, id: first[9]!.id } });
      assert.deepEqual(next.map((a) => a.id), all.slice(10, 20).map((a) => a.id));
      const late = await store.listActions({ overdue: { at: NOW, is: true }, owner: 'ana', limit: 10_000 });
      assert.ok(late.length > 0 && late.every((a) => a.owner === 'ana' && a.status !== 'done' && a.dueAt < NOW));
      assert.deepEqual(await store.listActions({ status: [], limit: 10 }), []);
    });
  });
}
