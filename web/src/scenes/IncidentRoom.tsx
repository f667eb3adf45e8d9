import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  actWith,
  api,
  OPEN_STATUSES,
  problemOf,
  type Checklist as ChecklistData,
  type Incident,
  type ProblemInfo,
  type ServiceDetail,
  type TimelineEntry,
  type TimerInfo,
} from '../api/client.js';
import { Link } from '../components/Link.js';
import { ProblemView } from '../components/ProblemView.js';
import { Checklist } from '../components/room/Checklist.js';
import { Composer } from '../components/room/Composer.js';
import { nextTimerOf, RoomHeader } from '../components/room/Header.js';
import { LeversPanel } from '../components/room/LeversPanel.js';
import { OutboundPanel } from '../components/room/Outbound.js';
import { PostmortemReview } from '../components/room/PostmortemReview.js';
import {
  ActionsPanel,
  AlertsPanel,
  CommsPanel,
  DeploysPanel,
  EvidencePanel,
  GuardrailsPanel,
  ImpactPanel,
  MitigationsPanel,
  QuestionsPanel,
  RolesPanel,
  SeverityPanel,
} from '../components/room/Panels.js';
import { StatusPanel } from '../components/room/StatusPanel.js';
import { Timeline } from '../components/room/Timeline.js';
import { useSession } from '../hooks/session.js';
import { useLive } from '../hooks/stream.js';

// The log's seqs run 1..version without gaps, so the newest events are one request away.
const TAIL = 300;

function mergeEntries(old: TimelineEntry[], more: TimelineEntry[]): TimelineEntry[] {
  if (more.length === 0) return old;
  const bySeq = new Map(old.map((e) => [e.seq, e]));
  for (const e of more) bySeq.set(e.seq, e);
  return [...bySeq.values()].sort((a, b) => a.seq - b.seq);
}

/** One incident, live: header and timers, status, levers, composer, checklist, timeline, and every panel. */
export function IncidentRoom({ id }: { id: string }) {
  const session = useSession();
  const [incident, setIncident] = useState<Incident | null>(null);
  const [checklist, setChecklist] = useState<ChecklistData | null>(null);
  const [entries, setEntries] = useState<TimelineEntry[]>([]);
  const [earlierLoading, setEarlierLoading] = useState(false);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [timers, setTimers] = useState<TimerInfo[] | null>(null);
  const lastSeq = useRef(0);
  const firstSeq = useRef(1);
  const syncing = useRef<Promise<void> | null>(null);
  const current = useRef<Incident | null>(null);
  current.current = incident;
  const again = useRef(false);

  const fetchTail = useCallback(
    async (version: number) => {
      const after = lastSeq.current > 0 ? lastSeq.current : Math.max(0, version - TAIL);
      if (lastSeq.current === 0) firstSeq.current = after + 1;
      for (let cursor: string | null = String(after); cursor !== null; ) {
        const page = await api.getTimeline(id, { cursor, limit: 500 });
        const last = page.events.at(-1);
        if (last) lastSeq.current = Math.max(lastSeq.current, last.seq);
        setEntries((old) => mergeEntries(old, page.events));
        cursor = page.nextCursor;
      }
    },
    [id],
  );

  /** Brings everything up to date; calls made while one runs coalesce into one more run. */
  const sync = useCallback(
    (known?: Incident): Promise<void> => {
      if (syncing.current) {
        again.current = true;
        return syncing.current;
      }
      const run = async () => {
        try {
          const fresh = known ?? (await api.getIncident(id));
          // A resync that finds nothing new (the usual case right after the stream connects) stops here.
          if (!known && fresh.version === current.current?.version && lastSeq.current >= fresh.version) return;
          setIncident(fresh);
          await Promise.all([api.getPlaybook(id).then(setChecklist), fetchTail(fresh.version)]);
          setProblem(null);
        } catch (err) {
          setProblem(problemOf(err));
        }
      };
      syncing.current = (async () => {
        await run();
        while (again.current) {
          again.current = false;
          known = undefined;
          await run();
        }
        syncing.current = null;
      })();
      return syncing.current;
    },
    [id, fetchTail],
  );

  useEffect(() => {
    void sync();
  }, [sync]);

  // The levers of the affected services, from the catalog; refetched when the services or the catalog change.
  const [services, setServices] = useState<ServiceDetail[] | null>(null);
  const [missing, setMissing] = useState<string[]>([]);
  const [catalogRev, setCatalogRev] = useState(0);
  const serviceKey = incident?.services.join('\n') ?? null;
  useEffect(() => {
    if (serviceKey === null) return;
    let live = true;
    const names = serviceKey ? serviceKey.split('\n') : [];
    void Promise.all(names.map((n) => api.getService(n).then((d) => d, () => n))).then((found) => {
      if (!live) return;
      setServices(found.filter((f): f is ServiceDetail => typeof f !== 'string'));
      setMissing(found.filter((f): f is string => typeof f === 'string'));
    });
    return () => {
      live = false;
    };
  }, [serviceKey, catalogRev]);

  useLive((e) => {
    if (e.kind === 'catalog') setCatalogRev((n) => n + 1);
    if (e.kind === 'resync') void sync();
    else if (e.kind === 'incident' && e.id === current.current?.id && e.version > current.current.version) void sync();
  });

  const act = useMemo(() => actWith(sync), [sync]);

  const handleEarlier = async () => {
    if (firstSeq.current <= 1) return;
    setEarlierLoading(true);
    try {
      const from = Math.max(0, firstSeq.current - 1 - 500);
      const page = await api.getTimeline(id, { cursor: String(from), limit: Math.min(500, firstSeq.current - 1) });
      firstSeq.current = from + 1;
      setEntries((old) => mergeEntries(old, page.events));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setEarlierLoading(false);
    }
  };

  if (!incident) {
    return (
      <main className="page">
        {problem ? <ProblemView problem={problem} /> : <p className="muted">Loading {id}…</p>}
        <Link to="/">Back to incidents</Link>
      </main>
    );
  }

  const props = { incident, canAct: session.canAct, act };
  // A closed or cancelled incident is over: no lever to pull, no mitigation to record, no update to post.
  const over = incident.status === 'closed' || incident.status === 'cancelled';
  const contain = (
    <>
      <LeversPanel {...props} canAct={props.canAct && !over} services={services} missing={missing} />
      <MitigationsPanel {...props} canAct={props.canAct && !over} />
    </>
  );
  // Contain first: while the incident is being worked the levers come right after the next step.
  const containLeads = OPEN_STATUSES.some((s) => s === incident.status);
  return (
    <main className="page room" data-version={incident.version}>
      <RoomHeader incident={incident} canAct={session.canAct} act={act} nextTimer={nextTimerOf(incident, timers)} />
      <ProblemView problem={problem} />
      <nav className="room-links">
        <Link to={`/incidents/${incident.id}/postmortem`}>Postmortem{incident.postmortem ? '' : ' (not started)'}</Link>
        <Link to={`/incidents/${incident.id}/postmortem/print`}>Printable postmortem</Link>
        <a href={`/api/v1/incidents/${incident.id}/timeline?format=md`} target="_blank" rel="noopener">
          Timeline (Markdown)
        </a>
        <a href={`/api/v1/incidents/${incident.id}/timeline?format=csv`}>Timeline (CSV)</a>
        <a href={`/api/v1/incidents/${incident.id}/playbook?format=md`} target="_blank" rel="noopener">
          Checklist (Markdown)
        </a>
        {!session.canAct && <span className="muted">Read-only: your role is {session.role}.</span>}
      </nav>
      {/*
        In reading order, which is the phone's single column: the next step, the levers, the composer, the
        checklist and timeline, then the other panels. On a wide screen the levers and the other panels
        form the side column (styles.css places the four groups).
      */}
      <div className={`room-layout${containLeads ? ' contain-leads' : ''}`}>
        <div className="room-next">
          <StatusPanel incident={incident} canAct={session.canAct} me={session.username} act={act} />
        </div>
        {containLeads && <div className="room-contain">{contain}</div>}
        <div className="room-work">
          {session.canAct && !over && <Composer incident={incident} act={act} />}
          <Checklist checklist={checklist} />
          <Timeline entries={entries} hasEarlier={firstSeq.current > 1} onEarlier={handleEarlier} loading={earlierLoading} />
        </div>
        <aside className="room-side">
          <SeverityPanel {...props} />
          <ImpactPanel {...props} />
          {incident.postmortem && <PostmortemReview {...props} me={session.username} editorLink />}
          {!containLeads && contain}
          <RolesPanel {...props} />
          <CommsPanel {...props} />
          <OutboundPanel incident={incident} onTimers={setTimers} />
          <DeploysPanel incident={incident} />
          <EvidencePanel {...props} />
          <QuestionsPanel {...props} />
          <GuardrailsPanel {...props} />
          <ActionsPanel {...props} />
          <AlertsPanel incident={incident} />
        </aside>
      </div>
    </main>
  );
}
