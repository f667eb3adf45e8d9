import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkStatuspageDocument, readStatuspageSummary, STATUSPAGE_PATHS } from '../../../test/support/statuspage-consumer.js';
import { statuspageDocuments } from './statuspage.js';
import type { StatusPageView } from './types.js';
import { richView } from './view.fixture.js';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const documents = (view: StatusPageView): Record<string, Json> =>
  JSON.parse(JSON.stringify(statuspageDocuments(view))) as Record<string, Json>;

const ids = (list: Json[]): string[] => list.map((x) => x.id as string);

/** The fixture with every component operational, every incident resolved and every maintenance over. */
function quietView(): StatusPageView {
  const v = richView();
  return {
    ...v,
    page: { ...v.page, url: null },
    indicator: 'none',
    description: 'All Systems Operational',
    components: v.components.map((c) => ({ ...c, status: 'operational' })),
    groups: v.groups.map((g) => ({ ...g, status: 'operational' })),
    incidents: v.incidents.map((i) => ({
      ...i,
      status: 'resolved',
      resolvedAt: i.resolvedAt ?? '2026-05-01T10:30:00.000Z',
    })),
    maintenances: v.maintenances.map((m) => ({ ...m, status: 'completed' })),
  };
}

describe('Statuspage documents', () => {
  it('serves every Statuspage path, each conforming to the format', () => {
    for (const view of [richView(), quietView()]) {
      const docs = documents(view);
      assert.deepEqual(Object.keys(docs).sort(), [...STATUSPAGE_PATHS].sort());
      for (const [path, json] of Object.entries(docs)) assert.deepEqual(checkStatuspageDocument(path, json), [], path);
    }
  });

  it('reads like a status aggregator expects for the fixture', () => {
    assert.deepEqual(readStatuspageSummary(documents(richView())['summary.json']), {
      indicator: 'major',
      components: { 'Checkout & Payments': 'partial_outage', Search: 'under_maintenance', 'Public API': 'operational' },
      openIncidents: ['Checkout errors <script>alert(1)</script>'],
    });
  });

  it('splits incidents and maintenances across the documents by status', () => {
    const docs = documents(richView());
    assert.deepEqual(ids(docs['incidents.json']!.incidents), ['42', '40']);
    assert.deepEqual(ids(docs['incidents/unresolved.json']!.incidents), ['42']);
    assert.deepEqual(ids(docs['summary.json']!.incidents), ['42']);
    assert.deepEqual(ids(docs['scheduled-maintenances.json']!.scheduled_maintenances), ['m-1', 'm-2']);
    assert.deepEqual(ids(docs['scheduled-maintenances/upcoming.json']!.scheduled_maintenances), ['m-2']);
    assert.deepEqual(ids(docs['scheduled-maintenances/active.json']!.scheduled_maintenances), ['m-1']);
    assert.deepEqual(ids(docs['summary.json']!.scheduled_maintenances), ['m-1', 'm-2']);
  });

  it('lists a group before its components, with the children and group ids both ways', () => {
    const components = documents(richView())['components.json']!.components as Json[];
    assert.deepEqual(
      components.map((c) => [c.id, c.group, c.group_id, c.components]),
      [
        ['storefront', true, null, ['checkout', 'search']],
        ['checkout', false, 'storefront', undefined],
        ['search', false, 'storefront', undefined],
        ['api', false, null, undefined],
      ],
    );
  });

  it('writes an incident with its page, shortlink, full components and updates newest first', () => {
    const docs = documents(richView());
    const [open] = docs['incidents.json']!.incidents as Json[];
    assert.deepEqual(docs['status.json']!.page, {
      id: 'firebreak',
      name: 'Acme <Status>',
      url: 'https://status.acme.test',
      time_zone: 'Etc/UTC',
      updated_at: '2026-05-01T10:05:00.000Z',
    });
    assert.equal(open!.shortlink, 'https://status.acme.test/incidents/42');
    assert.deepEqual(open!.components, [(docs['components.json']!.components as Json[])[1]]);
    assert.deepEqual(open!.incident_updates[0], {
      id: '42-2',
      status: 'identified',
      body: 'Rolling back v1.42 & watching "error rates".',
      incident_id: '42',
      created_at: '2026-05-01T10:05:00.000Z',
      updated_at: '2026-05-01T10:05:00.000Z',
      display_at: '2026-05-01T10:05:00.000Z',
      affected_components: [{ code: 'checkout', name: 'Checkout & Payments', old_status: 'major_outage', new_status: 'partial_outage' }],
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    });
  });

  it('writes a maintenance as an incident of impact maintenance with one update, its notice', () => {
    const [active] = documents(richView())['scheduled-maintenances/active.json']!.scheduled_maintenances as Json[];
    assert.equal(active!.impact, 'maintenance');
    assert.equal(active!.status, 'in_progress');
    assert.equal(active!.scheduled_for, '2026-05-01T09:00:00.000Z');
    assert.equal(active!.scheduled_until, '2026-05-01T11:00:00.000Z');
    assert.deepEqual(ids(active!.components), ['search']);
    assert.deepEqual(
      (active!.incident_updates as Json[]).map((u) => [u.id, u.status, u.body, u.incident_id, u.created_at]),
      [['m-1-1', 'in_progress', 'Results may be stale for an hour.', 'm-1', '2026-04-30T12:00:00.000Z']],
    );
  });

  it('says all is well when nothing is open, and gives no shortlink without a page address', () => {
    const docs = documents(quietView());
    assert.deepEqual(docs['status.json']!.status, { indicator: 'none', description: 'All Systems Operational' });
    assert.deepEqual(readStatuspageSummary(docs['summary.json']), {
      indicator: 'none',
      components: { 'Checkout & Payments': 'operational', Search: 'operational', 'Public API': 'operational' },
      openIncidents: [],
    });
    assert.deepEqual(docs['summary.json']!.incidents, []);
    assert.deepEqual(docs['summary.json']!.scheduled_maintenances, []);
    assert.deepEqual(docs['incidents/unresolved.json']!.incidents, []);
    assert.equal(docs['status.json']!.page.url, null);
    assert.deepEqual(
      (docs['incidents.json']!.incidents as Json[]).map((i) => i.shortlink),
      [null, null],
    );
  });

  it('links only to an http(s) page address, without a doubled slash', () => {
    const withUrl = (url: string) => documents({ ...richView(), page: { ...richView().page, url } });
    assert.equal(withUrl('https://status.acme.test/')['incidents.json']!.incidents[0].shortlink, 'https://status.acme.test/incidents/42');
    const unsafe = withUrl('javascript:alert(1)');
    assert.equal(unsafe['status.json']!.page.url, null);
    assert.equal(unsafe['incidents.json']!.incidents[0].shortlink, null);
  });
});

describe('the Statuspage checker catches what it should', () => {
  const broken = (path: string, edit: (doc: Json) => void): string[] => {
    const doc = documents(richView())[path]!;
    edit(doc);
    return checkStatuspageDocument(path, doc);
  };

  it('a wrong enum', () => {
    assert.deepEqual(
      broken('components.json', (d) => (d.components[3].status = 'down')),
      [
        'components.json.components[3].status: expected one of operational|degraded_performance|partial_outage|major_outage|under_maintenance, got "down"',
      ],
    );
    assert.deepEqual(
      broken('incidents.json', (d) => (d.incidents[0].impact = 'maintenance')),
      ['incidents.json.incidents[0].impact: expected one of none|minor|major|critical, got "maintenance"'],
    );
  });

  it('a missing field, a wrong type and a field Statuspage does not have', () => {
    assert.deepEqual(
      broken('incidents.json', (d) => delete d.incidents[1].started_at),
      ['incidents.json.incidents[1].started_at: missing'],
    );
    assert.deepEqual(
      broken('summary.json', (d) => (d.components[0].showcase = 'yes')),
      ['summary.json.components[0].showcase: expected a boolean, got "yes"'],
    );
    assert.deepEqual(
      broken('status.json', (d) => (d.page.updated_at = '1 May 2026')),
      ['status.json.page.updated_at: expected an ISO-8601 time, got "1 May 2026"'],
    );
    assert.deepEqual(
      broken('status.json', (d) => (d.page.updatedAt = d.page.updated_at)),
      ['status.json.page.updatedAt: not a Statuspage field'],
    );
  });

  it('a dangling group_id, group member or affected component', () => {
    assert.deepEqual(
      broken('components.json', (d) => (d.components[3].group_id = 'nowhere')),
      ['components.json.components[3].group_id: "nowhere" is not a component'],
    );
    assert.deepEqual(
      broken('summary.json', (d) => d.components[0].components.push('ghost')),
      ['summary.json.components[0].components[2]: "ghost" is not a component'],
    );
    assert.deepEqual(
      broken('incidents.json', (d) => (d.incidents[0].incident_updates[1].affected_components[0].code = 'ghost')),
      ['incidents.json.incidents[0].incident_updates[1].affected_components[0].code: "ghost" is not a component'],
    );
  });

  it('an update of another incident, and updates out of order', () => {
    assert.deepEqual(
      broken('incidents.json', (d) => (d.incidents[0].incident_updates[0].incident_id = '40')),
      ['incidents.json.incidents[0].incident_updates[0].incident_id: "40" is not "42"'],
    );
    assert.deepEqual(
      broken('incidents.json', (d) => d.incidents[0].incident_updates.reverse()),
      ['incidents.json.incidents[0].incident_updates[1].created_at: updates are not newest first'],
    );
  });

  it('an incident or maintenance in a document it does not belong in', () => {
    const all = documents(richView());
    assert.deepEqual(
      broken('incidents/unresolved.json', (d) => d.incidents.push(all['incidents.json']!.incidents[1])),
      ['incidents/unresolved.json.incidents[1].status: "resolved" does not belong in this document'],
    );
    assert.deepEqual(
      broken('scheduled-maintenances/upcoming.json', (d) => (d.scheduled_maintenances = all['scheduled-maintenances.json']!.scheduled_maintenances)),
      ['scheduled-maintenances/upcoming.json.scheduled_maintenances[0].status: "in_progress" does not belong in this document'],
    );
    assert.deepEqual(
      broken('scheduled-maintenances/active.json', (d) => (d.scheduled_maintenances[0].status = 'scheduled')),
      ['scheduled-maintenances/active.json.scheduled_maintenances[0].status: "scheduled" does not belong in this document'],
    );
    assert.deepEqual(checkStatuspageDocument('pages.json', {}), ['pages.json: not a Statuspage API v2 document']);
  });
});
