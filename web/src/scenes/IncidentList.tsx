import { useCallback, useEffect, useRef, useState } from 'react';
import {
  api,
  LIMITS,
  OPEN_STATUSES,
  problemOf,
  SEVERITIES,
  severityRank,
  STATUSES,
  type IncidentFilter,
  type IncidentSummary,
  type ProblemInfo,
  type Severity,
  type Status,
} from '../api/client.js';
import { SeverityBadge, StatusBadge } from '../components/Badges.js';
import { Options } from '../components/Form.js';
import { changedRows } from '../components/fresh.js';
import { Link } from '../components/Link.js';
import { ProblemView } from '../components/ProblemView.js';
import { duration } from '../components/time.js';
import { useNow } from '../hooks/now.js';
import { navigate, replaceQuery } from '../hooks/router.js';
import { useSession } from '../hooks/session.js';
import { useRuns } from '../hooks/latest.js';
import { useLiveReload } from '../hooks/stream.js';

const RANK: Record<Status, number> = { investigating: 0, mitigated: 1, resolved: 2, cancelled: 3, closed: 3 };

/** Open incidents first, the most severe first among them, then the newest. */
export const byUrgency = (a: IncidentSummary, b: IncidentSummary) =>
  RANK[a.status] - RANK[b.status] || severityRank(a.severity) - severityRank(b.severity) || b.number - a.number;

interface Filters {
  status: string;
  severity: string;
  service: string;
}

function readFilters(): Filters {
  const q = new URLSearchParams(window.location.search);
  return { status: q.get('status') ?? 'open', severity: q.get('severity') ?? '', service: q.get('service') ?? '' };
}

function statusFilter(value: string): Status[] | undefined {
  if (value === 'open') return [...OPEN_STATUSES];
  if (value === 'all') return undefined;
  return STATUSES.includes(value as Status) ? [value as Status] : undefined;
}

const query = (f: Filters): IncidentFilter => ({
  status: statusFilter(f.status),
  severity: f.severity ? [f.severity as Severity] : undefined,
  service: f.service.trim() || undefined,
  limit: 200,
});

export function IncidentList() {
  const session = useSession();
  const now = useNow(15_000);
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [items, setItems] = useState<IncidentSummary[] | null>(null);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [fresh, setFresh] = useState<Set<number>>(new Set());
  const versions = useRef(new Map<number, number>());
  const search = useRef<HTMLInputElement>(null);

  const runs = useRuns();
  const load = useCallback(async () => {
    const run = runs.start();
    try {
      const page = await api.listIncidents(query(filters));
      if (!runs.isLatest(run)) return;
      setItems(page.items);
      setNextCursor(page.nextCursor);
      setFresh(changedRows(versions.current, page.items, (i) => i.number, (i) => i.version));
      setProblem(null);
    } catch (err) {
      if (runs.isLatest(run)) setProblem(problemOf(err));
    }
  }, [filters, runs]);

  useEffect(() => {
    replaceQuery('/', {
      status: filters.status === 'open' ? undefined : filters.status,
      severity: filters.severity,
      service: filters.service.trim(),
    });
    void load();
  }, [filters, load]);

  useLiveReload(['incident', 'resync'], () => void load());

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const typing = e.target instanceof HTMLElement && /^(INPUT|TEXTAREA|SELECT)$/.test(e.target.tagName);
      if (typing || e.ctrlKey || e.metaKey || e.altKey) return;
      if (e.key === '/') {
        e.preventDefault();
        search.current?.focus();
      } else if (e.key === 'n' && session.canAct) {
        navigate('/declare');
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session.canAct]);

  const handleMore = async () => {
    if (!nextCursor) return;
    try {
      const page = await api.listIncidents({ ...query(filters), cursor: nextCursor });
      setItems((old) => [...(old ?? []), ...page.items]);
      setNextCursor(page.nextCursor);
    } catch (err) {
      setProblem(problemOf(err));
    }
  };

  const sorted = [...(items ?? [])].sort(byUrgency);
  const openCount = sorted.filter((i) => OPEN_STATUSES.includes(i.status)).length;

  return (
    <main className="page">
      <div className="page-head">
        <h1>Incidents</h1>
        <span className="muted">{items ? `${openCount} open · ${sorted.length} shown` : 'loading…'}</span>
        <span className="spacer" />
        {session.canAct && (
          <Link to="/declare" className="button primary">
            Declare incident
          </Link>
        )}
      </div>
      <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          <span>Status</span>
          <select
            name="status"
            value={filters.status}
            onChange={(e) => setFilters({ ...filters, status: e.target.value })}
          >
            <option value="open">open (investigating, mitigated)</option>
            <option value="all">all</option>
            <Options values={STATUSES} />
          </select>
        </label>
        <label>
          <span>Severity</span>
          <select
            name="severity"
            value={filters.severity}
            onChange={(e) => setFilters({ ...filters, severity: e.target.value })}
          >
            <option value="">any</option>
            <Options values={SEVERITIES} />
          </select>
        </label>
        <label>
          <span>Service</span>
          <input
            ref={search}
            name="service"
            placeholder="any  ( / )"
            maxLength={LIMITS.name}
            value={filters.service}
            onChange={(e) => setFilters({ ...filters, service: e.target.value })}
          />
        </label>
      </form>
      <ProblemView problem={problem} />
      {items && sorted.length === 0 && (
        <p className="empty">
          No incidents match. {filters.status === 'open' ? 'Nothing is on fire.' : ''}
        </p>
      )}
      {sorted.length > 0 && (
        <table className="incidents">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Incident</th>
              <th>Status</th>
              <th className="hide-narrow">Services</th>
              <th className="hide-narrow">Commander</th>
              <th>Age</th>
            </tr>
          </thead>
          <tbody>
            {sorted.map((i) => {
              const since = Date.parse(i.startedAt ?? i.declaredAt);
              return (
                <tr key={i.number} className={fresh.has(i.number) ? 'fresh' : undefined} data-incident={i.id}>
                  <td>
                    <SeverityBadge severity={i.severity} />
                  </td>
                  <td className="title-cell">
                    <Link to={`/incidents/${i.id}`}>
                      <span className="id">{i.id}</span> <span className="title">{i.title}</span>
                    </Link>
                    <div className="show-narrow muted small">
                      {i.services.join(', ') || 'no service'} · {i.commander ?? 'no commander'}
                    </div>
                  </td>
                  <td>
                    <StatusBadge status={i.status} />
                  </td>
                  <td className="hide-narrow">{i.services.join(', ') || <span className="muted">—</span>}</td>
                  <td className="hide-narrow">{i.commander ?? <span className="warn-text">none</span>}</td>
                  <td title={`since ${i.startedAt ? 'impact started' : 'declared'}`} className="num">
                    {duration(now - since)}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {nextCursor && (
        <button type="button" onClick={handleMore}>
          Load more
        </button>
      )}
    </main>
  );
}
