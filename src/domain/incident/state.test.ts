import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentEvent } from './events.js';
import { apply, initialIncident, replay } from './state.js';
import {
  type Cmd,
  type Ev,
  at,
  declare,
  declared,
  ev,
  given,
  NUMBER,
  readyToClose,
  readyToResolve,
  T0,
} from './test-kit.js';

const HOUR = 3_600_000;
const to = (status: 'investigating' | 'mitigated' | 'resolved' | 'closed' | 'cancelled', reason?: string): Cmd => ({
  type: 'ChangeStatus',
  to: status,
  ...(reason !== undefined && { reason }),
});

/** A whole response run through decide: declare, assemble, mitigate, investigate, re-open, resolve, close. */
const STORY: Cmd[] = [
  declare({ services: ['checkout'], impactFacts: { majorFeatureBroken: true }, commander: 'ana' }),
  {
    type: 'StateImpact',
    statement: '30% of checkouts fail',
    confirmed: true,
    boundary: { unsupportedFlow: false, coexistenceSeam: true, rolloutBoundary: false },
  },
  { type: 'AssignRole', role: 'responder', person: 'li' },
  { type: 'AssignRole', role: 'comms', person: 'bo' },
  { type: 'SetCommsPlan', channel: '#inc-7', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'any outage' },
  { type: 'AddNote', body: 'v42 shipped at 09:58' },
  {
    type: 'DecideMitigation',
    kind: 'rollback',
    action: 'Roll back',
    rationale: 'v42 came first',
    failClosed: true,
    execute: true,
  },
  to('mitigated'),
  { type: 'AddEvidence', kind: 'metric', title: '5xx rate' },
  { type: 'AskQuestion', question: 'Were refunds hit?' },
  { type: 'AddGuardrail', what: 'flag off', why: 'v2 broke', removalCondition: 'fix ships', owner: 'li' },
  { type: 'ChangeSeverity', severity: 'SEV1', reason: 'orders lost' },
  to('investigating', 'errors are back'),
  to('resolved'),
  {
    type: 'WritePostmortem',
    summary: 's',
    impact: 'i',
    whys: ['w'],
    rootCause: 'rc',
    wentWell: ['a'],
    wentPoorly: ['b'],
  },
  {
    type: 'AddActionItem',
    title: 'Check refunds',
    owner: 'li',
    dueAt: '2026-12-04',
    priority: 'P1',
    fromQuestion: 'Q1',
  },
  { type: 'AssignPostmortem', reviewers: ['sam'] },
  { type: 'ChangePostmortemState', to: 'in_review' },
  { type: 'ChangePostmortemState', to: 'published', actor: 'sam' },
  to('closed'),
  { type: 'ChangeActionItemStatus', actionId: 'INC-7-A1', status: 'done' },
];

describe('apply and replay', () => {
  it('replaying the log reproduces the state folded step by step', () => {
    const g = given(...STORY);
    const events = g.events();
    assert.deepEqual(replay(NUMBER, events), g.state());
    assert.deepEqual(events.reduce(apply, initialIncident(NUMBER)), g.state());
    assert.equal(g.state().status, 'closed');
  });

  it('replaying any prefix equals the state at that point', () => {
    for (let n = 1; n <= STORY.length; n++) {
      const g = given(...STORY.slice(0, n));
      assert.deepEqual(replay(NUMBER, g.events()), g.state(), `after ${n} steps`);
    }
  });

  it('counts one version per event', () => {
    const g = given(...STORY);
    assert.equal(g.state().version, g.events().length);
    assert.equal(g.state().lastEventAt, g.events().at(-1)?.at);
    assert.equal(initialIncident(NUMBER).version, 0);
  });

  it('does not change the previous state (pure)', () => {
    const before = given(...declared()).state();
    const copy = structuredClone(before);
    apply(before, { type: 'RoleAssigned', at: T0, actor: 'ana', data: { role: 'responder', person: 'li' } });
    assert.deepEqual(before, copy);
  });

  it('NoteAdded only counts the note (and the version)', () => {
    const g = given(...readyToResolve());
    const note: IncidentEvent = {
      type: 'NoteAdded',
      at: '2026-11-27T11:00:00.000Z',
      actor: 'li',
      data: { body: 'hi' },
    };
    const after = apply(g.state(), note);
    assert.deepEqual(after, {
      ...g.state(),
      noteCount: g.state().noteCount + 1,
      version: g.state().version + 1,
      lastEventAt: note.at,
    });
  });
});

describe('milestones', () => {
  it('declaredAt is the declaration time; detectedAt and startedAt default to it', () => {
    const m = given().when(declare()).state().milestones;
    assert.deepEqual([m.declaredAt, m.detectedAt, m.startedAt], [T0, T0, T0]);
  });

  it('startedAt defaults to a given detectedAt; a given startedAt is kept', () => {
    const detectedAt = '2026-11-27T09:50:00.000Z';
    const startedAt = '2026-11-27T09:30:00.000Z';
    assert.equal(given().when(declare({ detectedAt })).state().milestones.startedAt, detectedAt);
    const m = given().when(declare({ detectedAt, startedAt })).state().milestones;
    assert.deepEqual([m.startedAt, m.detectedAt, m.declaredAt], [startedAt, detectedAt, T0]);
  });

  it('a restated impact can move startedAt', () => {
    const s = given(...declared(), ev.impact({ startedAt: '2026-11-27T09:00:00.000Z' })).state();
    assert.equal(s.milestones.startedAt, '2026-11-27T09:00:00.000Z');
  });

  it('acknowledgedAt is the first commander assignment only', () => {
    assert.equal(
      given(...declared(), ev.role('responder', 'li'), ev.role('comms', 'bo')).state().milestones.acknowledgedAt,
      null,
    );
    const s = given(
      ...declared(),
      ev.role('responder', 'li'),
      ev.role('commander', 'ana'),
      { type: 'RoleUnassigned', data: { role: 'commander', person: 'ana' } },
      ev.role('commander', 'li'),
    ).state();
    assert.deepEqual([s.milestones.acknowledgedAt, s.roles.commander], [at(3), 'li']);
    assert.equal(
      given()
        .when(declare({ commander: 'ana' }))
        .state().milestones.acknowledgedAt,
      T0,
    );
  });

  it('mitigatedAt is set the first time only', () => {
    const s = given(
      ...declared(),
      ev.status('investigating', 'mitigated'),
      ev.status('mitigated', 'investigating', { reason: 'worse again' }),
      ev.status('investigating', 'mitigated'),
    ).state();
    assert.equal(s.milestones.mitigatedAt, at(2));
  });

  it('resolvedAt is the resolution time and the postmortem is due exactly 48 h later', () => {
    const g = given(...readyToResolve());
    const s = g.when(to('resolved')).state();
    assert.equal(s.milestones.resolvedAt, g.now);
    assert.equal(s.postmortemDueAt, '2026-11-29T10:09:00.000Z');
    assert.equal(Date.parse(s.postmortemDueAt) - Date.parse(g.now), 48 * HOUR);
  });

  it('closedAt is the closing time', () => {
    const g = given(...readyToClose());
    const s = g.when(to('closed')).state();
    assert.deepEqual([s.status, s.milestones.closedAt], ['closed', g.now]);
  });

  it('a re-open clears resolvedAt, closedAt and postmortemDueAt and counts it', () => {
    const g = given(...readyToResolve(), ev.status('investigating', 'resolved'));
    assert.notEqual(g.state().postmortemDueAt, null);
    const s = g.when(to('investigating', 'regression')).state();
    assert.deepEqual(
      [s.milestones.resolvedAt, s.milestones.closedAt, s.postmortemDueAt, s.reopenCount],
      [null, null, null, 1],
    );
    const fromClosed = given(
      ...readyToClose(),
      ev.status('resolved', 'closed'),
      ev.status('closed', 'investigating'),
    ).state();
    assert.deepEqual(
      [fromClosed.milestones.closedAt, fromClosed.milestones.resolvedAt, fromClosed.postmortemDueAt],
      [null, null, null],
    );
  });

  it('a second resolution moves resolvedAt and the postmortem due date', () => {
    const resolvedTwice = given(
      ...declared(),
      ev.status('investigating', 'resolved'),
      ev.status('resolved', 'investigating', { reason: 'regression' }),
      ev.status('investigating', 'resolved'),
    ).state();
    assert.equal(resolvedTwice.milestones.resolvedAt, at(4));
    assert.equal(resolvedTwice.postmortemDueAt, new Date(Date.parse(at(4)) + 48 * HOUR).toISOString());
    assert.equal(resolvedTwice.reopenCount, 1);
  });
});

describe('severity', () => {
  it('keeps its history with from, to, reason, actor and time', () => {
    const s = given(...declared(), ev.severity('SEV3', null, 'search is wrong'), {
      ...ev.severity('SEV1', 'SEV3', 'orders lost'),
      actor: 'li',
    }).state();
    assert.equal(s.severity, 'SEV1');
    assert.deepEqual(s.severityHistory, [
      { from: null, to: 'SEV3', reason: 'search is wrong', at: at(2), actor: 'ana' },
      { from: 'SEV3', to: 'SEV1', reason: 'orders lost', at: at(3), actor: 'li' },
    ]);
  });

  it('a declaration with impactFacts records the triage reasons', () => {
    const s = given()
      .when(declare({ impactFacts: { significantUserImpact: true } }))
      .state();
    assert.equal(s.severity, 'SEV2');
    assert.deepEqual(
      s.severityHistory.map((h) => h.reason),
      ['triage: a significant share of users is affected; SEV2: Major feature broken, significant user impact'],
    );
  });
});

describe('roles', () => {
  it('keeps each responder once', () => {
    const s = given(
      ...declared(),
      ev.role('responder', 'li'),
      ev.role('responder', 'bo'),
      ev.role('responder', 'li'),
    ).state();
    assert.deepEqual(s.roles.responders.toSorted(), ['bo', 'li']);
  });

  it('fills each single role', () => {
    const s = given(
      ...declared(),
      ev.role('commander', 'ana'),
      ev.role('comms', 'li'),
      ev.role('scribe', 'bo'),
    ).state();
    assert.deepEqual(s.roles, { commander: 'ana', responders: [], comms: 'li', scribe: 'bo' });
  });
});

describe('the rest of the projection', () => {
  it('projects mitigations with who decided, when, and the result', () => {
    const s = given(
      ...declared(),
      ev.mitigation({ execute: true, lever: 'rollback' }),
      { ...ev.mitigation({ id: 'M2', kind: 'none', failClosed: null }), actor: 'li' },
      ev.mitigation({ id: 'M3', kind: 'fallback', failClosed: false, failOpenReason: 'reads only' }),
    ).state();
    assert.deepEqual(
      s.mitigations.map((m) => [m.id, m.lever, m.failClosed, m.failOpenReason, m.decidedBy, m.at, m.result]),
      [
        ['M1', 'rollback', true, null, 'ana', at(2), 'requested'],
        ['M2', null, null, null, 'li', at(3), 'no containment needed'],
        ['M3', null, false, 'reads only', 'ana', at(4), 'recorded'],
      ],
    );
  });

  it('projects questions with who answered and when', () => {
    const s = given(...declared(), ev.question('Q1'), ev.question('Q2', 'Refunds?'), {
      ...ev.answer('Q2', 'Yes'),
      actor: 'li',
    }).state();
    assert.deepEqual(s.questions, [
      {
        id: 'Q1',
        question: 'Was the cache hit?',
        answer: null,
        askedBy: 'ana',
        askedAt: at(2),
        answeredBy: null,
        answeredAt: null,
      },
      {
        id: 'Q2',
        question: 'Refunds?',
        answer: 'Yes',
        askedBy: 'ana',
        askedAt: at(3),
        answeredBy: 'li',
        answeredAt: at(4),
      },
    ]);
  });

  it('projects action items open, then their status, with when they were added and done', () => {
    const status = (from: string, to: string): Ev => ({ type: 'ActionItemStatusChanged', data: { id: 'INC-7-A1', from, to } } as Ev);
    const g = given(...declared(), ev.action(), status('open', 'in_progress'));
    const item = {
      id: 'INC-7-A1',
      title: 'Check the schema',
      owner: 'li',
      dueAt: T0,
      priority: 'P1',
      status: 'in_progress',
      fromQuestion: null,
      kind: 'fix',
      ticketUrl: null,
      fromGuardrail: null,
      createdAt: at(2),
      doneAt: null,
    };
    assert.deepEqual(g.state().actions, [item]);
    const done = given(...declared(), ev.action(), status('open', 'in_progress'), status('in_progress', 'done'));
    assert.deepEqual(done.state().actions, [{ ...item, status: 'done', doneAt: at(4) }]);
    const reopened = given(...declared(), ev.action(), status('open', 'done'), status('done', 'open'));
    assert.equal(reopened.state().actions[0]?.doneAt, null);
  });

  it('projects an action item edit over the fields it names; a null ticket link removes it', () => {
    const edited = (changes: object, previous: object): Ev => ({ type: 'ActionItemEdited', data: { id: 'INC-7-A1', changes, previous } } as Ev);
    const s = given(
      ...declared(),
      ev.action({ kind: 'monitoring', ticketUrl: 'https://tracker.example/T-1' }),
      edited({ owner: 'sam', dueAt: '2026-12-01T00:00:00.000Z' }, { owner: 'li', dueAt: T0 }),
    ).state();
    assert.deepEqual(
      { owner: s.actions[0]?.owner, dueAt: s.actions[0]?.dueAt, kind: s.actions[0]?.kind, ticketUrl: s.actions[0]?.ticketUrl, title: s.actions[0]?.title },
      { owner: 'sam', dueAt: '2026-12-01T00:00:00.000Z', kind: 'monitoring', ticketUrl: 'https://tracker.example/T-1', title: 'Check the schema' },
    );
    const unlinked = given(...declared(), ev.action({ ticketUrl: 'https://tracker.example/T-1' }), edited({ ticketUrl: null }, { ticketUrl: 'https://tracker.example/T-1' })).state();
    assert.equal(unlinked.actions[0]?.ticketUrl, null);
  });

  it('projects linked alerts, once per alert id, with their status', () => {
    const s = given(...declared(), ev.alert('a1'), ev.alert('a2'), ev.alert('a1'), {
      type: 'AlertStatusChanged',
      data: { alertId: 'a2', status: 'resolved' },
    }).state();
    assert.deepEqual(s.alertCounts, { firing: 1, resolved: 1, total: 2 });
    assert.deepEqual(s.recentAlerts.map((a) => [a.id, a.status]), [
      ['a1', 'firing'],
      ['a2', 'resolved'],
    ]);
  });

  it('keeps the impact facts a restatement leaves out', () => {
    const s = given(
      ev.declared(),
      ev.impact({ dataLoss: true, usersAffected: 40 }),
      ev.impact({ statement: 'still failing' }),
    ).state();
    assert.deepEqual(s.impact, {
      statement: 'still failing',
      confirmed: true,
      usersAffected: 40,
      dataLoss: true,
      securityBreach: false,
      boundary: null,
    });
  });

  it('records overrides, the cancel reason, noGuardrails and alertsOverride', () => {
    const unmet = [{ code: 'mitigation_missing', message: 'm' }];
    const s = given(
      ...declared(),
      { type: 'GateOverridden', data: { to: 'mitigated', reason: 'by hand', unmet } },
      ev.status('investigating', 'mitigated'),
      ev.status('mitigated', 'cancelled', { reason: 'false alarm' }),
    ).state();
    assert.deepEqual(s.overrides, [{ to: 'mitigated', reason: 'by hand', unmet, by: 'ana', at: at(2) }]);
    assert.equal(s.cancelReason, 'false alarm');
    const r = given(
      ...declared(),
      ev.status('investigating', 'resolved', { noGuardrails: true, alertsOverride: 'stale' }),
    ).state();
    assert.deepEqual([r.noGuardrails, r.alertsOverride], [true, 'stale']);
  });

  it('leaves AlertsCleared as a timeline entry only', () => {
    const g = given(...declared(), ev.alert('a1', 'resolved'));
    const e: Ev = { type: 'AlertsCleared', data: { count: 1 } };
    const after = apply(g.state(), { ...e, at: T0, actor: 'firebreak' } as IncidentEvent);
    assert.deepEqual(after, { ...g.state(), version: g.state().version + 1, lastEventAt: T0 });
  });
});
