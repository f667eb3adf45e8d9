import type {
  AddActionItem,
  AddEvidence,
  AddGuardrail,
  AssignPostmortem,
  AssignRole,
  ChangePostmortemState,
  ChangeSeverity,
  ChangeStatus,
  DecideMitigation,
  DeclareIncident,
  ImpactInput,
  PostUpdate,
  SetCommsPlan,
  WaiveBlameWarning,
  WritePostmortem,
} from '../domain/incident/commands.js';
import type { ActionItemFields } from '../domain/incident/events.js';
import type { AlertSeverity, AlertSignal, AlertSource, AlertStatus } from '../domain/alerts/types.js';
import type { Person as CatalogPerson, Service as CatalogService, Team as CatalogTeam } from '../domain/catalog/types.js';
import type { ConfigDelta, Deploy } from '../domain/deploys/types.js';
import type { SuspectDeploy } from '../domain/deploys/suspects.js';
import type { Checklist, PostmortemReport, TimelineEntry } from '../domain/outputs/index.js';
import type { TriageResult } from '../domain/incident/triage.js';
import type { ActionStatus, ImpactFacts, Severity, Status } from '../domain/incident/types.js';
import type { IncidentView } from '../domain/incident/view.js';
import type { Maintenance, MaintenanceInput, MaintenanceStatus } from '../domain/status/types.js';
import type { Schedule, Shift } from '../domain/paging/types.js';
import type { HeartbeatInput, HeartbeatState, HeartbeatView } from '../domain/paging/heartbeat.js';
import type { ContactMethodView, RuleView } from '../domain/paging/contacts.js';

type Body<C> = { -readonly [K in keyof Omit<C, 'type' | 'actor'>]: Omit<C, 'type' | 'actor'>[K] };

/** Who a token or user acts as; each role includes the ones below it (ingest stands apart). */
export type AccessRole = 'admin' | 'responder' | 'viewer' | 'ingest';

export type DeclareInput = Omit<Body<DeclareIncident>, 'number' | 'auto'>;
export type SeverityInput = Body<ChangeSeverity>;
export type { ImpactInput };
export type RoleInput = Body<AssignRole>;
export type CommsInput = Body<SetCommsPlan>;
export type UpdateInput = Body<PostUpdate>;
export type NoteInput = { body: string };
export type EvidenceInput = Body<AddEvidence>;
/** A mitigation decision; with `lever` and `execute: true` it pulls the catalog lever (kind and action then optional). */
export type MitigationInput = Omit<Body<DecideMitigation>, 'leverType' | 'kind' | 'action'> &
  Partial<Pick<Body<DecideMitigation>, 'kind' | 'action'>>;
/** Pulling a catalog lever: `POST …/mitigations` with `execute: true`. */
export interface PullLeverInput {
  lever: string;
  rationale: string;
  failOpenReason?: string;
  action?: string;
}
/** One lever of `GET …/incidents/{id}/levers`: no secret, no header value, no URL query. */
export interface IncidentLever {
  service: string;
  name: string;
  kind: CatalogService['levers'][number]['kind'];
  failClosed: boolean;
  preservesData: boolean;
  action:
    | { type: 'webhook'; method: string; url: string; headers: string[]; signed: boolean; timeoutMs: number }
    | { type: 'manual'; instructions: string };
  boundary: {
    service: string;
    environment: string;
    version: string | null;
    previousVersion: string | null;
    commitSha: string | null;
    deploy: string;
  } | null;
  pulls: { mitigationId: string; state: string; at: string }[];
}
/** A dry run's answer: the request the lever would make (catalog header values and URL query masked). */
export interface LeverDryRun {
  dryRun: true;
  service: string;
  lever: string;
  mitigationId: string;
  request: { method: string; url: string; headers: Record<string, string>; body: string; timeoutMs: number };
}
/** `POST …/mitigations/{mid}/confirm`. */
export interface ConfirmLeverInput {
  outcome: 'done' | 'failed';
  note?: string;
}
export type GuardrailInput = Body<AddGuardrail>;
export type StatusInput = Body<ChangeStatus>;
export type PostmortemInput = Body<WritePostmortem>;
export type ActionInput = Body<AddActionItem>;
/** `PATCH /api/v1/actions/{actionId}`: the status and/or fields to change. */
export type ActionPatch = ActionItemFields & { status?: ActionStatus };
/** `POST …/questions/{qid}/action`: the title defaults to the question. */
export type QuestionActionInput = Omit<ActionInput, 'fromQuestion' | 'title'> & { title?: string };
export type PostmortemAssignInput = Body<AssignPostmortem>;
export type PostmortemStateInput = Body<ChangePostmortemState>;
export type WaiverInput = Body<WaiveBlameWarning>;
export type { ActionItemRow, PostmortemItem } from '../domain/postmortem/follow-ups.js';
/** `GET /api/v1/postmortems` and `GET /api/v1/actions` filters, as the server reads them (comma lists for states and kinds). */
export type { ActionQuery as ActionListFilter, PostmortemQuery as PostmortemListFilter } from '../domain/postmortem/follow-ups.js';
export type TriageInput = ImpactFacts;
export type { TriageResult };

/** An incident as every incident read and command answers it. */
export type IncidentAnswer = IncidentView;

/** One row of `GET /api/v1/incidents`. */
export interface IncidentSummary {
  id: string;
  number: number;
  title: string;
  status: Status;
  severity: Severity | null;
  services: string[];
  commander: string | null;
  declaredAt: string;
  startedAt: string | null;
  updatedAt: string;
  version: number;
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

export interface ItemList<T> {
  items: T[];
}

export interface IncidentFilter {
  status?: Status[];
  severity?: Severity[];
  service?: string;
  cursor?: string;
  limit?: number;
}

export type { Checklist, PostmortemReport, TimelineEntry };

/** `GET …/timeline?format=json`: one page of entries and the incident they belong to. */
export interface TimelinePage {
  incident: { id: string; number: number; title: string; status: Status | 'new'; severity: Severity | null; version: number };
  events: TimelineEntry[];
  nextCursor: string | null;
}

export type TextFormat = 'md' | 'csv' | 'html';

/** Headers every incident command may carry. */
export interface CommandOptions {
  /** Refuse with 409 unless the incident is still at this version. */
  ifMatch?: number;
  /** A retry with the same key records once; the client retries once itself when one is set. */
  idempotencyKey?: string;
}

export interface CreatedToken {
  id: string;
  name: string;
  role: AccessRole;
  token: string;
}

export interface TokenInfo {
  id: string;
  name: string;
  role: AccessRole;
  createdAt: string;
  revokedAt: string | null;
}

export interface CreatedUser {
  id: string;
  username: string;
  role: AccessRole;
}

export interface UserInfo extends CreatedUser {
  createdAt: string;
}

export interface SessionInfo {
  username: string;
  role: AccessRole;
}

export type { ActionStatus };

/** `PUT /api/v1/catalog`: the version applied and what it holds. */
export interface AppliedCatalog {
  version: number;
  appliedAt: string;
  services: number;
  teams: number;
  systems: number;
  /** Entities Firebreak does not read (API, Resource, unknown kinds, …), each with why. */
  ignored: { document: number; apiVersion: string; kind: string; name: string | null; reason: string }[];
  /** Applied with a caveat: an owner not in the catalog, a removed service an open incident names. */
  warnings: { path: string; message: string }[];
  incidentsUpdated: number[];
}

/** `GET /api/v1/catalog`. */
export interface CatalogInfo {
  version: number;
  appliedAt: string | null;
  appliedBy: string | null;
  services: number;
  teams: number;
  systems: number;
  ignored: AppliedCatalog['ignored'];
  warnings: AppliedCatalog['warnings'];
}

/** One row of `GET /api/v1/services`. */
export interface ServiceSummary {
  /** `checkout`, or `payments/checkout` outside the default namespace; `default/checkout` is accepted wherever a service is named. */
  name: string;
  title: string;
  owner: string;
  tier: number;
  public: boolean;
  system: string | null;
  lifecycle: string | null;
  repository: string | null;
  dependsOn: string[];
  runbook: string | null;
  onCallNow: string | null;
}

/** A row of `GET /api/v1/teams`: the catalog team and who is on call now. */
export type TeamInfo = CatalogTeam & { onCallNow: string | null };

/** `GET /api/v1/services/{name}`: the summary plus the service, its team and its levers, fail-closed first. */
export interface ServiceDetail extends ServiceSummary {
  service: CatalogService;
  team: TeamInfo | null;
  /** The person who owns the service (`owner: user:<name>`), or null. */
  person: CatalogPerson | null;
  levers: CatalogService['levers'];
  /** What the catalog leaves open about this service, such as an owner it does not hold. */
  warnings: { path: string; message: string }[];
}

export type { CatalogPerson, CatalogService, CatalogTeam, Deploy, ConfigDelta, SuspectDeploy };

export type { Schedule, Shift } from '../domain/paging/types.js';

/** A row of `GET /api/v1/schedules`: the schedule's zone and layers, and who is on call now. */
export interface ScheduleSummary {
  name: string;
  timeZone: string;
  layers: string[];
  oncallNow: Shift | null;
}

/** `GET /api/v1/schedules/{name}`: the catalog schedule, who is on call now, and the gaps of the next 14 days. */
export interface ScheduleDetail extends Schedule {
  oncallNow: Shift | null;
  gaps: { startAt: string; endAt: string }[];
}

/** `GET /api/v1/schedules/{name}/oncall`: who the schedule has on call at `at`, and their shift; null when nobody. */
export interface OncallAnswer {
  schedule: string;
  at: string;
  oncall: Shift | null;
}

/** `GET /api/v1/schedules/{name}/shifts`: the final shifts of [from, to). */
export interface ShiftsAnswer {
  schedule: string;
  from: string;
  to: string;
  items: Shift[];
}

/** `POST /api/v1/deploys`: Firebreak's deploy JSON; unknown fields are refused. */
export interface DeployInput {
  externalId?: string;
  service: string;
  environment?: string;
  version?: string;
  commitSha?: string;
  status: Deploy['status'];
  startedAt?: string;
  finishedAt?: string;
  actor?: string;
  url?: string;
  previousVersion?: string;
  configDeltas?: { key: string; from?: string | null; to?: string | null }[];
}

/** A stored deploy. */
export interface DeployInfo extends Deploy {
  id: string;
  receivedAt: string;
  updatedAt: string;
}

/** `GET /api/v1/incidents/{id}/suspects`. */
export interface SuspectsAnswer {
  id: string;
  releaseBoundary: Deploy | null;
  suspects: SuspectDeploy[];
}

/** The senders an integration can be created for (the server's list; the client ships without server code). */
export const INTEGRATION_TYPES = ['alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'github', 'generic'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

/** `GET /api/v1/integrations` rows: never a credential. */
export interface IntegrationInfo {
  id: string;
  type: IntegrationType;
  name: string;
  createdAt: string;
  revokedAt: string | null;
  endpoints: string[];
}

/** `POST /api/v1/integrations`: the sender's credential, shown this once. */
export interface CreatedIntegration extends IntegrationInfo {
  token?: string;
  routingKey?: string;
  /** An opsgenie integration's key, sent as `Authorization: GenieKey <apiKey>`. */
  apiKey?: string;
  secret?: string;
}

/** An alert as `GET /api/v1/alerts` answers it (docs/API.md#alerts). */
export interface AlertInfo {
  id: string;
  source: AlertSource;
  dedupKey: string;
  status: AlertStatus;
  /** The catalog service the alert was routed to, or null. */
  service: string | null;
  /** The service the sender named, or null. */
  senderService: string | null;
  summary: string;
  severity: AlertSeverity;
  signal: AlertSignal;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string | null;
  generatorURL: string | null;
  receivedAt: string;
  firstReceivedAt: string;
  occurrences: number;
  /** `INC-<n>`, or null while the alert waits in the inbox. */
  incident: string | null;
}

export interface AlertFilter {
  status?: AlertStatus;
  service?: string;
  dedupKey?: string;
  /** `INC-<n>`, `<n>`, or `none` for the inbox proper. */
  incident?: string;
  cursor?: string;
  limit?: number;
}

/** Where one notification's delivery stands (`GET /api/v1/notifications`). */
export type NotificationState = 'pending' | 'sent' | 'failed' | 'refused';

/** One notification of an incident's event to one target, and its delivery. */
export interface NotificationInfo {
  id: string;
  incident: string;
  /** The target as shown (never a secret URL). */
  target: string;
  targetType: string;
  /** The event type that caused it. */
  event: string;
  state: NotificationState;
  attempts: number;
  /** When a pending one is tried next; null once sent, failed for good or refused. */
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

/** The filters of `GET /api/v1/notifications`. */
export interface NotificationFilter {
  incident?: string;
  state?: NotificationState;
  cursor?: string;
  limit?: number;
}

/** Where one timer of an incident stands. */
export type TimerState = 'scheduled' | 'fired' | 'cancelled';

/** One timer of an incident (`GET /api/v1/incidents/{id}/timers`). */
export interface TimerInfo {
  id: string;
  kind: string;
  dueAt: string;
  state: TimerState;
  firedAt: string | null;
}

export type NotificationTargetType = 'slack' | 'mattermost' | 'teams' | 'ntfy' | 'webhook' | 'email' | 'statuspage';

/** `POST /api/v1/notification-targets`: `address` for email, `url` for the others; `token` for ntfy, `secret` for webhook. */
export interface NotificationTargetInput {
  name: string;
  type: NotificationTargetType;
  url?: string;
  address?: string;
  token?: string;
  secret?: string;
}

/** What registering a target answers; a webhook target's `whsec_` secret is shown this once. */
export interface CreatedNotificationTarget {
  id: string;
  name: string;
  type: NotificationTargetType;
  secret?: string;
}

/** A target as listed: its URL's host or its mail address, never a path, token or secret. */
export interface NotificationTargetInfo {
  id: string;
  name: string;
  type: NotificationTargetType;
  destination: string;
  hasToken: boolean;
  signed: boolean;
  createdAt: string;
}

/** Where a scheduled maintenance stands by time. */
export type { MaintenanceStatus };

export type { MaintenanceInput };

/** A scheduled maintenance (times in UTC) and its status now; a cancelled one is listed nowhere. */
export type MaintenanceInfo = Maintenance & { status: MaintenanceStatus };

/** What a calendar feed lists: one schedule's shifts, or one person's across every schedule. */
export type CalendarFeedKind = 'schedule' | 'person';

/** A calendar feed as listed: never its URL, whose secret is shown once only. */
export interface CalendarFeedInfo {
  id: string;
  kind: CalendarFeedKind;
  /** The schedule's name, or the person's. */
  target: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

/** What creating a calendar feed answers: its secret URL, shown this once. */
export interface CreatedCalendarFeed extends CalendarFeedInfo {
  url: string;
}

export type { HeartbeatInput, HeartbeatState };

/** A heartbeat as listed: never its token. */
export type HeartbeatInfo = HeartbeatView;

/** What creating a heartbeat answers: where to ping it, and its token, shown this once. */
export interface CreatedHeartbeat extends HeartbeatInfo {
  pingUrl: string;
  token: string;
}

/** The same shapes the server answers with (domain/paging/contacts.ts): the client and service share one definition. */
export type { ContactMethodInput, ContactMethodType } from '../domain/paging/contacts.js';
export type ContactMethodInfo = ContactMethodView;
export type { AddedContactMethod, VerificationSent } from '../domain/paging/contacts.js';
export type NotificationRuleInfo = RuleView;
