import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BACKSTAGE_API_ENTITIES,
  BACKSTAGE_CATALOG_YAML,
  EXAMPLE_CATALOG_YAML,
  MIXED_BACKSTAGE_CATALOG_YAML,
} from '../domain/catalog/catalog.fixture.js';
import { onCallNow } from '../domain/catalog/index.js';
import type { Team } from '../domain/catalog/types.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const body = problemOf;

const SERVICE_RULE =
  'must be a service name or namespace/name: 1–63 letters and digits each, in runs separated by - _ or . (only - in a namespace)';
const OWNER_WARNING = {
  path: 'services[4].spec.owner',
  message: '"group:default/team-search" is not in this catalog: nobody is on call for search',
};
const V1 = 'backstage.io/v1alpha1';
const MIXED_IGNORED = [
  { document: 0, apiVersion: V1, kind: 'Location', name: 'acme-catalog', reason: 'a Location points at other files: apply the entities they hold' },
  { document: 1, apiVersion: V1, kind: 'Domain', name: 'commerce', reason: 'Firebreak groups services by System, not Domain' },
  { document: 8, apiVersion: V1, kind: 'Resource', name: 'orders-db', reason: "a Resource is not a service: a Component's dependsOn can name it" },
  { document: 9, apiVersion: V1, kind: 'API', name: 'checkout-api', reason: 'an API is not a service: the Component that provides it is' },
  { document: 15, apiVersion: V1, kind: 'Environment', name: 'prod', reason: 'Firebreak does not read Environment entities' },
  { document: 16, apiVersion: V1, kind: 'AiResource', name: 'frontend-design', reason: 'Firebreak does not read AiResource entities' },
  {
    document: 17,
    apiVersion: 'scaffolder.backstage.io/v1beta3',
    kind: 'Template',
    name: 'new-service',
    reason: 'a software template is not part of the running architecture',
  },
  { document: 18, apiVersion: 'backstage.io/v1beta2', kind: 'Template', name: 'legacy-service', reason: 'a software template is not part of the running architecture' },
];

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
        warnings: [],
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

    it('applies a real Backstage catalog: other kinds ignored with why, unknown owners as warnings', async () => {
      const before = await store.catalogVersion();
      const res = await put(MIXED_BACKSTAGE_CATALOG_YAML);
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        version: before + 1,
        appliedAt: res.json().appliedAt,
        services: 5,
        teams: 2,
        systems: 1,
        ignored: MIXED_IGNORED,
        warnings: [OWNER_WARNING],
        incidentsUpdated: [],
      });
      const info = (await t.call('GET', '/api/v1/catalog', { as: 'viewer' })).json();
      assert.deepEqual([info.version, info.ignored, info.warnings], [before + 1, MIXED_IGNORED, [OWNER_WARNING]]);

      const list = (await t.call('GET', '/api/v1/services', { as: 'viewer' })).json().items;
      assert.deepEqual(
        list.map((s: { name: string; owner: string; onCallNow: string | null }) => [s.name, s.owner, s.onCallNow]),
        [
          ['checkout', 'team-payments', 'ana'],
          ['payments/checkout', 'payments/team-billing', 'payments/li'],
          ['payments/ledger', 'user:jdoe', 'jdoe'],
          ['playback-order', 'user:guest', 'guest'],
          ['search', 'team-search', null],
        ],
      );
      const search = (await t.call('GET', '/api/v1/services/search', { as: 'viewer' })).json();
      assert.deepEqual([search.team, search.person, search.onCallNow, search.warnings], [null, null, null, [OWNER_WARNING]]);
    });

    it('serves payments/checkout and checkout as two services, at every spelling of their paths', async () => {
      assert.equal((await put(MIXED_BACKSTAGE_CATALOG_YAML)).statusCode, 200);
      const title = async (path: string) => {
        const res = await t.call('GET', `/api/v1/services/${path}`, { as: 'viewer' });
        assert.equal(res.statusCode, 200, `${path}: ${res.body}`);
        return [res.json().name, res.json().title];
      };
      for (const path of ['checkout', 'default/checkout', 'default%2Fcheckout', 'Default%2Fcheckout']) {
        assert.deepEqual(await title(path), ['checkout', 'Checkout'], path);
      }
      for (const path of ['payments/checkout', 'payments%2Fcheckout', 'PAYMENTS/checkout']) {
        assert.deepEqual(await title(path), ['payments/checkout', 'Payments checkout'], path);
      }
      const billing = (await t.call('GET', '/api/v1/services/payments/checkout', { as: 'viewer' })).json();
      assert.deepEqual(
        [billing.team.name, billing.team.onCallNow, billing.service.dependsOn, billing.warnings],
        ['payments/team-billing', 'payments/li', ['payments/ledger'], []],
      );

      for (const path of ['payments/checkout/playbook', 'payments%2Fcheckout/playbook']) {
        const md = await t.call('GET', `/api/v1/services/${path}`, { as: 'viewer' });
        assert.equal(md.statusCode, 200, path);
        assert.equal(md.headers['content-type'], 'text/markdown; charset=utf-8');
        assert.ok(md.body.startsWith('# Incident playbook: Payments checkout\n'), md.body);
      }
      const short = await t.call('GET', '/api/v1/services/default/checkout/playbook', { as: 'viewer' });
      assert.ok(short.body.startsWith('# Incident playbook: Checkout\n'), short.body);

      const missing = await t.call('GET', '/api/v1/services/billing/checkout', { as: 'viewer' });
      assert.deepEqual(body(missing), problem(404, 'not_found', 'No service named "billing/checkout" in the catalog.'));
      const missingPlaybook = await t.call('GET', '/api/v1/services/billing%2Fcheckout/playbook', { as: 'viewer' });
      assert.deepEqual(body(missingPlaybook), problem(404, 'not_found', 'No service named "billing/checkout" in the catalog.'));
      const bad = await t.call('GET', '/api/v1/services/pay_ments/checkout', { as: 'viewer' });
      assert.deepEqual(
        body(bad),
        invalidRequest([{ path: 'params.namespace', message: 'must be a namespace: letters and digits, in runs separated by -' }]),
      );
      const tooDeep = await t.call('GET', '/api/v1/services/a%2Fb%2Fc', { as: 'viewer' });
      assert.deepEqual(body(tooDeep), invalidRequest([{ path: 'params.name', message: SERVICE_RULE }]));
    });

    it('shows the person who owns a service as its owner and who is on call', async () => {
      assert.equal((await put(MIXED_BACKSTAGE_CATALOG_YAML)).statusCode, 200);
      const ledger = (await t.call('GET', '/api/v1/services/payments/ledger', { as: 'viewer' })).json();
      assert.deepEqual(
        [ledger.owner, ledger.team, ledger.person, ledger.onCallNow],
        ['user:jdoe', null, { name: 'jdoe', title: 'Jane Doe', email: 'jdoe@example.com' }, 'jdoe'],
      );
      const guest = (await t.call('GET', '/api/v1/services/playback-order', { as: 'viewer' })).json();
      assert.deepEqual([guest.person, guest.onCallNow], [{ name: 'guest', title: 'guest', email: null }, 'guest']);
      const md = (await t.call('GET', '/api/v1/services/payments/ledger/playbook', { as: 'viewer' })).body;
      assert.ok(md.includes('- **On call now:** Jane Doe (jdoe), who owns the service: jdoe@example.com\n'), md);
    });

    it("applies the body of Backstage's own GET /api/catalog/entities, as an array and as {items}", async () => {
      for (const shape of [BACKSTAGE_API_ENTITIES, { items: BACKSTAGE_API_ENTITIES, totalItems: 4, pageInfo: {} }]) {
        const res = await put(JSON.stringify(shape), 'application/json');
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(
          [res.json().services, res.json().teams, res.json().ignored.map((i: { kind: string }) => i.kind), res.json().warnings],
          [1, 1, ['Resource'], []],
        );
      }
      const checkout = (await t.call('GET', '/api/v1/services/checkout', { as: 'viewer' })).json();
      assert.deepEqual([checkout.owner, checkout.repository, checkout.team.members], ['team-payments', 'acme/checkout', [{ name: 'ana', email: 'ana@example.com' }]]);
    });

    it('takes namespaced services in declarations, filters and deploys, and writes default/ as nothing', async () => {
      assert.equal((await put(MIXED_BACKSTAGE_CATALOG_YAML)).statusCode, 200);
      const declared = await t.call('POST', '/api/v1/incidents', {
        as: 'responder',
        body: { title: 'Billing checkout down', impact: 'Back office cannot refund', services: ['payments/checkout', 'default/checkout', 'checkout'] },
      });
      assert.equal(declared.statusCode, 201, declared.body);
      assert.deepEqual(declared.json().services, ['payments/checkout', 'checkout']);
      const id = declared.json().id as string;
      for (const q of ['payments%2Fcheckout', 'payments/checkout', 'default/checkout', 'checkout']) {
        const page = await t.call('GET', `/api/v1/incidents?service=${q}`, { as: 'viewer' });
        assert.equal(page.statusCode, 200, page.body);
        assert.ok(page.json().items.some((i: { id: string }) => i.id === id), q);
      }
      const elsewhere = (await t.call('GET', '/api/v1/incidents?service=billing/checkout', { as: 'viewer' })).json();
      assert.ok(!elsewhere.items.some((i: { id: string }) => i.id === id));

      const deploy = await t.call('POST', '/api/v1/deploys', {
        as: 'ingest',
        body: { externalId: `ns-${id}`, service: 'default/search', version: 'v3', status: 'succeeded' },
      });
      assert.equal(deploy.statusCode, 201, deploy.body);
      assert.equal(deploy.json().service, 'search');
      const ledger = await t.call('POST', '/api/v1/deploys', {
        as: 'ingest',
        body: { externalId: `ns-l-${id}`, service: 'payments/ledger', version: 'v9', status: 'succeeded' },
      });
      assert.equal(ledger.json().service, 'payments/ledger');
      const deploys = (await t.call('GET', '/api/v1/deploys?service=payments%2Fledger', { as: 'viewer' })).json().items;
      assert.ok(deploys.some((d: { externalId: string }) => d.externalId === `ns-l-${id}`));
      const searchDeploys = (await t.call('GET', '/api/v1/deploys?service=default/search', { as: 'viewer' })).json().items;
      assert.ok(searchDeploys.some((d: { externalId: string }) => d.externalId === `ns-${id}`));
      for (const [named, routed] of [['payments/checkout', 'payments/checkout'], ['default/search', 'search']] as const) {
        const alert = { dedupKey: `ns-${routed}-${id}`, status: 'firing', summary: 'queue depth high', severity: 'info', service: named };
        const sent = await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: alert });
        assert.equal(sent.statusCode, 202, sent.body);
        const inbox = await t.call('GET', `/api/v1/alerts?service=${encodeURIComponent(named)}`, { as: 'viewer' });
        const mine = inbox.json().items.find((a: { dedupKey: string }) => a.dedupKey === alert.dedupKey);
        assert.deepEqual([mine?.service, mine?.senderService], [routed, routed], named);
      }

      const count = (await store.listIncidents({ limit: 500 })).length;
      const refused = await t.call('POST', '/api/v1/incidents', {
        as: 'responder',
        body: { title: 'x', impact: 'y', services: ['payments/checkout', 'a/b/c'] },
      });
      assert.deepEqual(body(refused), invalidRequest([{ path: 'body.services[1]', message: SERVICE_RULE }]));
      assert.equal((await store.listIncidents({ limit: 500 })).length, count);
      for (const url of ['/api/v1/incidents?service=a/b/c', '/api/v1/alerts?service=a/b/c', '/api/v1/deploys?service=a/b/c']) {
        const res = await t.call('GET', url, { as: 'viewer' });
        assert.deepEqual(body(res), invalidRequest([{ path: 'query.service', message: SERVICE_RULE }]), url);
      }
    });

    it('applies a catalog that drops a service an open incident names, warning with the incident; the incident keeps the name', async () => {
      assert.equal((await put(MIXED_BACKSTAGE_CATALOG_YAML)).statusCode, 200);
      const open = await t.declare({ services: ['payments/ledger', 'search'] });
      const cancelled = await t.declare({ services: ['payments/ledger'] });
      const cancel = await t.call('POST', `/api/v1/incidents/${cancelled.id}/status`, {
        as: 'responder',
        body: { to: 'cancelled', reason: 'false alarm' },
      });
      assert.equal(cancel.statusCode, 200, cancel.body);
      const without = MIXED_BACKSTAGE_CATALOG_YAML.replace(
        'kind: Component\nmetadata: { name: ledger, namespace: payments }',
        'kind: Resource\nmetadata: { name: ledger, namespace: payments }',
      );
      assert.notEqual(without, MIXED_BACKSTAGE_CATALOG_YAML);
      const res = await put(without);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.json().services, 4);
      assert.deepEqual(res.json().warnings, [
        { ...OWNER_WARNING, path: 'services[3].spec.owner' },
        { path: 'services', message: `payments/ledger is named by open incident ${open.id}; it keeps its service name` },
      ]);
      assert.deepEqual((await t.call('GET', '/api/v1/catalog', { as: 'viewer' })).json().warnings, res.json().warnings);
      const incident = (await t.call('GET', `/api/v1/incidents/${open.id}`, { as: 'viewer' })).json();
      assert.deepEqual(incident.services, ['payments/ledger', 'search']);
    });

    it('refuses a Backstage catalog it reads but cannot understand, with every path, beside the kinds it skips', async () => {
      await put(EXAMPLE_CATALOG_YAML);
      const version = await store.catalogVersion();
      const yaml = [
        'apiVersion: backstage.io/v1alpha1\nkind: Environment\nmetadata: { name: prod }',
        'apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: { name: "check out", namespace: payments }\nspec: { owner: team-a }',
        'apiVersion: backstage.io/v2\nkind: Component\nmetadata: { name: later }',
        'apiVersion: firebreak/v1\nkind: Service\nmetadata: { name: api }\nspec: { owner: "system:core", tier: 9 }',
      ].join('\n---\n');
      const res = await put(yaml);
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(
        body(res),
        problem(400, 'validation', 'The catalog is not valid.', {
          errors: [
            { path: 'services[0].metadata.name', message: 'expected 1–63 characters: letters and digits, in runs separated by - _ or .' },
            { path: 'documents[2].apiVersion', message: 'expected backstage.io/v1alpha1 or backstage.io/v1beta1 for Component' },
            { path: 'services[1].spec.owner', message: 'expected a Group or User reference, not system' },
            { path: 'services[1].spec.tier', message: 'expected an integer from 1 to 4' },
          ],
        }),
      );
      assert.equal(await store.catalogVersion(), version);
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
              { path: 'documents[2].kind', message: 'expected one of Service, Team, Schedule, EscalationPolicy for firebreak/v1' },
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
            { path: 'body.type', message: 'must be one of alertmanager, grafana, pagerduty, opsgenie, github, generic' },
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
