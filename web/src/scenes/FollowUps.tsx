import { useCallback, useEffect, useRef, useState } from 'react';
import {
  ACTION_STATUSES,
  api,
  LIMITS,
  problemOf,
  type ActionItemRow,
  type ActionListFilter,
  type PostmortemItem,
  type PostmortemListFilter,
  type ProblemInfo,
} from '../api/client.js';
import { SeverityBadge } from '../components/Badges.js';
import { ExternalLink } from '../components/ExternalLink.js';
import { Link } from '../components/Link.js';
import { Panel } from '../components/Panel.js';
import { ProblemView } from '../components/ProblemView.js';
import { PostmortemStateBadge } from '../components/room/PostmortemReview.js';
import { utc } from '../components/time.js';
import { replaceQuery } from '../hooks/router.js';
import { useSession } from '../hooks/session.js';
import { useRuns } from '../hooks/latest.js';
import { useLiveReload } from '../hooks/stream.js';

const PAGE = 50;
const PM_STATES = ['draft', 'in_review', 'published', 'missing'] as const;
const PM_WORDS: Record<(typeof PM_STATES)[number], string> = {
  draft: 'draft',
  in_review: 'in review',
  published: 'published',
  missing: 'not started',
};
/** Not done: what someone still owes. */
const NOT_DONE = ACTION_STATUSES.filter((s) => s !== 'done').join(',');

interface Filters {
  pmState: string;
  pmOverdue: boolean;
  owner: string;
  state: string;
  overdue: boolean;
}

function readFilters(): Filters {
  const q = new URLSearchParams(window.location.search);
  const pmState = q.get('pm') ?? '';
  const state = q.get('state');
  return {
    pmState: (PM_STATES as readonly string[]).includes(pmState) ? pmState : '',
    pmOverdue: q.get('pmOverdue') === 'true',
    owner: q.get('owner') ?? '',
    state: state === null ? NOT_DONE : state === 'any' ? '' : state,
    overdue: q.get('overdue') === 'true',
  };
}

/**
 * One cross-incident list with "Load more": reloads as many rows as it shows when the filter or a live change says
 * so, and appends the next page by its cursor.
 */
function usePaged<T, F>(filter: F, fetchPage: (filter: F, cursor: string | undefined, limit: number) => Promise<{ items: T[]; nextCursor: string | null }>) {
  const [items, setItems] = useState<T[] | null>(null);
  const [next, setNext] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [loading, setLoading] = useState(false);
  const shown = useRef(0);
  shown.current = items?.length ?? 0;
  const key = JSON.stringify(filter);
  const runs = useRuns();

  const reload = useCallback(async () => {
    const mine = runs.start();
    try {
      const page = await fetchPage(filter, undefined, Math.min(LIMITS.pageSize, Math.max(PAGE, shown.current)));
      if (!runs.isLatest(mine)) return;
      setItems(page.items);
      setNext(page.nextCursor);
      setProblem(null);
    } catch (err) {
      if (runs.isLatest(mine)) setProblem(problemOf(err));
    }
    // The filter's JSON is the key (a new object each render); fetchPage is a module-level function.
  }, [key]);

  useEffect(() => {
    shown.current = 0;
    void reload();
  }, [reload]);

  const more = async () => {
    if (!next) return;
    setLoading(true);
    const mine = runs.current();
    try {
      const page = await fetchPage(filter, next, PAGE);
      if (!runs.isLatest(mine)) return;
      setItems((old) => [...(old ?? []), ...page.items]);
      setNext(page.nextCursor);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setLoading(false);
    }
  };
  return { items, next, problem, loading, reload, more };
}

const fetchPostmortems = (f: PostmortemListFilter, cursor: string | undefined, limit: number) =>
  api.listPostmortems({ ...f, ...(cursor && { before: Number(cursor) }), limit });
const fetchActions = (f: ActionListFilter, cursor: string | undefined, limit: number) => api.listActions({ ...f, cursor, limit });

function LoadMore({ next, loading, onMore }: { next: string | null; loading: boolean; onMore: () => void }) {
  if (!next) return null;
  return (
    <button type="button" onClick={onMore} disabled={loading}>
      {loading ? 'Loading…' : 'Load more'}
    </button>
  );
}

/** What is owed after incidents: postmortems by review state and action items by owner, across every incident. */
export function FollowUps() {
  const session = useSession();
  const [f, setF] = useState<Filters>(readFilters);

  useEffect(() => {
    replaceQuery('/follow-ups', {
      pm: f.pmState,
      pmOverdue: f.pmOverdue ? 'true' : undefined,
      owner: f.owner.trim(),
      state: f.state === NOT_DONE ? undefined : f.state || 'any',
      overdue: f.overdue ? 'true' : undefined,
    });
  }, [f]);

  const pmFilter: PostmortemListFilter = { ...(f.pmState && { state: f.pmState }), ...(f.pmOverdue && { overdue: 'true' }) };
  const actionFilter: ActionListFilter = {
    ...(f.owner.trim() && { owner: f.owner.trim() }),
    ...(f.state && { state: f.state }),
    ...(f.overdue && { overdue: 'true' }),
  };
  const pms = usePaged<PostmortemItem, PostmortemListFilter>(pmFilter, fetchPostmortems);
  const actions = usePaged<ActionItemRow, ActionListFilter>(actionFilter, fetchActions);
  useLiveReload(['incident', 'resync'], () => {
    void pms.reload();
    void actions.reload();
  }, 500);

  const mine = f.owner.trim() === session.username;

  return (
    <main className="page follow-ups">
      <div className="page-head">
        <h1>Follow-ups</h1>
        <span className="muted">postmortems to write, review and publish; action items to finish</span>
      </div>

      <Panel title="Postmortems" id="postmortems" count={pms.items?.length}>
        <form className="filters" role="search" aria-label="Postmortem filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            <span>Review state</span>
            <select name="pm" value={f.pmState} onChange={(e) => setF({ ...f, pmState: e.target.value })}>
              <option value="">any</option>
              {PM_STATES.map((s) => (
                <option key={s} value={s}>
                  {PM_WORDS[s]}
                </option>
              ))}
            </select>
          </label>
          <label className="check-filter">
            <input type="checkbox" checked={f.pmOverdue} onChange={(e) => setF({ ...f, pmOverdue: e.target.checked })} />
            Overdue only
          </label>
        </form>
        <ProblemView problem={pms.problem} />
        {pms.items?.length === 0 && <p className="empty">No postmortem matches.</p>}
        {pms.items && pms.items.length > 0 && (
          <table className="incidents follow-up-table" aria-label="Postmortems">
            <thead>
              <tr>
                <th>Incident</th>
                <th>Review</th>
                <th className="hide-narrow">Author</th>
                <th className="hide-narrow">Reviewers</th>
                <th>Due</th>
              </tr>
            </thead>
            <tbody>
              {pms.items.map((p) => (
                <tr key={p.incident} data-postmortem={p.incident} className={p.overdue ? 'overdue-row' : undefined}>
                  <td className="title-cell">
                    <SeverityBadge severity={p.severity} /> <span className="id">{p.incident}</span>{' '}
                    <Link to={`/incidents/${p.incident}/postmortem`}>{p.title}</Link>
                    <div className="small muted">incident {p.status}</div>
                  </td>
                  <td>
                    <PostmortemStateBadge state={p.state === 'missing' ? null : p.state} />
                  </td>
                  <td className="hide-narrow">{p.author ?? '—'}</td>
                  <td className="hide-narrow">{p.reviewers.length ? p.reviewers.join(', ') : <span className="warn-text">none</span>}</td>
                  <td className="num">
                    {p.state === 'published' ? <span className="muted">published {utc(p.publishedAt)}</span> : utc(p.dueAt)}
                    {p.overdue && <span className="tag tag-bad">overdue</span>}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore next={pms.next} loading={pms.loading} onMore={() => void pms.more()} />
      </Panel>

      <Panel title="Action items" id="action-items" count={actions.items?.length}>
        <form className="filters" role="search" aria-label="Action item filters" onSubmit={(e) => e.preventDefault()}>
          <label>
            <span>Owner</span>
            <input name="owner" placeholder="anyone" maxLength={LIMITS.person} value={f.owner} onChange={(e) => setF({ ...f, owner: e.target.value })} />
          </label>
          <label className="check-filter">
            <input type="checkbox" checked={mine} onChange={(e) => setF({ ...f, owner: e.target.checked ? session.username : '' })} />
            Mine ({session.username})
          </label>
          <label>
            <span>Status</span>
            <select name="state" value={f.state} onChange={(e) => setF({ ...f, state: e.target.value })}>
              <option value={NOT_DONE}>not done</option>
              {ACTION_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {s.replace('_', ' ')}
                </option>
              ))}
              <option value="">any</option>
            </select>
          </label>
          <label className="check-filter">
            <input type="checkbox" checked={f.overdue} onChange={(e) => setF({ ...f, overdue: e.target.checked })} />
            Overdue only
          </label>
        </form>
        <ProblemView problem={actions.problem} />
        {actions.items?.length === 0 && <p className="empty">No action item matches.</p>}
        {actions.items && actions.items.length > 0 && (
          <table className="incidents follow-up-table" aria-label="Action items">
            <thead>
              <tr>
                <th>Action</th>
                <th>Owner</th>
                <th>Due</th>
                <th className="hide-narrow">Status</th>
                <th className="hide-narrow">Incident</th>
              </tr>
            </thead>
            <tbody>
              {actions.items.map((a) => (
                <tr key={a.id} data-action={a.id} className={a.overdue ? 'overdue-row' : undefined}>
                  <td className="title-cell">
                    <span className="id">{a.id}</span> <span className="tag">{a.priority}</span> <span className="tag">{a.kind}</span> {a.title}
                    {a.ticketUrl && (
                      <ExternalLink url={a.ticketUrl} className="ext">
                        ticket
                      </ExternalLink>
                    )}
                    <div className="show-narrow small muted">
                      {a.status.replace('_', ' ')} · <Link to={`/incidents/${a.incident}`}>{a.incident}</Link>
                    </div>
                  </td>
                  <td>{a.owner}</td>
                  <td className="num">
                    {utc(a.dueAt)}
                    {a.overdue && <span className="tag tag-bad">overdue</span>}
                  </td>
                  <td className="hide-narrow">{a.status.replace('_', ' ')}</td>
                  <td className="hide-narrow">
                    <Link to={`/incidents/${a.incident}`}>{a.incident}</Link> <span className="small muted">{a.incidentTitle}</span>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <LoadMore next={actions.next} loading={actions.loading} onMore={() => void actions.more()} />
      </Panel>
    </main>
  );
}
