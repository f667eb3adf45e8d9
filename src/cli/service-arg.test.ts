import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli as cli } from './test-cli.js';

const INCIDENT = {
  id: 'INC-3',
  number: 3,
  title: 'x',
  status: 'investigating',
  severity: null,
  version: 1,
  services: ['payments/checkout', 'checkout'],
};
const HINT =
  'expected a service name or namespace/name: 1–63 letters and digits each, in runs separated by - _ or . (only - in a namespace).';

describe('service arguments', () => {
  it('declare --service takes namespace/name and drops the default namespace', async () => {
    const r = await cli(
      ['declare', 'x', '--impact', 'y', '--service', 'payments/checkout', '--service', 'default/checkout,search'],
      [{ status: 201, json: INCIDENT }],
    );
    assert.deepEqual((r.last?.body as { services: string[] }).services, ['payments/checkout', 'checkout', 'search']);
  });

  it('ls --service and deploy record --service send the namespaced name', async () => {
    const ls = await cli(['ls', '--service', 'payments/checkout'], [{ json: { items: [], nextCursor: null } }]);
    assert.equal(ls.code, 0, ls.stderr);
    assert.deepEqual([ls.last?.path, ls.last?.query.service], ['/api/v1/incidents', 'payments/checkout']);
    const short = await cli(['ls', '--service', 'default/checkout'], [{ json: { items: [], nextCursor: null } }]);
    assert.equal(short.last?.query.service, 'checkout');

    const deploy = { externalId: 'cli-key-1', service: 'payments/ledger', environment: 'production', version: 'v9', status: 'succeeded' };
    const r = await cli(
      ['deploy', 'record', '--service', 'payments/ledger', '--version', 'v9', '--environment', 'production'],
      [{ status: 201, json: deploy }],
    );
    assert.equal(r.code, 0, r.stderr);
    assert.equal((r.last?.body as { service: string }).service, 'payments/ledger');
    assert.match(r.stdout, /: payments\/ledger v9 to production/);
    const d = await cli(['deploy', 'record', '--service', 'Default/ledger', '--version', 'v9', '--environment', 'production'], [
      { status: 201, json: { ...deploy, service: 'ledger' } },
    ]);
    assert.equal((d.last?.body as { service: string }).service, 'ledger');
  });

  it('refuses a service that breaks the rule before sending anything', async () => {
    for (const argv of [
      ['declare', 'x', '--impact', 'y', '--service', 'checkout,a/b/c'],
      ['ls', '--service', 'pay_ments/checkout'],
      ['deploy', 'record', '--service', 'check out', '--version', 'v1', '--environment', 'production'],
    ]) {
      const r = await cli(argv, [{ json: {} }]);
      assert.deepEqual([r.code, r.sent.length], [2, 0], argv.join(' '));
      assert.ok(r.stderr.startsWith("firebreak: option '--service <name>' argument"), r.stderr);
      assert.ok(r.stderr.includes(HINT), r.stderr);
    }
  });
});

describe('catalog apply', () => {
  it('prints why each entity was ignored and every warning', async () => {
    const applied = {
      version: 5,
      appliedAt: '2026-03-01T12:00:00.000Z',
      services: 5,
      teams: 2,
      systems: 1,
      ignored: [
        { document: 15, apiVersion: 'backstage.io/v1alpha1', kind: 'Environment', name: 'prod', reason: 'Firebreak does not read Environment entities' },
        { document: 18, apiVersion: 'backstage.io/v1beta2', kind: 'Template', name: null, reason: 'a software template is not part of the running architecture' },
      ],
      warnings: [
        { path: 'services[4].spec.owner', message: '"group:default/team-search" is not in this catalog: nobody is on call for search' },
        { path: 'services', message: 'payments/ledger is named by open incident INC-3; it keeps its service name' },
      ],
      incidentsUpdated: [],
    };
    const r = await cli(['catalog', 'apply', 'catalog-info.yaml'], [{ json: applied }], { readFile: async () => 'kind: Component\n' });
    assert.equal(r.code, 0, r.stderr);
    assert.equal(
      r.stdout,
      [
        'Applied catalog version 5: 5 services, 2 teams, 1 system.',
        '  ignored document 15: Environment prod (Firebreak does not read Environment entities)',
        '  ignored document 18: Template (a software template is not part of the running architecture)',
        '  warning: services[4].spec.owner: "group:default/team-search" is not in this catalog: nobody is on call for search',
        '  warning: services: payments/ledger is named by open incident INC-3; it keeps its service name',
        '',
      ].join('\n'),
    );
  });
});
