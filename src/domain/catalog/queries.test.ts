import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BACKSTAGE_CATALOG_YAML, EXAMPLE_CATALOG_YAML, MIXED_BACKSTAGE_CATALOG_YAML } from './catalog.fixture.js';
import {
  type Catalog,
  findService,
  type Lever,
  onCallFor,
  onCallNow,
  ownerOf,
  parseCatalogYaml,
  rankLevers,
  routeAlert,
  serviceForRepository,
  serviceName,
  type Team,
  upgradeCatalog,
  validateCatalog,
} from './index.js';

const team = (rotation: 'daily' | 'weekly', order = ['ana', 'li', 'mo']): Team => ({
  name: 't',
  title: 't',
  members: order.map((name) => ({ name, email: null })),
  onCall: { rotation, startsAt: '2026-01-05T09:00:00.000Z', order },
  notify: [],
  source: 'firebreak',
});

describe('onCallNow', () => {
  it('hands over a weekly rotation exactly at startsAt plus whole weeks', () => {
    const weekly = team('weekly');
    const cases: [string, string | null][] = [
      ['2026-01-05T08:59:59Z', null],
      ['2026-01-05T09:00:00Z', 'ana'],
      ['2026-01-12T08:59:59.999Z', 'ana'],
      ['2026-01-12T09:00:00Z', 'li'],
      ['2026-01-19T09:00:00Z', 'mo'],
      ['2026-01-26T09:00:00Z', 'ana'],
      ['2026-01-26T10:00:00+01:00', 'ana'],
      ['2027-01-04T09:00:00Z', 'li'], // 52 weeks later: 52 mod 3 = 1
    ];
    for (const [at, who] of cases) assert.equal(onCallNow(weekly, at), who, at);
  });

  it('hands over a daily rotation every 24 hours', () => {
    const daily = team('daily', ['ana', 'li']);
    assert.equal(onCallNow(daily, '2026-01-06T08:59:59Z'), 'ana');
    assert.equal(onCallNow(daily, '2026-01-06T09:00:00Z'), 'li');
    assert.equal(onCallNow(daily, '2026-01-07T09:00:00Z'), 'ana');
  });

  it('answers null without a rotation or for a time it cannot read', () => {
    assert.equal(onCallNow({ ...team('daily'), onCall: null }, '2026-01-06T09:00:00Z'), null);
    assert.equal(onCallNow(team('daily'), 'soon'), null);
  });

  it('reads the rotation of the example catalog', () => {
    const [payments] = validateCatalog(parseCatalogYaml(EXAMPLE_CATALOG_YAML)).teams;
    assert.ok(payments);
    assert.equal(onCallNow(payments, '2026-01-13T10:00:00Z'), 'li');
  });
});

describe('rankLevers', () => {
  const lever = (name: string, kind: Lever['kind'], failClosed: boolean, preservesData: boolean): Lever => ({
    name,
    kind,
    failClosed,
    preservesData,
    action: { type: 'manual', instructions: name },
  });

  it('puts fail-closed first, then data-preserving, then by kind', () => {
    const levers = [
      lever('scale-out', 'scale', false, true),
      lever('failover', 'failover', true, false),
      lever('read-only', 'read-only', true, true),
      lever('flag', 'feature-flag', true, true),
      lever('shed', 'rate-limit', false, false),
      lever('reject', 'reject-path', true, true),
      lever('rollback', 'rollback', true, true),
      lever('fallback', 'fallback', false, true),
      lever('other', 'other', true, false),
    ];
    assert.deepEqual(
      rankLevers({ levers }).map((l) => l.name),
      ['rollback', 'flag', 'reject', 'read-only', 'failover', 'other', 'fallback', 'scale-out', 'shed'],
    );
    assert.equal(levers[0]?.name, 'scale-out', 'the service is not reordered in place');
  });
});

describe('routeAlert', () => {
  const catalog = validateCatalog([
    ...parseCatalogYaml(BACKSTAGE_CATALOG_YAML),
    {
      apiVersion: 'firebreak/v1',
      kind: 'Service',
      metadata: { name: 'search' },
      spec: {
        owner: 'team-payments',
        alertMatchers: [
          { label: 'namespace', value: 'shop' },
          { label: 'job', regex: 'search|query' },
        ],
      },
    },
    {
      apiVersion: 'firebreak/v1',
      kind: 'Service',
      metadata: { name: 'search-shadow' },
      spec: { owner: 'team-payments', alertMatchers: [{ label: 'job', value: 'search' }] },
    },
  ]);

  it('matches exact values and fully anchored regexes', () => {
    assert.equal(routeAlert(catalog, { app: 'checkout' }), 'checkout');
    assert.equal(routeAlert(catalog, { app: 'checkout-canary' }), 'checkout');
    assert.equal(routeAlert(catalog, { app: 'checkout-canary-2' }), null);
    assert.equal(routeAlert(catalog, { app: 'my-checkout' }), null);
  });

  it('needs every matcher of a service to match; the first service in catalog order wins', () => {
    assert.equal(routeAlert(catalog, { namespace: 'shop', job: 'query' }), 'search');
    assert.equal(routeAlert(catalog, { namespace: 'shop', job: 'search' }), 'search');
    assert.equal(routeAlert(catalog, { namespace: 'other', job: 'search' }), 'search-shadow');
    assert.equal(routeAlert(catalog, { job: 'query' }), null);
  });

  it('falls back to a service label naming a service when no matcher claims the alert', () => {
    assert.equal(routeAlert(catalog, { service: 'payments-api' }), 'payments-api');
    assert.equal(routeAlert(catalog, { service: 'unknown' }), null);
    assert.equal(routeAlert(catalog, { service: 'payments-api', app: 'checkout' }), 'checkout');
    // The service the sender names (Firebreak JSON's `service`, PagerDuty's custom_details.service).
    assert.equal(routeAlert(catalog, {}, 'payments-api'), 'payments-api');
    assert.equal(routeAlert(catalog, { service: 'unknown' }, 'payments-api'), 'payments-api');
    assert.equal(routeAlert(catalog, { app: 'checkout' }, 'payments-api'), 'checkout');
    assert.equal(routeAlert(catalog, {}, 'unknown'), null);
  });

  it('never matches a label through the prototype', () => {
    const proto = validateCatalog([
      {
        apiVersion: 'firebreak/v1',
        kind: 'Service',
        metadata: { name: 'api' },
        spec: { owner: 'core', alertMatchers: [{ label: 'constructor', regex: '.*' }] },
      },
      { apiVersion: 'firebreak/v1', kind: 'Team', metadata: { name: 'core' } },
    ]);
    assert.equal(routeAlert(proto, {}), null);
    assert.equal(routeAlert(proto, JSON.parse('{"__proto__":{"service":"api"}}') as Record<string, string>), null);
    assert.equal(routeAlert(proto, { constructor: 'x' }), 'api');
  });
});

describe('serviceForRepository', () => {
  it('maps a GitHub repository to the service with that project slug, ignoring case', () => {
    const catalog = validateCatalog(parseCatalogYaml(BACKSTAGE_CATALOG_YAML));
    assert.equal(serviceForRepository(catalog, 'Acme/Checkout'), 'checkout');
    assert.equal(serviceForRepository(catalog, 'acme/other'), null);
  });
});

describe('service names', () => {
  it('are name or namespace/name, each part by Backstage rules; default/ is left out', () => {
    const cases: [string, string | null][] = [
      ['checkout', 'checkout'],
      ['default/checkout', 'checkout'],
      ['Default/checkout', 'checkout'],
      ['payments/checkout', 'payments/checkout'],
      ['Payments/Checkout.v2', 'payments/Checkout.v2'],
      [`${'n'.repeat(63)}/${'s'.repeat(63)}`, `${'n'.repeat(63)}/${'s'.repeat(63)}`],
      [`${'n'.repeat(64)}/checkout`, null],
      [`payments/${'s'.repeat(64)}`, null],
      ['pay_ments/checkout', null],
      ['a/b/c', null],
      ['component:checkout', null],
      ['/checkout', null],
      ['checkout/', null],
      ['check out', null],
      ['', null],
    ];
    for (const [written, canonical] of cases) assert.equal(serviceName(written), canonical, written);
  });
});

describe('findService, ownerOf and onCallFor', () => {
  const catalog = validateCatalog(parseCatalogYaml(MIXED_BACKSTAGE_CATALOG_YAML));
  const AT = '2026-01-06T10:00:00Z';

  it('find a service however its namespace is written', () => {
    assert.equal(findService(catalog, 'checkout')?.title, 'Checkout');
    assert.equal(findService(catalog, 'default/checkout')?.title, 'Checkout');
    assert.equal(findService(catalog, 'payments/checkout')?.title, 'Payments checkout');
    assert.equal(findService(catalog, 'PAYMENTS/checkout')?.title, 'Payments checkout');
    assert.equal(findService(catalog, 'payments/ledger')?.name, 'payments/ledger');
    assert.equal(findService(catalog, 'ledger'), undefined);
    assert.equal(findService(catalog, 'billing/checkout'), undefined);
  });

  it('answer the team, or the person a service owned by a person pages', () => {
    const owner = (n: string) => ownerOf(catalog, findService(catalog, n)!);
    assert.deepEqual(
      [owner('checkout').team?.name, owner('checkout').person, onCallFor(owner('checkout'), AT)],
      ['team-payments', null, 'ana'],
    );
    assert.deepEqual(
      [owner('payments/checkout').team?.name, onCallFor(owner('payments/checkout'), AT)],
      ['payments/team-billing', 'payments/li'],
    );
    assert.deepEqual(owner('payments/ledger'), {
      team: null,
      person: { name: 'jdoe', title: 'Jane Doe', email: 'jdoe@example.com' },
    });
    assert.equal(onCallFor(owner('payments/ledger'), AT), 'jdoe');
    // A person outside the catalog is still who to page, without an email.
    assert.deepEqual(owner('playback-order'), { team: null, person: { name: 'guest', title: 'guest', email: null } });
    assert.deepEqual([owner('search').team, owner('search').person, onCallFor(owner('search'), AT)], [null, null, null]);
  });

  it('route a service label written with the default namespace', () => {
    assert.equal(routeAlert(catalog, { service: 'default/search' }), 'search');
    assert.equal(routeAlert(catalog, { service: 'payments/checkout' }), 'payments/checkout');
    assert.equal(routeAlert(catalog, {}, 'default/checkout'), 'checkout');
  });
});

describe('upgradeCatalog', () => {
  it('gives a catalog stored before users, warnings and reasons existed their defaults', () => {
    const current = validateCatalog(parseCatalogYaml(BACKSTAGE_CATALOG_YAML));
    const { users: _u, warnings: _w, ...rest } = current;
    const stored = {
      ...rest,
      services: current.services.map(({ warnings: _, ...s }) => s),
      ignored: current.ignored.map(({ reason: _, ...i }) => i),
    } as unknown as Catalog;
    const upgraded = upgradeCatalog(stored);
    assert.deepEqual(
      [upgraded.users, upgraded.warnings, upgraded.services.map((s) => s.warnings), upgraded.ignored.map((i) => i.reason)],
      [[], [], [[], []], ['Firebreak does not read these entities', 'Firebreak does not read these entities']],
    );
    assert.deepEqual(upgradeCatalog(current), current);
  });
});
