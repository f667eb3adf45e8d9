import { useCallback, useEffect, useRef, useState } from 'react';
import {
  api,
  isClientError,
  LIMITS,
  OPEN_STATUSES,
  problemOf,
  type AlertFilter,
  type AlertInfo,
  type IncidentSummary,
  type ProblemInfo,
} from '../api/client.js';
import { AlertSeverityBadge, AttachAlertDialog, Labels } from '../components/Alerts.js';
import { ExternalLink, isHttpUrl } from '../components/ExternalLink.js';
import { changedRows } from '../components/fresh.js';
import { Link } from '../components/Link.js';
import { ProblemView } from '../components/ProblemView.js';
import { duration, utc } from '../components/time.js';
import { useNow } from '../hooks/now.js';
import { navigate, replaceQuery } from '../hooks/router.js';
import { useSession } from '../hooks/session.js';
import { useRuns } from '../hooks/latest.js';
import { useLiveReload } from '../hooks/stream.js';

const PAGE = 100;

interface Filters {
  /** `inbox`: linked to no incident (the inbox proper); `all`: linked ones too. */
  view: 'inbox' | 'all';
  status: 'firing' | 'resolved' | 'any';
  service: string;
}

function readFilters(): Filters {
  const q = new URLSearchParams(window.location.search);
  const status = q.get('status');
  return {
    view: q.get('view') === 'all' ? 'all' : 'inbox',
    status: status === 'resolved' || status === 'any' ? status : 'firing',
    service: q.get('service') ?? '',
  };
}

const query = (f: Filters): AlertFilter => ({
  ...(f.view === 'inbox' && { incident: 'none' }),
  ...(f.status !== 'any' && { status: f.status }),
  ...(f.service.trim() && { service: f.service.trim() }),
});

/** What a row shows that can change: a new value marks the row fresh on the next refresh. */
const markOf = (a: AlertInfo) => `${a.status}|${a.occurrences}|${a.incident ?? ''}|${a.receivedAt}`;

/** Keeps the rows attached from this page where they were, with their incident, though the inbox filter drops them. */
function keepAttached(next: AlertInfo[], old: AlertInfo[] | null, attached: ReadonlyMap<string, string>): AlertInfo[] {
  if (attached.size === 0 || !old) return next;
  const out = [...next];
  old.forEach((a, i) => {
    const incident = attached.get(a.id);
    if (incident && !next.some((n) => n.id === a.id)) out.splice(Math.min(i, out.length), 0, { ...a, incident });
  });
  return out;
}

/** The alert inbox: alerts no incident has taken yet (or all of them), newest first, live. */
export function AlertInbox() {
  const session = useSession();
  const now = useNow(15_000);
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [items, setItems] = useState<AlertInfo[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [fresh, setFresh] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState<IncidentSummary[] | null>(null);
  const [attaching, setAttaching] = useState<{ alert: AlertInfo; incidents: IncidentSummary[] | null } | null>(null);
  const attached = useRef(new Map<string, string>());
  const seen = useRef(new Map<string, string>());
  const shown = useRef(0);
  shown.current = items?.length ?? 0;

  /** Reloads as many rows as are shown (at least one page), so a live refresh keeps "load more" rows. */
  const runs = useRuns();
  const load = useCallback(async () => {
    const run = runs.start();
    try {
      const [page, incidents] = await Promise.all([
        api.listAlerts({ ...query(filters), limit: Math.min(LIMITS.pageSize, Math.max(PAGE, shown.current)) }),
        session.canAct ? api.listIncidents({ status: [...OPEN_STATUSES], limit: LIMITS.pageSize }) : null,
      ]);
      if (!runs.isLatest(run)) return;
      setItems((old) => keepAttached(page.items, old, attached.current));
      setNextCursor(page.nextCursor);
      setFresh(changedRows(seen.current, page.items, (a) => a.id, markOf));
      if (incidents) setOpen(incidents.items);
      setProblem(null);
    } catch (err) {
      if (runs.isLatest(run)) setProblem(problemOf(err));
    }
  }, [filters, session.canAct, runs]);

  useEffect(() => {
    replaceQuery('/alerts', {
      view: filters.view === 'inbox' ? undefined : filters.view,
      status: filters.status === 'firing' ? undefined : filters.status,
      service: filters.service.trim(),
    });
    seen.current.clear();
    attached.current.clear();
    shown.current = 0;
    void load();
  }, [filters, load]);

  // A new alert, or an incident that took some (auto-declared or linked): refresh.
  useLiveReload(['alerts', 'resync', 'incident'], () => void load());

  const handleMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.listAlerts({ ...query(filters), cursor: nextCursor, limit: PAGE });
      for (const a of page.items) seen.current.set(a.id, markOf(a));
      setItems((old) => [...(old ?? []), ...page.items.filter((a) => !old?.some((o) => o.id === a.id))]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setProblem(problemOf(err));
    }
  };

  /** Opens the attach dialog with the incidents open right now, not those of the last refresh. */
  const handleOpenAttach = (alert: AlertInfo) => {
    setAttaching({ alert, incidents: null });
    api.listIncidents({ status: [...OPEN_STATUSES], limit: LIMITS.pageSize }).then(
      (r) => setAttaching((cur) => (cur?.alert.id === alert.id ? { ...cur, incidents: r.items } : cur)),
      (err: unknown) => {
        setAttaching(null);
        setProblem(problemOf(err));
      },
    );
  };

  /** Attaches; answers the refusal to show in the dialog, or null once the row shows its incident. */
  const handleAttach = async (alert: AlertInfo, incidentId: string): Promise<ProblemInfo | null> => {
    try {
      const incident = await api.attachAlert(incidentId, alert.id);
      attached.current.set(alert.id, incident.id);
      setItems((old) => old?.map((a) => (a.id === alert.id ? { ...a, incident: incident.id } : a)) ?? old);
      setFresh(new Set([alert.id]));
      setAttaching(null);
      void load();
      return null;
    } catch (err) {
      const p = problemOf(err);
      // 422 here is not a status gate: the incident is no longer open. Say which and why, not "the gate".
      return isClientError(err, 'gate_unmet') ? { ...p, title: err.detail } : p;
    }
  };

  const openIds = open && new Set(open.map((i) => i.id));
  /** Not linked, or linked to an incident that is no longer open. */
  const attachable = (a: AlertInfo) => session.canAct && open !== null && (a.incident === null || !openIds?.has(a.incident));

  const firing = items?.filter((a) => a.status === 'firing').length ?? 0;
  const unrouted = items?.filter((a) => a.service === null).length ?? 0;

  return (
    <main className="page">
      <div className="page-head">
        <h1>Alerts</h1>
        <span className="muted">
          {items ? `${items.length} shown · ${firing} firing · ${unrouted} unrouted` : 'loading…'}
        </span>
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Show</span>
          <select name="view" value={filters.view} onChange={(e) => setFilters({ ...filters, view: e.target.value as Filters['view'] })}>
            <option value="inbox">inbox: not on an incident</option>
            <option value="all">all, with linked incidents</option>
          </select>
        </label>
        <label>
          <span>Status</span>
          <select name="status" value={filters.status} onChange={(e) => setFilters({ ...filters, status: e.target.value as Filters['status'] })}>
            <option value="firing">firing</option>
            <option value="resolved">resolved</option>
            <option value="any">any</option>
          </select>
        </label>
        <label>
          <span>Routed service</span>
          <input
            name="service"
            placeholder="any"
            maxLength={LIMITS.name}
            value={filters.service}
            onChange={(e) => setFilters({ ...filters, service: e.target.value })}
          />
        </label>
      </form>
      <ProblemView problem={problem} />
      {items && items.length === 0 && (
        <p className="empty">
          {filters.view === 'inbox' ? 'Inbox empty: every alert is on an incident, or none has fired.' : 'No alerts match.'}
        </p>
      )}
      {items && items.length > 0 && (
        <table className="incidents alerts">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Alert</th>
              <th className="hide-narrow">Status</th>
              <th className="hide-narrow">Service</th>
              <th className="hide-narrow num">Fired</th>
              <th className="hide-narrow">Since</th>
              <th>Incident</th>
            </tr>
          </thead>
          <tbody>
            {items.map((a) => (
              <tr key={a.id} data-alert={a.dedupKey} className={fresh.has(a.id) ? 'fresh' : undefined}>
                <td>
                  <AlertSeverityBadge severity={a.severity} />
                </td>
                <td className="title-cell">
                  <div className="title">{a.summary}</div>
                  <div className="small muted">
                    <span className="id">{a.dedupKey}</span> · {a.source}
                    {a.signal !== 'other' && ` · ${a.signal.replace('_', ' ')}`}
                    {isHttpUrl(a.generatorURL) && (
                      <ExternalLink url={a.generatorURL} className="ext">
                        source
                      </ExternalLink>
                    )}
                  </div>
                  <Labels labels={a.labels} />
                  <div className="show-narrow small">
                    <StatusTag a={a} /> <ServiceCell a={a} /> · fired{' '}
                    {a.occurrences}× · {duration(now - Date.parse(a.startsAt))} ago
                  </div>
                </td>
                <td className="hide-narrow">
                  <StatusTag a={a} />
                </td>
                <td className="hide-narrow">
                  <ServiceCell a={a} />
                </td>
                <td className="hide-narrow num" title="Occurrences: distinct firing episodes">
                  {a.occurrences}×
                </td>
                <td className="hide-narrow num" title={`Started ${utc(a.startsAt)}; last received ${utc(a.receivedAt)}`}>
                  {duration(now - Date.parse(a.startsAt))}
                </td>
                <td>
                  <div className="alert-actions">
                    {a.incident ? (
                      <span>
                        <Link to={`/incidents/${a.incident}`}>{a.incident}</Link>
                        {attached.current.get(a.id) === a.incident && <span className="tag tag-ok">attached</span>}
                      </span>
                    ) : session.canAct ? (
                      <button type="button" className="small" onClick={() => navigate(`/declare?alert=${encodeURIComponent(a.id)}`)}>
                        Declare from alert
                      </button>
                    ) : (
                      <span className="muted">none</span>
                    )}
                    {attachable(a) && (
                      <button type="button" className="small" onClick={() => handleOpenAttach(a)}>
                        Attach to incident
                      </button>
                    )}
                  </div>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {nextCursor && (
        <button type="button" onClick={handleMore}>
          Load more
        </button>
      )}
      {attaching && (
        <AttachAlertDialog
          alert={attaching.alert}
          incidents={attaching.incidents}
          onAttach={(incidentId) => handleAttach(attaching.alert, incidentId)}
          onDeclare={() => navigate(`/declare?alert=${encodeURIComponent(attaching.alert.id)}`)}
          onClose={() => setAttaching(null)}
        />
      )}
      <p className="small muted">
        An alert joins an open incident of its routed service by itself; a critical alert on a tier 1–2 service declares
        one. The rest wait here{session.canAct ? ' until you attach one to an open incident or declare from it' : ''}.{' '}
        {session.isAdmin && <Link to="/admin">Senders are set up under Admin.</Link>}
      </p>
    </main>
  );
}

function StatusTag({ a }: { a: AlertInfo }) {
  return <span className={`tag ${a.status === 'firing' ? 'tag-bad' : 'tag-ok'}`}>{a.status}</span>;
}

function ServiceCell({ a }: { a: AlertInfo }) {
  if (a.service) return <Link to={`/catalog/${encodeURIComponent(a.service)}`}>{a.service}</Link>;
  return (
    <span className="warn-text" title="No catalog service's alert matchers claimed this alert">
      unrouted{a.senderService ? ` (sent as ${a.senderService})` : ''}
    </span>
  );
}
