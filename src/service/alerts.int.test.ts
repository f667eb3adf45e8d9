import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { parseCatalogYaml, validateCatalog } from '../domain/catalog/index.js';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import type { NormalizedAlert } from '../domain/alerts/types.js';
import { createEgress } from '../egress/index.js';
import { adapters } from '../store/test-adapters.js';
import { type AlertSubmission, createAlertIngestor } from './alerts.js';
import type { Store, StoreTx } from './ports.js';

const NOW = '2026-11-27T02:00:00.000Z';
const CATALOG = `${EXAMPLE_CATALOG_YAML}---
apiVersion: firebreak/v1
kind: Service
metadata: { name: payroll }
spec:
  owner: payments
  tier: 2
`;

const alert = (key: string, status: 'firing' | 'resolved', severity: NormalizedAlert['severity']): NormalizedAlert => ({
  source: 'firebreak',
  dedupKey: key,
  status,
  service: 'payroll',
  summary: `${key} on payroll`,
  severity,
  signal: 'error_rate',
  labels: { service: 'payroll' },
  annotations: {},
  startsAt: '2026-11-27T01:00:00.000Z',
  endsAt: status === 'resolved' ? '2026-11-27T01:59:00.000Z' : null,
  generatorURL: null,
  receivedAt: NOW,
});
const submission = (a: NormalizedAlert): AlertSubmission => ({ items: [a], integrationId: null, actor: 'token:test' });
const turns = async (n: number) => {
  for (let i = 0; i < n; i++) await new Promise((resolve) => setImmediate(resolve));
};

// Two group commits in flight at once (PostgreSQL's setting, asked for on both engines): the later one's
// incident work waits for the earlier one's commit, so the incident sees its alerts in arrival order.
for (const adapter of adapters()) {
  describe(`alert group commits in flight together (${adapter.name})`, () => {
    let store: Store;
    before(async () => {
      store = await adapter.create();
      await store.transaction((tx) => tx.saveCatalog(validateCatalog(parseCatalogYaml(CATALOG)), 'test', NOW));
    });
    after(() => store.close());

    it('holds a later group off the incident until the earlier one commits', async () => {
      // The real store, with the first group's lookup held open and the second's incident reads noted.
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let heldOpen!: () => void;
      const holding = new Promise<void>((resolve) => (heldOpen = resolve));
      const touched: string[] = [];
      const watched: Store = {
        ...store,
        transaction: (fn) =>
          store.transaction((tx) => {
            const watch: StoreTx = {
              ...tx,
              findAlerts: async (keys) => {
                if (keys.includes('x')) {
                  heldOpen();
                  await held;
                }
                return tx.findAlerts(keys);
              },
              loadIncident: async (n) => {
                touched.push(`load ${n}`);
                return tx.loadIncident(n);
              },
            };
            return fn(watch);
          }),
      };
      let n = 0;
      const deps = { store: watched, clock: { now: () => NOW }, ids: { next: () => `id-${++n}` }, log: pino({ level: 'silent' }), egress: createEgress({ allow: [] }) };
      const ingestor = createAlertIngestor(deps, { parallelCommits: 2 });
      const [declared] = await ingestor.ingest(submission(alert('y', 'firing', 'critical')));
      assert.equal(declared?.declared, true);
      const incident = declared!.incident!;

      // x fires into the incident (its group held before it reads anything), then y, its only firing alert, resolves.
      const fired = ingestor.ingest(submission(alert('x', 'firing', 'warning')));
      await holding;
      touched.length = 0;
      const resolved = ingestor.ingest(submission(alert('y', 'resolved', 'critical')));
      await turns(200);
      const whileHeld = [...touched];
      release();
      const [[x], [y]] = await Promise.all([fired, resolved]);
      assert.deepEqual(whileHeld, [], 'the later group has not read the incident while the earlier one is open');
      assert.deepEqual([x?.outcome, x?.incident, y?.outcome, y?.incident], ['new', incident, 'resolve', incident]);

      const loaded = await store.loadIncident(incident);
      assert.deepEqual(loaded?.state.alertCounts, { firing: 1, resolved: 1, total: 2 });
      const events = await store.readEvents(incident, { afterSeq: 0, limit: 100 });
      assert.equal(events.some((e) => e.type === 'AlertsCleared'), false, 'x was firing when y resolved');
      await ingestor.close();
    });
  });
}
