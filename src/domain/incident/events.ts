import type { PublicUpdateFields } from '../status/types.js';
import type {
  ActionKind,
  ActionStatus,
  Audience,
  BoundaryFlags,
  EvidenceKind,
  LeverKind,
  MitigationKind,
  PostmortemState,
  Priority,
  Role,
  Severity,
  Status,
} from './types.js';
import type { Unmet } from '../errors.js';
import type { Deploy } from '../deploys/types.js';
import type { SuspectDeploy } from '../deploys/suspects.js';
import type { TimerKind } from '../timers/plan.js';

type Ev<T extends string, D> = Readonly<{ type: T; at: string; actor: string; data: D }>;

/** The incident was declared; the first event of every stream. */
export type IncidentDeclared = Ev<
  'IncidentDeclared',
  { number: number; title: string; services: string[]; startedAt: string; detectedAt: string; auto: boolean }
>;
/** The impact statement (and its boundary flags) was stated or restated. */
export type ImpactStated = Ev<
  'ImpactStated',
  {
    statement: string;
    confirmed: boolean;
    usersAffected?: number;
    dataLoss?: boolean;
    securityBreach?: boolean;
    boundary?: BoundaryFlags;
    startedAt?: string;
  }
>;
/** Severity was set or changed, always with a reason. */
export type SeverityChanged = Ev<'SeverityChanged', { from: Severity | null; to: Severity; reason: string }>;
/** Someone took a role; the first commander acknowledges the incident. */
export type RoleAssigned = Ev<'RoleAssigned', { role: Role; person: string }>;
/**
 * Who the catalog named to command when the incident was declared: the on-call person of the team
 * owning an affected service (its rotation at the declaration time), or the person owning it.
 * `team` is null for a service a person owns. Recorded once, at declaration, so it can be notified.
 */
export type CommanderSuggested = Ev<
  'CommanderSuggested',
  { person: string; team: string | null; service: string; reason: string }
>;
/** Someone left a role. */
export type RoleUnassigned = Ev<'RoleUnassigned', { role: Role; person: string }>;
/** The communication plan was set. */
export type CommsPlanSet = Ev<
  'CommsPlanSet',
  { channel: string; decisionOwner: string; cadenceMinutes: number; externalTrigger: string }
>;
/** A status update went to an audience. */
/** A status update; an external one may also set what the public status page says (domain/status). */
export type UpdatePosted = Ev<'UpdatePosted', { audience: Audience; body: string } & PublicUpdateFields>;
/** A free-form note on the timeline. */
export type NoteAdded = Ev<'NoteAdded', { body: string }>;
/** Evidence was attached. */
export type EvidenceAdded = Ev<
  'EvidenceAdded',
  { id: string; kind: EvidenceKind; title: string; url?: string; text?: string }
>;
/** A containment decision: a lever pulled, or an explicit "none needed". */
export type MitigationDecided = Ev<
  'MitigationDecided',
  {
    id: string;
    kind: MitigationKind;
    action: string;
    rationale: string;
    lever?: string;
    failClosed: boolean | null;
    failOpenReason?: string;
    execute: boolean;
    /** Set when a catalog lever is pulled to run (src/service/levers.ts): how it runs. */
    leverType?: 'webhook' | 'manual';
  }
>;
/** What became of a pulled webhook lever: its answer, or why it failed or was refused (never called). */
export type LeverExecuted = Ev<
  'LeverExecuted',
  {
    mitigationId: string;
    lever: string;
    state: 'succeeded' | 'failed' | 'refused';
    /** The request as called, its URL without query (which may hold a credential). */
    request: { method: string; url: string };
    status?: number;
    excerpt?: string;
    reason?: string;
  }
>;
/** A human said a pulled manual lever is done, or that it failed. */
export type LeverConfirmed = Ev<
  'LeverConfirmed',
  { mitigationId: string; lever: string; outcome: 'done' | 'failed'; note?: string }
>;
/** An uncertain fact was recorded as an open question. */
export type QuestionAsked = Ev<'QuestionAsked', { id: string; question: string }>;
/** An open question got its answer. */
export type QuestionAnswered = Ev<'QuestionAnswered', { id: string; answer: string }>;
/** A temporary guardrail stays until its removal condition holds. */
export type GuardrailAdded = Ev<
  'GuardrailAdded',
  { id: string; what: string; why: string; removalCondition?: string; owner: string }
>;
/** A gate was passed by the commander's override; the unmet criteria are kept. */
export type GateOverridden = Ev<'GateOverridden', { to: Status; reason: string; unmet: Unmet[] }>;
/** The status moved; re-opening to investigating is a StatusChanged with a reason. */
export type StatusChanged = Ev<
  'StatusChanged',
  {
    from: Status;
    to: Status;
    reason?: string;
    noGuardrails?: boolean;
    alertsOverride?: string;
  }
>;
/** The postmortem's narrative fields, as written (or pre-filled) whole. */
export interface PostmortemText {
  summary: string;
  impact: string;
  whys: string[];
  rootCause: string;
  contributingFactors: string[];
  wentWell: string[];
  wentPoorly: string[];
  lessons: string[];
}
/** The postmortem was written or rewritten as a whole; the first write of one never drafted starts it as a draft. */
export type PostmortemWritten = Ev<'PostmortemWritten', PostmortemText>;
/**
 * The incident resolved with no postmortem yet: a draft pre-filled from the log (domain/postmortem/draft.ts),
 * its author the commander (or whoever resolved it).
 */
export type PostmortemDrafted = Ev<'PostmortemDrafted', PostmortemText & { author: string }>;
/** The postmortem's author or reviewers were (re)assigned; a field left out is unchanged. */
export type PostmortemAssigned = Ev<'PostmortemAssigned', { author?: string; reviewers?: string[] }>;
/** The postmortem moved draft → in_review → published, or back to draft (changes requested, or the incident re-opened). */
export type PostmortemStateChanged = Ev<
  'PostmortemStateChanged',
  { from: PostmortemState; to: PostmortemState; reason?: string }
>;
/** A blameless-check warning (its field and phrase) was waived with a reason: strict mode lets it pass. */
export type BlameWarningWaived = Ev<'BlameWarningWaived', { field: string; phrase: string; reason: string }>;
/** A follow-up action item with an owner and a deadline. */
export type ActionItemAdded = Ev<
  'ActionItemAdded',
  {
    id: string;
    title: string;
    owner: string;
    dueAt: string;
    priority: Priority;
    fromQuestion?: string;
    /** Absent in logs from before kinds: a `fix`. */
    kind?: ActionKind;
    ticketUrl?: string;
    /** The guardrail whose removal this item tracks (added with the guardrail). */
    fromGuardrail?: string;
  }
>;
/** The fields of an action item an edit may change; `ticketUrl: null` removes the link. */
export interface ActionItemFields {
  title?: string;
  owner?: string;
  dueAt?: string;
  priority?: Priority;
  kind?: ActionKind;
  ticketUrl?: string | null;
}
/** An action item was edited: the fields changed, and what they were before (who moved my deadline?). */
export type ActionItemEdited = Ev<'ActionItemEdited', { id: string; changes: ActionItemFields; previous: ActionItemFields }>;
/** An action item moved between open, in_progress and done. */
export type ActionItemStatusChanged = Ev<'ActionItemStatusChanged', { id: string; from: ActionStatus; to: ActionStatus }>;
/** One alert as the incident records it. */
export interface AlertLinkData {
  alertId: string;
  dedupKey: string;
  summary: string;
  status: 'firing' | 'resolved';
  source: string;
}
/** One alert linked to the incident. Recorded until alerts were recorded in batches (AlertsRecorded); still applied. */
export type AlertLinked = Ev<'AlertLinked', AlertLinkData>;
/** A linked alert changed status (to the other one). Recorded until AlertsRecorded; still applied. */
export type AlertStatusChanged = Ev<'AlertStatusChanged', { alertId: string; status: 'firing' | 'resolved' }>;
/**
 * One ingest batch's alerts on this incident: those newly linked, and linked ones whose status changed
 * (each with its new status), each alert once, in the order they came.
 */
export type AlertsRecorded = Ev<'AlertsRecorded', { linked: AlertLinkData[]; changed: AlertLinkData[] }>;
/** Every linked alert is resolved: recovery evidence. */
export type AlertsCleared = Ev<'AlertsCleared', { count: number }>;
/** The release boundary or the suspect deploys changed (a deploy landed, a service or the impact start changed). */
export type ReleaseBoundaryChanged = Ev<'ReleaseBoundaryChanged', { boundary: Deploy | null; suspects: SuspectDeploy[] }>;
/** A lever a contain-first nudge names: the catalog's, for one of the incident's services. */
export interface TimerLever {
  service: string;
  name: string;
  kind: LeverKind;
  failClosed: boolean;
  type: 'webhook' | 'manual';
}
/** A timer fell due and its condition still held (src/domain/timers): the nudge it gives, on the timeline. */
export type TimerFired = Ev<
  'TimerFired',
  { kind: TimerKind; timerId: string; dueAt: string; message: string; levers?: TimerLever[] }
>;

/** Every event an incident stream can hold. A stored `type` is forever. */
export type IncidentEvent =
  | IncidentDeclared
  | ImpactStated
  | SeverityChanged
  | RoleAssigned
  | CommanderSuggested
  | RoleUnassigned
  | CommsPlanSet
  | UpdatePosted
  | NoteAdded
  | EvidenceAdded
  | MitigationDecided
  | LeverExecuted
  | LeverConfirmed
  | QuestionAsked
  | QuestionAnswered
  | GuardrailAdded
  | GateOverridden
  | StatusChanged
  | PostmortemWritten
  | PostmortemDrafted
  | PostmortemAssigned
  | PostmortemStateChanged
  | BlameWarningWaived
  | ActionItemAdded
  | ActionItemEdited
  | ActionItemStatusChanged
  | AlertLinked
  | AlertStatusChanged
  | AlertsRecorded
  | AlertsCleared
  | ReleaseBoundaryChanged
  | TimerFired;

export type IncidentEventType = IncidentEvent['type'];

/** An event as the store hands it back: with its incident and position. */
export type StoredEvent = IncidentEvent & { incident: number; seq: number };
