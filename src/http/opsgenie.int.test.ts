import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import { parseCatalogYaml, validateCatalog } from '../domain/catalog/index.js';
import { createIntegration, revokeIntegration } from '../service/integrations.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { alertCount as alertCountOf, alertVariants, timelineTypes as timelineTypesOf, useAlertTestApp } from './alert-ingest.test-kit.js';
import type { TestApp } from './test-app.js';

/** The app's clock: fixed, so receivedAt and every time read from it are exact. */
const NOW = '2026-11-27T02:00:00.000Z';
const UNPROCESSABLE = 'Request body is not processable. Please check the errors.';
const UNAUTHENTICATED = { message: 'Could not authenticate' };

/** An Opsgenie answer without its took and requestId, which are checked to look like theirs. */
function opsgenieOf(res: LightMyRequestResponse): Record<string, unknown> {
  const { took, requestId, ...rest } = res.json() as Record<string, unknown>;
  if (typeof took !== 'number' || !(took >= 0)) throw new Error(`no took in ${res.body}`);
  if (!/^req-\d+$/.test(String(requestId))) throw new Error(`no requestId in ${res.body}`);
  assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
  return rest;
}
const ACCEPTED = { result: 'Request will be processed' };
const unprocessable = (errors: Record<string, string>) => ({ message: UNPROCESSABLE, errors });

for (const variant of alertVariants(adapters())) {
  describe(`Opsgenie Alert API v2 (${variant.name})`, () => {
    let store: Store;
    let t: TestApp;
    let key = '';
    let integrationId = '';

    useAlertTestApp(variant, NOW, (s, app) => {
      store = s;
      t = app;
    });

    beforeEach(async () => {
      if (key) return;
      const now = t.deps.clock.now();
      await store.transaction((tx) => tx.saveCatalog(validateCatalog(parseCatalogYaml(EXAMPLE_CATALOG_YAML)), 'test', now));
      const created = await createIntegration(t.deps, { type: 'opsgenie', name: 'og' });
      key = created.apiKey!;
      integrationId = created.id;
    });

    const genie = (k = key) => ({ authorization: `GenieKey ${k}` });
    const post = (url: string, body?: unknown, headers: Record<string, string> = genie()) =>
      t.call('POST', url, { as: 'anonymous', body, headers });
    const alertCount = () => alertCountOf(store);
    const alertByAlias = async (alias: string) =>
      (await t.call('GET', `/api/v1/alerts?dedupKey=${encodeURIComponent(`og:${integrationId}:${alias}`)}`)).json().items[0];
    const timelineTypes = (id: string) => timelineTypesOf(t, id);

    it('creates an opsgenie integration whose API key is shown once and stored as its hash', async () => {
      const res = await t.call('POST', '/api/v1/integrations', { as: 'admin', body: { type: 'opsgenie', name: 'prod-am' } });
      assert.equal(res.statusCode, 201, res.body);
      const body = res.json();
      assert.match(body.apiKey, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.deepEqual(body, {
        id: body.id,
        type: 'opsgenie',
        name: 'prod-am',
        createdAt: NOW,
        revokedAt: null,
        apiKey: body.apiKey,
        endpoints: ['/v2/alerts', '/v2/alerts/{identifier}/close', '/v2/alerts/{identifier}/acknowledge'],
      });
      assert.equal(res.headers['cache-control'], 'no-store');
      const stored = await store.findIntegration(body.id);
      assert.deepEqual(
        [stored?.tokenHash, stored?.routingKeyHash, stored?.secretHash],
        [createHash('sha256').update(body.apiKey).digest('hex'), null, null],
      );
      const listed = (await t.call('GET', '/api/v1/integrations', { as: 'admin' })).json().items.find(
        (i: { id: string }) => i.id === body.id,
      );
      assert.equal(JSON.stringify(listed).includes(body.apiKey), false);
      const secret = await t.call('POST', '/api/v1/integrations', { as: 'admin', body: { type: 'opsgenie', name: 'x', secret: 's'.repeat(70) } });
      assert.equal(secret.statusCode, 400);
      assert.deepEqual(secret.json().errors, [{ path: 'body.secret', message: 'only github and grafana integrations take a secret' }]);
    });

    it('declares a critical incident from a P1 create for checkout, counts the same alias once, and clears on close by alias', async () => {
      const create = {
        message: '[FIRING:1] CheckoutErrors (checkout critical)',
        alias: 'checkout-errors',
        description: 'Checkout 5xx above 5%',
        details: { alertname: 'CheckoutErrors', service: 'checkout' },
        priority: 'P1',
        tags: ['checkout', 'critical'],
        responders: [{ name: 'payments', type: 'team' }],
        source: 'http://alertmanager.example:9093',
      };
      const res = await post('/v2/alerts', create);
      assert.equal(res.statusCode, 202, res.body);
      assert.deepEqual(opsgenieOf(res), ACCEPTED);

      const alert = await alertByAlias('checkout-errors');
      assert.deepEqual(
        [alert.source, alert.status, alert.service, alert.severity, alert.summary, alert.occurrences, alert.startsAt],
        ['opsgenie', 'firing', 'checkout', 'critical', create.message, 1, NOW],
      );
      assert.deepEqual(alert.labels, { alertname: 'CheckoutErrors', service: 'checkout' });
      assert.deepEqual(
        [alert.annotations.priority, alert.annotations.tags, alert.annotations.responders, alert.generatorURL],
        ['P1', 'checkout, critical', 'team:payments', 'http://alertmanager.example:9093'],
      );
      assert.match(alert.incident, /^INC-\d+$/);
      const incident = (await t.call('GET', `/api/v1/incidents/${alert.incident}`)).json();
      assert.deepEqual([incident.auto, incident.services, incident.title], [true, ['checkout'], `[checkout] ${create.message}`]);
      assert.match(incident.severityHistory[0].reason, /critical alert.*tier-1 service/);
      const events = (await t.call('GET', `/api/v1/incidents/${alert.incident}/timeline`)).json().events as { type: string; actor: string }[];
      assert.equal(events[0]?.type, 'IncidentDeclared');
      assert.equal(events.find((e) => e.type === 'AlertsRecorded')?.actor, 'integration:og');

      // The same alias again is the same alert: one stored alert, the same incident, nothing new on it.
      const again = await post('/v2/alerts', create);
      assert.equal(again.statusCode, 202);
      const after = (await t.call('GET', `/api/v1/incidents/${alert.incident}`)).json();
      assert.equal(after.version, incident.version);
      const repeated = await alertByAlias('checkout-errors');
      assert.deepEqual([repeated.id, repeated.occurrences, repeated.incident], [alert.id, 1, alert.incident]);

      // As Alertmanager closes: by alias, with only a source in the body.
      const close = await post('/v2/alerts/checkout-errors/close?identifierType=alias', { source: 'http://alertmanager.example:9093' });
      assert.equal(close.statusCode, 202, close.body);
      assert.deepEqual(opsgenieOf(close), ACCEPTED);
      assert.deepEqual((await timelineTypes(alert.incident)).slice(-2), ['AlertsRecorded', 'AlertsCleared']);
      const cleared = (await t.call('GET', `/api/v1/incidents/${alert.incident}`)).json();
      assert.deepEqual(cleared.alertCounts, { firing: 0, resolved: 1, total: 1 });
      const closed = await alertByAlias('checkout-errors');
      assert.deepEqual([closed.status, closed.endsAt], ['resolved', NOW]);
    });

    it("closes by Firebreak's alert id (the default identifierType), with or without a body", async () => {
      for (const [alias, body] of [['by-id-1', { user: 'ops', note: 'done' }], ['by-id-2', undefined]] as const) {
        assert.equal((await post('/v2/alerts', { message: `disk full ${alias}`, alias })).statusCode, 202);
        const alert = await alertByAlias(alias);
        const res = await post(`/v2/alerts/${alert.id}/close`, body);
        assert.equal(res.statusCode, 202, res.body);
        assert.deepEqual(opsgenieOf(res), ACCEPTED);
        assert.equal((await alertByAlias(alias)).status, 'resolved');
      }
      const generated = await post('/v2/alerts', { message: 'no alias', priority: 'P5' });
      assert.equal(generated.statusCode, 202);
      const [alert] = (await t.call('GET', '/api/v1/alerts?status=firing')).json().items.filter(
        (a: { summary: string }) => a.summary === 'no alias',
      );
      assert.match(alert.dedupKey, new RegExp(`^og:${integrationId}:.+`));
      assert.deepEqual([alert.severity, alert.service], ['info', null]);
      const res = await post(`/v2/alerts/${alert.id}/close?identifierType=id`);
      assert.equal(res.statusCode, 202, res.body);
      assert.equal((await t.call('GET', `/api/v1/alerts/${alert.id}`)).json().status, 'resolved');
    });

    it('answers an acknowledge 202 and records nothing', async () => {
      assert.equal((await post('/v2/alerts', { message: 'queue deep', alias: 'ack-me' })).statusCode, 202);
      const before = await alertByAlias('ack-me');
      const count = await alertCount();
      const byAlias = await post('/v2/alerts/ack-me/acknowledge?identifierType=alias', { user: 'ana', note: 'looking' });
      assert.equal(byAlias.statusCode, 202, byAlias.body);
      assert.deepEqual(opsgenieOf(byAlias), ACCEPTED);
      const byId = await post(`/v2/alerts/${before.id}/acknowledge`);
      assert.equal(byId.statusCode, 202, byId.body);
      assert.deepEqual(opsgenieOf(byId), ACCEPTED);
      assert.deepEqual(await alertByAlias('ack-me'), before);
      assert.equal(await alertCount(), count);
    });

    it('keeps a __proto__ detail as a plain label', async () => {
      const raw = '{"message":"proto","alias":"proto-1","details":{"__proto__":"x","constructor":"y","service":"search"}}';
      const res = await post('/v2/alerts', raw);
      assert.equal(res.statusCode, 202, res.body);
      const alert = await alertByAlias('proto-1');
      assert.deepEqual(Object.entries(alert.labels), [
        ['__proto__', 'x'],
        ['constructor', 'y'],
        ['service', 'search'],
      ]);
      assert.deepEqual([alert.senderService, alert.service], ['search', null]);
      assert.equal(({} as Record<string, unknown>).x, undefined);
    });

    it("refuses every bad input in Opsgenie's shape, with its status, and writes nothing", async () => {
      assert.equal((await post('/v2/alerts', { message: 'other', alias: 'keep-firing' })).statusCode, 202);
      const firing = await alertByAlias('keep-firing');
      const revoked = await createIntegration(t.deps, { type: 'opsgenie', name: 'old' });
      await revokeIntegration(t.deps, revoked.id);
      const generic = (await createIntegration(t.deps, { type: 'generic', name: 'scripts' })).token!;
      const other = await createIntegration(t.deps, { type: 'opsgenie', name: 'other' });
      const ok = { message: 'm', alias: 'never-stored' };
      const count = await alertCount();
      const incidents = (await t.call('GET', '/api/v1/incidents')).json().items.length;

      const cases: [string, string, unknown, Record<string, string>, number, Record<string, unknown>][] = [
        ['missing message', '/v2/alerts', { alias: 'x' }, genie(), 422, unprocessable({ message: 'Message can not be empty.' })],
        ['bad priority', '/v2/alerts', { ...ok, priority: 'P9' }, genie(), 422, unprocessable({ priority: 'should be one of [ P1, P2, P3, P4, P5 ]' })],
        ['not JSON', '/v2/alerts', '{nope', genie(), 422, unprocessable({ body: 'is not valid JSON' })],
        ['no body', '/v2/alerts', undefined, genie(), 422, unprocessable({ body: 'is required' })],
        ['a list', '/v2/alerts', [ok], genie(), 422, unprocessable({ body: 'should be a JSON object' })],
        [
          'bad identifierType',
          '/v2/alerts/keep-firing/close?identifierType=name',
          {},
          genie(),
          422,
          unprocessable({ identifierType: 'should be one of [ id, alias, tiny ]' }),
        ],
        [
          'tiny',
          '/v2/alerts/42/close?identifierType=tiny',
          {},
          genie(),
          422,
          unprocessable({ identifierType: 'tiny ids are not supported: close or acknowledge by id or alias' }),
        ],
        [
          'tiny acknowledge',
          '/v2/alerts/42/acknowledge?identifierType=tiny',
          undefined,
          genie(),
          422,
          unprocessable({ identifierType: 'tiny ids are not supported: close or acknowledge by id or alias' }),
        ],
        ['unknown query', '/v2/alerts/keep-firing/close?identifierType=alias&x=1', {}, genie(), 422, unprocessable({ x: 'is not allowed' })],
        ['unknown query on create', '/v2/alerts?x=1', { message: 'Checkout down' }, genie(), 422, unprocessable({ x: 'is not allowed' })],
        ['bad close body', '/v2/alerts/keep-firing/close?identifierType=alias', { note: 7 }, genie(), 422, unprocessable({ note: 'should be a string' })],
        ['unknown id', '/v2/alerts/nope/close', {}, genie(), 404, { message: 'Alert with id [nope] does not exist' }],
        ['unknown id, acknowledge', '/v2/alerts/nope/acknowledge', {}, genie(), 404, { message: 'Alert with id [nope] does not exist' }],
        [
          "another integration's alert",
          `/v2/alerts/${firing.id}/close?identifierType=id`,
          {},
          genie(other.apiKey),
          404,
          { message: `Alert with id [${firing.id}] does not exist` },
        ],
        ['bad key', '/v2/alerts', ok, genie('eb243592-faa2-4ba2-a551-1afdf565c889'), 401, UNAUTHENTICATED],
        ['revoked key', '/v2/alerts', ok, genie(revoked.apiKey), 401, UNAUTHENTICATED],
        ['no header', '/v2/alerts', ok, {}, 401, UNAUTHENTICATED],
        ['Bearer with the API key', '/v2/alerts', ok, { authorization: `Bearer ${key}` }, 401, UNAUTHENTICATED],
        ['Bearer with a generic token', '/v2/alerts', ok, { authorization: `Bearer ${generic}` }, 401, UNAUTHENTICATED],
        ['GenieKey with a generic token', '/v2/alerts', ok, genie(generic), 401, UNAUTHENTICATED],
        ['bad key, close', '/v2/alerts/keep-firing/close?identifierType=alias', {}, genie('nope'), 401, UNAUTHENTICATED],
        ['bad key before a bad body', '/v2/alerts', '{nope', { authorization: 'GenieKey' }, 401, UNAUTHENTICATED],
        ['heartbeat', '/v2/heartbeats/nightly-backup/ping', undefined, genie(), 404, { message: 'Heartbeat with name [nightly-backup] does not exist' }],
        ['heartbeat, bad key', '/v2/heartbeats/nightly-backup/ping', undefined, {}, 401, UNAUTHENTICATED],
      ];
      for (const [what, url, body, headers, status, expected] of cases) {
        const res = await post(url, body, headers);
        assert.equal(res.statusCode, status, `${what}: ${res.body}`);
        assert.deepEqual(opsgenieOf(res), expected, what);
        if (status === 401) assert.equal(res.headers['www-authenticate'], 'GenieKey', what);
      }
      const text = await t.app.inject({ method: 'POST', url: '/v2/alerts', headers: { ...genie(), 'content-type': 'text/plain' }, payload: 'm' });
      assert.equal(text.statusCode, 422);
      assert.deepEqual(opsgenieOf(text), unprocessable({ 'headers.content-type': 'must be application/json' }));
      const big = await post('/v2/alerts', { message: 'm', description: 'd'.repeat(1_100_000) });
      assert.equal(big.statusCode, 413);
      assert.deepEqual(opsgenieOf(big), { message: 'The request body is too large.' });
      const ping = await t.app.inject({ method: 'GET', url: '/v2/heartbeats/nightly/ping', headers: genie() });
      assert.deepEqual([ping.statusCode, opsgenieOf(ping)], [404, { message: 'Heartbeat with name [nightly] does not exist' }]);

      assert.equal(await alertCount(), count);
      assert.equal((await t.call('GET', '/api/v1/incidents')).json().items.length, incidents);
      assert.deepEqual(await alertByAlias('keep-firing'), firing);
    });

    it('pings a Firebreak heartbeat of that name with any opsgenie key, answering PONG', async () => {
      const created = await t.call('POST', '/api/v1/heartbeats', { as: 'admin', body: { name: 'og-nightly', service: 'checkout', interval: '1h' } });
      assert.equal(created.statusCode, 201, created.body);
      for (const method of ['POST', 'GET'] as const) {
        const res = await t.app.inject({ method, url: '/v2/heartbeats/og-nightly/ping', headers: genie() });
        assert.equal(res.statusCode, 202, res.body);
        assert.deepEqual(opsgenieOf(res), { result: 'PONG - Heartbeat received' });
      }
      const [hb] = (await t.call('GET', '/api/v1/heartbeats', { as: 'viewer' })).json().items as { name: string; state: string; lastPingAt: string }[];
      assert.deepEqual([hb?.name, hb?.state, hb?.lastPingAt], ['og-nightly', 'up', NOW]);
      const refused = await t.app.inject({ method: 'POST', url: '/v2/heartbeats/og-nightly/ping', headers: genie('nope') });
      assert.deepEqual([refused.statusCode, opsgenieOf(refused)], [401, UNAUTHENTICATED]);
    });

    it('is not served by the web UI: unknown /v2 paths stay 404 problems', async () => {
      const res = await t.call('GET', '/v2/alerts', { as: 'anonymous' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(res.json().detail, 'There is no GET /v2/alerts.');
    });
  });
}
