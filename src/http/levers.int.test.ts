import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import type { Resolver } from '../egress/index.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

/** A Standard Webhooks secret (base64 of 32 bytes), as a catalog gives it. */
const SECRET = `whsec_${Buffer.alloc(32, 7).toString('base64')}`;
const HINT = '(allow with FIREBREAK_EGRESS_ALLOW)';

interface Received {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real receiver on 127.0.0.1: records each request, answers 202 with a short JSON body. */
async function receiver() {
  const received: Received[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url?.startsWith('/fail')) res.writeHead(500).end('rollback pipeline is down');
      else res.writeHead(202, { 'content-type': 'application/json' }).end('{"queued":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

const catalogYaml = (port: number, extraLevers = '') => `apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec: {}
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout }
spec:
  owner: payments
  levers:
    - name: rollback
      kind: rollback
      failClosed: true
      preservesData: true
      action:
        type: webhook
        url: http://127.0.0.1:${port}/rollback?token=s3cret
        headers: { authorization: Bearer ci-token }
        secret: ${SECRET}
        timeoutMs: 5000
        body:
          incident: "{{incident.id}}"
          severity: "{{incident.severity}}"
          service: "{{service.name}}"
          from: "{{boundary.version}}"
          to: "{{boundary.previousVersion}}"
          why: "{{mitigation.rationale}}"
          static: [1, true, null]
    - name: open-the-gates
      kind: fallback
      failClosed: false
      preservesData: true
      action: { type: webhook, url: "http://127.0.0.1:${port}/gates" }
    - name: drain-eu
      kind: failover
      failClosed: true
      action: { type: manual, instructions: "Drain eu-1 in the load balancer console" }
    - name: broken
      kind: other
      action: { type: webhook, url: "http://127.0.0.1:${port}/fail" }
${extraLevers}`;

const extra = `    - name: metadata
      kind: other
      action: { type: webhook, url: "http://169.254.169.254/latest/meta-data/" }
    - name: mapped
      kind: other
      action: { type: webhook, url: "http://[::ffff:127.0.0.1]:1/x" }
    - name: internal
      kind: other
      action: { type: webhook, url: "https://internal.example/hook" }
`;

/** `internal.example` resolves to a private address; nothing else is looked up in these tests. */
const resolver: Resolver = async (host) => {
  if (host === 'internal.example') return [{ address: '10.0.0.5', family: 4 }];
  throw new Error(`unexpected lookup of ${host}`);
};

for (const adapter of adapters()) {
  describe(`levers that act (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let r: Awaited<ReturnType<typeof receiver>>;
    const sockets: unknown[] = [];
    const onSocket = (s: unknown) => sockets.push(s);
    before(async () => {
      r = await receiver();
      diagnostics.subscribe('net.client.socket', onSocket);
    });
    after(async () => {
      diagnostics.unsubscribe('net.client.socket', onSocket);
      r.server.closeAllConnections();
      await new Promise((resolve) => r.server.close(resolve));
    });
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ egressAllow: ['127.0.0.1', 'localhost'], resolver }),
    );
    beforeEach(() => {
      r.received.length = 0;
    });

    let catalogApplied = false;
    async function incident(body: Record<string, unknown> = {}) {
      if (!catalogApplied) {
        const res = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: catalogYaml(r.port, extra), headers: { 'content-type': 'application/yaml' } });
        assert.equal(res.statusCode, 200, res.body);
        const deploy = await t.call('POST', '/api/v1/deploys', {
          as: 'ingest',
          body: { externalId: 'ci-42', service: 'checkout', version: 'v42', status: 'succeeded', startedAt: new Date(Date.now() - 600_000).toISOString(), previousVersion: 'v41' },
        });
        assert.equal(deploy.statusCode, 201, deploy.body);
        catalogApplied = true;
      }
      return t.declare({ services: ['checkout'], severity: 'SEV2', severityReason: 'card payments fail', ...body });
    }
    const pull = (id: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      t.call('POST', `/api/v1/incidents/${id}/mitigations`, { body: { execute: true, rationale: 'v42 is the suspect', ...body }, headers });
    /** The incident's stored events, read from the store; the timeline's summary lines are checked once too. */
    const timeline = async (id: string) =>
      (await store.readEvents(Number(id.slice(4)), { limit: 500 })) as unknown as { type: string; data: Record<string, unknown> }[];
    const leverEvents = async (id: string) => (await timeline(id)).filter((e) => e.type === 'LeverExecuted' || e.type === 'LeverConfirmed');

    it('lists the levers ranked fail-closed first, then data-preserving, with the release boundary and no secrets', async () => {
      const inc = await incident();
      const res = await t.call('GET', `/api/v1/incidents/${inc.id}/levers`, { as: 'viewer' });
      assert.equal(res.statusCode, 200, res.body);
      const items = res.json().items as Record<string, unknown>[];
      assert.deepEqual(
        items.map((l) => l.name),
        ['rollback', 'drain-eu', 'open-the-gates', 'broken', 'metadata', 'mapped', 'internal'],
      );
      assert.deepEqual(items[0], {
        service: 'checkout',
        name: 'rollback',
        kind: 'rollback',
        failClosed: true,
        preservesData: true,
        action: { type: 'webhook', method: 'POST', url: `http://127.0.0.1:${r.port}/rollback?…`, headers: ['authorization'], signed: true, timeoutMs: 5000 },
        boundary: { service: 'checkout', environment: 'production', version: 'v42', previousVersion: 'v41', commitSha: null, deploy: 'ci-42' },
        pulls: [],
      });
      assert.deepEqual(items[1]?.action, { type: 'manual', instructions: 'Drain eu-1 in the load balancer console' });
      assert.doesNotMatch(res.body, /s3cret|ci-token|whsec_[A-Za-z0-9]/);

      const missing = await t.call('GET', '/api/v1/incidents/INC-999/levers', { as: 'viewer' });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(problemOf(missing), problem(404, 'not_found', 'Incident INC-999 does not exist.'));
    });

    it('pulls a webhook lever: one signed, templated call; the outcome and execution state on the timeline', async () => {
      const inc = await incident();
      const res = await pull(inc.id, { lever: 'rollback' }, { 'idempotency-key': `pull-${inc.id}` });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(r.received.length, 1);
      const got = r.received[0]!;
      assert.equal(got.method, 'POST');
      assert.equal(got.url, '/rollback?token=s3cret');
      assert.equal(got.headers.authorization, 'Bearer ci-token');
      assert.equal(got.headers['content-type'], 'application/json');
      assert.deepEqual(JSON.parse(got.body), {
        incident: inc.id,
        severity: 'SEV2',
        service: 'checkout',
        from: 'v42',
        to: 'v41',
        why: 'v42 is the suspect',
        static: [1, true, null],
      });
      assert.equal(got.headers['webhook-id'], `msg_${inc.id}.M1`);
      // The receiver's side: the standardwebhooks package verifies the signature over the raw body.
      const verified = new Webhook(SECRET).verify(got.body, {
        'webhook-id': String(got.headers['webhook-id']),
        'webhook-timestamp': String(got.headers['webhook-timestamp']),
        'webhook-signature': String(got.headers['webhook-signature']),
      });
      assert.equal((verified as { incident: string }).incident, inc.id);

      const m = res.json().mitigations[0];
      assert.equal(m.lever, 'rollback');
      assert.equal(m.kind, 'rollback');
      assert.equal(m.failClosed, true);
      assert.equal(m.execute, true);
      assert.match(m.decidedBy, /^token:responder-/);
      assert.deepEqual({ ...m.execution, at: undefined }, {
        lever: 'rollback',
        type: 'webhook',
        state: 'succeeded',
        status: 202,
        excerpt: '{"queued":true}',
        at: undefined,
      });
      const events = await leverEvents(inc.id);
      assert.deepEqual(events.map((e) => e.data), [
        {
          mitigationId: 'M1',
          lever: 'rollback',
          state: 'succeeded',
          request: { method: 'POST', url: `http://127.0.0.1:${r.port}/rollback?…` },
          status: 202,
          excerpt: '{"queued":true}',
        },
      ]);

      const lines = (await t.call('GET', `/api/v1/incidents/${inc.id}/timeline`, { as: 'viewer' })).json().events as { type: string; summary: string }[];
      assert.equal(
        lines.find((l) => l.type === 'LeverExecuted')?.summary,
        `Lever "rollback" of M1 called: POST http://127.0.0.1:${r.port}/rollback?… → 202: {"queued":true}`,
      );

      // A retry with the same key answers the first pull and does not call the webhook again.
      const retry = await pull(inc.id, { lever: 'rollback' }, { 'idempotency-key': `pull-${inc.id}` });
      assert.equal(retry.statusCode, 200);
      assert.equal(retry.headers['idempotent-replayed'], 'true');
      assert.equal(r.received.length, 1);
      assert.equal(retry.json().mitigations.length, 1);
      assert.equal((await leverEvents(inc.id)).length, 1);

      const listed = await t.call('GET', `/api/v1/incidents/${inc.id}/levers`, { as: 'viewer' });
      assert.deepEqual(listed.json().items[0].pulls.map((p: { mitigationId: string; state: string }) => [p.mitigationId, p.state]), [['M1', 'succeeded']]);
    });

    it('records a webhook that answers 500 as failed, with its status and excerpt', async () => {
      const inc = await incident();
      const res = await pull(inc.id, { lever: 'broken' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(r.received.length, 1);
      const { at: _at, ...execution } = res.json().mitigations[0].execution;
      assert.deepEqual(execution, {
        lever: 'broken',
        type: 'webhook',
        state: 'failed',
        status: 500,
        excerpt: 'rollback pipeline is down',
        reason: 'answered 500',
      });
    });

    const refusals: [string, string][] = [
      ['metadata', `refused 169.254.169.254: link-local/cloud metadata address ${HINT}`],
      ['mapped', `refused ::ffff:7f00:1 (127.0.0.1): loopback address ${HINT}`],
      ['internal', `refused internal.example (10.0.0.5): private address ${HINT}`],
    ];
    for (const [lever, reason] of refusals) {
      it(`refuses the ${lever} lever before connecting and records the refusal on the timeline`, async () => {
        const inc = await incident();
        sockets.length = 0;
        const res = await pull(inc.id, { lever });
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(sockets.length, 0, 'no connection was attempted');
        assert.equal(r.received.length, 0);
        const { at: _at, ...execution } = res.json().mitigations[0].execution;
        assert.deepEqual(execution, { lever, type: 'webhook', state: 'refused', reason });
        const [event] = await leverEvents(inc.id);
        assert.equal(event?.data.state, 'refused');
        assert.equal(event?.data.reason, reason);
      });
    }

    it('dry run answers the exact request (signed; catalog secrets masked) and records and sends nothing', async () => {
      const inc = await incident();
      const before = (await timeline(inc.id)).length;
      const res = await pull(inc.id, { lever: 'rollback', dryRun: true });
      assert.equal(res.statusCode, 200, res.body);
      const answer = res.json();
      assert.equal(answer.dryRun, true);
      assert.equal(answer.mitigationId, 'M1');
      assert.equal(answer.request.method, 'POST');
      assert.equal(answer.request.url, `http://127.0.0.1:${r.port}/rollback?…`);
      assert.equal(answer.request.headers.authorization, '…');
      assert.equal(answer.request.headers['webhook-id'], `msg_${inc.id}.M1`);
      assert.match(answer.request.headers['webhook-signature'], /^v1,[A-Za-z0-9+/]+=*$/);
      assert.deepEqual(JSON.parse(answer.request.body).to, 'v41');
      new Webhook(SECRET).verify(answer.request.body, answer.request.headers);
      assert.equal(r.received.length, 0);
      assert.equal((await timeline(inc.id)).length, before);
    });

    it('a manual lever waits for a human: confirm done, then a second confirmation is a conflict', async () => {
      const inc = await incident();
      const res = await pull(inc.id, { lever: 'drain-eu' });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().mitigations[0].execution.state, 'awaiting_confirmation');
      assert.equal(r.received.length, 0);

      const done = await t.call('POST', `/api/v1/incidents/${inc.id}/mitigations/M1/confirm`, { body: { outcome: 'done', note: 'eu-1 drained' } });
      assert.equal(done.statusCode, 200, done.body);
      const { at: _at, ...execution } = done.json().mitigations[0].execution;
      assert.deepEqual(execution, { lever: 'drain-eu', type: 'manual', state: 'confirmed_done', reason: 'eu-1 drained' });
      assert.deepEqual((await leverEvents(inc.id)).map((e) => e.data), [{ mitigationId: 'M1', lever: 'drain-eu', outcome: 'done', note: 'eu-1 drained' }]);

      const again = await t.call('POST', `/api/v1/incidents/${inc.id}/mitigations/M1/confirm`, { body: { outcome: 'failed' } });
      assert.equal(again.statusCode, 409);
      assert.deepEqual(problemOf(again), problem(409, 'conflict', 'Lever pull M1 is confirmed done already.'));

      const nothing = await t.call('POST', `/api/v1/incidents/${inc.id}/mitigations/M7/confirm`, { body: { outcome: 'done' } });
      assert.equal(nothing.statusCode, 404);
      assert.deepEqual(problemOf(nothing), problem(404, 'not_found', `Mitigation M7 does not exist on ${inc.id}.`));

      const bad = await t.call('POST', `/api/v1/incidents/${inc.id}/mitigations/M1/confirm`, { body: { outcome: 'maybe' } });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(problemOf(bad), invalidRequest([{ path: 'body.outcome', message: 'must be one of done, failed' }]));
    });

    it('a fail-open lever on an incident at a coexistence seam needs a reason: exact 422, nothing written or sent', async () => {
      const inc = await incident({ boundary: { unsupportedFlow: false, coexistenceSeam: true, rolloutBoundary: false } });
      const before = (await timeline(inc.id)).length;
      for (const dryRun of [false, true]) {
        const res = await pull(inc.id, { lever: 'open-the-gates', dryRun });
        assert.equal(res.statusCode, 422, res.body);
        assert.deepEqual(
          problemOf(res),
          problem(422, 'gate_unmet', 'A fail-open lever on this incident needs an explicit reason.', {
            unmet: [
              {
                code: 'fail_open_reason_missing',
                message:
                  'The incident touches an unsupported flow or a coexistence seam: say why failing open is safe (failOpenReason), or choose a fail-closed lever.',
              },
            ],
          }),
        );
      }
      assert.equal((await timeline(inc.id)).length, before);
      assert.equal(r.received.length, 0);

      const ok = await pull(inc.id, { lever: 'open-the-gates', failOpenReason: 'the old path is read-only' });
      assert.equal(ok.statusCode, 200, ok.body);
      assert.equal(ok.json().mitigations[0].failClosed, false);
      assert.equal(r.received.length, 1);
    });

    it('refuses a lever the incident does not offer, and a plain decision without kind or action, writing nothing', async () => {
      const inc = await incident();
      const before = (await timeline(inc.id)).length;
      const unknown = await pull(inc.id, { lever: 'nuke' });
      assert.equal(unknown.statusCode, 400);
      assert.deepEqual(
        problemOf(unknown),
        invalidRequest([
          {
            path: 'body.lever',
            message: `no lever nuke on ${inc.id}'s services (offered: rollback, drain-eu, open-the-gates, broken, metadata, mapped, internal)`,
          },
        ]),
      );
      const plain = await t.call('POST', `/api/v1/incidents/${inc.id}/mitigations`, { body: { rationale: 'x', dryRun: true } });
      assert.equal(plain.statusCode, 400);
      assert.deepEqual(
        problemOf(plain),
        invalidRequest([
          { path: 'body.kind', message: 'is required' },
          { path: 'body.action', message: 'is required' },
          { path: 'body.dryRun', message: 'needs a lever pulled with execute: true' },
        ]),
      );
      assert.equal((await timeline(inc.id)).length, before);
      assert.equal(r.received.length, 0);
    });

    it('still records a decision without pulling (no lever, or execute not set)', async () => {
      const inc = await incident();
      const res = await t.call('POST', `/api/v1/incidents/${inc.id}/mitigations`, {
        body: { kind: 'rollback', action: 'roll back by hand', rationale: 'v42', lever: 'rollback', failClosed: true },
      });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().mitigations[0].execution, undefined);
      assert.equal(r.received.length, 0);
    });
  });
}
