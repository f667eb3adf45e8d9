import type { Catalog } from '../domain/catalog/types.js';
import { releaseBoundary, suspectDeploys, type SuspectDeploy } from '../domain/deploys/suspects.js';
import type { Deploy } from '../domain/deploys/types.js';
import { decide } from '../domain/incident/decide.js';
import { apply, type Incident } from '../domain/incident/state.js';
import type { DeployRecord, LoadedIncident, StoreTx } from './ports.js';

/** How far back suspects are looked for (SPEC §2.2). */
export const LOOKBACK_HOURS = 24;
/** Deploys read per query; far more than one look-back window of a busy service holds. */
const MAX_DEPLOYS = 1000;

/** A deploy as the incident keeps it: the domain fields, without the store's bookkeeping. */
export const plainDeploy = ({ id: _id, receivedAt: _r, updatedAt: _u, ...d }: DeployRecord): Deploy => d;

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
  const impactMs = Date.parse(impact);
  if (Number.isNaN(impactMs)) return { boundary: null, suspects: [] };
  // The store compares stored UTC strings; an impact written with an offset must be UTC too.
  const until = new Date(impactMs).toISOString();
  const since = new Date(impactMs - LOOKBACK_HOURS * 3_600_000).toISOString();
  const [recent, upToImpact] = await Promise.all([
    tx.listDeploys({ services: [...new Set([...affected, ...dependencies])], since, until, limit: MAX_DEPLOYS }),
    tx.listDeploys({ services: affected, until, limit: MAX_DEPLOYS }),
  ]);
  return {
    boundary: releaseBoundary(upToImpact.map(plainDeploy), affected, impact),
    suspects: suspectDeploys(recent.map(plainDeploy), affected, catalog, impact, LOOKBACK_HOURS),
  };
}

/** Who the service records as the author of boundary recomputations. */
export const SYSTEM_ACTOR = 'firebreak';

type BoundaryTx = Pick<StoreTx, 'listDeploys' | 'append'>;

/**
 * Recomputes a loaded incident's release boundary and suspects and records a change, if any, in the
 * caller's transaction. Closed incidents are left alone: their record is final (SPEC §3).
 * Answers the incident as it stands afterwards: `loaded` itself when nothing changed.
 */
async function refreshLoaded(tx: BoundaryTx, loaded: LoadedIncident, catalog: Catalog | null, now: string): Promise<LoadedIncident> {
  if (loaded.state.status === 'closed' || loaded.state.status === 'new') return loaded;
  const { boundary, suspects } = await computeReleaseBoundary(tx, loaded.state, catalog);
  const events = decide({ type: 'SetReleaseBoundary', boundary, suspects, actor: SYSTEM_ACTOR }, loaded.state, now);
  if (events.length === 0) return loaded;
  const state = events.reduce(apply, loaded.state);
  await tx.append(loaded.state.number, events, loaded.version, state);
  return { state, version: state.version };
}

/**
 * Recomputes the release boundary of each of these incidents (see refreshLoaded), loading each once.
 * Answers the numbers of those whose boundary or suspects changed.
 */
export async function refreshBoundaries(
  tx: BoundaryTx & Pick<StoreTx, 'loadIncident'>,
  numbers: readonly number[],
  catalog: Catalog | null,
  now: string,
): Promise<number[]> {
  const updated: number[] = [];
  for (const number of numbers) {
    const loaded = await tx.loadIncident(number);
    if (loaded && (await refreshLoaded(tx, loaded, catalog, now)) !== loaded) updated.push(number);
  }
  return updated;
}

/**
 * After a command appended `after`: recomputes when it moved what the boundary depends on (the
 * affected services or the impact start). Answers the new state, or `after` unchanged.
 */
export async function refreshBoundaryIfMoved(
  tx: BoundaryTx & Pick<StoreTx, 'currentCatalog'>,
  before: Incident,
  after: Incident,
  now: string,
): Promise<Incident> {
  const moved =
    before.milestones.startedAt !== after.milestones.startedAt ||
    JSON.stringify(before.services) !== JSON.stringify(after.services);
  if (!moved) return after;
  const catalog = (await tx.currentCatalog())?.catalog ?? null;
  return (await refreshLoaded(tx, { state: after, version: after.version }, catalog, now)).state;
}
