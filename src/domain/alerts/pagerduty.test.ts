import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  pagerDutyAccepted,
  pagerDutyInvalid,
  pagerDutyRoutingKey,
  pagerDutyUnrecognized,
  parsePagerDutyEvent,
} from './index.js';
import { plain, RECEIVED, validationErrors } from './test-kit.js';

const KEY = 'e93facc04764012d7bfb002500d5d1a6';
const ctx = { receivedAt: RECEIVED, newId: () => 'generated-1', integrationId: 'int-7' };
const errorsOf = (body: unknown) => validationErrors(() => parsePagerDutyEvent(body, ctx));

// PagerDuty's documented Events API v2 trigger example, verbatim.
const TRIGGER = {
  routing_key: KEY,
  event_action: 'trigger',
  dedup_key: 'srv01/mysql',
  payload: {
    summary: 'DISK at 99% on prod-datapipe03',
    source: 'prod-datapipe03.example.com',
    severity: 'critical',
    timestamp: '2015-07-17T08:42:58.315+0000',
    component: 'mysql',
    group: 'prod-datapipe',
    class: 'disk',
    custom_details: { 'free space': '1%' },
  },
};
const withPayload = (patch: Record<string, unknown>) => ({ ...TRIGGER, payload: { ...TRIGGER.payload, ...patch } });

describe('parsePagerDutyEvent', () => {
  it('reads the documented trigger, scoping the alert key by integration, never by the routing key', () => {
    const e = parsePagerDutyEvent(TRIGGER, ctx);
    assert.equal(e.action, 'trigger');
    if (e.action !== 'trigger') return;
    assert.deepEqual([e.routingKey, e.dedupKey, e.alertKey], [KEY, 'srv01/mysql', 'pd:int-7:srv01/mysql']);
    assert.deepEqual(plain(e.alert), {
      source: 'pagerduty',
      dedupKey: 'pd:int-7:srv01/mysql',
      status: 'firing',
      service: null,
      summary: 'DISK at 99% on prod-datapipe03',
      severity: 'critical',
      signal: 'saturation',
      labels: {
        source: 'prod-datapipe03.example.com',
        component: 'mysql',
        group: 'prod-datapipe',
        class: 'disk',
        severity: 'critical',
      },
      annotations: { 'free space': '1%', summary: 'DISK at 99% on prod-datapipe03' },
      startsAt: '2015-07-17T08:42:58.315Z',
      endsAt: null,
      generatorURL: null,
      receivedAt: RECEIVED,
    });
    assert.ok(!JSON.stringify(e.alert).includes(KEY));
  });

  it('maps any severity word: critical, P1, SEV-2, and unknown words as error', () => {
    const severity = (word: string) => {
      const e = parsePagerDutyEvent(withPayload({ severity: word }), ctx);
      return e.action === 'trigger' ? [e.alert.severity, e.alert.labels.severity] : [];
    };
    assert.deepEqual(
      ['critical', 'P1', 'SEV-2', 'warning', 'info', 'Disaster'].map(severity),
      [
        ['critical', 'critical'],
        ['critical', 'P1'],
        ['error', 'SEV-2'],
        ['warning', 'warning'],
        ['info', 'info'],
        ['error', 'Disaster'],
      ],
    );
  });

  it('keeps custom_details given as a string or an object, and generates a missing dedup_key', () => {
    const { dedup_key: _, ...noKey } = withPayload({ custom_details: 'free space: 1%', timestamp: undefined });
    const e = parsePagerDutyEvent(noKey, ctx);
    assert.ok(e.action === 'trigger');
    assert.deepEqual([e.dedupKey, e.alertKey, e.alert.startsAt], ['generated-1', 'pd:int-7:generated-1', RECEIVED]);
    assert.deepEqual({ ...e.alert.annotations }, { details: 'free space: 1%', summary: TRIGGER.payload.summary });
    const nested = parsePagerDutyEvent(withPayload({ custom_details: { n: 3, deep: { a: [1] }, service: 'search' } }), ctx);
    assert.ok(nested.action === 'trigger');
    assert.deepEqual({ ...nested.alert.annotations }, {
      n: '3',
      deep: '{"a":[1]}',
      service: 'search',
      summary: TRIGGER.payload.summary,
    });
    assert.equal(nested.alert.service, 'search');
  });

  it('reads acknowledge and resolve by dedup_key; neither carries an alert to create', () => {
    const ack = { routing_key: KEY, dedup_key: 'srv01/mysql', event_action: 'acknowledge' };
    assert.deepEqual(parsePagerDutyEvent(ack, ctx), {
      action: 'acknowledge',
      routingKey: KEY,
      dedupKey: 'srv01/mysql',
      alertKey: 'pd:int-7:srv01/mysql',
    });
    assert.deepEqual(parsePagerDutyEvent({ ...ack, event_action: 'resolve', payload: { summary: 42 } }, ctx), {
      action: 'resolve',
      routingKey: KEY,
      dedupKey: 'srv01/mysql',
      alertKey: 'pd:int-7:srv01/mysql',
      alert: {
        source: 'pagerduty',
        dedupKey: 'pd:int-7:srv01/mysql',
        status: 'resolved',
        endsAt: RECEIVED,
        receivedAt: RECEIVED,
      },
    });
  });

  it("reads Alertmanager's pagerduty_configs body, lifting the labels its firing alerts share", () => {
    const body = {
      routing_key: KEY,
      dedup_key: 'a'.repeat(64),
      event_action: 'trigger',
      payload: {
        summary: '[FIRING:1] HighLatency (checkout critical)',
        source: 'Alertmanager',
        severity: 'error',
        custom_details: {
          firing: [
            {
              labels: { alertname: 'HighLatency', service: 'checkout', severity: 'critical' },
              annotations: { summary: 'p99 > 2s' },
              startsAt: '2024-05-01T10:00:00Z',
            },
          ],
          num_firing: 1,
          num_resolved: 0,
          resolved: [],
        },
      },
      client: 'Alertmanager',
      client_url: 'http://am:9093/#/alerts?receiver=irp',
    };
    const e = parsePagerDutyEvent(body, ctx);
    assert.ok(e.action === 'trigger');
    assert.deepEqual(
      [e.alert.service, e.alert.severity, e.alert.signal, e.alert.generatorURL],
      ['checkout', 'error', 'latency', 'http://am:9093/#/alerts?receiver=irp'],
    );
    assert.deepEqual({ ...e.alert.labels }, {
      source: 'Alertmanager',
      severity: 'critical',
      alertname: 'HighLatency',
      service: 'checkout',
    });
    assert.equal(e.alert.annotations.num_firing, '1');
    const resolve = parsePagerDutyEvent({ ...body, event_action: 'resolve' }, ctx);
    assert.deepEqual([resolve.action, resolve.alertKey], ['resolve', `pd:int-7:${'a'.repeat(64)}`]);
  });

  it('refuses with PagerDuty-worded errors: a 31-character routing key, an ack without dedup_key', () => {
    assert.deepEqual(errorsOf({ ...TRIGGER, routing_key: KEY.slice(1) }), [
      { path: 'body.routing_key', message: "Length of 'routing_key' is incorrect (should be 32 characters)" },
    ]);
    assert.deepEqual(errorsOf({ routing_key: KEY, event_action: 'acknowledge' }), [
      { path: 'body.dedup_key', message: "'dedup_key' is missing or blank" },
    ]);
    assert.deepEqual(errorsOf({ event_action: 'snooze', dedup_key: 'x'.repeat(256) }), [
      { path: 'body.routing_key', message: "'routing_key' is missing or blank" },
      { path: 'body.event_action', message: "'event_action' is invalid (must be one of: trigger, acknowledge, resolve)" },
      { path: 'body.dedup_key', message: "Length of 'dedup_key' is incorrect (should be at most 255 characters)" },
    ]);
    assert.deepEqual(errorsOf({ routing_key: KEY, event_action: 'trigger' }), [
      { path: 'body.payload', message: "'payload' is missing or blank" },
    ]);
    assert.deepEqual(
      errorsOf(
        withPayload({ summary: 's'.repeat(1_025), source: ' ', severity: 3, timestamp: 'soon', component: 'a\u0000' }),
      ),
      [
        { path: 'body.payload.source', message: "'payload.source' is missing or blank" },
        { path: 'body.payload.severity', message: "'payload.severity' must be a string" },
        { path: 'body.payload.component', message: "'payload.component' must not contain NUL (\\u0000)" },
        {
          path: 'body.payload.timestamp',
          message: "'payload.timestamp' is invalid (expected ISO 8601, like 2015-07-17T08:42:58.315+0000)",
        },
      ],
    );
    assert.deepEqual(errorsOf('trigger'), [{ path: 'body', message: "'event' must be a JSON object" }]);
  });

  it('keeps a trigger over the limits, cut and marked, and reads a zero or far-future timestamp as unset', () => {
    const details = Object.fromEntries([
      ...Array.from({ length: 70 }, (_, i) => [`d${i}`, i === 0 ? 'x'.repeat(5_000) : 'v']),
      ['tab\tkey', 'v'],
      ['service', 'search'],
    ]);
    const e = parsePagerDutyEvent(
      withPayload({ summary: 's'.repeat(2_000), timestamp: '0001-01-01T00:00:00Z', custom_details: details }),
      ctx,
    );
    assert.ok(e.action === 'trigger');
    const cut = [
      'payload.summary: cut to 1,024 characters',
      'payload.custom_details: 1 key dropped (empty, or with control characters or unpaired surrogates)',
      'payload.custom_details: 8 of 71 dropped (limit 63)',
      'payload.custom_details.d0: cut to 4,096 characters',
    ];
    assert.deepEqual(e.alert.truncated, cut);
    assert.deepEqual(
      [e.alert.summary.length, e.alert.service, e.alert.annotations.service, e.alert.annotations.d61, e.alert.annotations.d62],
      [1_024, 'search', 'search', 'v', undefined],
    );
    assert.deepEqual(
      [e.alert.annotations['firebreak.truncated'], e.alert.annotations['firebreak.time'], e.alert.startsAt, e.alert.startsAtUnset],
      [cut.join('; '), 'payload.timestamp 0001-01-01T00:00:00Z read as unset (Go zero time); receivedAt used', RECEIVED, true],
    );
    const ahead = parsePagerDutyEvent(withPayload({ timestamp: '2026-11-28T00:00:00+0000' }), ctx);
    assert.ok(ahead.action === 'trigger');
    assert.deepEqual([ahead.alert.startsAt, ahead.alert.truncated], [RECEIVED, undefined]);
    assert.equal(
      ahead.alert.annotations['firebreak.time'],
      'payload.timestamp 2026-11-28T00:00:00+0000 read as unset (more than a day after receivedAt); receivedAt used',
    );
  });

  it('tolerates images, links, client and unknown fields, and ignores a bad link', () => {
    const e = parsePagerDutyEvent(
      {
        ...TRIGGER,
        images: [{ src: 'https://img.example/x.png' }],
        links: [{ href: 'ftp://nope' }, { href: 'https://runbook.example/disk', text: 'runbook' }],
        client: 'Sample Monitoring Service',
        client_url: 'javascript:alert(1)',
        payload: { ...TRIGGER.payload, extra: true },
        brand_new: 1,
      },
      ctx,
    );
    assert.ok(e.action === 'trigger');
    assert.equal(e.alert.generatorURL, 'https://runbook.example/disk');
  });

  it('reads the routing key before parsing only when it is well formed', () => {
    assert.deepEqual(
      [pagerDutyRoutingKey(TRIGGER), pagerDutyRoutingKey({ routing_key: 'short' }), pagerDutyRoutingKey(null)],
      [KEY, null, null],
    );
  });
});

describe('PagerDuty response bodies', () => {
  it("answers with PagerDuty's exact bodies", () => {
    assert.deepEqual(pagerDutyAccepted('srv01/mysql'), {
      status: 'success',
      message: 'Event processed',
      dedup_key: 'srv01/mysql',
    });
    assert.deepEqual(pagerDutyAccepted('k', ['payload.summary: cut to 1,024 characters']), {
      status: 'success',
      message: 'Event processed',
      dedup_key: 'k',
      truncated: ['payload.summary: cut to 1,024 characters'],
    });
    assert.deepEqual(pagerDutyInvalid(["Length of 'routing_key' is incorrect (should be 32 characters)"]), {
      status: 'invalid event',
      message: 'Event object is invalid',
      errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"],
    });
    assert.deepEqual(pagerDutyUnrecognized(), {
      status: 'Unrecognized object',
      message: 'Event object format is unrecognized',
      errors: ['JSON parse error'],
    });
  });
});
