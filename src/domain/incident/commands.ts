import type { PublicUpdateFields } from '../status/types.js';
import type {
  ActionKind,
  ActionStatus,
  Audience,
  BoundaryFlags,
  EvidenceKind,
  ImpactFacts,
  MitigationKind,
  PostmortemState,
  Priority,
  Role,
  Severity,
  Status,
} from './types.js';
import type { Deploy } from '../deploys/types.js';
import type { ActionItemFields, AlertLinkData } from './events.js';
import type { SuspectDeploy } from '../deploys/suspects.js';

type Cmd<T extends string, D> = Readonly<{ type: T; actor: string } & D>;

export interface ImpactInput {
  statement: string;
  confirmed: boolean;
  usersAffected?: number;
  dataLoss?: boolean;
  securityBreach?: boolean;
  boundary?: BoundaryFlags;
  startedAt?: string;
}

/** Declare a new incident; `number` is allocated by the store in the same transaction. */
export type DeclareIncident = Cmd<
  'DeclareIncident',
  {
    number: number;
    title: string;
    impact?: string;
    impactConfirmed?: boolean;
    services?: string[];
    severity?: Severity;
    severityReason?: string;
    impactFacts?: ImpactFacts;
    boundary?: BoundaryFlags;
    startedAt?: string;
    detectedAt?: string;
    commander?: string;
    auto?: boolean;
  }
>;
export type ChangeSeverity = Cmd<'ChangeSeverity', { severity: Severity; reason: string }>;
export type StateImpact = Cmd<'StateImpact', ImpactInput>;
export type AssignRole = Cmd<'AssignRole', { role: Role; person: string }>;
/** Record the catalog's suggested commander (see suggestion.ts); sent by the service at declaration. */
export type SuggestCommander = Cmd<'SuggestCommander', { person: string; team: string | null; service: string; reason: string }>;
export type UnassignRole = Cmd<'UnassignRole', { role: Role; person: string }>;
export type SetCommsPlan = Cmd<
  'SetCommsPlan',
  { channel: string; decisionOwner: string; cadenceMinutes: number; externalTrigger: string }
>;
export type PostUpdate = Cmd<'PostUpdate', { audience: Audience; body: string } & PublicUpdateFields>;
export type AddNote = Cmd<'AddNote', { body: string }>;
export type AddEvidence = Cmd<'AddEvidence', { kind: EvidenceKind; title: string; url?: string; text?: string }>;
export type DecideMitigation = Cmd<
  'DecideMitigation',
  {
    kind: MitigationKind;
    action: string;
    rationale: string;
    lever?: string;
    failClosed?: boolean;
    failOpenReason?: string;
    execute?: boolean;
    leverType?: 'webhook' | 'manual';
  }
>;
/** The outcome of a pulled webhook lever, recorded after the call (src/service/levers.ts). */
export type RecordLeverOutcome = Cmd<
  'RecordLeverOutcome',
  {
    mitigationId: string;
    state: 'succeeded' | 'failed' | 'refused';
    request: { method: string; url: string };
    status?: number;
    excerpt?: string;
    reason?: string;
  }
>;
/** A human confirms a pulled manual lever done or failed. */
export type ConfirmLever = Cmd<'ConfirmLever', { mitigationId: string; outcome: 'done' | 'failed'; note?: string }>;
export type AskQuestion = Cmd<'AskQuestion', { question: string }>;
export type AnswerQuestion = Cmd<'AnswerQuestion', { questionId: string; answer: string }>;
export type AddGuardrail = Cmd<
  'AddGuardrail',
  { what: string; why: string; removalCondition?: string; owner: string }
>;
export type ChangeStatus = Cmd<
  'ChangeStatus',
  {
    to: Status;
    reason?: string;
    noGuardrails?: boolean;
    alertsOverride?: string;
    override?: { reason: string };
    /** Closing also needs every blameless-check warning fixed or waived (FIREBREAK_POSTMORTEM_STRICT). */
    strict?: boolean;
  }
>;
export type WritePostmortem = Cmd<
  'WritePostmortem',
  {
    summary: string;
    impact: string;
    whys: string[];
    rootCause: string;
    contributingFactors?: string[];
    wentWell?: string[];
    wentPoorly?: string[];
    lessons?: string[];
  }
>;
/** Set the postmortem's author and/or reviewers (the author cannot review their own). */
export type AssignPostmortem = Cmd<'AssignPostmortem', { author?: string; reviewers?: string[] }>;
/**
 * Move the postmortem: draft → in_review (needs a reviewer), in_review → draft (changes requested,
 * with a reason), in_review → published (by a reviewer, once the close gate's postmortem criteria hold;
 * with `strict`, every blameless warning fixed or waived too).
 */
export type ChangePostmortemState = Cmd<'ChangePostmortemState', { to: PostmortemState; reason?: string; strict?: boolean }>;
/** Waive one blameless-check warning (its field and phrase, as the check reported them) with a reason. */
export type WaiveBlameWarning = Cmd<'WaiveBlameWarning', { field: string; phrase: string; reason: string }>;
export type AddActionItem = Cmd<
  'AddActionItem',
  {
    title: string;
    owner: string;
    dueAt: string;
    priority: Priority;
    fromQuestion?: string;
    kind?: ActionKind;
    ticketUrl?: string;
  }
>;
/** Change an action item's title, owner, deadline, priority, kind or ticket link, and/or its status (at least one). */
export type EditActionItem = Cmd<'EditActionItem', { actionId: string; changes: ActionItemFields; status?: ActionStatus }>;
/** An alert as linked to an incident: the facts the incident keeps of it. */
export type AlertLink = AlertLinkData;
/**
 * Alerts routed to the incident (new ones are linked, known ones change status); sent by ingestion.
 * `known` holds the status the incident last recorded for each of these alerts it has linked already
 * (absent: not linked): the service reads it, so the state need not list every link.
 */
export type RecordAlerts = Cmd<'RecordAlerts', { alerts: AlertLink[]; known: ReadonlyMap<string, AlertLink['status']> }>;
/** The release boundary and suspects as computed now from the deploys and the catalog; sent by the service. */
export type SetReleaseBoundary = Cmd<'SetReleaseBoundary', { boundary: Deploy | null; suspects: SuspectDeploy[] }>;
export type ChangeActionItemStatus = Cmd<'ChangeActionItemStatus', { actionId: string; status: ActionStatus }>;

/** Every command the incident accepts. */
export type IncidentCommand =
  | DeclareIncident
  | ChangeSeverity
  | StateImpact
  | AssignRole
  | SuggestCommander
  | UnassignRole
  | SetCommsPlan
  | PostUpdate
  | AddNote
  | AddEvidence
  | DecideMitigation
  | RecordLeverOutcome
  | ConfirmLever
  | AskQuestion
  | AnswerQuestion
  | AddGuardrail
  | ChangeStatus
  | WritePostmortem
  | AssignPostmortem
  | ChangePostmortemState
  | WaiveBlameWarning
  | AddActionItem
  | EditActionItem
  | ChangeActionItemStatus
  | RecordAlerts
  | SetReleaseBoundary;

export type IncidentCommandType = IncidentCommand['type'];
