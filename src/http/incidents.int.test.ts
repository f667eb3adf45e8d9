import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { problem, problemOf, useTestApp, type TestApp } from './test-app.js';

for (const adapter of adapters()) {
  describe(`incidents over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;

    useTestApp(() => adapter.create(), (s, app) => {
      store = s;
      t = app;
    });

    it('walks the seven steps from declare to closed', async () => {
      const declared = await t.call('POST', '/api/v1/incidents', {
        body: {
          title: 'Checkout fails for card payments',
          impact: 'Card payments fail with a 502 for all users since 10:02',
          services: ['checkout', 'payments-api'],
          impactFacts: { majorFeatureBroken: true, significantUserImpact: true },
          boundary: { unsupportedFlow: false, coexistenceSeam: true, rolloutBoundary: true },
        },
      });
      assert.equal(declared.statusCode, 201);
      const inc = declared.json();
      assert.match(inc.id, /^INC-\d+$/);
      assert.equal(declared.headers.location, `/api/v1/incidents/${inc.id}`);
      assert.equal(declared.headers.etag, `"${inc.version}"`);
      assert.equal(inc.status, 'investigating');
      assert.equal(inc.severity, 'SEV2');
      assert.deepEqual(inc.services, ['checkout', 'payments-api']);
      assert.equal(inc.nextGate.to, 'mitigated');

      const base = `/api/v1/incidents/${inc.id}`;
      const reviewer = (await t.call('GET', '/api/v1/session', { as: 'admin' })).json().username as string;
      const steps: [string, string, unknown, string?][] = [
        ['POST', '/roles', { role: 'commander', person: 'ana' }],
        ['POST', '/roles', { role: 'comms', person: 'li' }],
        ['POST', '/roles', { role: 'responder', person: 'bo' }],
        ['PUT', '/comms', { channel: '#inc-checkout', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'SEV1 or > 1 h' }],
        ['POST', '/updates', { audience: 'internal', body: 'Investigating card payment failures.' }],
        ['POST', '/mitigations', { kind: 'rollback', lever: 'rollback', action: 'Roll checkout back to v41', rationale: 'v42 shipped at 10:00', failClosed: true }],
        ['POST', '/status', { to: 'mitigated' }],
        ['POST', '/evidence', { kind: 'deploy', title: 'checkout v42 deploy', url: 'https://ci.example/deploys/42' }],
        ['POST', '/questions', { question: 'Did v42 change the card tokeniser timeout?' }],
        ['POST', '/questions/Q1/answer', { answer: 'Yes: 2 s instead of 20 s.' }],
        ['PUT', '/impact', { statement: 'Card payments failed with a 502 for all users from 10:02 to 10:31', confirmed: true, usersAffected: 1200 }],
        ['POST', '/guardrails', { what: 'Pin checkout to v41', why: 'v42 breaks card payments', removalCondition: 'v43 with the timeout fix passes canary', owner: 'bo' }],
        ['POST', '/notes', { body: 'Error rate back to baseline since 10:31.' }],
        ['POST', '/status', { to: 'resolved' }],
        ['PUT', '/postmortem', {
          summary: 'A shortened tokeniser timeout in v42 failed card payments for 29 minutes.',
          impact: '1200 users could not pay by card.',
          whys: ['Payments timed out', 'The tokeniser timeout was 2 s', 'A config default changed in v42'],
          rootCause: 'A changed config default shipped without a canary on the payment path.',
          contributingFactors: ['No alert on tokeniser latency'],
          wentWell: ['Rollback within 10 minutes of detection'],
          wentPoorly: ['Detection took 15 minutes'],
          lessons: ['Canary every change on the payment path'],
        }],
        ['POST', '/actions', { title: 'Canary the payment path', owner: 'bo', dueAt: '2030-01-15T00:00:00Z', priority: 'P1' }],
        ['POST', '/postmortem/assign', { reviewers: [reviewer] }],
        ['POST', '/postmortem/state', { to: 'in_review' }],
        ['POST', '/postmortem/state', { to: 'published' }, 'admin'],
        ['POST', '/status', { to: 'closed' }],
      ];
      let version = inc.version as number;
      for (const [method, path, body, as] of steps) {
        const res = await t.call(method as 'POST', base + path, { body, as: (as ?? 'responder') as 'admin' });
        assert.equal(res.statusCode, 200, `${method} ${path}: ${res.body}`);
        const v = res.json().version as number;
        assert.ok(v > version, `${method} ${path} moved the version`);
        assert.equal(res.headers.etag, `"${v}"`);
        version = v;
      }

      const final = await t.call('GET', base, { as: 'viewer' });
      assert.equal(final.statusCode, 200);
      const s = final.json();
      assert.equal(s.status, 'closed');
      assert.equal(s.version, version);
      assert.equal(s.version, await store.countEvents(inc.number));
      assert.deepEqual(s.roles, { commander: 'ana', responders: ['bo'], comms: 'li', scribe: null });
      assert.ok(s.milestones.mitigatedAt && s.milestones.resolvedAt && s.milestones.closedAt);
      assert.deepEqual(s.actions.map((a: { id: string; kind: string }) => [a.id, a.kind]), [
        [`${inc.id}-A1`, 'guardrail-removal'],
        [`${inc.id}-A2`, 'fix'],
      ]);
      assert.equal(s.postmortem.state, 'published');
      assert.equal(s.nextGate, null);

      const done = await t.call('PATCH', `/api/v1/actions/${inc.id}-A2`, { body: { status: 'done' } });
      assert.equal(done.statusCode, 200, done.body);
      assert.equal(done.json().actions[1].status, 'done');

      const byNumber = await t.call('GET', `/api/v1/incidents/${inc.number}`, { as: 'viewer' });
      assert.equal(byNumber.json().id, inc.id);

      const list = await t.call('GET', '/api/v1/incidents?status=closed&limit=500', { as: 'viewer' });
      assert.equal(list.statusCode, 200);
      assert.ok(list.json().items.some((i: { id: string }) => i.id === inc.id));
    });

    it('answers 422 with every unmet criterion when resolving too early, and records nothing', async () => {
      const inc = await t.declare({ severity: 'SEV3', severityReason: 'search results wrong, workaround exists' });
      const res = await t.call('POST', `/api/v1/incidents/${inc.id}/status`, { body: { to: 'resolved' } });
      assert.equal(res.statusCode, 422);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.deepEqual(
        problemOf(res),
        problem(422, 'gate_unmet', `${inc.id} cannot move to resolved yet.`, {
          unmet: [
            { code: 'impact_unconfirmed', message: 'Confirm the impact statement: what users saw, checked against evidence.' },
            { code: 'containment_missing', message: 'Record the containment decision (rollback, fail-closed, fallback, or "none" with a reason).' },
            { code: 'commander_missing', message: 'Assign an incident commander.' },
            { code: 'comms_owner_missing', message: 'Assign a communications lead.' },
            { code: 'cadence_missing', message: 'Set the communication plan: channel, decision owner, cadence.' },
            { code: 'evidence_missing', message: 'Attach at least one piece of evidence.' },
            { code: 'guardrails_unreviewed', message: 'Review guardrails: add each temporary guardrail, or say there are none (noGuardrails: true).' },
          ],
        }),
      );
      assert.equal(await store.countEvents(inc.number), inc.version);
    });

    it('answers 409 with currentVersion on a stale If-Match, and accepts a quoted ETag', async () => {
      const inc = await t.declare();
      const stale = await t.call('POST', `/api/v1/incidents/${inc.id}/notes`, {
        body: { body: 'late note' },
        headers: { 'if-match': String(inc.version - 1) },
      });
      assert.equal(stale.statusCode, 409);
      assert.deepEqual(
        problemOf(stale),
        problem(409, 'conflict', `${inc.id} is at version ${inc.version}, not ${inc.version - 1}: reload and retry.`, {
          currentVersion: inc.version,
        }),
      );
      assert.equal(await store.countEvents(inc.number), inc.version);

      const fresh = await t.call('POST', `/api/v1/incidents/${inc.id}/notes`, {
        body: { body: 'on time' },
        headers: { 'if-match': `"${inc.version}"` },
      });
      assert.equal(fresh.statusCode, 200);
      assert.equal(fresh.json().version, inc.version + 1);
    });

    it('records a command once per Idempotency-Key and refuses the key for another body', async () => {
      const inc = await t.declare();
      const send = (body: string) =>
        t.call('POST', `/api/v1/incidents/${inc.id}/notes`, { body: { body }, headers: { 'idempotency-key': `note-${inc.id}` } });
      const first = await send('once');
      const second = await send('once');
      assert.equal(first.statusCode, 200);
      assert.equal(second.statusCode, 200);
      assert.equal(first.headers['idempotent-replayed'], undefined);
      assert.equal(second.headers['idempotent-replayed'], 'true');
      assert.equal(second.json().version, first.json().version);
      assert.equal(second.headers.etag, first.headers.etag);
      assert.equal(await store.countEvents(inc.number), inc.version + 1);

      const other = await send('something else');
      assert.equal(other.statusCode, 400);
      assert.deepEqual(
        problemOf(other),
        problem(400, 'validation', 'Idempotency-Key reused for a different request.', {
          errors: [{ path: 'headers.idempotency-key', message: 'this key was already used for a different request' }],
        }),
      );
      assert.equal(await store.countEvents(inc.number), inc.version + 1);
    });

    it('declares once per Idempotency-Key', async () => {
      const key = `declare-${Math.random()}`;
      const body = { title: 'Search is slow', impact: 'Search takes 10 s' };
      const a = await t.call('POST', '/api/v1/incidents', { body, headers: { 'idempotency-key': key } });
      const b = await t.call('POST', '/api/v1/incidents', { body, headers: { 'idempotency-key': key } });
      assert.equal(a.statusCode, 201);
      assert.equal(b.statusCode, 201);
      assert.equal(b.headers['idempotent-replayed'], 'true');
      assert.equal(b.json().id, a.json().id);
    });

    it('answers 404 for ids that are not incidents', async () => {
      for (const [id, named] of [['INC-0', 'INC-0'], ['abc', 'abc'], ['99999999', 'INC-99999999']]) {
        const res = await t.call('GET', `/api/v1/incidents/${id}`, { as: 'viewer' });
        assert.equal(res.statusCode, 404);
        assert.deepEqual(problemOf(res), problem(404, 'not_found', `Incident ${named} does not exist.`));
      }
      const action = await t.call('PATCH', '/api/v1/actions/nope', { body: { status: 'done' } });
      assert.equal(action.statusCode, 404);
    });

    it('names an override on a timeline page that starts at the overridden status change', async () => {
      const inc = await t.declare();
      const me = (await t.call('GET', '/api/v1/session', { as: 'responder' })).json().username as string;
      const base = `/api/v1/incidents/${inc.id}`;
      await t.call('POST', `${base}/roles`, { body: { role: 'commander', person: me } });
      const moved = await t.call('POST', `${base}/status`, { body: { to: 'resolved', override: { reason: 'customer call at 09:00' } } });
      assert.equal(moved.statusCode, 200);
      // The postmortem draft made at resolution follows the status change.
      const statusSeq = (moved.json().version as number) - 1;
      const page = (await t.call('GET', `${base}/timeline?limit=1&cursor=${statusSeq - 1}`, { as: 'viewer' })).json();
      assert.deepEqual(page.events.map((e: { seq: number; type: string }) => [e.seq, e.type]), [[statusSeq, 'StatusChanged']]);
      assert.match(page.events[0].summary, /override: customer call at 09:00/);
    });

    it('serves the outputs with their content types', async () => {
      const inc = await t.declare();
      await t.call('POST', `/api/v1/incidents/${inc.id}/evidence`, {
        body: { kind: 'dashboard', title: 'Errors <b>', url: 'https://grafana.example/d/1' },
      });
      const base = `/api/v1/incidents/${inc.id}`;
      const get = (path: string) => t.call('GET', base + path, { as: 'viewer' });

      const json = await get('/timeline');
      assert.equal(json.statusCode, 200);
      assert.equal(json.headers['content-type'], 'application/json; charset=utf-8');
      const page = json.json();
      assert.equal(page.incident.id, inc.id);
      assert.deepEqual(page.events.map((e: { seq: number }) => e.seq), [1, 2, 3]);
      assert.equal(page.nextCursor, null);
      assert.deepEqual(Object.keys(page.events[0]).sort(), ['actor', 'at', 'links', 'seq', 'summary', 'type']);

      const first = (await get('/timeline?limit=2')).json();
      assert.equal(first.events.length, 2);
      assert.equal(first.nextCursor, '2');
      const rest = (await get(`/timeline?limit=2&cursor=${first.nextCursor}`)).json();
      assert.deepEqual(rest.events.map((e: { seq: number }) => e.seq), [3]);
      assert.equal(rest.nextCursor, null);

      const md = await get('/timeline?format=md');
      assert.equal(md.headers['content-type'], 'text/markdown; charset=utf-8');
      assert.match(md.body, new RegExp(inc.id));

      const csv = await get('/timeline?format=csv');
      assert.equal(csv.headers['content-type'], 'text/csv; charset=utf-8');
      assert.equal(csv.headers['content-disposition'], `attachment; filename="${inc.id}-timeline.csv"`);
      assert.equal(csv.body.trim().split('\n').length, 4);

      const pmJson = await get('/postmortem');
      assert.equal(pmJson.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(typeof pmJson.json(), 'object');
      const pmMd = await get('/postmortem?format=md');
      assert.equal(pmMd.headers['content-type'], 'text/markdown; charset=utf-8');
      const pmHtml = await get('/postmortem?format=html');
      assert.equal(pmHtml.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(pmHtml.headers['content-security-policy'], "default-src 'none'; style-src 'unsafe-inline'");
      assert.doesNotMatch(pmHtml.body, /<b>/);

      const playbook = await get('/playbook');
      assert.equal(playbook.headers['content-type'], 'application/json; charset=utf-8');
      const playbookMd = await get('/playbook?format=md');
      assert.equal(playbookMd.headers['content-type'], 'text/markdown; charset=utf-8');

      const bad = await get('/timeline?format=pdf');
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(problemOf(bad).errors, [{ path: 'query.format', message: 'must be one of json, md, csv' }]);
    });

    it('suggests a severity from impact facts', async () => {
      const res = await t.call('POST', '/api/v1/triage', { as: 'viewer', body: { majorFeatureBroken: true } });
      assert.equal(res.statusCode, 200);
      assert.equal(res.json().severity, 'SEV2');
      const none = await t.call('POST', '/api/v1/triage', { as: 'viewer', body: {} });
      assert.equal(none.statusCode, 400);
      assert.equal(none.json().errors[0].path, 'body');
    });
  });
}
