import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCatalog } from '../catalog/validate.js';
import type { IncidentEvent } from '../incident/events.js';
import { apply, initialIncident, type Incident } from '../incident/state.js';
import { ev, type Ev } from '../incident/test-kit.js';
import type { Severity } from '../incident/types.js';
import { deriveStatusPage } from './derive.js';
import type { Maintenance } from './types.js';

const T0 = Date.parse('2026-05-04T08:00:00.000Z');
const min = (n: number) => new Date(T0 + n * 60_000).toISOString();

const service = (name: string, extra: Record<string, unknown> = {}) => ({
  apiVersion: 'firebreak/v1',
  kind: 'Service',
  metadata: { name, title: name.toUpperCase() },
  spec: { owner: 'payments', tier: 1, public: true, ...extra },
});
const catalog = validateCatalog([
  service('checkout', { system: 'storefront' }),
  service('search', { system: 'storefront' }),
  service('api'),
  service('ledger', { public: false }),
  { apiVersion: 'firebreak/v1', kind: 'Team', metadata: { name: 'payments' }, spec: { members: [{ name: 'ana' }] } },
]);
const settings = { title: 'Acme', url: null, supportUrl: null, defaultIncidentTitle: 'We are investigating an issue' };

/** An incident folded from events one minute apart from `start`. */
function incident(number: number, start: number, events: Ev[]): Incident {
  return events.reduce<Incident>(
    (s, e, k) => {
      const numbered = e.type === 'IncidentDeclared' ? { ...e, data: { ...e.data, number } } : e;
      return apply(s, { actor: 'ana', at: min(start + k), ...numbered } as IncidentEvent);
    },
    initialIncident(number),
  );
}
const declaredOn = (services: string[], severity: Severity, more: Ev[] = []) => [
  ev.declared({ number: 1, services, startedAt: min(0), detectedAt: min(0) }),
  ev.severity(severity),
  ...more,
];
const external = (body: string, extra: Record<string, unknown> = {}): Ev => ({ type: 'UpdatePosted', data: { audience: 'external', body, ...extra } }) as Ev;
const internal = (body: string): Ev => ({ type: 'UpdatePosted', data: { audience: 'internal', body } }) as Ev;

const page = (incidents: Incident[], now = min(30), maintenances: Maintenance[] = []) =>
  deriveStatusPage({ settings, catalog: { services: catalog.services, systems: catalog.systems, appliedAt: min(-100) }, incidents, maintenances, now });
const stateOf = (view: ReturnType<typeof page>, id: string) => view.components.find((c) => c.id === id)?.status;

describe('the public status page, derived from incidents', () => {
  it('maps severity to component state and impact: SEV1 major, SEV2 partial, SEV3 degraded, SEV4 operational', () => {
    const cases = [
      ['SEV1', 'major_outage', 'critical'],
      ['SEV2', 'partial_outage', 'major'],
      ['SEV3', 'degraded_performance', 'minor'],
      ['SEV4', 'operational', 'none'],
    ] as const;
    for (const [severity, state, impact] of cases) {
      const view = page([incident(1, 0, declaredOn(['checkout'], severity))]);
      assert.equal(stateOf(view, 'checkout'), state, severity);
      assert.equal(view.incidents[0]!.impact, impact, severity);
      assert.equal(view.indicator, impact, severity);
    }
  });

  it('takes the worst state when several open incidents name one component, and groups by system', () => {
    const view = page([incident(1, 0, declaredOn(['checkout'], 'SEV3')), incident(2, 0, declaredOn(['checkout', 'api'], 'SEV2'))]);
    assert.equal(stateOf(view, 'checkout'), 'partial_outage');
    assert.equal(stateOf(view, 'api'), 'partial_outage');
    assert.deepEqual(view.groups.map((g) => [g.id, g.status, g.components]), [['storefront', 'partial_outage', ['checkout', 'search']]]);
    assert.deepEqual(view.components.map((c) => c.id), ['checkout', 'search', 'api']);
  });

  it('follows the lifecycle: investigating, monitoring once mitigated, resolved, postmortem once closed with a summary', () => {
    const base = declaredOn(['checkout'], 'SEV2');
    assert.equal(page([incident(1, 0, base)]).incidents[0]!.status, 'investigating');
    const mitigated = [...base, ev.status('investigating', 'mitigated')];
    assert.equal(page([incident(1, 0, mitigated)]).incidents[0]!.status, 'monitoring');
    const resolved = [...mitigated, ev.status('mitigated', 'resolved')];
    const r = page([incident(1, 0, resolved)]);
    assert.equal(r.incidents[0]!.status, 'resolved');
    assert.equal(r.incidents[0]!.resolvedAt, min(3));
    assert.equal(stateOf(r, 'checkout'), 'operational');
    assert.equal(r.indicator, 'none');
    assert.equal(r.description, 'All Systems Operational');
    const closed = [...resolved, ev.postmortem(), ev.status('resolved', 'closed')];
    assert.equal(page([incident(1, 0, closed)]).incidents[0]!.status, 'postmortem');
  });

  it('lets an external update set the public name, a status while open, and component states', () => {
    const events = declaredOn(['checkout'], 'SEV2', [
      external('We see failed payments.', { title: 'Payments failing', publicStatus: 'identified', components: { checkout: 'major_outage', search: 'degraded_performance' } }),
    ]);
    const view = page([incident(1, 0, events)]);
    const shown = view.incidents[0]!;
    assert.equal(shown.name, 'Payments failing');
    assert.equal(shown.status, 'identified');
    assert.deepEqual(shown.components, ['checkout', 'search']);
    assert.equal(stateOf(view, 'checkout'), 'major_outage');
    assert.equal(stateOf(view, 'search'), 'degraded_performance');
    assert.deepEqual(shown.updates[0]!.affectedComponents, [
      { code: 'checkout', name: 'CHECKOUT', oldStatus: 'partial_outage', newStatus: 'major_outage' },
      { code: 'search', name: 'SEARCH', oldStatus: 'operational', newStatus: 'degraded_performance' },
    ]);
    // Mitigation moves the public status on unless an update after it says otherwise.
    const mitigated = page([incident(1, 0, [...events, ev.status('investigating', 'mitigated')])]);
    assert.equal(mitigated.incidents[0]!.status, 'monitoring');
    const said = page([incident(1, 0, [...events, ev.status('investigating', 'mitigated'), external('Fix is rolling out.', { publicStatus: 'identified' })])]);
    assert.equal(said.incidents[0]!.status, 'identified');
    assert.deepEqual(said.incidents[0]!.updates.map((u) => u.status), ['identified', 'identified']);
  });

  it('uses the default name until an external update names it, and shows internal updates nowhere', () => {
    const view = page([incident(1, 0, declaredOn(['checkout'], 'SEV2', [internal('DB password rotated')]))]);
    assert.equal(view.incidents[0]!.name, 'We are investigating an issue');
    assert.deepEqual(view.incidents[0]!.updates, []);
    assert.ok(!JSON.stringify(view).includes('DB password rotated'));
    assert.ok(!JSON.stringify(view).includes('Checkout fails'), 'the internal title');
  });

  it('leaves out incidents on no public service without an external update, and cancelled ones', () => {
    const privateOnly = incident(1, 0, declaredOn(['ledger'], 'SEV1'));
    const cancelled = incident(2, 0, declaredOn(['checkout'], 'SEV2', [ev.status('investigating', 'cancelled', { reason: 'false alarm' })]));
    const view = page([privateOnly, cancelled]);
    assert.deepEqual(view.incidents, []);
    assert.equal(stateOf(view, 'checkout'), 'operational');
    const announced = incident(3, 0, declaredOn(['ledger'], 'SEV1', [external('Some invoices are late.')]));
    assert.deepEqual(page([announced]).incidents.map((i) => i.id), ['3']);
  });

  it('puts in-progress maintenance on its components, and orders scheduled ones by start', () => {
    const m = (id: string, startsAt: string, endsAt: string): Maintenance => ({
      id, title: id, body: '', components: ['search'], startsAt, endsAt, createdAt: min(-50), createdBy: 'ana', cancelledAt: null,
    });
    const view = page([], min(30), [m('later', min(200), min(260)), m('now', min(20), min(80)), m('past', min(-40), min(-10))]);
    assert.equal(stateOf(view, 'search'), 'under_maintenance');
    assert.equal(view.description, 'Service Under Maintenance');
    assert.equal(view.indicator, 'none');
    assert.deepEqual(view.maintenances.map((x) => [x.id, x.status]), [['now', 'in_progress'], ['later', 'scheduled'], ['past', 'completed']]);
    // An incident is worse than maintenance.
    const both = page([incident(1, 0, declaredOn(['search'], 'SEV2'))], min(30), [m('now', min(20), min(80))]);
    assert.equal(stateOf(both, 'search'), 'partial_outage');
  });

  it('keeps 14 days of history, newest first, with each incident on the days it was open', () => {
    const events = declaredOn(['checkout'], 'SEV2', [ev.status('investigating', 'resolved')]);
    const view = page([incident(1, 0, events)], new Date(T0 + 3 * 86_400_000).toISOString());
    assert.equal(view.history.length, 14);
    assert.equal(view.history[0]!.date, '2026-05-07');
    assert.equal(view.history[13]!.date, '2026-04-24');
    assert.deepEqual(view.history.filter((d) => d.incidents.length > 0).map((d) => d.date), ['2026-05-04']);
  });
});
