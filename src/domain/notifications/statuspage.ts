import type { Service, System } from '../catalog/types.js';
import type { IncidentEvent } from '../incident/events.js';
import type { Incident } from '../incident/state.js';
import { deriveStatusPage } from '../status/derive.js';
import { STATUSPAGE_PAGE_ID, statuspageComponents, statuspageIncident, type SpIncident } from '../status/statuspage.js';
import type { ComponentState, ComponentView, PublicImpact, PublicIncident, StatusPageView } from '../status/types.js';

/**
 * One message for status page subscribers: what the public page shows of one incident after a
 * transaction's events, and nothing else (no internal title, update or person). Built from the same
 * projection as the page (deriveStatusPage), with this incident alone on it.
 */
export interface PublicNotification {
  kind: 'public_incident' | 'public_component';
  /** The event that caused it (the transaction's last relevant one), and the transaction's last seq. */
  event: string;
  seq: number;
  at: string;
  /** The incident as the page shows it; `name` is null until an external update names it (the page's default then). */
  incident: Omit<PublicIncident, 'name'> & { name: string | null };
  /** The public components the incident names or changed, in the state this incident leaves them. */
  components: ComponentView[];
  /** The page's indicator and its description, as this incident alone makes them. */
  indicator: PublicImpact;
  description: string;
  /** A component message's change; null on an incident message. */
  change: { component: string; oldStatus: ComponentState; newStatus: ComponentState } | null;
}

/** The catalog in force, as the page reads it. */
export interface PublicCatalog {
  services: readonly Service[];
  systems: readonly System[];
  appliedAt: string;
}

const LIFECYCLE = new Set<string>(['IncidentDeclared', 'SeverityChanged', 'StatusChanged', 'PostmortemWritten']);

/** Whether the events could change what the public page shows (only then is the catalog worth reading). */
export const mayChangePublic = (events: readonly IncidentEvent[]): boolean =>
  events.some((e) => (e.type === 'UpdatePosted' && e.data.audience === 'external') || LIFECYCLE.has(e.type));

// Settings only shape the page around the incident, which the formatter supplies; '' marks "not named".
const SHAPE = { title: '', url: null, supportUrl: null, defaultIncidentTitle: '' };

const pageOf = (i: Incident, catalog: PublicCatalog | null, at: string): StatusPageView =>
  deriveStatusPage({ settings: SHAPE, catalog, incidents: [i], maintenances: [], now: at });

/**
 * The subscriber messages of one transaction: one incident message when an external update was posted or
 * the public status moved (including the incident appearing), and one component message per public
 * component whose state this incident changed, comparing the page before and after the events.
 */
export function publicNotificationsFor(
  before: Incident,
  events: readonly IncidentEvent[],
  state: Incident,
  catalog: PublicCatalog | null,
): PublicNotification[] {
  const last = events.at(-1);
  if (!last || !mayChangePublic(events)) return [];
  const at = last.at;
  const seq = before.version + events.length;
  const was = pageOf(before, catalog, at);
  const now = pageOf(state, catalog, at);
  const oldIncident = was.incidents[0];
  const incident = now.incidents[0];
  const shownIncident = incident ?? oldIncident;
  if (!shownIncident) return [];
  const oldState = new Map(was.components.map((c) => [c.id, c.status]));
  const changed = now.components.filter((c) => (oldState.get(c.id) ?? 'operational') !== c.status);
  const shown = new Set([...(incident?.components ?? []), ...changed.map((c) => c.id)]);
  const components = now.components.filter((c) => shown.has(c.id));
  const trigger = [...events].reverse().find((e) => (e.type === 'UpdatePosted' && e.data.audience === 'external') || LIFECYCLE.has(e.type))!;
  const base = {
    event: trigger.type,
    seq,
    at,
    incident: { ...shownIncident, name: shownIncident.name === '' ? null : shownIncident.name, ...(!incident && { components: [] }) },
    components,
    indicator: now.indicator,
    description: now.description,
  };
  const out: PublicNotification[] = [];
  const posted = events.some((e) => e.type === 'UpdatePosted' && e.data.audience === 'external');
  if (incident && (posted || !oldIncident || oldIncident.status !== incident.status)) out.push({ kind: 'public_incident', ...base, change: null });
  for (const c of changed) {
    out.push({ kind: 'public_component', ...base, change: { component: c.id, oldStatus: oldState.get(c.id) ?? 'operational', newStatus: c.status } });
  }
  return out;
}

/** What a subscriber body needs besides the message: the page's name, address and default incident name. */
export interface StatuspageContext {
  title: string;
  /** The page's public address without a trailing slash, or null. */
  url: string | null;
  defaultIncidentTitle: string;
}

/** Where a subscriber reads what these bodies hold: Statuspage's own description of its subscriber webhooks. */
export const STATUSPAGE_WEBHOOK_DOCS = 'https://support.atlassian.com/statuspage/docs/enable-webhook-notifications/';

export interface StatuspageMeta {
  unsubscribe: string | null;
  documentation: string;
}
export interface StatuspagePageRef {
  id: string;
  status_indicator: PublicImpact;
  status_description: string;
}
export interface StatuspageIncidentBody {
  meta: StatuspageMeta;
  page: StatuspagePageRef;
  incident: SpIncident;
}
export interface StatuspageComponentBody {
  meta: StatuspageMeta;
  page: StatuspagePageRef;
  component_update: { created_at: string; new_status: ComponentState; old_status: ComponentState; id: string; component_id: string };
  component: { created_at: string; id: string; name: string; status: ComponentState };
}

/**
 * The body a Statuspage subscriber webhook gets: `meta`, `page`, and either `incident` (the incident
 * object of the page's API, with its public updates) or `component_update` and `component`.
 */
export function formatStatuspage(n: PublicNotification, ctx: StatuspageContext): StatuspageIncidentBody | StatuspageComponentBody {
  const view: StatusPageView = {
    page: { name: ctx.title, url: ctx.url, supportUrl: null, updatedAt: n.at },
    indicator: n.indicator,
    description: n.description,
    components: n.components,
    groups: [],
    incidents: [],
    maintenances: [],
    history: [],
    generatedAt: n.at,
  };
  const meta: StatuspageMeta = { unsubscribe: ctx.url, documentation: STATUSPAGE_WEBHOOK_DOCS };
  const page: StatuspagePageRef = { id: STATUSPAGE_PAGE_ID, status_indicator: n.indicator, status_description: n.description };
  if (n.change === null) {
    return { meta, page, incident: statuspageIncident(view, { ...n.incident, name: n.incident.name ?? ctx.defaultIncidentTitle }) };
  }
  const { component: id, oldStatus, newStatus } = n.change;
  const c = statuspageComponents(view).find((x) => x.id === id);
  return {
    meta,
    page,
    component_update: { created_at: n.at, new_status: newStatus, old_status: oldStatus, id: `${n.incident.id}-${n.seq}-${id}`, component_id: id },
    component: { created_at: c?.created_at ?? n.at, id, name: c?.name ?? id, status: newStatus },
  };
}
