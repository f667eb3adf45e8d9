import type { Act, Incident } from '../../api/client.js';
import { useNow } from '../../hooks/now.js';
import { SeverityBadge, StatusBadge } from '../Badges.js';
import { duration, utc } from '../time.js';
import { words } from './Outbound.js';
import { CommanderSuggestion } from './Suggestion.js';

/** The incident's earliest scheduled timer: null for none, undefined when not known. */
export type NextTimer = { kind: string; dueAt: string } | null | undefined;

/**
 * The next timer: the incident's `nextTimer` when the answer carries it (`GET …/incidents/{id}` does; a
 * command's answer does not), else the earliest scheduled one of the timers list the room loaded.
 */
export function nextTimerOf(incident: Incident, timers: readonly { kind: string; dueAt: string; state: string }[] | null): NextTimer {
  const own = (incident as Incident & { nextTimer?: NextTimer }).nextTimer;
  if (own !== undefined) return own;
  if (timers === null) return undefined;
  const scheduled = timers.filter((t) => t.state === 'scheduled').sort((a, b) => Date.parse(a.dueAt) - Date.parse(b.dueAt));
  return scheduled[0] ?? null;
}

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);
/** What each timer is about, as the header says it before "due in …". */
const TIMER_LABELS: Record<string, string> = {
  ack: 'acknowledgement',
  contain_first: 'contain first',
  comms_lead: 'comms lead',
  update_cadence: 'update',
  postmortem_due: 'postmortem',
  postmortem_overdue: 'postmortem (overdue)',
  action_due: 'action item',
};

const dueText = (due: number, now: number) => (due < now ? `overdue by ${duration(now - due)}` : `due in ${duration(due - now)}`);

/** When the next update is due under the comms cadence: cadence after the last update (or declaration). */
export function nextUpdateDue(incident: Incident): number | null {
  if (!incident.comms || incident.status === 'closed' || incident.status === 'cancelled' || incident.status === 'resolved') return null;
  const last = incident.updates.at(-1)?.at ?? incident.milestones.declaredAt;
  return Number.isNaN(ms(last)) ? null : ms(last) + incident.comms.cadenceMinutes * 60_000;
}

/** The running clocks; only they re-render every second, not the room around them. */
function Timers({ incident, next }: { incident: Incident; next: NextTimer }) {
  const now = useNow(1_000);
  const m = incident.milestones;
  const started = ms(m.startedAt ?? m.declaredAt);
  const ended = ms(m.resolvedAt);
  const due = nextUpdateDue(incident);
  const pmDue = ms(incident.postmortemDueAt);
  const nextDue = ms(next?.dueAt);
  return (
    <div className="timers">
      {!Number.isNaN(started) && (
        <span className="timer" title={`Impact started ${utc(m.startedAt ?? m.declaredAt)}`}>
          <span className="k">{Number.isNaN(ended) ? 'impact for' : 'impact lasted'}</span>{' '}
          <strong data-timer="impact">{duration((Number.isNaN(ended) ? now : ended) - started)}</strong>
        </span>
      )}
      {due !== null && (
        <span className={`timer${due < now ? ' overdue' : ''}`} title={`Cadence ${incident.comms?.cadenceMinutes} min`}>
          <span className="k">next update</span>{' '}
          <strong data-timer="update">{dueText(due, now)}</strong>
        </span>
      )}
      {incident.comms === null && incident.status !== 'closed' && incident.status !== 'cancelled' && (
        <span className="timer overdue">
          <span className="k">next update</span> <strong>no cadence set</strong>
        </span>
      )}
      {next && !Number.isNaN(nextDue) && (
        <span className={`timer${nextDue < now ? ' overdue' : ''}`} title={`${next.kind} at ${utc(next.dueAt)}`}>
          <span className="k">next timer</span>{' '}
          <strong data-timer="next">
            {TIMER_LABELS[next.kind] ?? words(next.kind)} {dueText(nextDue, now)}
          </strong>
        </span>
      )}
      {!Number.isNaN(pmDue) && incident.status === 'resolved' && (
        <span className={`timer${pmDue < now ? ' overdue' : ''}`} title={utc(incident.postmortemDueAt)}>
          <span className="k">postmortem</span>{' '}
          <strong>{dueText(pmDue, now)}</strong>
        </span>
      )}
    </div>
  );
}

/** Warnings with a hero banner of their own: the anti-patterns that hurt a high-severity response most. */
const HERO: Record<string, string> = {
  commander_is_sole_responder: 'The commander is debugging alone',
};

export function RoomHeader({
  incident,
  canAct = false,
  act,
  nextTimer,
}: {
  incident: Incident;
  canAct?: boolean;
  act?: Act;
  /** The next timer as the room knows it (see nextTimerOf); the incident's own `nextTimer` when not given. */
  nextTimer?: NextTimer;
}) {
  const r = incident.roles;
  const hero = incident.warnings.filter((w) => HERO[w.code] !== undefined);
  const other = incident.warnings.filter((w) => HERO[w.code] === undefined);
  return (
    <header className="room-head">
      <div className="room-title">
        <span className="id">{incident.id}</span>
        <SeverityBadge severity={incident.severity} />
        <StatusBadge status={incident.status} />
        <h1>{incident.title}</h1>
      </div>
      <div className="roles-line">
        <span>
          <span className="k">commander</span> {r.commander ?? <span className="warn-text">unassigned</span>}
        </span>
        <span>
          <span className="k">responders</span> {r.responders.length ? r.responders.join(', ') : <span className="warn-text">none</span>}
        </span>
        <span>
          <span className="k">comms</span> {r.comms ?? <span className="warn-text">unassigned</span>}
        </span>
        {r.scribe && (
          <span>
            <span className="k">scribe</span> {r.scribe}
          </span>
        )}
        {incident.services.length > 0 && (
          <span>
            <span className="k">services</span> {incident.services.join(', ')}
          </span>
        )}
        {incident.comms?.channel && (
          <span>
            <span className="k">channel</span> {incident.comms.channel}
          </span>
        )}
      </div>
      {act && <CommanderSuggestion incident={incident} canAct={canAct} act={act} />}
      <Timers incident={incident} next={nextTimer === undefined ? nextTimerOf(incident, null) : nextTimer} />
      {hero.map((w) => (
        <div key={w.code} className="hero-warning" role="alert" data-warning={w.code}>
          <strong>{HERO[w.code]}</strong>
          <p>{w.message}</p>
          <p className="muted">
            Hand debugging to a responder: <a href="#roles">assign one in Roles</a>.
          </p>
        </div>
      ))}
      {other.length > 0 && (
        <ul className="warnings">
          {other.map((w) => (
            <li key={w.code} data-warning={w.code}>
              {w.message}
            </li>
          ))}
        </ul>
      )}
    </header>
  );
}
