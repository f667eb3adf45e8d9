import { canonicalService } from '../domain/catalog/names.js';
import { conflict, forbidden, notFound, validationError, type FieldError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import { maintenanceStatus } from '../domain/status/maintenance.js';
import type { Maintenance, MaintenanceInput, MaintenanceStatus } from '../domain/status/types.js';
import type { Caller } from './auth.js';
import { getCatalog } from './catalog.js';
import type { ServiceDeps } from './deps.js';
import type { MaintenanceFilter } from './ports.js';

/** The longest maintenance that may be scheduled. */
export const MAX_MAINTENANCE_DAYS = 31;
const DAY_MS = 86_400_000;
const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;
const DATE_TIME_MESSAGE = 'must be an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z';

export type { MaintenanceInput };

/** A maintenance as answered: the stored record and its status now. */
export interface MaintenanceView extends Maintenance {
  status: MaintenanceStatus;
}

const view = (m: Maintenance, now: string): MaintenanceView => ({ ...m, status: maintenanceStatus(m, now) });

function assertResponder(principal: Pick<Caller, 'role'>): void {
  if (principal.role !== 'responder' && principal.role !== 'admin') {
    throw forbidden(`This needs the responder role; you have ${principal.role}.`);
  }
}

/** An instant as UTC ISO-8601, or undefined when it is not a real date-time with an offset. */
function instant(v: string): string | undefined {
  if (!ISO_WITH_OFFSET.test(v)) return undefined;
  const ms = Date.parse(v);
  if (Number.isNaN(ms)) return undefined;
  // Date.parse rolls 2026-02-30 over to March 2: the written day must exist.
  const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  if (day.getUTCMonth() !== m - 1 || day.getUTCDate() !== d || Number(v.slice(11, 13)) > 23) return undefined;
  return new Date(ms).toISOString();
}

/**
 * Schedules a maintenance of public services (responder or admin). Every broken rule is reported at
 * once; nothing is stored unless all hold. Times are stored as UTC.
 */
export async function scheduleMaintenance(
  deps: ServiceDeps,
  principal: Pick<Caller, 'role' | 'actor'>,
  input: MaintenanceInput,
): Promise<MaintenanceView> {
  assertResponder(principal);
  const now = deps.clock.now();
  const errors: FieldError[] = [];

  const title = input.title.trim();
  if (title === '') errors.push({ path: 'body.title', message: 'must not be empty' });
  else if (title.length > LIMITS.title) errors.push({ path: 'body.title', message: `must be at most ${LIMITS.title} characters` });
  const body = (input.body ?? '').trim();
  if (body.length > LIMITS.text) errors.push({ path: 'body.body', message: `must be at most ${LIMITS.text} characters` });

  const components: string[] = [];
  if (input.components.length === 0) errors.push({ path: 'body.components', message: 'must have at least 1 item' });
  else if (input.components.length > LIMITS.services) {
    errors.push({ path: 'body.components', message: `must have at most ${LIMITS.services} items` });
  } else {
    const { catalog } = await getCatalog(deps);
    const services = new Map((catalog?.services ?? []).map((s) => [s.name, s]));
    input.components.forEach((written, i) => {
      const name = canonicalService(written.trim());
      const service = services.get(name);
      const path = `body.components[${i}]`;
      if (!service) errors.push({ path, message: `${name} is not a service of the catalog` });
      else if (!service.public) errors.push({ path, message: `${name} is not on the status page (its catalog entry lacks public: true)` });
      else if (components.includes(name)) errors.push({ path, message: `${name} is listed twice` });
      else components.push(name);
    });
  }

  const startsAt = instant(input.startsAt);
  const endsAt = instant(input.endsAt);
  if (startsAt === undefined) errors.push({ path: 'body.startsAt', message: DATE_TIME_MESSAGE });
  if (endsAt === undefined) errors.push({ path: 'body.endsAt', message: DATE_TIME_MESSAGE });
  else if (Date.parse(endsAt) <= Date.parse(now)) errors.push({ path: 'body.endsAt', message: 'must be in the future' });
  else if (startsAt !== undefined) {
    const length = Date.parse(endsAt) - Date.parse(startsAt);
    if (length <= 0) errors.push({ path: 'body.endsAt', message: 'must be after startsAt' });
    else if (length > MAX_MAINTENANCE_DAYS * DAY_MS) {
      errors.push({ path: 'body.endsAt', message: `must be at most ${MAX_MAINTENANCE_DAYS} days after startsAt` });
    }
  }
  if (errors.length > 0 || startsAt === undefined || endsAt === undefined) throw validationError(errors);

  const m: Maintenance = {
    id: deps.ids.next(),
    title,
    body,
    components,
    startsAt,
    endsAt,
    createdAt: now,
    createdBy: principal.actor,
    cancelledAt: null,
  };
  await deps.store.createMaintenance(m);
  return view(m, now);
}

/** Maintenances not cancelled, with their status: one status's (by start; completed ones newest first), or all by start. */
export async function listMaintenances(
  deps: Pick<ServiceDeps, 'store' | 'clock'>,
  query: { state?: MaintenanceStatus; limit: number },
): Promise<{ items: MaintenanceView[] }> {
  const now = deps.clock.now();
  const filters: Record<MaintenanceStatus, Omit<MaintenanceFilter, 'limit'>> = {
    scheduled: { startsAfter: now },
    in_progress: { startedBy: now, endsAfter: now },
    completed: { endedBy: now, newestFirst: true },
  };
  const found = await deps.store.listMaintenances({ ...(query.state && filters[query.state]), limit: query.limit });
  return { items: found.map((m) => view(m, now)) };
}

/** One maintenance, cancelled or not; not_found when there is none. */
export async function getMaintenance(deps: Pick<ServiceDeps, 'store' | 'clock'>, id: string): Promise<MaintenanceView> {
  const m = await deps.store.findMaintenance(id);
  if (!m) throw notFound(`There is no maintenance ${id}.`);
  return view(m, deps.clock.now());
}

/**
 * Calls a maintenance off (responder or admin), scheduled or in progress: it leaves the status page.
 * Cancelling a cancelled one answers it unchanged; a completed one cannot be cancelled (conflict).
 */
export async function cancelMaintenance(
  deps: ServiceDeps,
  principal: Pick<Caller, 'role'>,
  id: string,
): Promise<MaintenanceView> {
  assertResponder(principal);
  const now = deps.clock.now();
  if (await deps.store.cancelMaintenance(id, now)) return getMaintenance(deps, id);
  const m = await getMaintenance(deps, id);
  if (m.cancelledAt !== null) return m;
  throw conflict(`Maintenance ${id} ended at ${m.endsAt}; a completed maintenance cannot be cancelled.`);
}
