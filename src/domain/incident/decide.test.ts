import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Cmd, type Ev, at, declare, declared, ev, given, NUMBER, readyToClose, T0 } from './test-kit.js';
import type { DecideMitigation } from './commands.js';
import type { BoundaryFlags, MitigationKind, Role } from './types.js';

const assign = (role: Role, person: string): Cmd => ({ type: 'AssignRole', role, person });
const unassign = (role: Role, person: string): Cmd => ({ type: 'UnassignRole', role, person });
const boundary = (flags: Partial<BoundaryFlags>): BoundaryFlags => ({
  unsupportedFlow: false,
  coexistenceSeam: false,
  rolloutBoundary: false,
  ...flags,
});
const mitigate = (kind: MitigationKind, extra: Partial<DecideMitigation> = {}): Omit<DecideMitigation, 'actor'> => ({
  type: 'DecideMitigation',
  kind,
  action: `pull ${kind}`,
  rationale: 'reduces the impact now',
  ...extra,
});
const action = (extra: Partial<{ dueAt: string; fromQuestion: string; owner: string }> = {}): Cmd => ({
  type: 'AddActionItem',
  title: 'Validate the pricing config',
  owner: 'li',
  dueAt: '2026-12-04T00:00:00.000Z',
  priority: 'P2',
  ...extra,
});
const closed = (): Ev[] => [...readyToClose(), ev.status('resolved', 'closed')];

describe('DeclareIncident', () => {
  it('emits IncidentDeclared and ImpactStated, trimming the title and defaulting the times to now', () => {
    given()
      .when(declare({ title: '  Checkout fails ', impactConfirmed: true }))
      .then([
        {
          type: 'IncidentDeclared',
          data: { number: NUMBER, title: 'Checkout fails', services: [], startedAt: T0, detectedAt: T0, auto: false },
        },
        { type: 'ImpactStated', data: { statement: 'Shoppers cannot pay for their orders', confirmed: true } },
      ]);
  });

  it('adds the severity with its reason, and the commander, when given', () => {
    given()
      .when(declare({ services: ['checkout'], severity: 'SEV2', severityReason: 'payments fail', commander: 'li' }))
      .then([
        {
          type: 'IncidentDeclared',
          data: {
            number: NUMBER,
            title: 'Checkout fails',
            services: ['checkout'],
            startedAt: T0,
            detectedAt: T0,
            auto: false,
          },
        },
        { type: 'ImpactStated', data: { statement: 'Shoppers cannot pay for their orders', confirmed: false } },
        { type: 'SeverityChanged', data: { from: null, to: 'SEV2', reason: 'payments fail' } },
        { type: 'RoleAssigned', data: { role: 'commander', person: 'li' } },
      ]);
  });

  it('triages impactFacts into a severity with the reasons, and keeps dataLoss on the impact', () => {
    const [, impact, severity] = given()
      .when(
        declare({
          impactFacts: { dataLoss: true, workaroundExists: true },
          boundary: boundary({ coexistenceSeam: true }),
        }),
      )
      .events();
    assert.deepEqual(impact?.data, {
      statement: 'Shoppers cannot pay for their orders',
      confirmed: false,
      dataLoss: true,
      boundary: boundary({ coexistenceSeam: true }),
    });
    assert.deepEqual(severity?.data, {
      from: null,
      to: 'SEV1',
      reason: 'triage: user data has been lost or corrupted; SEV1: Service down, data loss, security breach',
    });
  });

  it('keeps an explicit severity and reason over the triage', () => {
    const s = given()
      .when(
        declare({ severity: 'SEV3', severityReason: 'only the EU shop', impactFacts: { majorFeatureBroken: true } }),
      )
      .state();
    assert.deepEqual(
      s.severityHistory.map((h) => [h.to, h.reason]),
      [['SEV3', 'only the EU shop']],
    );
  });

  it('refuses a severity without a reason', () => {
    given()
      .when(declare({ severity: 'SEV2' }))
      .thenThrows('validation', { errors: ['body.severityReason'] });
    given()
      .when(declare({ severity: 'SEV2', severityReason: '  ' }))
      .thenThrows('validation', { errors: ['body.severityReason'] });
  });

  it('lets impactFacts give the reason when severityReason is blank', () => {
    const s = given()
      .when(declare({ severityReason: ' ', impactFacts: { cosmetic: true } }))
      .state();
    assert.deepEqual(
      s.severityHistory.map((h) => [h.to, h.reason]),
      [['SEV4', 'triage: the problem is cosmetic; SEV4: Cosmetic, no user impact']],
    );
  });

  it('refuses empty impactFacts', () => {
    given()
      .when(declare({ impactFacts: {} }))
      .thenThrows('validation', { errors: ['body'] });
  });

  it('refuses a startedAt or detectedAt in the future', () => {
    const future = '2026-11-27T11:00:00.000Z';
    given()
      .when(declare({ startedAt: future }))
      .thenThrows('validation', { errors: ['body.startedAt'] });
    given()
      .when(declare({ detectedAt: future }))
      .thenThrows('validation', { errors: ['body.detectedAt'] });
  });

  it('tolerates a minute of clock skew', () => {
    const skewed = '2026-11-27T10:01:00.000Z';
    assert.equal(
      given()
        .when(declare({ startedAt: skewed }))
        .state().milestones.startedAt,
      skewed,
    );
  });

  it('refuses to declare twice with conflict', () => {
    given(...declared())
      .when(declare())
      .thenThrows('conflict');
  });
});

describe('commands on an incident that was never declared', () => {
  const commands: Cmd[] = [
    { type: 'ChangeSeverity', severity: 'SEV2', reason: 'r' },
    { type: 'AddNote', body: 'hello' },
    assign('commander', 'ana'),
    { type: 'ChangeStatus', to: 'resolved' },
    action(),
  ];
  for (const cmd of commands) {
    it(`${cmd.type} → not_found`, () => {
      given().when(cmd).thenThrows('not_found');
    });
  }
});

describe('ChangeSeverity', () => {
  it('records from, to and the reason', () => {
    given(...declared(), ev.severity('SEV3'))
      .when({ type: 'ChangeSeverity', severity: 'SEV1', reason: 'orders are lost' })
      .then([{ type: 'SeverityChanged', data: { from: 'SEV3', to: 'SEV1', reason: 'orders are lost' } }]);
  });

  it('refuses the same severity', () => {
    given(...declared(), ev.severity('SEV2'))
      .when({ type: 'ChangeSeverity', severity: 'SEV2', reason: 'still bad' })
      .thenThrows('validation', { errors: ['body.severity'] });
  });

  it('refuses a change without a reason', () => {
    given(...declared())
      .when({ type: 'ChangeSeverity', severity: 'SEV2', reason: ' ' })
      .thenThrows('validation', { errors: ['body.reason'] });
  });
});

describe('roles', () => {
  it('assign a responder', () => {
    const s = given(...declared())
      .when(assign('responder', 'li'))
      .then([ev.role('responder', 'li')]);
    assert.deepEqual(s.roles.responders, ['li']);
  });

  it('do nothing when the person already holds the role', () => {
    given(...declared(), ev.role('responder', 'li'))
      .when(assign('responder', 'li'))
      .thenNothing();
    given(...declared(), ev.role('commander', 'ana'))
      .when(assign('commander', 'ana'))
      .thenNothing();
    given(...declared(), ev.role('comms', 'li'))
      .when(assign('comms', 'li'))
      .thenNothing();
  });

  it('replace the commander', () => {
    const s = given(...declared(), ev.role('commander', 'ana'))
      .when(assign('commander', 'li'))
      .then([ev.role('commander', 'li')]);
    assert.equal(s.roles.commander, 'li');
  });

  it('unassign a holder', () => {
    const s = given(...declared(), ev.role('responder', 'li'), ev.role('responder', 'bo'))
      .when(unassign('responder', 'li'))
      .then([{ type: 'RoleUnassigned', data: { role: 'responder', person: 'li' } }]);
    assert.deepEqual(s.roles.responders, ['bo']);
    const c = given(...declared(), ev.role('commander', 'ana'))
      .when(unassign('commander', 'ana'))
      .state();
    assert.equal(c.roles.commander, null);
  });

  it('refuse to unassign someone who does not hold the role with not_found', () => {
    given(...declared(), ev.role('commander', 'ana'))
      .when(unassign('commander', 'li'))
      .thenThrows('not_found');
    given(...declared(), ev.role('commander', 'ana'))
      .when(unassign('responder', 'ana'))
      .thenThrows('not_found');
  });
});

describe('comms, updates, notes, impact', () => {
  it('SetCommsPlan emits CommsPlanSet', () => {
    const plan = { channel: '#inc-7', decisionOwner: 'ana', cadenceMinutes: 15, externalTrigger: 'checkout down' };
    given(...declared())
      .when({ type: 'SetCommsPlan', ...plan })
      .then([{ type: 'CommsPlanSet', data: plan }]);
  });

  it('PostUpdate emits UpdatePosted for its audience', () => {
    given(...declared())
      .when({ type: 'PostUpdate', audience: 'external', body: 'We are rolling back.' })
      .then([{ type: 'UpdatePosted', data: { audience: 'external', body: 'We are rolling back.' } }]);
  });

  it('AddNote emits NoteAdded', () => {
    given(...declared())
      .when({ type: 'AddNote', body: 'v42 went out at 09:58' })
      .then([ev.note({ body: 'v42 went out at 09:58' })]);
  });

  it('StateImpact restates the impact and refuses a future startedAt', () => {
    const impact = {
      statement: '30% of checkouts fail',
      confirmed: true,
      usersAffected: 1200,
      startedAt: '2026-11-27T09:00:00.000Z',
    };
    given(...declared())
      .when({ type: 'StateImpact', ...impact })
      .then([{ type: 'ImpactStated', data: impact }]);
    given(...declared())
      .when({ type: 'StateImpact', ...impact, startedAt: '2026-11-28T00:00:00.000Z' })
      .thenThrows('validation', { errors: ['body.startedAt'] });
  });
});

describe('evidence and guardrails', () => {
  it('number evidence E1, E2', () => {
    given(...declared(), ev.evidence())
      .when({ type: 'AddEvidence', kind: 'deploy', title: 'v42', url: 'https://ci.example/42' })
      .then([
        { type: 'EvidenceAdded', data: { id: 'E2', kind: 'deploy', title: 'v42', url: 'https://ci.example/42' } },
      ]);
  });

  it('number guardrails G1, G2, each with its removal as an action item; the removal condition is optional here', () => {
    const g = { what: 'rate limit 100 rps', why: 'protect the db', owner: 'li' };
    const removal = (id: string, guardrail: string, title: string, dueAt: string): Ev => ({
      type: 'ActionItemAdded',
      data: { id, title, owner: 'li', dueAt, priority: 'P2', kind: 'guardrail-removal', fromGuardrail: guardrail },
    });
    given(...declared())
      .when({ type: 'AddGuardrail', ...g })
      .then([
        { type: 'GuardrailAdded', data: { id: 'G1', ...g } },
        removal('INC-7-A1', 'G1', 'Remove guardrail G1 (rate limit 100 rps)', '2026-12-11T10:02:00.000Z'),
      ]);
    given(...declared(), ev.guardrail(), ev.action())
      .when({ type: 'AddGuardrail', ...g, removalCondition: ' db upgraded ' })
      .then([
        { type: 'GuardrailAdded', data: { id: 'G2', ...g, removalCondition: ' db upgraded ' } },
        removal('INC-7-A2', 'G2', 'Remove guardrail G2 (rate limit 100 rps) once db upgraded', '2026-12-11T10:04:00.000Z'),
      ]);
  });
});

describe('DecideMitigation', () => {
  const decided = (id: string, kind: MitigationKind, failClosed: boolean | null, extra: object = {}): Ev => ({
    type: 'MitigationDecided',
    data: {
      id,
      kind,
      action: `pull ${kind}`,
      rationale: 'reduces the impact now',
      failClosed,
      execute: false,
      ...extra,
    },
  });

  it('numbers decisions M1, M2', () => {
    given(...declared())
      .when(mitigate('rollback', { failClosed: true }))
      .then([decided('M1', 'rollback', true)]);
    given(...declared(), ev.mitigation())
      .when(mitigate('rollback', { failClosed: true }))
      .then([decided('M2', 'rollback', true)]);
  });

  it('keeps the lever and the execute flag', () => {
    given(...declared())
      .when({ ...mitigate('feature-flag', { failClosed: true }), lever: 'disable-new-pricing', execute: true })
      .then([decided('M1', 'feature-flag', true, { lever: 'disable-new-pricing', execute: true })]);
  });

  it('sets failClosed null for kind "none", whatever was sent', () => {
    given(...declared())
      .when(mitigate('none', { failClosed: true }))
      .then([decided('M1', 'none', null)]);
  });

  it('leaves failClosed null when not known', () => {
    given(...declared())
      .when(mitigate('scale'))
      .then([decided('M1', 'scale', null)]);
  });

  for (const flag of ['unsupportedFlow', 'coexistenceSeam'] as const) {
    const touching = (): Ev[] => [ev.declared(), ev.impact({ boundary: boundary({ [flag]: true }) })];

    it(`needs failOpenReason for a fail-open lever on an incident touching ${flag}`, () => {
      given(...touching())
        .when(mitigate('fallback', { failClosed: false }))
        .thenThrows('gate_unmet', { unmet: ['fail_open_reason_missing'] });
      given(...touching())
        .when(mitigate('fallback', { failClosed: false, failOpenReason: '  ' }))
        .thenThrows('gate_unmet', { unmet: ['fail_open_reason_missing'] });
    });

    it(`accepts a fail-open lever touching ${flag} with failOpenReason`, () => {
      const failOpenReason = 'reads only: no write can take the unsafe path';
      given(...touching())
        .when(mitigate('fallback', { failClosed: false, failOpenReason }))
        .then([decided('M1', 'fallback', false, { failOpenReason })]);
    });

    it(`accepts a fail-closed lever touching ${flag} without a reason`, () => {
      given(...touching())
        .when(mitigate('reject-path', { failClosed: true }))
        .then([decided('M1', 'reject-path', true)]);
    });
  }

  it('needs no failOpenReason when the incident touches only a rollout boundary, or no boundary', () => {
    given(ev.declared(), ev.impact({ boundary: boundary({ rolloutBoundary: true }) }))
      .when(mitigate('fallback', { failClosed: false }))
      .then([decided('M1', 'fallback', false)]);
    given(...declared())
      .when(mitigate('fallback', { failClosed: false }))
      .then([decided('M1', 'fallback', false)]);
  });
});

describe('questions', () => {
  it('number questions Q1, Q2', () => {
    given(...declared(), ev.question('Q1'))
      .when({ type: 'AskQuestion', question: 'Was refunds hit too?' })
      .then([{ type: 'QuestionAsked', data: { id: 'Q2', question: 'Was refunds hit too?' } }]);
  });

  it('answer a question, whatever the case of its id', () => {
    given(...declared(), ev.question('Q1'))
      .when({ type: 'AnswerQuestion', questionId: 'q1', answer: 'No' })
      .then([{ type: 'QuestionAnswered', data: { id: 'Q1', answer: 'No' } }]);
  });

  it('refuse an unknown question with not_found', () => {
    given(...declared(), ev.question('Q1'))
      .when({ type: 'AnswerQuestion', questionId: 'Q2', answer: 'No' })
      .thenThrows('not_found');
  });

  it('refuse a blank answer, which the closed gate would still count as open', () => {
    given(...declared(), ev.question('Q1'))
      .when({ type: 'AnswerQuestion', questionId: 'Q1', answer: '   ' })
      .thenThrows('validation', { errors: ['body.answer'] });
  });

  it('refuse a second answer', () => {
    given(...declared(), ev.question('Q1'), ev.answer('Q1'))
      .when({ type: 'AnswerQuestion', questionId: 'Q1', answer: 'Yes after all' })
      .thenThrows('validation', { errors: ['params.qid'] });
  });
});

describe('action items', () => {
  it('are addressed INC-<n>-A<k>', () => {
    given(...declared())
      .when(action())
      .then([
        {
          type: 'ActionItemAdded',
          data: {
            id: 'INC-7-A1',
            title: 'Validate the pricing config',
            owner: 'li',
            dueAt: '2026-12-04T00:00:00.000Z',
            priority: 'P2',
          },
        },
      ]);
    const [added] = given(...declared(), ev.action())
      .when(action())
      .events();
    assert.ok(added?.type === 'ActionItemAdded');
    assert.equal(added.data.id, 'INC-7-A2');
  });

  const dates: [string, string][] = [
    ['2026-12-04', '2026-12-04T00:00:00.000Z'],
    ['2026-12-04T09:00:00+02:00', '2026-12-04T07:00:00.000Z'],
    ['2026-12-04T07:00:00Z', '2026-12-04T07:00:00.000Z'],
  ];
  for (const [dueAt, iso] of dates) {
    it(`normalise dueAt ${dueAt} to ${iso}`, () => {
      assert.equal(
        given(...declared())
          .when(action({ dueAt }))
          .state().actions[0]?.dueAt,
        iso,
      );
    });
  }

  for (const dueAt of ['next friday', '', '2026-13-45']) {
    it(`refuse the dueAt ${JSON.stringify(dueAt)}`, () => {
      given(...declared())
        .when(action({ dueAt }))
        .thenThrows('validation', { errors: ['body.dueAt'] });
    });
  }

  it('link an existing question (any case), and refuse an unknown one', () => {
    const s = given(...declared(), ev.question('Q1'))
      .when(action({ fromQuestion: 'q1' }))
      .state();
    assert.equal(s.actions[0]?.fromQuestion, 'Q1');
    given(...declared(), ev.question('Q1'))
      .when(action({ fromQuestion: 'Q2' }))
      .thenThrows('validation', { errors: ['body.fromQuestion'] });
  });

  it('change status with from and to', () => {
    given(...declared(), ev.action())
      .when({ type: 'ChangeActionItemStatus', actionId: 'inc-7-a1', status: 'in_progress' })
      .then([{ type: 'ActionItemStatusChanged', data: { id: 'INC-7-A1', from: 'open', to: 'in_progress' } }]);
  });

  it('emit nothing when the status is unchanged', () => {
    given(...declared(), ev.action())
      .when({ type: 'ChangeActionItemStatus', actionId: 'INC-7-A1', status: 'open' })
      .thenNothing();
  });

  it('refuse an unknown action item with not_found', () => {
    given(...declared(), ev.action())
      .when({ type: 'ChangeActionItemStatus', actionId: 'INC-7-A2', status: 'done' })
      .thenThrows('not_found');
  });
});

describe('a closed incident', () => {
  it('still takes notes', () => {
    given(...closed())
      .when({ type: 'AddNote', body: 'fix shipped' })
      .then([ev.note({ body: 'fix shipped' })]);
  });

  it('still takes action items and their status changes', () => {
    const [added] = given(...closed())
      .when(action())
      .events();
    assert.ok(added?.type === 'ActionItemAdded');
    assert.equal(added.data.id, 'INC-7-A2');
    given(...closed())
      .when({ type: 'ChangeActionItemStatus', actionId: 'INC-7-A1', status: 'done' })
      .then([{ type: 'ActionItemStatusChanged', data: { id: 'INC-7-A1', from: 'open', to: 'done' } }]);
  });

  const refused: Cmd[] = [
    { type: 'ChangeSeverity', severity: 'SEV1', reason: 'worse' },
    { type: 'StateImpact', statement: 'x', confirmed: true },
    assign('responder', 'bo'),
    unassign('comms', 'li'),
    { type: 'SetCommsPlan', channel: '#x', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'x' },
    { type: 'PostUpdate', audience: 'internal', body: 'x' },
    { type: 'AddEvidence', kind: 'log', title: 'x' },
    mitigate('rollback', { failClosed: true }),
    { type: 'AskQuestion', question: 'x?' },
    { type: 'AnswerQuestion', questionId: 'Q1', answer: 'x' },
    { type: 'AddGuardrail', what: 'x', why: 'x', owner: 'li' },
    { type: 'ChangeStatus', to: 'investigating', reason: 'regression' },
    { type: 'WritePostmortem', summary: 'x', impact: 'x', whys: ['x'], rootCause: 'x' },
  ];
  for (const cmd of refused) {
    it(`refuses ${cmd.type} with gate_unmet incident_closed`, () => {
      given(...closed())
        .when(cmd)
        .thenThrows('gate_unmet', { unmet: ['incident_closed'] });
    });
  }
});

describe('WritePostmortem', () => {
  it('fills the optional lists with empty ones', () => {
    const pm = { summary: 's', impact: 'i', whys: ['w1', 'w2'], rootCause: 'rc' };
    given(...declared())
      .when({ type: 'WritePostmortem', ...pm, wentWell: ['rollback'] })
      .then([
        {
          type: 'PostmortemWritten',
          data: { ...pm, contributingFactors: [], wentWell: ['rollback'], wentPoorly: [], lessons: [] },
        },
      ]);
  });
});

describe('events carry the command clock and actor', () => {
  it('stamps at and actor from the command', () => {
    const [e] = given(...declared())
      .when({ type: 'AddNote', body: 'x', actor: 'li' })
      .events();
    assert.deepEqual([e?.at, e?.actor], [at(2), 'li']);
  });
});
