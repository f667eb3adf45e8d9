/**
 * The public status page's model: what an incident's customers may see. Built only from external
 * updates, the catalog's `public: true` services and scheduled maintenances (derive.ts); the HTML page,
 * the Statuspage-compatible JSON, the feeds and the static export all render this one value.
 */

/** A public component's state, in Statuspage's words, least to most severe. */
export const COMPONENT_STATES = [
  'operational',
  'under_maintenance',
  'degraded_performance',
  'partial_outage',
  'major_outage',
] as const;
export type ComponentState = (typeof COMPONENT_STATES)[number];

/** The public status of an incident, in Statuspage's words. */
export const PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;
export type PublicStatus = (typeof PUBLIC_STATUSES)[number];

/** How the page and its feeds name each public status. */
export const PUBLIC_STATUS_LABELS: Record<PublicStatus, string> = {
  investigating: 'Investigating',
  identified: 'Identified',
  monitoring: 'Monitoring',
  resolved: 'Resolved',
  postmortem: 'Postmortem',
};

/** `2026-03-01 12:00 UTC`: how the page and its feeds write a time (undefined for one that does not parse). */
export function publicTime(iso: string): { iso: string; text: string } | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const s = new Date(ms).toISOString();
  return { iso: s, text: `${s.slice(0, 10)} ${s.slice(11, 16)} UTC` };
}

/** The public statuses a comms lead may set with an external update; resolved and postmortem follow the lifecycle. */
export const SETTABLE_PUBLIC_STATUSES = ['investigating', 'identified', 'monitoring'] as const;
export type SettablePublicStatus = (typeof SETTABLE_PUBLIC_STATUSES)[number];

/**
 * What an external update may set on the public page: the incident's public name, its public status
 * while it is open, and the state of components by service name. Absent fields change nothing.
 */
export interface PublicUpdateFields {
  title?: string;
  publicStatus?: SettablePublicStatus;
  components?: Record<string, ComponentState>;
}

/** An incident's public impact, and the page's overall indicator. */
export const IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
export type PublicImpact = (typeof IMPACTS)[number];

/** A scheduled maintenance's status by time. */
export const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'completed'] as const;
export type MaintenanceStatus = (typeof MAINTENANCE_STATUSES)[number];

/** `POST /api/v1/maintenances`: public catalog services (`name` or `namespace/name`), times ISO-8601 with an offset. */
export interface MaintenanceInput {
  title: string;
  body?: string;
  components: string[];
  startsAt: string;
  endsAt: string;
}

/** A scheduled maintenance as stored. */
export interface Maintenance {
  id: string;
  title: string;
  body: string;
  /** Names of public catalog services. */
  components: string[];
  startsAt: string;
  endsAt: string;
  createdAt: string;
  createdBy: string;
  /** Set when it was called off; a cancelled maintenance is not shown. */
  cancelledAt: string | null;
}

/** Where the page lives and what it is called (FIREBREAK_STATUS_* settings). */
export interface StatusPageSettings {
  title: string;
  /** The page's public address, e.g. https://status.example.com; null when not configured. */
  url: string | null;
  supportUrl: string | null;
  /** The name an incident shows before its first external update names it. */
  defaultIncidentTitle: string;
}

export interface ComponentView {
  /** The catalog service's name: stable, used as Statuspage's component id and update `code`. */
  id: string;
  /** The service's title. */
  name: string;
  description: string | null;
  status: ComponentState;
  /** The system it is grouped under, or null. */
  group: string | null;
  /** 1-based order on the page. */
  position: number;
  createdAt: string;
  updatedAt: string;
}

/** A catalog system with at least one public service. */
export interface GroupView {
  id: string;
  name: string;
  /** The worst state of its components. */
  status: ComponentState;
  components: string[];
  position: number;
  createdAt: string;
  updatedAt: string;
}

export interface AffectedComponent {
  code: string;
  name: string;
  oldStatus: ComponentState;
  newStatus: ComponentState;
}

export interface PublicUpdate {
  id: string;
  status: PublicStatus;
  body: string;
  createdAt: string;
  affectedComponents: AffectedComponent[];
}

export interface PublicIncident {
  /** The incident number as a string: the permalink is /status/incidents/{id}. */
  id: string;
  name: string;
  status: PublicStatus;
  impact: PublicImpact;
  createdAt: string;
  updatedAt: string;
  startedAt: string;
  monitoringAt: string | null;
  resolvedAt: string | null;
  /** Ids of the components it affects. */
  components: string[];
  /** Newest first. */
  updates: PublicUpdate[];
}

export interface PublicMaintenance {
  id: string;
  name: string;
  status: MaintenanceStatus;
  body: string;
  scheduledFor: string;
  scheduledUntil: string;
  createdAt: string;
  updatedAt: string;
  components: string[];
}

/** One day of the page's history (UTC), newest first. */
export interface HistoryDay {
  /** YYYY-MM-DD. */
  date: string;
  /** Public incidents that were open at some point that day, newest first. */
  incidents: { id: string; name: string; impact: PublicImpact; status: PublicStatus }[];
}

export const HISTORY_DAYS = 14;
/** incidents.json lists at most this many, as Statuspage does. */
export const RECENT_INCIDENTS = 50;

export interface StatusPageView {
  page: { name: string; url: string | null; supportUrl: string | null; updatedAt: string };
  indicator: PublicImpact;
  /** "All Systems Operational", "Partial System Outage", … */
  description: string;
  /** In page order (grouped components sit after their group's position). */
  components: ComponentView[];
  groups: GroupView[];
  /** Unresolved first, then newest first; at most RECENT_INCIDENTS. */
  incidents: PublicIncident[];
  /** Scheduled and in progress first by start, then completed newest first. */
  maintenances: PublicMaintenance[];
  history: HistoryDay[];
  /** When the view was computed. */
  generatedAt: string;
}
