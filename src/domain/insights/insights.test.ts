import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Deploy } from '../deploys/types.js';
import type { SuspectDeploy } from '../deploys/suspects.js';
import { initialIncident, type ActionItem, type Incident, type Milestones } from '../incident/state.js';
import { computeInsights, durationStat, isoWeek, type InsightsDeploy } from './insights.js';

// Window: Monday 2026-11-02 00:00 to Sunday 2026-11-15 23:59:59.999 (ISO weeks 45 and 46); now is after it.
const FROM = '2026-11-02T00:00:00.000Z';
const TO = '2026-11-15T23:59:59.999Z';
const NOW = '2026-11-20T12:00:00.000Z';
const OPTS = { from: FROM, to: TO, now: NOW };

/** `2026-11-DD` at `hh:mm` UTC. */
const t = (day: number, hh = 10, mm = 0) =>
  `2026-11-${String(day).padStart(2, '0')}T${String(hh).padStart(2, '0')}:${String(mm).padStart(2, '0')}:00.000Z`;

type Over = Partial<Omit<Incident, 'milestones' | 'roles'>> & {
  milestones?: Partial<Milestones>;
  roles?: Partial<Incident['roles']>;
};

/** An incident declared at `declaredAt` (started and detected then too unless given), investigating. */
function inc(number: number, declaredAt: string, over: Over = {}): Incident {
  const base = initialIncident(number);
  return {
    ...base,
    status: 'investigating',
    ...over,
    milestones: { ...base.milestones, startedAt: declaredAt, detectedAt: declaredAt, declaredAt, ...over.milestones },
    roles: { ...base.roles, ...over.roles },
  };
}

const action = (id: string, dueAt: string, status: ActionItem['status'] = 'open'): ActionItem => ({
  id, title: 'fix it', owner: 'li', dueAt, priority: 'P2', status, fromQuestion: null,
  kind: 'fix', ticketUrl: null, fromGuardrail: null, createdAt: dueAt, doneAt: status === 'done' ? dueAt : null,
});

const deploy = (service: string, startedAt: string, status: InsightsDeploy['status'] = 'succeeded'): InsightsDeploy => ({
  service, status, startedAt, finishedAt: startedAt,
});

const suspect = (relation: SuspectDeploy['relation']): SuspectDeploy => {
  const d: Deploy = {
    externalId: 'd1', source: 'firebreak', service: 'checkout', environment: 'production', version: 'v2',
    commitSha: null, status: 'succeeded', startedAt: t(3, 9), finishedAt: t(3, 9, 30), actor: null, url: null,
    previousVersion: null, configDeltas: [],
  };
  return { deploy: d, minutesBeforeImpact: 30, relation, via: [], configDeltas: [] };
};

describe('computeInsights: empty input', () => {
  it('answers zeros and nulls, and one trend row per ISO week of the window', () => {
    const r = computeInsights([], [], OPTS);
    const none = { median: null, p90: null, mean: null, samples: 0 };
    assert.deepEqual(r, {
      window: { from: FROM, to: TO, days: 14 },
      filters: { service: null, severity: [] },
      incidents: {
        total: 0,
        bySeverity: { SEV1: 0, SEV2: 0, SEV3: 0, SEV4: 0, unset: 0 },
        byStatus: { investigating: 0, mitigated: 0, resolved: 0, closed: 0, cancelled: 0 },
        autoDeclared: 0,
      },
      mttd: none,
      mtta: none,
      timeToMitigate: none,
      mttr: none,
      changeFailureRate: { failures: 0, deploys: 0, rate: null },
      dora: { changeFailureRate: { failures: 0, deploys: 0, rate: null }, timeToRestore: none },
      postmortems: { due: 0, onTime: 0, late: 0, overdue: 0, pending: 0, punctuality: null, skipped: 0 },
      actionItems: { open: 0, overdue: 0, done: 0, doneOnTime: 0 },
      nudges: {
        total: 0,
        byKind: { ack: 0, update_cadence: 0, contain_first: 0, comms_lead: 0, postmortem_due: 0, postmortem_overdue: 0, action_due: 0 },
      },
      responders: [],
      overrides: { count: 0, items: [] },
      trend: [
        { week: '2026-W45', incidents: 0, mttaMinutes: null, mttrMinutes: null },
        { week: '2026-W46', incidents: 0, mttaMinutes: null, mttrMinutes: null },
      ],
      warnings: [],
    });
  });
});

describe('computeInsights: durations', () => {
  // #1 started 10:00, detected 10:10, declared 10:15, acked 10:20, mitigated 10:45, resolved 11:30
  // #2 started 12:00, detected 12:30, declared 12:30, acked 12:31, not mitigated, resolved 14:00
  // #3 started 09:00, detected 09:05, declared 09:05, nothing else
  const one = inc(1, t(3, 10, 15), {
    status: 'resolved',
    milestones: { startedAt: t(3, 10), detectedAt: t(3, 10, 10), acknowledgedAt: t(3, 10, 20), mitigatedAt: t(3, 10, 45), resolvedAt: t(3, 11, 30) },
  });
  const two = inc(2, t(4, 12, 30), {
    status: 'resolved',
    milestones: { startedAt: t(4, 12), acknowledgedAt: t(4, 12, 31), resolvedAt: t(4, 14) },
  });
  const three = inc(3, t(5, 9, 5), { milestones: { startedAt: t(5, 9) } });

  it('MTTD, MTTA, time to mitigate and MTTR: median and mean in minutes with their samples', () => {
    const r = computeInsights([one, two, three], [], OPTS);
    // MTTD: 10, 30, 5 → median 10, mean 15
    assert.deepEqual(r.mttd, { median: 10, p90: 26, mean: 15, samples: 3 });
    // MTTA: 5, 1 → median 3, mean 3
    assert.deepEqual(r.mtta, { median: 3, p90: 4.6, mean: 3, samples: 2 });
    // to mitigate: 45 only
    assert.deepEqual(r.timeToMitigate, { median: 45, p90: 45, mean: 45, samples: 1 });
    // MTTR: 90, 120 → median 105, mean 105
    assert.deepEqual(r.mttr, { median: 105, p90: 117, mean: 105, samples: 2 });
  });

  it('leaves cancelled incidents out of every duration but counts them by status', () => {
    const cancelled = inc(4, t(6), {
      status: 'cancelled',
      milestones: { startedAt: t(6, 8), acknowledgedAt: t(6, 20), resolvedAt: t(7) },
    });
    const r = computeInsights([one, two, three, cancelled], [], OPTS);
    assert.deepEqual(r.mtta, { median: 3, p90: 4.6, mean: 3, samples: 2 });
    assert.deepEqual(r.mttd, { median: 10, p90: 26, mean: 15, samples: 3 });
    assert.equal(r.incidents.total, 4);
    assert.equal(r.incidents.byStatus.cancelled, 1);
    assert.equal(r.incidents.byStatus.resolved, 2);
    assert.equal(r.incidents.byStatus.investigating, 1);
  });

  it('skips a negative duration (impact start moved after the milestone) instead of counting it', () => {
    const odd = inc(5, t(6), { milestones: { startedAt: t(6, 11), detectedAt: t(6, 10), resolvedAt: t(6, 12) } });
    const r = computeInsights([odd], [], OPTS);
    assert.deepEqual(r.mttd, { median: null, p90: null, mean: null, samples: 0 });
    assert.deepEqual(r.mttr, { median: 60, p90: 60, mean: 60, samples: 1 });
  });

  it('rounds to one decimal and takes the middle pair for an even count', () => {
    assert.deepEqual(durationStat([1, 2, 4, 10]), { median: 3, p90: 8.2, mean: 4.3, samples: 4 });
    assert.deepEqual(durationStat([0.25]), { median: 0.3, p90: 0.3, mean: 0.3, samples: 1 });
  });
});

describe('computeInsights: window edges', () => {
  it('counts incidents declared exactly at from and at to, and none just outside', () => {
    const list = [
      inc(1, FROM),
      inc(2, TO),
      inc(3, '2026-11-01T23:59:59.999Z'),
      inc(4, '2026-11-16T00:00:00.000Z'),
    ];
    const r = computeInsights(list, [], OPTS);
    assert.equal(r.incidents.total, 2);
    assert.deepEqual(r.trend.map((w) => [w.week, w.incidents]), [['2026-W45', 1], ['2026-W46', 1]]);
  });

  it('compares instants, not strings: an offset time inside the window counts', () => {
    const r = computeInsights([inc(1, '2026-11-16T00:30:00+01:00')], [], OPTS);
    assert.equal(r.incidents.total, 1);
  });

  it('reports fractional days for a window given by from and to', () => {
    const r = computeInsights([], [], { from: t(2, 0), to: t(2, 18), now: NOW });
    assert.equal(r.window.days, 0.75);
    assert.deepEqual(r.trend.map((w) => w.week), ['2026-W45']);
  });
});

describe('computeInsights: counts', () => {
  it('by severity (unset included), by status, and auto-declared', () => {
    const list = [
      inc(1, t(3), { severity: 'SEV1', auto: true }),
      inc(2, t(3), { severity: 'SEV1' }),
      inc(3, t(4), { severity: 'SEV4', status: 'closed' }),
      inc(4, t(4), { status: 'mitigated', auto: true }),
      inc(5, t(30, 1), { severity: 'SEV2', auto: true }),
    ];
    const r = computeInsights(list, [], OPTS);
    assert.deepEqual(r.incidents, {
      total: 4,
      bySeverity: { SEV1: 2, SEV2: 0, SEV3: 0, SEV4: 1, unset: 1 },
      byStatus: { investigating: 2, mitigated: 1, resolved: 0, closed: 1, cancelled: 0 },
      autoDeclared: 2,
    });
  });
});

describe('computeInsights: change failure rate', () => {
  it('failures are incidents with an affected-service suspect; deploys are succeeded ones started in the window', () => {
    const list = [
      inc(1, t(3, 10), { suspects: [suspect('dependency'), suspect('affected')] }),
      inc(2, t(4), { suspects: [suspect('dependency')] }),
      inc(3, t(5), { releaseBoundary: suspect('affected').deploy }),
      inc(4, t(6), { suspects: [suspect('affected')], status: 'cancelled' }),
      inc(5, '2026-10-30T10:00:00.000Z', { suspects: [suspect('affected')] }),
    ];
    const deploys = [
      deploy('checkout', t(2)),
      deploy('checkout', t(3)),
      deploy('checkout', t(9)),
      deploy('search', t(10)),
      deploy('checkout', t(11), 'failed'),
      deploy('checkout', t(12), 'rolled_back'),
      deploy('checkout', '2026-11-01T23:00:00.000Z'),
      deploy('checkout', TO),
    ];
    const r = computeInsights(list, deploys, OPTS);
    assert.deepEqual(r.changeFailureRate, { failures: 1, deploys: 5, rate: 0.2 });
  });

  it('is null without deploys in the window, failures or not', () => {
    const r = computeInsights([inc(1, t(3), { suspects: [suspect('affected')] })], [deploy('checkout', t(3), 'failed')], OPTS);
    assert.deepEqual(r.changeFailureRate, { failures: 1, deploys: 0, rate: null });
  });
});

describe('computeInsights: postmortems', () => {
  it('sorts each postmortem due in the window into on time, late, overdue and pending', () => {
    const now = t(10, 12);
    const list = [
      // on time: closed before it was due
      inc(1, '2026-10-29T10:00:00.000Z', { status: 'closed', postmortemDueAt: t(3), milestones: { closedAt: t(2) } }),
      // on time: closed exactly when due
      inc(2, t(3), { status: 'closed', postmortemDueAt: t(5), milestones: { closedAt: t(5) } }),
      // late: closed a minute after
      inc(3, t(3), { status: 'closed', postmortemDueAt: t(5), milestones: { closedAt: t(5, 10, 1) } }),
      // overdue: due before now, still resolved
      inc(4, t(6), { status: 'resolved', postmortemDueAt: t(9) }),
      // pending: due after now, inside the window
      inc(5, t(8), { status: 'resolved', postmortemDueAt: t(12) }),
      // outside: due after the window
      inc(6, t(14), { status: 'resolved', postmortemDueAt: t(17) }),
      // outside: never resolved
      inc(7, t(4)),
    ];
    const r = computeInsights(list, [], { ...OPTS, now });
    // punctuality = on time ÷ (on time + late + overdue) = 2 ÷ 4
    assert.deepEqual(r.postmortems, { due: 5, onTime: 2, late: 1, overdue: 1, pending: 1, punctuality: 0.5, skipped: 3 });
  });

  it('is null punctuality while every postmortem is still pending', () => {
    const r = computeInsights([inc(1, t(3), { status: 'resolved', postmortemDueAt: t(5) })], [], { ...OPTS, now: t(4) });
    assert.deepEqual(r.postmortems, { due: 1, onTime: 0, late: 0, overdue: 0, pending: 1, punctuality: null, skipped: 0 });
  });
});

describe('computeInsights: action items', () => {
  it("counts the window's incidents and every open incident, once each; overdue is open past its due time", () => {
    const now = t(10, 12);
    const list = [
      inc(1, t(3), { status: 'closed', actions: [action('A1', t(9)), action('A2', t(11), 'in_progress'), action('A3', t(1), 'done')] }),
      // before the window but still open: counted
      inc(2, '2026-10-20T10:00:00.000Z', { status: 'resolved', actions: [action('B1', t(10, 11, 59))] }),
      // before the window and closed: not counted
      inc(3, '2026-10-20T10:00:00.000Z', { status: 'closed', actions: [action('C1', t(1))] }),
      // open and in the window: counted once
      inc(4, t(5), { status: 'mitigated', actions: [action('D1', t(10, 12), 'done')] }),
    ];
    const r = computeInsights(list, [], { ...OPTS, now });
    assert.deepEqual(r.actionItems, { open: 3, overdue: 2, done: 2, doneOnTime: 2 });
  });
});

describe('computeInsights: responders and warnings', () => {
  const roles = (commander: string | null, responders: string[] = [], comms: string | null = null) => ({
    roles: { commander, responders, comms, scribe: 'sam' },
  });

  it('counts each person once per incident, with their commands and share, busiest first', () => {
    const list = [
      inc(1, t(3), roles('ana', ['bo', 'ana'], 'li')),
      inc(2, t(4), roles('ana', ['bo'])),
      inc(3, t(5), roles('bo', [], 'li')),
      inc(4, t(6), { ...roles('ana'), status: 'cancelled' }),
    ];
    const r = computeInsights(list, [], OPTS);
    assert.deepEqual(r.responders, [
      { person: 'bo', incidents: 3, commander: 1, share: 1 },
      { person: 'ana', incidents: 2, commander: 2, share: 0.667 },
      { person: 'li', incidents: 2, commander: 0, share: 0.667 },
    ]);
    assert.deepEqual(r.warnings, [], 'three incidents are too few for a concentration warning');
  });

  it('warns when one person is on more than half of at least four incidents', () => {
    const list = [
      inc(1, t(3), roles('ana', ['bo'])),
      inc(2, t(4), roles('ana', ['li'])),
      inc(3, t(5), roles('ana', ['bo'])),
      inc(4, t(6), roles('li', ['bo'])),
      inc(5, t(7), roles('kim', ['jo'])),
    ];
    const r = computeInsights(list, [], OPTS);
    assert.deepEqual(r.warnings, [
      {
        code: 'responder_concentration',
        message: 'ana was on 3 of 5 incidents (60%): spread the load before it burns one person out.',
      },
      {
        code: 'responder_concentration',
        message: 'bo was on 3 of 5 incidents (60%): spread the load before it burns one person out.',
      },
    ]);
    const half = [
      inc(1, t(3), roles('ana', ['bo'])),
      inc(2, t(4), roles('li', ['kim'])),
      inc(3, t(5), roles('ana', ['jo'])),
      inc(4, t(6), roles('li', ['kim'])),
    ];
    assert.deepEqual(computeInsights(half, [], OPTS).warnings, [], 'two of four is exactly half: no warning');
  });

  it('warns for a SEV1/SEV2 whose commander was the sole responder, closed ones included', () => {
    const list = [
      inc(1, t(3), { ...roles('ana'), severity: 'SEV1', status: 'closed' }),
      inc(2, t(4), { ...roles('ana', ['ana']), severity: 'SEV2' }),
      inc(3, t(5), { ...roles('ana', ['bo']), severity: 'SEV1' }),
      inc(4, t(6), { ...roles('ana'), severity: 'SEV3' }),
      inc(5, t(7), { ...roles('ana'), severity: 'SEV1', status: 'cancelled' }),
    ];
    const r = computeInsights(list, [], OPTS);
    assert.deepEqual(
      r.warnings.filter((w) => w.code === 'commander_is_sole_responder'),
      [
        {
          code: 'commander_is_sole_responder',
          message: 'INC-1: ana is commander and the only responder on a SEV1: the commander coordinates, someone else debugs.',
        },
        {
          code: 'commander_is_sole_responder',
          message: 'INC-2: ana is commander and the only responder on a SEV2: the commander coordinates, someone else debugs.',
        },
      ],
    );
  });
});

describe('computeInsights: overrides', () => {
  it("lists every gate override of the window's incidents, oldest first", () => {
    const o = (to: 'resolved' | 'closed', reason: string, at: string) => ({ to, reason, unmet: [], by: 'ana', at });
    const list = [
      inc(1, t(3), { overrides: [o('closed', 'postmortem in review', t(6))] }),
      inc(2, t(4), { overrides: [o('resolved', 'alerts flapping', t(4, 12))] }),
      inc(3, '2026-10-01T00:00:00.000Z', { overrides: [o('resolved', 'old', t(5))] }),
    ];
    const r = computeInsights(list, [], OPTS);
    assert.deepEqual(r.overrides, {
      count: 2,
      items: [
        { incident: 'INC-2', to: 'resolved', reason: 'alerts flapping', by: 'ana', at: t(4, 12) },
        { incident: 'INC-1', to: 'closed', reason: 'postmortem in review', by: 'ana', at: t(6) },
      ],
    });
  });
});

describe('computeInsights: trend', () => {
  it('per ISO week: incidents (cancelled left out) and the median MTTA and MTTR', () => {
    const list = [
      inc(1, t(2, 10), { milestones: { acknowledgedAt: t(2, 10, 4), resolvedAt: t(2, 11) } }),
      inc(2, t(8, 10), { milestones: { acknowledgedAt: t(8, 10, 10), resolvedAt: t(8, 12) } }),
      inc(3, t(9, 10), { milestones: { acknowledgedAt: t(9, 10, 2) } }),
      inc(4, t(9, 10), { status: 'cancelled', milestones: { acknowledgedAt: t(9, 11) } }),
    ];
    const r = computeInsights(list, [], OPTS);
    assert.deepEqual(r.trend, [
      { week: '2026-W45', incidents: 2, mttaMinutes: 7, mttrMinutes: 90 },
      { week: '2026-W46', incidents: 1, mttaMinutes: 2, mttrMinutes: null },
    ]);
  });
});

describe('isoWeek', () => {
  it('follows ISO-8601 at year boundaries', () => {
    assert.equal(isoWeek('2026-01-01T00:00:00Z'), '2026-W01'); // a Thursday
    assert.equal(isoWeek('2021-01-01T12:00:00Z'), '2020-W53'); // a Friday
    assert.equal(isoWeek('2024-12-30T00:00:00Z'), '2025-W01'); // a Monday
    assert.equal(isoWeek('2026-11-15T23:59:59Z'), '2026-W46'); // a Sunday
    assert.equal(isoWeek('2026-11-16T00:00:00Z'), '2026-W47');
  });
});
