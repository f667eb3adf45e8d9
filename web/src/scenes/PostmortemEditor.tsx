import { useCallback, useEffect, useState, type FormEvent } from 'react';
import {
  actWith,
  api,
  LIMITS,
  problemOf,
  type Incident,
  type PostmortemReport,
} from '../api/client.js';
import { SeverityBadge, StatusBadge } from '../components/Badges.js';
import { handleSubmitKeys, TextArea } from '../components/Form.js';
import { Link } from '../components/Link.js';
import { ProblemView } from '../components/ProblemView.js';
import { BlameWarnings } from '../components/room/BlameWarnings.js';
import { ActionsPanel, QuestionsPanel } from '../components/room/Panels.js';
import { PostmortemReview } from '../components/room/PostmortemReview.js';
import { utc } from '../components/time.js';
import { useSession } from '../hooks/session.js';
import { useLive } from '../hooks/stream.js';
import { useSubmit } from '../hooks/submit.js';

interface Draft {
  summary: string;
  impact: string;
  whys: string[];
  rootCause: string;
  contributingFactors: string;
  wentWell: string;
  wentPoorly: string;
  lessons: string;
}

const lines = (s: string) =>
  s
    .split('\n')
    .map((x) => x.trim())
    .filter(Boolean);

function draftOf(incident: Incident): Draft {
  const pm = incident.postmortem;
  const whys = pm?.whys ?? [];
  return {
    summary: pm?.summary ?? '',
    impact: pm?.impact ?? incident.impact.statement ?? '',
    whys: [...whys, ...Array<string>(Math.max(0, 5 - whys.length)).fill('')],
    rootCause: pm?.rootCause ?? '',
    contributingFactors: (pm?.contributingFactors ?? []).join('\n'),
    wentWell: (pm?.wentWell ?? []).join('\n'),
    wentPoorly: (pm?.wentPoorly ?? []).join('\n'),
    lessons: (pm?.lessons ?? []).join('\n'),
  };
}

/** The blameless postmortem: template fields, 5 Whys, action items, exports; warnings inline after each save. */
export function PostmortemEditor({ id }: { id: string }) {
  const session = useSession();
  const [incident, setIncident] = useState<Incident | null>(null);
  const [report, setReport] = useState<PostmortemReport | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [dirty, setDirty] = useState(false);
  const [saved, setSaved] = useState<string | null>(null);
  const { busy, problem, setProblem, submit } = useSubmit();

  const load = useCallback(
    async (known?: Incident) => {
      try {
        const [i, r] = await Promise.all([known ?? api.getIncident(id), api.getPostmortem(id)]);
        setIncident(i);
        setReport(r);
        setDraft((d) => (d && dirty ? d : draftOf(i)));
      } catch (err) {
        setProblem(problemOf(err));
      }
    },
    [id, dirty],
  );

  useEffect(() => {
    void load();
    // First load only: later ones come from the stream, and `load` changes with `dirty`.
  }, [id]);
  useLive((e) => {
    if (e.kind === 'resync' || (e.kind === 'incident' && e.id === incident?.id && e.version > incident.version)) void load();
  });

  const act = actWith(load);

  if (!incident || !draft || !report) {
    return (
      <main className="page">
        {problem ? <ProblemView problem={problem} /> : <p className="muted">Loading postmortem for {id}…</p>}
      </main>
    );
  }

  const edit = (patch: Partial<Draft>) => {
    setDraft({ ...draft, ...patch });
    setDirty(true);
    setSaved(null);
  };

  const handleSave = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      const answer = await api.writePostmortem(incident.id, {
        summary: draft.summary.trim(),
        impact: draft.impact.trim(),
        whys: draft.whys.map((w) => w.trim()).filter(Boolean),
        rootCause: draft.rootCause.trim(),
        contributingFactors: lines(draft.contributingFactors),
        wentWell: lines(draft.wentWell),
        wentPoorly: lines(draft.wentPoorly),
        lessons: lines(draft.lessons),
      });
      setDirty(false);
      setSaved(new Date().toISOString());
      setIncident(answer);
      setReport(await api.getPostmortem(incident.id));
    });
  };

  // Every answer carries the blameless check of the postmortem as saved (waived ones left out).
  const w = incident.postmortemWarnings;
  const published = incident.postmortem?.state === 'published';
  // A published postmortem no longer changes; a viewer never edits.
  const ro = !session.canAct || published;
  const warnings = (field: string) => <BlameWarnings incident={incident} field={field} canWaive={!ro} act={act} />;
  const text = (field: 'summary' | 'impact' | 'rootCause', label: string, hint: string) => (
    <div className="field-block">
      <label className="field wide">
        <span>{label}</span>
        <TextArea name={field} readOnly={ro} maxLength={LIMITS.text} value={draft[field]} placeholder={hint} onChange={(e) => edit({ [field]: e.target.value })} />
      </label>
      {warnings(field)}
    </div>
  );
  const list = (field: 'contributingFactors' | 'wentWell' | 'wentPoorly' | 'lessons', label: string) => (
    <div className="field-block">
      <label className="field wide">
        <span>{label} — one per line</span>
        <TextArea name={field} readOnly={ro} rows={3} value={draft[field]} onChange={(e) => edit({ [field]: e.target.value })} />
      </label>
      {warnings(field)}
    </div>
  );

  return (
    <main className="page postmortem">
      <header className="room-head">
        <div className="room-title">
          <Link to={`/incidents/${incident.id}`} className="id">
            {incident.id}
          </Link>
          <SeverityBadge severity={incident.severity} />
          <StatusBadge status={incident.status} />
          <h1>Postmortem: {incident.title}</h1>
        </div>
        <div className="roles-line">
          <span>
            <span className="k">status</span> <span data-pm-status={report.status}>{report.status}</span>
          </span>
          <span>
            <span className="k">due</span> {utc(incident.postmortemDueAt)}
          </span>
          {report.duration && (
            <span>
              <span className="k">duration</span> {report.duration.text}
            </span>
          )}
          <span>
            <span className="k">commander</span> {report.commander ?? '—'}
          </span>
          <span className="spacer" />
          <span className="exports no-print">
            <Link to={`/incidents/${incident.id}/postmortem/print`} className="button">
              Printable page
            </Link>
            <a className="button" href={`/api/v1/incidents/${incident.id}/postmortem?format=md`} download={`${incident.id}-postmortem.md`}>
              Markdown
            </a>
            <a className="button" href={`/api/v1/incidents/${incident.id}/postmortem?format=html`} target="_blank" rel="noopener">
              HTML
            </a>
            <button type="button" onClick={() => window.print()}>
              Print
            </button>
          </span>
        </div>
      </header>

      <div className="no-print">
        <PostmortemReview incident={incident} canAct={session.canAct} act={act} me={session.username} />
      </div>
      {published && (
        <p className="muted small" role="status">
          Published: the postmortem is read-only.
        </p>
      )}
      {report.missing.length > 0 && (
        <div className="gate gate-open no-print" aria-label="Missing before close">
          Before this incident can close:
          <ul>
            {report.missing.map((m) => (
              <li key={m.code + m.message}>{m.message}</li>
            ))}
          </ul>
        </div>
      )}
      {w.length > 0 && (
        <p className="blame-summary no-print" role="status">
          {w.length} blameful phrase{w.length === 1 ? '' : 's'} found: describe the system and its conditions, not people.
        </p>
      )}

      <div className="room-grid">
        <form className="stack room-main" onSubmit={handleSave} aria-label="Postmortem">
          {text('summary', 'Summary', 'What happened, in two or three sentences.')}
          {text('impact', 'Impact', 'Who was affected, how, and for how long.')}
          <fieldset>
            <legend>5 Whys — from the symptom to the root cause</legend>
            {draft.whys.map((y, i) => (
              <div key={i} className="field-block">
                <label className="field wide why">
                  <span>Why {i + 1}?</span>
                  <input
                    name={`why-${i + 1}`}
                    readOnly={ro}
                    maxLength={LIMITS.text}
                    value={y}
                    onKeyDown={handleSubmitKeys}
                    onChange={(e) => edit({ whys: draft.whys.map((old, j) => (j === i ? e.target.value : old)) })}
                  />
                </label>
                {/* The server keeps the non-blank whys, so whys[k] is the k-th filled box. */}
                {!dirty && y.trim() && warnings(`whys[${draft.whys.slice(0, i).filter((x) => x.trim()).length}]`)}
              </div>
            ))}
            {!ro && draft.whys.length < LIMITS.whys && (
              <button type="button" className="link" onClick={() => edit({ whys: [...draft.whys, ''] })}>
                + another why
              </button>
            )}
          </fieldset>
          {text('rootCause', 'Root cause', 'The system condition the whys lead to.')}
          {list('contributingFactors', 'Contributing factors')}
          {list('wentWell', 'What went well')}
          {list('wentPoorly', 'What went poorly')}
          {list('lessons', 'Lessons')}
          {!ro && (
            <div className="row no-print">
              <button type="submit" className="primary" disabled={busy}>
                {busy ? 'Saving…' : 'Save postmortem'}
              </button>
              <span className="muted small">{dirty ? 'Unsaved changes · Ctrl+Enter saves' : saved ? `Saved ${utc(saved)}` : ''}</span>
            </div>
          )}
          <ProblemView problem={problem} />
        </form>
        <aside className="room-side">
          <ActionsPanel incident={incident} canAct={session.canAct} act={act} />
          <QuestionsPanel incident={incident} canAct={session.canAct} act={act} />
        </aside>
      </div>
    </main>
  );
}
