import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Store } from '../service/ports.js';
import { RetentionWorker } from '../service/retention.js';
import { adapters, type TestDatabase } from '../store/test-adapters.js';
import { createMetrics, registerRetentionMetrics } from './metrics.js';

const NOW = '2026-06-01T12:00:00.000Z';
const OLD = '2026-04-01T12:00:00.000Z';

for (const adapter of adapters()) {
  describe(`the retention metric (${adapter.name})`, () => {
    let database: TestDatabase;
    let store: Store;
    before(async () => {
      database = await adapter.database();
      store = await database.open();
      await store.migrate();
      const db = database.kysely();
      const alert = (id: string) => ({
        id, dedup_key: id, source: 'firebreak', status: 'resolved', summary: id, severity: 'info', signal: id, labels: '{}', annotations: '{}',
        starts_at: OLD, first_received_at: OLD, received_at: OLD, occurrences: 1, incident_number: null, group_key: id,
      });
      await db.insertInto('alerts').values([alert('a1'), alert('a2'), alert('a3')]).execute();
      await db.destroy();
    });
    after(async () => {
      await store.close();
      await database.drop();
    });

    it('counts what a pass pruned, by kind, in firebreak_retention_pruned_total', async () => {
      const metrics = createMetrics();
      const worker = new RetentionWorker({ store, clock: { now: () => NOW }, log: pino({ level: 'silent' }) }, { days: 30, batch: 2, pauseMs: 0 });
      registerRetentionMetrics(metrics, worker);
      await worker.runOnce();
      const text = await metrics.registry.getSingleMetricAsString('firebreak_retention_pruned_total');
      assert.match(text, /^firebreak_retention_pruned_total\{kind="alerts"\} 3$/m);
      assert.doesNotMatch(text, /kind="deliveries"/, 'a kind with nothing pruned has no series yet');
    });
  });
}
