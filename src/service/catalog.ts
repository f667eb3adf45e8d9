import type { Catalog } from '../domain/catalog/types.js';
import type { ServiceDeps } from './deps.js';
import type { StoreTx } from './ports.js';

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
  const current = { version: record?.version ?? 0, catalog: record?.catalog ?? null };
  cache.set(deps.store, current);
  return current;
}

/** The catalog in force as seen inside a transaction (after a catalog applied in it). */
export async function catalogInTx(tx: Pick<StoreTx, 'currentCatalog'>): Promise<Catalog | null> {
  return (await tx.currentCatalog())?.catalog ?? null;
}
