import { useCallback, useEffect, useState } from 'react';
import { api, problemOf, type ProblemInfo, type ScheduleDetail, type Shift } from '../api/client.js';
import { ProblemView } from '../components/ProblemView.js';
import { duration, utc } from '../components/time.js';
import { useLiveReload } from '../hooks/stream.js';

/** How far ahead the page lists shifts; the gaps cover the server's 14 days. */
const AHEAD_DAYS = 7;

interface Row {
  schedule: ScheduleDetail;
  shifts: Shift[];
}

const sourceOf = (s: Shift) => (s.source.kind === 'layer' ? `layer ${s.source.layer}` : `override ${s.source.id}`);

function ShiftLine({ shift }: { shift: Shift }) {
  return (
    <>
      <strong>{shift.person}</strong> until {utc(shift.endAt)} <span className="muted">({sourceOf(shift)})</span>
    </>
  );
}

/** Who is on call for every catalog schedule, their next week of shifts, and the coverage gaps of the next two weeks. */
export function OnCall() {
  const [rows, setRows] = useState<Row[] | null>(null);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);

  const load = useCallback(async () => {
    try {
      const { at, items } = await api.listSchedules();
      const to = new Date(Date.parse(at) + AHEAD_DAYS * 86_400_000).toISOString();
      const loaded = await Promise.all(
        items.map(async (s) => {
          const [schedule, shifts] = await Promise.all([api.getSchedule(s.name), api.getShifts(s.name, { from: at, to })]);
          return { schedule, shifts: shifts.items };
        }),
      );
      setRows(loaded);
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    }
  }, []);

  useEffect(() => {
    void load();
  }, [load]);
  useLiveReload(['catalog', 'resync'], () => void load());

  const uncovered = (rows ?? []).filter((r) => r.schedule.gaps.length > 0).length;
  return (
    <main className="page">
      <div className="page-head">
        <h1>On call</h1>
        <span className="muted">
          {rows === null
            ? 'loading…'
            : `${rows.length} schedule${rows.length === 1 ? '' : 's'}${uncovered > 0 ? ` · ${uncovered} with gaps in the next 14 days` : ''}`}
        </span>
      </div>
      <ProblemView problem={problem} />
      {rows?.length === 0 && (
        <p className="empty">
          No schedules in the catalog. Add a <code>kind: Schedule</code> document to it (see docs/PAGING.md).
        </p>
      )}
      {rows?.map(({ schedule, shifts }) => (
        <section key={schedule.name} className="panel schedule-panel" aria-label={`Schedule ${schedule.name}`} data-schedule={schedule.name}>
          <h2>
            {schedule.name} <span className="muted small">{schedule.timeZone}</span>
          </h2>
          <p className="oncall-now">
            On call now:{' '}
            {schedule.oncallNow ? <ShiftLine shift={schedule.oncallNow} /> : <span className="warn-text">nobody</span>}
          </p>
          {schedule.gaps.length > 0 ? (
            <ul className="warnings small" aria-label={`Gaps in ${schedule.name}`}>
              {schedule.gaps.map((g) => (
                <li key={g.startAt} className="warn-text">
                  nobody on call {utc(g.startAt)} – {utc(g.endAt)} ({duration(Date.parse(g.endAt) - Date.parse(g.startAt))})
                </li>
              ))}
            </ul>
          ) : (
            <p className="small muted">No gaps in the next 14 days.</p>
          )}
          <h3 className="small">Next {AHEAD_DAYS} days</h3>
          {shifts.length === 0 ? (
            <p className="small muted">No shifts.</p>
          ) : (
            <table className="incidents" aria-label={`Shifts of ${schedule.name}`}>
              <thead>
                <tr>
                  <th>On call</th>
                  <th>From</th>
                  <th>Until</th>
                  <th className="hide-narrow">Why</th>
                </tr>
              </thead>
              <tbody>
                {shifts.map((s) => (
                  <tr key={`${s.startAt} ${s.person}`}>
                    <td>{s.person}</td>
                    <td className="small">{utc(s.startAt)}</td>
                    <td className="small">{utc(s.endAt)}</td>
                    <td className="hide-narrow small muted">{sourceOf(s)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      ))}
    </main>
  );
}
