import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { Agent as HttpsAgent } from 'node:https';
import { after, before, describe, it } from 'node:test';
import { change, event } from '@pagerduty/pdjs';
import { Agent, request } from 'undici';
import { EXAMPLE_CATALOG_YAML } from '../../src/domain/catalog/catalog.fixture.js';
import { selfSignedCert, type SelfSigned } from '../support/tls-cert.js';
import { startServerProcess, type ServerProcess } from './server.js';

/**
 * The official PagerDuty JS client, @pagerduty/pdjs, against Firebreak serving HTTPS itself. pdjs builds
 * `https://${server}/v2/enqueue` (and `/v2/change/enqueue`) and has no way to speak plain HTTP, so it is
 * what a sender that only speaks HTTPS sees. Its fetch (node-fetch) takes an `agent`: one that trusts the
 * test's self-signed certificate, and nothing else.
 */

const ANSWER_TIMEOUT_MS = 10_000;

type EventParameters = Parameters<typeof event>[0];
type EventResponse = Awaited<ReturnType<typeof event>>;

interface Answer<T> {
  status: number;
  body: T;
}

describe('HTTPS: the official PagerDuty client against Firebreak', { timeout: 60_000 }, () => {
  let tls: SelfSigned;
  let server: ServerProcess;
  let agent: HttpsAgent;
  let dispatcher: Agent;
  let adminToken: string;
  let routingKey: string;
  let pdServer: string;

  /** A JSON call to the API over HTTPS, trusting only the test's certificate. */
  const api = async <T = Record<string, unknown>>(method: 'GET' | 'POST' | 'PUT', path: string, body?: string, type = 'application/json') => {
    const res = await request(server.url + path, {
      method,
      dispatcher,
      headers: { authorization: `Bearer ${adminToken}`, ...(body !== undefined && { 'content-type': type }) },
      body,
      headersTimeout: ANSWER_TIMEOUT_MS,
      bodyTimeout: ANSWER_TIMEOUT_MS,
    });
    return { status: res.statusCode, body: (await res.body.json()) as T } satisfies Answer<T>;
  };

  /** pdjs's own options: the `server` it puts after https://, our agent, no retries on 429 to wait for. */
  const viaPdjs = (data: unknown, extra: Record<string, unknown> = {}) =>
    ({
      server: pdServer,
      data,
      agent,
      retryCount: 0,
      // pdjs arms a timer of requestTimeout it clears only on success; 0 arms none, the signal bounds the wait.
      requestTimeout: 0,
      signal: AbortSignal.timeout(ANSWER_TIMEOUT_MS),
      ...extra,
    }) as unknown as EventParameters;

  before(async () => {
    tls = selfSignedCert();
    agent = new HttpsAgent({ ca: tls.cert, keepAlive: false });
    dispatcher = new Agent({ connect: { ca: tls.cert } });
    adminToken = `e2e-tls-${randomBytes(18).toString('hex')}`;
    server = await startServerProcess({ FIREBREAK_TLS_CERT: tls.certPath, FIREBREAK_TLS_KEY: tls.keyPath, FIREBREAK_ADMIN_TOKEN: adminToken });
    pdServer = new URL(server.url).host;
    const catalog = await api('PUT', '/api/v1/catalog', EXAMPLE_CATALOG_YAML, 'application/yaml');
    assert.equal(catalog.status, 200, JSON.stringify(catalog.body));
    const created = await api<{ routingKey: string; endpoints: string[] }>('POST', '/api/v1/integrations', JSON.stringify({ type: 'pagerduty', name: 'pdjs' }));
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(created.body.endpoints, ['/v2/enqueue', '/v2/change/enqueue']);
    routingKey = created.body.routingKey;
  });

  after(async () => {
    await server?.stop();
    agent?.destroy();
    await dispatcher?.close();
    tls?.remove();
  });

  it('listens on https:// and serves nothing in plain HTTP', async () => {
    assert.match(server.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(server.output(), /Firebreak listening on https:\/\/127\.0\.0\.1:\d+\n/);
    const ready = await api('GET', '/readyz');
    assert.equal(ready.status, 200, JSON.stringify(ready.body));
    assert.equal(ready.body.status, 'ready');
    // The same port in plain HTTP gets no answer that carries data.
    const plain = await request(server.url.replace('https://', 'http://') + '/readyz', { headersTimeout: ANSWER_TIMEOUT_MS }).then(
      (r) => r.statusCode,
      (err: unknown) => (err as { code?: string }).code ?? 'error',
    );
    assert.notEqual(plain, 200);
  });

  it('refuses pdjs when it does not trust the certificate (TLS is verified, not skipped)', async () => {
    const untrusting = new HttpsAgent({ keepAlive: false });
    try {
      await assert.rejects(
        event(viaPdjs({ routing_key: routingKey, event_action: 'trigger', payload: { summary: 'never', source: 'x', severity: 'info' } }, { agent: untrusting })),
        (err: { code?: string; message?: string }) => /SELF_SIGNED|self.signed|certificate/i.test(`${err.code} ${err.message}`),
      );
    } finally {
      untrusting.destroy();
    }
  });

  it('takes a trigger and its resolve from pdjs event(): an incident is declared, the alert resolved', async () => {
    const dedupKey = `pdjs/${randomBytes(4).toString('hex')}`;
    const trigger: EventResponse = await event(
      viaPdjs({
        routing_key: routingKey,
        event_action: 'trigger',
        dedup_key: dedupKey,
        payload: {
          summary: 'Checkout 5xx above 5% for 5 minutes',
          source: 'checkout-prod-1',
          severity: 'critical',
          custom_details: { service: 'checkout', ratio: 0.07 },
        },
      }),
    );
    assert.equal(trigger.status, 202);
    assert.deepEqual(trigger.data, { status: 'success', message: 'Event processed', dedup_key: dedupKey });

    type Alert = { dedupKey: string; status: string; service: string | null; incident: string | null; summary: string; source: string };
    const alertsOf = async () => (await api<{ items: Alert[] }>('GET', '/api/v1/alerts')).body.items.filter((a) => a.dedupKey.endsWith(`:${dedupKey}`));
    const [firing] = await alertsOf();
    assert.deepEqual(
      firing && [firing.status, firing.service, firing.summary, firing.source],
      ['firing', 'checkout', 'Checkout 5xx above 5% for 5 minutes', 'pagerduty'],
    );
    assert.match(firing!.incident ?? '', /^INC-\d+$/, 'a critical alert on a tier-1 service declares an incident');
    const incident = await api<{ services: string[]; alertCounts: { total: number } }>('GET', `/api/v1/incidents/${firing!.incident}`);
    assert.equal(incident.status, 200, JSON.stringify(incident.body));
    assert.deepEqual([incident.body.services, incident.body.alertCounts.total], [['checkout'], 1]);

    const resolved = await event(viaPdjs({ routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey }));
    assert.deepEqual([resolved.status, resolved.data], [202, { status: 'success', message: 'Event processed', dedup_key: dedupKey }]);
    const after = await alertsOf();
    assert.deepEqual(after.map((a) => [a.status, a.incident]), [['resolved', firing!.incident]], 'the same alert, resolved, still on its incident');
  });

  it('takes a change event from pdjs change() as a deploy', async () => {
    const version = `v1.${randomBytes(2).readUInt16BE()}`;
    const res = await change(
      viaPdjs({
        routing_key: routingKey,
        payload: {
          summary: `Deploy checkout ${version} to prod`,
          source: 'checkout',
          timestamp: new Date().toISOString(),
          custom_details: { version, sha: 'f95f852', environment: 'production' },
        },
        links: [{ href: 'https://ci.example/run/220', text: 'CI run' }],
      }),
    );
    assert.deepEqual([res.status, res.data], [202, { status: 'success', message: 'Change event processed' }]);
    const deploys = await api<{ items: { source: string; service: string; version: string; commitSha: string; status: string; url: string }[] }>(
      'GET',
      '/api/v1/deploys?service=checkout',
    );
    assert.equal(deploys.status, 200, JSON.stringify(deploys.body));
    const mine = deploys.body.items.filter((d) => d.version === version);
    assert.deepEqual(
      mine.map((d) => [d.source, d.service, d.commitSha, d.status, d.url]),
      [['pagerduty', 'checkout', 'f95f852', 'succeeded', 'https://ci.example/run/220']],
    );
  });

  it('answers a wrong routing key in PagerDuty\'s shape over HTTPS', async () => {
    const res = await event(viaPdjs({ routing_key: 'e93facc04764012d7bfb002500d5d1a6', event_action: 'trigger', payload: { summary: 's', source: 'x', severity: 'info' } }));
    assert.equal(res.status, 400);
    assert.deepEqual(res.data, { status: 'invalid event', message: 'Event object is invalid', errors: ['Invalid routing key'] });
  });
});
