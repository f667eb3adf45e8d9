/**
 * The demo's data, computed from a seed and a clock and nothing else: the catalog, users, 60 days of
 * deploys, ~40 past incidents as `POST /api/v1/incidents/import` bodies, and the two incidents in progress
 * now with their alerts. Everything is placed relative to `now`, and never after it.
 */
import { catalogDocuments, DAY_MS, DASHBOARDS_URL, HOUR_MS, MINUTE_MS, onCallAt, SERVICES, serviceNamed, teamNamed, TEAMS, TRACKER_URL, USERS, CI_URL, type DemoService, type Symptom } from './company.js';
import { alertmanagerBody, type AlertmanagerBody } from './alertmanager.js';
import { createRng, type Rng } from './prng.js';
import { BLAMEFUL, storyFor, type CauseKind, type Story } from './stories.js';

export type Severity = 'SEV1' | 'SEV2' | 'SEV3' | 'SEV4';

/** One command of an imported history, as `POST /api/v1/incidents/import` takes it. */
export interface ImportStep {
  at: string;
  actor: string;
  method: 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  path: string;
  body?: unknown;
}

export interface ImportBody {
  declare: { at: string; actor: string; body: Record<string, unknown> };
  steps: ImportStep[];
}

/** A deploy as `POST /api/v1/deploys` takes it (Firebreak JSON). */
export interface DeployBody {
  externalId: string;
  service: string;
  environment: 'production';
  version: string;
  previousVersion?: string;
  commitSha: string;
  status: 'succeeded' | 'failed' | 'rolled_back';
  startedAt: string;
  finishedAt: string;
  actor: string;
  url: string;
  configDeltas?: { key: string; from: string; to: string }[];
}

/** What the demo says about one past incident, for tests and the summary. */
export interface PastIncident {
  severity: Severity;
  service: string;
  outcome: 'closed' | 'resolved' | 'cancelled';
  reopened: boolean;
  override: boolean;
  postmortem: 'on-time' | 'late' | 'overdue-draft' | 'overdue-review' | 'blameful' | 'waived' | 'recent' | 'none';
  suspect: string | null;
  body: ImportBody;
}

/** A command run live, as a person signed in, on an incident in progress (its id known only then). */
export interface LiveStep {
  actor: string;
  method: 'POST' | 'PUT';
  path: string;
  body: Record<string, unknown>;
}

export interface OpenIncident {
  service: string;
  /** An imported start (declared by hand some minutes ago), or none: the alert declares it. */
  history: ImportBody | null;
  alerts: AlertmanagerBody[];
  /** The dedup key of the alert that should be linked to it (am:<fingerprint>). */
  dedupKey: string;
  live: LiveStep[];
}

export interface DemoPlan {
  now: string;
  seed: number;
  catalog: Record<string, unknown>[];
  users: { username: string; role: 'responder' | 'viewer' }[];
  deploys: DeployBody[];
  past: PastIncident[];
  open: OpenIncident[];
}

const SEVERITY_MIX: readonly Severity[] = [
  ...Array<Severity>(4).fill('SEV1'),
  ...Array<Severity>(10).fill('SEV2'),
  ...Array<Severity>(16).fill('SEV3'),
  ...Array<Severity>(10).fill('SEV4'),
];

const iso = (ms: number) => new Date(ms).toISOString();
const minutes = (n: number) => n * MINUTE_MS;
const hours = (n: number) => n * HOUR_MS;
const days = (n: number) => n * DAY_MS;

/** Steps of one history, collected in any order and read back sorted by time, up to a limit. */
class History {
  private readonly list: { at: number; n: number; step: Omit<ImportStep, 'at'> }[] = [];
  add(at: number, actor: string, method: ImportStep['method'], path: string, body?: unknown): void {
    this.list.push({ at, n: this.list.length, step: { actor, method, path, ...(body !== undefined && { body }) } });
  }
  /** Sorted by time (ties in the order added), only those at or before `limit`. */
  steps(limit: number): ImportStep[] {
    return [...this.list]
      .sort((a, b) => a.at - b.at || a.n - b.n)
      .filter((s) => s.at <= limit)
      .map((s) => ({ at: iso(s.at), ...s.step }));
  }
}

function generateDeploys(rng: Rng, now: number, tag: string): DeployBody[] {
  const out: DeployBody[] = [];
  const dayStart = (t: number) => Math.floor(t / DAY_MS) * DAY_MS;
  for (const s of SERVICES) {
    const team = teamNamed(s.team);
    let minor = rng.int(12, 40);
    let live: string | undefined = `v1.${minor}.0`;
    const rate = s.tier === 1 ? 0.6 : s.tier === 2 ? 0.5 : 0.35;
    let n = 0;
    for (let d = 60; d >= 0; d--) {
      const day = dayStart(now - days(d));
      const weekday = new Date(day).getUTCDay();
      const weekend = weekday === 0 || weekday === 6;
      if (!rng.chance(weekend ? rate / 8 : rate)) continue;
      const startedAt = day + hours(8) + minutes(rng.int(0, 9 * 60));
      const finishedAt = startedAt + minutes(rng.int(3, 14));
      if (finishedAt > now - minutes(90)) continue;
      minor += 1;
      n += 1;
      const version = `v1.${minor}.0`;
      const roll = rng.next();
      const status = roll < 0.05 ? 'failed' : roll < 0.07 ? 'rolled_back' : 'succeeded';
      const flag = rng.chance(0.3) ? rng.pick(s.flags) : undefined;
      out.push({
        externalId: `demo-${tag}-${s.name}-${n}`,
        service: s.name,
        environment: 'production',
        version,
        ...(live !== undefined && { previousVersion: live }),
        commitSha: rng.hex(7),
        status,
        startedAt: iso(startedAt),
        finishedAt: iso(finishedAt),
        actor: rng.pick(team.members),
        url: `${CI_URL}/${s.name}/runs/${1000 + n}`,
        ...(flag !== undefined && { configDeltas: [configDelta(rng, flag)] }),
      });
      if (status === 'succeeded') live = version;
    }
  }
  return out.sort((a, b) => a.startedAt.localeCompare(b.startedAt));
}

function configDelta(rng: Rng, key: string): { key: string; from: string; to: string } {
  if (/_ms$|size|pool|ttl/.test(key)) {
    const from = rng.pick([50, 100, 200, 500, 1000]);
    return { key, from: String(from), to: String(from * rng.pick([2, 4, 10])) };
  }
  if (/version|model|alias|profile|ruleset|provider|backend/.test(key)) return { key, from: `r${rng.int(10, 40)}`, to: `r${rng.int(41, 60)}` };
  return rng.chance(0.7) ? { key, from: 'false', to: 'true' } : { key, from: 'true', to: 'false' };
}

/** A tier-weighted service for a severity: SEV1 and SEV2 mostly on tier 1. */
function serviceFor(rng: Rng, severity: Severity): DemoService {
  const weight = (s: DemoService) =>
    severity === 'SEV1' ? (s.tier === 1 ? 6 : 1) : severity === 'SEV2' ? (s.tier === 1 ? 4 : s.tier === 2 ? 3 : 1) : s.tier === 1 ? 2 : 3;
  const total = SERVICES.reduce((n, s) => n + weight(s), 0);
  let r = rng.next() * total;
  for (const s of SERVICES) {
    r -= weight(s);
    if (r < 0) return s;
  }
  return SERVICES[SERVICES.length - 1] as DemoService;
}

/** Causes other than a deploy, by what users saw: errors, or slowness and backlogs. */
const OTHER_CAUSES: Record<'errors' | 'slow', readonly CauseKind[]> = {
  errors: ['dependency', 'certificate', 'data-job'],
  slow: ['capacity', 'dependency', 'data-job'],
};

interface Plan {
  severity: Severity;
  outcome: PastIncident['outcome'];
  reopened: boolean;
  override: boolean;
  pm: PastIncident['postmortem'];
}

/** The 40 past incidents' shapes: severities, and which are cancelled, re-opened, overridden, overdue, blameful. */
function shapes(rng: Rng): Plan[] {
  const sev = rng.shuffle(SEVERITY_MIX);
  return sev.map((severity) => ({ severity, outcome: 'closed', reopened: false, override: false, pm: 'on-time' }));
}

export interface GenerateOptions {
  now: Date;
  seed: number;
}

/** The whole demo for this seed and clock. Deterministic: the same inputs give the same plan. */
export function generateDemo(opts: GenerateOptions): DemoPlan {
  const now = Math.floor(opts.now.getTime() / 1000) * 1000;
  const rng = createRng(opts.seed);
  // Ids that stay apart when the demo runs twice (--force), yet the same for the same clock and seed.
  const tag = `${opts.seed}-${Math.floor(now / MINUTE_MS).toString(36)}`;
  const deploys = generateDeploys(rng, now, tag);
  const past = pastIncidents(rng, now, deploys);
  const open = openIncidents(rng, now, deploys, tag);
  return { now: iso(now), seed: opts.seed, catalog: catalogDocuments(now), users: [...USERS], deploys, past, open };
}

function pastIncidents(rng: Rng, now: number, deploys: DeployBody[]): PastIncident[] {
  const plans = shapes(rng);
  // Ages in days, oldest first: spread over 58 days, the newest about half a day ago.
  const starts = plans
    .map((_, k) => now - days(0.5 + (57.3 * (plans.length - 1 - k)) / (plans.length - 1)) + minutes(rng.int(-300, 300)))
    .map((t) => Math.floor(Math.min(t, now - hours(11)) / MINUTE_MS) * MINUTE_MS);
  const services = plans.map((p) => serviceFor(rng, p.severity));

  // Which incidents get the special endings: chosen by age so each one can be what it claims.
  const ageOf = (i: number) => (now - (starts[i] as number)) / DAY_MS;
  const pickWhere = (n: number, ok: (i: number) => boolean) => {
    const free = rng.shuffle(plans.map((_, i) => i).filter((i) => ok(i) && plans[i]!.pm === 'on-time' && plans[i]!.outcome === 'closed' && !plans[i]!.reopened && !plans[i]!.override));
    return free.slice(0, n);
  };
  for (const i of pickWhere(2, (i) => ageOf(i) > 3 && plans[i]!.severity !== 'SEV1')) plans[i]!.outcome = 'cancelled';
  for (const i of pickWhere(2, (i) => ageOf(i) > 4)) plans[i]!.reopened = true;
  for (const i of pickWhere(2, (i) => ageOf(i) > 4)) plans[i]!.override = true;
  for (const i of pickWhere(3, (i) => ageOf(i) > 3.5 && ageOf(i) < 25)) plans[i]!.pm = 'overdue-draft';
  for (const i of pickWhere(2, (i) => ageOf(i) > 3.5 && ageOf(i) < 25)) plans[i]!.pm = 'overdue-review';
  for (const i of pickWhere(2, (i) => ageOf(i) > 3.5 && ageOf(i) < 30)) plans[i]!.pm = 'blameful';
  for (const i of pickWhere(1, (i) => ageOf(i) > 5)) plans[i]!.pm = 'waived';
  for (const i of pickWhere(2, (i) => ageOf(i) > 6)) plans[i]!.pm = 'late';
  for (const [i, p] of plans.entries()) {
    if (p.outcome === 'cancelled') p.pm = 'none';
    else if (ageOf(i) < 3) p.pm = 'recent';
  }

  const used = new Set<string>();
  const out: PastIncident[] = [];
  for (const [i, plan] of plans.entries()) {
    const s = services[i] as DemoService;
    let t0 = starts[i] as number;
    // Most incidents follow a deploy of their service: start shortly after one that landed near the slot.
    let suspect: DeployBody | null = null;
    if (plan.outcome !== 'cancelled' && rng.chance(0.65)) {
      const candidates = deploys.filter(
        (d) => d.service === s.name && d.status !== 'failed' && !used.has(d.externalId) && Math.abs(Date.parse(d.finishedAt) - t0) < days(4) && Date.parse(d.finishedAt) < now - hours(12),
      );
      suspect = candidates.sort((a, b) => Math.abs(Date.parse(a.finishedAt) - t0) - Math.abs(Date.parse(b.finishedAt) - t0))[0] ?? null;
      if (suspect) {
        used.add(suspect.externalId);
        t0 = Math.min(Date.parse(suspect.finishedAt) + minutes(rng.int(4, 75)), now - hours(11));
      }
    }
    const symptom = rng.pick(s.symptoms);
    const cause: CauseKind = suspect ? 'deploy' : rng.pick(OTHER_CAUSES[symptom.signal === 'errors' ? 'errors' : 'slow']);
    const body = incidentHistory(rng, now, t0, s, symptom, plan, cause, suspect);
    // A rollback undid the suspect: its deploy reads rolled back.
    if (suspect && body.rolledBack) suspect.status = 'rolled_back';
    out.push({
      severity: plan.severity,
      service: s.name,
      outcome: plan.outcome === 'cancelled' ? 'cancelled' : body.closed ? 'closed' : 'resolved',
      reopened: plan.reopened,
      override: plan.override,
      postmortem: plan.pm,
      suspect: suspect?.externalId ?? null,
      body: body.body,
    });
  }
  return out.sort((a, b) => a.body.declare.at.localeCompare(b.body.declare.at));
}

const CADENCE: Record<Severity, number> = { SEV1: 15, SEV2: 30, SEV3: 60, SEV4: 120 };
const DETECT: Record<Severity, [number, number]> = { SEV1: [2, 6], SEV2: [3, 10], SEV3: [5, 20], SEV4: [10, 45] };
const MITIGATE: Record<Severity, [number, number]> = { SEV1: [14, 35], SEV2: [18, 50], SEV3: [25, 90], SEV4: [40, 180] };
const RESOLVE: Record<Severity, [number, number]> = { SEV1: [40, 180], SEV2: [45, 240], SEV3: [60, 300], SEV4: [90, 420] };

function others(members: readonly string[], not: string): string[] {
  return members.filter((m) => m !== not);
}

function incidentHistory(
  rng: Rng,
  now: number,
  t0: number,
  s: DemoService,
  symptom: Symptom,
  plan: Plan,
  cause: CauseKind,
  suspect: DeployBody | null,
): { body: ImportBody; closed: boolean; rolledBack: boolean } {
  const team = teamNamed(s.team);
  const sev = plan.severity;
  const detectedAt = t0 + minutes(rng.int(...DETECT[sev]));
  const declaredAt = detectedAt + minutes(rng.int(1, 6));
  const onCall = onCallAt(team, now, declaredAt);
  const commander = rng.chance(0.85) ? onCall : rng.pick(others(team.members, onCall));
  const declaredWithCommander = rng.chance(0.25);
  const ackAt = declaredWithCommander ? declaredAt : declaredAt + minutes(rng.chance(0.85) ? rng.int(1, 9) : rng.int(12, 28));
  const responder = rng.pick(others(team.members, commander));
  const commsLead = rng.pick(others(team.members, commander).filter((m) => m !== responder).concat(rng.pick(TEAMS.filter((t) => t.name !== team.name)).members[0] as string));
  const h = new History();
  const escalated = (sev === 'SEV1' || sev === 'SEV2') && rng.chance(0.25);
  const declaredSeverity: Severity = escalated ? (sev === 'SEV1' ? 'SEV2' : 'SEV3') : sev;
  const flag = suspect?.configDeltas?.[0]?.key;
  const mitigatedAt = Math.max(t0 + minutes(rng.int(...MITIGATE[sev])), ackAt + minutes(12));
  const story = storyFor(cause, s, { version: suspect?.version, flag, minutes: Math.round((mitigatedAt - t0) / MINUTE_MS) });
  const boundary = s.unsupportedFlows && rng.chance(0.3) ? { unsupportedFlow: true, coexistenceSeam: false, rolloutBoundary: suspect !== null } : undefined;

  const declare = {
    at: iso(declaredAt),
    actor: declaredWithCommander ? commander : onCall,
    body: {
      title: symptom.title,
      impact: symptom.impact,
      services: [s.name],
      severity: declaredSeverity,
      severityReason: severityReason(declaredSeverity, s),
      startedAt: iso(t0),
      detectedAt: iso(detectedAt),
      ...(boundary && { boundary }),
      ...(declaredWithCommander && { commander }),
    },
  };
  if (!declaredWithCommander) h.add(ackAt, commander, 'POST', '/roles', { role: 'commander', person: commander });
  h.add(ackAt + minutes(1), commander, 'POST', '/roles', { role: 'responder', person: responder });

  if (plan.outcome === 'cancelled') {
    h.add(ackAt + minutes(4), responder, 'POST', '/notes', { body: `The ${symptom.signal} signal came from the synthetic probe only; real traffic looks normal.` });
    h.add(ackAt + minutes(rng.int(10, 25)), commander, 'POST', '/status', { to: 'cancelled', reason: 'False alarm: the synthetic probe ran against a drained node.' });
    return { body: { declare, steps: h.steps(now - MINUTE_MS) }, closed: false, rolledBack: false };
  }

  const skipComms = plan.override;
  if (!skipComms) {
    h.add(ackAt + minutes(2), commander, 'POST', '/roles', { role: 'comms', person: commsLead });
  }
  h.add(ackAt + minutes(3), commander, 'PUT', '/comms', {
    channel: `#inc-${s.name}-${new Date(declaredAt).toISOString().slice(5, 10)}`,
    decisionOwner: commander,
    cadenceMinutes: CADENCE[sev],
    externalTrigger: s.public ? 'customers see errors on a public page' : 'more than 5% of requests fail',
  });
  h.add(ackAt + minutes(4), commander, 'POST', '/updates', { audience: 'internal', body: `Investigating: ${symptom.impact.toLowerCase()}. Next update in ${CADENCE[sev]} minutes.` });
  if (s.public && (sev === 'SEV1' || sev === 'SEV2')) {
    h.add(ackAt + minutes(6), skipComms ? commander : commsLead, 'POST', '/updates', {
      audience: 'external',
      body: `We are investigating problems with ${s.title.toLowerCase()}.`,
      title: `${s.title} problems`,
      publicStatus: 'investigating',
      components: { [s.name]: sev === 'SEV1' ? 'major_outage' : 'partial_outage' },
    });
  }
  if (escalated) h.add(ackAt + minutes(7), commander, 'POST', '/severity', { severity: sev, reason: severityReason(sev, s) });
  const withEvidence = !plan.override;
  if (withEvidence) {
    h.add(ackAt + minutes(8), responder, 'POST', '/evidence', {
      kind: 'metric',
      title: `${s.name} ${symptom.signal} since ${iso(t0).slice(11, 16)} UTC`,
      url: `${DASHBOARDS_URL}/${s.name}`,
    });
    if (suspect) {
      h.add(ackAt + minutes(9), responder, 'POST', '/evidence', {
        kind: 'deploy',
        title: `${s.name} ${suspect.version} landed ${Math.round((t0 - Date.parse(suspect.finishedAt)) / MINUTE_MS)} min before impact`,
        url: suspect.url,
      });
    }
  }
  h.add(ackAt + minutes(10), responder, 'POST', '/questions', { question: story.question });

  // Contain first: a rollback when a deploy is the suspect, else the lever that fits.
  const rollback = s.levers.find((l) => l.kind === 'rollback');
  const undo = suspect !== null && rollback !== undefined && rng.chance(0.7);
  const lever = undo ? rollback : rng.pick(s.levers.filter((l) => l.kind !== 'rollback').concat(rollback ? [] : s.levers));
  h.add(mitigatedAt - minutes(3), commander, 'POST', '/mitigations', {
    kind: lever.kind,
    action: undo && suspect ? `Roll ${s.name} back from ${suspect.version} to ${suspect.previousVersion ?? 'the previous release'}` : `Pull ${lever.name} on ${s.name}`,
    rationale: undo && suspect ? `Impact began ${Math.round((t0 - Date.parse(suspect.finishedAt)) / MINUTE_MS)} minutes after ${suspect.version}; undoing it is the fastest known-good path.` : `${lever.name} contains the ${symptom.signal} without touching data while we look for the cause.`,
    lever: lever.name,
    failClosed: lever.failClosed,
    ...(!lever.failClosed && { failOpenReason: 'Degraded results are safer for users than errors; no writes go through this path.' }),
  });
  h.add(mitigatedAt, commander, 'POST', '/status', { to: 'mitigated' });
  const usersAffected = rng.int(1, 40) * (sev === 'SEV1' ? 1000 : sev === 'SEV2' ? 300 : sev === 'SEV3' ? 60 : 8);
  const confirmAt = mitigatedAt + minutes(rng.int(5, 20));
  h.add(confirmAt, commander, 'PUT', '/impact', {
    statement: `${symptom.impact} between ${iso(t0).slice(11, 16)} and ${iso(mitigatedAt).slice(11, 16)} UTC.`,
    confirmed: true,
    usersAffected,
    ...(boundary && { boundary }),
  });
  const guardrail = rng.chance(0.4);
  if (guardrail) h.add(confirmAt + minutes(5), commander, 'POST', '/guardrails', { ...story.guardrail, owner: responder });
  const answeredLive = rng.chance(0.6);
  let resolvedAt = mitigatedAt + minutes(rng.int(...RESOLVE[sev]));
  if (answeredLive) h.add(resolvedAt - minutes(10), responder, 'POST', `/questions/Q1/answer`, { answer: story.answer });
  if (s.public && (sev === 'SEV1' || sev === 'SEV2')) {
    h.add(confirmAt + minutes(1), skipComms ? commander : commsLead, 'POST', '/updates', {
      audience: 'external',
      body: 'A fix is in place and we are watching the results.',
      publicStatus: 'monitoring',
    });
  }
  const resolveBody = (extra: Record<string, unknown> = {}) => ({
    to: 'resolved',
    ...(!guardrail && { noGuardrails: true }),
    ...(plan.override && { override: { reason: 'Comms ran from the support channel and the evidence is in the vendor ticket; recording it after the fact.' } }),
    ...extra,
  });
  h.add(resolvedAt, commander, 'POST', '/status', resolveBody());
  if (plan.reopened) {
    const back = resolvedAt + minutes(rng.int(40, 150));
    h.add(back, commander, 'POST', '/status', { to: 'investigating', reason: `The ${symptom.signal} came back after traffic rose again.` });
    h.add(back + minutes(12), commander, 'POST', '/mitigations', {
      kind: 'scale',
      action: `Scale ${s.name} out to twice its replicas`,
      rationale: 'The regression is load-dependent; more capacity holds it while the fix ships.',
      failClosed: false,
      failOpenReason: 'Adding capacity changes no behaviour.',
    });
    h.add(back + minutes(18), commander, 'POST', '/status', { to: 'mitigated' });
    resolvedAt = back + minutes(rng.int(60, 150));
    h.add(resolvedAt, commander, 'POST', '/status', resolveBody());
  }
  const rolledBack = undo;

  // The postmortem: drafted at resolution; written, reviewed and published, or not (yet).
  const closed = postmortemSteps(rng, h, { now, resolvedAt, commander, team: team.members, s, plan, story, guardrail, answeredLive, sev });
  const steps = h.steps(now - MINUTE_MS);
  const isClosed = closed !== null && closed <= now - MINUTE_MS;
  return { body: { declare, steps }, closed: isClosed, rolledBack };
}

function severityReason(sev: Severity, s: DemoService): string {
  switch (sev) {
    case 'SEV1':
      return `${s.title} is down for most users`;
    case 'SEV2':
      return `a major ${s.title.toLowerCase()} feature is broken for many users`;
    case 'SEV3':
      return `${s.title.toLowerCase()} is degraded; a workaround exists`;
    case 'SEV4':
      return 'minor impact, few users';
  }
}

interface PmContext {
  now: number;
  resolvedAt: number;
  commander: string;
  team: readonly string[];
  s: DemoService;
  plan: Plan;
  story: Story;
  guardrail: boolean;
  answeredLive: boolean;
  sev: Severity;
}

/** Adds the postmortem's steps; answers when the incident closes (null when it does not). */
function postmortemSteps(rng: Rng, h: History, c: PmContext): number | null {
  const { resolvedAt: r, commander: author, story, plan } = c;
  const due = r + hours(48);
  const reviewer = rng.pick(TEAMS.filter((t) => t.name !== c.s.team)).members[0] as string;
  const pm = plan.pm;
  const writeAt = r + (pm === 'late' ? hours(rng.int(20, 40)) : hours(rng.int(3, 20)));
  const text = narrative(story, c, pm);
  h.add(writeAt, author, 'PUT', '/postmortem', text);

  // Follow-ups: a guardrail's removal is A1 when there is one; the open question may become one too.
  let next = c.guardrail ? 2 : 1;
  let at = writeAt + minutes(10);
  const items: { id: string; created: number; due: number }[] = [];
  if (c.guardrail) items.push({ id: 'A1', created: writeAt, due: writeAt + days(14) });
  if (!c.answeredLive) {
    const dueAt = at + days(rng.int(7, 21));
    h.add(at, author, 'POST', '/questions/Q1/action', { owner: rng.pick(c.team), dueAt: iso(dueAt), priority: 'P2', kind: 'fix', title: `Find out: ${story.question}` });
    items.push({ id: `A${next++}`, created: at, due: dueAt });
    at += minutes(2);
  }
  const count = pm === 'overdue-draft' && rng.chance(0.5) ? 0 : rng.int(1, story.actions.length);
  for (const [kind, title] of story.actions.slice(0, count)) {
    const dueAt = at + days(rng.int(5, 28));
    const ticket = rng.chance(0.5);
    h.add(at, author, 'POST', '/actions', {
      title,
      owner: rng.pick(c.team),
      dueAt: iso(dueAt),
      priority: c.sev === 'SEV1' ? 'P0' : c.sev === 'SEV2' ? 'P1' : rng.pick(['P2', 'P3']),
      kind,
      ...(ticket && { ticketUrl: `${TRACKER_URL}/OPS-${rng.int(100, 999)}` }),
    });
    items.push({ id: `A${next++}`, created: at, due: dueAt });
    at += minutes(2);
  }
  // The work after: most items done before their deadline, some started, some left past due.
  for (const item of items) {
    const roll = rng.next();
    if (roll < 0.1) h.add(item.created + days(2), author, 'PATCH', `/actions/${item.id}`, { dueAt: iso(item.due + days(7)) });
    if (roll < 0.75) {
      h.add(item.created + Math.max(hours(2), (item.due - item.created) * (0.3 + 0.6 * rng.next())), author, 'PATCH', `/actions/${item.id}`, { status: 'done' });
    } else if (roll < 0.87) {
      h.add(item.created + days(1), author, 'PATCH', `/actions/${item.id}`, { status: 'in_progress' });
    }
  }
  if (pm === 'overdue-draft' || (pm === 'blameful' && rng.chance(0.5))) return null;

  const assignAt = at + minutes(5);
  h.add(assignAt, author, 'POST', '/postmortem/assign', { reviewers: [reviewer] });
  const submitAt = pm === 'overdue-review' || pm === 'blameful' ? Math.max(assignAt + minutes(1), r + hours(rng.int(30, 44))) : assignAt + minutes(1);
  h.add(submitAt, author, 'POST', '/postmortem/state', { to: 'in_review' });
  if (pm === 'overdue-review' || pm === 'blameful') return null;
  if (pm === 'waived') {
    h.add(submitAt + minutes(30), author, 'POST', '/postmortem/waivers', {
      field: 'rootCause',
      phrase: BLAMEFUL.quotedPhrase,
      reason: "Quoted from the acquirer's own incident report; our findings are in the whys.",
    });
  }
  let publishAt = pm === 'late' ? r + hours(rng.int(56, 90)) : Math.max(submitAt + hours(1), r + hours(rng.int(22, 45)));
  if (pm !== 'late' && rng.chance(0.2)) {
    // Sent back once with what should change, then resubmitted.
    const back = submitAt + hours(2);
    h.add(back, reviewer, 'POST', '/postmortem/state', { to: 'draft', reason: 'Say what made the change reach all traffic at once, not only what broke.' });
    h.add(back + hours(1), author, 'POST', '/postmortem/state', { to: 'in_review' });
    publishAt = Math.max(publishAt, back + hours(2));
    if (pm !== 'recent') publishAt = Math.min(publishAt, due - minutes(30));
  }
  h.add(publishAt, reviewer, 'POST', '/postmortem/state', { to: 'published' });
  const closeAt = publishAt + minutes(rng.int(5, 40));
  h.add(closeAt, author, 'POST', '/status', { to: 'closed' });
  return closeAt;
}

function narrative(story: Story, c: PmContext, pm: Plan['pm']): Record<string, unknown> {
  const whys = [...story.whys];
  let rootCause = story.rootCause;
  if (pm === 'blameful') {
    rootCause = BLAMEFUL.humanError;
    whys.push(c.sev === 'SEV4' ? BLAMEFUL.failedToCheck : BLAMEFUL.shouldHaveNoticed);
  } else if (pm === 'waived') {
    rootCause = BLAMEFUL.quotedVendor;
  }
  return {
    summary: `${c.sev} on ${c.s.name}: ${c.s.title} ${story.cause === 'deploy' ? 'broke after a release' : 'degraded'} and was contained with a ${story.cause === 'deploy' ? 'rollback' : 'lever from its playbook'}.`,
    impact: `${c.s.title} users were affected until resolution at ${iso(c.resolvedAt).slice(11, 16)} UTC.`,
    whys,
    rootCause,
    contributingFactors: story.contributingFactors,
    wentWell: story.wentWell,
    wentPoorly: story.wentPoorly,
    lessons: story.lessons,
  };
}

/**
 * The two incidents in progress now: one declared by hand on search some minutes ago (its alerts join it),
 * one that a critical alert on checkout declares when it arrives.
 */
function openIncidents(rng: Rng, now: number, deploys: DeployBody[], tag: string): OpenIncident[] {
  const search = serviceNamed('search');
  const checkout = serviceNamed('checkout');
  const dataOnCall = onCallAt(teamNamed('data'), now, now);
  const paymentsOnCall = onCallAt(teamNamed('payments'), now, now);
  const lastVersion = (service: string) => [...deploys].reverse().find((d) => d.service === service && d.status === 'succeeded')?.version ?? 'v1.0.0';
  const bump = (v: string) => v.replace(/\.(\d+)\.0$/, (_, m: string) => `.${Number(m) + 1}.0`);

  // The deploys just before: what each incident's suspects will show.
  const searchDeploy: DeployBody = {
    externalId: `demo-${tag}-search-now`, service: 'search', environment: 'production', version: bump(lastVersion('search')),
    previousVersion: lastVersion('search'), commitSha: rng.hex(7), status: 'succeeded',
    startedAt: iso(now - minutes(58)), finishedAt: iso(now - minutes(51)), actor: 'raj', url: `${CI_URL}/search/runs/now`,
    configDeltas: [{ key: 'index_alias', from: 'products-r41', to: 'products-r42' }],
  };
  const checkoutDeploy: DeployBody = {
    externalId: `demo-${tag}-checkout-now`, service: 'checkout', environment: 'production', version: bump(lastVersion('checkout')),
    previousVersion: lastVersion('checkout'), commitSha: rng.hex(7), status: 'succeeded',
    startedAt: iso(now - minutes(27)), finishedAt: iso(now - minutes(19)), actor: 'li', url: `${CI_URL}/checkout/runs/now`,
    configDeltas: [{ key: 'pricing_v2', from: 'false', to: 'true' }],
  };
  deploys.push(searchDeploy, checkoutDeploy);

  const t0 = now - minutes(41);
  const h = new History();
  const commander = dataOnCall;
  h.add(now - minutes(23), commander, 'POST', '/roles', { role: 'responder', person: 'raj' });
  h.add(now - minutes(22), commander, 'POST', '/roles', { role: 'comms', person: 'kai' });
  h.add(now - minutes(21), commander, 'PUT', '/comms', { channel: '#inc-search-now', decisionOwner: commander, cadenceMinutes: 30, externalTrigger: 'search fails for more than 10% of queries' });
  h.add(now - minutes(18), 'raj', 'POST', '/evidence', { kind: 'metric', title: 'search zero-result rate 14% since the index alias switch', url: `${DASHBOARDS_URL}/search` });
  h.add(now - minutes(16), 'raj', 'POST', '/evidence', { kind: 'deploy', title: `search ${searchDeploy.version} switched index_alias to products-r42`, url: searchDeploy.url });
  h.add(now - minutes(14), commander, 'POST', '/questions', { question: 'Did the r42 index build finish before the alias switched?' });
  h.add(now - minutes(9), commander, 'POST', '/updates', { audience: 'internal', body: 'Zero-result searches up since the index alias switch; falling back to database search next.' });
  const searchAlerts = alertmanagerBody('SearchZeroResults', now - minutes(9), [
    { labels: { service: 'search', severity: 'warning', team: 'data', instance: 'search-1' }, summary: 'zero-result rate 14% on search-1' },
    { labels: { service: 'search', severity: 'warning', team: 'data', instance: 'search-2' }, summary: 'zero-result rate 12% on search-2' },
  ]);
  const searchOpen: OpenIncident = {
    service: 'search',
    history: {
      declare: {
        at: iso(now - minutes(26)),
        actor: commander,
        body: {
          title: 'Search answers no results for new products',
          impact: 'Searches for products added this week return nothing for about 14% of queries',
          services: [search.name],
          severity: 'SEV3',
          severityReason: 'search is degraded; browsing categories still works',
          startedAt: iso(t0),
          detectedAt: iso(now - minutes(30)),
          commander,
        },
      },
      steps: h.steps(now - MINUTE_MS),
    },
    alerts: [searchAlerts],
    dedupKey: `am:${searchAlerts.alerts[0]!.fingerprint}`,
    live: [
      {
        actor: commander, method: 'POST', path: '/mitigations',
        body: {
          lever: 'db-search-fallback', execute: true,
          rationale: 'The r42 index is incomplete; the database fallback answers every query, more slowly.',
          failOpenReason: 'Slower complete results are better for users than missing ones; the fallback only reads.',
        },
      },
      {
        actor: commander, method: 'POST', path: '/updates',
        body: {
          audience: 'external', body: 'Some searches return no results. We are switching to a backup search path.',
          title: 'Search results incomplete', publicStatus: 'identified', components: { search: 'degraded_performance' },
        },
      },
    ],
  };

  const checkoutAlerts = alertmanagerBody('CheckoutErrorRate', now - minutes(6), [
    { labels: { service: 'checkout', severity: 'critical', env: 'production' }, summary: '5xx rate 31% on checkout' },
  ]);
  const latencyAlerts = alertmanagerBody('CheckoutLatencyHigh', now - minutes(4), [
    { labels: { service: 'checkout', severity: 'warning', env: 'production' }, summary: 'checkout p95 at 2.8 s' },
  ]);
  const checkoutOpen: OpenIncident = {
    service: checkout.name,
    history: null,
    alerts: [checkoutAlerts, latencyAlerts],
    dedupKey: `am:${checkoutAlerts.alerts[0]!.fingerprint}`,
    live: [
      { actor: paymentsOnCall, method: 'POST', path: '/roles', body: { role: 'commander', person: paymentsOnCall } },
      { actor: paymentsOnCall, method: 'POST', path: '/roles', body: { role: 'responder', person: 'li' } },
      { actor: paymentsOnCall, method: 'POST', path: '/roles', body: { role: 'comms', person: 'sam' } },
      { actor: paymentsOnCall, method: 'PUT', path: '/comms', body: { channel: '#inc-checkout-now', decisionOwner: paymentsOnCall, cadenceMinutes: 15, externalTrigger: 'more than 5% of checkouts fail' } },
      { actor: paymentsOnCall, method: 'POST', path: '/severity', body: { severity: 'SEV2', reason: 'a third of checkouts fail with 500' } },
      { actor: 'li', method: 'POST', path: '/evidence', body: { kind: 'deploy', title: `checkout ${checkoutDeploy.version} turned pricing_v2 on 13 minutes before the errors`, url: checkoutDeploy.url } },
      {
        actor: paymentsOnCall, method: 'POST', path: '/mitigations',
        body: { lever: 'disable-new-pricing', execute: true, rationale: 'The errors began with pricing_v2 on; turning the flag off is the fastest fail-closed undo.' },
      },
      { actor: paymentsOnCall, method: 'POST', path: '/updates', body: { audience: 'internal', body: 'pricing_v2 is being turned off by hand; rollback of checkout is the next step if errors stay.' } },
      {
        actor: paymentsOnCall, method: 'POST', path: '/updates',
        body: { audience: 'external', body: 'Some checkouts fail. We have found the cause and are rolling back a change.', title: 'Checkout errors', publicStatus: 'identified', components: { checkout: 'partial_outage' } },
      },
    ],
  };
  return [searchOpen, checkoutOpen];
}
