import type {
  AddActionItem,
  AddEvidence,
  AddGuardrail,
  AssignRole,
  ChangeSeverity,
  ChangeStatus,
  DecideMitigation,
  DeclareIncident,
  ImpactInput,
  PostUpdate,
  SetCommsPlan,
  WritePostmortem,
} from '../domain/incident/commands.js';
import type { Checklist, PostmortemReport, TimelineEntry } from '../domain/outputs/index.js';
import type { TriageResult } from '../domain/incident/triage.js';
import type { ActionStatus, ImpactFacts, Severity, Status } from '../domain/incident/types.js';
import type { IncidentView } from '../domain/incident/view.js';

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
export type MitigationInput = Body<DecideMitigation>;
export type GuardrailInput = Body<AddGuardrail>;
export type StatusInput = Body<ChangeStatus>;
export type PostmortemInput = Body<WritePostmortem>;
export type ActionInput = Body<AddActionItem>;
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
