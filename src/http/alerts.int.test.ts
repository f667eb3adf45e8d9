import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { beforeEach, describe, it } from 'node:test';
import { parseCatalogYaml, validateCatalog } from '../domain/catalog/index.js';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import { fixture } from '../domain/alerts/test-kit.js';
import { createIntegration } from '../service/integrations.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { alertCount as alertCountOf, alertVariants, timelineTypes as timelineTypesOf, useAlertTestApp } from './alert-ingest.test-kit.js';
import { invalidRequest, problem, problemOf, type TestApp } from './test-app.js';

const AM_FIRING = fixture('alertmanager-0.25-webhook-firing.json') as Record<string, unknown>;
const AM_RESOLVED = fixture('alertmanager-0.25-webhook-resolved.json') as Record<string, unknown>;

/** A catalog with checkout tier 1 and ledger tier 2 (auto-declare on critical) and search tier 3 (never). */
const CATALOG = `${EXAMPLE_CATALOG_YAML}---
apiVersion: firebreak/v1
kind: Service
metadata: { name: search }
spec:
  owner: payments
  tier: 3
  alertMatchers: [ { label: app, value: search } ]
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: ledger }
spec:
  owner: payments
  tier: 2
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: billing }
spec:
  owner: payments
  tier: 2
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: payroll }
spec:
  owner: payments
  tier: 2
`;

/** The app's clock: fixed, so receivedAt and every time read from it are exact. */
const NOW = '2026-11-27T02:00:00.000Z';

const invalidProblem = (detail: string, errors: { path: string; message: string }[]) =>
  problem(400, 'validation', detail, { errors });

const amAlert = (fingerprint: string, labels: Record<string, string>, status = 'firing', startsAt = '2026-11-27T01:00:00Z') => ({
  status,
  labels,
  annotations: { summary: `${labels.alertname ?? 'alert'} on ${labels.service ?? labels.app ?? 'nothing'}` },
  startsAt,
  endsAt: status === 'firing' ? '0001-01-01T00:00:00Z' : '2026-11-27T01:30:00Z',
  generatorURL: 'http://prometheus.example/graph',
  fingerprint,
});
const amBody = (alerts: unknown[], status = 'firing') => ({
  version: '4',
  groupKey: '{}:{alertname="X"}',
  truncatedAlerts: 0,
  status,
  receiver: 'firebreak',
  groupLabels: {},
  commonLabels: {},
  commonAnnotations: {},
  externalURL: 'http://alertmanager.example:9093',
  alerts,
});

for (const variant of alertVariants(adapters())) {
  describe(`alerts over HTTP (${variant.name})`, () => {
    let store: Store;
    let t: TestApp;
    let am: string;
    let grafana: { token: string; secret: string };
    let pd: string;
    let generic: string;

    useAlertTestApp(variant, NOW, (s, app) => {
      store = s;
      t = app;
    });

    beforeEach(async () => {
      if (am) return;
      const now = t.deps.clock.now();
      await store.transaction((tx) => tx.saveCatalog(validateCatalog(parseCatalogYaml(CATALOG)), 'test', now));
      am = (await createIntegration(t.deps, { type: 'alertmanager', name: 'prom' })).token!;
      const secret = 's'.repeat(70);
      grafana = { token: (await createIntegration(t.deps, { type: 'grafana', name: 'graf', secret })).token!, secret };
      pd = (await createIntegration(t.deps, { type: 'pagerduty', name: 'pd' })).routingKey!;
      generic = (await createIntegration(t.deps, { type: 'generic', name: 'scripts' })).token!;
    });

    const alertCount = () => alertCountOf(store);
    const timelineTypes = (id: string) => timelineTypesOf(t, id);

    it('declares an incident from a real Alertmanager 0.25 payload, then records "alerts cleared"', async () => {
      const res = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: AM_FIRING });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), { status: 'success', alerts: 1 });

      const [alert] = (await t.call('GET', '/api/v1/alerts?dedupKey=am:e16bb05203e639d1')).json().items;
      assert.equal(alert.status, 'firing');
      assert.equal(alert.service, 'checkout');
      assert.equal(alert.occurrences, 1);
      assert.match(alert.incident, /^INC-\d+$/);

      const incident = (await t.call('GET', `/api/v1/incidents/${alert.incident}`)).json();
      assert.equal(incident.title, '[checkout] 5xx rate 30% on checkout');
      assert.equal(incident.impact.statement, 'impact unconfirmed');
      assert.equal(incident.impact.confirmed, false);
      assert.equal(incident.severity, 'SEV2');
      assert.deepEqual(incident.services, ['checkout']);
      assert.deepEqual(
        incident.recentAlerts.map((a: { dedupKey: string; status: string }) => [a.dedupKey, a.status]),
        [['am:e16bb05203e639d1', 'firing']],
      );
      assert.deepEqual(incident.alertCounts, { firing: 1, resolved: 0, total: 1 });

      // Alertmanager re-sends the group on every change and repeat_interval: same episode, nothing new.
      const again = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: AM_FIRING });
      assert.equal(again.statusCode, 200);
      const after = (await t.call('GET', `/api/v1/incidents/${alert.incident}`)).json();
      assert.equal(after.version, incident.version);

      const resolved = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: AM_RESOLVED });
      assert.equal(resolved.statusCode, 200);
      const types = await timelineTypes(alert.incident);
      assert.deepEqual(types.slice(-2), ['AlertsRecorded', 'AlertsCleared']);
      const cleared = (await t.call('GET', `/api/v1/incidents/${alert.incident}`)).json();
      assert.equal(cleared.recentAlerts[0].status, 'resolved');
      assert.deepEqual(cleared.alertCounts, { firing: 0, resolved: 1, total: 1 });
    });

    it('attaches alerts of a service with an open incident, and leaves the rest in the inbox', async () => {
      const body = amBody([
        amAlert('aaaaaaaaaaaa0001', { alertname: 'Latency', service: 'checkout', severity: 'warning' }),
        amAlert('aaaaaaaaaaaa0002', { alertname: 'Slow', app: 'search', severity: 'critical' }),
        amAlert('aaaaaaaaaaaa0003', { alertname: 'Unknown', severity: 'critical' }),
      ]);
      const res = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body });
      assert.equal(res.statusCode, 200, res.body);
      const byKey = async (k: string) => (await t.call('GET', `/api/v1/alerts?dedupKey=am:${k}`)).json().items[0];
      const attached = await byKey('aaaaaaaaaaaa0001');
      const open = (await t.call('GET', '/api/v1/incidents?status=investigating&service=checkout')).json().items;
      assert.equal(attached.incident, open[0].id);
      // Linked to an incident that already existed, the alert is recorded as its sender's doing.
      const events = (await t.call('GET', `/api/v1/incidents/${open[0].id}/timeline`)).json().events as { type: string; actor: string; data?: { dedupKey?: string } }[];
      const linked = events.filter((e) => e.type === 'AlertsRecorded').at(-1);
      assert.equal(linked?.actor, 'integration:prom');
      assert.equal((await byKey('aaaaaaaaaaaa0002')).incident, null);
      assert.equal((await byKey('aaaaaaaaaaaa0002')).service, 'search');
      assert.equal((await byKey('aaaaaaaaaaaa0003')).service, null);

      const inbox = (await t.call('GET', '/api/v1/alerts?incident=none&status=firing')).json().items;
      assert.deepEqual(inbox.map((a: { dedupKey: string }) => a.dedupKey).sort(), ['am:aaaaaaaaaaaa0002', 'am:aaaaaaaaaaaa0003']);
    });

    it('attaches an inbox alert to an open incident by hand, and refuses what it must', async () => {
      const body = amBody([amAlert('abababababab0001', { alertname: 'Slowish', app: 'search', severity: 'warning' })]);
      await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body });
      const [alert] = (await t.call('GET', '/api/v1/alerts?dedupKey=am:abababababab0001')).json().items;
      assert.equal(alert.incident, null);
      const target = await t.declare({ title: 'Search is slow', services: ['search'] });
      const other = await t.declare({ title: 'Another search problem', services: ['search'] });

      const attach = (incident: string, b: unknown, as: 'responder' | 'viewer' = 'responder') =>
        t.call('POST', `/api/v1/incidents/${incident}/alerts`, { as, body: b });
      const viewer = await attach(target.id, { alertId: alert.id }, 'viewer');
      assert.equal(viewer.statusCode, 403);
      assert.deepEqual(problemOf(viewer), problem(403, 'forbidden', 'This needs the responder role; you have viewer.'));
      const missing = await t.call('POST', `/api/v1/incidents/${target.id}/alerts`, { body: { alertId: 'nope' } });
      assert.deepEqual([missing.statusCode, missing.json().detail], [404, 'Alert nope does not exist.']);
      assert.deepEqual(problemOf(missing), problem(404, 'not_found', 'Alert nope does not exist.'));
      const refusals: [string, unknown, Record<string, unknown>][] = [
        [target.id, {}, invalidRequest([{ path: 'body.alertId', message: 'is required' }])],
        [target.id, { alertId: alert.id, incident: target.id }, invalidRequest([{ path: 'body.incident', message: 'is not allowed' }])],
        [target.id, { alertId: '' }, invalidRequest([{ path: 'body.alertId', message: 'must not be empty' }])],
        ['INC-99999', { alertId: alert.id }, problem(404, 'not_found', 'Incident INC-99999 does not exist.')],
      ];
      for (const [incident, b, expected] of refusals) {
        const refused = await attach(incident, b);
        assert.equal(refused.statusCode, expected.status, refused.body);
        assert.deepEqual(problemOf(refused), expected);
      }
      assert.equal(await store.countEvents(target.number), target.version);
      assert.equal((await t.call('GET', `/api/v1/alerts/${alert.id}`)).json().incident, null);

      const res = await t.call('POST', `/api/v1/incidents/${target.id}/alerts`, { body: { alertId: alert.id } });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(
        res.json().recentAlerts.map((a: { id: string; status: string }) => [a.id, a.status]),
        [[alert.id, 'firing']],
      );
      assert.equal((await t.call('GET', `/api/v1/alerts/${alert.id}`)).json().incident, target.id);
      assert.deepEqual((await timelineTypes(target.id)).slice(-1), ['AlertsRecorded']);

      const taken = await t.call('POST', `/api/v1/incidents/${other.id}/alerts`, { body: { alertId: alert.id } });
      assert.equal(taken.statusCode, 409);
      assert.equal(taken.json().detail, `Alert ${alert.id} is linked to ${target.id}, which is still open.`);
      assert.deepEqual(problemOf(taken), problem(409, 'conflict', `Alert ${alert.id} is linked to ${target.id}, which is still open.`));
      assert.equal(await store.countEvents(other.number), other.version);

      const cancelled = await t.call('POST', `/api/v1/incidents/${other.id}/status`, { body: { to: 'cancelled', reason: 'duplicate' } });
      const closed = await t.call('POST', `/api/v1/incidents/${other.id}/alerts`, { body: { alertId: alert.id } });
      assert.equal(closed.statusCode, 422);
      assert.deepEqual(closed.json().unmet, [
        { code: 'incident_not_open', message: 'Alerts are attached to investigating or mitigated incidents only.' },
      ]);
      assert.deepEqual(
        problemOf(closed),
        problem(422, 'gate_unmet', `${other.id} is cancelled.`, {
          unmet: [{ code: 'incident_not_open', message: 'Alerts are attached to investigating or mitigated incidents only.' }],
        }),
      );
      assert.equal(await store.countEvents(other.number), cancelled.json().version);
      assert.equal((await t.call('GET', `/api/v1/alerts/${alert.id}`)).json().incident, target.id);
    });

    it('pages the inbox with a cursor, newest first', async () => {
      const alerts = Array.from({ length: 5 }, (_, i) =>
        amAlert(`bbbbbbbbbbbb000${i}`, { alertname: `Page${i}`, app: 'search', severity: 'info' }),
      );
      await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: amBody(alerts) });
      const seen: string[] = [];
      let cursor: string | null = null;
      type Page = { items: { dedupKey: string }[]; nextCursor: string | null };
      do {
        const page: Page = (await t.call('GET', `/api/v1/alerts?service=search&limit=2${cursor ? `&cursor=${cursor}` : ''}`)).json();
        seen.push(...page.items.map((a: { dedupKey: string }) => a.dedupKey));
        cursor = page.nextCursor;
      } while (cursor);
      const page0 = seen.filter((k) => k.startsWith('am:bbbb'));
      assert.deepEqual(page0, ['am:bbbbbbbbbbbb0004', 'am:bbbbbbbbbbbb0003', 'am:bbbbbbbbbbbb0002', 'am:bbbbbbbbbbbb0001', 'am:bbbbbbbbbbbb0000']);
      assert.equal(new Set(seen).size, seen.length);
    });

    it('refuses a wrong, revoked or wrongly typed token and records nothing', async () => {
      const before = await alertCount();
      const body = amBody([amAlert('cccccccccccc0001', { alertname: 'X', service: 'checkout' })]);
      for (const as of [{ token: 'fbi_wrong' }, { token: grafana.token }, 'viewer' as const, 'anonymous' as const]) {
        const res = await t.call('POST', '/api/v1/integrations/alertmanager', { as, body });
        assert.ok([401, 403].includes(res.statusCode), `${JSON.stringify(as)}: ${res.statusCode}`);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      }
      const revoked = await createIntegration(t.deps, { type: 'alertmanager', name: 'old' });
      await store.revokeIntegration(revoked.id, t.deps.clock.now());
      const res = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: revoked.token! }, body });
      assert.equal(res.statusCode, 401);
      assert.equal(res.json().detail, 'The token is not a live alertmanager integration token.');
      assert.equal(await alertCount(), before);
    });

    it('refuses malformed and hostile bodies with a clear 4xx and writes nothing', async () => {
      const before = await alertCount();
      const send = (payload: string | Buffer) =>
        t.app.inject({
          method: 'POST',
          url: '/api/v1/integrations/alertmanager',
          headers: { authorization: `Bearer ${am}`, 'content-type': 'application/json' },
          payload,
        });
      const cases: [string, string | Buffer, number, string][] = [
        ['not JSON', '{"version":"4",', 400, 'body: is not valid JSON'],
        ['invalid UTF-8', Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]), 400, 'body: is not valid UTF-8'],
        ['a 2 MB string', JSON.stringify(amBody([amAlert('dddddddddddd0001', { alertname: 'x'.repeat(2_000_000) })])), 413, ''],
        ['100,000 alerts', JSON.stringify({ ...amBody([]), alerts: Array.from({ length: 100_000 }, () => 0) }), 400, ''],
        ['an array body', '[]', 400, ''],
        ['a deep nest', '['.repeat(200_000) + ']'.repeat(200_000), 400, ''],
      ];
      for (const [name, payload, status, message] of cases) {
        const res = await send(payload);
        assert.equal(res.statusCode, status, `${name}: ${res.body.slice(0, 300)}`);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', name);
        if (message) {
          const errors = res.json().errors as { path: string; message: string }[];
          assert.equal(`${errors[0]?.path}: ${errors[0]?.message}`, message, name);
        }
      }
      assert.equal(await alertCount(), before);
    });

    it('keeps an alert with 80 labels, cut and marked, with the rest of its group, and says what was cut', async () => {
      const filler = Object.fromEntries(Array.from({ length: 77 }, (_, i) => [`l${String(i).padStart(2, '0')}`, 'v']));
      const wide = amAlert('a0a0a0a0a0a00001', { ...filler, alertname: 'Wide', app: 'search', severity: 'info' });
      const narrow = amAlert('a0a0a0a0a0a00002', { alertname: 'Narrow', app: 'search', severity: 'info' });
      const res = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: amBody([wide, narrow]) });
      assert.equal(res.statusCode, 200, res.body);
      const cut = ['labels: 16 of 80 dropped (limit 64)'];
      assert.deepEqual(res.json(), {
        status: 'success',
        alerts: 2,
        truncated: [{ index: 0, dedupKey: 'am:a0a0a0a0a0a00001', truncated: cut }],
      });
      const byKey = async (k: string) => (await t.call('GET', `/api/v1/alerts?dedupKey=am:${k}`)).json().items[0];
      const first = await byKey('a0a0a0a0a0a00001');
      assert.equal(Object.keys(first.labels).length, 64);
      assert.deepEqual([first.labels.alertname, first.labels.app, first.labels.severity, first.labels.l60, first.labels.l61], ['Wide', 'search', 'info', 'v', undefined]);
      assert.deepEqual([first.service, first.annotations['firebreak.truncated']], ['search', cut.join('; ')]);
      const second = await byKey('a0a0a0a0a0a00002');
      assert.deepEqual([second.service, second.annotations['firebreak.truncated']], ['search', undefined]);
    });

    it('rejects an alert without an identity alone and keeps the rest of its group, saying which and why', async () => {
      const kept = amAlert('a0a0a0a0a0a00003', { alertname: 'Kept', app: 'search', severity: 'info' });
      const { fingerprint: _, ...anonymous } = amAlert('a0a0a0a0a0a00004', { alertname: 'Nameless', app: 'search' });
      const mangled = { ...amAlert('a0a0a0a0a0a00005', { alertname: 'Mangled', app: 'search' }), startsAt: 'soon', labels: { alertname: 'Mangled', app: 'search', n: 7 } };
      const res = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: amBody([anonymous, kept, mangled]) });
      assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(res.json(), {
        status: 'success',
        alerts: 2,
        truncated: [{ index: 2, dedupKey: 'am:a0a0a0a0a0a00005', truncated: ['labels.n: dropped (expected a string)'] }],
        rejected: [{ index: 0, errors: [{ path: 'body.alerts[0].fingerprint', message: 'is required' }] }],
      });
      const byKey = async (k: string) => (await t.call('GET', `/api/v1/alerts?dedupKey=am:${k}`)).json().items[0];
      assert.equal((await byKey('a0a0a0a0a0a00003')).service, 'search');
      const m = await byKey('a0a0a0a0a0a00005');
      assert.deepEqual([m.startsAt, m.annotations['firebreak.time']], [m.receivedAt, 'startsAt soon read as unset (not an ISO-8601 date-time with a time zone); receivedAt used']);
      assert.equal(await byKey('a0a0a0a0a0a00004'), undefined);
    });

    it('keeps the stored generatorURL when a re-send omits it', async () => {
      const sent = amAlert('a1a1a1a1a1a10001', { alertname: 'Kept', app: 'search', severity: 'info' });
      await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: amBody([sent]) });
      const { generatorURL: _, ...bare } = sent;
      const res = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: amBody([bare]) });
      assert.equal(res.statusCode, 200, res.body);
      const [alert] = (await t.call('GET', '/api/v1/alerts?dedupKey=am:a1a1a1a1a1a10001')).json().items;
      assert.deepEqual([alert.generatorURL, alert.occurrences], ['http://prometheus.example/graph', 1]);

      const one = { dedupKey: 'fb-url', status: 'firing', summary: 'disk', severity: 'info', generatorURL: 'https://grafana.example/d/1' };
      await t.call('POST', '/api/v1/alerts', { as: { token: generic }, body: one });
      const { generatorURL: _url, ...without } = one;
      const repeat = await t.call('POST', '/api/v1/alerts', { as: { token: generic }, body: without });
      assert.deepEqual(repeat.json().items.map((i: { outcome: string }) => i.outcome), ['repeat']);
      const [stored] = (await t.call('GET', '/api/v1/alerts?dedupKey=fb-url')).json().items;
      assert.deepEqual([stored.generatorURL, stored.startsAt], ['https://grafana.example/d/1', NOW]);
    });

    it('refuses an envelope it cannot use, with the exact problem, and writes nothing', async () => {
      const before = await alertCount();
      const good = amAlert('a2a2a2a2a2a20001', { alertname: 'Good', app: 'search', severity: 'info' });
      const { fingerprint: _f, status: _s, ...anonymous } = good;
      const cases: [unknown, Record<string, unknown>][] = [
        [[good], invalidProblem('Not an Alertmanager webhook.', [{ path: 'body', message: 'expected an object' }])],
        [
          { ...amBody([good]), version: '3' },
          invalidProblem('Unsupported Alertmanager webhook version.', [
            { path: 'body.version', message: 'expected "4" (Alertmanager webhook payload version 4), got "3"' },
          ]),
        ],
        [
          { version: '4', receiver: 'firebreak' },
          invalidProblem('The Alertmanager webhook is not valid.', [
            { path: 'body.groupKey', message: 'is required' },
            { path: 'body.alerts', message: 'is required' },
          ]),
        ],
        [
          amBody(Array.from({ length: 1_001 }, () => good)),
          invalidProblem('The Alertmanager webhook is not valid.', [
            { path: 'body.alerts', message: 'expected at most 1,000 alerts per request, got 1,001' },
          ]),
        ],
        [
          amBody([anonymous]),
          invalidProblem('The Alertmanager webhook is not valid.', [
            { path: 'body.alerts[0].status', message: 'is required' },
            { path: 'body.alerts[0].fingerprint', message: 'is required' },
          ]),
        ],
      ];
      for (const [body, expected] of cases) {
        const res = await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(problemOf(res), expected);
      }
      assert.equal(await alertCount(), before);
    });

    it('keeps __proto__ labels as plain labels', async () => {
      const raw = `{"version":"4","groupKey":"g","status":"firing","receiver":"r","groupLabels":{},"commonLabels":{},"commonAnnotations":{},"externalURL":"","alerts":[{"status":"firing","labels":{"alertname":"Proto","__proto__":"x","constructor":"y","app":"search"},"annotations":{},"startsAt":"2026-11-27T01:00:00Z","endsAt":"0001-01-01T00:00:00Z","generatorURL":"","fingerprint":"eeeeeeeeeeee0001"}]}`;
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/integrations/alertmanager',
        headers: { authorization: `Bearer ${am}`, 'content-type': 'application/json' },
        payload: raw,
      });
      assert.equal(res.statusCode, 200, res.body);
      const [alert] = (await t.call('GET', '/api/v1/alerts?dedupKey=am:eeeeeeeeeeee0001')).json().items;
      assert.equal(alert.labels.__proto__, 'x');
      assert.equal(alert.labels.constructor, 'y');
      assert.equal(({} as Record<string, unknown>).x, undefined);
    });

    describe('Grafana', () => {
      const grafanaBody = (fp: string, envelope: Record<string, unknown> = {}, alert: Record<string, unknown> = {}) =>
        JSON.stringify({
          receiver: 'firebreak',
          status: 'firing',
          orgId: 1,
          version: '1',
          groupKey: '{}:{}',
          truncatedAlerts: 0,
          title: '[FIRING:1] (blue)',
          state: 'alerting',
          message: '**Firing**',
          externalURL: 'https://grafana.example/',
          groupLabels: {},
          commonLabels: { team: 'blue' },
          commonAnnotations: {},
          alerts: [
            {
              status: 'firing',
              labels: { alertname: 'High CPU', app: 'search' },
              annotations: {},
              startsAt: '2026-11-27T01:00:00Z',
              endsAt: '0001-01-01T00:00:00Z',
              generatorURL: 'https://grafana.example/alerting/x/edit',
              fingerprint: fp,
              silenceURL: 'https://grafana.example/alerting/silence/new',
              dashboardURL: '',
              panelURL: '',
              values: { B: 44.2 },
              ...alert,
            },
          ],
          ...envelope,
        });
      const sign = (body: string, prefix = '') => createHmac('sha256', grafana.secret).update(prefix + body).digest('hex');
      const send = (method: 'POST' | 'PUT', body: string, headers: Record<string, string>) =>
        t.app.inject({
          method,
          url: '/api/v1/integrations/grafana',
          headers: { authorization: `Bearer ${grafana.token}`, 'content-type': 'application/json', ...headers },
          payload: body,
        });

      it('accepts a signed POST or PUT, with or without a timestamp', async () => {
        const a = grafanaBody('ffffffffffff0001');
        assert.equal((await send('POST', a, { 'x-grafana-alerting-signature': sign(a) })).statusCode, 200);
        const b = grafanaBody('ffffffffffff0002');
        const ts = String(Date.parse(NOW) / 1000);
        const res = await send('PUT', b, { 'x-grafana-alerting-signature': sign(b, `${ts}:`), 'x-grafana-alerting-timestamp': ts });
        assert.equal(res.statusCode, 200, res.body);
        const keys = (await t.call('GET', '/api/v1/alerts?service=search')).json().items.map((x: { dedupKey: string }) => x.dedupKey);
        assert.ok(keys.includes('grafana:ffffffffffff0001') && keys.includes('grafana:ffffffffffff0002'), keys.join());
      });

      it("accepts an empty receiver and reads Go's zero startsAt as receivedAt: the incident starts then, not in year 1", async () => {
        const body = grafanaBody(
          'ffffffffffff0010',
          { receiver: '' },
          { startsAt: '0001-01-01T00:00:00Z', labels: { alertname: 'BillingDown', service: 'billing', severity: 'critical' } },
        );
        const res = await send('POST', body, { 'x-grafana-alerting-signature': sign(body) });
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json(), { status: 'success', alerts: 1 });
        const [alert] = (await t.call('GET', '/api/v1/alerts?dedupKey=grafana:ffffffffffff0010')).json().items;
        assert.deepEqual([alert.startsAt, alert.receivedAt], [NOW, NOW]);
        assert.equal(
          alert.annotations['firebreak.time'],
          'startsAt 0001-01-01T00:00:00Z read as unset (Go zero time); receivedAt used',
        );
        assert.match(alert.incident, /^INC-\d+$/);
        const incident = (await t.call('GET', `/api/v1/incidents/${alert.incident}`)).json();
        assert.equal(incident.milestones.startedAt, NOW);

        // Grafana re-sends the zero startsAt: the same episode, not a new occurrence each time.
        const again = await send('POST', body, { 'x-grafana-alerting-signature': sign(body) });
        assert.equal(again.statusCode, 200, again.body);
        const [after] = (await t.call('GET', '/api/v1/alerts?dedupKey=grafana:ffffffffffff0010')).json().items;
        assert.deepEqual([after.occurrences, after.startsAt], [1, NOW]);
      });

      it('refuses a Grafana envelope it cannot use, with the exact problem, and records nothing', async () => {
        const before = await alertCount();
        const cases: [string, Record<string, unknown>][] = [
          [
            grafanaBody('ffffffffffff0011', { version: '4' }),
            invalidProblem('Unsupported Grafana webhook version.', [
              {
                path: 'body.version',
                message:
                  'expected "1" (Grafana webhook payload version 1), got "4" (that is the Alertmanager payload version: send it to the Alertmanager integration)',
              },
            ]),
          ],
          [
            grafanaBody('ffffffffffff0012', {}, { fingerprint: undefined, status: undefined }),
            invalidProblem('The Grafana webhook is not valid.', [
              { path: 'body.alerts[0].status', message: 'is required' },
              { path: 'body.alerts[0].fingerprint', message: 'is required' },
            ]),
          ],
        ];
        for (const [body, expected] of cases) {
          const res = await send('POST', body, { 'x-grafana-alerting-signature': sign(body) });
          assert.equal(res.statusCode, 400, res.body);
          assert.deepEqual(problemOf(res), expected);
        }
        assert.equal(await alertCount(), before);
      });

      it('refuses a missing, wrong or stale signature and records nothing', async () => {
        const before = await alertCount();
        const body = grafanaBody('ffffffffffff0003');
        const old = String(Date.parse(NOW) / 1000 - 3600);
        const cases: [Record<string, string>, string][] = [
          [{}, 'The Grafana signature header X-Grafana-Alerting-Signature is missing.'],
          [{ 'x-grafana-alerting-signature': sign(body + ' ') }, 'The Grafana signature does not match.'],
          [{ 'x-grafana-alerting-signature': 'zz' }, 'The Grafana signature does not match.'],
          [
            { 'x-grafana-alerting-signature': sign(body, `${old}:`), 'x-grafana-alerting-timestamp': old },
            'The Grafana signature timestamp is missing, malformed or older than 5 minutes.',
          ],
        ];
        for (const [headers, detail] of cases) {
          const res = await send('POST', body, headers);
          assert.equal(res.statusCode, 401);
          assert.equal(res.json().detail, detail);
        }
        assert.equal(await alertCount(), before);
      });
    });

    describe('PagerDuty Events API v2', () => {
      const enqueue = (body: unknown) => t.call('POST', '/v2/enqueue', { as: 'anonymous', body });

      it('triggers, acknowledges and resolves by dedup_key, answering PagerDuty\'s bodies', async () => {
        const trigger = {
          routing_key: pd,
          event_action: 'trigger',
          dedup_key: 'srv01/mysql',
          payload: { summary: 'DISK at 99% on prod-datapipe03', source: 'prod-datapipe03', severity: 'warning', custom_details: 'free space 1%' },
        };
        const res = await enqueue(trigger);
        assert.equal(res.statusCode, 202);
        assert.deepEqual(res.json(), { status: 'success', message: 'Event processed', dedup_key: 'srv01/mysql' });
        const ack = await enqueue({ routing_key: pd, event_action: 'acknowledge', dedup_key: 'srv01/mysql' });
        assert.deepEqual([ack.statusCode, ack.json().dedup_key], [202, 'srv01/mysql']);
        const resolve = await enqueue({ routing_key: pd, event_action: 'resolve', dedup_key: 'srv01/mysql' });
        assert.equal(resolve.statusCode, 202);
        const stored = (await t.call('GET', '/api/v1/alerts?status=resolved')).json().items.filter((a: { summary: string }) =>
          a.summary.startsWith('DISK'),
        );
        assert.equal(stored.length, 1);
        assert.match(stored[0].dedupKey, /^pd:.+:srv01\/mysql$/);
      });

      it('keeps a trigger over the limits, answering PagerDuty\'s body plus what was cut', async () => {
        const res = await enqueue({
          routing_key: pd,
          event_action: 'trigger',
          dedup_key: 'wide/1',
          payload: { summary: 's'.repeat(1_500), source: 'x', severity: 'info', timestamp: '0001-01-01T00:00:00Z' },
        });
        assert.equal(res.statusCode, 202, res.body);
        const cut = ['payload.summary: cut to 1,024 characters'];
        assert.deepEqual(res.json(), { status: 'success', message: 'Event processed', dedup_key: 'wide/1', truncated: cut });
        const [alert] = (await t.call('GET', '/api/v1/alerts')).json().items.filter((a: { dedupKey: string }) => a.dedupKey.endsWith(':wide/1'));
        assert.deepEqual(
          [alert.summary.length, alert.startsAt, alert.annotations['firebreak.truncated'], alert.annotations['firebreak.time']],
          [1_024, NOW, cut[0], 'payload.timestamp 0001-01-01T00:00:00Z read as unset (Go zero time); receivedAt used'],
        );
      });

      it('generates a dedup key for a trigger without one', async () => {
        const res = await enqueue({
          routing_key: pd,
          event_action: 'trigger',
          payload: { summary: 'no key', source: 'x', severity: 'loud' },
        });
        assert.equal(res.statusCode, 202);
        const key = res.json().dedup_key as string;
        assert.ok(key.length > 8);
        const items = (await t.call('GET', '/api/v1/alerts')).json().items.filter((a: { dedupKey: string }) => a.dedupKey.endsWith(`:${key}`));
        assert.equal(items.length, 1);
      });

      it('answers 400 in PagerDuty\'s format and records nothing', async () => {
        const before = await alertCount();
        const bad = await enqueue('{nope');
        assert.equal(bad.statusCode, 400);
        assert.deepEqual(bad.json(), { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] });
        const text = await t.app.inject({ method: 'POST', url: '/v2/enqueue', headers: { 'content-type': 'text/plain' }, payload: 'hello' });
        assert.equal(text.statusCode, 400);
        assert.equal(text.headers['content-type'], 'application/json; charset=utf-8');
        assert.deepEqual(text.json(), { status: 'Unrecognized object', message: 'Event object format is unrecognized', errors: ['JSON parse error'] });
        const invalid = await enqueue({ routing_key: pd, event_action: 'trigger', payload: { source: 'x', severity: 'info' } });
        assert.equal(invalid.statusCode, 400);
        assert.deepEqual(invalid.json(), {
          status: 'invalid event',
          message: 'Event object is invalid',
          errors: ["'payload.summary' is missing or blank"],
        });
        const unknown = await enqueue({ routing_key: 'f'.repeat(32), event_action: 'trigger', payload: { summary: 's', source: 'x', severity: 'info' } });
        assert.equal(unknown.statusCode, 400);
        assert.deepEqual(unknown.json(), { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] });
        assert.equal(await alertCount(), before);
      });
    });

    describe('Firebreak JSON', () => {
      it('takes one alert or a batch, and refuses an empty batch or an unknown field', async () => {
        const one = { dedupKey: 'fb-1', status: 'firing', summary: 'queue depth high', severity: 'warning', labels: { app: 'search' } };
        const res = await t.call('POST', '/api/v1/alerts', { as: { token: generic }, body: one });
        assert.equal(res.statusCode, 202, res.body);
        assert.equal(res.json().items[0].outcome, 'new');
        const batch = await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: [{ ...one, dedupKey: 'fb-2' }, { ...one, dedupKey: 'fb-3' }] });
        assert.equal(batch.statusCode, 202, batch.body);
        assert.deepEqual(batch.json().items.map((i: { outcome: string }) => i.outcome), ['new', 'new']);

        const before = await alertCount();
        const empty = await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: [] });
        assert.equal(empty.statusCode, 400);
        assert.deepEqual(problemOf(empty), invalidProblem('The alerts are not valid.', [{ path: 'body', message: 'an empty batch has no alerts' }]));
        const unknown = await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: { ...one, dedupKey: 'fb-4', colour: 'red' } });
        assert.equal(unknown.statusCode, 400);
        assert.deepEqual(problemOf(unknown), invalidProblem('The alerts are not valid.', [{ path: 'body.colour', message: 'is not allowed' }]));
        const anonymous = await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: { ...one, dedupKey: undefined, status: undefined } });
        assert.deepEqual(
          problemOf(anonymous),
          invalidProblem('The alerts are not valid.', [
            { path: 'body.dedupKey', message: 'is required' },
            { path: 'body.status', message: 'is required' },
          ]),
        );
        const responder = await t.call('POST', '/api/v1/alerts', { as: 'responder', body: one });
        assert.equal(responder.statusCode, 403);
        assert.equal(await alertCount(), before);
      });

      it('keeps an alert over the limits, cut and marked, and says so per item', async () => {
        const annotations = Object.fromEntries(Array.from({ length: 66 }, (_, i) => [`a${i}`, 'x']));
        const body = [
          { dedupKey: 'fb-wide', status: 'firing', summary: 'wide', severity: 'info', annotations },
          { dedupKey: 'fb-narrow', status: 'firing', summary: 'narrow', severity: 'info' },
        ];
        const res = await t.call('POST', '/api/v1/alerts', { as: { token: generic }, body });
        assert.equal(res.statusCode, 202, res.body);
        const cut = ['annotations: 2 of 66 dropped (limit 64)'];
        assert.deepEqual(
          res.json().items.map((i: { dedupKey: string; outcome: string; truncated: string[] }) => [i.dedupKey, i.outcome, i.truncated]),
          [
            ['fb-wide', 'new', cut],
            ['fb-narrow', 'new', []],
          ],
        );
        const [alert] = (await t.call('GET', '/api/v1/alerts?dedupKey=fb-wide')).json().items;
        assert.deepEqual([alert.annotations.a63, alert.annotations.a64, alert.annotations['firebreak.truncated']], ['x', undefined, cut[0]]);
      });
    });

    it('counts committed alerts by sender and outcome, and the incidents they declare, on /metrics', async () => {
      const scrape = async () => (await t.call('GET', '/metrics', { as: 'viewer' })).body;
      const value = (text: string, series: string) => Number(new RegExp(`^${series.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? 0);
      const series = [
        'firebreak_alerts_total{source="firebreak",outcome="new"}',
        'firebreak_alerts_total{source="firebreak",outcome="repeat"}',
        'firebreak_alert_declarations_total{source="firebreak"}',
        'firebreak_alerts_total{source="alertmanager",outcome="new"}',
        'firebreak_alerts_total{source="alertmanager",outcome="resolve"}',
      ];
      const before = await scrape();

      const alerts = [
        { dedupKey: 'metrics-1', status: 'firing', summary: 'ledger writes fail', severity: 'critical', service: 'ledger', startsAt: '2026-11-27T01:00:00Z' },
        { dedupKey: 'metrics-2', status: 'firing', summary: 'search slow', severity: 'warning', labels: { app: 'search' }, startsAt: '2026-11-27T01:00:00Z' },
      ];
      const first = await t.call('POST', '/api/v1/alerts', { as: { token: generic }, body: alerts });
      assert.equal(first.statusCode, 202, first.body);
      assert.deepEqual(first.json().items.map((i: { declared: boolean }) => i.declared), [true, false]);
      assert.equal((await t.call('POST', '/api/v1/alerts', { as: { token: generic }, body: alerts })).statusCode, 202);
      const fired = amAlert('ae0001', { alertname: 'MetricsProbe', app: 'search', severity: 'info' });
      assert.equal((await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: amBody([fired]) })).statusCode, 200);
      const resolved = { ...fired, status: 'resolved' };
      assert.equal((await t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: amBody([resolved], 'resolved') })).statusCode, 200);

      const after = await scrape();
      assert.deepEqual(
        series.map((s) => value(after, s) - value(before, s)),
        [2, 2, 1, 1, 1],
      );
    });

    it('commits concurrent requests together and loses none', async () => {
      const before = await alertCount();
      const requests = Array.from({ length: 40 }, (_, r) =>
        t.call('POST', '/api/v1/integrations/alertmanager', {
          as: { token: am },
          body: amBody(
            Array.from({ length: 5 }, (_, i) =>
              amAlert(`9${String(r).padStart(7, '0')}${String(i).padStart(8, '0')}`, { alertname: `C${r}-${i}`, app: 'search', severity: 'info' }),
            ),
          ),
        }),
      );
      const answers = await Promise.all(requests);
      assert.deepEqual([...new Set(answers.map((a) => a.statusCode))], [200]);
      assert.equal(await alertCount(), before + 200);
    });

    it('records two requests on one incident in the order they came: the last alert resolving after a new one fired clears nothing', async () => {
      const post = (alerts: unknown[], status = 'firing') => t.call('POST', '/api/v1/integrations/alertmanager', { as: { token: am }, body: amBody(alerts, status) });
      const first = await post([amAlert('7a00000000000001', { alertname: 'PayrollDown', service: 'payroll', severity: 'critical' })]);
      assert.equal(first.statusCode, 200, first.body);
      const [y] = (await t.call('GET', '/api/v1/alerts?dedupKey=am:7a00000000000001')).json().items;
      assert.match(y.incident, /^INC-\d+$/);
      // Sent one after the other without waiting: x fires into the incident, then y, its only firing alert, resolves.
      const [a, b] = await Promise.all([
        post([amAlert('7a00000000000002', { alertname: 'PayrollSlow', service: 'payroll', severity: 'warning' })]),
        post([amAlert('7a00000000000001', { alertname: 'PayrollDown', service: 'payroll', severity: 'critical' }, 'resolved')], 'resolved'),
      ]);
      assert.deepEqual([a.statusCode, b.statusCode], [200, 200]);
      const incident = (await t.call('GET', `/api/v1/incidents/${y.incident}`)).json();
      assert.deepEqual(incident.alertCounts, { firing: 1, resolved: 1, total: 2 });
      assert.equal((await timelineTypes(y.incident)).includes('AlertsCleared'), false, 'x was firing when y resolved');
    });

    it("commits one alert's requests in the order they came while other alerts commit beside them", async () => {
      // Each re-fire of the alert is newer (a new occurrence); one committed out of order would be older
      // than the stored one and not count, and the last word would not be the last request's.
      const fingerprint = '8a7e000000000001';
      const at = (r: number) => new Date(Date.parse('2026-11-27T01:00:00Z') + r * 1_000).toISOString().replace('.000', '');
      const requests = Array.from({ length: 30 }, (_, r) =>
        t.call('POST', '/api/v1/integrations/alertmanager', {
          as: { token: am },
          body: amBody([
            amAlert(fingerprint, { alertname: 'Ordered', app: 'search', severity: 'info' }, 'firing', at(r)),
            amAlert(`8b${String(r).padStart(14, '0')}`, { alertname: `Beside${r}`, app: 'search', severity: 'info' }),
          ]),
        }),
      );
      const answers = await Promise.all(requests);
      assert.deepEqual([...new Set(answers.map((a) => a.statusCode))], [200]);
      const [stored] = await store.listAlerts({ dedupKey: `am:${fingerprint}`, limit: 1 });
      assert.deepEqual([stored?.occurrences, stored?.startsAt], [30, `${at(29).replace('Z', '')}.000Z`]);
    });
  });
}
