import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type NormalizedAlert, parseAlertmanager, parseGrafana } from './index.js';
import type { WebhookBatch } from './webhook.js';
import { fixture, plain, RECEIVED, validationErrors } from './test-kit.js';

const ctx = { receivedAt: RECEIVED };
const errorsOf = (body: unknown) => validationErrors(() => parseAlertmanager(body, ctx));

/** A batch whose every alert was kept (none rejected), typed as such. */
function kept(batch: WebhookBatch) {
  const alerts = batch.alerts.map((a) => {
    assert.ok(!('rejected' in a), `rejected: ${JSON.stringify(a)}`);
    return a;
  });
  return { ...batch, alerts };
}
const keptAm = (body: unknown, c: typeof ctx) => kept(parseAlertmanager(body, c));
const keptGrafana = (body: unknown, c: typeof ctx) => kept(parseGrafana(body, c));

// Alertmanager's documented webhook example, with the fields newer Alertmanagers add (v0.32
// notification_reason, v0.34 routeLabels).
const WIRE_AM = {
  version: '4',
  groupKey: '{}:{alertname="HighLatency"}',
  truncatedAlerts: 0,
  status: 'firing',
  receiver: 'irp',
  groupLabels: { alertname: 'HighLatency' },
  commonLabels: { alertname: 'HighLatency', service: 'checkout', severity: 'critical' },
  commonAnnotations: { summary: 'p99 > 2s' },
  externalURL: 'http://am:9093',
  notification_reason: 'first notification',
  routeLabels: { team: 'payments' },
  alerts: [
    {
      status: 'firing',
      labels: { alertname: 'HighLatency', service: 'checkout', severity: 'critical' },
      annotations: { summary: 'p99 > 2s' },
      startsAt: '2024-05-01T10:00:00Z',
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'http://prom:9090/graph?g0.expr=...',
      fingerprint: '1a30ba71cca2921f',
    },
  ],
};

const withAlert = (patch: Record<string, unknown>) => ({ ...WIRE_AM, alerts: [{ ...WIRE_AM.alerts[0], ...patch }] });

describe('parseAlertmanager', () => {
  const checkout: NormalizedAlert = {
    source: 'alertmanager',
    dedupKey: 'am:e16bb05203e639d1',
    status: 'firing',
    service: 'checkout',
    summary: '5xx rate 30% on checkout',
    severity: 'critical',
    signal: 'error_rate',
    labels: { alertname: 'CheckoutErrorRate', service: 'checkout', severity: 'critical' },
    annotations: { summary: '5xx rate 30% on checkout' },
    startsAt: '2026-11-26T23:47:16.000Z',
    endsAt: null,
    generatorURL: 'http://prometheus.example/graph',
    receivedAt: RECEIVED,
  };
  const group = {
    key: '{}:{alertname="CheckoutErrorRate", service="checkout"}',
    receiver: 'fb',
    status: 'firing',
    truncatedAlerts: 0,
    externalURL: 'http://alertmanager.example:9093',
  };

  it('reads the real Alertmanager 0.25 firing payload; the zero endsAt means "not ended"', () => {
    const batch = keptAm(fixture('alertmanager-0.25-webhook-firing.json'), ctx);
    assert.deepEqual(batch.alerts.map(plain), [checkout]);
    assert.deepEqual(batch.group, group);
  });

  it('reads the real resolved payload into the same dedupKey, with its end time', () => {
    const batch = keptAm(fixture('alertmanager-0.25-webhook-resolved.json'), ctx);
    assert.deepEqual(batch.alerts.map(plain), [{ ...checkout, status: 'resolved', endsAt: '2026-11-26T23:49:20.000Z' }]);
    assert.deepEqual(batch.group, { ...group, status: 'resolved' });
  });

  it('reads the documented example and ignores notification_reason, routeLabels and other extras', () => {
    const body = { ...WIRE_AM, somethingNew: { x: 1 }, alerts: [{ ...WIRE_AM.alerts[0], futureField: [1] }] };
    const [alert] = keptAm(body, ctx).alerts;
    assert.deepEqual(plain(alert!), {
      source: 'alertmanager',
      dedupKey: 'am:1a30ba71cca2921f',
      status: 'firing',
      service: 'checkout',
      summary: 'p99 > 2s',
      severity: 'critical',
      signal: 'latency',
      labels: { alertname: 'HighLatency', service: 'checkout', severity: 'critical' },
      annotations: { summary: 'p99 > 2s' },
      startsAt: '2024-05-01T10:00:00.000Z',
      endsAt: null,
      generatorURL: 'http://prom:9090/graph?g0.expr=...',
      receivedAt: RECEIVED,
    });
  });

  it('derives summary, severity, signal and service when labels and annotations are sparse', () => {
    const body = withAlert({
      labels: { alertname: 'NodeDiskFull', severity: 'SEV-3', signal: 'business' },
      annotations: { description: 'line one\n  line two' },
      generatorURL: 'javascript:alert(1)',
      endsAt: undefined,
    });
    const [a] = keptAm(body, ctx).alerts;
    assert.deepEqual(
      [a?.summary, a?.severity, a?.signal, a?.service, a?.generatorURL, a?.endsAt],
      ['line one line two', 'warning', 'business', null, null, null],
    );
    const [bare] = keptAm(withAlert({ labels: {}, annotations: undefined }), ctx).alerts;
    assert.deepEqual([bare?.summary, bare?.severity, bare?.signal], ['alert 1a30ba71cca2921f', 'error', 'other']);
  });

  it('refuses a body without alerts, listing every missing field', () => {
    assert.deepEqual(errorsOf({ version: '4' }), [
      { path: 'body.groupKey', message: 'is required' },
      { path: 'body.alerts', message: 'is required' },
    ]);
    assert.deepEqual(errorsOf({ ...WIRE_AM, alerts: { 0: WIRE_AM.alerts[0] } }), [
      { path: 'body.alerts', message: 'expected a list of alerts' },
    ]);
    assert.deepEqual(errorsOf({ ...WIRE_AM, alerts: [{}] }), [
      { path: 'body.alerts[0].status', message: 'is required' },
      { path: 'body.alerts[0].labels', message: 'is required' },
      { path: 'body.alerts[0].startsAt', message: 'is required' },
      { path: 'body.alerts[0].fingerprint', message: 'is required' },
    ]);
    assert.deepEqual(errorsOf([WIRE_AM]), [{ path: 'body', message: 'expected an object' }]);
  });

  it('refuses another payload version on that field alone', () => {
    assert.deepEqual(errorsOf({ ...WIRE_AM, version: '3', alerts: 'nope' }), [
      { path: 'body.version', message: 'expected "4" (Alertmanager webhook payload version 4), got "3"' },
    ]);
    assert.deepEqual(errorsOf({ ...WIRE_AM, version: 4 }), [
      { path: 'body.version', message: 'expected "4" (Alertmanager webhook payload version 4), got 4' },
    ]);
    assert.deepEqual(errorsOf({ ...WIRE_AM, version: '1' }), [
      {
        path: 'body.version',
        message:
          'expected "4" (Alertmanager webhook payload version 4), got "1" (that is the Grafana payload version: send it to the Grafana integration)',
      },
    ]);
    assert.deepEqual(errorsOf({ alerts: [] }), [
      { path: 'body.version', message: 'is required: Alertmanager webhooks carry version "4"' },
    ]);
  });

  it('refuses a group none of whose alerts has an identity, with every path', () => {
    assert.deepEqual(errorsOf(withAlert({ status: 'pending', fingerprint: 'not hex' })), [
      { path: 'body.alerts[0].status', message: 'expected one of firing, resolved' },
      { path: 'body.alerts[0].fingerprint', message: 'expected a hex fingerprint' },
    ]);
  });

  it('rejects an alert without an identity alone, in its place, and keeps the rest of its group', () => {
    const body = withAlert({ fingerprint: undefined });
    const { alerts } = parseAlertmanager({ ...body, alerts: [...body.alerts, { ...WIRE_AM.alerts[0], status: 'pending' }, WIRE_AM.alerts[0]] }, ctx);
    assert.deepEqual(alerts.slice(0, 2), [
      { source: 'alertmanager', dedupKey: '', rejected: [{ path: 'body.alerts[0].fingerprint', message: 'is required' }] },
      {
        source: 'alertmanager',
        dedupKey: 'am:1a30ba71cca2921f',
        rejected: [{ path: 'body.alerts[1].status', message: 'expected one of firing, resolved' }],
      },
    ]);
    assert.equal(alerts[2]?.dedupKey, 'am:1a30ba71cca2921f');
    assert.ok(alerts[2] && !('rejected' in alerts[2]));
  });

  it('keeps an alert over the limits, cut and marked: well-known labels first, then the sender order', () => {
    const filler = Array.from({ length: 77 }, (_, i) => [`l${i}`, 'v'] as const);
    const labels = { ...Object.fromEntries(filler), alertname: 'HighLatency', service: 'checkout', severity: 'critical' };
    const body = withAlert({
      fingerprint: 'ff01',
      labels: { ...labels, l0: 'v'.repeat(4_097) },
      annotations: { ['k'.repeat(257)]: 'v', description: 'd'.repeat(5_000) },
    });
    const [a, next] = keptAm({ ...body, alerts: [...body.alerts, WIRE_AM.alerts[0]] }, ctx).alerts;
    assert.deepEqual([next?.dedupKey, next?.truncated, next?.annotations['firebreak.truncated']], ['am:1a30ba71cca2921f', undefined, undefined]);
    const kept = [...filler.slice(0, 61).map(([k]) => k), 'alertname', 'service', 'severity'];
    assert.deepEqual(Object.keys(a!.labels), kept);
    assert.deepEqual([a?.service, a?.severity, a?.labels.l0], ['checkout', 'critical', `${'v'.repeat(4_095)}…`]);
    const cut = [
      'labels: 16 of 80 dropped (limit 64)',
      'labels.l0: cut to 4,096 characters',
      'annotations: 1 key over 256 characters dropped',
      'annotations.description: cut to 4,096 characters',
    ];
    assert.deepEqual(a?.truncated, cut);
    assert.deepEqual({ ...a?.annotations }, {
      description: `${'d'.repeat(4_095)}…`,
      'firebreak.truncated': cut.join('; '),
    });
    assert.equal(a?.summary.length, 1_024);
  });

  it('drops what cannot be kept (wrong types, NUL, unpaired surrogates, unusable keys, bad times) and says so', () => {
    const hostile: unknown = JSON.parse(
      JSON.stringify(
        withAlert({
          labels: { alertname: 'A', 'a\u0000b': 'x', ok: '\ud800', '': 'y', 'tab\tkey': 'z', severity: 2 },
          annotations: { a: ['x'], summary: 'kept' },
          endsAt: 'tomorrow',
        }),
      ),
    );
    const [a] = keptAm(hostile, ctx).alerts;
    assert.deepEqual({ ...a?.labels }, { alertname: 'A' });
    assert.deepEqual(a?.truncated, [
      'labels["a\\u0000b"]: dropped (must not contain NUL (\\u0000))',
      'labels.ok: dropped (must not contain unpaired UTF-16 surrogates)',
      'labels[""]: dropped (an empty key is not allowed)',
      'labels["tab\\tkey"]: dropped (keys must not contain control characters)',
      'labels.severity: dropped (expected a string)',
      'annotations.a: dropped (expected a string)',
    ]);
    assert.equal(a?.annotations.summary, 'kept');
    assert.equal(a?.annotations['firebreak.truncated'], a?.truncated?.join('; '));
    assert.equal(a?.annotations['firebreak.time'], 'endsAt tomorrow read as unset (not an ISO-8601 date-time with a time zone)');
    const [flat] = keptAm(withAlert({ annotations: 'not a map' }), ctx).alerts;
    assert.deepEqual(flat?.truncated, ['annotations: dropped (expected an object of strings)']);
  });

  it("reads Go's zero startsAt, a time before 2000 and one more than a day ahead as unset, and says so", () => {
    const [zero] = keptAm(withAlert({ startsAt: '0001-01-01T00:00:00Z' }), ctx).alerts;
    assert.deepEqual([zero?.startsAt, zero?.endsAt, zero?.startsAtUnset], [RECEIVED, null, true]);
    assert.equal(
      zero?.annotations['firebreak.time'],
      'startsAt 0001-01-01T00:00:00Z read as unset (Go zero time); receivedAt used',
    );
    const day = Date.parse(RECEIVED) + 86_400_000;
    const ahead = new Date(day + 1_000).toISOString();
    const [late] = keptAm(withAlert({ status: 'resolved', startsAt: '1970-01-01T00:00:00Z', endsAt: ahead }), ctx).alerts;
    assert.deepEqual([late?.startsAt, late?.endsAt], [RECEIVED, RECEIVED]);
    assert.equal(
      late?.annotations['firebreak.time'],
      `startsAt 1970-01-01T00:00:00Z read as unset (before 2000); receivedAt used; endsAt ${ahead} read as unset (more than a day after receivedAt); receivedAt used`,
    );
    const [ended] = keptAm(withAlert({ status: 'resolved', startsAt: '0001-01-01T00:00:00Z', endsAt: '2026-11-26T23:00:00Z' }), ctx).alerts;
    assert.deepEqual([ended?.startsAt, ended?.endsAt], ['2026-11-26T23:00:00.000Z', '2026-11-26T23:00:00.000Z']);
    assert.match(ended?.annotations['firebreak.time'] ?? '', /; endsAt used$/);
    const soon = new Date(day).toISOString();
    const [skewed] = keptAm(withAlert({ startsAt: soon }), ctx).alerts;
    assert.deepEqual([skewed?.startsAt, skewed?.startsAtUnset, skewed?.annotations['firebreak.time']], [soon, undefined, undefined]);
  });

  it('keeps __proto__ and constructor labels as plain data, polluting nothing', () => {
    const body: unknown = JSON.parse(`{"version":"4","groupKey":"g","alerts":[{"status":"firing",
      "labels":{"__proto__":"x","constructor":"y","prototype":"z","alertname":"A"},
      "annotations":{"__proto__":{"polluted":true}},"startsAt":"2024-05-01T10:00:00Z","fingerprint":"ab"}]}`);
    const [dropped] = keptAm(body, ctx).alerts;
    assert.deepEqual(dropped?.truncated, ['annotations.__proto__: dropped (expected a string)']);
    const ok = JSON.parse(JSON.stringify(body).replace('{"polluted":true}', '"p"')) as unknown;
    const [a] = keptAm(ok, ctx).alerts;
    assert.ok(a);
    assert.equal(Object.getPrototypeOf(a.labels), null);
    assert.deepEqual(Object.entries(a.labels), [
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['prototype', 'z'],
      ['alertname', 'A'],
    ]);
    assert.equal(a.annotations.__proto__, 'p');
    assert.equal(a.service, null);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.equal(JSON.stringify(a.labels), '{"__proto__":"x","constructor":"y","prototype":"z","alertname":"A"}');
  });

  it('refuses 100,000 alerts by their count, without reading them', () => {
    const alerts = new Array<unknown>(100_000).fill(null);
    const started = performance.now();
    assert.deepEqual(errorsOf({ ...WIRE_AM, alerts }), [
      { path: 'body.alerts', message: 'expected at most 1,000 alerts per request, got 100,000' },
    ]);
    assert.ok(performance.now() - started < 50);
    const full = { ...WIRE_AM, alerts: new Array(1_000).fill(WIRE_AM.alerts[0]) };
    assert.equal(keptAm(full, ctx).alerts.length, 1_000);
  });
});

describe('parseGrafana', () => {
  // Grafana's documented webhook example, with its per-alert extras.
  const WIRE_GRAFANA = {
    receiver: 'irp',
    status: 'firing',
    orgId: 1,
    version: '1',
    groupKey: '{}:{}',
    truncatedAlerts: 0,
    title: '[FIRING:1] (blue)',
    state: 'alerting',
    message: '**Firing** ...',
    externalURL: 'https://grafana/',
    groupLabels: {},
    commonLabels: { team: 'blue' },
    commonAnnotations: {},
    alerts: [
      {
        status: 'firing',
        labels: { alertname: 'High CPU' },
        annotations: {},
        startsAt: '2021-10-12T09:56:03Z',
        endsAt: '0001-01-01T00:00:00Z',
        generatorURL: 'https://grafana/alerting/x/edit',
        fingerprint: 'bc97ff14869b13e3',
        silenceURL: 'https://grafana/alerting/silence/new?x=1',
        dashboardURL: '',
        panelURL: '',
        values: { B: 44.2 },
        valueString: "[ var='B' labels={} value=44.2 ]",
        ruleUID: 'abc123',
        enrichments: { any: 'thing' },
      },
    ],
  };

  it('reads the documented example, with its useful links as annotations', () => {
    const batch = keptGrafana(WIRE_GRAFANA, ctx);
    assert.deepEqual(batch.alerts.map(plain), [
      {
        source: 'grafana',
        dedupKey: 'grafana:bc97ff14869b13e3',
        status: 'firing',
        service: null,
        summary: 'High CPU',
        severity: 'error',
        signal: 'saturation',
        labels: { alertname: 'High CPU' },
        annotations: {
          silenceURL: 'https://grafana/alerting/silence/new?x=1',
          valueString: "[ var='B' labels={} value=44.2 ]",
          ruleUID: 'abc123',
        },
        startsAt: '2021-10-12T09:56:03.000Z',
        endsAt: null,
        generatorURL: 'https://grafana/alerting/x/edit',
        receivedAt: RECEIVED,
      },
    ]);
    assert.deepEqual(batch.group, {
      key: '{}:{}',
      receiver: 'irp',
      status: 'firing',
      truncatedAlerts: 0,
      externalURL: 'https://grafana/',
    });
  });

  it('accepts the empty receiver Grafana Cloud sends, and its zero startsAt as unset', () => {
    const alert = { ...WIRE_GRAFANA.alerts[0], startsAt: '0001-01-01T00:00:00Z', valueString: 'x'.repeat(5_000) };
    const batch = keptGrafana({ ...WIRE_GRAFANA, receiver: '', alerts: [alert] }, ctx);
    assert.equal(batch.group?.receiver, null);
    const [a] = batch.alerts;
    assert.deepEqual([a?.startsAt, a?.startsAtUnset, a?.truncated], [RECEIVED, true, ['valueString: cut to 4,096 characters']]);
    assert.deepEqual(
      [a?.annotations['firebreak.time'], a?.annotations['firebreak.truncated'], a?.annotations.valueString?.length],
      ['startsAt 0001-01-01T00:00:00Z read as unset (Go zero time); receivedAt used', 'valueString: cut to 4,096 characters', 4_096],
    );
  });

  it("keeps the alert's own annotation over a Grafana extra of the same name", () => {
    const body = { ...WIRE_GRAFANA, alerts: [{ ...WIRE_GRAFANA.alerts[0], annotations: { ruleUID: 'mine' } }] };
    assert.equal(keptGrafana(body, ctx).alerts[0]?.annotations.ruleUID, 'mine');
  });

  it('refuses an Alertmanager payload, and Grafana payloads missing what it always sends', () => {
    assert.deepEqual(validationErrors(() => parseGrafana(WIRE_AM, ctx)), [
      {
        path: 'body.version',
        message:
          'expected "1" (Grafana webhook payload version 1), got "4" (that is the Alertmanager payload version: send it to the Alertmanager integration)',
      },
    ]);
    const { fingerprint: _, ...noPrint } = WIRE_GRAFANA.alerts[0]!;
    assert.deepEqual(validationErrors(() => parseGrafana({ ...WIRE_GRAFANA, alerts: [noPrint] }, ctx)), [
      { path: 'body.alerts[0].fingerprint', message: 'is required' },
    ]);
  });
});
