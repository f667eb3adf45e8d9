import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { api, isClientError, problemOf, type ProblemInfo, type ServiceDetail, type ServiceSummary } from '../api/client.js';
import { ExternalLink } from '../components/ExternalLink.js';
import { LeverLine, rankLevers } from '../components/Levers.js';
import { Link } from '../components/Link.js';
import { Panel } from '../components/Panel.js';
import { ProblemView } from '../components/ProblemView.js';
import { useLiveReload } from '../hooks/stream.js';

// markdown-it loads only with the first playbook shown.
const Markdown = lazy(() => import('../components/Markdown.js'));

/** One service of the catalog: owner and on call, levers fail-closed first, flows and seams, SLOs, and its playbook. */
export function ServicePage({ name }: { name: string }) {
  const [detail, setDetail] = useState<ServiceDetail | null>(null);
  const [known, setKnown] = useState<Set<string>>(new Set());
  const [playbook, setPlaybook] = useState<string | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [missing, setMissing] = useState(false);

  const load = useCallback(async () => {
    try {
      const [d, p, all] = await Promise.all([api.getService(name), api.getServicePlaybook(name), api.listServices()]);
      setDetail(d);
      setPlaybook(p);
      setKnown(new Set(all.items.map((s: ServiceSummary) => s.name)));
      setProblem(null);
      setMissing(false);
    } catch (err) {
      if (isClientError(err, 'not_found')) setMissing(true);
      else setProblem(problemOf(err));
    }
  }, [name]);

  useEffect(() => {
    void load();
  }, [load]);
  useLiveReload(['catalog', 'resync'], () => void load());

  if (missing) {
    return (
      <main className="page">
        <h1>{name}</h1>
        <p>
          There is no service <code>{name}</code> in the catalog. <Link to="/catalog">Back to the catalog</Link>
        </p>
      </main>
    );
  }
  if (!detail) {
    return (
      <main className="page">
        {problem ? <ProblemView problem={problem} /> : <p className="muted">Loading {name}…</p>}
      </main>
    );
  }

  const s = detail.service;
  const levers = rankLevers(detail.levers.map((lever) => ({ lever })));
  const { team, person } = detail;
  const { warnings } = detail;
  return (
    <main className="page service-page" data-service={s.name}>
      <nav className="crumbs small">
        <Link to="/catalog">Catalog</Link> / {s.name}
      </nav>
      <div className="room-head">
        <div className="room-title">
          <span className={`badge tier tier-${s.tier}`}>T{s.tier}</span>
          <span className="id">{s.name}</span>
          {s.public && <span className="tag">on the status page</span>}
          {s.lifecycle && <span className="tag">{s.lifecycle}</span>}
          <h1>{s.title}</h1>
        </div>
        {s.description && <p className="muted">{s.description}</p>}
        <div className="roles-line">
          <span>
            <span className="k">owner</span> {person ? (person.title === person.name ? person.name : `${person.title} (${person.name})`) : s.owner}
            {person?.email && <span className="muted"> {person.email}</span>}
          </span>
          <span>
            <span className="k">on call now</span> {detail.onCallNow ?? <span className="warn-text">nobody</span>}
          </span>
          {s.system && (
            <span>
              <span className="k">system</span> {s.system}
            </span>
          )}
          {s.repository && (
            <span>
              <span className="k">repository</span> {s.repository}
            </span>
          )}
          <span>
            <span className="k">runbook</span> <ExternalLink url={s.runbook} />
          </span>
        </div>
        {warnings.length > 0 && (
          <ul className="warnings small" aria-label="Catalog warnings">
            {warnings.map((w) => (
              <li key={`${w.path} ${w.message}`} className="warn-text">
                {w.message}
              </li>
            ))}
          </ul>
        )}
      </div>
      <ProblemView problem={problem} />
      <div className="room-grid">
        <div className="room-main">
          <section className="panel" aria-label="Playbook">
            <div className="panel-head">
              <h2>Incident playbook</h2>
              <span className="spacer" />
              <a className="small" href={`/api/v1/services/${encodeURIComponent(s.name)}/playbook`} target="_blank" rel="noopener">
                Markdown source
              </a>
            </div>
            <Suspense fallback={<p className="muted">Rendering…</p>}>{playbook !== null && <Markdown source={playbook} />}</Suspense>
          </section>
        </div>
        <aside className="room-side">
          <Panel title="Levers, fail-closed first" count={levers.length} id="levers">
            <ol className="items levers">
              {levers.map(({ lever }) => (
                <li key={lever.name}>
                  <LeverLine lever={lever} />
                </li>
              ))}
              {levers.length === 0 && <li className="muted">No levers: nothing to pull from the incident room.</li>}
            </ol>
            <p className="small muted">Pull them from the incident room of an incident on this service.</p>
          </Panel>
          <Panel title="Flows" count={s.flows.length} id="flows">
            <ul className="plain">
              {s.flows.map((f) => (
                <li key={f.name}>
                  {f.name} <span className="small muted">{f.userFacing ? 'user-facing' : 'internal'}</span>
                </li>
              ))}
              {s.flows.length === 0 && <li className="muted">None listed.</li>}
            </ul>
          </Panel>
          <Panel title="Unsupported flows" count={s.unsupportedFlows.length} id="unsupported">
            <ul className="plain">
              {s.unsupportedFlows.map((f) => (
                <li key={f} className="warn-text">
                  {f}
                </li>
              ))}
              {s.unsupportedFlows.length === 0 && <li className="muted">None.</li>}
            </ul>
            {s.unsupportedFlows.length > 0 && <p className="small muted">A fail-open lever on an incident touching one needs a stated reason.</p>}
          </Panel>
          <Panel title="Coexistence seams" count={s.coexistence.length} id="seams">
            <ul className="plain">
              {s.coexistence.map((c) => (
                <li key={c.name}>
                  {c.name} <span className={`tag ${c.failMode === 'closed' ? 'tag-ok' : 'tag-warn'}`}>fails {c.failMode}</span>
                </li>
              ))}
              {s.coexistence.length === 0 && <li className="muted">None.</li>}
            </ul>
          </Panel>
          <Panel title="SLOs" id="slos">
            <p className="small slo-line">
              <span>
                <span className="k">availability</span> {s.slo.availability !== null ? `${s.slo.availability} %` : '—'}
              </span>
              <span>
                <span className="k">latency p95</span> {s.slo.latencyP95Ms !== null ? `${s.slo.latencyP95Ms} ms` : '—'}
              </span>
            </p>
          </Panel>
          <Panel title="Dependencies" count={s.dependsOn.length} id="deps">
            <ul className="plain">
              {s.dependsOn.map((d) => (
                <li key={d}>
                  {known.has(d) ? <Link to={`/catalog/${encodeURIComponent(d)}`}>{d}</Link> : d}
                  {!known.has(d) && <span className="small muted"> outside the catalog</span>}
                </li>
              ))}
              {s.dependsOn.length === 0 && <li className="muted">None.</li>}
            </ul>
          </Panel>
          <Panel title="Alert routing" count={s.alertMatchers.length} id="matchers">
            <ul className="plain small">
              {s.alertMatchers.map((m, i) => (
                <li key={i}>
                  <code>{'value' in m ? `${m.label} = "${m.value}"` : `${m.label} =~ "${m.regex}"`}</code>
                </li>
              ))}
              <li className="muted">
                and any alert labelled <code>service="{s.name}"</code> that no matcher claims
              </li>
            </ul>
          </Panel>
          {person && (
            <Panel title={`Owner ${person.title}`} id="owner">
              <p className="small">
                Owned by a person, not a team: {person.name} is who to page
                {person.email ? <span className="muted"> · {person.email}</span> : <span className="muted"> · no email in the catalog</span>}
              </p>
            </Panel>
          )}
          {team && (
            <Panel title={`Team ${team.name}`} count={team.members.length} id="team">
              <p className="small">
                <span className="k">on call now</span> {team.onCallNow ?? 'nobody'}
                {team.onCall && (
                  <span className="muted">
                    {' '}
                    · {team.onCall.rotation}: {team.onCall.order.join(' → ')}
                  </span>
                )}
              </p>
              <ul className="plain small">
                {team.members.map((m) => (
                  <li key={m.name}>
                    {m.name} {m.email && <span className="muted">{m.email}</span>}
                  </li>
                ))}
              </ul>
            </Panel>
          )}
        </aside>
      </div>
    </main>
  );
}
