import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCatalogYaml, validateCatalog } from '../domain/catalog/index.js';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import { RECENT_ALERTS } from '../domain/incident/state.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { useTestApp, type TestApp } from './test-app.js';

const LINKED = 3_000;
const PER_REQUEST = 1_000;

const alert = (i: number, status: 'firing' | 'resolved' = 'firing') => ({
  dedupKey: `storm-${i}`,
  status,
  summary: `5xx above 5% on pod-${i}`,
  severity: 'warning',
  labels: { service: 'checkout', instance: `pod-${i}` },
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, i) => from + i);

for (const adapter of adapters()) {
  describe(`an incident with ${LINKED} linked alerts (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let incident = { id: '', number: 0, version: 0 };
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
    );

    const send = async (items: unknown[]) => {
      const res = await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: items });
      assert.equal(res.statusCode, 202, res.body);
    };
    const get = async (url: string) => {
      const res = await t.call('GET', url, { as: 'viewer' });
      assert.equal(res.statusCode, 200, res.body);
      return res;
    };
    const timeline = async () => {
      const events: { type: string; summary: string }[] = [];
      for (let cursor: string | null = '0'; cursor !== null; ) {
        const page: { events: { type: string; summary: string }[]; nextCursor: string | null } = (
          await get(`/api/v1/incidents/${incident.id}/timeline?format=json&limit=500&cursor=${cursor}`)
        ).json();
        events.push(...page.events);
        cursor = page.nextCursor;
      }
      return events;
    };

    const verifyItems = async () => {
      const playbook = (await get(`/api/v1/incidents/${incident.id}/playbook?format=json`)).json();
      return playbook.steps.find((s: { key: string }) => s.key === 'verify').items.map((i: { label: string }) => i.label) as string[];
    };

    it('links them in batches and answers the incident with counts and the newest few, its size bounded', async () => {
      const now = t.deps.clock.now();
      await store.transaction((tx) => tx.saveCatalog(validateCatalog(parseCatalogYaml(EXAMPLE_CATALOG_YAML)), 'test', now));
      incident = await t.declare({ title: 'Checkout storm', services: ['checkout'] });
      const small = (await get(`/api/v1/incidents/${incident.id}`)).body.length;
      for (let from = 0; from < LINKED; from += PER_REQUEST) await send(range(from, from + PER_REQUEST).map((i) => alert(i)));
      await send(range(0, 1_000).map((i) => alert(i, 'resolved')));

      const res = await get(`/api/v1/incidents/${incident.id}`);
      const body = res.json();
      assert.deepEqual(body.alertCounts, { firing: 2_000, resolved: 1_000, total: LINKED });
      assert.equal(body.alerts, undefined);
      assert.equal(body.recentAlerts.length, RECENT_ALERTS);
      assert.deepEqual(
        body.recentAlerts.map((a: { dedupKey: string }) => a.dedupKey),
        range(LINKED - RECENT_ALERTS, LINKED).reverse().map((i) => `storm-${i}`),
      );
      assert.ok(res.body.length < small + 6_000, `${res.body.length} bytes against ${small} with no alerts`);
      assert.ok((await verifyItems()).includes('Linked alerts cleared (2000 firing)'));
    });

    it('pages every linked alert exactly once through GET /api/v1/alerts?incident=', async () => {
      const seen: string[] = [];
      let pages = 0;
      for (let cursor: string | null = null; ; pages++) {
        const page: { items: { incident: string; dedupKey: string }[]; nextCursor: string | null } = (
          await get(`/api/v1/alerts?incident=${incident.id}&limit=500${cursor ? `&cursor=${cursor}` : ''}`)
        ).json();
        for (const a of page.items) {
          assert.equal(a.incident, incident.id);
          seen.push(a.dedupKey);
        }
        cursor = page.nextCursor;
        if (cursor === null) break;
      }
      assert.equal(pages, LINKED / 500 - 1);
      assert.equal(seen.length, LINKED);
      assert.equal(new Set(seen).size, LINKED);
      assert.equal(seen[0], `storm-${LINKED - 1}`, 'newest first');
    });

    it('records one event per ingest batch on the timeline, and "alerts cleared" once', async () => {
      const before = await timeline();
      const recorded = before.filter((e) => e.type === 'AlertsRecorded');
      assert.equal(recorded.length, LINKED / PER_REQUEST + 1);
      assert.ok(!before.some((e) => e.type === 'AlertLinked' || e.type === 'AlertStatusChanged'));
      assert.match(recorded[0]!.summary, /^Linked 1,000 alerts \(1,000 firing\): 5xx above 5% on pod-0; .*; and 997 more$/);
      assert.match(recorded.at(-1)!.summary, /^1,000 changed status \(1,000 resolved\): /);

      await send(range(1_000, 2_000).map((i) => alert(i, 'resolved')));
      await send(range(2_000, LINKED).map((i) => alert(i, 'resolved')));
      await send(range(0, 10).map((i) => alert(i, 'resolved')));
      const after = await timeline();
      assert.deepEqual(after.slice(before.length).map((e) => e.type), ['AlertsRecorded', 'AlertsRecorded', 'AlertsCleared']);
      const body = (await get(`/api/v1/incidents/${incident.id}`)).json();
      assert.deepEqual(body.alertCounts, { firing: 0, resolved: LINKED, total: LINKED });
      assert.ok((await verifyItems()).includes(`Linked alerts cleared (${LINKED})`));
    });
  });
}
