import type {
  AffectedComponent,
  ComponentState,
  ComponentView,
  GroupView,
  MaintenanceStatus,
  PublicImpact,
  PublicIncident,
  PublicMaintenance,
  PublicStatus,
  PublicUpdate,
  StatusPageView,
} from './types.js';
import { safeHttpUrl } from '../outputs/escape.js';

/**
 * The status page as Statuspage's public API v2 documents (the JSON under /api/v2/), so status
 * aggregators, chat bots and anything else that takes a Statuspage base URL can read ours. Field
 * names and enums are Statuspage's, snake_case, exactly.
 */

/** The page id every document carries: fixed, so it survives a renamed page or a moved address. */
export const STATUSPAGE_PAGE_ID = 'firebreak';

export interface SpPage {
  id: string;
  name: string;
  url: string | null;
  time_zone: 'Etc/UTC';
  updated_at: string;
}

export interface SpStatus {
  indicator: PublicImpact;
  description: string;
}

export interface SpComponent {
  id: string;
  name: string;
  status: ComponentState;
  created_at: string;
  updated_at: string;
  position: number;
  description: string | null;
  showcase: true;
  start_date: null;
  group_id: string | null;
  group: boolean;
  only_show_if_degraded: false;
  page_id: string;
  /** Only on a group: the ids of its components. */
  components?: string[];
}

export interface SpAffectedComponent {
  code: string;
  name: string;
  old_status: ComponentState;
  new_status: ComponentState;
}

export interface SpIncidentUpdate {
  id: string;
  status: PublicStatus | MaintenanceStatus;
  body: string;
  incident_id: string;
  created_at: string;
  updated_at: string;
  display_at: string;
  affected_components: SpAffectedComponent[];
  deliver_notifications: true;
  custom_tweet: null;
  tweet_id: null;
}

export interface SpIncident {
  id: string;
  name: string;
  status: PublicStatus;
  impact: PublicImpact;
  created_at: string;
  updated_at: string;
  started_at: string;
  monitoring_at: string | null;
  resolved_at: string | null;
  shortlink: string | null;
  page_id: string;
  components: SpComponent[];
  incident_updates: SpIncidentUpdate[];
}

export interface SpMaintenance extends Omit<SpIncident, 'status' | 'impact'> {
  status: MaintenanceStatus;
  impact: 'maintenance';
  scheduled_for: string;
  scheduled_until: string;
}

/** The page's address without a trailing slash; null when unset or not http(s), so no link is ever unsafe. */
const pageUrl = (view: StatusPageView): string | null => {
  const url = view.page.url === null ? null : safeHttpUrl(view.page.url);
  return url === null ? null : url.replace(/\/+$/, '');
};

export const statuspagePage = (view: StatusPageView): SpPage => ({
  id: STATUSPAGE_PAGE_ID,
  name: view.page.name,
  url: pageUrl(view),
  time_zone: 'Etc/UTC',
  updated_at: view.page.updatedAt,
});

const component = (c: ComponentView): SpComponent => ({
  id: c.id,
  name: c.name,
  status: c.status,
  created_at: c.createdAt,
  updated_at: c.updatedAt,
  position: c.position,
  description: c.description,
  showcase: true,
  start_date: null,
  group_id: c.group,
  group: false,
  only_show_if_degraded: false,
  page_id: STATUSPAGE_PAGE_ID,
});

const group = (g: GroupView): SpComponent => ({
  id: g.id,
  name: g.name,
  status: g.status,
  created_at: g.createdAt,
  updated_at: g.updatedAt,
  position: g.position,
  description: null,
  showcase: true,
  start_date: null,
  group_id: null,
  group: true,
  only_show_if_degraded: false,
  page_id: STATUSPAGE_PAGE_ID,
  components: [...g.components],
});

/** Components in page order, each group just before its first component (Statuspage's flat list). */
export function statuspageComponents(view: StatusPageView): SpComponent[] {
  const groups = new Map(view.groups.map((g) => [g.id, g]));
  const placed = new Set<string>();
  const out: SpComponent[] = [];
  for (const c of view.components) {
    const g = c.group === null ? undefined : groups.get(c.group);
    if (g && !placed.has(g.id)) {
      placed.add(g.id);
      out.push(group(g));
    }
    out.push(component(c));
  }
  for (const g of view.groups) if (!placed.has(g.id)) out.push(group(g));
  return out;
}

const shortlink = (view: StatusPageView, id: string): string | null => {
  const url = pageUrl(view);
  return url === null ? null : `${url}/incidents/${encodeURIComponent(id)}`;
};

/** The full component objects for `ids`, in the order given; an id no longer on the page is left out. */
function componentsById(view: StatusPageView, ids: readonly string[]): SpComponent[] {
  const all = new Map(statuspageComponents(view).map((c) => [c.id, c]));
  return ids.flatMap((id) => all.get(id) ?? []);
}

const affected = (a: AffectedComponent): SpAffectedComponent => ({
  code: a.code,
  name: a.name,
  old_status: a.oldStatus,
  new_status: a.newStatus,
});

const update = (incidentId: string, u: PublicUpdate): SpIncidentUpdate => ({
  id: u.id,
  status: u.status,
  body: u.body,
  incident_id: incidentId,
  created_at: u.createdAt,
  updated_at: u.createdAt,
  display_at: u.createdAt,
  affected_components: u.affectedComponents.map(affected),
  deliver_notifications: true,
  custom_tweet: null,
  tweet_id: null,
});

export const statuspageIncident = (view: StatusPageView, i: PublicIncident): SpIncident => ({
  id: i.id,
  name: i.name,
  status: i.status,
  impact: i.impact,
  created_at: i.createdAt,
  updated_at: i.updatedAt,
  started_at: i.startedAt,
  monitoring_at: i.monitoringAt,
  resolved_at: i.resolvedAt,
  shortlink: shortlink(view, i.id),
  page_id: STATUSPAGE_PAGE_ID,
  components: componentsById(view, i.components),
  incident_updates: i.updates.map((u) => update(i.id, u)),
});

/** A maintenance as Statuspage shows one: an incident of impact "maintenance" with one update, its notice. */
export const statuspageMaintenance = (view: StatusPageView, m: PublicMaintenance): SpMaintenance => ({
  id: m.id,
  name: m.name,
  status: m.status,
  impact: 'maintenance',
  created_at: m.createdAt,
  updated_at: m.updatedAt,
  started_at: m.scheduledFor,
  monitoring_at: null,
  resolved_at: m.status === 'completed' ? m.scheduledUntil : null,
  shortlink: shortlink(view, m.id),
  page_id: STATUSPAGE_PAGE_ID,
  components: componentsById(view, m.components),
  incident_updates: [
    {
      id: `${m.id}-1`,
      status: m.status,
      body: m.body,
      incident_id: m.id,
      created_at: m.createdAt,
      updated_at: m.createdAt,
      display_at: m.createdAt,
      affected_components: [],
      deliver_notifications: true,
      custom_tweet: null,
      tweet_id: null,
    },
  ],
  scheduled_for: m.scheduledFor,
  scheduled_until: m.scheduledUntil,
});

const isOpen = (i: PublicIncident): boolean => i.status !== 'resolved' && i.status !== 'postmortem';

/** status.json */
export const statuspageStatus = (view: StatusPageView) => ({
  page: statuspagePage(view),
  status: { indicator: view.indicator, description: view.description } satisfies SpStatus,
});

/** components.json */
export const statuspageComponentsDocument = (view: StatusPageView) => ({
  page: statuspagePage(view),
  components: statuspageComponents(view),
});

/** incidents.json: every incident the view holds (at most RECENT_INCIDENTS), resolved ones included. */
export const statuspageIncidents = (view: StatusPageView) => ({
  page: statuspagePage(view),
  incidents: view.incidents.map((i) => statuspageIncident(view, i)),
});

/** incidents/unresolved.json */
export const statuspageUnresolvedIncidents = (view: StatusPageView) => ({
  page: statuspagePage(view),
  incidents: view.incidents.filter(isOpen).map((i) => statuspageIncident(view, i)),
});

const maintenancesIn = (view: StatusPageView, statuses: readonly MaintenanceStatus[]) => ({
  page: statuspagePage(view),
  scheduled_maintenances: view.maintenances
    .filter((m) => statuses.includes(m.status))
    .map((m) => statuspageMaintenance(view, m)),
});

/** scheduled-maintenances.json */
export const statuspageMaintenances = (view: StatusPageView) =>
  maintenancesIn(view, ['scheduled', 'in_progress', 'completed']);

/** scheduled-maintenances/upcoming.json */
export const statuspageUpcomingMaintenances = (view: StatusPageView) => maintenancesIn(view, ['scheduled']);

/** scheduled-maintenances/active.json */
export const statuspageActiveMaintenances = (view: StatusPageView) => maintenancesIn(view, ['in_progress']);

/** summary.json: the page, its status, every component, the unresolved incidents and the upcoming and active maintenances. */
export const statuspageSummary = (view: StatusPageView) => ({
  ...statuspageStatus(view),
  components: statuspageComponents(view),
  incidents: statuspageUnresolvedIncidents(view).incidents,
  scheduled_maintenances: maintenancesIn(view, ['scheduled', 'in_progress']).scheduled_maintenances,
});

/** Every Statuspage document of the page, keyed by its path under api/v2/. */
export function statuspageDocuments(view: StatusPageView): Record<string, unknown> {
  return {
    'summary.json': statuspageSummary(view),
    'status.json': statuspageStatus(view),
    'components.json': statuspageComponentsDocument(view),
    'incidents.json': statuspageIncidents(view),
    'incidents/unresolved.json': statuspageUnresolvedIncidents(view),
    'scheduled-maintenances.json': statuspageMaintenances(view),
    'scheduled-maintenances/upcoming.json': statuspageUpcomingMaintenances(view),
    'scheduled-maintenances/active.json': statuspageActiveMaintenances(view),
  };
}
