import type { LeverKind } from '../incident/types.js';
import { canonicalService } from './names.js';
import type { AlertMatcher, Catalog, Lever, Person, Service, Team } from './types.js';
import { matcherRegex } from './validate.js';

const DAY_MS = 86_400_000;
const PERIOD_MS = { daily: DAY_MS, weekly: 7 * DAY_MS } as const;

/**
 * Who is on call at `at`: `order[0]` for the first period from `startsAt`, then the next, round and
 * round. Periods are exact UTC days or weeks (no daylight-saving shifts); null before the rotation starts.
 */
export function onCallNow(team: Team, at: string): string | null {
  const { onCall } = team;
  if (onCall === null || onCall.order.length === 0) return null;
  const elapsed = Date.parse(at) - Date.parse(onCall.startsAt);
  if (!Number.isFinite(elapsed) || elapsed < 0) return null;
  const turn = Math.floor(elapsed / PERIOD_MS[onCall.rotation]);
  return onCall.order[turn % onCall.order.length] ?? null;
}

// undo the change (rollback, flag) before narrowing behaviour (reject the path,
// read-only), before degrading (fallback, rate-limit), before moving or adding capacity, which
// does not help when a change is the cause.
const KIND_ORDER: readonly LeverKind[] = [
  'rollback',
  'feature-flag',
  'reject-path',
  'read-only',
  'fallback',
  'rate-limit',
  'failover',
  'scale',
  'other',
];

/** The service's levers, fail-closed first, then those that preserve data, then by kind (see KIND_ORDER). */
export function rankLevers(service: Pick<Service, 'levers'>): Lever[] {
  return [...service.levers].sort(
    (a, b) =>
      Number(b.failClosed) - Number(a.failClosed) ||
      Number(b.preservesData) - Number(a.preservesData) ||
      KIND_ORDER.indexOf(a.kind) - KIND_ORDER.indexOf(b.kind),
  );
}

function matches(m: AlertMatcher, labels: Readonly<Record<string, string>>): boolean {
  if (!Object.hasOwn(labels, m.label)) return false;
  const value = labels[m.label];
  if (typeof value !== 'string') return false;
  if ('value' in m) return value === m.value;
  try {
    return matcherRegex(m.regex).test(value);
  } catch {
    return false;
  }
}

/**
 * The service an alert belongs to: the first service (catalog order) whose matchers all match;
 * failing that, the service named by a `service` label, the label most exporters already set.
 */
export function routeAlert(
  catalog: Pick<Catalog, 'services'>,
  labels: Readonly<Record<string, string>>,
  named: string | null = null,
): string | null {
  const matched = catalog.services.find(
    (s) => s.alertMatchers.length > 0 && s.alertMatchers.every((m) => matches(m, labels)),
  );
  if (matched) return matched.name;
  const service = named ?? (Object.hasOwn(labels, 'service') ? labels.service : undefined);
  return service === undefined ? null : (findService(catalog, service)?.name ?? null);
}

/** The service a GitHub repository (`owner/name`, case-insensitive as on GitHub) deploys; first in catalog order. */
export function serviceForRepository(catalog: Pick<Catalog, 'services'>, fullName: string): string | null {
  const wanted = fullName.toLowerCase();
  return catalog.services.find((s) => s.repository?.toLowerCase() === wanted)?.name ?? null;
}

/** The service of that name, written `checkout`, `default/checkout` or `payments/checkout`; or undefined. */
export function findService(catalog: Pick<Catalog, 'services'>, name: string): Service | undefined {
  const wanted = canonicalService(name);
  return catalog.services.find((s) => s.name === wanted);
}

/** The team of that name, or undefined. */
export const findTeam = (catalog: Pick<Catalog, 'teams'>, name: string): Team | undefined =>
  catalog.teams.find((t) => t.name === name);

const USER = 'user:';

/** Who owns a service: its team when a team of the catalog owns it, or the person (`user:<name>`) who does. */
export function ownerOf(
  catalog: Pick<Catalog, 'teams' | 'users'>,
  service: Pick<Service, 'owner'>,
): { team: Team | null; person: Person | null } {
  if (!service.owner.startsWith(USER)) return { team: findTeam(catalog, service.owner) ?? null, person: null };
  const name = service.owner.slice(USER.length);
  return { team: null, person: catalog.users.find((u) => u.name === name) ?? { name, title: name, email: null } };
}

/** Who is on call for a service at `at`: its team's rotation, or the person who owns it. */
export function onCallFor(owner: { team: Team | null; person: Person | null }, at: string): string | null {
  return owner.team ? onCallNow(owner.team, at) : (owner.person?.name ?? null);
}

/** A catalog as stored by an earlier version, with the fields added since at their defaults. */
export function upgradeCatalog(stored: Catalog): Catalog {
  return {
    ...stored,
    services: stored.services.map((s) => ({ ...s, escalationPolicy: s.escalationPolicy ?? null, warnings: s.warnings ?? [] })),
    users: stored.users ?? [],
    schedules: stored.schedules ?? [],
    escalationPolicies: stored.escalationPolicies ?? [],
    ignored: stored.ignored.map((i) => ({ ...i, reason: i.reason ?? 'Firebreak does not read these entities' })),
    warnings: stored.warnings ?? [],
  };
}
