import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChangeStatus } from './commands.js';
import { TRANSITIONS, unmetGates } from './gates.js';
import { type Cmd, type Ev, declare, declared, ev, given, readyToClose, readyToResolve } from './test-kit.js';
import { STATUSES, type Status } from './types.js';

const to = (status: Status, extra: Partial<Omit<ChangeStatus, 'type' | 'to' | 'actor'>> = {}): Cmd => ({
  type: 'ChangeStatus',
  to: status,
  ...extra,
});
const moved = (from: Status, status: Status, extra: object = {}): Ev[] => [ev.status(from, status, extra)];

/** Every criterion of the resolved gate, each provided by one event (on top of a bare declaration). */
const PROVIDES = {
  severity_missing: ev.severity('SEV2'),
  impact_unconfirmed: ev.impact(),
  containment_missing: ev.mitigation(),
  commander_missing: ev.role('commander', 'ana'),
  comms_owner_missing: ev.role('comms', 'li'),
  cadence_missing: ev.comms(),
  evidence_missing: ev.evidence(),
  guardrails_unreviewed: ev.guardrail(),
};
type ResolveCode = keyof typeof PROVIDES;
const RESOLVE_CODES = Object.keys(PROVIDES) as ResolveCode[];
const allBut = (code: ResolveCode): Ev[] => [
  ev.declared(),
  ...RESOLVE_CODES.filter((c) => c !== code).map((c) => PROVIDES[c]),
];

describe('status transitions (TRANSITIONS)', () => {
  it('is the status machine', () => {
    assert.deepEqual(TRANSITIONS, {
      new: [],
      investigating: ['mitigated', 'resolved', 'cancelled'],
      mitigated: ['resolved', 'investigating', 'cancelled'],
      resolved: ['closed', 'investigating'],
      cancelled: ['investigating'],
      closed: [],
    });
  });

  // Every gate is met, so only the status machine decides.
  const allGatesMet = (): Ev[] => [...readyToResolve(), ev.postmortem(), ev.action(), ev.published()];
  const reach: Record<Status, Ev[]> = {
    investigating: [],
    mitigated: moved('investigating', 'mitigated'),
    resolved: moved('investigating', 'resolved'),
    cancelled: moved('investigating', 'cancelled', { reason: 'false alarm' }),
    closed: [...moved('investigating', 'resolved'), ...moved('resolved', 'closed')],
  };
  for (const from of STATUSES.filter((s) => s !== 'closed')) {
    for (const target of STATUSES) {
      const allowed = TRANSITIONS[from].includes(target);
      it(`${from} → ${target}: ${allowed ? 'allowed' : 'transition_not_allowed'}`, () => {
        const extra = target === 'investigating' || target === 'cancelled' ? { reason: 'a regression' } : {};
        const when = given(...allGatesMet(), ...reach[from]).when(to(target, extra));
        // A first resolve also drafts the postmortem, and a re-open sends a published one back to draft.
        const moves = target === 'resolved' || target === 'investigating' ? when.thenMoves : when.then;
        if (allowed) moves([{ type: 'StatusChanged', data: { from, to: target, ...extra } }]);
        else when.thenThrows('gate_unmet', { unmet: ['transition_not_allowed'] });
      });
    }
  }

  it('names the allowed moves when refusing one', () => {
    const err = given(...declared())
      .when(to('closed'))
      .thenThrows('gate_unmet');
    assert.equal(
      err.details?.unmet?.[0]?.message,
      'From investigating the incident can move to mitigated, resolved, cancelled.',
    );
  });

  for (const target of STATUSES) {
    it(`closed is terminal: closed → ${target} is refused with incident_closed`, () => {
      given(...allGatesMet(), ...reach.closed)
        .when(to(target, { reason: 'regression' }))
        .thenThrows('gate_unmet', { unmet: ['incident_closed'] });
    });
  }

  it('refuses a status change on a never-declared incident with not_found', () => {
    given()
      .when(to('investigating', { reason: 'x' }))
      .thenThrows('not_found');
  });
});

describe('re-opening to investigating', () => {
  const reachable: [Status, Ev[]][] = [
    ['mitigated', moved('investigating', 'mitigated')],
    ['resolved', moved('investigating', 'resolved')],
    ['cancelled', moved('investigating', 'cancelled', { reason: 'false alarm' })],
  ];
  for (const [from, path] of reachable) {
    it(`from ${from} needs a reason`, () => {
      given(...readyToResolve(), ...path)
        .when(to('investigating'))
        .thenThrows('gate_unmet', { unmet: ['reason_missing'] });
      given(...readyToResolve(), ...path)
        .when(to('investigating', { reason: '   ' }))
        .thenThrows('gate_unmet', { unmet: ['reason_missing'] });
    });

    it(`from ${from} with a reason records it and counts the re-open`, () => {
      const s = given(...readyToResolve(), ...path)
        .when(to('investigating', { reason: 'errors are back' }))
        .thenMoves([{ type: 'StatusChanged', data: { from, to: 'investigating', reason: 'errors are back' } }]);
      assert.equal(s.status, 'investigating');
      assert.equal(s.reopenCount, 1);
    });
  }

  it('still needs the declare gate: a re-open without an impact statement lists both', () => {
    given(ev.declared(), ...moved('investigating', 'cancelled', { reason: 'false alarm' }))
      .when(to('investigating'))
      .thenThrows('gate_unmet', { unmet: ['impact_missing', 'reason_missing'] });
  });
});

describe('the declare gate', () => {
  const cases: [string, Parameters<typeof declare>[0], string[]][] = [
    ['no title', { title: '' }, ['title_missing']],
    ['a blank title', { title: '  \t' }, ['title_missing']],
    ['no impact statement', { impact: undefined }, ['impact_missing']],
    ['a blank impact statement', { impact: '   ' }, ['impact_missing']],
    ['neither', { title: ' ', impact: '' }, ['title_missing', 'impact_missing']],
  ];
  for (const [name, extra, unmet] of cases) {
    it(`refuses ${name}`, () => {
      given().when(declare(extra)).thenThrows('gate_unmet', { unmet });
    });
  }

  it('declares with a title and an impact statement', () => {
    const s = given()
      .when(declare({ title: 'Checkout 500s', impact: 'Nobody can pay' }))
      .state();
    assert.deepEqual([s.status, s.title, s.impact.statement], ['investigating', 'Checkout 500s', 'Nobody can pay']);
  });

  it('gives an auto-declared incident without a statement "impact unconfirmed"', () => {
    const s = given()
      .when(declare({ impact: undefined, auto: true }))
      .state();
    assert.deepEqual(
      [s.status, s.impact.statement, s.impact.confirmed, s.auto],
      ['investigating', 'impact unconfirmed', false, true],
    );
  });

  it('never lets an auto-declared incident start with a confirmed impact', () => {
    const s = given()
      .when(declare({ impact: 'checkout 5xx', auto: true, impactConfirmed: true }))
      .state();
    assert.deepEqual([s.impact.statement, s.impact.confirmed], ['checkout 5xx', false]);
  });
});

describe('the mitigated gate', () => {
  it('needs a mitigation decision', () => {
    given(...declared())
      .when(to('mitigated'))
      .thenThrows('gate_unmet', { unmet: ['mitigation_missing'] });
  });

  it('does not count kind "none"', () => {
    given(...declared(), ev.mitigation({ kind: 'none', failClosed: null, rationale: 'it recovered' }))
      .when(to('mitigated'))
      .thenThrows('gate_unmet', { unmet: ['mitigation_missing'] });
  });

  it('does not count a decision without a rationale', () => {
    given(...declared(), ev.mitigation({ rationale: '  ' }))
      .when(to('mitigated'))
      .thenThrows('gate_unmet', { unmet: ['mitigation_missing'] });
  });

  it('passes with a lever and its rationale', () => {
    given(...declared(), ev.mitigation({ kind: 'feature-flag' }))
      .when(to('mitigated'))
      .then([{ type: 'StatusChanged', data: { from: 'investigating', to: 'mitigated' } }]);
  });
});

describe('the resolved gate', () => {
  it('lists every unmet criterion of an empty incident at once, in order', () => {
    given(ev.declared()).when(to('resolved')).thenThrows('gate_unmet', { unmet: RESOLVE_CODES });
    given(ev.declared(), ev.alert('a1'), ev.guardrail({ removalCondition: undefined }))
      .when(to('resolved'))
      .thenThrows('gate_unmet', {
        unmet: [...RESOLVE_CODES.slice(0, -1), 'alerts_firing', 'guardrail_removal_condition_missing'],
      });
  });

  for (const code of RESOLVE_CODES) {
    it(`refuses with ${code} alone`, () => {
      given(...allBut(code))
        .when(to('resolved'))
        .thenThrows('gate_unmet', { unmet: [code] });
    });
  }

  it('passes when every criterion is met', () => {
    given(...readyToResolve())
      .when(to('resolved'))
      .thenMoves([{ type: 'StatusChanged', data: { from: 'investigating', to: 'resolved' } }]);
  });

  it('needs the impact confirmed, not only stated', () => {
    given(...allBut('impact_unconfirmed'), ev.impact({ confirmed: false }))
      .when(to('resolved'))
      .thenThrows('gate_unmet', { unmet: ['impact_unconfirmed'] });
  });

  it('accepts an explicit "none needed" containment with a reason, not without', () => {
    const none = (rationale: string) => ev.mitigation({ kind: 'none', failClosed: null, rationale });
    given(...allBut('containment_missing'), none('it recovered by itself'))
      .when(to('resolved'))
      .thenMoves([{ type: 'StatusChanged', data: { from: 'investigating', to: 'resolved' } }]);
    given(...allBut('containment_missing'), none(' '))
      .when(to('resolved'))
      .thenThrows('gate_unmet', { unmet: ['containment_missing'] });
  });

  it('refuses while a linked alert fires, even with a blank alertsOverride', () => {
    given(...readyToResolve(), ev.alert('a1'))
      .when(to('resolved'))
      .thenThrows('gate_unmet', { unmet: ['alerts_firing'] });
    given(...readyToResolve(), ev.alert('a1'))
      .when(to('resolved', { alertsOverride: '  ' }))
      .thenThrows('gate_unmet', { unmet: ['alerts_firing'] });
  });

  it('counts only alerts still firing', () => {
    const cleared: Ev = { type: 'AlertStatusChanged', data: { alertId: 'a1', status: 'resolved' } };
    given(...readyToResolve(), ev.alert('a1'), cleared, ev.alert('a2', 'resolved'))
      .when(to('resolved'))
      .thenMoves([{ type: 'StatusChanged', data: { from: 'investigating', to: 'resolved' } }]);
  });

  it('passes firing alerts with an alertsOverride reason', () => {
    const alertsOverride = 'stale alert: the error rate is 0 since the rollback';
    given(...readyToResolve(), ev.alert('a1'))
      .when(to('resolved', { alertsOverride }))
      .thenMoves([{ type: 'StatusChanged', data: { from: 'investigating', to: 'resolved', alertsOverride } }]);
  });

  it('passes without guardrails when told there are none (noGuardrails)', () => {
    given(...allBut('guardrails_unreviewed'))
      .when(to('resolved', { noGuardrails: true }))
      .thenMoves([{ type: 'StatusChanged', data: { from: 'investigating', to: 'resolved', noGuardrails: true } }]);
    given(...allBut('guardrails_unreviewed'))
      .when(to('resolved', { noGuardrails: false }))
      .thenThrows('gate_unmet', { unmet: ['guardrails_unreviewed'] });
  });

  it('needs a removal condition on every guardrail, one criterion per guardrail', () => {
    given(...readyToResolve(), ev.guardrail({ id: 'G2', removalCondition: undefined }))
      .when(to('resolved'))
      .thenThrows('gate_unmet', { unmet: ['guardrail_removal_condition_missing'] });
    const err = given(
      ...allBut('guardrails_unreviewed'),
      ev.guardrail({ removalCondition: ' ' }),
      ev.guardrail({ id: 'G2', removalCondition: undefined }),
    )
      .when(to('resolved', { noGuardrails: true }))
      .thenThrows('gate_unmet', {
        unmet: ['guardrail_removal_condition_missing', 'guardrail_removal_condition_missing'],
      });
    assert.match(err.details?.unmet?.[1]?.message ?? '', /G2/);
  });
});

describe('the closed gate', () => {
  const resolved = (): Ev[] => [...readyToResolve(), ...moved('investigating', 'resolved')];

  it('lists the whole postmortem and the action items when nothing is written', () => {
    given(...resolved())
      .when(to('closed'))
      .thenThrows('gate_unmet', {
        unmet: [
          'postmortem_summary_missing',
          'postmortem_impact_missing',
          'whys_missing',
          'root_cause_missing',
          'went_well_missing',
          'went_poorly_missing',
          'action_items_missing',
          'postmortem_unpublished',
        ],
      });
  });

  const blanks: [string, Parameters<typeof ev.postmortem>[0]][] = [
    ['postmortem_summary_missing', { summary: ' ' }],
    ['postmortem_impact_missing', { impact: '' }],
    ['whys_missing', { whys: [] }],
    ['whys_missing', { whys: ['  ', ''] }],
    ['root_cause_missing', { rootCause: '' }],
    ['went_well_missing', { wentWell: [] }],
    ['went_poorly_missing', { wentPoorly: [' '] }],
  ];
  for (const [code, blank] of blanks) {
    it(`refuses with ${code} alone (${JSON.stringify(blank)})`, () => {
      given(...resolved(), ev.postmortem(blank), ev.action(), ev.published())
        .when(to('closed'))
        .thenThrows('gate_unmet', { unmet: [code] });
    });
  }

  it('needs at least one action item', () => {
    given(...resolved(), ev.postmortem(), ev.published())
      .when(to('closed'))
      .thenThrows('gate_unmet', { unmet: ['action_items_missing'] });
  });

  it('does not count a guardrail removal as the follow-up', () => {
    given(...resolved(), ev.postmortem(), ev.published(), ev.action({ kind: 'guardrail-removal', fromGuardrail: 'G1' }))
      .when(to('closed'))
      .thenThrows('gate_unmet', { unmet: ['action_items_missing'] });
  });

  it('needs the postmortem published', () => {
    given(...resolved(), ev.postmortem(), ev.action())
      .when(to('closed'))
      .thenThrows('gate_unmet', { unmet: ['postmortem_unpublished'] });
  });

  it('in strict mode, needs every blameless warning fixed or waived', () => {
    const blameful = ev.postmortem({ rootCause: 'human error during the deploy' });
    given(...resolved(), blameful, ev.action(), ev.published())
      .when(to('closed', { strict: true }))
      .thenThrows('gate_unmet', { unmet: ['blameful_language'] });
    given(...resolved(), blameful, ev.action(), ev.published())
      .when(to('closed'))
      .thenMoves([{ type: 'StatusChanged', data: { from: 'resolved', to: 'closed' } }]);
    const waiver: Ev = { type: 'BlameWarningWaived', data: { field: 'rootCause', phrase: 'human error', reason: 'quoting the vendor' } };
    given(...resolved(), blameful, ev.action(), ev.published(), waiver)
      .when(to('closed', { strict: true }))
      .thenMoves([{ type: 'StatusChanged', data: { from: 'resolved', to: 'closed' } }]);
  });

  it('needs an owner on every action item', () => {
    given(...readyToClose(), ev.action({ id: 'INC-7-A2', owner: ' ' }))
      .when(to('closed'))
      .thenThrows('gate_unmet', { unmet: ['action_item_incomplete'] });
  });

  it('refuses while a question is open', () => {
    given(...readyToClose(), ev.question('Q1'))
      .when(to('closed'))
      .thenThrows('gate_unmet', { unmet: ['question_open'] });
  });

  it('accepts a question answered', () => {
    given(...readyToClose(), ev.question('Q1'), ev.answer('Q1'))
      .when(to('closed'))
      .then([{ type: 'StatusChanged', data: { from: 'resolved', to: 'closed' } }]);
  });

  it('accepts a question turned into an action item (fromQuestion)', () => {
    given(
      ...readyToClose(),
      ev.question('Q1'),
      ev.question('Q2'),
      ev.answer('Q2'),
      ev.action({ id: 'INC-7-A2', fromQuestion: 'Q1' }),
    )
      .when(to('closed'))
      .then([{ type: 'StatusChanged', data: { from: 'resolved', to: 'closed' } }]);
  });

  it('passes when the postmortem is complete', () => {
    const s = given(...readyToClose())
      .when(to('closed'))
      .then([{ type: 'StatusChanged', data: { from: 'resolved', to: 'closed' } }]);
    assert.equal(s.status, 'closed');
  });
});

describe('the cancelled gate', () => {
  it('needs a reason', () => {
    given(...declared())
      .when(to('cancelled'))
      .thenThrows('gate_unmet', { unmet: ['reason_missing'] });
    given(...declared())
      .when(to('cancelled', { reason: ' ' }))
      .thenThrows('gate_unmet', { unmet: ['reason_missing'] });
  });

  it('cancels with the reason and keeps it', () => {
    const reason = 'false alarm: a synthetic probe';
    const s = given(...declared())
      .when(to('cancelled', { reason }))
      .then([{ type: 'StatusChanged', data: { from: 'investigating', to: 'cancelled', reason } }]);
    assert.equal(s.cancelReason, reason);
  });
});

describe('gate overrides', () => {
  const override = { reason: 'contained by hand; the record follows' };
  const bare = (): Ev[] => [...declared(), ev.role('commander', 'ana')];

  it('let the commander pass a gate: GateOverridden (unmet list, reason), then StatusChanged', () => {
    const g = given(...bare());
    const unmet = unmetGates(g.state(), 'mitigated');
    assert.deepEqual(
      unmet.map((u) => u.code),
      ['mitigation_missing'],
    );
    const s = g.when(to('mitigated', { override })).then([
      { type: 'GateOverridden', data: { to: 'mitigated', reason: override.reason, unmet } },
      { type: 'StatusChanged', data: { from: 'investigating', to: 'mitigated' } },
    ]);
    assert.equal(s.status, 'mitigated');
    assert.deepEqual(s.overrides, [{ to: 'mitigated', reason: override.reason, unmet, by: 'ana', at: g.now }]);
  });

  it('keep the same unmet list the refusal would have named', () => {
    const refusal = given(...bare())
      .when(to('resolved'))
      .thenThrows('gate_unmet');
    const [first] = given(...bare())
      .when(to('resolved', { override }))
      .events();
    assert.ok(first?.type === 'GateOverridden');
    assert.deepEqual(first.data.unmet, refusal.details?.unmet);
    assert.deepEqual(
      first.data.unmet.map((u) => u.code),
      [
        'severity_missing',
        'containment_missing',
        'comms_owner_missing',
        'cadence_missing',
        'evidence_missing',
        'guardrails_unreviewed',
      ],
    );
  });

  it('are forbidden to anyone but the commander', () => {
    given(...bare(), ev.role('responder', 'li'))
      .when({ ...to('mitigated', { override }), actor: 'li' })
      .thenThrows('forbidden');
  });

  it('are forbidden to a former commander', () => {
    given(...bare(), ev.role('commander', 'li'))
      .when(to('mitigated', { override }))
      .thenThrows('forbidden');
  });

  it('are forbidden when the incident has no commander', () => {
    given(...declared())
      .when(to('mitigated', { override }))
      .thenThrows('forbidden');
  });

  it('need a reason', () => {
    given(...bare())
      .when(to('mitigated', { override: { reason: '  ' } }))
      .thenThrows('validation', { errors: ['body.override.reason'] });
  });

  it('cannot bypass the status machine', () => {
    given(...bare())
      .when(to('closed', { override }))
      .thenThrows('gate_unmet', { unmet: ['transition_not_allowed'] });
  });

  it('leave no trace when the gate is met anyway', () => {
    const s = given(...readyToResolve())
      .when(to('resolved', { override }))
      .thenMoves([{ type: 'StatusChanged', data: { from: 'investigating', to: 'resolved' } }]);
    assert.deepEqual(s.overrides, []);
  });
});
