import { useCallback, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, problemOf, SEVERITIES, type Insights as Data, type ProblemInfo } from '../api/client.js';
import { SeverityBadge } from '../components/Badges.js';
import { UChart, type ChartSeries } from '../components/charts/UChart.js';
import { Link } from '../components/Link.js';
import { ProblemView } from '../components/ProblemView.js';
import { duration, utc } from '../components/time.js';
import { replaceQuery } from '../hooks/router.js';
import { useLiveReload } from '../hooks/stream.js';

const WINDOWS = [7, 30, 90, 365] as const;

type DurationStat = Data['mtta'];

/** Minutes as `2 h 5 m`; `—` when there is nothing to measure. */
const minutes = (m: number | null | undefined) => (m === null || m === undefined ? '—' : m < 1 ? '< 1 m' : duration(m * 60_000));
const pct = (r: number | null | undefined) => (r === null || r === undefined ? '—' : `${Math.round(r * 1000) / 10} %`);

/** A week label from the server (`2026-11-23`, an ISO timestamp, or `2026-W48`) as seconds since the epoch. */
function weekSeconds(week: string, i: number): number {
  const iso = /^(\d{4})-W(\d{1,2})$/.exec(week);
  if (iso) {
    const year = Number(iso[1]);
    const jan4 = Date.UTC(year, 0, 4);
    const monday = jan4 - ((new Date(jan4).getUTCDay() + 6) % 7) * 86_400_000;
    return (monday + (Number(iso[2]) - 1) * 7 * 86_400_000) / 1000;
  }
  const t = Date.parse(week);
  return Number.isNaN(t) ? i * 7 * 86_400 : t / 1000;
}

/** One headline number: its label, the number, and a line that says what it counts. */
function Stat({ label, value, note, hint }: { label: string; value: ReactNode; note: ReactNode; hint?: string }) {
  return (
    <div className="stat" data-stat={label}>
      <div className="k">{label}</div>
      <div className="big">{value}</div>
      <div className="small muted" title={hint}>
        {note}
      </div>
    </div>
  );
}

function MedianStat({ label, stat, hint }: { label: string; stat: DurationStat | null; hint: string }) {
  const note = `median · p90 ${minutes(stat?.p90)} · mean ${minutes(stat?.mean)} · ${stat?.samples ?? 0} incidents`;
  return <Stat label={label} value={minutes(stat?.median)} note={note} hint={hint} />;
}

/** A horizontal bar drawn as SVG (attributes, not inline styles), always next to its number. */
function Bar({ value, max, className }: { value: number; max: number; className?: string }) {
  const w = max > 0 ? Math.max(value > 0 ? 1 : 0, Math.round((value / max) * 100)) : 0;
  return (
    <svg className="hbar" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
      <rect x="0" y="0" width="100" height="10" className="hbar-bg" />
      <rect x="0" y="0" width={w} height="10" className={className ?? 'hbar-fg'} />
    </svg>
  );
}

/** Incident response metrics over a window: MTTD/MTTA/MTTR, trend, severities, responders, postmortems. */
export function Insights() {
  const [days, setDays] = useState<number>(() => {
    const d = Number(new URLSearchParams(window.location.search).get('days'));
    return Number.isInteger(d) && d > 0 && d <= 365 ? d : 30;
  });
  const [data, setData] = useState<Data | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);

  const load = useCallback(async () => {
    try {
      setData(await api.getInsights({ days }));
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, [days]);

  useEffect(() => {
    replaceQuery('/insights', { days: days === 30 ? undefined : String(days) });
    void load();
  }, [days, load]);
  // Changes arrive in bursts during an incident; one recount a few seconds after the last is enough.
  useLiveReload(['resync', 'incident', 'deploys'], () => void load(), (e) => (e.kind === 'resync' ? 0 : 3_000));

  const trend = useMemo(() => {
    if (!data || data.trend.length === 0) return null;
    const x = data.trend.map((t, i) => weekSeconds(t.week, i));
    const times: ChartSeries[] = [
      { label: 'MTTA', color: '#5aa2ff', values: data.trend.map((t) => t.mttaMinutes), unit: 'min' },
      { label: 'MTTR', color: '#f2b84b', values: data.trend.map((t) => t.mttrMinutes), unit: 'min' },
    ];
    const counts: ChartSeries[] = [{ label: 'incidents', color: '#e5484d', values: data.trend.map((t) => t.incidents), bars: true }];
    return { x, times, counts };
  }, [data]);
  const severityMax = data ? Math.max(1, ...Object.values(data.incidents.bySeverity)) : 1;

  return (
    <main className="page insights">
      <div className="page-head">
        <h1>Insights</h1>
        <span className="muted">{data ? `${utc(data.window.from)} → ${utc(data.window.to)}` : 'loading…'}</span>
        <span className="spacer" />
        <label className="inline">
          <span className="small muted">Window </span>
          <select name="days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[...new Set([...WINDOWS, days])].map((d) => (
              <option key={d} value={d}>
                last {d} days
              </option>
            ))}
          </select>
        </label>
      </div>
      <ProblemView problem={problem} />
      {data && (
        <>
          {data.warnings.length > 0 && (
            <ul className="warnings insight-warnings" aria-label="Warnings">
              {data.warnings.map((w) => (
                <li key={w.code + w.message} data-code={w.code}>
                  {w.message}
                </li>
              ))}
            </ul>
          )}
          <div className="stats">
            <Stat label="Incidents" value={data.incidents.total} note={`${data.incidents.autoDeclared} declared from alerts`} />
            <MedianStat label="MTTD" stat={data.mttd} hint="impact start → declared" />
            <MedianStat label="MTTA" stat={data.mtta} hint="declared → commander assigned" />
            <MedianStat label="Time to mitigate" stat={data.timeToMitigate} hint="impact start → mitigated" />
            <MedianStat label="MTTR" stat={data.mttr} hint="impact start → resolved" />
            <Stat
              label="Change failure rate"
              value={pct(data.changeFailureRate.rate)}
              note={`${data.changeFailureRate.failures} of ${data.changeFailureRate.deploys} deploys led to an incident`}
            />
            <Stat
              label="Postmortems on time"
              value={pct(data.postmortems.punctuality)}
              note={`${data.postmortems.onTime} of ${data.postmortems.due} due`}
            />
            <Stat
              label="Action items"
              value={
                <>
                  {data.actionItems.open} open
                  {data.actionItems.overdue > 0 && <span className="bad-text"> · {data.actionItems.overdue} overdue</span>}
                </>
              }
              note={`${data.actionItems.done} done`}
            />
          </div>

          <div className="chart-grid">
            <section className="panel" aria-label="MTTA and MTTR by week">
              <h2>MTTA and MTTR by week (median, minutes)</h2>
              {trend ? <UChart title="MTTA and MTTR by week" x={trend.x} series={trend.times} /> : <p className="muted">No weeks in the window.</p>}
            </section>
            <section className="panel" aria-label="Incidents by week">
              <h2>Incidents by week</h2>
              {trend ? <UChart title="Incidents by week" x={trend.x} series={trend.counts} /> : <p className="muted">No weeks in the window.</p>}
            </section>
          </div>

          <div className="chart-grid">
            <section className="panel" aria-label="Incidents by severity">
              <h2>Incidents by severity</h2>
              <table className="bars">
                <tbody>
                  {[...SEVERITIES, 'unset' as const].map((s) => {
                    const n = data.incidents.bySeverity[s] ?? 0;
                    if (s === 'unset' && n === 0) return null;
                    return (
                      <tr key={s} data-severity={s}>
                        <th scope="row">
                          <SeverityBadge severity={s === 'unset' ? null : s} />
                        </th>
                        <td className="bar-cell">
                          <Bar value={n} max={severityMax} className={`hbar-fg sevbar-${s.toLowerCase()}`} />
                        </td>
                        <td className="num">{n}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
              <p className="small muted">
                By status:{' '}
                {Object.entries(data.incidents.byStatus)
                  .filter(([, n]) => n > 0)
                  .map(([k, n]) => `${k} ${n}`)
                  .join(' · ') || 'none'}
              </p>
            </section>
            <section className="panel" aria-label="Postmortems">
              <h2>Postmortem punctuality</h2>
              <table className="bars">
                <tbody>
                  {(
                    [
                      ['on time', data.postmortems.onTime, 'hbar-ok'],
                      ['late', data.postmortems.late, 'hbar-warn'],
                      ['overdue', data.postmortems.overdue, 'hbar-bad'],
                      ['pending (not due yet)', data.postmortems.pending, 'hbar-fg'],
                    ] as const
                  ).map(([label, n, cls]) => (
                    <tr key={label}>
                      <th scope="row">{label}</th>
                      <td className="bar-cell">
                        <Bar value={n} max={Math.max(1, data.postmortems.due + data.postmortems.pending)} className={cls} />
                      </td>
                      <td className="num">{n}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <p className="small muted">
                Action items: {data.actionItems.open} open, <span className={data.actionItems.overdue > 0 ? 'bad-text' : ''}>{data.actionItems.overdue} overdue</span>,{' '}
                {data.actionItems.done} done.
              </p>
            </section>
          </div>

          <section className="panel" aria-label="Responder concentration">
            <h2>Responder concentration</h2>
            {data.responders.length === 0 ? (
              <p className="muted">Nobody held a role in the window.</p>
            ) : (
              <table className="incidents bars responders">
                <thead>
                  <tr>
                    <th>Person</th>
                    <th className="num">Incidents</th>
                    <th className="num">As commander</th>
                    <th>Share of incidents</th>
                  </tr>
                </thead>
                <tbody>
                  {data.responders.map((r) => (
                    <tr key={r.person} data-person={r.person}>
                      <td>{r.person}</td>
                      <td className="num">{r.incidents}</td>
                      <td className="num">{r.commander}</td>
                      <td className="bar-cell">
                        <span className="bar-with-num">
                          <Bar value={r.share} max={1} className={r.share > 0.5 ? 'hbar-warn' : 'hbar-fg'} />
                          <span className="num">{pct(r.share)}</span>
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>

          {data.overrides.count > 0 && (
            <section className="panel" aria-label="Gate overrides">
              <h2>
                Gate overrides <span className="count">{data.overrides.count}</span>
              </h2>
              <ul className="items">
                {data.overrides.items.map((o, i) => (
                  <li key={i} className="small">
                    <OverrideLine item={o} />
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </main>
  );
}

/** An override as the server lists it; the shape is read defensively and shown as text. */
function OverrideLine({ item }: { item: unknown }) {
  const o = (item && typeof item === 'object' ? item : {}) as Record<string, unknown>;
  const text = (k: string) => (typeof o[k] === 'string' || typeof o[k] === 'number' ? String(o[k]) : null);
  const id = text('incident') ?? text('id');
  return (
    <>
      {id && /^INC-\d+$/.test(id) ? <Link to={`/incidents/${id}`}>{id}</Link> : id}{' '}
      {text('to') && <span className="tag">{text('to')}</span>} {text('reason') ?? ''}{' '}
      <span className="muted">
        {text('actor') ?? text('by') ?? ''} {text('at') ? utc(text('at')) : ''}
      </span>
    </>
  );
}
