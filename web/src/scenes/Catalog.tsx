import { useCallback, useEffect, useState } from 'react';
import { api, problemOf, type CatalogInfo, type CatalogTeam, type ProblemInfo, type ServiceSummary } from '../api/client.js';
import { ExternalLink } from '../components/ExternalLink.js';
import { Link } from '../components/Link.js';
import { ProblemView } from '../components/ProblemView.js';
import { utc } from '../components/time.js';
import { useSession } from '../hooks/session.js';
import { useLiveReload } from '../hooks/stream.js';

type TeamRow = CatalogTeam & { onCallNow: string | null };

/** The service catalog: every service with its owner, tier and who is on call now; the teams below. */
export function Catalog() {
  const session = useSession();
  const [info, setInfo] = useState<CatalogInfo | null>(null);
  const [services, setServices] = useState<ServiceSummary[] | null>(null);
  const [teams, setTeams] = useState<TeamRow[]>([]);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [filter, setFilter] = useState('');

  const load = useCallback(async () => {
    try {
      const [i, s, t] = await Promise.all([api.getCatalogInfo(), api.listServices(), api.listTeams()]);
      setInfo(i);
      setServices([...s.items].sort((a, b) => a.tier - b.tier || a.name.localeCompare(b.name)));
      setTeams(t.items);
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  useLiveReload(['catalog', 'resync'], () => void load());

  const needle = filter.trim().toLowerCase();
  const shown = (services ?? []).filter(
    (s) => !needle || [s.name, s.title, s.owner, s.system ?? ''].some((x) => x.toLowerCase().includes(needle)),
  );

  return (
    <main className="page">
      <div className="page-head">
        <h1>Catalog</h1>
        <span className="muted">
          {info
            ? info.version === 0
              ? 'no catalog applied yet'
              : `version ${info.version} · ${info.services} services · ${info.teams} teams · applied ${utc(info.appliedAt)}${info.appliedBy ? ` by ${info.appliedBy}` : ''}`
            : 'loading…'}
        </span>
      </div>
      <ProblemView problem={problem} />
      {info && info.warnings.length > 0 && (
        <ul className="warnings small" aria-label="Catalog warnings">
          {info.warnings.map((w) => (
            <li key={`${w.path} ${w.message}`} className="warn-text">
              <code>{w.path}</code> {w.message}
            </li>
          ))}
        </ul>
      )}
      {info && info.ignored.length > 0 && (
        <details className="small muted ignored">
          <summary>{info.ignored.length} catalog entities not read by Firebreak</summary>
          <ul className="plain">
            {info.ignored.map((i) => (
              <li key={i.document}>
                {i.kind} {i.name ?? ''} <span className="muted">— {i.reason}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {info?.version === 0 && (
        <p className="empty">
          No catalog yet. {session.isAdmin ? 'Apply one with ' : 'An admin applies one with '}
          <code>npx firebreak catalog apply catalog.yaml</code> or <code>PUT /api/v1/catalog</code> (see docs/INTEGRATIONS.md).
        </p>
      )}
      {services && services.length > 0 && (
        <>
          <form className="filters" role="search" onSubmit={(e) => e.preventDefault()}>
            <label>
              <span>Find</span>
              <input name="find" placeholder="name, owner, system" value={filter} onChange={(e) => setFilter(e.target.value)} />
            </label>
          </form>
          <table className="incidents catalog">
            <thead>
              <tr>
                <th>Tier</th>
                <th>Service</th>
                <th>Owner</th>
                <th>On call now</th>
                <th className="hide-narrow">Depends on</th>
                <th className="hide-narrow">Runbook</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((s) => (
                <tr key={s.name} data-service={s.name}>
                  <td>
                    <span className={`badge tier tier-${s.tier}`} title={`Tier ${s.tier}${s.tier === 1 ? ' (most critical)' : ''}`}>
                      T{s.tier}
                    </span>
                  </td>
                  <td className="title-cell">
                    <Link to={`/catalog/${encodeURIComponent(s.name)}`}>
                      <span className="id">{s.name}</span> {s.title !== s.name && <span className="title">{s.title}</span>}
                    </Link>
                    <div className="small muted">
                      {[s.system && `system ${s.system}`, s.lifecycle, s.public && 'on the status page'].filter(Boolean).join(' · ')}
                    </div>
                  </td>
                  <td>{s.owner}</td>
                  <td>{s.onCallNow ?? <span className="warn-text">nobody</span>}</td>
                  <td className="hide-narrow small">{s.dependsOn.join(', ') || <span className="muted">—</span>}</td>
                  <td className="hide-narrow small">
                    <ExternalLink url={s.runbook}>runbook</ExternalLink>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
      {teams.length > 0 && (
        <section className="panel teams" aria-label="Teams">
          <h2>
            Teams <span className="count">{teams.length}</span>
          </h2>
          <table className="incidents">
            <thead>
              <tr>
                <th>Team</th>
                <th>On call now</th>
                <th className="hide-narrow">Rotation</th>
                <th>Members</th>
                <th className="hide-narrow">Notified by</th>
              </tr>
            </thead>
            <tbody>
              {teams.map((t) => (
                <tr key={t.name} data-team={t.name}>
                  <td>
                    <strong>{t.name}</strong>
                    {t.title !== t.name && <span className="muted"> {t.title}</span>}
                  </td>
                  <td>{t.onCallNow ?? <span className="warn-text">nobody</span>}</td>
                  <td className="hide-narrow small">
                    {t.onCall ? `${t.onCall.rotation}: ${t.onCall.order.join(' → ')}` : <span className="muted">no rotation</span>}
                  </td>
                  <td className="small">{t.members.map((m) => m.name).join(', ') || <span className="muted">—</span>}</td>
                  <td className="hide-narrow small">
                    {t.notify.map((n) => ('target' in n ? `target ${n.target}` : n.type === 'email' ? `email ${n.address}` : `${n.type} ${n.url}`)).join(', ') || (
                      <span className="muted">—</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
