import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../service/ports.js';
import { timerRunner } from '../service/timers.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const T0 = Date.parse('2026-05-04T08:00:00.000Z');
const min = (n: number) => new Date(T0 + n * 60_000).toISOString();

for (const adapter of adapters()) {
  describe(`timers over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let now = min(0);
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ clock: { now: () => now } }),
    );

    it('lists an incident\'s timers, shows the next one on the incident, and puts firings on the timeline', async () => {
      now = min(0);
      const { id, number } = await t.declare({ severity: 'SEV2', severityReason: 'card payments fail', services: ['checkout'] });
      const listed = await t.call('GET', `/api/v1/incidents/${id}/timers`, { as: 'viewer' });
      assert.equal(listed.statusCode, 200);
      assert.deepEqual(listed.json(), {
        items: [
          { id: `${id}.ack.${listed.json().items[0].id.split('.').at(-1)}`, kind: 'ack', dueAt: min(30), state: 'scheduled', firedAt: null },
          { id: listed.json().items[1].id, kind: 'comms_lead', dueAt: min(30), state: 'scheduled', firedAt: null },
          { id: listed.json().items[2].id, kind: 'contain_first', dueAt: min(30), state: 'scheduled', firedAt: null },
        ],
      });
      const incident = await t.call('GET', `/api/v1/incidents/${id}`, { as: 'viewer' });
      assert.deepEqual(incident.json().nextTimer, { kind: 'ack', dueAt: min(30) });

      now = min(3);
      const assign = await t.call('POST', `/api/v1/incidents/${id}/roles`, { body: { role: 'commander', person: 'ana' } });
      assert.equal(assign.statusCode, 200);
      await timerRunner(t.deps).runOnce(min(30));

      const after = (await t.call('GET', `/api/v1/incidents/${id}/timers`, { as: 'viewer' })).json();
      assert.deepEqual(
        after.items.map((x: { kind: string; state: string; firedAt: string | null }) => [x.kind, x.state, x.firedAt]),
        [
          ['ack', 'cancelled', null],
          ['comms_lead', 'fired', min(30)],
          ['contain_first', 'fired', min(30)],
        ],
      );
      assert.equal((await t.call('GET', `/api/v1/incidents/${id}`, { as: 'viewer' })).json().nextTimer, null);
      // The gauges read the table: nothing is left scheduled once the runner went round (the commander
      // cancelled the acknowledgement, the other two fired).
      const metrics = (await t.call('GET', '/metrics', { as: 'viewer' })).body;
      assert.match(metrics, /^firebreak_timers_scheduled 0$/m);
      assert.match(metrics, /^firebreak_timers_overdue 0$/m);
      assert.match(metrics, /^firebreak_timers_oldest_overdue_seconds 0$/m);
      now = min(0);
      await t.declare({ severity: 'SEV1', severityReason: 'everything is down' });
      now = min(20);
      const later = (await t.call('GET', '/metrics', { as: 'viewer' })).body;
      // SEV1 declared at 0: ack (5 min), comms lead (10 min) and contain-first (15 min) all waiting 20 min in.
      assert.match(later, /^firebreak_timers_scheduled 3$/m);
      assert.match(later, /^firebreak_timers_overdue 3$/m);
      assert.match(later, /^firebreak_timers_oldest_overdue_seconds 900$/m);
      const timeline = (await t.call('GET', `/api/v1/incidents/${id}/timeline`, { as: 'viewer' })).json();
      const rows = timeline.events as { type: string; summary: string; actor: string }[];
      assert.deepEqual(
        rows.filter((r) => r.type === 'TimerFired').map((r) => [r.actor, r.summary]),
        [
          ['firebreak', `No communications lead: INC-${number} (SEV2) has no communications lead: assign one so updates keep going out.`],
          [
            'firebreak',
            `Contain first: INC-${number} (SEV2) has no mitigation 30 min after it was declared: contain first, find the cause later. The catalog lists no levers for its services: decide a mitigation, or record that none is needed.`,
          ],
        ],
      );
    });

    it('refuses an unknown incident, a malformed id and a query, writing nothing', async () => {
      const before = await store.listIncidents({ limit: 100 });
      const missing = await t.call('GET', '/api/v1/incidents/INC-99999/timers', { as: 'viewer' });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(problemOf(missing), problem(404, 'not_found', 'Incident INC-99999 does not exist.'));
      const malformed = await t.call('GET', '/api/v1/incidents/nope/timers', { as: 'viewer' });
      assert.deepEqual(problemOf(malformed), problem(404, 'not_found', 'Incident nope does not exist.'));
      const query = await t.call('GET', '/api/v1/incidents/INC-1/timers?state=fired', { as: 'viewer' });
      assert.equal(query.statusCode, 400);
      assert.deepEqual(problemOf(query), invalidRequest([{ path: 'query.state', message: 'is not allowed' }]));
      const anonymous = await t.call('GET', '/api/v1/incidents/INC-1/timers', { as: 'anonymous' });
      assert.equal(anonymous.statusCode, 401);
      assert.deepEqual(await store.listIncidents({ limit: 100 }), before);
      assert.equal((await store.listTimers(99_999)).length, 0);
    });
  });
}
