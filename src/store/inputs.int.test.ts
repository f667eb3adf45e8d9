import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { parseCatalogYaml, validateCatalog } from '../domain/catalog/index.js';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import { isFirebreakError } from '../domain/errors.js';
import { decide } from '../domain/incident/decide.js';
import { apply, initialIncident } from '../domain/incident/state.js';
import type { AlertRecord, DeployRecord, Store, StoreTx } from '../service/ports.js';
import { adapters } from './test-adapters.js';

const NOW = '2026-03-01T10:00:00.000Z';

async function declareIn(tx: StoreTx, services: string[]) {
  const number = await tx.nextIncidentNumber();
  const initial = initialIncident(number);
  const events = decide({ type: 'DeclareIncident', actor: 'ana', number, title: 'Checkout fails', impact: 'Errors', services }, initial, NOW);
  const state = events.reduce(apply, initial);
  await tx.append(number, events, 0, state);
  return { number, state };
}

const alert = (n: number, extra: Partial<AlertRecord> = {}): Omit<AlertRecord, 'position'> => ({
  id: `al-${n}`,
  source: 'alertmanager',
  dedupKey: `am:${String(n).padStart(16, '0')}`,
  status: 'firing',
  service: 'checkout',
  routedService: 'checkout',
  summary: `alert ${n}`,
  severity: 'warning',
  signal: 'latency',
  labels: Object.assign(Object.create(null) as Record<string, string>, JSON.parse('{"alertname":"A","__proto__":"kept"}')),
  annotations: Object.create(null) as Record<string, string>,
  startsAt: NOW,
  endsAt: null,
  generatorURL: null,
  receivedAt: NOW,
  firstReceivedAt: NOW,
  occurrences: 1,
  incident: null,
  groupKey: 'service:checkout:1',
  integrationId: null,
  ...extra,
});

const deploy = (externalId: string, service: string, startedAt: string): DeployRecord => ({
  id: `d-${externalId}`,
  externalId,
  source: 'firebreak',
  service,
  environment: 'production',
  version: 'v1',
  commitSha: null,
  status: 'succeeded',
  startedAt,
  finishedAt: null,
  actor: null,
  url: null,
  previousVersion: null,
  configDeltas: [{ key: 'pricing_v2', from: 'false', to: 'true' }],
  receivedAt: NOW,
  updatedAt: NOW,
});

for (const adapter of adapters()) {
  describe(`input tables (${adapter.name})`, () => {
    let store: Store;
    before(async () => {
      store = await adapter.create();
    });
    after(async () => store.close());

    it('keeps every catalog version and answers the newest', async () => {
      assert.equal(await store.catalogVersion(), 0);
      assert.equal(await store.currentCatalog(), undefined);
      const catalog = validateCatalog(parseCatalogYaml(EXAMPLE_CATALOG_YAML));
      assert.equal(await store.transaction((tx) => tx.saveCatalog(catalog, 'ana', NOW)), 1);
      assert.equal(await store.transaction((tx) => tx.saveCatalog({ ...catalog, teams: [] }, 'li', NOW)), 2);
      const current = await store.currentCatalog();
      assert.equal(current?.version, 2);
      assert.equal(current?.appliedBy, 'li');
      assert.deepEqual(current?.catalog.teams, []);
      assert.equal(await store.catalogVersion(), 2);
    });

    it('stores an alert once per dedup key; a second insert of the key is a conflict', async () => {
      await store.transaction((tx) => tx.saveAlert(alert(1), true));
      await assert.rejects(
        store.transaction((tx) => tx.saveAlert(alert(1, { id: 'al-1b' }), true)),
        (err) => isFirebreakError(err, 'conflict') && err.message === `Alert ${alert(1).dedupKey} was stored meanwhile.`,
      );
      const found = await store.transaction((tx) => tx.findAlert(alert(1).dedupKey));
      assert.equal(found?.id, 'al-1');
      assert.deepEqual(await store.transaction((tx) => tx.getAlert('al-1')), found);
      assert.equal(await store.transaction((tx) => tx.getAlert('al-1b')), undefined);
      assert.equal(found?.labels.__proto__, 'kept');
      assert.equal(Object.getPrototypeOf(found?.labels), null);
      await store.transaction((tx) => tx.saveAlert({ ...alert(1), status: 'resolved', endsAt: NOW, occurrences: 2 }, false));
      const updated = await store.getAlert('al-1');
      assert.deepEqual([updated?.status, updated?.occurrences, updated?.firstReceivedAt], ['resolved', 2, NOW]);
    });

    it('filters and pages alerts newest first', async () => {
      await store.transaction(async (tx) => {
        for (let n = 10; n < 15; n++) await tx.saveAlert(alert(n, { routedService: n % 2 ? 'search' : 'checkout' }), true);
      });
      const search = await store.listAlerts({ service: 'search', limit: 10 });
      assert.deepEqual(search.map((a) => a.id), ['al-13', 'al-11']);
      const page = await store.listAlerts({ incident: 'none', status: 'firing', limit: 2 });
      assert.deepEqual(page.map((a) => a.id), ['al-14', 'al-13']);
      const next = await store.listAlerts({ incident: 'none', status: 'firing', limit: 2, before: page[1]!.position });
      assert.deepEqual(next.map((a) => a.id), ['al-12', 'al-11']);
      assert.deepEqual((await store.listAlerts({ dedupKey: alert(12).dedupKey, limit: 5 })).map((a) => a.id), ['al-12']);
    });

    it('claims an alert group once while its incident is open, and lets a later one take it over', async () => {
      const key = 'service:checkout:42';
      const first = await store.transaction(async (tx) => {
        assert.equal(await tx.claimAlertGroup(key, NOW), null);
        const { number } = await declareIn(tx, ['checkout']);
        await tx.setAlertGroupIncident(key, number);
        return number;
      });
      assert.equal(await store.transaction((tx) => tx.claimAlertGroup(key, NOW)), first);
      assert.deepEqual(await store.openIncidentsFor(['checkout', 'nothing']), [first]);

      // Resolve the incident behind the store's back: its group is stale and can be claimed again.
      await store.transaction(async (tx) => {
        const loaded = await tx.loadIncident(first);
        assert.ok(loaded);
        const state = { ...loaded.state, status: 'resolved' as const, version: loaded.version + 1 };
        await tx.append(first, [{ type: 'NoteAdded', at: NOW, actor: 'ana', data: { body: 'x' } }], loaded.version, state);
      });
      assert.deepEqual(await store.openIncidentsFor(['checkout']), []);
      assert.equal(await store.transaction((tx) => tx.claimAlertGroup(key, NOW)), null);
    });

    it('records a GitHub delivery once', async () => {
      assert.equal(await store.transaction((tx) => tx.recordDelivery('d-1', 'gh', NOW)), true);
      assert.equal(await store.transaction((tx) => tx.recordDelivery('d-1', 'gh', NOW)), false);
    });

    it('upserts deploys by source and external id and lists them by service and time', async () => {
      await store.transaction(async (tx) => {
        await tx.saveDeploy(deploy('1', 'checkout', '2026-03-01T09:00:00.000Z'));
        await tx.saveDeploy(deploy('2', 'payments-api', '2026-03-01T09:30:00.000Z'));
        await tx.saveDeploy({ ...deploy('1', 'checkout', '2026-03-01T09:00:00.000Z'), status: 'rolled_back' });
      });
      const all = await store.listDeploys({ limit: 10 });
      assert.deepEqual(all.map((d) => [d.externalId, d.status]), [['2', 'succeeded'], ['1', 'rolled_back']]);
      assert.deepEqual(all[1]?.configDeltas, [{ key: 'pricing_v2', from: 'false', to: 'true' }]);
      const window = await store.listDeploys({ services: ['checkout'], since: '2026-03-01T08:00:00.000Z', until: NOW, limit: 10 });
      assert.deepEqual(window.map((d) => d.externalId), ['1']);
      assert.deepEqual(await store.listDeploys({ services: [], limit: 10 }), []);
    });
  });
}
