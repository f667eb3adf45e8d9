import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { InjectOptions } from 'fastify';
import { createToken } from '../service/auth.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problemOf, testApp } from './test-app.js';

// Monday of ISO week 2026-W45; the clock is set by each step, so every duration is exact.
const T0 = Date.parse('2026-11-02T09:00:00.000Z');
const MIN = 60_000;
const iso = (minutes: number) => new Date(T0 + minutes * MIN).toISOString();
const DAY_MIN = 24 * 60;

type As = 'responder' | 'viewer' | 'ingest' | 'anonymous';

/** A real app on a real store with a clock the test moves. */
async function insightsApp(store: Store) {
  let now = T0;
  const t = await testApp(store, { clock: { now: () => new Date(now).toISOString() } });
  // The responder's actor is `token:ic`: the commander of INC-2, so that it may override a gate.
  const ic = (await createToken(t.deps, { name: 'ic', role: 'responder' })).token;
  const call = (method: InjectOptions['method'], url: string, body?: unknown, as: As = 'responder') =>
    t.call(method, url, { body, as: as === 'responder' ? { token: ic } : as });
  /** Sends a command at `minutes` after T0 and insists it succeeded. */
  const step = async (minutes: number, method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown, as: As = 'responder') => {
    now = T0 + minutes * MIN;
    const res = await call(method, url, body, as);
    assert.ok(res.statusCode < 300, `${method} ${url}: ${res.statusCode} ${res.body}`);
    return res.json();
  };
  const at = (minutes: number) => void (now = T0 + minutes * MIN);
  return { app: t.app, call, step, at };
}

for (const adapter of adapters()) {
  describe(`insights over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: Awaited<ReturnType<typeof insightsApp>>;
    const ids: Record<'a' | 'b' | 'c' | 'd', string> = { a: '', b: '', c: '', d: '' };

    before(async () => {
      store = await adapter.create();
      t = await insightsApp(store);
      const { step } = t;

      // D: declared 40 days before T0 and still open, with an open action item: outside the window,
      // but its action item counts (open incidents always do).
      const d = await step(-40 * DAY_MIN, 'POST', '/api/v1/incidents', { title: 'Old slow search', impact: 'Search takes 10 s' });
      ids.d = d.id;
      await step(-40 * DAY_MIN + 1, 'POST', `/api/v1/incidents/${d.id}/actions`, {
        title: 'Index the search table', owner: 'kim', dueAt: iso(30 * DAY_MIN), priority: 'P2',
      });

      // Deploys: checkout v42 lands 30 min before A's impact (a change failure); three more succeed, one fails.
      const deploy = (version: string, startedAt: number, status = 'succeeded') =>
        step(startedAt, 'POST', '/api/v1/deploys', {
          service: 'checkout', version, status, startedAt: iso(startedAt), finishedAt: iso(startedAt + 10),
        }, 'ingest');
      await deploy('v42', -40);
      await deploy('v43', DAY_MIN);
      await deploy('v44', 2 * DAY_MIN);
      await deploy('v45', 2 * DAY_MIN + 60, 'failed');
      await deploy('v46', 3 * DAY_MIN);

      // A (SEV2): started T0-10, detected T0-4, declared T0, acknowledged +5, mitigated +20,
      // resolved +50, closed +60: MTTD 6, MTTA 5, to mitigate 30, MTTR 60, postmortem on time.
      const a = await step(0, 'POST', '/api/v1/incidents', {
        title: 'Checkout fails for card payments', impact: 'Card payments fail with a 502', services: ['checkout'],
        severity: 'SEV2', severityReason: 'payments failing', startedAt: iso(-10), detectedAt: iso(-4),
      });
      ids.a = a.id;
      const A = `/api/v1/incidents/${a.id}`;
      await step(5, 'POST', `${A}/roles`, { role: 'commander', person: 'ana' });
      await step(6, 'POST', `${A}/roles`, { role: 'comms', person: 'li' });
      await step(6, 'POST', `${A}/roles`, { role: 'responder', person: 'bo' });
      await step(7, 'PUT', `${A}/comms`, { channel: '#inc-checkout', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'SEV1' });
      await step(8, 'POST', `${A}/evidence`, { kind: 'deploy', title: 'checkout v42 deploy' });
      await step(15, 'POST', `${A}/mitigations`, { kind: 'rollback', action: 'Roll back to v41', rationale: 'v42 landed first', failClosed: true });
      await step(20, 'POST', `${A}/status`, { to: 'mitigated' });
      await step(45, 'PUT', `${A}/impact`, { statement: 'Card payments failed from 08:50 to 09:50', confirmed: true });
      await step(50, 'POST', `${A}/status`, { to: 'resolved', noGuardrails: true });
      await step(55, 'PUT', `${A}/postmortem`, {
        summary: 'v42 broke card payments.', impact: 'Card payments failed for an hour.',
        whys: ['Payments timed out', 'The timeout shrank in v42'], rootCause: 'A config default changed without a canary.',
        contributingFactors: [], wentWell: ['Fast rollback'], wentPoorly: ['Late detection'], lessons: [],
      });
      const withAction = await step(56, 'POST', `${A}/actions`, {
        title: 'Canary the payment path', owner: 'bo', dueAt: iso(7 * DAY_MIN), priority: 'P1',
      });
      // Reviewed by token:ic and published at +58: complete long before it was due.
      await step(57, 'POST', `${A}/postmortem/assign`, { reviewers: ['token:ic'] });
      await step(57, 'POST', `${A}/postmortem/state`, { to: 'in_review' });
      await step(58, 'POST', `${A}/postmortem/state`, { to: 'published' });
      await step(60, 'POST', `${A}/status`, { to: 'closed' });
      await step(61, 'PATCH', `/api/v1/actions/${withAction.actions[0].id}`, { status: 'done' });

      // B (SEV1): declared with commander token:ic (acknowledged at once), started 20 min before,
      // mitigated +10, resolved by a gate override +100: MTTD 20, MTTA 0, to mitigate 30, MTTR 120;
      // no postmortem, so it is overdue two days later; its action item is overdue too.
      const b0 = DAY_MIN;
      const b = await step(b0, 'POST', '/api/v1/incidents', {
        title: 'Orders lost', impact: 'Orders vanish after payment', services: ['orders'],
        severity: 'SEV1', severityReason: 'data loss', startedAt: iso(b0 - 20), commander: 'token:ic',
      });
      ids.b = b.id;
      const B = `/api/v1/incidents/${b.id}`;
      await step(b0 + 5, 'POST', `${B}/mitigations`, { kind: 'read-only', action: 'Orders read-only', rationale: 'stop the loss', failClosed: true });
      await step(b0 + 10, 'POST', `${B}/status`, { to: 'mitigated' });
      await step(b0 + 20, 'POST', `${B}/actions`, { title: 'Audit lost orders', owner: 'ana', dueAt: iso(2 * DAY_MIN), priority: 'P0' });
      await step(b0 + 100, 'POST', `${B}/status`, { to: 'resolved', override: { reason: 'orders are reconciled by hand' } });

      // C (SEV3): cancelled as a false alarm: counted by status only.
      const c = await step(2 * DAY_MIN, 'POST', '/api/v1/incidents', {
        title: 'Search looks off', impact: 'Search results odd', severity: 'SEV3', severityReason: 'workaround exists',
      });
      ids.c = c.id;
      await step(2 * DAY_MIN + 5, 'POST', `/api/v1/incidents/${c.id}/status`, { to: 'cancelled', reason: 'false alarm' });

      t.at(4 * DAY_MIN);
    });

    after(async () => {
      await t?.app.close();
      await store?.close();
    });

    it('answers every figure of the last 30 days, computed from the walked incidents', async () => {
      const res = await t.call('GET', '/api/v1/insights?days=30', undefined, 'viewer');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['cache-control'], 'no-store');
      const r = res.json();
      assert.deepEqual(r.window, { from: iso(4 * DAY_MIN - 30 * DAY_MIN), to: iso(4 * DAY_MIN), days: 30 });
      assert.deepEqual(r.incidents, {
        total: 3,
        bySeverity: { SEV1: 1, SEV2: 1, SEV3: 1, SEV4: 0, unset: 0 },
        byStatus: { investigating: 0, mitigated: 0, resolved: 1, closed: 1, cancelled: 1 },
        autoDeclared: 0,
      });
      assert.deepEqual(r.mttd, { median: 13, p90: 18.6, mean: 13, samples: 2 });
      assert.deepEqual(r.mtta, { median: 2.5, p90: 4.5, mean: 2.5, samples: 2 });
      assert.deepEqual(r.timeToMitigate, { median: 30, p90: 30, mean: 30, samples: 2 });
      assert.deepEqual(r.mttr, { median: 90, p90: 114, mean: 90, samples: 2 });
      // v42..v44 and v46 succeeded in the window; only A had an affected-service deploy before it.
      assert.deepEqual(r.changeFailureRate, { failures: 1, deploys: 4, rate: 0.25 });
      assert.deepEqual(r.dora, {
        changeFailureRate: { failures: 1, deploys: 4, rate: 0.25 },
        timeToRestore: { median: 60, p90: 60, mean: 60, samples: 1 },
      });
      // A published its postmortem 8 minutes after resolving; B's is overdue.
      assert.deepEqual(r.postmortems, { due: 2, onTime: 1, late: 0, overdue: 1, pending: 0, punctuality: 0.5, skipped: 0 });
      // A's item was done within its week.
      assert.deepEqual(r.actionItems, { open: 2, overdue: 1, done: 1, doneOnTime: 1 });
      assert.equal(r.nudges.total, 0);
      assert.deepEqual(r.filters, { service: null, severity: [] });
      assert.deepEqual(r.responders, [
        { person: 'ana', incidents: 1, commander: 1, share: 0.5 },
        { person: 'token:ic', incidents: 1, commander: 1, share: 0.5 },
        { person: 'bo', incidents: 1, commander: 0, share: 0.5 },
        { person: 'li', incidents: 1, commander: 0, share: 0.5 },
      ]);
      assert.equal(r.overrides.count, 1);
      assert.deepEqual(r.overrides.items, [
        { incident: ids.b, to: 'resolved', reason: 'orders are reconciled by hand', by: 'token:ic', at: iso(DAY_MIN + 100) },
      ]);
      assert.deepEqual(r.warnings, [
        {
          code: 'commander_is_sole_responder',
          message: `${ids.b}: token:ic is commander and the only responder on a SEV1: the commander coordinates, someone else debugs.`,
        },
      ]);
      assert.deepEqual(r.trend.map((w: { week: string }) => w.week), ['2026-W41', '2026-W42', '2026-W43', '2026-W44', '2026-W45']);
      assert.deepEqual(r.trend.at(-1), { week: '2026-W45', incidents: 2, mttaMinutes: 2.5, mttrMinutes: 90 });
      assert.equal(r.trend[0].incidents, 0);
    });

    it('takes an explicit from..to window, both ends inclusive', async () => {
      const url = `/api/v1/insights?from=${encodeURIComponent(iso(0))}&to=${encodeURIComponent(iso(DAY_MIN - 1))}`;
      const res = await t.call('GET', url, undefined, 'viewer');
      assert.equal(res.statusCode, 200, res.body);
      const r = res.json();
      assert.deepEqual(r.window, { from: iso(0), to: iso(DAY_MIN - 1), days: 1 });
      assert.equal(r.incidents.total, 1);
      assert.deepEqual(r.mttr, { median: 60, p90: 60, mean: 60, samples: 1 });
      // v43 started exactly at T0 + 1 day, a minute after the window.
      assert.deepEqual(r.changeFailureRate, { failures: 1, deploys: 0, rate: null });
    });

    it('narrows to one service (its deploys too) and to severities', async () => {
      const get = async (query: string) => {
        const res = await t.call('GET', `/api/v1/insights?${query}`, undefined, 'viewer');
        assert.equal(res.statusCode, 200, res.body);
        return res.json();
      };
      const sev1 = await get('days=30&severity=SEV1');
      assert.deepEqual(sev1.filters, { service: null, severity: ['SEV1'] });
      assert.equal(sev1.incidents.total, 1);
      assert.deepEqual(sev1.mttr, { median: 120, p90: 120, mean: 120, samples: 1 });
      assert.deepEqual(sev1.changeFailureRate, { failures: 0, deploys: 4, rate: 0 });
      assert.deepEqual(sev1.actionItems, { open: 1, overdue: 1, done: 0, doneOnTime: 0 });

      const both = await get('severity=SEV2,SEV3');
      assert.equal(both.incidents.total, 2);
      assert.deepEqual(both.incidents.byStatus, { investigating: 0, mitigated: 0, resolved: 0, closed: 1, cancelled: 1 });

      const checkout = await get('service=checkout');
      assert.equal(checkout.incidents.total, 1);
      assert.deepEqual(checkout.mttr, { median: 60, p90: 60, mean: 60, samples: 1 });
      assert.deepEqual(checkout.postmortems, { due: 1, onTime: 1, late: 0, overdue: 0, pending: 0, punctuality: 1, skipped: 0 });

      const orders = await get('service=orders');
      assert.deepEqual(orders.changeFailureRate, { failures: 0, deploys: 0, rate: null });
      assert.equal((await get('service=checkout&severity=SEV1')).incidents.total, 0);
    });

    it('refuses a bad query with the exact problem', async () => {
      const cases: [string, { path: string; message: string }[]][] = [
        ['days=0', [{ path: 'query.days', message: 'must be at least 1' }]],
        ['days=366', [{ path: 'query.days', message: 'must be at most 365' }]],
        ['days=week', [{ path: 'query.days', message: 'must be an integer' }]],
        ['since=2026-11-01T00:00:00Z', [{ path: 'query.since', message: 'is not allowed' }]],
        ['from=yesterday&to=2026-11-02T00:00:00Z', [{ path: 'query.from', message: 'must be an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' }]],
        ['from=2026-11-01T00:00:00Z', [{ path: 'query.to', message: 'is required with from' }]],
        ['days=7&from=2026-11-01T00:00:00Z&to=2026-11-02T00:00:00Z', [{ path: 'query.days', message: 'cannot be combined with from and to' }]],
        ['from=2026-11-02T00:00:00Z&to=2026-11-01T00:00:00Z', [{ path: 'query.from', message: 'must be before to' }]],
        ['from=2025-01-01T00:00:00Z&to=2026-01-02T00:00:00Z', [{ path: 'query.to', message: 'must be at most 365 days after from' }]],
        ['severity=SEV5', [{ path: 'query.severity', message: 'must be a comma-separated list of SEV1, SEV2, SEV3, SEV4' }]],
        ['severity=SEV1,,SEV2', [{ path: 'query.severity', message: 'must be a comma-separated list of SEV1, SEV2, SEV3, SEV4' }]],
      ];
      for (const [query, errors] of cases) {
        const res = await t.call('GET', `/api/v1/insights?${query}`, undefined, 'viewer');
        assert.equal(res.statusCode, 400, `${query}: ${res.body}`);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.deepEqual(problemOf(res), invalidRequest(errors), query);
      }
    });

    it('needs a viewer: 401 without credentials, 403 for an ingest token', async () => {
      assert.equal((await t.call('GET', '/api/v1/insights', undefined, 'anonymous')).statusCode, 401);
      assert.equal((await t.call('GET', '/api/v1/insights', undefined, 'ingest')).statusCode, 403);
    });
  });
}
