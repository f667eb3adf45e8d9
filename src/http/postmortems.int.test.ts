import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type As, type TestApp } from './test-app.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const HOUR = 3_600_000;

const POSTMORTEM = {
  summary: 'A shortened tokeniser timeout in v42 failed card payments for 29 minutes.',
  impact: '1200 users could not pay by card.',
  whys: ['Payments timed out', 'The tokeniser timeout was 2 s', 'A config default changed in v42'],
  rootCause: 'A changed config default shipped without a canary on the payment path.',
  wentWell: ['Rollback within 10 minutes of detection'],
  wentPoorly: ['Detection took 15 minutes'],
};

for (const adapter of adapters()) {
  describe(`postmortem workflow and follow-ups over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let now = T0;
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ clock: { now: () => new Date(now).toISOString() } }),
    );

    const actorOf = async (as: As) => ((await t.call('GET', '/api/v1/session', { as })).json() as { username: string }).username;
    const ok = async (method: 'POST' | 'PUT' | 'PATCH', url: string, body: unknown, as: As = 'responder') => {
      const res = await t.call(method, url, { body, as });
      assert.equal(res.statusCode, 200, `${method} ${url}: ${res.body}`);
      return res.json();
    };
    /** An incident taken to resolved with every resolve criterion met; the commander is ana. */
    const resolved = async (title = 'Card payments fail') => {
      const inc = await t.declare({ title, severity: 'SEV2', severityReason: 'a third of payments fail', commander: 'ana' });
      const base = `/api/v1/incidents/${inc.id}`;
      for (const [method, path, body] of [
        ['POST', '/roles', { role: 'comms', person: 'li' }],
        ['PUT', '/comms', { channel: '#inc', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'SEV1' }],
        ['POST', '/mitigations', { kind: 'rollback', action: 'Roll checkout back to v41', rationale: 'v42 came first', failClosed: true }],
        ['POST', '/evidence', { kind: 'metric', title: 'payment errors', url: 'https://grafana.example/d/1' }],
        ['PUT', '/impact', { statement: 'Card payments failed for 1200 users', confirmed: true }],
        ['POST', '/guardrails', { what: 'Pin checkout to v41', why: 'v42 breaks payments', removalCondition: 'v43 passes canary', owner: 'bo' }],
        ['POST', '/status', { to: 'resolved' }],
      ] as const) {
        await ok(method, base + path, body);
      }
      return { ...inc, base };
    };

    it('drafts the postmortem at resolution, then assign → submit → publish by a reviewer → close', async () => {
      now = T0;
      const reviewer = await actorOf('admin');
      const inc = await resolved();
      const drafted = (await t.call('GET', inc.base, { as: 'viewer' })).json();
      assert.equal(drafted.postmortem.state, 'draft');
      assert.equal(drafted.postmortem.author, 'ana');
      assert.equal(drafted.postmortem.impact, 'Card payments failed for 1200 users');
      assert.equal(drafted.actions[0].kind, 'guardrail-removal');
      assert.equal(drafted.actions[0].owner, 'bo');

      await ok('PUT', `${inc.base}/postmortem`, POSTMORTEM);
      const action = await ok('POST', `${inc.base}/actions`, {
        title: 'Canary the payment path', owner: 'bo', dueAt: '2026-03-10T00:00:00Z', priority: 'P1', kind: 'monitoring', ticketUrl: 'https://tracker.example/PAY-1',
      });
      assert.deepEqual(
        { kind: action.actions[1].kind, ticketUrl: action.actions[1].ticketUrl },
        { kind: 'monitoring', ticketUrl: 'https://tracker.example/PAY-1' },
      );

      const noReviewer = await t.call('POST', `${inc.base}/postmortem/state`, { body: { to: 'in_review' } });
      assert.deepEqual(problemOf(noReviewer), problem(422, 'gate_unmet', 'The postmortem cannot go to review yet.', {
        unmet: [{ code: 'reviewer_missing', message: 'Assign at least one reviewer (not the author).' }],
      }));
      await ok('POST', `${inc.base}/postmortem/assign`, { reviewers: [reviewer] });
      await ok('POST', `${inc.base}/postmortem/state`, { to: 'in_review' });

      const notReviewer = await t.call('POST', `${inc.base}/postmortem/state`, { body: { to: 'published' } });
      assert.deepEqual(problemOf(notReviewer), problem(403, 'forbidden', `Only a reviewer (${reviewer}) can publish the postmortem.`));
      const unpublishedClose = await t.call('POST', `${inc.base}/status`, { body: { to: 'closed' } });
      assert.deepEqual((unpublishedClose.json() as { unmet: { code: string }[] }).unmet.map((u) => u.code), ['postmortem_unpublished']);

      const published = await ok('POST', `${inc.base}/postmortem/state`, { to: 'published' }, 'admin');
      assert.equal(published.postmortem.state, 'published');
      assert.equal(published.postmortem.publishedBy, reviewer);
      const edit = await t.call('PUT', `${inc.base}/postmortem`, { body: POSTMORTEM });
      assert.deepEqual(problemOf(edit), problem(409, 'conflict', `The postmortem of ${inc.id} is published: it no longer changes.`));
      const closed = await ok('POST', `${inc.base}/status`, { to: 'closed' });
      assert.equal(closed.status, 'closed');

      const report = (await t.call('GET', `${inc.base}/postmortem?format=json`, { as: 'viewer' })).json();
      assert.equal(report.state, 'published');
      assert.deepEqual(report.reviewers, [reviewer]);
    });

    it('answers blameless warnings with positions on save; strict publishing refuses them until waived', async () => {
      now = T0;
      const reviewer = await actorOf('admin');
      const inc = await resolved('Search is slow');
      const saved = await ok('PUT', `${inc.base}/postmortem`, { ...POSTMORTEM, rootCause: 'Human error: a careless config push.' });
      assert.deepEqual(
        saved.postmortemWarnings.map((w: { field: string; phrase: string; start: number; end: number }) => [w.field, w.phrase, w.start, w.end]),
        [
          ['rootCause', 'Human error', 0, 11],
          ['rootCause', 'careless', 15, 23],
        ],
      );
      await ok('POST', `${inc.base}/actions`, { title: 'Review config pushes', owner: 'bo', dueAt: '2026-03-10T00:00:00Z', priority: 'P2' });
      await ok('POST', `${inc.base}/postmortem/assign`, { reviewers: [reviewer] });
      await ok('POST', `${inc.base}/postmortem/state`, { to: 'in_review' });

      const strict = await t.call('POST', `${inc.base}/postmortem/state`, { body: { to: 'published', strict: true }, as: 'admin' });
      assert.equal(strict.statusCode, 422, strict.body);
      assert.deepEqual((strict.json() as { unmet: { code: string }[] }).unmet.map((u) => u.code), ['blameful_language', 'blameful_language']);

      const unknown = await t.call('POST', `${inc.base}/postmortem/waivers`, { body: { field: 'summary', phrase: 'careless', reason: 'x' } });
      assert.deepEqual(problemOf(unknown), problem(404, 'not_found', `The postmortem of ${inc.id} has no warning for "careless" in summary.`));
      const badField = await t.call('POST', `${inc.base}/postmortem/waivers`, { body: { field: 'whys[x]', phrase: 'careless', reason: 'x' } });
      assert.deepEqual(problemOf(badField), invalidRequest([{ path: 'body.field', message: 'must be a postmortem field as the warning names it, like rootCause or whys[2]' }]));

      await ok('POST', `${inc.base}/postmortem/waivers`, { field: 'rootCause', phrase: 'Human error', reason: 'the vendor report uses the phrase' });
      const waived = await ok('POST', `${inc.base}/postmortem/waivers`, { field: 'rootCause', phrase: 'careless', reason: 'quoted from the ticket' });
      assert.deepEqual(waived.postmortemWarnings, []);
      const published = await ok('POST', `${inc.base}/postmortem/state`, { to: 'published', strict: true }, 'admin');
      assert.equal(published.postmortem.state, 'published');
    });

    it('edits action items field by field (each on the timeline), turns a question into one, and lists them across incidents', async () => {
      now = T0;
      const a = await resolved('Login fails');
      await ok('POST', `${a.base}/questions`, { question: 'Why did the session cache miss?' });
      const fromQ = await ok('POST', `${a.base}/questions/q1/action`, { owner: 'li', dueAt: '2026-03-03T00:00:00Z', priority: 'P2' });
      const item = fromQ.actions.at(-1);
      assert.deepEqual([item.title, item.fromQuestion, item.kind], ['Why did the session cache miss?', 'Q1', 'fix']);

      const edited = await ok('PATCH', `/api/v1/actions/${item.id}`, { owner: 'sam', dueAt: '2026-03-05T00:00:00Z', ticketUrl: 'https://tracker.example/LOG-2', status: 'in_progress' });
      const after = edited.actions.find((x: { id: string }) => x.id === item.id);
      assert.deepEqual([after.owner, after.dueAt, after.ticketUrl, after.status], ['sam', '2026-03-05T00:00:00.000Z', 'https://tracker.example/LOG-2', 'in_progress']);
      const timeline = (await t.call('GET', `${a.base}/timeline`, { as: 'viewer' })).json() as { events: { type: string; summary: string }[] };
      assert.ok(timeline.events.some((e) => e.type === 'ActionItemEdited' && e.summary === `Action ${item.id} edited: owner li → sam; dueAt 2026-03-03 00:00:00Z → 2026-03-05 00:00:00Z; ticketUrl (none) → https://tracker.example/LOG-2`), JSON.stringify(timeline.events.at(-2)));
      const unlinked = await ok('PATCH', `/api/v1/actions/${item.id}`, { ticketUrl: null });
      assert.equal(unlinked.actions.find((x: { id: string }) => x.id === item.id).ticketUrl, null);

      const badTicket = await t.call('PATCH', `/api/v1/actions/${item.id}`, { body: { ticketUrl: 'javascript:alert(1)' } });
      assert.equal(badTicket.statusCode, 400);
      assert.deepEqual((problemOf(badTicket).errors as { path: string }[]).map((e) => e.path), ['body.ticketUrl']);
      const nothing = await t.call('PATCH', `/api/v1/actions/${item.id}`, { body: {} });
      assert.deepEqual(problemOf(nothing), invalidRequest([{ path: 'body', message: 'name at least one of status, title, owner, dueAt, priority, kind, ticketUrl' }]));
      const version = (await store.loadIncident(a.number))!.version;

      now = T0 + 3 * 24 * HOUR; // 2026-03-05T09:00Z: the question's item (due 03-05 00:00) and the guardrail's are due or not
      const overdue = await t.call('GET', '/api/v1/actions?overdue=true&owner=sam', { as: 'viewer' });
      assert.equal(overdue.statusCode, 200, overdue.body);
      const rows = (overdue.json() as { items: { id: string; incident: string; overdue: boolean; incidentTitle: string }[] }).items;
      assert.deepEqual(rows.map((r) => [r.id, r.incident, r.overdue, r.incidentTitle]), [[item.id, a.id, true, 'Login fails']]);
      const guardrails = (await t.call('GET', `/api/v1/actions?kind=guardrail-removal&incident=${a.id}`, { as: 'viewer' })).json() as { items: { owner: string }[] };
      assert.deepEqual(guardrails.items.map((r) => r.owner), ['bo']);
      assert.equal((await store.loadIncident(a.number))!.version, version, 'lists write nothing');

      const pms = (await t.call('GET', '/api/v1/postmortems?state=draft&overdue=true', { as: 'viewer' })).json() as { items: { incident: string; state: string; overdue: boolean }[] };
      assert.ok(pms.items.some((p) => p.incident === a.id && p.state === 'draft' && p.overdue), JSON.stringify(pms));
      const badState = await t.call('GET', '/api/v1/postmortems?state=done', { as: 'viewer' });
      assert.deepEqual((problemOf(badState).errors as { path: string }[]).map((e) => e.path), ['query.state']);
      const badCursor = await t.call('GET', '/api/v1/actions?cursor=nope', { as: 'viewer' });
      assert.deepEqual(problemOf(badCursor), invalidRequest([{ path: 'query.cursor', message: 'is not a cursor this list answered' }]));
      const badIncident = await t.call('GET', '/api/v1/actions?incident=abc', { as: 'viewer' });
      assert.deepEqual(problemOf(badIncident), invalidRequest([{ path: 'query.incident', message: 'must be an incident id like INC-12' }]));
    });

    it('pages the action list by its cursor, earliest deadline first', async () => {
      now = T0;
      const inc = await t.declare({ title: 'Paging test' });
      for (const day of [9, 7, 8]) {
        await ok('POST', `/api/v1/incidents/${inc.id}/actions`, { title: `item due ${day}`, owner: 'pager', dueAt: `2026-04-0${day}T00:00:00Z`, priority: 'P3' });
      }
      const first = (await t.call('GET', '/api/v1/actions?owner=pager&limit=2', { as: 'viewer' })).json() as { items: { title: string }[]; nextCursor: string };
      assert.deepEqual(first.items.map((r) => r.title), ['item due 7', 'item due 8']);
      const second = (await t.call('GET', `/api/v1/actions?owner=pager&limit=2&cursor=${first.nextCursor}`, { as: 'viewer' })).json() as { items: { title: string }[]; nextCursor: string | null };
      assert.deepEqual(second.items.map((r) => r.title), ['item due 9']);
      assert.equal(second.nextCursor, null);
    });
  });
}

for (const adapter of adapters()) {
  describe(`a strict server (FIREBREAK_POSTMORTEM_STRICT=true) (${adapter.name})`, () => {
    let t: TestApp;
    useTestApp(
      () => adapter.create(),
      (_s, app) => {
        t = app;
      },
      () => ({ env: { FIREBREAK_POSTMORTEM_STRICT: 'true' }, clock: { now: () => new Date(T0).toISOString() } }),
    );

    it('refuses to publish and to close with a blameful phrase unwaived, whatever the request says', async () => {
      const call = async (method: 'POST' | 'PUT', url: string, body: unknown, as: As = 'responder') => t.call(method, url, { body, as });
      const reviewer = ((await t.call('GET', '/api/v1/session', { as: 'admin' })).json() as { username: string }).username;
      const inc = await t.declare({ title: 'Queue backlog', severity: 'SEV3', severityReason: 'slow, not down', commander: 'ana' });
      const base = `/api/v1/incidents/${inc.id}`;
      for (const [method, path, body] of [
        ['POST', '/roles', { role: 'comms', person: 'li' }],
        ['PUT', '/comms', { channel: '#inc', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'SEV1' }],
        ['POST', '/mitigations', { kind: 'scale', action: 'Add two workers', rationale: 'the backlog grows', failClosed: true }],
        ['POST', '/evidence', { kind: 'metric', title: 'queue depth' }],
        ['PUT', '/impact', { statement: 'Emails were sent an hour late', confirmed: true }],
        ['POST', '/status', { to: 'resolved', noGuardrails: true }],
        ['PUT', '/postmortem', { ...POSTMORTEM, wentPoorly: ['The on-call should have noticed the backlog'] }],
        ['POST', '/actions', { title: 'Alert on queue age', owner: 'bo', dueAt: '2026-03-10T00:00:00Z', priority: 'P2' }],
        ['POST', '/postmortem/assign', { reviewers: [reviewer] }],
        ['POST', '/postmortem/state', { to: 'in_review' }],
      ] as const) {
        const res = await call(method, base + path, body);
        assert.equal(res.statusCode, 200, `${method} ${path}: ${res.body}`);
      }
      const refused = await call('POST', `${base}/postmortem/state`, { to: 'published', strict: false }, 'admin');
      assert.deepEqual(problemOf(refused), problem(422, 'gate_unmet', 'The postmortem cannot be published yet.', {
        unmet: [
          {
            code: 'blameful_language',
            message: 'wentPoorly[0]: "should have noticed" — Hindsight makes it look obvious. What information was missing or hard to see at the time, and how can the system surface it? Reword it, or waive it with a reason.',
          },
        ],
      }));
      const fixed = await call('PUT', `${base}/postmortem`, { ...POSTMORTEM, wentPoorly: ['The backlog alert fired only after an hour'] });
      assert.equal(fixed.statusCode, 200, fixed.body);
      const published = await call('POST', `${base}/postmortem/state`, { to: 'published' }, 'admin');
      assert.equal(published.statusCode, 200, published.body);
      const closed = await call('POST', `${base}/status`, { to: 'closed' });
      assert.equal(closed.statusCode, 200, closed.body);
    });
  });
}
