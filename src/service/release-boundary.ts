import type { Catalog } from '../domain/catalog/types.js';
import { releaseBoundary, suspectDeploys, type SuspectDeploy } from '../domain/deploys/suspects.js';
import type { Deploy } from '../domain/deploys/types.js';
import type { Incident } from '../domain/incident/state.js';
import type { DeployRecord, StoreTx } from './ports.js';

/** How far back suspects are looked for (SPEC §2.2). */
export const LOOKBACK_HOURS = 24;
/** Deploys read per query; far more than one look-back window of a busy service holds. */
const MAX_DEPLOYS = 1000;

/** A deploy as the incident keeps it: the domain fields, without the store's bookkeeping. */
const plain = ({ id: _id, receivedAt: _r, updatedAt: _u, ...d }: DeployRecord): Deploy => d;

/**
 * The release boundary and suspect deploys of an incident as the deploys and catalog stand now:
 * suspects from the affected services and their direct dependencies in the look-back window, the
 * boundary from the affected services' deploys up to the impact, however old.
 */
export async function computeReleaseBoundary(
  tx: Pick<StoreTx, 'listDeploys'>,
  incident: Pick<Incident, 'services' | 'milestones'>,
  catalog: Catalog | null,
): Promise<{ boundary: Deploy | null; suspects: SuspectDeploy[] }> {
  const impact = incident.milestones.startedAt;
  const affected = incident.services;
  if (impact === null || affected.length === 0) return { boundary: null, suspects: [] };
  const dependencies = (catalog?.services ?? []).filter((s) => affected.includes(s.name)).flatMap((s) => s.dependsOn);
  const since = new Date(Date.parse(impact) - LOOKBACK_HOURS * 3_600_000).toISOString();
  const [recent, upToImpact] = await Promise.all([
    tx.listDeploys({ services: [...new Set([...affected, ...dependencies])], since, until: impact, limit: MAX_DEPLOYS }),
    tx.listDeploys({ services: affected, until: impact, limit: MAX_DEPLOYS }),
  ]);
  return {
    boundary: releaseBoundary(upToImpact.map(plain), affected, impact),
    suspects: suspectDeploys(recent.map(plain), affected, catalog, impact, LOOKBACK_HOURS),
  };
}
