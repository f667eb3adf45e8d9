import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKSTAGE_CATALOG_YAML, EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import { onCallNow } from '../domain/catalog/index.js';
import type { Team } from '../domain/catalog/types.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const body = problemOf;

const INVALID_YAML = `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout }
spec:
  owner: payments
  tier: 9
  levers: [ { name: nuke, kind: nuke, action: { type: manual, instructions: x } } ]
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec:
  onCall: { rotation: hourly, startsAt: "2026-01-05T09:00:00Z", order: [ana] }
---
apiVersion: firebreak/v1
kind: Widget
metadata: { name: w }
`;

for (const adapter of adapters()) {
  describe(`catalog and integrations over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    useTestApp(() => adapter.create(), (s, app) => {
      store = s;
      t = app;
    });

    const put = (text: string, type = 'application/yaml', as: 'admin' | 'responder' = 'admin') =>
      t.call('PUT', '/api/v1/catalog', { as, body: text, headers: { 'content-type': type } });

    it('applies the native catalog and serves services, teams and the playbook', async () => {
      const before = await store.catalogVersion();
      const res = await put(EXAMPLE_CATALOG_YAML);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        version: before + 1,
        appliedAt: res.json().appliedAt,
        services: 1,
        teams: 1,
        systems: 0,
        ignored: [],
        incidentsUpdated: [],
      });

      const info = await t.call('GET', '/api/v1/catalog', { as: 'viewer' });
      assert.equal(info.json().version, before + 1);
      assert.match(info.json().appliedBy, /^token:admin-/);

      const teams = await t.call('GET', '/api/v1/teams', { as: 'viewer' });
      const [team] = teams.json().items as (Team & { onCallNow: string })[];
      assert.equal(team?.onCallNow, onCallNow(team!, new Date().toISOString()));
      assert.deepEqual(team?.notify, [{ type: 'slack', url: 'https://hooks.slack.example/…' }]);

      const list = await t.call('GET', '/api/v1/services', { as: 'viewer' });
      assert.equal(list.statusCode, 200);
      const [checkout] = list.json().items;
      assert.deepEqual(
        [checkout.name, checkout.owner, checkout.tier, checkout.dependsOn, checkout.onCallNow],
        ['checkout', 'payments', 1, ['payments-api', 'orders-db'], team?.onCallNow],
      );

      const one = await t.call('GET', '/api/v1/services/checkout', { as: 'viewer' });
      assert.equal(one.statusCode, 200);
      const s = one.json();
      assert.equal(s.team.name, 'payments');
      assert.deepEqual(
        s.levers.map((l: { name: string }) => l.name),
        ['rollback', 'disable-new-pricing'],
      );
      assert.equal(s.levers[0].action.url, 'https://ci.example/rollback');
      assert.ok(!one.body.includes('T000/B000/XXX'), 'the Slack webhook secret never leaves');
      assert.ok(!teams.body.includes('T000/B000/XXX'));

      const playbook = await t.call('GET', '/api/v1/services/checkout/playbook', { as: 'viewer' });
      assert.equal(playbook.statusCode, 200);
      assert.equal(playbook.headers['content-type'], 'text/markdown; charset=utf-8');
      assert.match(playbook.body, /Checkout/);
      assert.match(playbook.body, /rollback/);
      assert.ok(!playbook.body.includes('T000/B000/XXX'));

      const missing = await t.call('GET', '/api/v1/services/nope/playbook', { as: 'viewer' });
      assert.equal(missing.statusCode, 404);
      assert.deepEqual(body(missing), problem(404, 'not_found', 'No service named "nope" in the catalog.'));
      const missingService = await t.call('GET', '/api/v1/services/nope', { as: 'viewer' });
      assert.deepEqual(body(missingService), problem(404, 'not_found', 'No service named "nope" in the catalog.'));
    });

    it("never shows a lever webhook's credentials or query, in JSON or in the playbook", async () => {
      const secretUrl = 'https://deploy:s3cret@ci.example/rollback?token=abc123';
      const res = await put(EXAMPLE_CATALOG_YAML.replace('https://ci.example/rollback', secretUrl));
      assert.equal(res.statusCode, 200, res.body);
      const one = await t.call('GET', '/api/v1/services/checkout', { as: 'viewer' });
      const s = one.json();
      assert.equal(s.levers[0].action.url, 'https://ci.example/rollback?…');
      assert.equal(s.service.levers[0].action.url, 'https://ci.example/rollback?…');
      const playbook = await t.call('GET', '/api/v1/services/checkout/playbook', { as: 'viewer' });
      for (const shown of [one.body, playbook.body]) {
        assert.ok(!shown.includes('s3cret') && !shown.includes('abc123'), shown);
      }
    });

    it('applies a Backstage catalog-info.yaml, and JSON in each accepted shape', async () => {
      const res = await put(BACKSTAGE_CATALOG_YAML, 'text/yaml; charset=utf-8');
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        [res.json().services, res.json().teams, res.json().systems, res.json().ignored.map((i: { kind: string }) => i.kind)],
        [2, 1, 1, ['Resource', 'API']],
      );
      const checkout = await t.call('GET', '/api/v1/services/checkout', { as: 'viewer' });
      assert.deepEqual([checkout.json().repository, checkout.json().owner], ['acme/checkout', 'team-payments']);

      const team = { apiVersion: 'firebreak/v1', kind: 'Team', metadata: { name: 'x' }, spec: { members: [{ name: 'ana' }] } };
      const svc = { apiVersion: 'firebreak/v1', kind: 'Service', metadata: { name: 'json-svc' }, spec: { owner: 'x' } };
      for (const [shape, services] of [[team, 0], [[svc, team], 1], [{ items: [svc, team] }, 1]] as const) {
        const r = await put(JSON.stringify(shape), 'application/json');
        assert.equal(r.statusCode, 200, r.body);
        assert.deepEqual([r.json().services, r.json().teams], [services, 1]);
      }
      const names = (await t.call('GET', '/api/v1/services', { as: 'viewer' })).json().items.map((s: { name: string }) => s.name);
      assert.deepEqual(names, ['json-svc']);
    });

    it('refuses an invalid catalog with every error path and changes nothing', async () => {
      await put(EXAMPLE_CATALOG_YAML);
      const version = await store.catalogVersion();
      const cases: [string, string, Record<string, unknown>][] = [
        [
          INVALID_YAML,
          'application/yaml',
          problem(400, 'validation', 'The catalog is not valid.', {
            errors: [
              { path: 'services[0].spec.tier', message: 'expected an integer from 1 to 4' },
              {
                path: 'services[0].spec.levers[0].kind',
                message: 'expected one of rollback, feature-flag, scale, failover, rate-limit, reject-path, read-only, fallback, other',
              },
              { path: 'teams[0].spec.onCall.rotation', message: 'expected one of daily, weekly' },
              { path: 'documents[2].kind', message: 'expected one of Service, Team for firebreak/v1' },
            ],
          }),
        ],
        [
          'b: }',
          'application/x-yaml',
          problem(400, 'validation', 'The catalog is not valid YAML.', {
            errors: [{ path: 'documents[0]', message: 'YAML: Unexpected flow-map-end token in YAML stream: "}" at line 1, column 4' }],
          }),
        ],
        ['{"items": 3}', 'application/json', problem(400, 'validation', 'The catalog is not valid.', { errors: [{ path: 'body.items', message: 'expected an array of documents' }] })],
        ['{nope', 'application/json', problem(400, 'validation', 'The catalog is not valid JSON.', { errors: [{ path: 'body', message: 'is not valid JSON' }] })],
        ['42', 'application/json', problem(400, 'validation', 'The catalog is not valid.', { errors: [{ path: 'body', message: 'expected a document, an array of documents or {"items": [...]}' }] })],
        [
          'kind: Service',
          'text/plain',
          invalidRequest([{ path: 'headers.content-type', message: 'must be one of application/yaml, application/x-yaml, text/yaml, application/json' }]),
        ],
      ];
      for (const [text, type, expected] of cases) {
        const res = await put(text, type);
        assert.equal(res.statusCode, 400, `${type} ${text}: ${res.body}`);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.deepEqual(body(res), expected, text);
      }
      const badUtf8 = await t.app.inject({
        method: 'PUT',
        url: '/api/v1/catalog',
        headers: { authorization: `Bearer ${t.tokens.admin}`, 'content-type': 'application/yaml' },
        payload: Buffer.from([0x6b, 0x3a, 0x20, 0xff, 0xfe]),
      });
      assert.deepEqual(body(badUtf8), invalidRequest([{ path: 'body', message: 'is not valid UTF-8' }]));
      const empty = await put('', 'application/yaml');
      assert.deepEqual(body(empty), invalidRequest([{ path: 'body', message: 'is required' }]));
      const responder = await put(EXAMPLE_CATALOG_YAML, 'application/yaml', 'responder');
      assert.deepEqual(body(responder), problem(403, 'forbidden', 'This needs the admin role; you have responder.'));
      assert.equal(await store.catalogVersion(), version);
    });

    it('checks credentials and roles on every catalog, deploy and integration route before reading the body', async () => {
      const routes: ['GET' | 'PUT' | 'POST' | 'DELETE', string, 'viewer' | 'admin' | 'ingest'][] = [
        ['PUT', '/api/v1/catalog', 'admin'],
        ['GET', '/api/v1/catalog', 'viewer'],
        ['GET', '/api/v1/services', 'viewer'],
        ['GET', '/api/v1/services/checkout', 'viewer'],
        ['GET', '/api/v1/services/checkout/playbook', 'viewer'],
        ['GET', '/api/v1/teams', 'viewer'],
        ['POST', '/api/v1/integrations', 'admin'],
        ['GET', '/api/v1/integrations', 'admin'],
        ['DELETE', '/api/v1/integrations/nope', 'admin'],
        ['POST', '/api/v1/deploys', 'ingest'],
        ['GET', '/api/v1/deploys', 'viewer'],
        ['GET', '/api/v1/incidents/INC-1/suspects', 'viewer'],
      ];
      const weaker = { viewer: ['ingest'], admin: ['ingest', 'viewer', 'responder'], ingest: ['viewer', 'responder'] } as const;
      for (const [method, url, role] of routes) {
        const anonymous = await t.call(method, url, { as: 'anonymous', body: method === 'GET' || method === 'DELETE' ? undefined : {} });
        assert.equal(anonymous.statusCode, 401, `${method} ${url}`);
        for (const as of weaker[role]) {
          const res = await t.call(method, url, { as, body: method === 'GET' || method === 'DELETE' ? undefined : {} });
          assert.equal(res.statusCode, 403, `${method} ${url} as ${as}`);
          // Sender routes (deploys) also take an integration token, and say so.
          const needs = url === '/api/v1/deploys' && method === 'POST' ? 'an integration token or the ingest role' : `the ${role} role`;
          assert.equal(res.json().detail, `This needs ${needs}; you have ${as}.`);
        }
      }
      const spec = (await t.call('GET', '/api/v1/openapi.json', { as: 'viewer' })).json();
      for (const path of ['/api/v1/catalog', '/api/v1/services/{name}/playbook', '/api/v1/integrations/{id}', '/api/v1/deploys', '/api/v1/integrations/github', '/v2/change/enqueue']) {
        assert.ok(spec.paths[path], path);
      }
    });

    it('creates integrations with their credential shown once, lists them without it, and revokes them', async () => {
      const create = (b: unknown, as: 'admin' | 'responder' = 'admin') => t.call('POST', '/api/v1/integrations', { as, body: b });
      const generic = await create({ type: 'generic', name: 'ci' });
      assert.equal(generic.statusCode, 201, generic.body);
      assert.equal(generic.headers['cache-control'], 'no-store');
      const g = generic.json();
      assert.match(g.token, /^fbi_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual([g.type, g.name, g.routingKey, g.secret, g.endpoints], ['generic', 'ci', undefined, undefined, ['/api/v1/alerts', '/api/v1/deploys']]);

      const pd = (await create({ type: 'pagerduty', name: 'pd' })).json();
      assert.match(pd.routingKey, /^[0-9a-f]{32}$/);
      assert.equal(pd.token, undefined);
      const gh = (await create({ type: 'github', name: 'gh' })).json();
      assert.match(gh.secret, /^[0-9a-f]{96}$/);

      const count = (await store.listIntegrations()).length;
      const refusals: [unknown, Record<string, unknown>][] = [
        [
          { type: 'github', name: 'gh', secret: 'short' },
          invalidRequest([{ path: 'body.secret', message: 'must be 65 to 512 bytes, so that only its hash is stored; or omit it to have one generated' }]),
        ],
        [
          { type: 'slack', name: 'x', extra: 1 },
          invalidRequest([
            { path: 'body.extra', message: 'is not allowed' },
            { path: 'body.type', message: 'must be one of alertmanager, grafana, pagerduty, github, generic' },
          ]),
        ],
      ];
      for (const [b, expected] of refusals) {
        const res = await create(b);
        assert.equal(res.statusCode, 400);
        assert.deepEqual(body(res), expected);
      }
      assert.deepEqual(body(await create({ type: 'generic', name: 'x' }, 'responder')), problem(403, 'forbidden', 'This needs the admin role; you have responder.'));
      assert.equal((await store.listIntegrations()).length, count);

      const list = await t.call('GET', '/api/v1/integrations', { as: 'admin' });
      assert.equal(list.statusCode, 200);
      for (const secret of [g.token, pd.routingKey, gh.secret]) assert.ok(!list.body.includes(secret));
      assert.ok(!/hash/i.test(list.body));
      const listed = list.json().items.find((i: { id: string }) => i.id === pd.id);
      assert.deepEqual(listed, { id: pd.id, type: 'pagerduty', name: 'pd', createdAt: pd.createdAt, revokedAt: null, endpoints: ['/v2/enqueue', '/v2/change/enqueue'] });

      const deploy = { service: 'checkout', version: 'v1', status: 'succeeded', externalId: `ci-${g.id}` };
      const ok = await t.call('POST', '/api/v1/deploys', { as: { token: g.token }, body: deploy });
      assert.equal(ok.statusCode, 201, ok.body);

      const revoked = await t.call('DELETE', `/api/v1/integrations/${g.id}`, { as: 'admin' });
      assert.equal(revoked.statusCode, 204);
      const again = await t.call('DELETE', `/api/v1/integrations/${g.id}`, { as: 'admin' });
      assert.deepEqual(body(again), problem(404, 'not_found', `Integration ${g.id} does not exist or is already revoked.`));
      const deploys = (await store.listDeploys({ limit: 1000 })).length;
      const refused = await t.call('POST', '/api/v1/deploys', { as: { token: g.token }, body: { ...deploy, externalId: 'ci-after-revoke' } });
      assert.equal(refused.statusCode, 401);
      assert.deepEqual(body(refused), problem(401, 'unauthorized', 'The token is not a live generic integration token.'));
      assert.equal((await store.listDeploys({ limit: 1000 })).length, deploys);
      const after = (await t.call('GET', '/api/v1/integrations', { as: 'admin' })).json().items.find((i: { id: string }) => i.id === g.id);
      assert.ok(after.revokedAt);
    });
  });
}
