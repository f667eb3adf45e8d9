import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const NOW = Date.parse('2026-03-20T12:00:00.000Z');
const DAY = 86_400_000;
const ago = (days: number, minutes = 0) => new Date(NOW - days * DAY + minutes * 60_000).toISOString();

/** A SEV2 from ten days ago, taken through every step to closed, each at its own time. */
function history(reviewer: string) {
  const step = (minutes: number, method: string, path: string, body?: unknown, actor = 'ana') => ({ at: ago(10, minutes), actor, method, path, ...(body !== undefined && { body }) });
  return {
    declare: {
      at: ago(10),
      actor: 'ana',
      body: {
        title: 'Checkout fails for card payments',
        impact: 'Card payments fail for a third of users',
        services: ['checkout'],
        severity: 'SEV2',
        severityReason: 'a third of payments fail',
        startedAt: ago(10, -12),
        detectedAt: ago(10, -4),
        commander: 'ana',
      },
    },
    steps: [
      step(3, 'POST', '/roles', { role: 'comms', person: 'li' }),
      step(4, 'PUT', '/comms', { channel: '#inc', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'SEV1' }),
      step(9, 'POST', '/mitigations', { kind: 'rollback', action: 'Roll checkout back to v41', rationale: 'v42 came first', failClosed: true }),
      step(10, 'POST', '/status', { to: 'mitigated' }),
      step(20, 'POST', '/evidence', { kind: 'metric', title: 'payment errors' }),
      step(21, 'PUT', '/impact', { statement: 'Card payments failed for 1200 users', confirmed: true }),
      step(25, 'POST', '/guardrails', { what: 'Pin checkout to v41', why: 'v42 breaks payments', removalCondition: 'v43 passes canary', owner: 'bo' }),
      step(40, 'POST', '/status', { to: 'resolved' }),
      step(24 * 60, 'PUT', '/postmortem', {
        summary: 'A config default in v42 failed card payments for 40 minutes.',
        impact: '1200 users could not pay by card.',
        whys: ['Payments timed out', 'A config default changed'],
        rootCause: 'Config defaults ship without a canary on the payment path.',
        wentWell: ['Rollback in 9 minutes'],
        wentPoorly: ['Detection took 8 minutes'],
      }),
      step(24 * 60 + 5, 'POST', '/actions', { title: 'Canary the payment path', owner: 'bo', dueAt: ago(3), priority: 'P1' }),
      step(24 * 60 + 6, 'PATCH', '/actions/A1', { dueAt: ago(-20) }),
      step(24 * 60 + 7, 'POST', '/postmortem/assign', { reviewers: [reviewer] }),
      step(24 * 60 + 8, 'POST', '/postmortem/state', { to: 'in_review' }),
      step(30 * 60, 'POST', '/postmortem/state', { to: 'published' }, reviewer),
      step(30 * 60 + 1, 'POST', '/status', { to: 'closed' }),
    ],
  };
}

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
