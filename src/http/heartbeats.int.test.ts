import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import { createAlertIngestor, ingestOptions } from '../service/alerts.js';
import { HeartbeatWorker, PING_TOKEN_MISSING } from '../service/heartbeats.js';
import { createIntegration } from '../service/integrations.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();

for (const adapter of adapters()) {
  describe(`heartbeats over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let now = T0;
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ clock: { now: () => iso(now) }, env: { FIREBREAK_PUBLIC_URL: 'https://firebreak.example' } }),
    );

    const applyCatalog = async () => {
      const res = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: EXAMPLE_CATALOG_YAML, headers: { 'content-type': 'application/yaml' } });
      assert.equal(res.statusCode, 200, res.body);
    };
    const create = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/v1/heartbeats', { as: 'admin', body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { name: string; token: string; pingUrl: string; dueAt: string };
    };
    const everything = () => store.listHeartbeats();
    const worker = () => {
      const ingestor = createAlertIngestor(t.deps, ingestOptions(t.deps.config));
      return { worker: new HeartbeatWorker(t.deps, { ingest: (s) => ingestor.ingest(s) }), close: () => ingestor.close() };
    };
    const alertOf = async (name: string) =>
      (await t.call('GET', `/api/v1/alerts?dedupKey=${encodeURIComponent(`hb:${name}`)}`, { as: 'viewer' })).json().items[0] as
        | { status: string; service: string; severity: string; summary: string; incident: string | null }
        | undefined;

    it('creates (201, the token once), lists, pings by header and by ?token=, raises a late one, resolves it on the next ping', async () => {
      now = T0;
      await applyCatalog();
      const res = await t.call('POST', '/api/v1/heartbeats', { as: 'admin', body: { name: 'nightly-backup', service: 'checkout', interval: '1h30m', grace: '5m' } });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json() as Record<string, unknown>;
      assert.match(String(created.token), /^fbh_/);
      assert.deepEqual(created, {
        name: 'nightly-backup',
        service: 'checkout',
        severity: 'critical',
        interval: '1h30m',
        grace: '5m',
        state: 'waiting',
        createdAt: iso(T0),
        createdBy: created.createdBy,
        lastPingAt: null,
        dueAt: iso(T0 + 95 * 60_000),
        missedAt: null,
        pingUrl: 'https://firebreak.example/api/v1/heartbeats/nightly-backup/ping',
        token: created.token,
      });
      assert.match(String(created.createdBy), /^token:admin-/);
      const token = String(created.token);

      const list = await t.call('GET', '/api/v1/heartbeats', { as: 'viewer' });
      assert.equal(list.statusCode, 200);
      const { token: _t, pingUrl: _p, ...view } = created;
      assert.deepEqual(list.json(), { items: [view] });
      assert.ok(!list.body.includes(token));

      now = T0 + 60_000;
      const ping = await t.call('POST', '/api/v1/heartbeats/nightly-backup/ping', { as: { token } });
      assert.equal(ping.statusCode, 200, ping.body);
      assert.deepEqual(ping.json(), { name: 'nightly-backup', state: 'up', dueAt: iso(now + 95 * 60_000) });
      now = T0 + 120_000;
      const cron = await t.call('GET', `/api/v1/heartbeats/nightly-backup/ping?token=${token}`, { as: 'anonymous' });
      assert.deepEqual([cron.statusCode, cron.json()], [200, { name: 'nightly-backup', state: 'up', dueAt: iso(now + 95 * 60_000) }]);

      const { worker: w, close } = worker();
      try {
        now = T0 + 120_000 + 95 * 60_000;
        assert.ok((await w.runOnce()).includes('nightly-backup'));
        const alert = await alertOf('nightly-backup');
        assert.deepEqual(
          [alert?.status, alert?.service, alert?.severity, alert?.summary],
          ['firing', 'checkout', 'critical', `Heartbeat nightly-backup missed: no ping since ${iso(T0 + 120_000)}`],
        );
        assert.match(String(alert?.incident), /^INC-\d+$/, 'critical on tier 1: declared');
        const listed = (await t.call('GET', '/api/v1/heartbeats', { as: 'viewer' })).json().items[0] as { state: string };
        assert.equal(listed.state, 'missed');
        assert.ok(!(await w.runOnce()).includes('nightly-backup'));

        const metrics = await t.call('GET', '/metrics', { as: 'viewer' });
        assert.match(metrics.body, /^firebreak_heartbeats\{state="missed"\} 1$/m);

        const back = await t.call('GET', `/api/v1/heartbeats/nightly-backup/ping?token=${token}`, { as: 'anonymous' });
        assert.equal(back.statusCode, 200, back.body);
        assert.equal((await alertOf('nightly-backup'))?.status, 'resolved');
      } finally {
        await close();
      }
    });

    it('resolves a miss on an Opsgenie ping, and deletes (200, the heartbeat as it was)', async () => {
      now = T0;
      await applyCatalog();
      await create({ name: 'og-job', service: 'checkout', interval: '1m', grace: '0s', severity: 'warning' });
      const { worker: w, close } = worker();
      try {
        now = T0 + 60_000;
        assert.ok((await w.runOnce()).includes('og-job'));
      } finally {
        await close();
      }
      assert.equal((await alertOf('og-job'))?.status, 'firing');
      const { apiKey } = await createIntegration(t.deps, { type: 'opsgenie', name: `og-${now}` });
      const pong = await t.app.inject({ method: 'POST', url: '/v2/heartbeats/og-job/ping', headers: { authorization: `GenieKey ${apiKey}` } });
      assert.equal(pong.statusCode, 202, pong.body);
      assert.equal(pong.json().result, 'PONG - Heartbeat received');
      assert.equal((await alertOf('og-job'))?.status, 'resolved');

      const del = await t.call('DELETE', '/api/v1/heartbeats/og-job', { as: 'admin' });
      assert.equal(del.statusCode, 200, del.body);
      assert.deepEqual([del.json().name, del.json().state], ['og-job', 'up']);
      const again = await t.call('DELETE', '/api/v1/heartbeats/og-job', { as: 'admin' });
      assert.deepEqual([again.statusCode, problemOf(again)], [404, problem(404, 'not_found', 'There is no heartbeat og-job.')]);
    });

    describe('refuses bad input and bad pings with the exact problem, writing nothing', () => {
      const unchanged = async (fn: () => Promise<void>) => {
        now = T0;
        await applyCatalog();
        const before = await everything();
        const alerts = await store.listAlerts({ limit: 10_000 });
        await fn();
        assert.deepEqual(await everything(), before);
        assert.deepEqual(await store.listAlerts({ limit: 10_000 }), alerts);
      };
      const refused = async (body: unknown, status: number, expected: Record<string, unknown>, as: 'admin' | 'responder' = 'admin') => {
        const res = await t.call('POST', '/api/v1/heartbeats', { as, body });
        assert.equal(res.statusCode, status, res.body);
        assert.deepEqual(problemOf(res), expected);
      };

      it('unknown fields, an unknown service, a bad interval, a duplicate name, a responder', async () => {
        await create({ name: 'dup', service: 'checkout', interval: '5m' });
        await unchanged(async () => {
          await refused({ name: 'a', service: 'checkout', interval: '5m', team: 'x' }, 400, invalidRequest([{ path: 'body.team', message: 'is not allowed' }]));
          await refused({ name: 'a', service: 'billing', interval: '5m' }, 400, invalidRequest([{ path: 'body.service', message: 'billing is not a service of the catalog' }]));
          await refused(
            { name: 'a', service: 'checkout', interval: '5 minutes' },
            400,
            invalidRequest([{ path: 'body.interval', message: 'must be a duration like 5m, 1h30m or 1d, from 1m to 30d' }]),
          );
          await refused({ name: 'n'.repeat(101), service: 'checkout', interval: '5m' }, 400, invalidRequest([{ path: 'body.name', message: 'must be at most 100 characters' }]));
          await refused(
            { name: 'dup', service: 'checkout', interval: '5m' },
            409,
            problem(409, 'conflict', 'A heartbeat named dup exists already; choose another name, or delete that one first.'),
          );
          await refused({ name: 'b', service: 'checkout', interval: '5m' }, 403, problem(403, 'forbidden', 'This needs the admin role; you have responder.'), 'responder');
          const del = await t.call('DELETE', '/api/v1/heartbeats/dup', { as: 'responder' });
          assert.deepEqual([del.statusCode, problemOf(del)], [403, problem(403, 'forbidden', 'This needs the admin role; you have responder.')]);
        });
      });

      it('a wrong token and an unknown heartbeat alike (404), a missing token (401)', async () => {
        const { token } = await create({ name: 'pinged', service: 'checkout', interval: '5m' });
        await unchanged(async () => {
          const ping = (url: string, as: { token: string } | 'anonymous' = 'anonymous') => t.call('POST', url, { as });
          const wrong = await ping('/api/v1/heartbeats/pinged/ping', { token: `${token}x` });
          assert.deepEqual([wrong.statusCode, problemOf(wrong)], [404, problem(404, 'not_found', 'There is no heartbeat pinged with this token.')]);
          const unknown = await ping(`/api/v1/heartbeats/nope/ping?token=${token}`);
          assert.deepEqual([unknown.statusCode, problemOf(unknown)], [404, problem(404, 'not_found', 'There is no heartbeat nope with this token.')]);
          const missing = await ping('/api/v1/heartbeats/pinged/ping');
          assert.deepEqual([missing.statusCode, problemOf(missing)], [401, problem(401, 'unauthorized', PING_TOKEN_MISSING)]);
          const extra = await ping(`/api/v1/heartbeats/pinged/ping?token=${token}&status=ok`);
          assert.deepEqual([extra.statusCode, problemOf(extra)], [400, invalidRequest([{ path: 'query.status', message: 'is not allowed' }])]);
          const og = await t.app.inject({ method: 'POST', url: '/v2/heartbeats/pinged/ping', headers: { authorization: `GenieKey ${token}` } });
          assert.equal(og.statusCode, 401, 'a heartbeat token is no Opsgenie key');
        });
      });
    });
  });
}
