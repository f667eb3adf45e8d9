import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { isFirebreakError } from '../domain/errors.js';
import { createEgress } from '../egress/index.js';
import { adapters, type TestDatabase } from '../store/test-adapters.js';
import { type AlertWorker, startAlertWorker } from './alert-worker.js';
import type { RawAlertSubmission } from './alerts.js';
import { declareIncident } from './execute-command.js';
import type { Change, Store } from './ports.js';


const amBody = (fingerprints: string[]) =>
  Buffer.from(
    JSON.stringify({
      version: '4',
      groupKey: '{}:{alertname="DiskFull"}',
      status: 'firing',
      receiver: 'firebreak',
      alerts: fingerprints.map((fingerprint) => ({
        status: 'firing',
        labels: { alertname: 'DiskFull', instance: fingerprint },
        annotations: { summary: `disk full on ${fingerprint}` },
        startsAt: '2026-11-27T01:00:00Z',
        endsAt: '0001-01-01T00:00:00Z',
        fingerprint,
      })),
    }),
  );

const raw = (body: Uint8Array): RawAlertSubmission => ({ format: 'alertmanager', body, integrationId: null, actor: 'token:test' });

for (const adapter of adapters()) describe(`alert worker thread (${adapter.name})`, () => {
  let db: TestDatabase;
  const database = () => (adapter.name === 'sqlite' ? { engine: 'sqlite' as const, path: db.location } : { engine: 'postgres' as const, url: db.location });
  // On SQLite the worker relays each commit's change; on PostgreSQL it reaches the main store by LISTEN, soon after the commit.
  const changed = (kind: Change['kind']) =>
    adapter.name === 'sqlite' || changes.some((c) => c.kind === kind)
      ? Promise.resolve()
      : new Promise<void>((resolve) => {
          const stop = store.onChange((c) => {
            if (c.kind === kind) {
              stop();
              resolve();
            }
          });
        });
  let store: Store;
  let worker: AlertWorker;
  const changes: Change[] = [];

  before(async () => {
    db = await adapter.database();
    store = await db.open();
    await store.migrate();
    store.onChange((c) => changes.push(c));
    worker = await startAlertWorker({
      data: { database: database(), options: {}, logLevel: 'silent' },
      store,
      log: pino({ level: 'silent' }),
    });
  });
  after(async () => {
    await worker.close();
    await store.close();
    await db.drop();
  });

  it('commits on its own connection, and the main store hears of the change', async () => {
    changes.length = 0;
    const outcomes = await worker.ingestRaw(raw(amBody(['a1', 'a2'])));
    assert.deepEqual(
      outcomes.map((o) => [o.dedupKey, o.outcome]),
      [
        ['am:a1', 'new'],
        ['am:a2', 'new'],
      ],
    );
    await changed('alerts');
    assert.deepEqual(changes, [{ kind: 'alerts' }]);
    assert.deepEqual((await store.listAlerts({ limit: 10 })).map((a) => a.dedupKey).sort(), ['am:a1', 'am:a2']);
  });

  it('hands back a malformed body as the same validation error, and writes nothing', async () => {
    const before = (await store.listAlerts({ limit: 100 })).length;
    await assert.rejects(worker.ingestRaw(raw(Buffer.from('{"version":"4","groupKey":"g","alerts":[{}]}'))), (err) => {
      assert.ok(isFirebreakError(err, 'validation'));
      assert.equal(err.message, 'The Alertmanager webhook is not valid.');
      assert.deepEqual(err.details?.errors?.map((e) => e.path), [
        'body.alerts[0].status',
        'body.alerts[0].labels',
        'body.alerts[0].startsAt',
        'body.alerts[0].fingerprint',
      ]);
      return true;
    });
    await assert.rejects(worker.ingestRaw(raw(Buffer.from([0x7b, 0xff, 0x7d]))), (err) => {
      assert.ok(isFirebreakError(err, 'validation'));
      assert.equal(err.message, 'The request is not valid.');
      assert.deepEqual(err.details?.errors, [{ path: 'body', message: 'is not valid UTF-8' }]);
      return true;
    });
    assert.equal((await store.listAlerts({ limit: 100 })).length, before);
  });

  it('after a crash, settles every request it held, keeps what it acknowledged, and starts again', async () => {
    const sent = Array.from({ length: 20 }, (_, i) => `c${i.toString(16)}`);
    const pending = sent.map((f) => worker.ingestRaw(raw(amBody([f]))));
    // Killed once the first is answered: the others are answered, lost in flight, or never read.
    await pending[0];
    await worker.kill();
    const settled = await Promise.allSettled(pending);
    const acknowledged = sent.filter((_, i) => settled[i]!.status === 'fulfilled');
    assert.ok(acknowledged.length >= 1);
    for (const s of settled) {
      if (s.status === 'rejected') assert.match(String(s.reason), /the alert worker stopped/);
    }
    const stored = new Set((await store.listAlerts({ limit: 1_000 })).map((a) => a.dedupKey));
    for (const f of acknowledged) assert.ok(stored.has(`am:${f}`), `acknowledged am:${f} is stored`);

    const [again] = await worker.ingestRaw(raw(amBody(['afc0'])));
    assert.equal(again?.outcome, 'new');
  });

  it('shares the file with the main thread: concurrent writes on both connections all land', async () => {
    let n = 0;
    const deps = { store, clock: { now: () => new Date().toISOString() }, ids: { next: () => `w${++n}` }, log: pino({ level: 'silent' }), egress: createEgress({ allow: [] }) };
    const before = (await store.listIncidents({ limit: 500 })).length;
    const fingerprints = Array.from({ length: 10 }, (_, i) => `d${i}`);
    const [declared, ingested] = await Promise.all([
      Promise.all(fingerprints.map((_, i) => declareIncident(deps, 'test', { title: `Incident ${i}`, impact: 'Users see errors' }))),
      Promise.all(fingerprints.map((f) => worker.ingestRaw(raw(amBody([f]))))),
    ]);
    assert.equal(new Set(declared.map((d) => d.incident.number)).size, 10);
    assert.equal((await store.listIncidents({ limit: 500 })).length, before + 10);
    assert.deepEqual(ingested.map(([o]) => o?.outcome), fingerprints.map(() => 'new'));
  });

  it('fails the start when the worker cannot open the database', async () => {
    await assert.rejects(
      startAlertWorker({
        // A folder, not a database file, or a database that does not exist.
        data: {
          database: adapter.name === 'sqlite' ? { engine: 'sqlite', path: tmpdir() } : { engine: 'postgres', url: `${db.location}_missing` },
          options: {},
          logLevel: 'silent',
        },
        store,
        log: pino({ level: 'silent' }),
      }),
      /unable to open database file|SQLITE_CANTOPEN|database "\w+_missing" does not exist/i,
    );
  });

  it('refuses alerts once closed', async () => {
    const other = await startAlertWorker({
      data: { database: database(), options: {}, logLevel: 'silent' },
      store,
      log: pino({ level: 'silent' }),
    });
    await other.close();
    await assert.rejects(other.ingestRaw(raw(amBody(['1a7e']))), /alert ingestion is closed/);
  });
});
