import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { IncidentEvent } from '../domain/incident/events.js';
import { apply, initialIncident, replay } from '../domain/incident/state.js';
import type { Store } from '../service/ports.js';
import { adapters, type TestAdapter } from './test-adapters.js';

const AT = '2026-11-27T10:00:00.000Z';
const ev = (type: IncidentEvent['type'], data: unknown) => ({ type, at: AT, actor: 'ana', data }) as IncidentEvent;
const link = (alertId: string, status: 'firing' | 'resolved' = 'firing') => ({
  alertId,
  dedupKey: `dk-${alertId}`,
  summary: `5xx on ${alertId}`,
  status,
  source: 'alertmanager',
});
const declared = (number: number) => [
  ev('IncidentDeclared', { number, title: 'Checkout fails', services: ['checkout'], startedAt: AT, detectedAt: AT, auto: false }),
  ev('ImpactStated', { statement: 'Shoppers cannot pay', confirmed: true }),
];
/** A log as written before alerts were recorded in batches. */
const oldLog = (number: number) => [
  ...declared(number),
  ev('AlertLinked', link('a1')),
  ev('AlertLinked', link('a2')),
  ev('AlertStatusChanged', { alertId: 'a2', status: 'resolved' }),
];

async function appendAll(store: Store, number: number, events: IncidentEvent[]) {
  const loaded = await store.loadIncident(number);
  const from = loaded?.state ?? initialIncident(number);
  const state = events.reduce(apply, from);
  await store.transaction((tx) => tx.append(number, events, from.version, state));
  return state;
}

/** Runs SQL straight on the database, as an older Firebreak would have left it. */
async function raw(adapter: TestAdapter, location: string, statements: [string, unknown[]][]) {
  if (adapter.name === 'sqlite') {
    const db = new Sqlite(location);
    try {
      for (const [text, params] of statements) db.prepare(text.replace(/\$\d+/g, '?')).run(...params);
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  try {
    for (const [text, params] of statements) await client.query(text, params);
  } finally {
    await client.end();
  }
}

for (const adapter of adapters()) {
  describe(`incident alert links beside the projection (${adapter.name})`, () => {
    it('keeps the status each incident recorded for each alert, from old and batched events alike', async () => {
      const store = await adapter.create();
      try {
        await appendAll(store, 1, oldLog(1));
        await appendAll(store, 1, [ev('AlertsRecorded', { linked: [link('a3')], changed: [link('a1', 'resolved')] })]);
        await appendAll(store, 2, [...declared(2), ev('AlertsRecorded', { linked: [link('a1')], changed: [] })]);
        const linked = (n: number, ids: string[]) => store.transaction((tx) => tx.linkedAlerts(n, ids));
        assert.deepEqual(
          [...(await linked(1, ['a1', 'a2', 'a3', 'a4']))].sort(),
          [['a1', 'resolved'], ['a2', 'resolved'], ['a3', 'firing']],
        );
        assert.deepEqual([...(await linked(2, ['a1', 'a2']))], [['a1', 'firing']]);
        const many = Array.from({ length: 1_200 }, (_, i) => link(`b${i}`));
        await appendAll(store, 2, [ev('AlertsRecorded', { linked: many, changed: [] })]);
        assert.equal((await linked(2, many.map((a) => a.alertId))).size, 1_200);
      } finally {
        await store.close();
      }
    });

    it('migrating a database of projections that listed every link rebuilds them from the log', async () => {
      const d = await adapter.database();
      try {
        let store = await d.open();
        await store.migrate();
        const events = oldLog(1);
        const state = await appendAll(store, 1, events);
        await store.close();
        const { alertCounts: _c, recentAlerts: _r, ...rest } = state;
        const before = { ...rest, alerts: [{ ...link('a1'), id: 'a1' }, { ...link('a2', 'resolved'), id: 'a2' }] };
        await raw(adapter, d.location, [
          ['update incidents set state = $1 where number = 1', [JSON.stringify(before)]],
          ['drop table incident_alerts', []],
          ["delete from kysely_migration where name = '0004-incident-alerts'", []],
        ]);

        store = await d.open();
        await store.migrate();
        const loaded = await store.loadIncident(1);
        assert.deepEqual(loaded?.state, replay(1, events));
        assert.deepEqual(loaded?.state.alertCounts, { firing: 1, resolved: 1, total: 2 });
        assert.equal(loaded?.version, events.length);
        const known = await store.transaction((tx) => tx.linkedAlerts(1, ['a1', 'a2']));
        assert.deepEqual([...known].sort(), [['a1', 'firing'], ['a2', 'resolved']]);
        await store.close();
      } finally {
        await d.drop();
      }
    });
  });
}
