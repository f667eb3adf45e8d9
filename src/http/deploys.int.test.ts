import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const body = problemOf;

const EXAMPLES = createRequire(import.meta.url).resolve('@octokit/webhooks-examples/api.github.com/index.json');
const examples = (name: string) => {
  const all = JSON.parse(readFileSync(EXAMPLES, 'utf8')) as { name: string; examples: Record<string, unknown>[] }[];
  const found = all.find((e) => e.name === name)?.examples ?? [];
  assert.ok(found.length > 0, `no ${name} examples`);
  return found;
};

const iso = (ms: number) => new Date(ms).toISOString();
const minutesAgo = (m: number, from = Date.now()) => iso(from - m * 60_000);

/** A native catalog: one team, these services (name, repository, dependsOn). */
function catalogYaml(services: { name: string; repository?: string; dependsOn?: string[] }[]): string {
  const team = 'apiVersion: firebreak/v1\nkind: Team\nmetadata: { name: owners }\nspec: { members: [ { name: ana } ] }\n';
  const docs = services.map(
    (s) =>
      `apiVersion: firebreak/v1\nkind: Service\nmetadata: { name: ${s.name} }\nspec:\n  owner: owners\n` +
      (s.repository ? `  repository: ${s.repository}\n` : '') +
      `  dependsOn: [${(s.dependsOn ?? []).join(', ')}]\n`,
  );
  return [team, ...docs].join('---\n');
}

for (const adapter of adapters()) {
  describe(`deploys over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    useTestApp(() => adapter.create(), (s, app) => {
      store = s;
      t = app;
    });

    const deployCount = async () => (await store.listDeploys({ limit: 10_000 })).length;
    const applyCatalog = async (yaml: string) => {
      const res = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: yaml, headers: { 'content-type': 'application/yaml' } });
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as { version: number; incidentsUpdated: number[] };
    };
    const integration = async (type: string, extra: Record<string, unknown> = {}) => {
      const res = await t.call('POST', '/api/v1/integrations', { as: 'admin', body: { type, name: `${type}-test`, ...extra } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; token?: string; routingKey?: string; secret?: string };
    };

    it('records a Firebreak JSON deploy (201), merges a later report of it (200) and lists deploys newest first', async () => {
      const first = await t.call('POST', '/api/v1/deploys', {
        as: 'ingest',
        body: {
          externalId: 'ci-220',
          service: 'orders',
          version: 'v1.42',
          commitSha: 'f95f852',
          status: 'started',
          startedAt: '2024-05-01T09:50:00Z',
          previousVersion: 'v1.41',
          configDeltas: [{ key: 'pricing_v2', from: false, to: true }],
        },
      });
      assert.equal(first.statusCode, 201, first.body);
      const d = first.json();
      assert.deepEqual(
        { ...d, id: undefined, receivedAt: undefined, updatedAt: undefined },
        {
          id: undefined,
          receivedAt: undefined,
          updatedAt: undefined,
          externalId: 'ci-220',
          source: 'firebreak',
          service: 'orders',
          environment: 'production',
          version: 'v1.42',
          commitSha: 'f95f852',
          status: 'started',
          startedAt: '2024-05-01T09:50:00.000Z',
          finishedAt: null,
          actor: null,
          url: null,
          previousVersion: 'v1.41',
          configDeltas: [{ key: 'pricing_v2', from: 'false', to: 'true' }],
        },
      );
      const update = await t.call('POST', '/api/v1/deploys', {
        as: 'admin',
        body: { externalId: 'ci-220', service: 'orders', version: 'v1.42', status: 'succeeded', startedAt: '2024-05-01T09:50:00Z', finishedAt: '2024-05-01T09:58:00Z' },
      });
      assert.equal(update.statusCode, 200, update.body);
      const u = update.json();
      assert.deepEqual(
        [u.id, u.receivedAt, u.status, u.finishedAt, u.commitSha, u.previousVersion, u.configDeltas.length],
        [d.id, d.receivedAt, 'succeeded', '2024-05-01T09:58:00.000Z', 'f95f852', 'v1.41', 1],
      );
      await t.call('POST', '/api/v1/deploys', { as: 'ingest', body: { externalId: 'ci-221', service: 'orders', version: 'v1.43', status: 'succeeded', startedAt: '2024-05-02T09:50:00Z' } });
      await t.call('POST', '/api/v1/deploys', { as: 'ingest', body: { externalId: 'x-1', service: 'search', version: 'v9', status: 'succeeded', startedAt: '2024-05-03T09:50:00Z' } });

      const metrics = (await t.call('GET', '/metrics', { as: 'viewer' })).body;
      assert.match(metrics, /^firebreak_deploys_total\{source="firebreak",outcome="created"\} 3$/m);
      assert.match(metrics, /^firebreak_deploys_total\{source="firebreak",outcome="updated"\} 1$/m);

      const list = await t.call('GET', '/api/v1/deploys?service=orders', { as: 'viewer' });
      assert.equal(list.statusCode, 200);
      assert.deepEqual(list.json().items.map((x: { externalId: string }) => x.externalId), ['ci-221', 'ci-220']);
      const since = await t.call('GET', '/api/v1/deploys?service=orders&since=2024-05-02T00:00:00Z&limit=5', { as: 'viewer' });
      assert.deepEqual(since.json().items.map((x: { externalId: string }) => x.externalId), ['ci-221']);
      const bad = await t.call('GET', '/api/v1/deploys?since=yesterday&limit=0', { as: 'viewer' });
      assert.deepEqual(
        body(bad),
        invalidRequest([
          { path: 'query.since', message: 'must be an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
          { path: 'query.limit', message: 'must be at least 1' },
        ]),
      );
    });

    it('refuses bad deploys with the exact problem and records nothing', async () => {
      const before = await deployCount();
      const ok = { service: 'orders', version: 'v1', status: 'succeeded' };
      const post = (opts: Parameters<TestApp['call']>[2]) => t.call('POST', '/api/v1/deploys', { as: 'ingest', ...opts });
      const cases: [Awaited<ReturnType<typeof post>>, number, Record<string, unknown>][] = [
        [
          await post({ body: { ...ok, rollout: 50, status: 'done' } }),
          400,
          problem(400, 'validation', 'The deploy is not valid.', {
            errors: [
              { path: 'body.rollout', message: 'is not allowed' },
              { path: 'body.status', message: 'expected one of started, succeeded, failed, rolled_back' },
            ],
          }),
        ],
        [await post({ body: '{"service": "orders",' }), 400, invalidRequest([{ path: 'body', message: 'is not valid JSON' }])],
        // Text PostgreSQL cannot store (NUL) or JSON peers cannot read (a lone surrogate) is refused, not a 500.
        [
          await post({ body: { ...ok, version: 'v1\u0000', environment: 'prod\ud800', actor: 'ann\u0000' } }),
          400,
          problem(400, 'validation', 'The deploy is not valid.', {
            errors: [
              { path: 'body.environment', message: 'must not contain unpaired UTF-16 surrogates' },
              { path: 'body.version', message: 'must not contain NUL (\\u0000)' },
              { path: 'body.actor', message: 'must not contain NUL (\\u0000)' },
            ],
          }),
        ],
        [await post({ body: JSON.stringify(ok), headers: { 'content-type': 'text/plain' } }), 400, invalidRequest([{ path: 'headers.content-type', message: 'must be application/json' }])],
        [await post({ as: 'viewer', body: ok }), 403, problem(403, 'forbidden', 'This needs an integration token or the ingest role; you have viewer.')],
        [await post({ as: 'anonymous', body: ok }), 401, problem(401, 'unauthorized', 'Send the integration token as a bearer token.')],
        [await post({ as: { token: 'fbi_not-a-real-token' }, body: ok }), 401, problem(401, 'unauthorized', 'The token is not a live generic integration token.')],
      ];
      for (const [res, status, expected] of cases) {
        assert.equal(res.statusCode, status, res.body);
        assert.deepEqual(body(res), expected);
      }
      const badUtf8 = await t.app.inject({
        method: 'POST',
        url: '/api/v1/deploys',
        headers: { authorization: `Bearer ${t.tokens.ingest}`, 'content-type': 'application/json' },
        payload: Buffer.concat([Buffer.from('{"service":"'), Buffer.from([0xc3, 0x28]), Buffer.from('","version":"v1","status":"succeeded"}')]),
      });
      assert.deepEqual(body(badUtf8), invalidRequest([{ path: 'body', message: 'is not valid UTF-8' }]));
      const huge = await post({ body: { ...ok, actor: 'x'.repeat(2_000_000) } });
      assert.equal(huge.statusCode, 413);
      assert.deepEqual(body(huge), problem(413, 'too_large', 'The request body is too large.', { title: 'Content Too Large' }));
      assert.equal(await deployCount(), before);
    });

    it('takes GitHub deployment webhooks signed with a live secret, once per delivery', async () => {
      await applyCatalog(catalogYaml([{ name: 'hello', repository: 'Codertocat/Hello-World' }]));
      const gh = await integration('github');
      const [deployment] = examples('deployment');
      const [status] = examples('deployment_status');
      const send = (payload: unknown, opts: { event?: string; delivery?: string | null; secret?: string; signature?: string | null } = {}) => {
        const raw = Buffer.from(typeof payload === 'string' ? payload : JSON.stringify(payload));
        const signature = opts.signature === undefined ? `sha256=${createHmac('sha256', opts.secret ?? gh.secret!).update(raw).digest('hex')}` : opts.signature;
        return t.app.inject({
          method: 'POST',
          url: '/api/v1/integrations/github',
          headers: {
            'content-type': 'application/json',
            'user-agent': 'GitHub-Hookshot/abc',
            'x-github-event': opts.event ?? 'deployment',
            ...(opts.delivery !== null && { 'x-github-delivery': opts.delivery ?? crypto.randomUUID() }),
            ...(signature !== null && { 'x-hub-signature-256': signature }),
          },
          payload: raw,
        });
      };
      const before = await deployCount();

      const ping = await send({ zen: 'Keep it logically awesome.', hook_id: 1 }, { event: 'ping' });
      assert.equal(ping.statusCode, 200);
      assert.deepEqual(ping.json(), { status: 'ok', event: 'ping' });

      const refusals: [Awaited<ReturnType<typeof send>>, string][] = [
        [await send(deployment, { secret: 'x'.repeat(80) }), 'X-Hub-Signature-256 does not match the secret of any live GitHub integration.'],
        [await send(deployment, { signature: null }), 'X-Hub-Signature-256 is missing or is not sha256=<64 hex digits>.'],
        [await send(deployment, { signature: 'sha1=abc' }), 'X-Hub-Signature-256 is missing or is not sha256=<64 hex digits>.'],
      ];
      for (const [res, detail] of refusals) {
        assert.equal(res.statusCode, 401);
        assert.deepEqual(body(res), problem(401, 'unauthorized', detail));
      }
      // The signature covers the bytes: the same JSON with different whitespace is refused.
      const raw = JSON.stringify(deployment);
      const sig = `sha256=${createHmac('sha256', gh.secret!).update(raw).digest('hex')}`;
      assert.equal((await send(JSON.stringify(deployment, null, 1), { signature: sig })).statusCode, 401);
      assert.equal(await deployCount(), before);

      const delivery = crypto.randomUUID();
      const created = await send(deployment, { delivery });
      assert.equal(created.statusCode, 201, created.body);
      assert.deepEqual(
        [created.json().status, created.json().deploy.service, created.json().deploy.status, created.json().deploy.externalId],
        ['created', 'hello', 'started', 'github:Codertocat/Hello-World:145988746'],
      );
      const redelivered = await send(deployment, { delivery });
      assert.equal(redelivered.statusCode, 200);
      assert.deepEqual(redelivered.json(), { status: 'duplicate', delivery });
      assert.equal(await deployCount(), before + 1);

      const finished = await send(status, { event: 'deployment_status' });
      assert.equal(finished.statusCode, 200, finished.body);
      assert.deepEqual(
        [finished.json().status, finished.json().deploy.id, finished.json().deploy.status, finished.json().deploy.finishedAt],
        ['updated', created.json().deploy.id, 'succeeded', '2019-05-15T15:20:55.000Z'],
      );
      assert.equal(await deployCount(), before + 1);

      const elsewhere = await send({ ...deployment, repository: { ...(deployment!.repository as object), full_name: 'acme/other' } });
      assert.equal(elsewhere.statusCode, 202);
      assert.deepEqual(elsewhere.json(), { status: 'ignored', reason: 'repository acme/other maps to no service in the catalog' });
      const push = await send({ ref: 'refs/heads/main' }, { event: 'push' });
      assert.deepEqual([push.statusCode, push.json()], [202, { status: 'ignored', reason: 'GitHub event "push" is not a deployment event' }]);
      const broken = await send({ action: 'created', deployment: { id: 1 }, repository: { full_name: 'Codertocat/Hello-World' } });
      assert.equal(broken.statusCode, 400);
      assert.equal(body(broken).detail, 'The GitHub deployment webhook is not valid.');
      assert.deepEqual(
        body(broken),
        problem(400, 'validation', 'The GitHub deployment webhook is not valid.', {
          errors: ['sha', 'ref', 'environment', 'created_at'].map((k) => ({ path: `body.deployment.${k}`, message: 'is required' })),
        }),
      );
      const notJson = await send('{"action":');
      assert.deepEqual(body(notJson), invalidRequest([{ path: 'body', message: 'is not valid JSON' }]));
      // A deployment not seen before: recorded, it would be one more deploy.
      const unseen = { ...deployment, deployment: { ...(deployment!.deployment as object), id: 145988747 } };
      const undelivered = await send(unseen, { delivery: null });
      assert.equal(undelivered.statusCode, 400);
      assert.deepEqual(body(undelivered), invalidRequest([{ path: 'headers.x-github-delivery', message: 'is required' }]));
      assert.equal(await deployCount(), before + 1);

      const revoked = await t.call('DELETE', `/api/v1/integrations/${gh.id}`, { as: 'admin' });
      assert.equal(revoked.statusCode, 204);
      const afterRevoke = await send(deployment);
      assert.deepEqual(body(afterRevoke), problem(401, 'unauthorized', 'X-Hub-Signature-256 does not match the secret of any live GitHub integration.'));
      assert.equal(await deployCount(), before + 1);
    });

    it('takes PagerDuty Change Events by routing key, answering in PagerDuty shapes', async () => {
      await applyCatalog(catalogYaml([{ name: 'checkout' }]));
      const pd = await integration('pagerduty');
      const event = (over: Record<string, unknown> = {}) => ({
        routing_key: pd.routingKey,
        payload: {
          summary: 'Deploy checkout v1.42 to prod',
          timestamp: '2024-05-01T09:58:00Z',
          source: 'checkout',
          custom_details: { sha: 'f95f852', environment: 'production', version: 'v1.42' },
        },
        links: [{ href: 'https://ci.example/run/220', text: 'CI run' }],
        ...over,
      });
      const send = (payload: unknown) => t.call('POST', '/v2/change/enqueue', { as: 'anonymous', body: payload });
      const before = await deployCount();
      const refusals: [unknown, Record<string, unknown>][] = [
        [event({ routing_key: 'e93facc04764012d7bfb002500d5d1a6' }), { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] }],
        [event({ routing_key: undefined }), { status: 'invalid event', message: 'Event object is invalid', errors: ["'routing_key' is missing or blank"] }],
        ['{"routing_key": ', { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] }],
        [event({ payload: { source: 'checkout' } }), { status: 'invalid event', message: 'Event object is invalid', errors: ['body.payload.summary is required'] }],
        [
          event({ payload: { summary: 'Deploy', source: 'who-knows' } }),
          {
            status: 'invalid event',
            message: 'Event object is invalid',
            errors: ['body.payload.custom_details.service is required: name the service here or map payload.source "who-knows" to a service'],
          },
        ],
      ];
      for (const [payload, expected] of refusals) {
        const res = await send(payload);
        assert.equal(res.statusCode, 400, res.body);
        assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
        assert.deepEqual(res.json(), expected);
      }
      const huge = await send(event({ payload: { summary: 'x', source: 'checkout', custom_details: { blob: 'x'.repeat(2_000_000) } } }));
      assert.deepEqual([huge.statusCode, huge.json()], [413, { status: 'invalid event', message: 'Event object is invalid', errors: ['Event object is too large'] }]);
      const form = await t.app.inject({ method: 'POST', url: '/v2/change/enqueue', headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: 'a=b' });
      assert.deepEqual([form.statusCode, form.json()], [400, { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] }]);
      assert.equal(await deployCount(), before);

      const ok = await send(event());
      assert.equal(ok.statusCode, 202, ok.body);
      assert.deepEqual(ok.json(), { status: 'success', message: 'Change event processed' });
      const [stored] = await store.listDeploys({ services: ['checkout'], limit: 1 });
      assert.deepEqual(
        [stored?.source, stored?.version, stored?.commitSha, stored?.status, stored?.url],
        ['pagerduty', 'v1.42', 'f95f852', 'succeeded', 'https://ci.example/run/220'],
      );
      assert.equal(await deployCount(), before + 1);

      // Free-form details are read leniently: one that cannot be stored (NUL) reads as missing.
      const lenient = await send(
        event({
          payload: { summary: 'Deploy checkout v1.43', timestamp: '2024-05-01T10:30:00Z', source: 'checkout', custom_details: { version: 'v1.43\u0000', actor: 'ann\u0000', sha: 'a1b2c3d' } },
        }),
      );
      assert.equal(lenient.statusCode, 202, lenient.body);
      const [newest] = await store.listDeploys({ services: ['checkout'], limit: 1 });
      assert.deepEqual([newest?.version, newest?.actor, newest?.commitSha], [null, null, 'a1b2c3d']);
      const nulSummary = await send(event({ payload: { summary: 'Deploy\u0000', source: 'checkout' } }));
      assert.deepEqual([nulSummary.statusCode, nulSummary.json().errors], [400, ['body.payload.summary must not contain NUL (\\u0000)']]);
      assert.equal(await deployCount(), before + 2);

      await t.call('DELETE', `/api/v1/integrations/${pd.id}`, { as: 'admin' });
      const revoked = await send(event({ payload: { summary: 'Deploy v2', source: 'checkout' } }));
      assert.deepEqual([revoked.statusCode, revoked.json().errors], [400, ['Invalid routing key']]);
      assert.equal(await deployCount(), before + 2);
    });

    it('shows the release boundary and suspects at declaration, and keeps them current as deploys and services arrive', async () => {
      const now = Date.now();
      const impact = now - 10 * 60_000;
      await applyCatalog(catalogYaml([{ name: 'rb-checkout' }, { name: 'rb-payments' }]));
      const deploy = (b: Record<string, unknown>) => t.call('POST', '/api/v1/deploys', { as: 'ingest', body: { environment: 'production', ...b } });
      assert.equal((await deploy({ externalId: 'rb-41', service: 'rb-checkout', version: 'v41', status: 'succeeded', startedAt: minutesAgo(120, impact), finishedAt: minutesAgo(118, impact) })).statusCode, 201);
      assert.equal(
        (await deploy({
          externalId: 'rb-42', service: 'rb-checkout', version: 'v42', status: 'succeeded', startedAt: minutesAgo(45, impact), finishedAt: minutesAgo(30, impact),
          configDeltas: [{ key: 'tokeniser.timeout', from: '20s', to: '2s' }],
        })).statusCode,
        201,
      );

      const inc = await t.declare({ services: ['rb-checkout'], startedAt: iso(impact) });
      const suspects = async () => {
        const res = await t.call('GET', `/api/v1/incidents/${inc.id}/suspects`, { as: 'viewer' });
        assert.equal(res.statusCode, 200, res.body);
        return res.json() as {
          id: string;
          releaseBoundary: { externalId: string } | null;
          suspects: { deploy: { externalId: string }; minutesBeforeImpact: number; relation: string; via: string[]; configDeltas: unknown[] }[];
        };
      };
      const rows = (s: Awaited<ReturnType<typeof suspects>>) => s.suspects.map((x) => [x.deploy.externalId, x.minutesBeforeImpact, x.relation]);

      const first = await suspects();
      assert.equal(first.id, inc.id);
      assert.equal(first.releaseBoundary?.externalId, 'rb-42');
      assert.deepEqual(rows(first), [['rb-42', 30, 'affected'], ['rb-41', 118, 'affected']]);
      assert.deepEqual(first.suspects[0]?.configDeltas, [{ key: 'tokeniser.timeout', from: '20s', to: '2s' }]);
      const state = (await t.call('GET', `/api/v1/incidents/${inc.number}`, { as: 'viewer' })).json();
      assert.equal(state.releaseBoundary.externalId, 'rb-42');
      assert.equal(state.suspects.length, 2);

      // A deploy of a service the incident does not touch changes nothing.
      const version = (await store.loadIncident(inc.number))!.version;
      await deploy({ externalId: 'rb-p1', service: 'rb-payments', version: 'p7', status: 'succeeded', startedAt: minutesAgo(20, impact), finishedAt: minutesAgo(18, impact) });
      assert.equal((await store.loadIncident(inc.number))!.version, version);

      // The catalog now says checkout depends on payments: its deploy becomes a suspect.
      const applied = await applyCatalog(catalogYaml([{ name: 'rb-checkout', dependsOn: ['rb-payments'] }, { name: 'rb-payments' }]));
      assert.ok(applied.incidentsUpdated.includes(inc.number));
      const second = await suspects();
      assert.deepEqual(rows(second), [['rb-p1', 18, 'dependency'], ['rb-42', 30, 'affected'], ['rb-41', 118, 'affected']]);
      assert.deepEqual(second.suspects[0]?.via, ['rb-checkout']);

      // A deploy recorded after the declaration that started before the impact joins the suspects.
      const late = await deploy({ externalId: 'rb-43', service: 'rb-checkout', version: 'v43', status: 'started', startedAt: minutesAgo(5, impact) });
      assert.equal(late.statusCode, 201);
      const third = await suspects();
      assert.equal(third.releaseBoundary?.externalId, 'rb-42');
      assert.deepEqual(rows(third)[0], ['rb-43', 5, 'affected']);

      // Moving the impact start recomputes too.
      const moved = await t.call('PUT', `/api/v1/incidents/${inc.id}/impact`, {
        body: { statement: 'Card payments fail', confirmed: false, startedAt: minutesAgo(40, impact) },
      });
      assert.equal(moved.statusCode, 200, moved.body);
      assert.deepEqual(
        moved.json().suspects.map((x: { deploy: { externalId: string }; minutesBeforeImpact: number }) => [x.deploy.externalId, x.minutesBeforeImpact]),
        // v42 started before the new impact start but finished after it: a suspect from its start, not the boundary.
        [['rb-42', 5], ['rb-41', 78]],
      );
      assert.equal(moved.json().releaseBoundary.externalId, 'rb-41');

      const timeline = await t.call('GET', `/api/v1/incidents/${inc.id}/timeline?format=json`, { as: 'viewer' });
      const changes = (timeline.json().events as { type: string; actor: string; summary: string }[]).filter((e) => e.type === 'ReleaseBoundaryChanged');
      assert.equal(changes.length, 4);
      assert.ok(changes.every((e) => e.actor === 'firebreak'));
      assert.match(changes[2]!.summary, /closest rb-checkout v43 5 min before impact/);

      // The same instant written with a negative offset finds the same deploys.
      const offset = new Date(impact - 5 * 3_600_000).toISOString().replace('Z', '-05:00');
      const other = await t.declare({ services: ['rb-checkout'], startedAt: offset });
      const same = (await t.call('GET', `/api/v1/incidents/${other.id}/suspects`, { as: 'viewer' })).json();
      assert.equal(same.releaseBoundary?.externalId, 'rb-42');
      assert.deepEqual(same.suspects.map((x: { deploy: { externalId: string } }) => x.deploy.externalId), ['rb-43', 'rb-p1', 'rb-42', 'rb-41']);

      const missing = await t.call('GET', '/api/v1/incidents/INC-99999/suspects', { as: 'viewer' });
      assert.deepEqual(body(missing), problem(404, 'not_found', 'Incident INC-99999 does not exist.'));
    });
  });
}
