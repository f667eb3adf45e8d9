import { useMemo, useState } from 'react';
import type { TimelineEntry } from '../../api/client.js';
import { ExternalLink, isHttpUrl } from '../ExternalLink.js';
import { clock, utc } from '../time.js';

const GROUPS: Record<string, readonly string[]> = {
  updates: ['UpdatePosted'],
  notes: ['NoteAdded'],
  evidence: ['EvidenceAdded', 'QuestionAsked', 'QuestionAnswered'],
  decisions: ['StatusChanged', 'SeverityChanged', 'MitigationDecided', 'GateOverridden', 'GuardrailAdded', 'ImpactStated'],
  people: ['RoleAssigned', 'RoleUnassigned', 'CommsPlanSet'],
  signals: ['AlertLinked', 'AlertStatusChanged', 'AlertsCleared', 'ReleaseBoundaryChanged'],
};

const SHOWN = 300;

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
  const [all, setAll] = useState(false);

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
  const visible = all ? filtered : filtered.slice(0, SHOWN);

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
        {visible.map((e) => (
          <li key={e.seq} className={`ev ev-${e.type}`} data-seq={e.seq}>
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
        ))}
      </ol>
      {filtered.length > visible.length && (
        <button type="button" className="link" onClick={() => setAll(true)}>
          Show all {filtered.length} matching events
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
