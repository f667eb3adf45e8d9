import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { HISTORY_NOW, historyAgo, incidentHistory } from '../../test/support/incident-history.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const NOW = HISTORY_NOW;
const ago = historyAgo;
const history = (reviewer: string) => incidentHistory({ reviewer });

for (const adapter of adapters()) {
  describe(`importing an incident's history (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ clock: { now: () => new Date(NOW).toISOString() } }),
    );

    it('records every step at its own time through the gates, notifies nothing, and schedules only timers still ahead', async () => {
      const res = await t.call('POST', '/api/v1/incidents/import', { as: 'admin', body: history('sam') });
      assert.equal(res.statusCode, 201, res.body);
      const inc = res.json();
      assert.equal(res.headers.location, `/api/v1/incidents/${inc.id}`);
      assert.equal(inc.status, 'closed');
      assert.deepEqual(
        [inc.milestones.startedAt, inc.milestones.detectedAt, inc.milestones.declaredAt, inc.milestones.acknowledgedAt, inc.milestones.mitigatedAt, inc.milestones.resolvedAt],
        [ago(10, -12), ago(10, -4), ago(10), ago(10), ago(10, 10), ago(10, 40)],
      );
      assert.equal(inc.postmortem.state, 'published');
      assert.equal(inc.postmortem.publishedBy, 'sam');
      assert.deepEqual(inc.actions.map((a: { id: string; kind: string; dueAt: string }) => [a.id, a.kind]), [
        [`${inc.id}-A1`, 'guardrail-removal'],
        [`${inc.id}-A2`, 'fix'],
      ]);
      assert.equal(inc.actions[0].dueAt, ago(-20), 'the local id A1 named the guardrail removal');
      const timeline = (await t.call('GET', `/api/v1/incidents/${inc.id}/timeline?limit=500`, { as: 'viewer' })).json() as { events: { at: string; actor: string }[] };
      assert.equal(timeline.events[0]?.at, ago(10));
      assert.equal(timeline.events.at(-1)?.at, ago(10, 30 * 60 + 1));
      assert.equal(timeline.events.length, await store.countEvents(inc.number));

      assert.deepEqual((await store.unroutedMessages(100)).filter((m) => m.incident === inc.number), [], 'history is not notified');
      const timers = await store.listTimers(inc.number);
      assert.deepEqual(timers.map((x) => [x.kind, x.dueAt]), [['action_due', ago(-20)], ['action_due', ago(3)]].filter(([, due]) => due! > new Date(NOW).toISOString()));
    });

    it('answers a retry with the same Idempotency-Key as the first import', async () => {
      const body = history('sam');
      const headers = { 'idempotency-key': 'import-1' };
      const first = await t.call('POST', '/api/v1/incidents/import', { as: 'admin', body, headers });
      const again = await t.call('POST', '/api/v1/incidents/import', { as: 'admin', body, headers });
      assert.equal(first.statusCode, 201);
      assert.equal(again.statusCode, 200);
      assert.equal(again.headers['idempotent-replayed'], 'true');
      assert.equal(again.json().id, first.json().id);
    });

    it('refuses, writing nothing: steps out of order or ahead of now, unknown paths, bad bodies, a refused gate, a non-admin', async () => {
      const before = (await store.listIncidents({ limit: 500 })).length;
      const h = history('sam');
      const post = (body: unknown, as: 'admin' | 'responder' = 'admin') => t.call('POST', '/api/v1/incidents/import', { as, body });

      const times = structuredClone(h);
      times.steps[2]!.at = ago(11);
      times.steps[3]!.at = ago(-1);
      assert.deepEqual(problemOf(await post(times)), invalidRequest([
        { path: 'body.steps[2].at', message: 'must not be before the step ahead of it' },
        { path: 'body.steps[3].at', message: 'must not be in the future' },
      ]));

      const path = structuredClone(h);
      path.steps[0]!.path = '/levers';
      assert.deepEqual(problemOf(await post(path)), invalidRequest([{ path: 'body.steps[0].path', message: 'POST /levers is not a command a history can hold' }]));

      const bad = structuredClone(h);
      bad.steps[3]!.body = { to: 'fixed' };
      bad.steps[2]!.body = { ...(bad.steps[2]!.body as object), execute: true };
      const badRes = problemOf(await post(bad));
      assert.deepEqual(badRes, invalidRequest([{ path: 'body.steps[2].body.execute', message: 'is not allowed' }]), 'the first bad step answers');

      const gate = structuredClone(h);
      gate.steps.splice(5, 1); // no confirmed impact: resolving is refused
      const refused = await post(gate);
      assert.equal(refused.statusCode, 422, refused.body);
      assert.deepEqual(problemOf(refused), problem(422, 'gate_unmet', 'Step 6: INC-' + (before + 1) + ' cannot move to resolved yet.', {
        unmet: [{ code: 'impact_unconfirmed', message: 'Confirm the impact statement: what users saw, checked against evidence.' }],
      }));

      assert.equal((await post(h, 'responder')).statusCode, 403);
      assert.equal((await store.listIncidents({ limit: 500 })).length, before, 'nothing was recorded');
    });
  });
}
