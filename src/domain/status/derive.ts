import type { Service, System } from '../catalog/types.js';
import type { Incident, StatusUpdate } from '../incident/state.js';
import type { Severity } from '../incident/types.js';
import { maintenanceStatus } from './maintenance.js';
import {
  COMPONENT_STATES,
  HISTORY_DAYS,
  IMPACTS,
  RECENT_INCIDENTS,
  type AffectedComponent,
  type ComponentState,
  type ComponentView,
  type GroupView,
  type HistoryDay,
  type Maintenance,
  type PublicImpact,
  type PublicIncident,
  type PublicMaintenance,
  type PublicStatus,
  type PublicUpdate,
  type StatusPageSettings,
  type StatusPageView,
} from './types.js';

/** What the page is built from; the service layer loads it. */
export interface StatusInputs {
  settings: StatusPageSettings;
  catalog: { services: readonly Service[]; systems: readonly System[]; appliedAt: string } | null;
  /** Candidate incidents: open ones and recent ones; those with nothing public are left out here. */
  incidents: readonly Incident[];
  maintenances: readonly Maintenance[];
  now: string;
}

/** A public component's state while an open incident names it, by severity (an untriaged one reads as degraded). */
export const SEVERITY_COMPONENT_STATE: Record<Severity, ComponentState> = {
  SEV1: 'major_outage',
  SEV2: 'partial_outage',
  SEV3: 'degraded_performance',
  SEV4: 'operational',
};

/** An incident's public impact by severity. */
export const SEVERITY_IMPACT: Record<Severity, PublicImpact> = { SEV1: 'critical', SEV2: 'major', SEV3: 'minor', SEV4: 'none' };

const INDICATOR_DESCRIPTION: Record<PublicImpact, string> = {
  none: 'All Systems Operational',
  minor: 'Minor Service Outage',
  major: 'Partial System Outage',
  critical: 'Major Service Outage',
};
const UNDER_MAINTENANCE = 'Service Under Maintenance';

const COMPONENT_IMPACT: Record<ComponentState, PublicImpact> = {
  operational: 'none',
  under_maintenance: 'none',
  degraded_performance: 'minor',
  partial_outage: 'major',
  major_outage: 'critical',
};

const worstState = (states: Iterable<ComponentState>) => {
  let worst: ComponentState = 'operational';
  for (const s of states) if (COMPONENT_STATES.indexOf(s) > COMPONENT_STATES.indexOf(worst)) worst = s;
  return worst;
};
const worstImpact = (impacts: Iterable<PublicImpact>) => {
  let worst: PublicImpact = 'none';
  for (const i of impacts) if (IMPACTS.indexOf(i) > IMPACTS.indexOf(worst)) worst = i;
  return worst;
};
const latest = (times: Iterable<string | null | undefined>, fallback: string) => {
  let best = fallback;
  for (const t of times) if (t && t > best) best = t;
  return best;
};

const externalUpdates = (i: Incident) => i.updates.filter((u) => u.audience === 'external');

/** One incident as the public sees it, with what it does to each component while open. */
interface Projected {
  view: PublicIncident;
  open: boolean;
  /** Component id → the state this incident puts it in while open. */
  effects: Map<string, ComponentState>;
}

function lifecycleStatus(i: Incident, at: string): PublicStatus {
  const m = i.milestones;
  if (m.closedAt && m.closedAt <= at && i.postmortem?.summary.trim()) return 'postmortem';
  if (m.resolvedAt && m.resolvedAt <= at) return 'resolved';
  if (i.status === 'cancelled') return 'resolved';
  if (m.mitigatedAt && m.mitigatedAt <= at) return 'monitoring';
  return 'investigating';
}

/** The public status at `at`: the lifecycle's, unless an external update since the last lifecycle step said otherwise. */
function publicStatusAt(i: Incident, updates: readonly StatusUpdate[], at: string): PublicStatus {
  const life = lifecycleStatus(i, at);
  if (life === 'resolved' || life === 'postmortem') return life;
  const since = life === 'monitoring' ? i.milestones.mitigatedAt! : '';
  const said = updates.filter((u) => u.at <= at && u.at >= since && u.publicStatus).at(-1);
  return said?.publicStatus ?? life;
}

function project(i: Incident, publicServices: ReadonlyMap<string, Service>, settings: StatusPageSettings, now: string): Projected | null {
  if (i.status === 'new') return null;
  const updates = externalUpdates(i);
  const named = i.services.filter((s) => publicServices.has(s));
  if (updates.length === 0 && (named.length === 0 || i.status === 'cancelled')) return null;

  const base: ComponentState = i.severity ? SEVERITY_COMPONENT_STATE[i.severity] : 'degraded_performance';
  const effects = new Map<string, ComponentState>(named.map((s) => [s, base]));
  const publicUpdates: PublicUpdate[] = [];
  updates.forEach((u, k) => {
    const affected: AffectedComponent[] = [];
    for (const [id, state] of Object.entries(u.components ?? {})) {
      const service = publicServices.get(id);
      if (!service) continue;
      affected.push({ code: id, name: service.title, oldStatus: effects.get(id) ?? 'operational', newStatus: state });
      effects.set(id, state);
    }
    publicUpdates.push({ id: `${i.number}-${k + 1}`, status: publicStatusAt(i, updates, u.at), body: u.body, createdAt: u.at, affectedComponents: affected });
  });

  const m = i.milestones;
  const createdAt = m.declaredAt ?? i.lastEventAt ?? now;
  const status = publicStatusAt(i, updates, now);
  const resolvedAt = status === 'resolved' || status === 'postmortem' ? (m.resolvedAt ?? i.lastEventAt ?? now) : null;
  const view: PublicIncident = {
    id: String(i.number),
    name: updates.filter((u) => u.title).at(-1)?.title ?? settings.defaultIncidentTitle,
    status,
    impact: i.severity ? SEVERITY_IMPACT[i.severity] : 'minor',
    createdAt,
    updatedAt: latest([...updates.map((u) => u.at), m.mitigatedAt, resolvedAt, status === 'postmortem' ? m.closedAt : null], createdAt),
    startedAt: m.startedAt ?? createdAt,
    monitoringAt: m.mitigatedAt,
    resolvedAt,
    components: [...effects.keys()],
    updates: publicUpdates.reverse(),
  };
  return { view, open: status !== 'resolved' && status !== 'postmortem', effects };
}

function publicMaintenance(m: Maintenance, publicServices: ReadonlyMap<string, Service>, now: string): PublicMaintenance {
  const status = maintenanceStatus(m, now);
  const changedAt = status === 'completed' ? m.endsAt : status === 'in_progress' ? m.startsAt : m.createdAt;
  return {
    id: m.id,
    name: m.title,
    status,
    body: m.body,
    scheduledFor: m.startsAt,
    scheduledUntil: m.endsAt,
    createdAt: m.createdAt,
    updatedAt: latest([changedAt], m.createdAt),
    components: m.components.filter((c) => publicServices.has(c)),
  };
}

const dayOf = (iso: string) => iso.slice(0, 10);

function history(incidents: readonly PublicIncident[], now: string): HistoryDay[] {
  const today = Date.parse(`${dayOf(now)}T00:00:00.000Z`);
  return Array.from({ length: HISTORY_DAYS }, (_, d) => {
    const start = new Date(today - d * 86_400_000).toISOString();
    const end = new Date(today - (d - 1) * 86_400_000).toISOString();
    const touching = incidents.filter((i) => i.startedAt < end && (i.resolvedAt ?? now) >= start);
    return {
      date: dayOf(start),
      incidents: touching
        .sort((a, b) => (a.createdAt < b.createdAt ? 1 : -1))
        .map(({ id, name, impact, status }) => ({ id, name, impact, status })),
    };
  });
}

/** The public status page: only external updates, public services and maintenances reach it. */
export function deriveStatusPage(input: StatusInputs): StatusPageView {
  const { settings, catalog, now } = input;
  const services = (catalog?.services ?? []).filter((s) => s.public);
  const publicServices = new Map(services.map((s) => [s.name, s]));
  const appliedAt = catalog?.appliedAt ?? now;

  const projected = input.incidents.map((i) => project(i, publicServices, settings, now)).filter((p) => p !== null);
  const maintenances = input.maintenances
    .filter((m) => !m.cancelledAt)
    .map((m) => publicMaintenance(m, publicServices, now));
  const active = maintenances.filter((m) => m.status === 'in_progress');

  const stateOf = (id: string): ComponentState =>
    worstState([
      ...projected.filter((p) => p.open).flatMap((p) => (p.effects.has(id) ? [p.effects.get(id)!] : [])),
      ...(active.some((m) => m.components.includes(id)) ? (['under_maintenance'] as const) : []),
    ]);
  const changedAt = (id: string) =>
    latest(
      [
        ...projected
          .filter((p) => p.effects.has(id))
          .flatMap((p) => [p.view.createdAt, p.view.resolvedAt, ...p.view.updates.filter((u) => u.affectedComponents.some((a) => a.code === id)).map((u) => u.createdAt)]),
        ...maintenances.filter((m) => m.components.includes(id) && m.status !== 'scheduled').map((m) => m.updatedAt),
      ].filter((t) => t === null || t <= now),
      appliedAt,
    );

  // A service's system groups it whether or not the catalog describes the system itself.
  const groupOf = (s: Service) => s.system;
  const groupNames = [...new Set(services.map(groupOf).filter((g) => g !== null))];
  const ordered = [...groupNames.flatMap((g) => services.filter((s) => groupOf(s) === g)), ...services.filter((s) => groupOf(s) === null)];
  const components: ComponentView[] = ordered.map((s, k) => ({
    id: s.name,
    name: s.title,
    description: s.description,
    status: stateOf(s.name),
    group: groupOf(s),
    position: k + 1,
    createdAt: appliedAt,
    updatedAt: changedAt(s.name),
  }));
  const groups: GroupView[] = groupNames.map((g, k) => {
    const members = components.filter((c) => c.group === g);
    return {
      id: g,
      name: g,
      status: worstState(members.map((c) => c.status)),
      components: members.map((c) => c.id),
      position: k + 1,
      createdAt: appliedAt,
      updatedAt: latest(members.map((c) => c.updatedAt), appliedAt),
    };
  });

  const byNewest = (a: Projected, b: Projected) => b.view.createdAt.localeCompare(a.view.createdAt) || Number(b.view.id) - Number(a.view.id);
  const incidents = [...projected.filter((p) => p.open).sort(byNewest), ...projected.filter((p) => !p.open).sort(byNewest)]
    .slice(0, RECENT_INCIDENTS)
    .map((p) => p.view);
  const unresolved = incidents.filter((i) => i.status !== 'resolved' && i.status !== 'postmortem');

  const indicator = worstImpact([...unresolved.map((i) => i.impact), ...components.map((c) => COMPONENT_IMPACT[c.status])]);
  const description = indicator === 'none' && active.length > 0 ? UNDER_MAINTENANCE : INDICATOR_DESCRIPTION[indicator];

  const upcoming = maintenances.filter((m) => m.status !== 'completed').sort((a, b) => a.scheduledFor.localeCompare(b.scheduledFor));
  const done = maintenances.filter((m) => m.status === 'completed').sort((a, b) => b.scheduledUntil.localeCompare(a.scheduledUntil));

  return {
    page: {
      name: settings.title,
      url: settings.url,
      supportUrl: settings.supportUrl,
      updatedAt: latest([...components.map((c) => c.updatedAt), ...incidents.map((i) => i.updatedAt), ...maintenances.map((m) => m.updatedAt)].filter((t) => t <= now), appliedAt),
    },
    indicator,
    description,
    components,
    groups,
    incidents,
    maintenances: [...upcoming, ...done],
    history: history(incidents, now),
    generatedAt: now,
  };
}
