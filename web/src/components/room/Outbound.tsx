import { useCallback, useEffect, useRef, useState } from 'react';
import { api, isClientError, problemOf, type Incident, type NotificationInfo, type TimerInfo } from '../../api/client.js';
import { useLive } from '../../hooks/stream.js';
import { useNow } from '../../hooks/now.js';
import { Panel } from '../Panel.js';
import { duration, utc } from '../time.js';

type Execution = NonNullable<Incident['mitigations'][number]['execution']>;

/** A list as fetched: its items, `absent` when the server has no such endpoint (404: an older server), or what went wrong. */
type Loaded<T> = { items: T[] } | { absent: true } | { error: string } | null;

const TAG: Record<string, 'ok' | 'warn' | 'bad' | ''> = {
  sent: 'ok',
  succeeded: 'ok',
  confirmed_done: 'ok',
  fired: 'ok',
  pending: 'warn',
  scheduled: 'warn',
  awaiting_confirmation: 'warn',
  dry_run: '',
  cancelled: '',
  failed: 'bad',
  confirmed_failed: 'bad',
  refused: 'bad',
};

const STATE_TEXT: Record<string, string> = {
  refused: 'refused by the egress guard',
  awaiting_confirmation: 'awaiting confirmation',
  confirmed_done: 'confirmed done',
  confirmed_failed: 'confirmed failed',
  dry_run: 'dry run',
};

function StateTag({ state }: { state: string }) {
  const tone = TAG[state] ?? '';
  return <span className={`tag${tone ? ` tag-${tone}` : ''}`}>{STATE_TEXT[state] ?? state}</span>;
}

/** `comms_lead` → `comms lead`; `IncidentDeclared` → `Incident declared`. */
export const words = (name: string) =>
  name.replace(/_/g, ' ').replace(/([a-z])([A-Z])/g, (_m, a: string, b: string) => `${a} ${b.toLowerCase()}`);

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);
const when = (due: number, now: number) => (due <= now ? `due now (${duration(now - due)} ago)` : `in ${duration(due - now)}`);

/** How soon to look again: a second after the next thing falls due, at least 3 s and at most a minute away. */
const MIN_MS = 3_000;
const MAX_MS = 60_000;

async function load<T>(get: () => Promise<{ items: T[] }>): Promise<Loaded<T>> {
  try {
    return { items: (await get()).items };
  } catch (err) {
    if (isClientError(err) && err.status === 404) return { absent: true };
    return { error: problemOf(err).title };
  }
}

const itemsOf = <T,>(l: Loaded<T>): T[] => (l && 'items' in l ? l.items : []);

function Unavailable({ what, list }: { what: string; list: Loaded<unknown> }) {
  if (list === null) return <li className="muted">Loading {what}…</li>;
  if ('absent' in list) return <li className="muted">This server does not report {what}.</li>;
  if ('error' in list) return <li className="warn-text">Could not load {what}: {list.error}</li>;
  return list.items.length === 0 ? <li className="muted">No {what} yet.</li> : null;
}

function LeverRow({ id, execution: e }: { id: string; execution: Execution }) {
  return (
    <li data-outbound="lever" data-state={e.state}>
      <span className="k">{id}</span> {e.lever} <span className="muted">({e.type})</span> <StateTag state={e.state} />
      {e.status !== undefined && <span className="muted"> HTTP {e.status}</span>}
      <span className="muted"> · {utc(e.at)}</span>
      {e.reason && <div className={e.state === 'refused' || e.state.includes('failed') ? 'bad-text' : 'muted'}>{e.reason}</div>}
      {e.excerpt && <pre className="excerpt">{e.excerpt}</pre>}
    </li>
  );
}

function NotificationRow({ n, now }: { n: NotificationInfo; now: number }) {
  const next = ms(n.nextAttemptAt);
  return (
    <li data-outbound="notification" data-state={n.state}>
      <strong>{words(n.event)}</strong> → {n.target} <span className="muted">({n.targetType})</span> <StateTag state={n.state} />
      <div className="muted small">
        {n.state === 'sent' && `delivered ${utc(n.deliveredAt)}`}
        {n.state === 'pending' && (Number.isNaN(next) ? 'queued' : `next attempt ${when(next, now)}`)}
        {n.attempts > 0 && ` · ${n.attempts} attempt${n.attempts === 1 ? '' : 's'}`}
      </div>
      {n.lastError && n.state !== 'sent' && <div className={n.state === 'pending' ? 'warn-text' : 'bad-text'}>{n.lastError}</div>}
    </li>
  );
}

function TimerRow({ t, now }: { t: TimerInfo; now: number }) {
  const due = ms(t.dueAt);
  return (
    <li data-outbound="timer" data-state={t.state}>
      <strong>{words(t.kind)}</strong> <StateTag state={t.state} />{' '}
      <span className="muted">
        {t.state === 'scheduled' && `due ${when(due, now)} (${utc(t.dueAt)})`}
        {t.state === 'fired' && `fired ${utc(t.firedAt)}`}
        {t.state === 'cancelled' && `was due ${utc(t.dueAt)}`}
      </span>
    </li>
  );
}

/**
 * What Firebreak does on its own for this incident: each lever pull, notification and timer with its state,
 * and when the next one is due. Refreshed when the incident changes, when the stream reconnects, and just
 * after the next attempt or timer falls due (delivery changes no incident, so nothing else would tell).
 */
export function OutboundPanel({
  incident,
  onTimers,
}: {
  incident: Incident;
  /** Told the timers after each load (null when the server does not report them), for the header's next timer. */
  onTimers?: (timers: TimerInfo[] | null) => void;
}) {
  const now = useNow(5_000);
  const [notifications, setNotifications] = useState<Loaded<NotificationInfo>>(null);
  const [timers, setTimers] = useState<Loaded<TimerInfo>>(null);
  const [rev, setRev] = useState(0);
  const alive = useRef(true);
  const onTimersRef = useRef(onTimers);
  onTimersRef.current = onTimers;
  useEffect(() => {
    alive.current = true;
    return () => {
      alive.current = false;
    };
  }, []);

  const id = incident.id;
  const refresh = useCallback(async () => {
    const [n, t] = await Promise.all([
      load(() => api.listNotifications({ incident: id, limit: 100 })),
      load(() => api.listTimers(id)),
    ]);
    if (!alive.current) return;
    setNotifications(n);
    setTimers(t);
    onTimersRef.current?.(t && 'items' in t ? t.items : null);
  }, [id]);

  useEffect(() => {
    void refresh();
  }, [refresh, incident.version, rev]);

  useLive((e) => {
    if (e.kind === 'resync') setRev((r) => r + 1);
  });

  const pending = itemsOf(notifications).filter((n) => n.state === 'pending');
  const scheduled = itemsOf(timers).filter((t) => t.state === 'scheduled');
  const dues = [...pending.map((n) => ms(n.nextAttemptAt ?? n.createdAt)), ...scheduled.map((t) => ms(t.dueAt))].filter(
    (d) => !Number.isNaN(d),
  );
  const nextDue = dues.length ? Math.min(...dues) : null;

  useEffect(() => {
    if (nextDue === null) return;
    const delay = Math.min(MAX_MS, Math.max(MIN_MS, nextDue - Date.now() + 1_000));
    const timer = setTimeout(() => setRev((r) => r + 1), delay);
    return () => clearTimeout(timer);
  }, [nextDue, notifications, timers]);

  const levers = incident.mitigations.filter((m): m is typeof m & { execution: Execution } => m.execution !== undefined);
  const nextTimer = scheduled.reduce<TimerInfo | null>((a, t) => (a === null || ms(t.dueAt) < ms(a.dueAt) ? t : a), null);
  const nextAttempt = pending.reduce<NotificationInfo | null>(
    (a, n) => (a === null || ms(n.nextAttemptAt) < ms(a.nextAttemptAt) ? n : a),
    null,
  );
  const failing = itemsOf(notifications).filter((n) => n.state === 'failed' || n.state === 'refused').length;

  return (
    <Panel title="Outbound" id="outbound" count={levers.length + itemsOf(notifications).length + scheduled.length}>
      <p className="outbound-next" data-outbound="next">
        {nextTimer && (
          <span>
            <span className="k">next timer</span> {words(nextTimer.kind)} {when(ms(nextTimer.dueAt), now)}
          </span>
        )}
        {nextAttempt && (
          <span>
            <span className="k">next delivery</span> {nextAttempt.target}{' '}
            {Number.isNaN(ms(nextAttempt.nextAttemptAt)) ? 'queued' : when(ms(nextAttempt.nextAttemptAt), now)}
          </span>
        )}
        {failing > 0 && <span className="bad-text">{failing} notification{failing === 1 ? '' : 's'} not delivered</span>}
        {!nextTimer && !nextAttempt && failing === 0 && <span className="muted">Nothing waiting.</span>}
      </p>
      <h3>Lever pulls</h3>
      <ul className="plain outbound">
        {levers.map((m) => (
          <LeverRow key={m.id} id={m.id} execution={m.execution} />
        ))}
        {levers.length === 0 && <li className="muted">No lever pulled to run.</li>}
      </ul>
      <h3>Notifications</h3>
      <ul className="plain outbound">
        {itemsOf(notifications).map((n) => (
          <NotificationRow key={n.id} n={n} now={now} />
        ))}
        <Unavailable what="notifications" list={notifications} />
      </ul>
      <h3>Timers</h3>
      <ul className="plain outbound">
        {itemsOf(timers).map((t) => (
          <TimerRow key={t.id} t={t} now={now} />
        ))}
        <Unavailable what="timers" list={timers} />
      </ul>
    </Panel>
  );
}
