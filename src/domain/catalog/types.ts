import type { FieldError } from '../errors.js';
import type { LeverKind } from '../incident/types.js';
import type { EscalationPolicy, Schedule } from '../paging/types.js';

/** Service tiers, 1 the most critical. */
export const TIERS = [1, 2, 3, 4] as const;
/** 1 is the most critical. */
export type Tier = (typeof TIERS)[number];

/** Which way a coexistence seam fails. */
export const FAIL_MODES = ['open', 'closed'] as const;
/** `open` lets traffic through on failure, `closed` refuses it. */
export type FailMode = (typeof FAIL_MODES)[number];

/** On-call rotation periods. */
export const ROTATIONS = ['daily', 'weekly'] as const;
/** One of ROTATIONS. */
export type RotationPeriod = (typeof ROTATIONS)[number];

/** HTTP methods a lever webhook may use; POST when not given. */
export const WEBHOOK_METHODS = ['POST', 'PUT', 'PATCH', 'DELETE'] as const;
/** One of WEBHOOK_METHODS. */
export type WebhookMethod = (typeof WEBHOOK_METHODS)[number];

/** Where a catalog entity was written: Firebreak's own format or a Backstage descriptor. */
export type CatalogSource = 'firebreak' | 'backstage';

/** Service level objectives; null when not stated. */
export interface Slo {
  availability: number | null;
  latencyP95Ms: number | null;
}

/** A flow the service offers, and whether users see it. */
export interface Flow {
  name: string;
  userFacing: boolean;
}

/** Old and new systems running side by side, and which way the seam fails. */
export interface CoexistenceSeam {
  name: string;
  failMode: FailMode;
}

/** One alert label to match: `value` exactly, or `regex` as a fully anchored pattern (as in Prometheus). */
export type AlertMatcher = { label: string; value: string } | { label: string; regex: string };

/** A JSON value as a lever's body template holds it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * A lever Firebreak calls: `method url` with `headers` and the JSON `body` template (its string values
 * may name `{{incident.id}}` and the other fields listed in docs/INTEGRATIONS.md), signed as Standard
 * Webhooks when it has a `whsec_` secret, given up after `timeoutMs` (10 s when not given).
 */
export interface WebhookLeverAction {
  type: 'webhook';
  url: string;
  method: WebhookMethod;
  headers?: Record<string, string>;
  body?: JsonValue;
  secret?: string;
  timeoutMs?: number;
}

/** How a lever is pulled: Firebreak calls a webhook, or a human follows instructions. */
export type LeverAction = WebhookLeverAction | { type: 'manual'; instructions: string };

/** A mitigation lever a service offers right now. */
export interface Lever {
  name: string;
  kind: LeverKind;
  failClosed: boolean;
  preservesData: boolean;
  action: LeverAction;
}

/** A service of the catalog (firebreak/v1 Service or Backstage Component). */
export interface Service {
  /** `checkout` in the default namespace, `payments/checkout` in any other. */
  name: string;
  title: string;
  description: string | null;
  /** The owning team's name, or `user:<name>` for a service a person owns. */
  owner: string;
  tier: Tier;
  public: boolean;
  system: string | null;
  lifecycle: string | null;
  /** `owner/name` on GitHub, used to map deployment webhooks to the service. */
  repository: string | null;
  /** Every dependency as written (references reduced to names). */
  dependsOn: string[];
  /** The dependencies that name no service of the catalog (databases, third parties). */
  external: string[];
  slo: Slo;
  flows: Flow[];
  unsupportedFlows: string[];
  coexistence: CoexistenceSeam[];
  alertMatchers: AlertMatcher[];
  runbook: string | null;
  levers: Lever[];
  /** The catalog escalation policy that pages for this service, or null. */
  escalationPolicy: string | null;
  source: CatalogSource;
  /** What the catalog says about this service that Firebreak could not settle (an owner it does not know). */
  warnings: FieldError[];
}

/** A team member; the email comes from the catalog or a Backstage User profile. */
export interface Member {
  name: string;
  email: string | null;
}

/** A simple rotation: `order[0]` from `startsAt` for one period, then the next, round and round. */
export interface OnCall {
  rotation: RotationPeriod;
  startsAt: string;
  order: string[];
}

/**
 * Where a team is notified: a registered notification target by name (`{target: NAME}`, see
 * POST /api/v1/notification-targets), or one written inline. URLs may hold secrets and are never rendered.
 */
export type NotifyTarget =
  | { target: string }
  | { type: 'slack'; url: string }
  | { type: 'webhook'; url: string }
  | { type: 'email'; address: string };

/** A team that owns services (firebreak/v1 Team or Backstage Group). */
export interface Team {
  name: string;
  title: string;
  members: Member[];
  onCall: OnCall | null;
  notify: NotifyTarget[];
  source: CatalogSource;
}

/** A person from a Backstage User entity: who a service owned by a person pages, and members' emails. */
export interface Person {
  name: string;
  title: string;
  email: string | null;
}

/** A Backstage System, kept for grouping. */
export interface System {
  name: string;
  owner: string;
}

/** An entity Firebreak has no use for (API, Resource, a kind it does not know, …), listed with why so nothing vanishes silently. */
export interface IgnoredEntity {
  document: number;
  apiVersion: string;
  kind: string;
  name: string | null;
  reason: string;
}

/** The validated architecture */
export interface Catalog {
  services: Service[];
  teams: Team[];
  systems: System[];
  users: Person[];
  /** On-call schedules (firebreak/v1 Schedule); a catalog stored before they existed reads as none. */
  schedules: Schedule[];
  /** Escalation policies (firebreak/v1 EscalationPolicy); a catalog stored before they existed reads as none. */
  escalationPolicies: EscalationPolicy[];
  ignored: IgnoredEntity[];
  /** Everything applied with a caveat, each with its path; the services' own are also on each service. */
  warnings: FieldError[];
}
