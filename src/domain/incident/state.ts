import type { PublicUpdateFields } from '../status/types.js';
import type { AlertLinkData, IncidentEvent, PostmortemText } from './events.js';
import type {
  ActionKind,
  ActionStatus,
  Audience,
  BoundaryFlags,
  EvidenceKind,
  MitigationKind,
  PostmortemState,
  Priority,
  Severity,
  Status,
} from './types.js';
import { formatIncidentId } from './types.js';
import { sameWarning } from '../postmortem/blameless.js';
import type { Unmet } from '../errors.js';
import type { Deploy } from '../deploys/types.js';
import type { SuspectDeploy } from '../deploys/suspects.js';

export const POSTMORTEM_DUE_HOURS = 48;
/** How many of the newest links the state keeps; every link pages from `GET /api/v1/alerts?incident=`. */
export const RECENT_ALERTS = 20;

export interface Impact {
  statement: string | null;
  confirmed: boolean;
  usersAffected: number | null;
  dataLoss: boolean;
  securityBreach: boolean;
  boundary: BoundaryFlags | null;
}

export interface SeverityEntry {
  from: Severity | null;
  to: Severity;
  reason: string;
  at: string;
  actor: string;
}

/** Where a pulled lever's run stands; `dry_run` is only ever answered, never stored (see docs/API.md). */
export type ExecutionState =
  | 'pending'
  | 'succeeded'
  | 'failed'
  | 'refused'
  | 'dry_run'
  | 'awaiting_confirmation'
  | 'confirmed_done'
  | 'confirmed_failed';

/** A catalog lever pulled to run: a webhook Firebreak calls, or a manual step a human confirms. */
export interface Execution {
  lever: string;
  type: 'webhook' | 'manual';
  state: ExecutionState;
  status?: number;
  excerpt?: string;
  reason?: string;
  /** When the state was last set. */
  at: string;
}

export interface Mitigation {
  id: string;
  kind: MitigationKind;
  lever: string | null;
  action: string;
  rationale: string;
  failClosed: boolean | null;
  failOpenReason: string | null;
  execute: boolean;
  decidedBy: string;
  at: string;
  result: string;
  /** Present when a catalog lever was pulled to run. */
  execution?: Execution;
}

export interface Evidence {
  id: string;
  kind: EvidenceKind;
  title: string;
  url: string | null;
  text: string | null;
  addedBy: string;
  at: string;
}

export interface Question {
  id: string;
  question: string;
  answer: string | null;
  askedBy: string;
  askedAt: string;
  answeredBy: string | null;
  answeredAt: string | null;
}

export interface Guardrail {
  id: string;
  what: string;
  why: string;
  removalCondition: string | null;
  owner: string;
  at: string;
}

export interface StatusUpdate extends PublicUpdateFields {
  audience: Audience;
  body: string;
  by: string;
  at: string;
}

export interface LinkedAlert {
  id: string;
  dedupKey: string;
  summary: string;
  status: 'firing' | 'resolved';
  source: string;
}

/** The incident's linked alerts by the status it last recorded for each. */
export interface AlertCounts {
  firing: number;
  resolved: number;
  total: number;
}

export interface ActionItem {
  id: string;
  title: string;
  owner: string;
  dueAt: string;
  priority: Priority;
  status: ActionStatus;
  fromQuestion: string | null;
  kind: ActionKind;
  ticketUrl: string | null;
  /** The guardrail whose removal this item tracks. */
  fromGuardrail: string | null;
  createdAt: string;
  /** When it last moved to done; null while it is not done. */
  doneAt: string | null;
}

/** A blameless-check warning let pass, with why. */
export interface BlameWaiver {
  field: string;
  phrase: string;
  reason: string;
  by: string;
  at: string;
}

export interface Postmortem extends PostmortemText {
  state: PostmortemState;
  /** Who writes it: the commander at the draft, or the first writer; reassignable. */
  author: string;
  reviewers: string[];
  /** When the draft was made (or first written). */
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt: string | null;
  publishedAt: string | null;
  publishedBy: string | null;
  waivers: BlameWaiver[];
}

export interface Override {
  to: Status;
  reason: string;
  unmet: Unmet[];
  by: string;
  at: string;
}

export interface Milestones {
  startedAt: string | null;
  detectedAt: string | null;
  declaredAt: string | null;
  acknowledgedAt: string | null;
  mitigatedAt: string | null;
  resolvedAt: string | null;
  closedAt: string | null;
}

/** Who the catalog suggested as commander at declaration (see CommanderSuggested), and when. */
export interface SuggestedCommander {
  person: string;
  team: string | null;
  service: string;
  reason: string;
  at: string;
}

export interface Comms {
  channel: string;
  decisionOwner: string;
  cadenceMinutes: number;
  externalTrigger: string;
}

/** Current state of one incident: a pure projection of its event log. */
export interface Incident {
  id: string;
  number: number;
  title: string;
  status: Status | 'new';
  severity: Severity | null;
  severityHistory: SeverityEntry[];
  version: number;
  auto: boolean;
  services: string[];
  impact: Impact;
  milestones: Milestones;
  postmortemDueAt: string | null;
  roles: { commander: string | null; responders: string[]; comms: string | null; scribe: string | null };
  /** Null when the catalog named no one (or the incident predates suggestions). */
  suggestedCommander: SuggestedCommander | null;
  comms: Comms | null;
  mitigations: Mitigation[];
  evidence: Evidence[];
  questions: Question[];
  guardrails: Guardrail[];
  noGuardrails: boolean;
  updates: StatusUpdate[];
  alertCounts: AlertCounts;
  /** The newest RECENT_ALERTS links, newest first, each with its current status. */
  recentAlerts: LinkedAlert[];
  actions: ActionItem[];
  postmortem: Postmortem | null;
  overrides: Override[];
  reopenCount: number;
  cancelReason: string | null;
  alertsOverride: string | null;
  noteCount: number;
  lastEventAt: string | null;
  releaseBoundary: Deploy | null;
  suspects: SuspectDeploy[];
}

export function initialIncident(number: number): Incident {
  return {
    id: formatIncidentId(number),
    number,
    title: '',
    status: 'new',
    severity: null,
    severityHistory: [],
    version: 0,
    auto: false,
    services: [],
    impact: {
      statement: null,
      confirmed: false,
      usersAffected: null,
      dataLoss: false,
      securityBreach: false,
      boundary: null,
    },
    milestones: {
      startedAt: null,
      detectedAt: null,
      declaredAt: null,
      acknowledgedAt: null,
      mitigatedAt: null,
      resolvedAt: null,
      closedAt: null,
    },
    postmortemDueAt: null,
    roles: { commander: null, responders: [], comms: null, scribe: null },
    suggestedCommander: null,
    comms: null,
    mitigations: [],
    evidence: [],
    questions: [],
    guardrails: [],
    noGuardrails: false,
    updates: [],
    alertCounts: { firing: 0, resolved: 0, total: 0 },
    recentAlerts: [],
    actions: [],
    postmortem: null,
    overrides: [],
    reopenCount: 0,
    cancelReason: null,
    alertsOverride: null,
    noteCount: 0,
    lastEventAt: null,
    releaseBoundary: null,
    suspects: [],
  };
}

const addHours = (iso: string, hours: number) => new Date(Date.parse(iso) + hours * 3_600_000).toISOString();

function assertNever(x: never): never {
  throw new Error(`unhandled event ${JSON.stringify(x)}`);
}

const replaceWhere = <T>(list: T[], match: (t: T) => boolean, change: (t: T) => T) =>
  list.map((t) => (match(t) ? change(t) : t));

type AlertStatus = LinkedAlert['status'];

/**
 * Counts new links and status changes, and keeps the newest links. A status change always flips the
 * alert's status (decide emits one only then), so the counts need no per-alert list; an alert still
 * among the newest is checked against its recorded status, which also keeps a re-link of it (possible
 * only in logs from before AlertsRecorded) from counting twice.
 */
function recordAlerts(
  s: Incident,
  linked: readonly AlertLinkData[],
  changed: readonly { alertId: string; status: AlertStatus }[],
): Incident {
  let { firing, resolved, total } = s.alertCounts;
  const move = (from: AlertStatus | undefined, to: AlertStatus) => {
    if (from === to) return;
    if (from === 'firing') firing--;
    if (from === 'resolved') resolved--;
    if (to === 'firing') firing++;
    else resolved++;
  };
  const other = (x: AlertStatus): AlertStatus => (x === 'firing' ? 'resolved' : 'firing');
  let recent = s.recentAlerts;
  for (const c of changed) {
    const shown = recent.find((a) => a.id === c.alertId);
    move(shown ? shown.status : other(c.status), c.status);
    if (shown) recent = replaceWhere(recent, (a) => a.id === c.alertId, (a) => ({ ...a, status: c.status }));
  }
  const added: LinkedAlert[] = [];
  for (const l of linked) {
    const shown = recent.find((a) => a.id === l.alertId);
    if (shown) recent = recent.filter((a) => a !== shown);
    else total++;
    move(shown?.status, l.status);
    added.unshift({ id: l.alertId, dedupKey: l.dedupKey, summary: l.summary, status: l.status, source: l.source });
  }
  return {
    ...s,
    alertCounts: { firing, resolved, total },
    recentAlerts: added.length ? [...added, ...recent].slice(0, RECENT_ALERTS) : recent,
  };
}

/**
 * The status each alert that these events link or change now has on the incident, last one winning:
 * what a store keeps beside the projection so that `decide` can be told which alerts are linked.
 */
export function alertStatusesIn(events: readonly IncidentEvent[]): Map<string, AlertStatus> {
  const statuses = new Map<string, AlertStatus>();
  for (const e of events) {
    if (e.type === 'AlertLinked' || e.type === 'AlertStatusChanged') statuses.set(e.data.alertId, e.data.status);
    if (e.type === 'AlertsRecorded') for (const a of [...e.data.linked, ...e.data.changed]) statuses.set(a.alertId, a.status);
  }
  return statuses;
}

/** Folds one event into the state. Pure; knows every event type. */
export function apply(prev: Incident, e: IncidentEvent): Incident {
  const s: Incident = { ...prev, version: prev.version + 1, lastEventAt: e.at };
  switch (e.type) {
    case 'IncidentDeclared':
      return {
        ...s,
        id: formatIncidentId(e.data.number),
        number: e.data.number,
        title: e.data.title,
        services: e.data.services,
        status: 'investigating',
        auto: e.data.auto,
        milestones: {
          ...s.milestones,
          startedAt: e.data.startedAt,
          detectedAt: e.data.detectedAt,
          declaredAt: e.at,
        },
      };
    case 'ImpactStated': {
      const d = e.data;
      return {
        ...s,
        impact: {
          statement: d.statement,
          confirmed: d.confirmed,
          usersAffected: d.usersAffected ?? s.impact.usersAffected,
          dataLoss: d.dataLoss ?? s.impact.dataLoss,
          securityBreach: d.securityBreach ?? s.impact.securityBreach,
          boundary: d.boundary ?? s.impact.boundary,
        },
        milestones: d.startedAt ? { ...s.milestones, startedAt: d.startedAt } : s.milestones,
      };
    }
    case 'SeverityChanged':
      return {
        ...s,
        severity: e.data.to,
        severityHistory: [...s.severityHistory, { ...e.data, at: e.at, actor: e.actor }],
      };
    case 'RoleAssigned': {
      const { role, person } = e.data;
      const roles = { ...s.roles };
      if (role === 'responder') roles.responders = [...roles.responders.filter((p) => p !== person), person];
      else roles[role] = person;
      const acknowledgedAt =
        role === 'commander' && !s.milestones.acknowledgedAt ? e.at : s.milestones.acknowledgedAt;
      return { ...s, roles, milestones: { ...s.milestones, acknowledgedAt } };
    }
    case 'CommanderSuggested':
      return { ...s, suggestedCommander: { ...e.data, at: e.at } };
    case 'RoleUnassigned': {
      const { role, person } = e.data;
      const roles = { ...s.roles };
      if (role === 'responder') roles.responders = roles.responders.filter((p) => p !== person);
      else if (roles[role] === person) roles[role] = null;
      return { ...s, roles };
    }
    case 'CommsPlanSet':
      return { ...s, comms: { ...e.data } };
    case 'UpdatePosted':
      return { ...s, updates: [...s.updates, { ...e.data, by: e.actor, at: e.at }] };
    case 'NoteAdded':
      return { ...s, noteCount: s.noteCount + 1 };
    case 'EvidenceAdded':
      return {
        ...s,
        evidence: [
          ...s.evidence,
          { ...e.data, url: e.data.url ?? null, text: e.data.text ?? null, addedBy: e.actor, at: e.at },
        ],
      };
    case 'MitigationDecided': {
      const { leverType, ...d } = e.data;
      const mitigation: Mitigation = {
        ...d,
        lever: d.lever ?? null,
        failOpenReason: d.failOpenReason ?? null,
        decidedBy: e.actor,
        at: e.at,
        result: d.kind === 'none' ? 'no containment needed' : d.execute ? 'requested' : 'recorded',
        ...(leverType &&
          d.lever !== undefined && {
            execution: {
              lever: d.lever,
              type: leverType,
              state: leverType === 'webhook' ? 'pending' : 'awaiting_confirmation',
              at: e.at,
            },
          }),
      };
      return { ...s, mitigations: [...s.mitigations, mitigation] };
    }
    case 'LeverExecuted': {
      const d = e.data;
      const result = d.state === 'succeeded' ? `called: ${d.status}` : d.state === 'failed' ? `failed: ${d.status ?? d.reason}` : 'refused';
      return withExecution(s, d.mitigationId, result, (x) => ({
        ...x,
        state: d.state,
        ...(d.status !== undefined && { status: d.status }),
        ...(d.excerpt !== undefined && { excerpt: d.excerpt }),
        ...(d.reason !== undefined && { reason: d.reason }),
        at: e.at,
      }));
    }
    case 'LeverConfirmed': {
      const d = e.data;
      return withExecution(s, d.mitigationId, d.outcome === 'done' ? 'done' : 'failed', (x) => ({
        ...x,
        state: d.outcome === 'done' ? 'confirmed_done' : 'confirmed_failed',
        ...(d.note !== undefined && { reason: d.note }),
        at: e.at,
      }));
    }
    case 'QuestionAsked':
      return {
        ...s,
        questions: [
          ...s.questions,
          {
            id: e.data.id,
            question: e.data.question,
            answer: null,
            askedBy: e.actor,
            askedAt: e.at,
            answeredBy: null,
            answeredAt: null,
          },
        ],
      };
    case 'QuestionAnswered':
      return {
        ...s,
        questions: replaceWhere(
          s.questions,
          (q) => q.id === e.data.id,
          (q) => ({ ...q, answer: e.data.answer, answeredBy: e.actor, answeredAt: e.at }),
        ),
      };
    case 'GuardrailAdded':
      return {
        ...s,
        guardrails: [...s.guardrails, { ...e.data, removalCondition: e.data.removalCondition ?? null, at: e.at }],
      };
    case 'GateOverridden':
      return { ...s, overrides: [...s.overrides, { ...e.data, by: e.actor, at: e.at }] };
    case 'StatusChanged': {
      const { to, reason, noGuardrails, alertsOverride } = e.data;
      const m = { ...s.milestones };
      let postmortemDueAt = s.postmortemDueAt;
      if (to === 'mitigated' && !m.mitigatedAt) m.mitigatedAt = e.at;
      if (to === 'resolved') {
        m.resolvedAt = e.at;
        postmortemDueAt = addHours(e.at, POSTMORTEM_DUE_HOURS);
      }
      if (to === 'closed') m.closedAt = e.at;
      const reopened = to === 'investigating';
      if (reopened) {
        m.resolvedAt = null;
        m.closedAt = null;
        postmortemDueAt = null;
      }
      return {
        ...s,
        status: to,
        milestones: m,
        postmortemDueAt,
        reopenCount: s.reopenCount + (reopened ? 1 : 0),
        cancelReason: to === 'cancelled' ? (reason ?? null) : s.cancelReason,
        noGuardrails: noGuardrails ?? s.noGuardrails,
        alertsOverride: alertsOverride ?? s.alertsOverride,
      };
    }
    case 'PostmortemWritten':
      return { ...s, postmortem: { ...(s.postmortem ?? newPostmortem(e.actor, e.at)), ...e.data, updatedAt: e.at, updatedBy: e.actor } };
    case 'PostmortemDrafted': {
      const { author, ...text } = e.data;
      return { ...s, postmortem: { ...newPostmortem(author, e.at), ...text, updatedBy: e.actor } };
    }
    case 'PostmortemAssigned':
      return withPostmortem(s, (pm) => ({
        ...pm,
        author: e.data.author ?? pm.author,
        reviewers: e.data.reviewers ?? pm.reviewers,
      }));
    case 'PostmortemStateChanged': {
      const { to } = e.data;
      return withPostmortem(s, (pm) => ({
        ...pm,
        state: to,
        submittedAt: to === 'in_review' ? e.at : to === 'draft' ? null : pm.submittedAt,
        publishedAt: to === 'published' ? e.at : null,
        publishedBy: to === 'published' ? e.actor : null,
      }));
    }
    case 'BlameWarningWaived':
      return withPostmortem(s, (pm) => ({
        ...pm,
        waivers: [
          ...pm.waivers.filter((w) => !sameWarning(w, e.data)),
          { ...e.data, by: e.actor, at: e.at },
        ],
      }));
    case 'ActionItemAdded': {
      const { fromQuestion, kind, ticketUrl, fromGuardrail, ...d } = e.data;
      const item: ActionItem = {
        ...d,
        status: 'open',
        fromQuestion: fromQuestion ?? null,
        kind: kind ?? 'fix',
        ticketUrl: ticketUrl ?? null,
        fromGuardrail: fromGuardrail ?? null,
        createdAt: e.at,
        doneAt: null,
      };
      return { ...s, actions: [...s.actions, item] };
    }
    case 'ActionItemEdited':
      return {
        ...s,
        actions: replaceWhere(
          s.actions,
          (a) => a.id === e.data.id,
          (a) => ({ ...a, ...e.data.changes }),
        ),
      };
    case 'ActionItemStatusChanged':
      return {
        ...s,
        actions: replaceWhere(
          s.actions,
          (a) => a.id === e.data.id,
          (a) => ({ ...a, status: e.data.to, doneAt: e.data.to === 'done' ? e.at : null }),
        ),
      };
    case 'AlertLinked':
      return recordAlerts(s, [e.data], []);
    case 'AlertStatusChanged':
      return recordAlerts(s, [], [e.data]);
    case 'AlertsRecorded':
      return recordAlerts(s, e.data.linked, e.data.changed);
    case 'AlertsCleared':
      return s;
    case 'ReleaseBoundaryChanged':
      return { ...s, releaseBoundary: e.data.boundary, suspects: e.data.suspects };
    case 'TimerFired':
      return s;
    default:
      return assertNever(e);
  }
}

export const replay = (number: number, events: readonly IncidentEvent[]) =>
  events.reduce(apply, initialIncident(number));

function newPostmortem(author: string, at: string): Postmortem {
  return {
    summary: '',
    impact: '',
    whys: [],
    rootCause: '',
    contributingFactors: [],
    wentWell: [],
    wentPoorly: [],
    lessons: [],
    state: 'draft',
    author,
    reviewers: [],
    createdAt: at,
    updatedAt: at,
    updatedBy: author,
    submittedAt: null,
    publishedAt: null,
    publishedBy: null,
    waivers: [],
  };
}

/** The incident with its postmortem changed; unchanged when it has none (decide never emits such an event then). */
const withPostmortem = (s: Incident, change: (pm: Postmortem) => Postmortem): Incident =>
  s.postmortem ? { ...s, postmortem: change(s.postmortem) } : s;

/** The incident with one mitigation's execution (and result) changed. */
function withExecution(s: Incident, id: string, result: string, change: (x: Execution) => Execution): Incident {
  return {
    ...s,
    mitigations: s.mitigations.map((m) => (m.id === id && m.execution ? { ...m, result, execution: change(m.execution) } : m)),
  };
}
