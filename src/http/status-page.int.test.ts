import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Store } from '../service/ports.js';
import { statusCatalogYaml } from '../domain/status/catalog.fixture.js';
import { adapters } from '../store/test-adapters.js';
import { checkStatuspageDocument, readStatuspageSummary } from '../../test/support/statuspage-consumer.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const T0 = Date.parse('2026-05-04T08:00:00.000Z');
const min = (n: number) => new Date(T0 + n * 60_000).toISOString();

const CATALOG = statusCatalogYaml();

const API_DOCS = [
  'summary.json',
  'status.json',
  'components.json',
  'incidents.json',
  'incidents/unresolved.json',
  'scheduled-maintenances.json',
  'scheduled-maintenances/upcoming.json',
  'scheduled-maintenances/active.json',
];

for (const adapter of adapters()) {
  describe(`public status page (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let now = min(0);
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ clock: { now: () => now }, env: { FIREBREAK_STATUS_TITLE: 'Acme status', FIREBREAK_STATUS_URL: 'https://status.acme.test' } }),
    );

    let catalogApplied = false;
    async function withCatalog() {
      if (catalogApplied) return;
      const res = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: CATALOG, headers: { 'content-type': 'application/yaml' } });
      assert.equal(res.statusCode, 200, res.body);
      catalogApplied = true;
    }
    const get = (path: string) => t.call('GET', `/status${path}`, { as: 'anonymous' });
    const summary = async () => readStatuspageSummary((await get('/api/v2/summary.json')).json());
    const publicIncident = async (number: number) =>
      (await get('/api/v2/incidents.json')).json().incidents.find((i: { id: string }) => i.id === String(number));
    const update = (id: string, body: Record<string, unknown>) => t.call('POST', `/api/v1/incidents/${id}/updates`, { body });

    it('needs no sign-in, serves HTML under a strict CSP, and JSON every Statuspage reader accepts', async () => {
      now = min(0);
      await withCatalog();
      const page = await get('');
      assert.equal(page.statusCode, 200);
      assert.match(String(page.headers['content-type']), /^text\/html/);
      assert.match(String(page.headers['content-security-policy']), /default-src 'none'/);
      assert.doesNotMatch(page.body, /<script/i);
      assert.match(page.body, /Acme status/);
      for (const path of API_DOCS) {
        const res = await get(`/api/v2/${path}`);
        assert.equal(res.statusCode, 200, path);
        assert.equal(res.headers['access-control-allow-origin'], '*');
        assert.match(String(res.headers['cache-control']), /max-age=\d+/);
        assert.deepEqual(checkStatuspageDocument(path, res.json()), [], path);
      }
      const css = await get('/status.css');
      assert.match(String(css.headers['content-type']), /^text\/css/);
      assert.match((await get('/history.rss')).body, /<rss/);
      assert.match((await get('/history.atom')).body, /<feed/);
    });

    it('answers 304 to a reader that has the current ETag', async () => {
      const first = await get('/api/v2/status.json');
      const etag = String(first.headers.etag);
      assert.match(etag, /^"[^"]+"$/);
      const again = await t.call('GET', '/status/api/v2/status.json', { as: 'anonymous', headers: { 'if-none-match': etag } });
      assert.equal(again.statusCode, 304);
      assert.equal(again.body, '');
    });

    it('shows an incident on a public service by its component state and a default name, never its internal title', async () => {
      now = min(10);
      await withCatalog();
      const { id, number } = await t.declare({ title: 'Ledger double-charges after v42', severity: 'SEV2', severityReason: 'cards fail', services: ['checkout'] });
      const read = await summary();
      assert.equal(read.components['Checkout'], 'partial_outage');
      assert.equal(read.components['Search'], 'operational');
      assert.equal(read.indicator, 'major');
      const shown = await publicIncident(number);
      assert.equal(shown.name, 'We are investigating an issue');
      assert.equal(shown.status, 'investigating');
      assert.equal(shown.impact, 'major');
      assert.deepEqual(shown.incident_updates, []);
      for (const path of ['', `/incidents/${number}`, '/history.rss', '/history.atom', '/api/v2/incidents.json']) {
        assert.doesNotMatch((await get(path)).body, /double-charges/, path);
      }

      // The comms lead names it, says the cause is identified and sets the component's state.
      now = min(15);
      const posted = await update(id, { audience: 'external', body: 'Some card payments fail; we found why.', title: 'Card payments failing', publicStatus: 'identified', components: { checkout: 'major_outage' } });
      assert.equal(posted.statusCode, 200, posted.body);
      const named = await publicIncident(number);
      assert.equal(named.name, 'Card payments failing');
      assert.equal(named.status, 'identified');
      assert.equal(named.incident_updates.length, 1);
      assert.deepEqual(
        { status: named.incident_updates[0].status, body: named.incident_updates[0].body, affected: named.incident_updates[0].affected_components },
        { status: 'identified', body: 'Some card payments fail; we found why.', affected: [{ code: 'checkout', name: 'Checkout', old_status: 'partial_outage', new_status: 'major_outage' }] },
      );
      assert.equal((await summary()).components['Checkout'], 'major_outage');
      assert.equal((await summary()).indicator, 'critical');
      const permalink = await get(`/incidents/${number}`);
      assert.equal(permalink.statusCode, 200);
      assert.match(permalink.body, /Card payments failing/);
      assert.match(permalink.body, /Some card payments fail; we found why\./);

      // Mitigation: monitoring. Resolution: resolved, and the component is operational again.
      now = min(20);
      const mitigated = await t.call('POST', `/api/v1/incidents/${id}/mitigations`, { body: { kind: 'rollback', action: 'rolled back v42', rationale: 'v42 is the suspect', failClosed: true } });
      assert.equal(mitigated.statusCode, 200, mitigated.body);
      const status = await t.call('POST', `/api/v1/incidents/${id}/status`, { body: { to: 'mitigated', reason: 'error rate back to normal' } });
      assert.equal(status.statusCode, 200, status.body);
      assert.equal((await publicIncident(number)).status, 'monitoring');
      now = min(40);
      const me = (await t.call('GET', '/api/v1/session', { as: 'responder' })).json().username as string;
      assert.equal((await t.call('POST', `/api/v1/incidents/${id}/roles`, { body: { role: 'commander', person: me } })).statusCode, 200);
      const resolved = await t.call('POST', `/api/v1/incidents/${id}/status`, {
        body: { to: 'resolved', reason: 'stable for 20 minutes', override: { reason: 'status page test' } },
      });
      assert.equal(resolved.statusCode, 200, resolved.body);
      const after = await publicIncident(number);
      assert.equal(after.status, 'resolved');
      assert.equal(after.resolved_at, min(40));
      const read2 = await summary();
      assert.equal(read2.components['Checkout'], 'operational');
      assert.ok(!read2.openIncidents.includes('Card payments failing'));
      const unresolved = (await get('/api/v2/incidents/unresolved.json')).json();
      assert.ok(!unresolved.incidents.some((i: { id: string }) => i.id === String(number)));
    });

    it('keeps an incident on no public service and with no external update off the page', async () => {
      now = min(50);
      await withCatalog();
      const { number } = await t.declare({ title: 'Ledger batch late', severity: 'SEV1', severityReason: 'books', services: ['ledger'] });
      assert.equal(await publicIncident(number), undefined);
      assert.equal((await get(`/incidents/${number}`)).statusCode, 404);
    });

    it('never lets an internal update reach a public output', async () => {
      now = min(60);
      await withCatalog();
      const MARKER = 'ZQX-internal-9931';
      const { id, number } = await t.declare({ title: `Search down ${MARKER}`, severity: 'SEV3', severityReason: 'slow', services: ['search'] });
      assert.equal((await update(id, { audience: 'internal', body: `DB creds rotated by ${MARKER}` })).statusCode, 200);
      assert.equal((await update(id, { audience: 'external', body: 'Search is slow for some users.' })).statusCode, 200);
      assert.equal((await update(id, { audience: 'internal', body: `second note ${MARKER}` })).statusCode, 200);
      const paths = ['', `/incidents/${number}`, '/status.css', '/history.rss', '/history.atom', ...API_DOCS.map((p) => `/api/v2/${p}`), '/export.json'];
      for (const path of paths) {
        const res = await get(path);
        assert.equal(res.statusCode, 200, path);
        assert.ok(!res.body.includes(MARKER), `${path} holds the internal marker`);
      }
      assert.match((await get(`/incidents/${number}`)).body, /Search is slow for some users\./);
    });

    it('refuses public fields on an internal update, and unknown or private components, writing nothing', async () => {
      now = min(70);
      await withCatalog();
      const { id, number } = await t.declare({ severity: 'SEV3', severityReason: 'slow', services: ['api'] });
      const before = await store.countEvents(number);

      const internal = await update(id, { audience: 'internal', body: 'x', publicStatus: 'identified', components: { api: 'major_outage' } });
      assert.equal(internal.statusCode, 400);
      assert.deepEqual(
        problemOf(internal),
        problem(400, 'validation', 'An internal update cannot change the public status page.', {
          errors: [
            { path: 'body.publicStatus', message: 'only an external update sets what the public status page says' },
            { path: 'body.components', message: 'only an external update sets what the public status page says' },
          ],
        }),
      );

      const privateOne = await update(id, { audience: 'external', body: 'x', components: { ledger: 'major_outage', nowhere: 'operational' } });
      assert.equal(privateOne.statusCode, 400);
      assert.deepEqual(
        problemOf(privateOne),
        problem(400, 'validation', 'An update can only set the state of public components.', {
          errors: [
            { path: 'body.components.ledger', message: 'names no public service of the catalog (set public: true on it)' },
            { path: 'body.components.nowhere', message: 'names no public service of the catalog (set public: true on it)' },
          ],
        }),
      );

      const badState = await update(id, { audience: 'external', body: 'x', components: { api: 'on_fire' } });
      assert.equal(badState.statusCode, 400);
      assert.equal((problemOf(badState).errors as { path: string }[])[0]!.path, 'body.components.api');

      const resolvedStatus = await update(id, { audience: 'external', body: 'x', publicStatus: 'resolved' });
      assert.equal(resolvedStatus.statusCode, 400);
      assert.deepEqual(problemOf(resolvedStatus), invalidRequest([{ path: 'body.publicStatus', message: 'must be one of investigating, identified, monitoring' }]));

      assert.equal(await store.countEvents(number), before);
    });

    it('shows a maintenance in progress on its components, and its schedule in the JSON', async () => {
      now = min(80);
      await withCatalog();
      const res = await t.call('POST', '/api/v1/maintenances', {
        body: { title: 'Search index rebuild', components: ['search'], startsAt: min(90), endsAt: min(150), body: 'Results may be stale.' },
      });
      assert.equal(res.statusCode, 201, res.body);
      const upcoming = (await get('/api/v2/scheduled-maintenances/upcoming.json')).json();
      assert.ok(upcoming.scheduled_maintenances.some((m: { name: string; status: string }) => m.name === 'Search index rebuild' && m.status === 'scheduled'));
      now = min(100);
      const active = (await get('/api/v2/scheduled-maintenances/active.json')).json();
      assert.ok(active.scheduled_maintenances.some((m: { name: string }) => m.name === 'Search index rebuild'));
      const read = await summary();
      assert.ok(['under_maintenance', 'degraded_performance'].includes(read.components['Search']!), read.components['Search']);
      assert.match((await get('')).body, /Search index rebuild/);
    });
  });
}
