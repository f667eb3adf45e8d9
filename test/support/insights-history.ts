// A deterministic incident history for insights: seeded, so a test knows every answer and the benchmark
// loads the same shape at any size. Each incident comes with the facts it was built from (`truth`), so a
// test can compute the expected figures without the code under test.
import type { Deploy } from '../../src/domain/deploys/types.js';
import type { IncidentEvent } from '../../src/domain/incident/events.js';
import { replay, type Incident } from '../../src/domain/incident/state.js';
import type { Severity, Status } from '../../src/domain/incident/types.js';
import type { TimerKind } from '../../src/domain/timers/plan.js';
import type { DeployRecord, Store } from '../../src/service/ports.js';
import { timerId } from '../../src/store/shared/timers-store.js';

const MIN = 60_000;
export const HISTORY_SERVICES = ['checkout', 'search', 'orders', 'payments'] as const;
const PEOPLE = ['ana', 'bo', 'li', 'kim', 'jo', 'sam', 'max', 'eve'] as const;
const SEVERITY_CHOICES: (Severity | null)[] = ['SEV1', 'SEV2', 'SEV2', 'SEV3', 'SEV3', 'SEV3', 'SEV4', null];

/** mulberry32: a small seeded generator, uniform in [0, 1). */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What an incident was built from, in whole minutes: the answers a test expects. */
export interface IncidentTruth {
  number: number;
  declaredAt: string;
  severity: Severity | null;
  service: string;
  status: Status;
  auto: boolean;
  ttd: number;
  tta: number | null;
  ttm: number | null;
  ttr: number | null;
  changeFailure: boolean;
  commander: string | null;
  /** Commander, responder and comms lead, each once. */
  people: string[];
  postmortemDueAt: string | null;
  /** Published, or closed, whichever first; null while neither. */
  postmortemDoneAt: string | null;
  publishedAt: string | null;
  actions: { dueAt: string; doneAt: string | null }[];
  overrides: number;
}

export interface GeneratedIncident {
  number: number;
  events: IncidentEvent[];
  truth: IncidentTruth;
}

export interface History {
  incidents: GeneratedIncident[];
  deploys: DeployRecord[];
  /** Timers to record as fired, one per incident at most. */
  firedTimers: { incident: number; kind: TimerKind; key: string; firedAt: string }[];
}

export interface HistoryOptions {
  seed: number;
  incidents: number;
  /** First declaration (ms); incidents spread evenly over `days` from there. */
  start: number;
  days: number;
  /** Pad each incident with notes up to about this many events (the benchmark's 20). */
  eventsPerIncident?: number;
  /** Number of the first incident. */
  firstNumber?: number;
}

const iso = (ms: number) => new Date(ms).toISOString();

function deployOf(service: string, at: number, id: string): Deploy {
  return {
    externalId: id, source: 'firebreak', service, environment: 'production', version: id, commitSha: null,
    status: 'succeeded', startedAt: iso(at), finishedAt: iso(at + 5 * MIN), actor: null, url: null,
    previousVersion: null, configDeltas: [],
  };
}

/** The history: events per incident in time order, deploys over the same span, and fired timers. */
export function generateHistory(o: HistoryOptions): History {
  const rand = seeded(o.seed);
  const int = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const chance = (p: number) => rand() < p;
  const spacing = (o.days * 1440 * MIN) / Math.max(1, o.incidents);
  const incidents: GeneratedIncident[] = [];
  const firedTimers: History['firedTimers'] = [];
  const first = o.firstNumber ?? 1;

  for (let k = 0; k < o.incidents; k++) {
    const number = first + k;
    const declared = o.start + Math.floor((k * spacing) / MIN) * MIN;
    const severity = pick(SEVERITY_CHOICES);
    const service = pick(HISTORY_SERVICES);
    const auto = chance(0.2);
    const detected = declared - int(0, 10) * MIN;
    const ttd = int(1, 60);
    const started = detected - ttd * MIN;
    const events: IncidentEvent[] = [];
    const ev = (at: number, actor: string, e: Omit<IncidentEvent, 'at' | 'actor'>) =>
      events.push({ ...e, at: iso(at), actor } as IncidentEvent);
    ev(declared, auto ? 'integration:am' : 'ana', {
      type: 'IncidentDeclared',
      data: { number, title: `Incident ${number}`, services: [service], startedAt: iso(started), detectedAt: iso(detected), auto },
    });
    if (severity) ev(declared, 'ana', { type: 'SeverityChanged', data: { from: null, to: severity, reason: 'generated' } });

    let tta: number | null = null;
    let commander: string | null = null;
    const people = new Set<string>();
    if (chance(0.9)) {
      tta = int(0, 30);
      commander = pick(PEOPLE);
      people.add(commander);
      ev(declared + tta * MIN, 'ana', { type: 'RoleAssigned', data: { role: 'commander', person: commander } });
    }
    const t0 = declared + 31 * MIN;
    if (chance(0.7)) {
      const responder = chance(0.1) && commander ? commander : pick(PEOPLE);
      people.add(responder);
      ev(t0, 'ana', { type: 'RoleAssigned', data: { role: 'responder', person: responder } });
    }
    if (chance(0.5)) {
      const comms = pick(PEOPLE);
      people.add(comms);
      ev(t0, 'ana', { type: 'RoleAssigned', data: { role: 'comms', person: comms } });
    }
    const relation = chance(0.25) ? 'affected' : chance(0.15) ? 'dependency' : null;
    if (relation) {
      const d = deployOf(service, started - 30 * MIN, `d${number}`);
      ev(t0, 'ana', {
        type: 'ReleaseBoundaryChanged',
        data: { boundary: d, suspects: [{ deploy: d, minutesBeforeImpact: 30, relation, via: [], configDeltas: [] }] },
      });
    }

    const actions: IncidentTruth['actions'] = [];
    const addActions = (at: number) => {
      for (let a = 1, n = int(0, 3); a <= n; a++) {
        const id = `INC-${number}-A${a}`;
        const dueAt = at + int(1, 20) * 1440 * MIN;
        ev(at, 'ana', { type: 'ActionItemAdded', data: { id, title: `Follow-up ${a}`, owner: pick(PEOPLE), dueAt: iso(dueAt), priority: 'P2' } });
        let doneAt: number | null = null;
        if (chance(0.5)) {
          doneAt = at + int(1, 25) * 1440 * MIN;
          ev(doneAt, 'ana', { type: 'ActionItemStatusChanged', data: { id, from: 'open', to: 'done' } });
        }
        actions.push({ dueAt: iso(dueAt), doneAt: doneAt === null ? null : iso(doneAt) });
      }
    };

    let status: Status = 'investigating';
    let ttm: number | null = null;
    let ttr: number | null = null;
    let dueAt: number | null = null;
    let doneAt: number | null = null;
    let publishedAt: number | null = null;
    let overrides = 0;
    if (chance(0.08)) {
      status = 'cancelled';
      ev(t0 + MIN, 'ana', { type: 'StatusChanged', data: { from: 'investigating', to: 'cancelled', reason: 'false alarm' } });
    } else {
      let at = t0 + MIN;
      if (chance(0.8)) {
        at = Math.max(at, started + int(20, 180) * MIN);
        ttm = (at - started) / MIN;
        status = 'mitigated';
        ev(at, 'ana', { type: 'StatusChanged', data: { from: 'investigating', to: 'mitigated' } });
      }
      if (chance(0.75)) {
        at += int(5, 600) * MIN;
        ttr = (at - started) / MIN;
        if (chance(0.1)) {
          overrides++;
          ev(at, 'ana', { type: 'GateOverridden', data: { to: 'resolved', reason: 'generated override', unmet: [] } });
        }
        ev(at, 'ana', { type: 'StatusChanged', data: { from: status, to: 'resolved', noGuardrails: true } });
        status = 'resolved';
        dueAt = at + 48 * 60 * MIN;
        addActions(at + MIN);
        const author = commander ?? 'ana';
        ev(at + 2 * MIN, author, {
          type: 'PostmortemDrafted',
          data: { author, summary: 's', impact: 'i', whys: [], rootCause: '', contributingFactors: [], wentWell: [], wentPoorly: [], lessons: [] },
        });
        if (chance(0.65)) {
          const reviewer = author === 'eve' ? 'max' : 'eve';
          const published = at + int(60, 4_000) * MIN;
          ev(published - MIN, author, { type: 'PostmortemAssigned', data: { reviewers: [reviewer] } });
          ev(published - MIN, author, { type: 'PostmortemStateChanged', data: { from: 'draft', to: 'in_review' } });
          ev(published, reviewer, { type: 'PostmortemStateChanged', data: { from: 'in_review', to: 'published' } });
          publishedAt = published;
          doneAt = published;
          if (chance(0.7)) {
            ev(published + 10 * MIN, 'ana', { type: 'StatusChanged', data: { from: 'resolved', to: 'closed' } });
            status = 'closed';
          }
        } else if (chance(0.15)) {
          const closed = at + int(60, 4_000) * MIN;
          overrides++;
          ev(closed, 'ana', { type: 'GateOverridden', data: { to: 'closed', reason: 'postmortem waived', unmet: [] } });
          ev(closed, 'ana', { type: 'StatusChanged', data: { from: 'resolved', to: 'closed' } });
          status = 'closed';
          doneAt = closed;
        }
      } else {
        addActions(at + MIN);
      }
    }
    for (let n = events.length; n < (o.eventsPerIncident ?? 0); n++) {
      ev(declared + 40 * MIN, 'ana', { type: 'NoteAdded', data: { body: `note ${n}: error rate at 31%` } });
    }
    if (chance(0.3)) {
      firedTimers.push({ incident: number, kind: pick(['ack', 'update_cadence', 'contain_first'] as const), key: 'gen', firedAt: iso(declared + 30 * MIN) });
    }
    events.sort((a, b) => Date.parse(a.at) - Date.parse(b.at));
    incidents.push({
      number,
      events,
      truth: {
        number, declaredAt: iso(declared), severity, service, status, auto, ttd,
        tta, ttm, ttr, changeFailure: relation === 'affected', commander, people: [...people],
        postmortemDueAt: dueAt === null ? null : iso(dueAt),
        postmortemDoneAt: doneAt === null ? null : iso(doneAt),
        publishedAt: publishedAt === null ? null : iso(publishedAt),
        actions, overrides,
      },
    });
  }

  const deploys: DeployRecord[] = [];
  for (let k = 0, n = Math.round(o.incidents * 1.5); k < n; k++) {
    const at = o.start + int(0, o.days * 1440) * MIN;
    const d = deployOf(pick(HISTORY_SERVICES), at, `gen-${k}`);
    deploys.push({ ...d, status: chance(0.85) ? 'succeeded' : 'failed', id: `dep-${k}`, receivedAt: d.startedAt, updatedAt: d.startedAt });
  }
  return { incidents, deploys, firedTimers };
}

/** Appends the history straight through the store, `batch` incidents a transaction; fires its timers. */
export async function loadHistory(store: Store, h: History, opts: { batch?: number; parallel?: number } = {}): Promise<Incident[]> {
  const batch = opts.batch ?? 200;
  const states = new Array<Incident>(h.incidents.length);
  const chunks: number[] = [];
  for (let i = 0; i < h.incidents.length; i += batch) chunks.push(i);
  const fired = new Map(h.firedTimers.map((t) => [t.incident, t]));
  let next = 0;
  const worker = async () => {
    for (let c = next++; c < chunks.length; c = next++) {
      const from = chunks[c]!;
      await store.transaction(async (tx) => {
        for (let i = from; i < Math.min(from + batch, h.incidents.length); i++) {
          const g = h.incidents[i]!;
          const s = replay(g.number, g.events);
          states[i] = s;
          await tx.append(g.number, g.events, 0, s);
          const t = fired.get(g.number);
          if (t) {
            await tx.saveTimers(g.number, s.version, [{ key: t.key, kind: t.kind, dueAt: t.firedAt }], t.firedAt);
            await tx.finishTimer(timerId(g.number, t.key, s.version), 'fired', t.firedAt);
          }
        }
      });
    }
  };
  await Promise.all(Array.from({ length: opts.parallel ?? 1 }, worker));
  for (let i = 0; i < h.deploys.length; i += 500) {
    await store.transaction(async (tx) => {
      for (const d of h.deploys.slice(i, i + 500)) await tx.saveDeploy(d);
    });
  }
  return states;
}
