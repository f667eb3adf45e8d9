import { parseCatalogYaml, upgradeCatalog, validateCatalog } from '../domain/catalog/index.js';
import type { Catalog } from '../domain/catalog/types.js';
import { type FieldError, isFirebreakError, validationError } from '../domain/errors.js';
import { formatIncidentId } from '../domain/incident/types.js';
import type { ServiceDeps } from './deps.js';
import type { StoreTx } from './ports.js';
import { refreshBoundaries } from './release-boundary.js';

/** The catalog in force and its version; version 0 and no catalog when none was ever applied. */
export interface CurrentCatalog {
  version: number;
  catalog: Catalog | null;
}

const cache = new WeakMap<object, CurrentCatalog>();

/**
 * The catalog in force, parsed once per version: a cheap version read per call keeps every instance
 * current after another one applies a new catalog.
 */
export async function getCatalog(deps: Pick<ServiceDeps, 'store'>): Promise<CurrentCatalog> {
  const version = await deps.store.catalogVersion();
  const cached = cache.get(deps.store);
  if (cached && cached.version === version) return cached;
  const record = await deps.store.currentCatalog();
  const current = { version: record?.version ?? 0, catalog: record ? upgradeCatalog(record.catalog) : null };
  cache.set(deps.store, current);
  return current;
}

/** The catalog in force as seen inside a transaction (after a catalog applied in it). */
export async function catalogInTx(tx: Pick<StoreTx, 'currentCatalog'>): Promise<Catalog | null> {
  const record = await tx.currentCatalog();
  return record ? upgradeCatalog(record.catalog) : null;
}

/** The media types PUT /api/v1/catalog reads, by format. */
export const CATALOG_MEDIA_TYPES = {
  yaml: ['application/yaml', 'application/x-yaml', 'text/yaml'],
  json: ['application/json'],
} as const;

export type CatalogFormat = keyof typeof CATALOG_MEDIA_TYPES;

/** What applying a catalog answers: the new version and what it holds. */
export interface AppliedCatalog {
  version: number;
  appliedAt: string;
  services: number;
  teams: number;
  systems: number;
  ignored: Catalog['ignored'];
  /** What was applied with a caveat: owners not in the catalog, removed services open incidents still name. */
  warnings: FieldError[];
  /** Open incidents whose release boundary or suspects changed with the new catalog. */
  incidentsUpdated: number[];
}

/**
 * The documents of a JSON catalog. Three shapes: one document (an object with `apiVersion`), an
 * array of documents, or `{"items": [...]}` as the Backstage catalog API lists entities.
 */
function jsonDocuments(text: string): unknown[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw validationError([{ path: 'body', message: 'is not valid JSON' }], 'The catalog is not valid JSON.');
  }
  if (Array.isArray(value)) return value;
  if (value !== null && typeof value === 'object' && !Object.hasOwn(value, 'apiVersion') && Object.hasOwn(value, 'items')) {
    const items = (value as { items: unknown }).items;
    if (Array.isArray(items)) return items;
    throw validationError([{ path: 'body.items', message: 'expected an array of documents' }], 'The catalog is not valid.');
  }
  if (value !== null && typeof value === 'object') return [value];
  throw validationError(
    [{ path: 'body', message: 'expected a document, an array of documents or {"items": [...]}' }],
    'The catalog is not valid.',
  );
}

/** Parses and validates a whole catalog; throws one validation error listing every problem. */
export function readCatalog(text: string, format: CatalogFormat): Catalog {
  return validateCatalog(format === 'json' ? jsonDocuments(text) : parseCatalogYaml(text));
}

/**
 * Validates the catalog whole, then in one transaction stores it as the new version and recomputes
 * the release boundary of every open incident it can touch; an invalid catalog changes nothing.
 */
export async function applyCatalog(
  deps: ServiceDeps,
  input: { text: string; format: CatalogFormat },
  actor: string,
): Promise<AppliedCatalog> {
  const catalog = readCatalog(input.text, input.format);
  const applied = await retryConflicts(() =>
    deps.store.transaction(async (tx) => {
      const now = deps.clock.now();
      const previous = await catalogInTx(tx);
      const warnings = [...catalog.warnings, ...(await stillNamed(tx, previous, catalog))];
      const version = await tx.saveCatalog({ ...catalog, warnings }, actor, now);
      // Services the old or the new catalog names: their incidents' dependencies may have moved.
      const names = new Set([...(previous?.services ?? []), ...catalog.services].map((s) => s.name));
      const incidentsUpdated = await refreshBoundaries(tx, await tx.openIncidentsFor([...names]), catalog, now);
      tx.notify({ kind: 'catalog' });
      return { version, appliedAt: now, incidentsUpdated, warnings };
    }),
  );
  deps.log.info({ version: applied.version, actor, services: catalog.services.length }, 'catalog applied');
  return {
    version: applied.version,
    appliedAt: applied.appliedAt,
    services: catalog.services.length,
    teams: catalog.teams.length,
    systems: catalog.systems.length,
    ignored: catalog.ignored,
    warnings: applied.warnings,
    incidentsUpdated: applied.incidentsUpdated,
  };
}

/**
 * A warning per open incident that names a service the new catalog drops: the incident keeps the name
 * (its record is not rewritten), but the service page, playbook and routing are gone.
 */
async function stillNamed(
  tx: Pick<StoreTx, 'openIncidentsFor' | 'loadIncident'>,
  previous: Catalog | null,
  next: Catalog,
): Promise<FieldError[]> {
  const kept = new Set(next.services.map((s) => s.name));
  const removed = (previous?.services ?? []).map((s) => s.name).filter((n) => !kept.has(n));
  if (removed.length === 0) return [];
  const numbers = [...(await tx.openIncidentsFor(removed))].sort((a, b) => a - b);
  const warnings: FieldError[] = [];
  for (const number of numbers) {
    const services = (await tx.loadIncident(number))?.state.services ?? [];
    for (const name of removed.filter((n) => services.includes(n))) {
      const id = formatIncidentId(number);
      warnings.push({ path: 'services', message: `${name} is named by open incident ${id}; it keeps its service name` });
    }
  }
  return warnings;
}

/** The catalog record in force without its body: version 0 when none was ever applied. */
export async function catalogStatus(deps: Pick<ServiceDeps, 'store'>) {
  const record = await deps.store.currentCatalog();
  const catalog = record && upgradeCatalog(record.catalog);
  return {
    version: record?.version ?? 0,
    appliedAt: record?.appliedAt ?? null,
    appliedBy: record?.appliedBy ?? null,
    services: catalog?.services.length ?? 0,
    teams: catalog?.teams.length ?? 0,
    systems: catalog?.systems.length ?? 0,
    ignored: catalog?.ignored ?? [],
    warnings: catalog?.warnings ?? [],
  };
}

const CONFLICT_ATTEMPTS = 3;

/** Runs a write again when another writer won a race (a catalog version, an incident's version). */
export async function retryConflicts<T>(write: () => Promise<T>, attempts = CONFLICT_ATTEMPTS): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await write();
    } catch (err) {
      if (!isFirebreakError(err, 'conflict') || i >= attempts) throw err;
    }
  }
}
