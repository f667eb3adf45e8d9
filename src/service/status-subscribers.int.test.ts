import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { testApp, type TestApp } from '../http/test-app.js';
import { adapters } from '../store/test-adapters.js';
import { OutboxWorker, outboxOptions } from './outbox.js';
import type { Store } from './ports.js';
import { statusCatalogYaml } from '../domain/status/catalog.fixture.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
/** A subscriber's receiver on 127.0.0.1 that records every request and answers 200. */
async function receiver(): Promise<{ url: string; got: Received[]; close(): Promise<void> }> {
  const got: Received[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, got, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// An hour ago, so deliveries made at the wall clock's now carry timestamps a verifier accepts.
const T0 = Math.floor(Date.now() / 60_000) * 60_000 - 60 * 60_000;
const min = (n: number) => new Date(T0 + n * 60_000).toISOString();
/** Only in internal updates: no delivered body may hold it. */
const MARKER = 'zebra-7731-internal-only';
/** In the internal title, impact and reasons: the team's messages carry it, a subscriber's never. */
const INTERNAL = 'okapi-4410-team-only';

const catalog = (rx: string) =>
  statusCatalogYaml(`
  members: [ { name: ana } ]
  notify: [ { target: team-hook }, { target: subscriber }, { type: webhook, url: "${rx}/inline" } ]`);

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

for (const adapter of adapters()) {
  describe(`status page subscribers through the outbox (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let rx: Awaited<ReturnType<typeof receiver>>;
    let now = min(0);

    before(async () => {
      store = await adapter.create();
      rx = await receiver();
      t = await testApp(store, {
        clock: { now: () => now },
        egressAllow: ['127.0.0.1', 'localhost'],
        env: { FIREBREAK_PUBLIC_URL: 'https://firebreak.example', FIREBREAK_STATUS_TITLE: 'Acme status', FIREBREAK_STATUS_URL: 'https://status.acme.test' },
      });
    });
    after(async () => {
      await t.app.close();
      await store.close();
      await rx.close();
    });

    const target = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/v1/notification-targets', { as: 'admin', body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; name: string; type: string; secret?: string };
    };
    const ok = async (method: 'POST' | 'PUT', url: string, body: unknown) => {
      const res = await t.call(method, url, { body });
      assert.equal(res.statusCode, 200, res.body);
    };
    const drain = async (w: OutboxWorker) => {
      for (let i = 0; i < 20; i++) if ((await w.runOnce()).attempted === 0) return;
    };

    it('registers a statuspage target like a webhook: a URL, a whsec_ secret shown once, no token or address', async () => {
      const bad = await t.call('POST', '/api/v1/notification-targets', { as: 'admin', body: { name: 'bad-sub', type: 'statuspage', address: 'a@b.example' } });
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(
        (bad.json() as { errors: unknown[] }).errors,
        [
          { path: 'body.address', message: 'only email targets take an address' },
          { path: 'body.url', message: 'is required for this type' },
        ],
      );
      const token = await t.call('POST', '/api/v1/notification-targets', { as: 'admin', body: { name: 'bad-sub', type: 'statuspage', url: `${rx.url}/x`, token: 'abc' } });
      assert.deepEqual((token.json() as { errors: unknown[] }).errors, [{ path: 'body.token', message: 'only ntfy targets take a token' }]);
      assert.equal((await store.listNotificationTargets()).length, 0);
    });

    it("sends subscribers Statuspage's incident and component bodies, public text only, and keeps them apart from the team's messages", async () => {
      const sub = await target({ name: 'subscriber', type: 'statuspage', url: `${rx.url}/subscriber` });
      assert.match(String(sub.secret), /^whsec_/);
      await target({ name: 'team-hook', type: 'webhook', url: `${rx.url}/team` });
      const put = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: catalog(rx.url), headers: { 'content-type': 'application/yaml' } });
      assert.equal(put.statusCode, 200, put.body);

      const inc = await t.declare({ title: `Ledger ${INTERNAL}`, impact: `Cards fail ${INTERNAL}`, severity: 'SEV2', severityReason: `reason ${INTERNAL}`, services: ['checkout'] });
      now = min(5);
      await ok('POST', `/api/v1/incidents/${inc.id}/updates`, { audience: 'internal', body: `Internal: ${MARKER}` });
      await ok('POST', `/api/v1/incidents/${inc.id}/updates`, { audience: 'internal', body: `Still internal: ${MARKER}` });
      now = min(10);
      await ok('POST', `/api/v1/incidents/${inc.id}/updates`, {
        audience: 'external',
        body: 'Some card payments fail; we found why.',
        title: 'Card payments failing',
        publicStatus: 'identified',
        components: { checkout: 'major_outage', api: 'degraded_performance' },
      });
      now = min(30);
      const me = (await t.call('GET', '/api/v1/session', { as: 'responder' })).json().username as string;
      await ok('POST', `/api/v1/incidents/${inc.id}/roles`, { role: 'commander', person: me });
      await ok('POST', `/api/v1/incidents/${inc.id}/status`, { to: 'resolved', reason: `fixed ${INTERNAL}`, override: { reason: `test ${INTERNAL}` } });

      now = new Date().toISOString();
      await drain(new OutboxWorker(t.deps, outboxOptions(t.deps.config)));

      const all = rx.got;
      assert.ok(all.length > 0);
      for (const r of all) assert.ok(!r.body.includes(MARKER), `${r.path} got an internal update: ${r.body}`);
      assert.ok(all.some((r) => r.path === '/team' && r.body.includes(INTERNAL)), 'the team got no internal title');
      const subscriber = all.filter((r) => r.path === '/subscriber');
      for (const r of subscriber) assert.ok(!r.body.includes(INTERNAL) && !r.body.includes('Ledger'), r.body);
      const bodies = subscriber.map((r) => JSON.parse(r.body) as Json);

      // Every body is Statuspage's, signed as Standard Webhooks with the subscriber's secret.
      for (const r of subscriber) {
        const headers = { 'webhook-id': String(r.headers['webhook-id']), 'webhook-timestamp': String(r.headers['webhook-timestamp']), 'webhook-signature': String(r.headers['webhook-signature']) };
        assert.doesNotThrow(() => new Webhook(sub.secret!).verify(r.body, headers));
        assert.match(headers['webhook-id'], new RegExp(`^msg_${inc.number}-\\d+-(incident|c-[a-z]+)_${sub.id}$`));
      }
      // Deliveries run in parallel, so they arrive in any order: read them in the order of their times.
      const incidents = bodies.filter((b) => 'incident' in b).sort((a, b) => String(a.incident.updated_at).localeCompare(b.incident.updated_at));
      const key = (b: Json) => `${b.component_update.created_at} ${b.component_update.component_id === 'checkout' ? 0 : 1}`;
      const components = bodies.filter((b) => 'component_update' in b).sort((a, b) => key(a).localeCompare(key(b)));
      assert.equal(incidents.length + components.length, bodies.length);
      for (const b of bodies) {
        assert.deepEqual(b.meta, { unsubscribe: 'https://status.acme.test', documentation: 'https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/' });
        assert.deepEqual(Object.keys(b.page), ['id', 'status_indicator', 'status_description']);
        assert.equal(b.page.id, 'firebreak');
      }

      // The incident: declared (default name), the external update (named, identified), resolved.
      assert.deepEqual(
        incidents.map((b) => [b.incident.name, b.incident.status, b.incident.incident_updates.length, b.page.status_indicator]),
        [
          ['We are investigating an issue', 'investigating', 0, 'major'],
          ['Card payments failing', 'identified', 1, 'critical'],
          ['Card payments failing', 'resolved', 1, 'none'],
        ],
      );
      const posted = incidents[1]!.incident;
      assert.deepEqual(Object.keys(incidents[1]!), ['meta', 'page', 'incident']);
      assert.deepEqual([posted.id, posted.shortlink, posted.impact, posted.created_at], [String(inc.number), `https://status.acme.test/incidents/${inc.number}`, 'major', min(0)]);
      assert.deepEqual(
        posted.incident_updates.map((u: Json) => [u.status, u.body, u.affected_components.map((a: Json) => [a.code, a.old_status, a.new_status])]),
        [['identified', 'Some card payments fail; we found why.', [['checkout', 'partial_outage', 'major_outage'], ['api', 'operational', 'degraded_performance']]]],
      );
      assert.deepEqual(posted.components.map((c: Json) => [c.id, c.name, c.status]).sort(), [['api', 'Public API', 'degraded_performance'], ['checkout', 'Checkout', 'major_outage']]);
      assert.equal(incidents[2]!.incident.resolved_at, min(30));

      // The components: each change of state this incident caused, old → new.
      assert.deepEqual(
        components.map((b) => [b.component_update.component_id, b.component_update.old_status, b.component_update.new_status, b.component_update.created_at]),
        [
          ['checkout', 'operational', 'partial_outage', min(0)],
          ['checkout', 'partial_outage', 'major_outage', min(10)],
          ['api', 'operational', 'degraded_performance', min(10)],
          ['checkout', 'major_outage', 'operational', min(30)],
          ['api', 'degraded_performance', 'operational', min(30)],
        ],
      );
      for (const b of components) {
        assert.deepEqual(Object.keys(b), ['meta', 'page', 'component_update', 'component']);
        assert.deepEqual(Object.keys(b.component), ['created_at', 'id', 'name', 'status']);
        assert.equal(b.component.status, b.component_update.new_status);
        assert.equal(b.component.id, b.component_update.component_id);
      }

      // The team's webhooks got the team's messages and no public body; the subscriber no team message.
      for (const path of ['/team', '/inline']) {
        const team = all.filter((r) => r.path === path).map((r) => JSON.parse(r.body) as Json);
        assert.ok(team.length >= 3, path);
        for (const b of team) {
          assert.match(String(b.type), /^incident\./);
          assert.ok(!('meta' in b) && !('component_update' in b), path);
        }
      }
      for (const b of bodies) assert.ok(!('type' in b) && !('data' in b));

      // The delivery list shows both kinds, each to its own targets.
      const res = await t.call('GET', `/api/v1/notifications?incident=${inc.id}`, { as: 'viewer' });
      const items = (res.json() as { items: Json[] }).items;
      assert.ok(items.every((d) => d.state === 'sent'), JSON.stringify(items));
      assert.equal(items.filter((d) => d.targetType === 'statuspage').length, subscriber.length);
      assert.ok(items.filter((d) => d.targetType === 'statuspage').every((d) => d.target === 'subscriber'));
    });

    it('writes no public message for an incident on no public service, and none for internal updates, even with the subscriber as a default', async () => {
      const before = rx.got.filter((r) => r.path === '/subscriber').length;
      const inc = await t.declare({ title: 'Private', severity: 'SEV1', severityReason: 'x' });
      await ok('POST', `/api/v1/incidents/${inc.id}/updates`, { audience: 'internal', body: MARKER });
      await drain(new OutboxWorker(t.deps, { ...outboxOptions(t.deps.config), defaults: ['subscriber', 'team-hook'] }));
      assert.ok(rx.got.some((r) => r.path === '/team' && r.body.includes(inc.id)));
      assert.equal(rx.got.filter((r) => r.path === '/subscriber').length, before);
      const messages = await store.listDeliveries({ incident: inc.number, limit: 100 });
      assert.ok(messages.every((d) => d.targetType !== 'statuspage'));
    });
  });
}
