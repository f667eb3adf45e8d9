import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import type { Database } from '../store/shared/schema.js';
import { adapters, type TestDatabase } from '../store/test-adapters.js';
import type { Kysely } from 'kysely';
import type { Store } from './ports.js';
import { RetentionWorker } from './retention.js';

const NOW = '2026-06-01T12:00:00.000Z';
const daysAgo = (d: number) => new Date(Date.parse(NOW) - d * 86_400_000).toISOString();
const OLD = daysAgo(31);
const RECENT = daysAgo(29);

function alert(id: string, status: string, at: string, incident: number | null = null) {
  return {
    id, dedup_key: id, source: 'firebreak', status, summary: id, severity: 'info', signal: id, labels: '{}', annotations: '{}',
    starts_at: at, first_received_at: at, received_at: at, occurrences: 1, incident_number: incident, group_key: id,
  };
}

function delivery(id: string, state: string, at: string, message = `m-${id}`) {
  return {
    id, message_id: message, incident_number: 1, event_type: 'IncidentDeclared', message: '{}', target_key: 't', target_name: 't',
    target_type: 'webhook', state, attempts: 1, next_attempt_at: at, created_at: at,
  };
}

for (const adapter of adapters()) {
  describe(`retention (${adapter.name})`, () => {
    let database: TestDatabase;
    let store: Store;
    let db: Kysely<Database>;
    before(async () => {
      database = await adapter.database();
      store = await database.open();
      await store.migrate();
      db = database.kysely();
      await db.insertInto('incidents').values({
        number: 1, title: 'old', status: 'closed', severity: 'SEV3', commander: null, declared_at: daysAgo(400), started_at: null, updated_at: daysAgo(399), version: 1, state: '{}',
      }).execute();
      await db.insertInto('events').values({ incident_number: 1, seq: 1, type: 'IncidentDeclared', at: daysAgo(400), actor: 'ana', data: '{}', recorded_at: daysAgo(400) }).execute();
      await db.insertInto('alerts').values([
        alert('resolved-old-1', 'resolved', OLD),
        alert('resolved-old-2', 'resolved', daysAgo(90)),
        alert('resolved-old-3', 'resolved', daysAgo(300)),
        alert('resolved-linked', 'resolved', OLD, 1),
        alert('resolved-link-row', 'resolved', OLD),
        alert('firing-old', 'firing', OLD),
        alert('resolved-recent', 'resolved', RECENT),
      ]).execute();
      await db.insertInto('incident_alerts').values({ incident_number: 1, alert_id: 'resolved-link-row', status: 'resolved' }).execute();
      await db.insertInto('outbox').values([
        delivery('sent-old', 'sent', OLD),
        delivery('failed-old', 'failed', OLD),
        delivery('refused-old', 'refused', OLD),
        delivery('pending-old', 'pending', OLD, 'm-kept'),
        delivery('sent-recent', 'sent', RECENT),
      ]).execute();
      const message = (id: string, at: string, routed: string | null) => ({ id, incident_number: 1, seq: 1, severity: null, services: '[]', message: '{}', created_at: at, routed_at: routed });
      await db.insertInto('notification_messages').values([
        message('m-sent-old', OLD, OLD),
        message('m-kept', OLD, OLD),
        message('m-unrouted', OLD, null),
        message('m-recent', RECENT, RECENT),
      ]).execute();
      await db.insertInto('github_deliveries').values([
        { id: 'gh-old', integration_id: 'i', received_at: OLD },
        { id: 'gh-recent', integration_id: 'i', received_at: RECENT },
      ]).execute();
      const key = (k: string, at: string) => ({ scope: 's', key: k, fingerprint: 'f', incident_number: 1, version: 1, created_at: at });
      await db.insertInto('idempotency_keys').values([key('old', OLD), key('recent', RECENT)]).execute();
    });
    after(async () => {
      await db.destroy();
      await store.close();
      await database.drop();
    });

    it('prunes, in batches, what is older than the retention and only that; incidents and their logs stay', async () => {
      const worker = new RetentionWorker({ store, clock: { now: () => NOW }, log: pino({ level: 'silent' }) }, { days: 30, batch: 2, pauseMs: 0 });
      const batches: string[] = [];
      worker.observe((kind, n) => batches.push(`${kind}:${n}`));
      assert.deepEqual(await worker.runOnce(), { alerts: 3, deliveries: 3, messages: 1, github_deliveries: 1, idempotency_keys: 1 });
      assert.deepEqual(batches, ['alerts:2', 'alerts:1', 'deliveries:2', 'deliveries:1', 'messages:1', 'github_deliveries:1', 'idempotency_keys:1']);

      const ids = async (table: 'alerts' | 'outbox' | 'notification_messages' | 'github_deliveries') =>
        (await db.selectFrom(table).select('id').orderBy('id').execute()).map((r) => r.id);
      assert.deepEqual(await ids('alerts'), ['firing-old', 'resolved-link-row', 'resolved-linked', 'resolved-recent']);
      assert.deepEqual(await ids('outbox'), ['pending-old', 'sent-recent']);
      assert.deepEqual(await ids('notification_messages'), ['m-kept', 'm-recent', 'm-unrouted']);
      assert.deepEqual(await ids('github_deliveries'), ['gh-recent']);
      assert.deepEqual((await db.selectFrom('idempotency_keys').select('key').execute()).map((r) => r.key), ['recent']);
      assert.equal((await db.selectFrom('incidents').selectAll().execute()).length, 1);
      assert.equal((await db.selectFrom('events').selectAll().execute()).length, 1);

      assert.deepEqual(await worker.runOnce(), { alerts: 0, deliveries: 0, messages: 0, github_deliveries: 0, idempotency_keys: 0 }, 'nothing left to prune');
      const later = new RetentionWorker({ store, clock: { now: () => daysAgo(-2) }, log: pino({ level: 'silent' }) }, { days: 30, pauseMs: 0 });
      assert.deepEqual(await later.runOnce(), { alerts: 1, deliveries: 1, messages: 1, github_deliveries: 1, idempotency_keys: 1 }, 'two days on, the recent ones are old');
    });

    it('start runs passes until stop', async () => {
      const worker = new RetentionWorker({ store, clock: { now: () => NOW }, log: pino({ level: 'silent' }) }, { days: 30, firstMs: 0, intervalMs: 5 });
      let passes = 0;
      const original = worker.runOnce.bind(worker);
      worker.runOnce = async () => {
        passes++;
        return original();
      };
      worker.start();
      await new Promise((r) => setTimeout(r, 60));
      await worker.stop();
      const seen = passes;
      await new Promise((r) => setTimeout(r, 30));
      assert.ok(seen >= 2, `${seen} passes`);
      assert.equal(passes, seen, 'none after stop');
    });
  });
}
