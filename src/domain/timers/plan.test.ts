import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentEvent } from '../incident/events.js';
import { apply, type Incident } from '../incident/state.js';
import { at, ev, given, T0, type Ev } from '../incident/test-kit.js';
import { stillDue, timersFor, type TimerPlan } from './plan.js';
import { DEFAULT_TIMER_RULES, formatDuration, parseSeverityDurations } from './rules.js';

const min = (n: number) => new Date(Date.parse(T0) + n * 60_000).toISOString();

/** The plan of appending `more` (stamped at `at(step)`) to the incident the steps build. */
function planOf(steps: Ev[], more: Ev[], step = steps.length): { plan: TimerPlan; after: Incident } {
  const g = given(...steps);
  const before = g.state();
  const events = more.map((e) => ({ at: at(step), actor: 'ana', ...e }) as IncidentEvent);
  const after = events.reduce(apply, before);
  return { plan: timersFor(before, events, after, DEFAULT_TIMER_RULES), after };
}

describe('timersFor', () => {
  it('schedules the acknowledgement, contain-first and comms-lead timers of a new SEV1', () => {
    const { plan } = planOf([], [ev.declared(), ev.severity('SEV1')]);
    assert.deepEqual(plan, {
      cancel: [],
      schedule: [
        { key: 'ack', kind: 'ack', dueAt: min(5) },
        { key: 'contain_first', kind: 'contain_first', dueAt: min(15) },
        { key: 'comms_lead', kind: 'comms_lead', dueAt: min(10) },
      ],
    });
  });

  it('schedules nothing for a SEV4 without confirmed impact but its acknowledgement', () => {
    const { plan } = planOf([], [ev.declared(), ev.severity('SEV4')]);
    assert.deepEqual(plan, { cancel: [], schedule: [{ key: 'ack', kind: 'ack', dueAt: min(24 * 60) }] });
  });

  it('cancels the acknowledgement when a commander is assigned, and moves targets with the severity', () => {
    const steps = [ev.declared(), ev.severity('SEV3'), ev.impact()];
    assert.deepEqual(planOf(steps, [ev.role('commander', 'ana')]).plan, { cancel: ['ack'], schedule: [] });
    assert.deepEqual(planOf(steps, [ev.severity('SEV1', 'SEV3')]).plan, {
      cancel: [],
      schedule: [
        { key: 'ack', kind: 'ack', dueAt: min(5) },
        { key: 'contain_first', kind: 'contain_first', dueAt: min(15) },
        { key: 'comms_lead', kind: 'comms_lead', dueAt: min(3 + 10) },
      ],
    });
  });

  it('cancels contain-first once a mitigation is decided', () => {
    const steps = [ev.declared(), ev.severity('SEV2'), ev.role('commander', 'ana'), ev.role('comms', 'li')];
    assert.deepEqual(planOf(steps, [ev.mitigation()]).plan, { cancel: ['contain_first'], schedule: [] });
  });

  it('arms the update cadence with the comms plan and re-arms it after every update and firing', () => {
    const steps = [ev.declared(), ev.severity('SEV3'), ev.role('commander', 'ana')];
    const cadence = (n: number) => ({ cancel: [], schedule: [{ key: 'update_cadence', kind: 'update_cadence', dueAt: min(n) }] });
    assert.deepEqual(planOf(steps, [ev.comms({ cadenceMinutes: 20 })]).plan, cadence(3 + 20));
    const planned = [...steps, ev.comms({ cadenceMinutes: 20 })];
    assert.deepEqual(planOf(planned, [{ type: 'UpdatePosted', data: { audience: 'internal', body: 'rolling back' } }], 9).plan, cadence(29));
    const fired: Ev = { type: 'TimerFired', data: { kind: 'update_cadence', timerId: 'x', dueAt: min(23), message: 'm' } };
    assert.deepEqual(planOf(planned, [fired], 23).plan, cadence(43));
    assert.deepEqual(planOf(planned, [ev.note()], 9).plan, { cancel: [], schedule: [] });
    assert.deepEqual(planOf(planned, [ev.status('investigating', 'cancelled', { reason: 'dup' })]).plan.cancel, ['update_cadence']);
  });

  it('schedules the postmortem due and overdue timers at resolution, and action deadlines until done', () => {
    const steps = [ev.declared(), ev.severity('SEV3'), ev.role('commander', 'ana'), ev.mitigation()];
    const { plan, after } = planOf(steps, [ev.status('investigating', 'resolved'), ev.action({ dueAt: min(600) })]);
    assert.equal(after.postmortemDueAt, min(4 + 48 * 60));
    assert.deepEqual(plan.schedule, [
      { key: 'postmortem_due', kind: 'postmortem_due', dueAt: min(4 + 48 * 60) },
      { key: 'postmortem_overdue', kind: 'postmortem_overdue', dueAt: min(4 + 72 * 60) },
      { key: 'action_due:INC-7-A1', kind: 'action_due', dueAt: min(600) },
    ]);
    const resolved = [...steps, ev.status('investigating', 'resolved'), ev.action({ dueAt: min(600) })];
    assert.deepEqual(planOf(resolved, [ev.postmortem()]).plan, { cancel: [], schedule: [] }, 'a written draft is not done');
    assert.deepEqual(planOf([...resolved, ev.postmortem()], [ev.published()]).plan, {
      cancel: ['postmortem_due', 'postmortem_overdue'],
      schedule: [],
    });
    assert.deepEqual(planOf(resolved, [{ type: 'ActionItemStatusChanged', data: { id: 'INC-7-A1', from: 'open', to: 'done' } }]).plan, {
      cancel: ['action_due:INC-7-A1'],
      schedule: [],
    });
  });

  it('nudges for a comms lead from when the role fell empty', () => {
    const steps = [ev.declared(), ev.severity('SEV2'), ev.role('comms', 'li')];
    assert.deepEqual(planOf(steps, [{ type: 'RoleUnassigned', data: { role: 'comms', person: 'li' } }], 40).plan, {
      cancel: [],
      schedule: [{ key: 'comms_lead', kind: 'comms_lead', dueAt: min(40 + 30) }],
    });
  });
});

describe('stillDue', () => {
  it('holds only while the condition does', () => {
    const open = given(ev.declared(), ev.severity('SEV1')).state();
    const led = given(ev.declared(), ev.severity('SEV1'), ev.role('commander', 'ana'), ev.role('comms', 'li'), ev.mitigation()).state();
    for (const kind of ['ack', 'contain_first', 'comms_lead'] as const) {
      assert.equal(stillDue({ kind, key: kind }, open), true, kind);
      assert.equal(stillDue({ kind, key: kind }, led), false, kind);
    }
    assert.equal(stillDue({ kind: 'action_due', key: 'action_due:INC-7-A9' }, open), false);
  });
});

describe('parseSeverityDurations', () => {
  it('reads units and off over the defaults', () => {
    assert.deepEqual(parseSeverityDurations('SEV1=30s, SEV4=off,sev3=2d', DEFAULT_TIMER_RULES.ack), {
      ok: true,
      value: { SEV1: 30_000, SEV2: 30 * 60_000, SEV3: 2 * 86_400_000, SEV4: null },
    });
    assert.equal(formatDuration(90 * 60_000), '1 h 30 min');
    assert.equal(formatDuration(5 * 60_000), '5 min');
  });
});
