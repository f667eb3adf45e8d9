import { useMemo, useState } from 'react';
import type { TimelineEntry } from '../../api/client.js';
import { ExternalLink, isHttpUrl } from '../ExternalLink.js';
import { clock, utc } from '../time.js';

const GROUPS: Record<string, readonly string[]> = {
  updates: ['UpdatePosted'],
  notes: ['NoteAdded'],
  evidence: ['EvidenceAdded', 'QuestionAsked', 'QuestionAnswered'],
  decisions: ['StatusChanged', 'SeverityChanged', 'MitigationDecided', 'LeverExecuted', 'LeverConfirmed', 'GateOverridden', 'GuardrailAdded', 'ImpactStated'],
  people: ['RoleAssigned', 'CommanderSuggested', 'RoleUnassigned', 'CommsPlanSet'],
  signals: ['AlertLinked', 'AlertStatusChanged', 'AlertsRecorded', 'AlertsCleared', 'ReleaseBoundaryChanged'],
};

/** Rows rendered at first and added per "show more": the list stays bounded however long the log. */
const SHOWN = 300;
/** Consecutive alert entries (a storm, or a log from before batched links) from this many on fold into one row. */
const RUN = 3;
const ALERT_ENTRIES = new Set(['AlertLinked', 'AlertStatusChanged', 'AlertsRecorded']);

type Row = { entry: TimelineEntry } | { run: TimelineEntry[] };

/** Folds runs of alert entries (newest first) into one row each, unless the run, named by its oldest seq, was opened. */
function rowsOf(entries: readonly TimelineEntry[], opened: ReadonlySet<number>): Row[] {
  const rows: Row[] = [];
  let run: TimelineEntry[] = [];
  const flush = () => {
    if (run.length >= RUN && !opened.has(run.at(-1)!.seq)) rows.push({ run });
    else rows.push(...run.map((entry) => ({ entry })));
    run = [];
  };
  for (const e of entries) {
    if (ALERT_ENTRIES.has(e.type)) run.push(e);
    else {
      flush();
      rows.push({ entry: e });
    }
  }
  flush();
  return rows;
}

/** The event log, newest first, filtered by kind and text; links only when they are http(s). */
export function Timeline({
  entries,
  hasEarlier,
  onEarlier,
  loading,
}: {
  entries: TimelineEntry[];
  hasEarlier: boolean;
  onEarlier: () => void;
  loading: boolean;
}) {
  const [group, setGroup] = useState('all');
  const [text, setText] = useState('');
  const [limit, setLimit] = useState(SHOWN);
  const [opened, setOpened] = useState<ReadonlySet<number>>(new Set());

  const filtered = useMemo(() => {
    const q = text.trim().toLowerCase();
    const types = GROUPS[group];
    const out: TimelineEntry[] = [];
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries[i]!;
      if (types && !types.includes(e.type)) continue;
      if (q && !`${e.summary} ${e.actor} ${e.type}`.toLowerCase().includes(q)) continue;
      out.push(e);
    }
    return out;
  }, [entries, group, text]);
  const visible = useMemo(() => filtered.slice(0, limit), [filtered, limit]);
  // Asked for by kind or text, alert entries show one by one.
  const fold = group === 'all' && !text.trim();
  const rows = useMemo(() => (fold ? rowsOf(visible, opened) : visible.map((entry) => ({ entry }))), [fold, visible, opened]);

  return (
    <section className="panel timeline" aria-label="Timeline">
      <div className="panel-head">
        <h2>Timeline</h2>
        <span className="muted small">{entries.length} events loaded</span>
        <span className="spacer" />
        <select aria-label="Filter timeline by kind" value={group} onChange={(e) => setGroup(e.target.value)}>
          <option value="all">all events</option>
          {Object.keys(GROUPS).map((g) => (
            <option key={g} value={g}>
              {g}
            </option>
          ))}
        </select>
        <input aria-label="Search the timeline" placeholder="search" value={text} onChange={(e) => setText(e.target.value)} />
      </div>
      <ol className="events">
        {rows.map((row) => {
          if ('entry' in row) return <Entry key={row.entry.seq} e={row.entry} />;
          const newest = row.run[0]!;
          const oldest = row.run.at(-1)!;
          const actors = new Set(row.run.map((e) => e.actor));
          return (
            <li key={`run-${oldest.seq}`} className="ev ev-run" data-seq={newest.seq}>
              <time dateTime={newest.at} title={utc(newest.at)}>
                {clock(newest.at)}
              </time>
              <span className="actor">{actors.size === 1 ? newest.actor : `${actors.size} senders`}</span>
              <span className="summary">
                {row.run.length} alert entries since {clock(oldest.at)}, the newest: {newest.summary}{' '}
                <button type="button" className="link small" onClick={() => setOpened((o) => new Set(o).add(oldest.seq))}>
                  show each
                </button>
              </span>
            </li>
          );
        })}
      </ol>
      {filtered.length > visible.length && (
        <button type="button" className="link" onClick={() => setLimit((n) => n + SHOWN)}>
          Show {Math.min(SHOWN, filtered.length - visible.length)} more of {filtered.length} matching events
        </button>
      )}
      {hasEarlier && (
        <button type="button" className="link" onClick={onEarlier} disabled={loading}>
          {loading ? 'Loading…' : 'Load earlier events'}
        </button>
      )}
      {!hasEarlier && visible.length === filtered.length && entries.length > 0 && <p className="muted small">Start of the incident.</p>}
    </section>
  );
}

function Entry({ e }: { e: TimelineEntry }) {
  return (
    <li className={`ev ev-${e.type}`} data-seq={e.seq}>
      <time dateTime={e.at} title={utc(e.at)}>
        {clock(e.at)}
      </time>
      <span className="actor">{e.actor}</span>
      <span className="summary">
        {e.summary}
        {e.links.filter(isHttpUrl).map((l) => (
          <ExternalLink key={l} url={l} className="ext" />
        ))}
      </span>
    </li>
  );
}
