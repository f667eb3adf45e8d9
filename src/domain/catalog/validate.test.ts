import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  BACKSTAGE_API_ENTITIES,
  BACKSTAGE_CATALOG_YAML,
  EXAMPLE_CATALOG_YAML,
  MIXED_BACKSTAGE_CATALOG_YAML,
} from './catalog.fixture.js';
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
          escalationPolicy: null,
          source: 'firebreak',
          warnings: [],
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
      users: [],
      schedules: [],
      escalationPolicies: [],
      ignored: [],
      warnings: [],
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
      escalationPolicy: null,
      source: 'backstage',
      warnings: [],
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
    assert.deepEqual(catalog.users, [
      { name: 'li', title: 'li', email: 'li@example.com' },
      { name: 'ana', title: 'ana', email: 'ana@example.com' },
    ]);
    assert.deepEqual(catalog.ignored, [
      {
        document: 6,
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Resource',
        name: 'orders-db',
        reason: "a Resource is not a service: a Component's dependsOn can name it",
      },
      {
        document: 7,
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'API',
        name: 'checkout-api',
        reason: 'an API is not a service: the Component that provides it is',
      },
    ]);
    assert.deepEqual(catalog.warnings, []);
  });

  it('reads a real Backstage catalog: every kind, two namespaces, references across files', () => {
    const catalog = validateCatalog(parseCatalogYaml(MIXED_BACKSTAGE_CATALOG_YAML));
    assert.deepEqual(
      catalog.services.map((s) => [s.name, s.title, s.owner, s.system, s.dependsOn, s.external]),
      [
        ['checkout', 'Checkout', 'team-payments', 'storefront', ['payments/ledger', 'orders-db'], ['orders-db']],
        // Relative references resolve in the entity's own namespace, as in Backstage.
        ['payments/checkout', 'Payments checkout', 'payments/team-billing', null, ['payments/ledger'], []],
        ['payments/ledger', 'payments/ledger', 'user:jdoe', null, [], []],
        ['playback-order', 'playback-order', 'user:guest', 'storefront', [], []],
        ['search', 'search', 'team-search', null, ['checkout'], []],
      ],
    );
    assert.deepEqual(
      catalog.teams.map((t) => [t.name, t.title, t.members, t.onCall?.order]),
      [
        ['team-payments', 'Payments', [{ name: 'ana', email: 'ana@example.com' }], ['ana']],
        ['payments/team-billing', 'payments/team-billing', [{ name: 'payments/li', email: 'li@example.com' }], ['payments/li']],
      ],
    );
    assert.deepEqual(catalog.users, [
      { name: 'ana', title: 'Ana Lima', email: 'ana@example.com' },
      { name: 'jdoe', title: 'Jane Doe', email: 'jdoe@example.com' },
      { name: 'payments/li', title: 'payments/li', email: 'li@example.com' },
    ]);
    assert.deepEqual(catalog.systems, [{ name: 'storefront', owner: 'team-payments' }]);
    const v1 = 'backstage.io/v1alpha1';
    assert.deepEqual(catalog.ignored, [
      { document: 0, apiVersion: v1, kind: 'Location', name: 'acme-catalog', reason: 'a Location points at other files: apply the entities they hold' },
      { document: 1, apiVersion: v1, kind: 'Domain', name: 'commerce', reason: 'Firebreak groups services by System, not Domain' },
      { document: 8, apiVersion: v1, kind: 'Resource', name: 'orders-db', reason: "a Resource is not a service: a Component's dependsOn can name it" },
      { document: 9, apiVersion: v1, kind: 'API', name: 'checkout-api', reason: 'an API is not a service: the Component that provides it is' },
      { document: 15, apiVersion: v1, kind: 'Environment', name: 'prod', reason: 'Firebreak does not read Environment entities' },
      { document: 16, apiVersion: v1, kind: 'AiResource', name: 'frontend-design', reason: 'Firebreak does not read AiResource entities' },
      {
        document: 17,
        apiVersion: 'scaffolder.backstage.io/v1beta3',
        kind: 'Template',
        name: 'new-service',
        reason: 'a software template is not part of the running architecture',
      },
      {
        document: 18,
        apiVersion: 'backstage.io/v1beta2',
        kind: 'Template',
        name: 'legacy-service',
        reason: 'a software template is not part of the running architecture',
      },
    ]);
    const warning = {
      path: 'services[4].spec.owner',
      message: '"group:default/team-search" is not in this catalog: nobody is on call for search',
    };
    assert.deepEqual(catalog.warnings, [warning]);
    assert.deepEqual(
      catalog.services.map((s) => s.warnings),
      [[], [], [], [], [warning]],
    );
  });

  it("reads the body of Backstage's GET /api/catalog/entities: uid, etag, relations and status are not in the way", () => {
    const catalog = validateCatalog(BACKSTAGE_API_ENTITIES);
    assert.deepEqual(
      catalog.services.map((s) => [s.name, s.owner, s.repository, s.dependsOn, s.warnings]),
      [['checkout', 'team-payments', 'acme/checkout', ['orders-db'], []]],
    );
    assert.deepEqual(
      catalog.teams.map((t) => [t.name, t.title, t.members]),
      [['team-payments', 'Payments', [{ name: 'ana', email: 'ana@example.com' }]]],
    );
    assert.deepEqual(
      catalog.ignored.map((i) => [i.document, i.kind, i.name]),
      [[3, 'Resource', 'orders-db']],
    );
    assert.deepEqual(catalog.warnings, []);
  });

  it('resolves owners: a Group by default, else a User of the catalog by that name; user: refs are people even from elsewhere', () => {
    const component = (n: string, owner: string, ns?: string) => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: n, ...(ns && { namespace: ns }) },
      spec: { type: 'service', owner },
    });
    const catalog = validateCatalog([
      component('a', 'team-a'),
      component('b', 'jdoe'),
      component('c', 'User:Default/jdoe'),
      component('d', 'user:development/guest'),
      component('e', 'group:team-a', 'ops'),
      component('f', 'default/team-a', 'ops'),
      { apiVersion: 'backstage.io/v1beta1', kind: 'Group', metadata: { name: 'team-a' }, spec: { type: 'team' } },
      { apiVersion: 'backstage.io/v1alpha1', kind: 'User', metadata: { name: 'jdoe' }, spec: { profile: {} } },
    ]);
    assert.deepEqual(
      catalog.services.map((s) => [s.name, s.owner]),
      [
        ['a', 'team-a'],
        ['b', 'user:jdoe'],
        ['c', 'user:jdoe'],
        ['d', 'user:development/guest'],
        ['ops/e', 'ops/team-a'],
        ['ops/f', 'team-a'],
      ],
    );
    assert.deepEqual(catalog.warnings, [
      { path: 'services[4].spec.owner', message: '"group:team-a" is not in this catalog: nobody is on call for ops/e' },
    ]);
  });

  it('keeps namespaces apart, and default/checkout is checkout', () => {
    const svc = (metadata: Record<string, unknown>) => ({
      apiVersion: 'firebreak/v1',
      kind: 'Service',
      metadata,
      spec: { owner: 'core', dependsOn: ['Payments/checkout', 'component:default/checkout'] },
    });
    const team = { apiVersion: 'firebreak/v1', kind: 'Team', metadata: { name: 'core' } };
    const catalog = validateCatalog([svc({ name: 'checkout' }), svc({ name: 'checkout', namespace: 'payments' }), team]);
    assert.deepEqual(
      catalog.services.map((s) => [s.name, s.dependsOn, s.external]),
      [
        ['checkout', ['payments/checkout', 'checkout'], []],
        ['payments/checkout', ['payments/checkout', 'checkout'], []],
      ],
    );
    assert.deepEqual(
      errorsOf(() => validateCatalog([svc({ name: 'checkout' }), svc({ name: 'checkout', namespace: 'default' }), team])),
      [{ path: 'services[1].metadata.name', message: 'duplicate name "checkout" (first at services[0])' }],
    );
  });

  it('refuses what it reads but cannot understand, however many kinds it skips around it', () => {
    const docs: unknown[] = [
      { apiVersion: 'backstage.io/v1alpha1', kind: 'Environment', metadata: { name: 'prod' } },
      { apiVersion: 'backstage.io/v1alpha1', kind: 'Component', metadata: { name: 'check out' }, spec: { owner: 'team-a' } },
      {
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'Component',
        metadata: { name: 'web', namespace: 'Pay_ments' },
        spec: { owner: 'component:default/checkout', dependsOn: ['resource:a/b/c'] },
      },
      { apiVersion: 'backstage.io/v2', kind: 'Component', metadata: { name: 'later' } },
      { apiVersion: 'backstage.io/v1beta2', kind: 'Group', metadata: { name: 'later' } },
      { apiVersion: 'firebreak/v1', kind: 'Service', metadata: { name: 'api', namespace: 'ops' }, spec: { owner: 'core', tier: 0 } },
      { apiVersion: 'acme.example/v1', kind: 'Team', metadata: { name: 'x' } },
      { kind: 'Component', metadata: { name: 'x' } },
      { apiVersion: 'backstage.io/v1alpha1', kind: 7 },
      { apiVersion: 'scaffolder.backstage.io/v1beta3', kind: 'Template', metadata: { name: 'new-service' } },
    ];
    assert.deepEqual(
      errorsOf(() => validateCatalog(docs)),
      [
        { path: 'services[0].metadata.name', message: 'expected 1–63 characters: letters and digits, in runs separated by - _ or .' },
        { path: 'services[1].metadata.namespace', message: 'expected 1–63 letters and digits, in runs separated by -' },
        { path: 'services[1].spec.owner', message: 'expected a Group or User reference, not component' },
        {
          path: 'services[1].spec.dependsOn[0]',
          message: 'expected an entity reference like group:default/payments or a name',
        },
        { path: 'documents[3].apiVersion', message: 'expected backstage.io/v1alpha1 or backstage.io/v1beta1 for Component' },
        { path: 'documents[4].apiVersion', message: 'expected backstage.io/v1alpha1 or backstage.io/v1beta1 for Group' },
        { path: 'services[2].spec.tier', message: 'expected an integer from 1 to 4' },
        { path: 'documents[6].apiVersion', message: 'expected firebreak/v1 for Team' },
        { path: 'documents[7].apiVersion', message: 'is required' },
        { path: 'documents[8].kind', message: 'expected a non-empty string' },
      ],
    );
  });

  it('lists what it ignores in text any storage keeps: cut, NUL and lone surrogates replaced', () => {
    const catalog = validateCatalog([
      { apiVersion: 'acme.example/v1\u0000', kind: `Widget\ud800${'x'.repeat(200)}`, metadata: { name: 'w\u0000', namespace: 'Lab' } },
    ]);
    const [ignored] = catalog.ignored;
    assert.deepEqual([ignored?.apiVersion, ignored?.name], ['acme.example/v1\ufffd', 'Lab/w\ufffd']);
    assert.equal(ignored?.kind, `Widget\ufffd${'x'.repeat(93)}`);
    assert.equal(ignored?.reason, `Firebreak does not read Widget\ufffd${'x'.repeat(93)} entities`);
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
    const REF = 'expected an entity reference like group:default/payments or a name';
    assert.deepEqual(
      errorsOf(() => validateCatalog(docs)),
      [
        { path: 'documents[0]', message: 'expected an object (one catalog entity)' },
        { path: 'documents[1].apiVersion', message: 'expected firebreak/v1' },
        { path: 'documents[2].kind', message: 'expected one of Service, Team, Schedule, EscalationPolicy for firebreak/v1' },
        { path: 'services[0].status', message: 'is not allowed' },
        { path: 'services[0].metadata.labels', message: 'is not allowed' },
        { path: 'services[0].spec.colour', message: 'is not allowed' },
        { path: 'services[0].spec.dependsOn[0]', message: REF },
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
        { path: 'teams[1].spec.members[0]', message: REF },
        { path: 'teams[1].spec.firebreak.onCall.order[0]', message: 'expected a string' },
        { path: 'systems[0].spec.owner', message: 'is required' },
        // Cross-checks come last, once every entity has been read; owners outside the catalog are warnings.
        { path: 'services[1].metadata.name', message: 'duplicate name "checkout" (first at services[0])' },
        { path: 'teams[1].metadata.name', message: 'duplicate name "payments" (first at teams[0])' },
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
        { path: 'documents[3].apiVersion', message: 'expected firebreak/v1 for Service' },
      ],
    );
    const applied = validateCatalog(docs.slice(2, 3));
    assert.deepEqual(applied.ignored, [
      {
        document: 0,
        apiVersion: 'backstage.io/v1alpha1',
        kind: 'hasOwnProperty',
        name: 'x',
        reason: 'Firebreak does not read hasOwnProperty entities',
      },
    ]);
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
