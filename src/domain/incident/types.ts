export const SEVERITIES = ['SEV1', 'SEV2', 'SEV3', 'SEV4'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const STATUSES = ['investigating', 'mitigated', 'resolved', 'closed', 'cancelled'] as const;
export type Status = (typeof STATUSES)[number];

/** Statuses of an incident that still takes alerts, deploys and attached alerts: it is being worked. */
export const ACTIVE_STATUSES = ['investigating', 'mitigated'] as const satisfies readonly Status[];
/** Statuses of an incident not closed or cancelled yet: its record can still change. */
export const UNCLOSED_STATUSES = [...ACTIVE_STATUSES, 'resolved'] as const satisfies readonly Status[];

export const ROLES = ['commander', 'responder', 'comms', 'scribe'] as const;
export type Role = (typeof ROLES)[number];

export const LEVER_KINDS = [
  'rollback',
  'feature-flag',
  'scale',
  'failover',
  'rate-limit',
  'reject-path',
  'read-only',
  'fallback',
  'other',
] as const;
export type LeverKind = (typeof LEVER_KINDS)[number];
export type MitigationKind = LeverKind | 'none';
export const MITIGATION_KINDS = [...LEVER_KINDS, 'none'] as const satisfies readonly MitigationKind[];

export const EVIDENCE_KINDS = ['log', 'metric', 'trace', 'deploy', 'config', 'dashboard', 'other'] as const;
export type EvidenceKind = (typeof EVIDENCE_KINDS)[number];

export const AUDIENCES = ['internal', 'external'] as const;
export type Audience = (typeof AUDIENCES)[number];

export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export type Priority = (typeof PRIORITIES)[number];

export const ACTION_STATUSES = ['open', 'in_progress', 'done'] as const;
export type ActionStatus = (typeof ACTION_STATUSES)[number];

/** What kind of follow-up an action item is; every guardrail gets a `guardrail-removal` one by itself. */
export const ACTION_KINDS = ['fix', 'guardrail-removal', 'runbook', 'monitoring', 'tech-debt', 'process'] as const;
export type ActionKind = (typeof ACTION_KINDS)[number];

/** A postmortem is drafted when the incident resolves, reviewed, then published (which the close gate needs). */
export const POSTMORTEM_STATES = ['draft', 'in_review', 'published'] as const;
export type PostmortemState = (typeof POSTMORTEM_STATES)[number];

export interface BoundaryFlags {
  unsupportedFlow: boolean;
  coexistenceSeam: boolean;
  rolloutBoundary: boolean;
}

/** The facts the triage helper weighs; never the suspected cause. */
export interface ImpactFacts {
  serviceDown?: boolean;
  dataLoss?: boolean;
  securityBreach?: boolean;
  majorFeatureBroken?: boolean;
  significantUserImpact?: boolean;
  workaroundExists?: boolean;
  cosmetic?: boolean;
}

export const IMPACT_FACTS = [
  'serviceDown',
  'dataLoss',
  'securityBreach',
  'majorFeatureBroken',
  'significantUserImpact',
  'workaroundExists',
  'cosmetic',
] as const satisfies readonly (keyof ImpactFacts)[];

/** `INC-<n>` for a positive integer n. */
export const formatIncidentId = (n: number) => `INC-${n}`;

/** Accepts `INC-12`, `inc-12` or `12`; undefined for anything else. */
export function parseIncidentId(id: string): number | undefined {
  const m = /^(?:INC-)?([1-9][0-9]{0,9})$/i.exec(id.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** Action items are addressed globally as `INC-<n>-A<k>`. */
export const formatActionId = (incident: number, k: number) => `INC-${incident}-A${k}`;

export function parseActionId(id: string): { incident: number; id: string } | undefined {
  const m = /^INC-([1-9][0-9]{0,9})-A([1-9][0-9]{0,5})$/i.exec(id.trim());
  if (!m) return undefined;
  const incident = Number(m[1]);
  return { incident, id: formatActionId(incident, Number(m[2])) };
}
