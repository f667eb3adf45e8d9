import type { Catalog } from '../catalog/types.js';
import { findService, rankLevers } from '../catalog/queries.js';
import type { IncidentEvent, TimerFired, TimerLever } from '../incident/events.js';
import type { Incident } from '../incident/state.js';
import { actionOfKey, POSTMORTEM_OVERDUE_HOURS, type TimerJob } from './plan.js';
import { formatDuration, type TimerRules } from './rules.js';

/** Who appends a firing: the system, as for boundary refreshes. */
export const TIMER_ACTOR = 'firebreak';

/** The levers the catalog offers for the incident's services, ranked together: fail-closed first. */
export function leversFor(catalog: Pick<Catalog, 'services'> | undefined, s: Incident): TimerLever[] {
  if (!catalog) return [];
  const serviceOf = new Map<object, string>();
  const all = s.services.flatMap((name) => {
    const svc = findService(catalog, name);
    if (!svc) return [];
    for (const l of svc.levers) serviceOf.set(l, svc.name);
    return svc.levers;
  });
  return rankLevers({ levers: all }).map((l) => ({
    service: serviceOf.get(l) ?? '',
    name: l.name,
    kind: l.kind,
    failClosed: l.failClosed,
    type: l.action.type,
  }));
}

const sev = (s: Incident) => (s.severity ? ` (${s.severity})` : '');
const since = (from: string | null, at: string) =>
  from ? formatDuration(Math.max(0, Date.parse(at) - Date.parse(from))) : 'some time';
const durationOf = (d: Readonly<Record<string, number | null>>, s: Incident) => {
  const ms = s.severity ? d[s.severity] : null;
  return ms === null || ms === undefined ? 'its' : formatDuration(ms);
};

function leverList(levers: readonly TimerLever[]): string {
  if (levers.length === 0) return 'The catalog lists no levers for its services: decide a mitigation, or record that none is needed.';
  const named = levers.map(
    (l) => `"${l.name}" on ${l.service} (${l.kind}, ${l.failClosed ? 'fail-closed' : 'fail-open'})`,
  );
  return `Levers available, fail-closed first: ${named.join('; ')}.`;
}

/** The one-line message a firing carries, as a responder reads it (and a notification sends it). */
export function timerMessage(
  job: Pick<TimerJob, 'kind' | 'key' | 'dueAt'>,
  s: Incident,
  rules: TimerRules,
  at: string,
  levers: readonly TimerLever[] = [],
): string {
  const declared = s.milestones.declaredAt;
  switch (job.kind) {
    case 'ack':
      return `No incident commander on ${s.id}${sev(s)} ${since(declared, at)} after it was declared: the acknowledgement target is ${durationOf(rules.ack, s)}. Take command or assign a commander.`;
    case 'contain_first':
      return `${s.id}${sev(s)} has no mitigation ${since(declared, at)} after it was declared${s.impact.confirmed ? ' with impact confirmed' : ''}: contain first, find the cause later. ${leverList(levers)}`;
    case 'comms_lead':
      return `${s.id}${sev(s)} has no communications lead: assign one so updates keep going out.`;
    case 'update_cadence': {
      const last = s.updates.at(-1);
      const who = s.roles.comms ? `${s.roles.comms}, post` : 'No communications lead is assigned: someone post';
      const cadence = s.comms ? `${s.comms.cadenceMinutes} min` : 'the cadence';
      return `Status update due on ${s.id}: ${last ? `the last one went out ${since(last.at, at)} ago` : 'no update posted yet'} and the cadence is ${cadence}. ${who} an update.`;
    }
    case 'postmortem_due':
      return `The postmortem of ${s.id} is due: it was resolved ${since(s.milestones.resolvedAt, at)} ago and ${postmortemStanding(s)}.`;
    case 'postmortem_overdue':
      return `The postmortem of ${s.id} is overdue by ${formatDuration(POSTMORTEM_OVERDUE_HOURS * 3_600_000)} and ${postmortemStanding(s)}: finish the review and publish it, then close the incident.`;
    case 'action_due': {
      const a = s.actions.find((x) => x.id === actionOfKey(job.key));
      if (!a) return `An action item of ${s.id} is past its due date.`;
      return `Action ${a.id} "${a.title}" (${a.priority}, owner ${a.owner}) is past its due date and still ${a.status === 'open' ? 'open' : 'in progress'}.`;
    }
  }
}

/** Where an unpublished postmortem stands, and who holds it: what a reminder tells. */
function postmortemStanding(s: Incident): string {
  const pm = s.postmortem;
  if (!pm) return 'no postmortem is written';
  if (pm.state === 'in_review') return `it waits for review by ${pm.reviewers.join(', ')}`;
  return `it is still a draft (author ${pm.author}${pm.reviewers.length ? '' : ', no reviewer yet'})`;
}

/** The TimerFired event of a job on the incident's current state; contain-first names the levers. */
export function timerFired(
  job: TimerJob & { id: string },
  s: Incident,
  rules: TimerRules,
  at: string,
  catalog?: Pick<Catalog, 'services'>,
): IncidentEvent {
  const levers = job.kind === 'contain_first' ? leversFor(catalog, s) : undefined;
  const event: TimerFired = {
    type: 'TimerFired',
    at,
    actor: TIMER_ACTOR,
    data: {
      kind: job.kind,
      timerId: job.id,
      dueAt: job.dueAt,
      message: timerMessage(job, s, rules, at, levers),
      ...(levers && { levers }),
    },
  };
  return event;
}
