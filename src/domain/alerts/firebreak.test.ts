import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseFirebreakAlerts } from './index.js';
import { plain, RECEIVED, validationErrors } from './test-kit.js';

const ctx = { receivedAt: RECEIVED };
const errorsOf = (body: unknown) => validationErrors(() => parseFirebreakAlerts(body, ctx));
const ALERT = { dedupKey: 'checkout-5xx', status: 'firing', summary: '5xx rate 30% on checkout', severity: 'critical' };

describe('parseFirebreakAlerts', () => {
  it('reads one alert with defaults: startsAt is the receive time, service and signal from labels', () => {
    const { alerts } = parseFirebreakAlerts({ ...ALERT, labels: { service: 'checkout', alertname: 'Checkout5xx' } }, ctx);
    assert.deepEqual(alerts.map(plain), [
      {
        source: 'firebreak',
        dedupKey: 'checkout-5xx',
        status: 'firing',
        service: 'checkout',
        summary: '5xx rate 30% on checkout',
        severity: 'critical',
        signal: 'error_rate',
        labels: { service: 'checkout', alertname: 'Checkout5xx' },
        annotations: {},
        startsAt: RECEIVED,
        endsAt: null,
        generatorURL: null,
        receivedAt: RECEIVED,
        startsAtUnset: true,
      },
    ]);
  });

  it('reads a batch with every field, and gives a resolved alert without endsAt the receive time', () => {
    const full = {
      ...ALERT,
      dedupKey: 'orders-latency',
      service: 'orders',
      signal: 'business',
      annotations: { runbook: 'https://wiki.example/orders' },
      startsAt: '2026-11-26T23:40:00+01:00',
      endsAt: '2026-11-26T22:45:00Z',
      generatorURL: 'https://grafana.example/d/1',
    };
    const { alerts } = parseFirebreakAlerts([full, { ...ALERT, status: 'resolved' }], ctx);
    assert.deepEqual(
      alerts.map((a) => [a.dedupKey, a.service, a.signal, a.startsAt, a.endsAt, a.generatorURL]),
      [
        [
          'orders-latency',
          'orders',
          'business',
          '2026-11-26T22:40:00.000Z',
          '2026-11-26T22:45:00.000Z',
          'https://grafana.example/d/1',
        ],
        ['checkout-5xx', null, 'error_rate', RECEIVED, RECEIVED, null],
      ],
    );
  });

  it('refuses an empty batch', () => {
    assert.deepEqual(errorsOf([]), [{ path: 'body', message: 'an empty batch has no alerts' }]);
  });

  it('refuses unknown fields, __proto__ included, and every other problem with its path', () => {
    const body: unknown = JSON.parse(`{"dedupKey":"k","status":"open","summary":"",
      "severity":"page","signal":"errors","service":"Check Out","startsAt":"2026-11-26T23:00:00Z",
      "endsAt":"2026-11-26T22:00:00Z","generatorURL":"javascript:alert(1)","labels":{"a":1},
      "priority":"P1","__proto__":{"polluted":true}}`);
    assert.deepEqual(errorsOf(body), [
      { path: 'body.priority', message: 'is not allowed' },
      { path: 'body.__proto__', message: 'is not allowed' },
      { path: 'body.status', message: 'expected one of firing, resolved' },
      {
        path: 'body.service',
        message:
          'expected a service name or namespace/name: 1–63 letters and digits each, in runs separated by - _ or . (only - in a namespace)',
      },
      { path: 'body.summary', message: 'must not be empty' },
      { path: 'body.severity', message: 'expected one of critical, error, warning, info' },
      { path: 'body.signal', message: 'expected one of error_rate, latency, saturation, business, other' },
      { path: 'body.labels.a', message: 'expected a string' },
      { path: 'body.generatorURL', message: 'expected an http:// or https:// URL' },
    ]);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    const backwards = { startsAt: '2026-11-26T23:00:00Z', endsAt: '2026-11-26T22:00:00Z' };
    assert.deepEqual(errorsOf({ ...ALERT, ...backwards, dedupKey: 'pd:x' }), [
      { path: 'body.dedupKey', message: 'must not start with am:, grafana:, pd:, og: or hb: (reserved for the integrations and heartbeats)' },
    ]);
    assert.deepEqual(errorsOf({ ...ALERT, dedupKey: 'og:int-1:checkout-5xx' }), [
      { path: 'body.dedupKey', message: 'must not start with am:, grafana:, pd:, og: or hb: (reserved for the integrations and heartbeats)' },
    ]);
    assert.deepEqual(errorsOf({ ...ALERT, dedupKey: 'HB:nightly-backup' }), [
      { path: 'body.dedupKey', message: 'must not start with am:, grafana:, pd:, og: or hb: (reserved for the integrations and heartbeats)' },
    ]);
    assert.deepEqual(errorsOf({ ...ALERT, ...backwards }), [
      { path: 'body.endsAt', message: 'must not be before startsAt' },
    ]);
  });

  it('refuses an unknown field inside a batch, missing fields, and repeated dedupKeys', () => {
    assert.deepEqual(errorsOf([ALERT, { ...ALERT, dedupKey: 'b', team: 'payments' }, { dedupKey: 'c' }, ALERT]), [
      { path: 'body[1].team', message: 'is not allowed' },
      { path: 'body[2].status', message: 'is required' },
      { path: 'body[2].summary', message: 'is required' },
      { path: 'body[2].severity', message: 'is required' },
      { path: 'body[3].dedupKey', message: 'duplicate dedupKey "checkout-5xx" (first at body[0])' },
    ]);
    assert.deepEqual(errorsOf('alert'), [{ path: 'body', message: 'expected an object' }]);
  });

  it('refuses an over-long dedupKey (its identity) and NUL in a key, and nothing else over the limits', () => {
    const body: unknown = JSON.parse(
      JSON.stringify({ ...ALERT, summary: 's'.repeat(1_025), dedupKey: 'k'.repeat(256), annotations: { 'x\u0000': 'y' } }),
    );
    assert.deepEqual(errorsOf(body), [
      { path: 'body.dedupKey', message: 'expected at most 255 characters' },
      { path: 'body.annotations["x\\u0000"]', message: 'must not contain NUL (\\u0000)' },
    ]);
  });

  it('keeps an alert over the limits, cut and marked, and still refuses unknown fields', () => {
    const labels = Object.fromEntries([...Array.from({ length: 70 }, (_, i) => [`l${i}`, 'v']), ['service', 'checkout']]);
    const [a] = parseFirebreakAlerts(
      [{ ...ALERT, summary: 's'.repeat(2_000), labels, annotations: { runbook: 'r'.repeat(4_097) } }],
      ctx,
    ).alerts;
    const cut = [
      'labels: 7 of 71 dropped (limit 64)',
      'annotations.runbook: cut to 4,096 characters',
      'summary: cut to 1,024 characters',
    ];
    assert.deepEqual(a?.truncated, cut);
    assert.deepEqual(
      [a?.summary, a?.service, Object.keys(a?.labels ?? {}).length, a?.annotations['firebreak.truncated']],
      [`${'s'.repeat(1_023)}…`, 'checkout', 64, cut.join('; ')],
    );
    assert.deepEqual(errorsOf({ ...ALERT, labels, colour: 'red' }), [{ path: 'body.colour', message: 'is not allowed' }]);
  });

  it('reads a zero, pre-2000 or far-future startsAt or endsAt as unset, relative to receivedAt', () => {
    const far = '2026-11-28T00:00:00Z';
    const [zero, old, ahead] = parseFirebreakAlerts(
      [
        { ...ALERT, dedupKey: 'a', startsAt: '0001-01-01T00:00:00Z' },
        { ...ALERT, dedupKey: 'b', status: 'resolved', startsAt: '1999-12-31T23:59:59Z', endsAt: '2026-11-26T23:00:00Z' },
        { ...ALERT, dedupKey: 'c', startsAt: '2026-11-26T23:00:00Z', endsAt: far },
      ],
      ctx,
    ).alerts;
    assert.deepEqual(
      [zero, old, ahead].map((a) => [a?.startsAt, a?.endsAt, a?.startsAtUnset ?? false, a?.annotations['firebreak.time']]),
      [
        [RECEIVED, null, true, 'startsAt 0001-01-01T00:00:00Z read as unset (Go zero time); receivedAt used'],
        [
          '2026-11-26T23:00:00.000Z',
          '2026-11-26T23:00:00.000Z',
          true,
          'startsAt 1999-12-31T23:59:59Z read as unset (before 2000); endsAt used',
        ],
        ['2026-11-26T23:00:00.000Z', null, false, `endsAt ${far} read as unset (more than a day after receivedAt)`],
      ],
    );
  });

  it('refuses text and links that cannot be stored (NUL, unpaired surrogates)', () => {
    assert.deepEqual(errorsOf({ ...ALERT, summary: 'down\ud800', generatorURL: 'https://grafana.example/\u0000' }), [
      { path: 'body.summary', message: 'must not contain unpaired UTF-16 surrogates' },
      { path: 'body.generatorURL', message: 'must not contain NUL (\\u0000)' },
    ]);
  });

  it('refuses 100,000 alerts by their count, quickly', () => {
    const started = performance.now();
    assert.deepEqual(errorsOf(new Array<unknown>(100_000).fill(ALERT)), [
      { path: 'body', message: 'expected at most 1,000 alerts per request, got 100,000' },
    ]);
    assert.ok(performance.now() - started < 50);
  });
});
