import { useCallback, useEffect, useState, type ReactNode } from 'react';
import { api, problemOf, type PostmortemReport, type ProblemInfo } from '../api/client.js';
import { ExternalLink } from '../components/ExternalLink.js';
import { Link } from '../components/Link.js';
import { ProblemView } from '../components/ProblemView.js';
import { utc } from '../components/time.js';
import { useLive } from '../hooks/stream.js';

const NONE = 'None recorded.';

function Items({ items, ordered = false }: { items: readonly string[]; ordered?: boolean }) {
  if (items.length === 0) return <p className="muted">{NONE}</p>;
  const children = items.map((x, i) => <li key={i}>{x}</li>);
  return ordered ? <ol>{children}</ol> : <ul>{children}</ul>;
}

function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <section className="report-section" aria-label={title}>
      <h2>{title}</h2>
      {children}
    </section>
  );
}

function review(r: PostmortemReport): string {
  if (r.state === 'published') return `published by ${r.publishedBy ?? 'unknown'} on ${utc(r.publishedAt)}`;
  if (r.state === 'in_review') return `in review by ${r.reviewers.join(', ')}`;
  if (r.state === 'draft') return `draft${r.reviewers.length ? `; reviewers ${r.reviewers.join(', ')}` : '; no reviewer yet'}`;
  return 'not started';
}

/**
 * The whole postmortem report on one page for paper or PDF: no navigation, and the stylesheet's print rules drop the
 * buttons. The sections follow the server's Markdown and HTML renderings, in the blameless template order.
 */
export function PostmortemPrint({ id }: { id: string }) {
  const [report, setReport] = useState<PostmortemReport | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const load = useCallback(async () => {
    try {
      setReport(await api.getPostmortem(id));
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, [id]);
  useEffect(() => {
    void load();
  }, [load]);
  // This incident's changes only (and a resync), as the editor listens.
  useLive((e) => {
    if (e.kind === 'resync' || (e.kind === 'incident' && e.id === id)) void load();
  });

  useEffect(() => {
    if (report) document.title = `Postmortem ${report.incident} — ${report.title}`;
    return () => {
      document.title = 'Firebreak';
    };
  }, [report]);

  if (!report) {
    return (
      <main className="page print-page">
        {problem ? <ProblemView problem={problem} /> : <p className="muted">Loading the postmortem of {id}…</p>}
        <Link to={`/incidents/${id}`}>Back to the incident</Link>
      </main>
    );
  }
  const r = report;
  const duration = r.duration ? `${r.duration.text} (${utc(r.duration.startedAt)} → ${utc(r.duration.resolvedAt)})` : 'not resolved';
  const fields: [string, string][] = [
    ['Incident', r.incident],
    ['Date', r.date ?? 'unknown'],
    ['Severity', r.severity ?? 'not set'],
    ['Duration', duration],
    ['Author', r.author ?? 'not written yet'],
    ['Commander', r.commander ?? 'not assigned'],
    ['Review', review(r)],
    ...(r.postmortemDueAt ? [['Due', utc(r.postmortemDueAt)] as [string, string]] : []),
  ];

  return (
    <main className="page print-page">
      <div className="print-bar no-print">
        <Link to={`/incidents/${r.incident}/postmortem`}>← Back to the postmortem</Link>
        <Link to={`/incidents/${r.incident}`}>Incident room</Link>
        <span className="spacer" />
        <button type="button" className="primary" onClick={() => window.print()}>
          Print
        </button>
      </div>
      <ProblemView problem={problem} />
      <article className="report" aria-label="Postmortem report">
        <h1>
          Postmortem: {r.incident} — {r.title}
        </h1>
        <dl className="report-fields">
          {fields.map(([k, v]) => (
            <div key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </div>
          ))}
        </dl>
        <p className="muted">Blameless: this report describes how the system and the response behaved, not who is at fault.</p>

        <Section title="Summary">
          <p>{r.summary ?? 'Not written yet.'}</p>
        </Section>
        <Section title="Impact">
          <p>{r.impact ?? 'Not written yet.'}</p>
          {r.impactStatement && r.impactStatement !== r.impact && <p>Impact statement during the incident: {r.impactStatement}</p>}
        </Section>
        <Section title="Timeline">
          {r.timeline.length === 0 ? (
            <p className="muted">No events.</p>
          ) : (
            <table className="report-table">
              <thead>
                <tr>
                  <th>Time (UTC)</th>
                  <th>Actor</th>
                  <th>Event</th>
                </tr>
              </thead>
              <tbody>
                {r.timeline.map((t) => (
                  <tr key={t.seq}>
                    <td className="num">{utc(t.at).replace(' UTC', '')}</td>
                    <td>{t.actor}</td>
                    <td>{t.summary}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <Section title="5 Whys and root cause">
          <Items items={r.whys.map((w) => `Why? ${w}`)} ordered />
          <p>
            <strong>Root cause:</strong> {r.rootCause ?? 'not named yet'}
          </p>
        </Section>
        <Section title="Contributing factors">
          <Items items={r.contributingFactors} />
        </Section>
        <Section title="What went well">
          <Items items={r.wentWell} />
        </Section>
        <Section title="What went poorly">
          <Items items={r.wentPoorly} />
        </Section>
        <Section title="Action items">
          {r.actionItems.length === 0 ? (
            <p className="muted">No action items yet: the incident cannot close without at least one.</p>
          ) : (
            <table className="report-table">
              <thead>
                <tr>
                  <th>Action</th>
                  <th>Kind</th>
                  <th>Owner</th>
                  <th>Deadline</th>
                  <th>Priority</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {r.actionItems.map((a) => (
                  <tr key={a.id} data-action={a.id}>
                    <td>
                      {a.action} <span className="id">({a.id})</span>
                      {a.ticketUrl && (
                        <>
                          {' '}
                          <ExternalLink url={a.ticketUrl} className="ticket-link">
                            {a.ticketUrl}
                          </ExternalLink>
                        </>
                      )}
                    </td>
                    <td>{a.kind}</td>
                    <td>{a.owner}</td>
                    <td className="num">{utc(a.deadline)}</td>
                    <td>{a.priority}</td>
                    <td>{a.status.replace('_', ' ')}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Section>
        <Section title="Lessons">
          <Items items={r.lessons} />
        </Section>
        <Section title="Open questions">
          <Items
            items={r.openQuestions.map(
              (q) => `${q.id}: ${q.question} — ${q.answer !== null ? `answered: ${q.answer}` : q.actionItem ? `tracked by ${q.actionItem}` : 'open'}`,
            )}
          />
        </Section>
        <Section title="Guardrails">
          {r.guardrails.length === 0 ? (
            <p className="muted">{r.noGuardrails ? 'Reviewed: no temporary guardrails needed.' : NONE}</p>
          ) : (
            <Items items={r.guardrails.map((g) => `${g.id}: ${g.what} — ${g.why}; remove when: ${g.removalCondition ?? 'missing'} (${g.owner})`)} />
          )}
        </Section>
        <Section title="Gate overrides">
          {r.gateOverrides.length === 0 ? (
            <p className="muted">None: every gate was met.</p>
          ) : (
            <Items items={r.gateOverrides.map((o) => `${utc(o.at)} — ${o.by} overrode the ${o.to} gate: ${o.reason} (${o.unmet.map((u) => u.message).join(' ')})`)} />
          )}
        </Section>
        {r.missing.length > 0 && (
          <Section title="Missing before close">
            <Items items={r.missing.map((u) => u.message)} />
          </Section>
        )}
        {r.warnings.length > 0 && (
          <Section title="Blameless language review">
            <Items items={r.warnings.map((w) => `${w.field}: “${w.phrase}” in “${w.excerpt}” — ${w.suggestion}`)} />
          </Section>
        )}
        {r.waivers.length > 0 && (
          <Section title="Blameless warnings waived">
            <Items items={r.waivers.map((w) => `${w.field}: “${w.phrase}” — waived by ${w.by}: ${w.reason}`)} />
          </Section>
        )}
      </article>
    </main>
  );
}
