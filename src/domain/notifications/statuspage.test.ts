import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCatalogYaml, validateCatalog } from '../catalog/index.js';
import type { IncidentEvent } from '../incident/events.js';
import { apply, initialIncident, type Incident } from '../incident/state.js';
import { STATUSPAGE_PAGE_ID } from '../status/statuspage.js';
import { statusCatalogYaml } from '../status/catalog.fixture.js';
import {
  formatStatuspage,
  mayChangePublic,
  publicNotificationsFor,
  STATUSPAGE_WEBHOOK_DOCS,
  type PublicCatalog,
  type StatuspageComponentBody,
  type StatuspageContext,
  type StatuspageIncidentBody,
} from './index.js';

const T0 = '2026-05-04T08:00:00.000Z';
const at = (m: number) => new Date(Date.parse(T0) + m * 60_000).toISOString();
const SECRET = 'Ledger double-charges after v42';

const catalog = (): PublicCatalog => {
  const c = validateCatalog(
    parseCatalogYaml(statusCatalogYaml()),
  );
  return { services: c.services, systems: c.systems, appliedAt: T0 };
};

const CTX: StatuspageContext = { title: 'Acme status', url: 'https://status.acme.test', defaultIncidentTitle: 'We are investigating an issue' };

const ev = (type: string, m: number, data: object, actor = 'ana') => ({ type, at: at(m), actor, data }) as unknown as IncidentEvent;
const declared = (services: string[], severity = 'SEV2'): IncidentEvent[] => [
  ev('IncidentDeclared', 0, { number: 7, title: SECRET, services, startedAt: T0, detectedAt: T0, auto: false }),
  ev('SeverityChanged', 0, { from: null, to: severity, reason: 'cards fail' }),
];
const step = (before: Incident, events: IncidentEvent[], c: PublicCatalog | null = catalog()) => {
  const after = events.reduce(apply, before);
  return { after, list: publicNotificationsFor(before, events, after, c) };
};

describe('publicNotificationsFor', () => {
  it('announces an incident declared on a public component, with its default name and the component state it causes', () => {
    const { list } = step(initialIncident(7), declared(['checkout', 'ledger']));
    assert.deepEqual(
      list.map((n) => [n.kind, n.seq, n.change]),
      [
        ['public_incident', 2, null],
        ['public_component', 2, { component: 'checkout', oldStatus: 'operational', newStatus: 'partial_outage' }],
      ],
    );
    assert.equal(list[0]!.incident.name, null);
    assert.deepEqual(list[0]!.incident.components, ['checkout']);
    assert.deepEqual([list[0]!.indicator, list[0]!.description], ['major', 'Partial System Outage']);
    assert.ok(!JSON.stringify(list).includes(SECRET), 'the internal title reached a public message');
  });

  it('writes nothing for an incident on private services only, or for internal updates and notes', () => {
    assert.deepEqual(step(initialIncident(7), declared(['ledger'])).list, []);
    const open = declared(['checkout']).reduce(apply, initialIncident(7));
    const quiet = [ev('UpdatePosted', 1, { audience: 'internal', body: SECRET }), ev('NoteAdded', 1, { body: SECRET })];
    assert.equal(mayChangePublic(quiet), false);
    assert.deepEqual(step(open, quiet).list, []);
  });

  it('sends an external update as an incident message, and each component it moves as a component message', () => {
    const open = declared(['checkout']).reduce(apply, initialIncident(7));
    const posted = ev('UpdatePosted', 5, { audience: 'external', body: 'Card payments fail.', title: 'Card payments failing', publicStatus: 'identified', components: { checkout: 'major_outage', api: 'degraded_performance' } }, 'sam');
    const { list } = step(open, [posted]);
    assert.deepEqual(
      list.map((n) => [n.kind, n.event, n.seq, n.change?.component ?? null, n.change?.oldStatus ?? null, n.change?.newStatus ?? null]),
      [
        ['public_incident', 'UpdatePosted', 3, null, null, null],
        ['public_component', 'UpdatePosted', 3, 'checkout', 'partial_outage', 'major_outage'],
        ['public_component', 'UpdatePosted', 3, 'api', 'operational', 'degraded_performance'],
      ],
    );
    assert.equal(list[0]!.incident.name, 'Card payments failing');
    assert.equal(list[0]!.incident.status, 'identified');
  });

  it('sends the resolution: the incident resolved and its components operational again', () => {
    const open = declared(['checkout']).reduce(apply, initialIncident(7));
    const resolved = ev('StatusChanged', 30, { from: 'investigating', to: 'resolved', reason: 'fixed' });
    const { list } = step(open, [resolved]);
    assert.deepEqual(
      list.map((n) => [n.kind, n.incident.status, n.change?.newStatus ?? null]),
      [
        ['public_incident', 'resolved', null],
        ['public_component', 'resolved', 'operational'],
      ],
    );
    assert.equal(list[0]!.incident.resolvedAt, at(30));
    assert.deepEqual([list[0]!.indicator, list[0]!.description], ['none', 'All Systems Operational']);
  });

  it('sends a severity change only as the component states it moves', () => {
    const open = declared(['checkout']).reduce(apply, initialIncident(7));
    const { list } = step(open, [ev('SeverityChanged', 3, { from: 'SEV2', to: 'SEV1', reason: 'all cards' })]);
    assert.deepEqual(list.map((n) => [n.kind, n.change]), [['public_component', { component: 'checkout', oldStatus: 'partial_outage', newStatus: 'major_outage' }]]);
  });

  it('has nothing public without a catalog and no external update', () => {
    assert.deepEqual(step(initialIncident(7), declared(['checkout']), null).list, []);
  });
});

describe('formatStatuspage', () => {
  const open = declared(['checkout']).reduce(apply, initialIncident(7));
  const posted = ev('UpdatePosted', 5, { audience: 'external', body: 'Card payments fail.', components: { checkout: 'major_outage' } });
  const [incident, component] = step(open, [posted]).list;

  it("builds Statuspage's incident body: meta, page, and the incident with its public updates", () => {
    const body = formatStatuspage(incident!, CTX) as StatuspageIncidentBody;
    assert.deepEqual(Object.keys(body), ['meta', 'page', 'incident']);
    assert.deepEqual(body.meta, { unsubscribe: 'https://status.acme.test', documentation: STATUSPAGE_WEBHOOK_DOCS });
    assert.deepEqual(body.page, { id: STATUSPAGE_PAGE_ID, status_indicator: 'critical', status_description: 'Major Service Outage' });
    const i = body.incident;
    assert.deepEqual(
      [i.id, i.name, i.status, i.impact, i.shortlink, i.page_id, i.created_at, i.started_at, i.resolved_at],
      ['7', 'We are investigating an issue', 'investigating', 'major', 'https://status.acme.test/incidents/7', STATUSPAGE_PAGE_ID, T0, T0, null],
    );
    assert.deepEqual(i.components.map((c) => [c.id, c.name, c.status, c.group_id]), [['checkout', 'Checkout', 'major_outage', 'storefront']]);
    assert.deepEqual(
      i.incident_updates.map((u) => [u.id, u.status, u.body, u.incident_id, u.created_at, u.affected_components]),
      [['7-1', 'investigating', 'Card payments fail.', '7', at(5), [{ code: 'checkout', name: 'Checkout', old_status: 'partial_outage', new_status: 'major_outage' }]]],
    );
    assert.ok(!JSON.stringify(body).includes(SECRET));
  });

  it("builds Statuspage's component body: meta, page, component_update and component", () => {
    const body = formatStatuspage(component!, CTX) as StatuspageComponentBody;
    assert.deepEqual(body, {
      meta: { unsubscribe: 'https://status.acme.test', documentation: STATUSPAGE_WEBHOOK_DOCS },
      page: { id: STATUSPAGE_PAGE_ID, status_indicator: 'critical', status_description: 'Major Service Outage' },
      component_update: { created_at: at(5), new_status: 'major_outage', old_status: 'partial_outage', id: '7-3-checkout', component_id: 'checkout' },
      component: { created_at: T0, id: 'checkout', name: 'Checkout', status: 'major_outage' },
    });
  });

  it('links nothing without a page address', () => {
    const body = formatStatuspage(incident!, { ...CTX, url: null }) as StatuspageIncidentBody;
    assert.equal(body.meta.unsubscribe, null);
    assert.equal(body.incident.shortlink, null);
  });
});
