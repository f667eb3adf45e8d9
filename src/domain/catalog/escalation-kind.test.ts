import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { EscalationPolicy } from '../paging/types.js';
import { SCHEDULE_CATALOG_YAML } from '../paging/catalog.fixture.js';
import { type Catalog, parseCatalogYaml, upgradeCatalog, validateCatalog } from './index.js';
import { validationErrors as errorsOf } from './test-kit.js';

const policy = (spec: string, name = 'payments') => `---
apiVersion: firebreak/v1
kind: EscalationPolicy
metadata:
  name: ${name}
spec:
${spec.replace(/^/gm, '  ')}
`;
const GOOD_BODY = `steps:
  - targets: [{ schedule: payments-primary }, { person: ana }]
    waitMinutes: 15
    webhook: https://hooks.example/page
  - targets: [{ team: payments }]
    waitMinutes: 30
repeat: 2`;
const read = (yaml: string) => validateCatalog(parseCatalogYaml(yaml));
const withService = (extra: string) => SCHEDULE_CATALOG_YAML.replace('  owner: payments\n', `  owner: payments\n${extra}`);

describe('catalog kind EscalationPolicy (firebreak/v1)', () => {
  it('reads a policy, repeat defaulting to 0 and the webhook left out when not given, and a service naming it', () => {
    const catalog = read(`${withService('  escalationPolicy: payments\n')}${policy(GOOD_BODY)}${policy('steps: [{ targets: [{ person: li }], waitMinutes: 1 }]', 'short')}`);
    const expected: EscalationPolicy[] = [
      {
        name: 'payments',
        steps: [
          { targets: [{ schedule: 'payments-primary' }, { person: 'ana' }], waitMinutes: 15, webhook: 'https://hooks.example/page' },
          { targets: [{ team: 'payments' }], waitMinutes: 30 },
        ],
        repeat: 2,
      },
      { name: 'short', steps: [{ targets: [{ person: 'li' }], waitMinutes: 1 }], repeat: 0 },
    ];
    assert.deepEqual(catalog.escalationPolicies, expected);
    assert.equal(catalog.services[0]?.escalationPolicy, 'payments');
    assert.deepEqual([catalog.ignored, catalog.warnings], [[], []]);
  });

  it('reads a Backstage Component naming a policy under spec.firebreak', () => {
    const component = `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
spec:
  owner: payments
  firebreak: { escalationPolicy: default/payments }
`;
    const catalog = read(`${SCHEDULE_CATALOG_YAML}${component}${policy(GOOD_BODY)}`);
    assert.deepEqual(
      catalog.services.map((s) => [s.name, s.escalationPolicy]),
      [
        ['checkout', null],
        ['cart', 'payments'],
      ],
    );
  });

  it('refuses every bad field at once, each at its catalog path', () => {
    const bad = policy(`colour: red
repeat: 6
steps:
  - targets: []
    waitMinutes: 0
    webhook: ftp://hooks.example
  - targets:
      - { person: ana, team: nowhere }
      - {}
      - { schedule: "a/b/c" }
      - { pager: ana }
      - ana
    waitMinutes: 1441
  - waitMinutes: 1.5`);
    const many = `steps:\n${'  - { targets: [{ person: ana }], waitMinutes: 1 }\n'.repeat(11)}`;
    const errors = errorsOf(() =>
      read(
        `${SCHEDULE_CATALOG_YAML}${bad}${policy(GOOD_BODY)}${policy('{}', 'empty').replace('name: empty', 'name: empty\n  title: Empty')}${policy(many, 'many')}`,
      ),
    );
    assert.deepEqual(errors, [
      { path: 'escalationPolicies[0].spec.colour', message: 'is not allowed' },
      { path: 'escalationPolicies[0].spec.steps[0].targets', message: 'expected at least 1 item' },
      { path: 'escalationPolicies[0].spec.steps[0].waitMinutes', message: 'expected an integer from 1 to 1440' },
      { path: 'escalationPolicies[0].spec.steps[0].webhook', message: 'expected an http:// or https:// URL' },
      { path: 'escalationPolicies[0].spec.steps[1].targets[0]', message: 'give exactly one of person, schedule or team' },
      { path: 'escalationPolicies[0].spec.steps[1].targets[1]', message: 'give exactly one of person, schedule or team' },
      { path: 'escalationPolicies[0].spec.steps[1].targets[2].schedule', message: 'expected a name or namespace/name' },
      { path: 'escalationPolicies[0].spec.steps[1].targets[3].pager', message: 'is not allowed' },
      { path: 'escalationPolicies[0].spec.steps[1].targets[3]', message: 'give exactly one of person, schedule or team' },
      { path: 'escalationPolicies[0].spec.steps[1].targets[4]', message: 'expected an object' },
      { path: 'escalationPolicies[0].spec.steps[1].waitMinutes', message: 'expected an integer from 1 to 1440' },
      { path: 'escalationPolicies[0].spec.steps[2].targets', message: 'is required' },
      { path: 'escalationPolicies[0].spec.steps[2].waitMinutes', message: 'expected an integer from 1 to 1440' },
      { path: 'escalationPolicies[0].spec.repeat', message: 'expected an integer from 0 to 5' },
      { path: 'escalationPolicies[2].metadata.title', message: 'is not allowed' },
      { path: 'escalationPolicies[2].spec.steps', message: 'is required' },
      { path: 'escalationPolicies[3].spec.steps', message: 'expected at most 10 items' },
      { path: 'escalationPolicies[1].metadata.name', message: 'duplicate name "payments" (first at escalationPolicies[0])' },
    ]);
  });

  it('refuses a schedule, team or person target the catalog does not have, at the raw index', () => {
    const spec = `steps:
  - targets: [{ schedule: nowhere }, { team: platform }, { person: zoe }, { person: li }, { schedule: night }]
    waitMinutes: 5`;
    assert.deepEqual(errorsOf(() => read(`${SCHEDULE_CATALOG_YAML}${policy(spec)}`)), [
      { path: 'escalationPolicies[0].spec.steps[0].targets[0].schedule', message: '"nowhere" is not a schedule of this catalog' },
      { path: 'escalationPolicies[0].spec.steps[0].targets[1].team', message: '"platform" is not a team of this catalog' },
      { path: 'escalationPolicies[0].spec.steps[0].targets[2].person', message: '"zoe" is not a member of any team or a User of this catalog' },
    ]);
  });

  it('refuses a service naming a policy the catalog does not have, for both shapes', () => {
    const component = `---
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: cart
spec:
  owner: payments
  firebreak: { escalationPolicy: other }
`;
    assert.deepEqual(errorsOf(() => read(`${withService('  escalationPolicy: payments\n')}${component}`)), [
      { path: 'services[0].spec.escalationPolicy', message: '"payments" is not an escalation policy of this catalog' },
      { path: 'services[1].spec.firebreak.escalationPolicy', message: '"other" is not an escalation policy of this catalog' },
    ]);
  });

  it('refuses an EscalationPolicy under a Backstage apiVersion instead of skipping it', () => {
    const doc = policy(GOOD_BODY).replace('firebreak/v1', 'backstage.io/v1alpha1');
    assert.deepEqual(errorsOf(() => read(`${SCHEDULE_CATALOG_YAML}${doc}`)), [
      { path: 'documents[4].apiVersion', message: 'expected firebreak/v1 for EscalationPolicy' },
    ]);
  });

  it('reads a catalog stored before policies existed as one without policies, its services naming none', () => {
    const current = read(SCHEDULE_CATALOG_YAML);
    const { escalationPolicies: _, ...stored } = current;
    const services = stored.services.map(({ escalationPolicy: __, ...s }) => s);
    const upgraded = upgradeCatalog({ ...stored, services } as Catalog);
    assert.deepEqual(upgraded.escalationPolicies, []);
    assert.deepEqual(upgraded, current);
    assert.deepEqual(current.escalationPolicies, []);
  });
});
