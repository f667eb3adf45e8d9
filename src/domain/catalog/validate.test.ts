import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKSTAGE_CATALOG_YAML, EXAMPLE_CATALOG_YAML } from './catalog.fixture.js';
import { type Catalog, parseCatalogYaml, validateCatalog } from './index.js';
import { validationErrors as errorsOf } from './test-kit.js';

const NONE_SLO = { availability: null, latencyP95Ms: null };

describe('validateCatalog', () => {
  it('reads the example catalog into the model', () => {
    const catalog = validateCatalog(parseCatalogYaml(EXAMPLE_CATALOG_YAML));
    const expected: Catalog = {
      services: [
        {
          name: 'checkout',
          title: 'Checkout',
          description: null,
          owner: 'payments',
          tier: 1,
          public: true,
          system: null,
          lifecycle: null,
          repository: null,
          dependsOn: ['payments-api', 'orders-db'],
          external: ['payments-api', 'orders-db'],
          slo: { availability: 99.9, latencyP95Ms: 300 },
          flows: [{ name: 'place-order', userFacing: true }],
          unsupportedFlows: ['legacy-coupon-v1'],
          coexistence: [{ name: 'orders v1/v2 dual-write', failMode: 'closed' }],
          alertMatchers: [{ label: 'service', value: 'checkout' }],
          runbook: 'https://wiki.example/checkout',
          levers: [
            {
              name: 'rollback',
              kind: 'rollback',
              failClosed: true,
              preservesData: true,
              action: { type: 'webhook', url: 'https://ci.example/rollback', method: 'POST' },
            },
            {
              name: 'disable-new-pricing',
              kind: 'feature-flag',
              failClosed: true,
              preservesData: false,
              action: { type: 'manual', instructions: 'Flip pricing_v2 off in the flag console' },
            },
          ],
          source: 'firebreak',
        },
      ],
      teams: [
        {
          name: 'payments',
          title: 'payments',
          members: [
            { name: 'ana', email: 'ana@example.com' },
            { name: 'li', email: 'li@example.com' },
          ],
          onCall: { rotation: 'weekly', startsAt: '2026-01-05T09:00:00.000Z', order: ['ana', 'li'] },
          notify: [{ type: 'slack', url: 'https://hooks.slack.example/T000/B000/XXX' }],
          source: 'firebreak',
        },
      ],
      systems: [],
      ignored: [],
    };
    assert.deepEqual(catalog, expected);
  });

  it('reads Backstage Component, Group, System and User entities with spec.firebreak', () => {
    const catalog = validateCatalog(parseCatalogYaml(BACKSTAGE_CATALOG_YAML));
    assert.deepEqual(catalog.services[0], {
      name: 'checkout',
      title: 'Checkout',
      description: 'Takes orders and payments.',
      owner: 'team-payments',
      tier: 1,
      public: true,
      system: 'storefront',
      lifecycle: 'production',
      repository: 'acme/checkout',
      dependsOn: ['orders-db', 'payments-api'],
      external: ['orders-db'],
      slo: NONE_SLO,
      flows: [],
      unsupportedFlows: [],
      coexistence: [],
      alertMatchers: [{ label: 'app', regex: 'checkout(-canary)?' }],
      runbook: null,
      levers: [
        {
          name: 'rollback',
          kind: 'rollback',
          failClosed: true,
          preservesData: true,
          action: { type: 'webhook', url: 'https://ci.example/rollback', method: 'POST' },
        },
      ],
      source: 'backstage',
    });
    assert.deepEqual(
      catalog.services.map((s) => [s.name, s.tier, s.public, s.lifecycle]),
      [
        ['checkout', 1, true, 'production'],
        ['payments-api', 3, false, 'experimental'],
      ],
    );
    assert.deepEqual(catalog.teams, [
      {
        name: 'team-payments',
        title: 'Payments',
        // ana from Group.spec.members, li from User.spec.memberOf; emails from the User profiles.
        members: [
          { name: 'ana', email: 'ana@example.com' },
          { name: 'li', email: 'li@example.com' },
        ],
        onCall: { rotation: 'daily', startsAt: '2026-01-05T09:00:00.000Z', order: ['ana', 'li'] },
        notify: [{ type: 'email', address: 'payments@example.com' }],
        source: 'backstage',
      },
    ]);
    assert.deepEqual(catalog.systems, [{ name: 'storefront', owner: 'team-payments' }]);
    assert.deepEqual(catalog.ignored, [
      { document: 6, apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', name: 'orders-db' },
      { document: 7, apiVersion: 'backstage.io/v1alpha1', kind: 'API', name: 'checkout-api' },
    ]);
  });

  it('refuses an invalid catalog whole, listing every error with its exact path', () => {
    const docs: unknown[] = [
      'just a string',
      { apiVersion: 'firebreak/v2', kind: 'Service' },
      { apiVersion: 'firebreak/v1', kind: 'Component' },
      null,
      {
        apiVersion: 'firebreak/v1',
        kind: 'Service',
        status: {},
        metadata: { name: 'checkout', labels: {} },
        spec: {
          owner: 'payments',
          tier: 7,
          dependsOn: ['orders db'],
          colour: 'red',
          slo: { availability: 120 },
          coexistence: [{ name: 'v1/v2', failMode: 'sideways' }],
          alertMatchers: [{ label: 'app', value: 'x', regex: 'y' }, { label: 'app', regex: '(' }, { label: 'app' }],
          runbook: 'javascript:alert(1)',
          levers: [
            { name: 'rollback', kind: 'revert', action: { type: 'webhook', url: 'ftp://ci.example/x' } },
            { name: 'flag', kind: 'feature-flag', action: { type: 'manual', instructions: 'Flip it' } },
            { name: 'flag', kind: 'rate-limit', action: { type: 'manual', instructions: 'Lower the limit' } },
            { name: 'page', kind: 'other', failClosed: 'yes', action: { type: 'pager' } },
          ],
        },
      },
      { apiVersion: 'firebreak/v1', kind: 'Service', metadata: { name: 'checkout' }, spec: { owner: 'nobody' } },
      { apiVersion: 'firebreak/v1', kind: 'Service', metadata: { name: '-bad-' }, spec: {} },
      {
        apiVersion: 'firebreak/v1',
        kind: 'Team',
        metadata: { name: 'payments' },
        spec: {
          members: [{ name: 'ana' }, { name: 'ana', email: 'not-an-email' }],
          onCall: { rotation: 'hourly', startsAt: 'monday', order: [42] },
          notify: [{ type: 'slack' }, { type: 'email', url: 'https://x.example' }],
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'search', annotations: { 'github.com/project-slug': 'not a slug' }, whatever: true },
        spec: {
          type: 'service',
          owner: 'group:default/search-team',
          firebreak: { tier: 2, levers: 'none', pager: true },
        },
      },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Group',
        metadata: { name: 'payments' },
        spec: {
          members: ['user:a/b/c', 'li'],
          firebreak: { onCall: { rotation: 'daily', startsAt: '2026-01-05T09:00:00Z', order: [7, 'ana', 'li'] } },
        },
      },
      { apiVersion: 'backstage.io/v1alpha1', kind: 'System', metadata: { name: 'shop' }, spec: {} },
      { apiVersion: 'backstage.io/v1alpha1', kind: 'Widget', metadata: { name: 'w' } },
    ];
    const KINDS = 'rollback, feature-flag, scale, failover, rate-limit, reject-path, read-only, fallback, other';
    const NAME = 'expected 1–63 characters: letters and digits, in runs separated by - _ or .';
    assert.deepEqual(
      errorsOf(() => validateCatalog(docs)),
      [
        { path: 'documents[0]', message: 'expected an object (one catalog entity)' },
        {
          path: 'documents[1].apiVersion',
          message:
            'expected one of firebreak/v1, backstage.io/v1alpha1, backstage.io/v1beta1, scaffolder.backstage.io/v1beta3',
        },
        { path: 'documents[2].kind', message: 'expected one of Service, Team for firebreak/v1' },
        { path: 'services[0].status', message: 'is not allowed' },
        { path: 'services[0].metadata.labels', message: 'is not allowed' },
        { path: 'services[0].spec.colour', message: 'is not allowed' },
        { path: 'services[0].spec.dependsOn[0]', message: NAME },
        { path: 'services[0].spec.tier', message: 'expected an integer from 1 to 4' },
        { path: 'services[0].spec.slo.availability', message: 'expected a number from 0 to 100' },
        { path: 'services[0].spec.coexistence[0].failMode', message: 'expected one of open, closed' },
        { path: 'services[0].spec.alertMatchers[0]', message: 'give exactly one of value (exact match) or regex' },
        { path: 'services[0].spec.alertMatchers[1].regex', message: 'expected a valid regular expression' },
        { path: 'services[0].spec.alertMatchers[2]', message: 'give exactly one of value (exact match) or regex' },
        { path: 'services[0].spec.runbook', message: 'expected an http:// or https:// URL' },
        { path: 'services[0].spec.levers[0].kind', message: `expected one of ${KINDS}` },
        { path: 'services[0].spec.levers[0].action.url', message: 'expected an http:// or https:// URL' },
        { path: 'services[0].spec.levers[2].name', message: 'duplicate name "flag" (first at levers[1])' },
        { path: 'services[0].spec.levers[3].failClosed', message: 'expected true or false' },
        { path: 'services[0].spec.levers[3].action.type', message: 'expected one of webhook, manual' },
        { path: 'services[2].metadata.name', message: NAME },
        { path: 'services[2].spec.owner', message: 'is required' },
        { path: 'teams[0].spec.members[1].email', message: 'expected an email address' },
        { path: 'teams[0].spec.members[1].name', message: 'duplicate name "ana" (first at members[0])' },
        { path: 'teams[0].spec.onCall.rotation', message: 'expected one of daily, weekly' },
        {
          path: 'teams[0].spec.onCall.startsAt',
          message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z',
        },
        { path: 'teams[0].spec.onCall.order[0]', message: 'expected a string' },
        { path: 'teams[0].spec.notify[0].url', message: 'is required' },
        { path: 'teams[0].spec.notify[1].url', message: 'is not allowed' },
        { path: 'teams[0].spec.notify[1].address', message: 'is required' },
        {
          path: 'services[3].metadata.annotations["github.com/project-slug"]',
          message: 'expected a GitHub repository as owner/name',
        },
        { path: 'services[3].spec.firebreak.pager', message: 'is not allowed' },
        { path: 'services[3].spec.firebreak.levers', message: 'expected a list' },
        {
          path: 'teams[1].spec.members[0]',
          message: 'expected an entity reference like group:default/payments or a name',
        },
        { path: 'teams[1].spec.firebreak.onCall.order[0]', message: 'expected a string' },
        { path: 'systems[0].spec.owner', message: 'is required' },
        {
          path: 'documents[11].kind',
          message:
            'expected one of Component, Group, System, User, API, Resource, Domain, Location, Template for backstage.io/v1alpha1',
        },
        // Cross-checks come last, once every entity has been read.
        { path: 'services[1].metadata.name', message: 'duplicate name "checkout" (first at services[0])' },
        { path: 'teams[1].metadata.name', message: 'duplicate name "payments" (first at teams[0])' },
        { path: 'services[1].spec.owner', message: '"nobody" names no Team in the catalog' },
        { path: 'services[3].spec.owner', message: '"search-team" names no Team in the catalog' },
        { path: 'teams[1].spec.firebreak.onCall.order[1]', message: '"ana" is not a member of team payments' },
      ],
    );
  });

  it('refuses an empty catalog and one with too many documents', () => {
    assert.deepEqual(
      errorsOf(() => validateCatalog([])),
      [{ path: 'documents', message: 'the catalog has no documents' }],
    );
    assert.deepEqual(
      errorsOf(() => validateCatalog([null, null])),
      [{ path: 'documents', message: 'the catalog has no documents' }],
    );
    assert.deepEqual(
      errorsOf(() => validateCatalog(new Array(2_001).fill({}))),
      [{ path: 'documents', message: 'expected at most 2,000 documents' }],
    );
  });

  it('caps the error list so a hostile catalog cannot grow the answer without bound', () => {
    const errors = errorsOf(() => validateCatalog(new Array(1_500).fill('x')));
    assert.equal(errors.length, 1_001);
    assert.deepEqual(errors.at(-1), { path: '', message: '500 more error(s) not listed' });
  });

  it('keeps __proto__, constructor and prototype keys harmless', () => {
    const docs = JSON.parse(`[
      {"apiVersion":"firebreak/v1","kind":"Service","metadata":{"name":"api"},
       "spec":{"owner":"constructor","__proto__":{"polluted":true},"slo":{"constructor":{"prototype":{"polluted":true}}}}},
      {"apiVersion":"backstage.io/v1alpha1","kind":"Component",
       "metadata":{"name":"web","__proto__":{"polluted":true},"annotations":{"__proto__":{"polluted":true}}},
       "spec":{"owner":"toString","__proto__":{"polluted":true},"firebreak":{"tier":2}}},
      {"apiVersion":"backstage.io/v1alpha1","kind":"hasOwnProperty","metadata":{"name":"x"}},
      {"apiVersion":"__proto__","kind":"Service"}
    ]`) as unknown[];
    assert.deepEqual(
      errorsOf(() => validateCatalog(docs)),
      [
        { path: 'services[0].spec.__proto__', message: 'is not allowed' },
        { path: 'services[0].spec.slo.constructor', message: 'is not allowed' },
        {
          path: 'documents[2].kind',
          message:
            'expected one of Component, Group, System, User, API, Resource, Domain, Location, Template for backstage.io/v1alpha1',
        },
        {
          path: 'documents[3].apiVersion',
          message:
            'expected one of firebreak/v1, backstage.io/v1alpha1, backstage.io/v1beta1, scaffolder.backstage.io/v1beta3',
        },
        { path: 'services[0].spec.owner', message: '"constructor" names no Team in the catalog' },
        { path: 'services[1].spec.owner', message: '"toString" names no Team in the catalog' },
      ],
    );
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted'), false);
  });

  it('takes optional fields as absent when null and fills the documented defaults', () => {
    const catalog = validateCatalog([
      {
        apiVersion: 'firebreak/v1',
        kind: 'Service',
        metadata: { name: 'search', title: null },
        spec: { owner: 'core', runbook: null, flows: [{ name: 'query' }] },
      },
      { apiVersion: 'firebreak/v1', kind: 'Team', metadata: { name: 'core' } },
    ]);
    const [search] = catalog.services;
    assert.deepEqual(
      [search?.title, search?.tier, search?.public, search?.runbook, search?.flows, search?.levers],
      ['search', 3, false, null, [{ name: 'query', userFacing: true }], []],
    );
    assert.deepEqual(catalog.teams[0], {
      name: 'core',
      title: 'core',
      members: [],
      onCall: null,
      notify: [],
      source: 'firebreak',
    });
  });
});

describe('parseCatalogYaml', () => {
  it('keeps empty documents as null so documents[i] counts separators', () => {
    assert.deepEqual(parseCatalogYaml('a: 1\n---\n---\nb: 2\n'), [{ a: 1 }, null, { b: 2 }]);
    assert.deepEqual(parseCatalogYaml(''), []);
  });

  it('reads a JSON array body as the list of documents', () => {
    assert.deepEqual(parseCatalogYaml('[{"kind":"Service"},{"kind":"Team"}]'), [{ kind: 'Service' }, { kind: 'Team' }]);
    assert.deepEqual(parseCatalogYaml('{"kind":"Service"}'), [{ kind: 'Service' }]);
  });

  it('reports syntax errors per document with their line', () => {
    assert.deepEqual(
      errorsOf(() => parseCatalogYaml('kind: Service\n---\nkind: Team\nkind: Group\n---\nspec: [1, 2\n')),
      [
        { path: 'documents[1]', message: 'YAML: Map keys must be unique at line 4, column 1' },
        {
          path: 'documents[2]',
          message:
            'YAML: Flow sequence in block collection must be sufficiently indented and end with a ] at line 7, column 1',
        },
      ],
    );
  });

  it('refuses alias bombs', () => {
    const bomb = [
      'a: &a [x, x, x, x, x, x, x, x, x, x]',
      ...'bcdefgh'.split('').map((k, i) => `${k}: &${k} [${Array(10).fill(`*${'abcdefgh'[i]}`).join(', ')}]`),
    ].join('\n');
    const [error] = errorsOf(() => parseCatalogYaml(bomb));
    assert.equal(error?.path, 'documents[0]');
    assert.match(error?.message ?? '', /^YAML: Excessive alias count/);
  });
});
