import type { IncidentEvent } from '../incident/events.js';
import type { Incident } from '../incident/state.js';
import type { Severity } from '../incident/types.js';
import type { TimerRules } from './rules.js';

export const TIMER_KINDS = [
  'ack',
  'update_cadence',
  'contain_first',
  'comms_lead',
  'postmortem_due',
  'postmortem_overdue',
  'action_due',
] as const;
export type TimerKind = (typeof TIMER_KINDS)[number];

/** How long after the postmortem fell due that it is called overdue. */
export const POSTMORTEM_OVERDUE_HOURS = 24;

/**
 * One timer an incident wants: `key` names it within the incident (at most one scheduled per key;
 * scheduling a key again replaces it), `dueAt` is when it fires.
 */
export interface TimerJob {
  key: string;
  kind: TimerKind;
  dueAt: string;
}

/** What one append changes about an incident's timers: keys to cancel, jobs to (re)schedule. */
export interface TimerPlan {
  cancel: string[];
  schedule: TimerJob[];
}

const ACTIVE = (s: Incident) => s.status === 'investigating' || s.status === 'mitigated';
const URGENT: readonly Severity[] = ['SEV1', 'SEV2'];
const plus = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();
const ACTION_PREFIX = 'action_due:';

/** The key of an action item's deadline timer. */
export const actionKey = (actionId: string) => `${ACTION_PREFIX}${actionId}`;
/** The action item a key names, or undefined. */
export const actionOfKey = (key: string) => (key.startsWith(ACTION_PREFIX) ? key.slice(ACTION_PREFIX.length) : undefined);

const of = (d: Readonly<Record<Severity, number | null>>, s: Incident) => (s.severity ? d[s.severity] : null);

// Each kind's condition on a state: the timer is wanted while it holds, and fires only if it still does.
const noCommander = (s: Incident) => ACTIVE(s) && !s.milestones.acknowledgedAt;
const uncontained = (s: Incident) =>
  s.status === 'investigating' &&
  s.mitigations.length === 0 &&
  (s.impact.confirmed || (s.severity !== null && URGENT.includes(s.severity)));
const noCommsLead = (s: Incident) => ACTIVE(s) && s.roles.comms === null;
const cadenceRuns = (s: Incident) => ACTIVE(s) && s.comms !== null;
/** Resolved, and its postmortem not published yet (a draft is made at resolution, so "written" is not enough). */
const postmortemMissing = (s: Incident) =>
  s.status === 'resolved' && s.postmortem?.state !== 'published' && s.postmortemDueAt !== null;

/**
 * The timers a state wants whose due time follows from the state alone: the acknowledgement and
 * contain-first targets (from the declaration), the postmortem deadline and the action items' deadlines.
 */
function fixedTimers(s: Incident, rules: TimerRules): Map<string, TimerJob> {
  const out = new Map<string, TimerJob>();
  const declaredAt = s.milestones.declaredAt;
  const add = (kind: TimerKind, dueAt: string, key: string = kind) => out.set(key, { key, kind, dueAt });
  const ack = of(rules.ack, s);
  if (declaredAt && ack !== null && noCommander(s)) add('ack', plus(declaredAt, ack));
  const contain = of(rules.containFirst, s);
  if (declaredAt && contain !== null && uncontained(s)) add('contain_first', plus(declaredAt, contain));
  if (postmortemMissing(s) && s.postmortemDueAt) {
    add('postmortem_due', s.postmortemDueAt);
    add('postmortem_overdue', plus(s.postmortemDueAt, POSTMORTEM_OVERDUE_HOURS * 3_600_000));
  }
  if (s.status !== 'cancelled') {
    for (const a of s.actions) if (a.status !== 'done') add('action_due', a.dueAt, actionKey(a.id));
  }
  return out;
}

/**
 * What an append changes about the incident's timers, from the state before it, its events and the
 * state after. Fixed timers follow the state (a changed due time reschedules, a met condition
 * cancels); the comms-lead nudge counts from when the role fell empty; the update cadence re-arms
 * from the comms plan, every update and every cadence firing.
 */
export function timersFor(
  before: Incident,
  events: readonly IncidentEvent[],
  after: Incident,
  rules: TimerRules,
): TimerPlan {
  const plan: TimerPlan = { cancel: [], schedule: [] };
  const last = events.at(-1);
  if (!last) return plan;

  const was = fixedTimers(before, rules);
  const now = fixedTimers(after, rules);
  for (const [key, job] of now) if (was.get(key)?.dueAt !== job.dueAt) plan.schedule.push(job);
  for (const key of was.keys()) if (!now.has(key)) plan.cancel.push(key);

  const lead = of(rules.commsLead, after);
  const leadWanted = (s: Incident) => of(rules.commsLead, s) !== null && noCommsLead(s);
  if (lead !== null && leadWanted(after) && !leadWanted(before)) {
    plan.schedule.push({ key: 'comms_lead', kind: 'comms_lead', dueAt: plus(last.at, lead) });
  } else if (!leadWanted(after) && leadWanted(before)) {
    plan.cancel.push('comms_lead');
  }

  if (cadenceRuns(after) && after.comms) {
    const rearm = [...events]
      .reverse()
      .find(
        (e) =>
          e.type === 'CommsPlanSet' ||
          e.type === 'UpdatePosted' ||
          (e.type === 'TimerFired' && e.data.kind === 'update_cadence'),
      );
    const anchor = rearm?.at ?? (cadenceRuns(before) ? undefined : last.at);
    if (anchor) {
      plan.schedule.push({
        key: 'update_cadence',
        kind: 'update_cadence',
        dueAt: plus(anchor, after.comms.cadenceMinutes * 60_000),
      });
    }
  } else if (cadenceRuns(before)) {
    plan.cancel.push('update_cadence');
  }
  return plan;
}

/**
 * The timers an incident recorded before timers existed should have at `now` (migration 0006): those
 * its state wants that are still ahead (a missed target is not nudged late), and the update cadence of an
 * open incident with a comms plan, due at `now` at the earliest.
 */
export function backfillTimers(s: Incident, rules: TimerRules, now: string): TimerJob[] {
  const jobs = [...fixedTimers(s, rules).values()];
  const lead = of(rules.commsLead, s);
  if (lead !== null && noCommsLead(s) && s.milestones.declaredAt) {
    jobs.push({ key: 'comms_lead', kind: 'comms_lead', dueAt: plus(s.milestones.declaredAt, lead) });
  }
  const ahead = jobs.filter((j) => j.dueAt > now);
  const anchor = s.updates.at(-1)?.at ?? s.lastEventAt;
  if (cadenceRuns(s) && s.comms && anchor) {
    const due = plus(anchor, s.comms.cadenceMinutes * 60_000);
    ahead.push({ key: 'update_cadence', kind: 'update_cadence', dueAt: due > now ? due : now });
  }
  return ahead;
}

/** Whether a timer due now should still fire on the incident's current state (its condition may have been met). */
export function stillDue(timer: Pick<TimerJob, 'kind' | 'key'>, s: Incident): boolean {
  switch (timer.kind) {
    case 'ack':
      return noCommander(s);
    case 'contain_first':
      return uncontained(s);
    case 'comms_lead':
      return noCommsLead(s);
    case 'update_cadence':
      return cadenceRuns(s);
    case 'postmortem_due':
    case 'postmortem_overdue':
      return postmortemMissing(s);
    case 'action_due': {
      const id = actionOfKey(timer.key);
      return s.status !== 'cancelled' && s.actions.some((a) => a.id === id && a.status !== 'done');
    }
  }
}
