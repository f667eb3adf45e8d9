import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCatalogYaml, validateCatalog } from '../catalog/index.js';
import { SCHEDULE_CATALOG_YAML } from './catalog.fixture.js';
import { catalogPeople, pagingPlan, reachableMethods } from './contacts.js';

const m = (id: string, verified: boolean) => ({ id, verifiedAt: verified ? '2026-03-01T00:00:00.000Z' : null });

describe('people and paging plans', () => {
  it('knows the catalog’s team members and schedule members as people', () => {
    const catalog = validateCatalog(parseCatalogYaml(SCHEDULE_CATALOG_YAML));
    assert.deepEqual([...catalogPeople(catalog)].sort(), ['ana', 'kim', 'li', 'sam']);
    assert.deepEqual([...catalogPeople(null)], []);
  });

  it('reaches verified methods only', () => {
    assert.deepEqual(reachableMethods([m('a', true), m('b', false), m('c', true)]).map((x) => x.id), ['a', 'c']);
  });

  it('orders rules by delay, ties as given, and leaves out unverified or missing methods', () => {
    const methods = [m('ntfy', true), m('email', true), m('sms', false)];
    const plan = pagingPlan(methods, [
      { contactMethodId: 'email', delayMinutes: 5 },
      { contactMethodId: 'sms', delayMinutes: 0 },
      { contactMethodId: 'gone', delayMinutes: 1 },
      { contactMethodId: 'ntfy', delayMinutes: 5 },
      { contactMethodId: 'ntfy', delayMinutes: 0 },
    ]);
    assert.deepEqual(plan.map((s) => [s.delayMinutes, s.method.id]), [
      [0, 'ntfy'],
      [5, 'email'],
      [5, 'ntfy'],
    ]);
  });
});
