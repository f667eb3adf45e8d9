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
      await store.transaction((tx) => tx.saveAlerts([{ alert: alert(1), isNew: true }]));
      await assert.rejects(
        store.transaction((tx) => tx.saveAlerts([{ alert: alert(1, { id: 'al-1b' }), isNew: true }])),
        (err) => isFirebreakError(err, 'conflict') && err.message === `Alert ${alert(1).dedupKey} was stored meanwhile.`,
      );
      const found = (await store.transaction((tx) => tx.findAlerts([alert(1).dedupKey]))).get(alert(1).dedupKey);
      assert.equal(found?.id, 'al-1');
      assert.deepEqual(await store.transaction((tx) => tx.getAlert('al-1')), found);
      assert.equal(await store.transaction((tx) => tx.getAlert('al-1b')), undefined);
      assert.equal(found?.labels.__proto__, 'kept');
      assert.equal(Object.getPrototypeOf(found?.labels), null);
      await store.transaction((tx) => tx.saveAlerts([{ alert: { ...alert(1), status: 'resolved', endsAt: NOW, occurrences: 2 }, isNew: false }]));
      const updated = await store.getAlert('al-1');
      assert.deepEqual([updated?.status, updated?.occurrences, updated?.firstReceivedAt], ['resolved', 2, NOW]);
    });

    it('finds and saves a batch of alerts in one call each, every value kept as it was', async () => {
      // Values that an array literal or a CSV-like encoding would mangle.
      const hostile = 'a "quoted", {braced} \\ back\\slash; NULL null ünïcödé 🔥\nnew line';
      const batch = Array.from({ length: 300 }, (_, i) =>
        alert(100 + i, {
          summary: `${hostile} ${i}`,
          labels: Object.assign(Object.create(null) as Record<string, string>, { alertname: hostile, i: String(i) }),
          routedService: i % 3 === 0 ? null : 'checkout',
          endsAt: i % 2 ? NOW : null,
          incident: i % 5 === 0 ? null : 7,
        }),
      );
      await store.transaction((tx) => tx.saveAlerts(batch.map((a) => ({ alert: a, isNew: true }))));
      const keys = [...batch.map((a) => a.dedupKey), 'am:not-stored'];
      const found = await store.transaction((tx) => tx.findAlerts(keys));
      assert.equal(found.size, 300);
      assert.equal(found.has('am:not-stored'), false);
      for (const a of batch) assert.deepEqual({ ...found.get(a.dedupKey), position: 0 }, { ...a, position: 0 });
      const positions = batch.map((a) => found.get(a.dedupKey)!.position);
      assert.deepEqual(positions, [...positions].sort((x, y) => x - y), 'positions follow the order given');

      const changed = batch.map((a, i) => ({ ...a, status: 'resolved' as const, occurrences: i + 2, summary: `${hostile} changed`, firstReceivedAt: 'ignored' }));
      await store.transaction((tx) => tx.saveAlerts(changed.map((a) => ({ alert: a, isNew: false }))));
      const after = await store.transaction((tx) => tx.findAlerts(batch.map((a) => a.dedupKey)));
      for (const [i, a] of batch.entries()) {
        const got = after.get(a.dedupKey)!;
        assert.deepEqual([got.status, got.occurrences, got.summary, got.firstReceivedAt, got.position], ['resolved', i + 2, `${hostile} changed`, NOW, positions[i]]);
      }
      assert.deepEqual(await store.transaction((tx) => tx.findAlerts([])), new Map());
    });

    it('writes nothing of a batch whose new alert is already stored', async () => {
      await store.transaction((tx) => tx.saveAlerts([{ alert: alert(500), isNew: true }]));
      const before = (await store.listAlerts({ limit: 1000 })).length;
      await assert.rejects(
        store.transaction((tx) =>
          tx.saveAlerts([
            { alert: alert(501), isNew: true },
            { alert: alert(500, { id: 'al-500b' }), isNew: true },
            { alert: alert(502), isNew: true },
          ]),
        ),
        (err) => isFirebreakError(err, 'conflict'),
      );
      assert.equal((await store.listAlerts({ limit: 1000 })).length, before);
      assert.equal(await store.getAlert('al-501'), undefined);
    });

    it('a writer that finds alerts another transaction holds sees them as that one commits them', async () => {
      const key = alert(600).dedupKey;
      await store.transaction((tx) => tx.saveAlerts([{ alert: alert(600), isNew: true }]));
      let held!: () => void;
      const holding = new Promise<void>((resolve) => (held = resolve));
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const first = store.transaction(async (tx) => {
        const a = (await tx.findAlerts([key])).get(key)!;
        held();
        await released;
        await tx.saveAlerts([{ alert: { ...a, occurrences: a.occurrences + 1 }, isNew: false }]);
      });
      await holding;
      const second = store.transaction(async (tx) => {
        const a = (await tx.findAlerts([key])).get(key)!;
        await tx.saveAlerts([{ alert: { ...a, occurrences: a.occurrences + 1 }, isNew: false }]);
      });
      release();
      await Promise.all([first, second]);
      assert.equal((await store.getAlert('al-600'))?.occurrences, 3);
    });

    it('filters and pages alerts newest first', async () => {
      await store.transaction((tx) =>
        tx.saveAlerts(Array.from({ length: 5 }, (_, i) => ({ alert: alert(10 + i, { routedService: (10 + i) % 2 ? 'search' : 'checkout' }), isNew: true }))),
      );
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
