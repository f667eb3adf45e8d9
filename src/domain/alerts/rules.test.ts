import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isFirebreakError } from '../errors.js';
import {
  type AlertResolution,
  DEFAULT_AUTO_DECLARE,
  decideRouting,
  dedupe,
  groupKeyFor,
  incidentTitleFor,
  type NormalizedAlert,
  type RoutingContext,
  severityOf,
  signalOf,
  type StoredAlert,
  suggestedSeverity,
} from './index.js';
import { mapOf } from './check.js';

const T0 = '2026-11-26T23:47:16.000Z';
const T1 = '2026-11-26T23:52:16.000Z';
const T2 = '2026-11-26T23:57:16.000Z';

const firing = (startsAt = T0, receivedAt = startsAt): NormalizedAlert => ({
  source: 'alertmanager',
  dedupKey: 'am:e16bb05203e639d1',
  status: 'firing',
  service: 'checkout',
  summary: '5xx rate 30% on checkout',
  severity: 'critical',
  signal: 'error_rate',
  labels: mapOf([['service', 'checkout']]),
  annotations: mapOf([]),
  startsAt,
  endsAt: null,
  generatorURL: null,
  receivedAt,
});
const resolved = (startsAt: string, endsAt: string): NormalizedAlert => ({
  ...firing(startsAt, endsAt),
  status: 'resolved',
  endsAt,
  summary: 'recovered',
});
const resolution = (at: string): AlertResolution => ({
  source: 'pagerduty',
  dedupKey: 'pd:int-7:k',
  status: 'resolved',
  endsAt: at,
  receivedAt: at,
});
const stored = (a: NormalizedAlert, occurrences: number): StoredAlert => ({ ...a, occurrences });

describe('dedupe', () => {
  it('stores a first firing as one occurrence, and drops a resolve of an alert never seen', () => {
    assert.deepEqual(dedupe(null, firing()), { outcome: 'new', alert: stored(firing(), 1) });
    assert.deepEqual(dedupe(null, resolved(T0, T1)), { outcome: 'drop', alert: null });
    assert.deepEqual(dedupe(null, resolution(T1)), { outcome: 'drop', alert: null });
  });

  it('counts a re-send of the same episode once, and a newer episode as one more occurrence', () => {
    const existing = stored(firing(T0), 1);
    assert.deepEqual(dedupe(existing, firing(T0, T1)), { outcome: 'repeat', alert: stored(firing(T0, T1), 1) });
    assert.deepEqual(dedupe(existing, firing(T1)), { outcome: 'refire', alert: stored(firing(T1), 2) });
  });

  it('resolves keeping the description of what fired, and reopens after resolve as a new occurrence', () => {
    const existing = stored(firing(T0), 1);
    const r = dedupe(existing, resolved(T0, T1));
    assert.deepEqual(r, {
      outcome: 'resolve',
      alert: { ...existing, status: 'resolved', endsAt: T1, receivedAt: T1 },
    });
    assert.deepEqual(dedupe(r.alert, resolved(T0, T1)), { outcome: 'unchanged', alert: r.alert });
    assert.deepEqual(dedupe(r.alert, firing(T2)), { outcome: 'reopen', alert: stored(firing(T2), 2) });
    const pd: AlertResolution = { ...resolution(T2), dedupKey: existing.dedupKey };
    assert.deepEqual(dedupe(existing, pd).alert, { ...existing, status: 'resolved', endsAt: T2, receivedAt: T2 });
    assert.equal(dedupe(r.alert, pd).outcome, 'unchanged');
  });

  it('ignores late deliveries: an older episode, or the firing of an episode already resolved', () => {
    const current = stored(firing(T1), 2);
    assert.deepEqual(dedupe(current, resolved(T0, T0)), { outcome: 'unchanged', alert: current });
    assert.deepEqual(dedupe(current, firing(T0)), { outcome: 'unchanged', alert: current });
    const done = stored(resolved(T1, T2), 2);
    assert.deepEqual(dedupe(done, firing(T1, T2)), { outcome: 'unchanged', alert: done });
  });
});

describe('dedupe: a repeat keeps what it omits', () => {
  const URL = 'http://prometheus.example/graph';
  const described = (startsAt: string, receivedAt = startsAt): NormalizedAlert => ({
    ...firing(startsAt, receivedAt),
    generatorURL: URL,
    endsAt: '2026-11-27T00:30:00.000Z',
    labels: mapOf([['service', 'checkout'], ['pod', 'a']]),
    annotations: mapOf([['summary', 'first']]),
  });
  const bare = (startsAt: string, receivedAt = startsAt): NormalizedAlert => ({
    ...firing(startsAt, receivedAt),
    service: null,
    labels: mapOf([['pod', 'b']]),
    annotations: mapOf([['runbook', 'r']]),
  });

  it('keeps the stored generatorURL, sender service and endsAt; labels and annotations are replaced', () => {
    const existing = stored(described(T0), 1);
    assert.deepEqual(dedupe(existing, bare(T0, T1)), {
      outcome: 'repeat',
      alert: { ...stored(bare(T0, T1), 1), service: 'checkout', generatorURL: URL, endsAt: existing.endsAt },
    });
  });

  it('keeps the generatorURL and service on a new episode, but not the old episode\'s endsAt', () => {
    const existing = stored(described(T0), 1);
    const refire = { outcome: 'refire', alert: { ...stored(bare(T1), 2), service: 'checkout', generatorURL: URL } };
    assert.deepEqual(dedupe(existing, bare(T1)), refire);
    const done: StoredAlert = { ...existing, status: 'resolved' };
    assert.deepEqual(dedupe(done, bare(T1)), { ...refire, outcome: 'reopen' });
  });

  it('reads a firing without a usable startsAt as the episode already firing, or a new one after a resolve', () => {
    const existing = stored(described(T0), 1);
    const unset = { ...bare(T2), startsAtUnset: true, truncated: ['labels: 1 of 65 dropped (limit 64)'] };
    const repeat = dedupe(existing, unset);
    assert.deepEqual(repeat, {
      outcome: 'repeat',
      alert: { ...stored(bare(T0, T2), 1), service: 'checkout', generatorURL: URL, endsAt: existing.endsAt },
    });
    assert.ok(repeat.alert && !('startsAtUnset' in repeat.alert) && !('truncated' in repeat.alert));
    const done: StoredAlert = { ...existing, status: 'resolved', endsAt: T1 };
    assert.deepEqual(dedupe(done, unset), {
      outcome: 'reopen',
      alert: { ...stored(bare(T2), 2), service: 'checkout', generatorURL: URL },
    });
    const late = stored(described(T2), 1);
    const resolvedUnset = { ...resolved(T1, T1), startsAtUnset: true };
    assert.equal(dedupe(late, resolvedUnset).outcome, 'resolve');
  });
});

describe('decideRouting', () => {
  const ctx = (tier: number | null, open: number | null = null): RoutingContext => ({
    service: tier === null ? null : { name: 'checkout', tier },
    openIncidentForService: open,
    rules: DEFAULT_AUTO_DECLARE,
  });
  const route = (severity: NormalizedAlert['severity'], c: RoutingContext, status: 'firing' | 'resolved' = 'firing') =>
    decideRouting({ severity, status }, c);

  it('auto-declares a critical alert on a tier-1 or tier-2 service', () => {
    assert.deepEqual(route('critical', ctx(1)), {
      action: 'declare',
      reason: 'critical alert on tier-1 service checkout',
    });
    assert.equal(route('critical', ctx(2)).action, 'declare');
  });

  it('attaches any alert, resolved ones too, to the open incident of its service', () => {
    assert.deepEqual(route('info', ctx(4, 12)), { action: 'attach', reason: 'checkout has an open incident, INC-12' });
    assert.equal(route('critical', ctx(1, 12)).action, 'attach');
    assert.equal(route('warning', ctx(1, 12), 'resolved').action, 'attach');
  });

  it('sends everything else to the inbox, saying why', () => {
    assert.deepEqual(
      [
        route('critical', ctx(1), 'resolved'),
        route('critical', ctx(null)),
        route('error', ctx(1)),
        route('critical', ctx(3)),
      ],
      [
        { action: 'inbox', reason: 'the alert is resolved' },
        { action: 'inbox', reason: 'no catalog service matches the alert' },
        { action: 'inbox', reason: 'error is below the auto-declare severity, critical' },
        { action: 'inbox', reason: 'checkout is tier 3; auto-declare stops at tier 2' },
      ],
    );
  });

  it('follows configured rules, including maxTier 0 to turn auto-declare off', () => {
    const rules = { minSeverity: 'error', maxTier: 3 } as const;
    assert.equal(decideRouting({ severity: 'error', status: 'firing' }, { ...ctx(3), rules }).action, 'declare');
    assert.equal(decideRouting({ severity: 'warning', status: 'firing' }, { ...ctx(3), rules }).action, 'inbox');
    const off = { ...ctx(1), rules: { ...rules, maxTier: 0 } };
    assert.deepEqual(decideRouting({ severity: 'critical', status: 'firing' }, off), {
      action: 'inbox',
      reason: 'checkout is tier 1; auto-declare is off',
    });
  });
});

describe('groupKeyFor', () => {
  it('puts a storm on one service inside one window into one group', () => {
    const keys = ['2026-11-26T23:45:00Z', '2026-11-26T23:47:16Z', '2026-11-26T23:49:59.999Z'].map((at) =>
      groupKeyFor({ service: 'checkout', dedupKey: 'x' }, 5, at),
    );
    assert.deepEqual(keys, ['service:checkout:5985789', 'service:checkout:5985789', 'service:checkout:5985789']);
  });

  it('starts a new group in the next window, and per alert without a service', () => {
    const a = groupKeyFor({ service: 'checkout', dedupKey: 'x' }, 5, '2026-11-26T23:49:59Z');
    const b = groupKeyFor({ service: 'checkout', dedupKey: 'x' }, 5, '2026-11-26T23:50:00Z');
    assert.notEqual(a, b);
    assert.notEqual(
      groupKeyFor({ service: 'search', dedupKey: 'x' }, 5, '2026-11-26T23:49:59Z'),
      a,
    );
    assert.match(groupKeyFor({ service: null, dedupKey: 'am:1' }, 5, '2026-11-26T23:49:59Z'), /^alert:am:1:\d+$/);
  });

  it('refuses a window that is not a whole number of minutes', () => {
    const alert = { service: 'checkout', dedupKey: 'x' };
    for (const [minutes, at] of [[0, T0], [2.5, T0], [5, 'later']] as const) {
      assert.throws(() => groupKeyFor(alert, minutes, at), (e) => isFirebreakError(e, 'validation'));
    }
  });
});

describe('suggestedSeverity and incidentTitleFor', () => {
  it('suggests SEV2 for a critical alert on a tier-1 service, never more without confirmed impact', () => {
    assert.deepEqual(suggestedSeverity({ severity: 'critical' }, { tier: 1 }), {
      severity: 'SEV2',
      reasons: ['critical alert', 'tier-1 service', 'impact unconfirmed: SEV1 needs confirmed user impact'],
    });
  });

  it('steps down with a milder alert or a less critical service', () => {
    assert.deepEqual(
      [
        suggestedSeverity({ severity: 'critical' }, { tier: 2 }),
        suggestedSeverity({ severity: 'error' }, { tier: 1 }),
        suggestedSeverity({ severity: 'warning' }, { tier: 4 }),
        suggestedSeverity({ severity: 'critical' }, null),
      ],
      [
        { severity: 'SEV3', reasons: ['critical alert', 'tier-2 service'] },
        { severity: 'SEV3', reasons: ['error alert', 'tier-1 service'] },
        { severity: 'SEV4', reasons: ['warning alert', 'tier-4 service'] },
        { severity: 'SEV3', reasons: ['critical alert', 'no catalog service'] },
      ],
    );
  });

  it('never reads the alert text, so a scary guessed cause changes nothing', () => {
    const scary = { ...firing(), summary: 'database corruption, data loss suspected' };
    const s = suggestedSeverity(scary, { tier: 1 });
    assert.equal(s.severity, 'SEV2');
    assert.ok(s.reasons.every((r) => !/corruption|data loss/.test(r)));
  });

  it('titles an auto-declared incident by service and summary, on one line within 200 characters', () => {
    assert.equal(incidentTitleFor(firing(), 'checkout'), '[checkout] 5xx rate 30% on checkout');
    assert.equal(incidentTitleFor({ summary: 'a\nb' }, null), 'a b');
    const long = incidentTitleFor({ summary: 'x'.repeat(500) }, 'checkout');
    assert.equal(long.length, 200);
    assert.ok(long.endsWith('…'));
  });
});

describe('severityOf and signalOf', () => {
  it('maps the usual severity words, and an unknown or missing one to error', () => {
    assert.deepEqual(
      ['critical', 'PAGE', 'P1', 'sev-1', 'high', 'SEV_2', 'warn', 'P3', 'info', 'low', 'constructor', undefined].map(
        severityOf,
      ),
      [...Array(4).fill('critical'), 'error', 'error', 'warning', 'warning', 'info', 'info', 'error', 'error'],
    );
  });

  it('takes a declared signal, else guesses from the alert name', () => {
    const guess = (alertname: string, signal?: string) =>
      signalOf(mapOf([['alertname', alertname], ...(signal ? [['signal', signal] as const] : [])]), mapOf([]));
    assert.deepEqual(
      [
        guess('HighLatency'),
        guess('APIp99Slow'),
        guess('CheckoutErrorRate'),
        guess('Ingress5xx'),
        guess('High CPU'),
        guess('KafkaQueueLag'),
        guess('OrdersDropped'),
        guess('OrdersDropped', 'Business'),
        guess('HighLatency', 'nonsense'),
      ],
      ['latency', 'latency', 'error_rate', 'error_rate', 'saturation', 'saturation', 'other', 'business', 'latency'],
    );
  });
});
