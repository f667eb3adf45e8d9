import type { Catalog } from '../domain/catalog/types.js';
import { releaseBoundary, suspectDeploys, type SuspectDeploy } from '../domain/deploys/suspects.js';
import type { Deploy } from '../domain/deploys/types.js';
import { decide } from '../domain/incident/decide.js';
import type { IncidentEvent } from '../domain/incident/events.js';
import { apply, type Incident } from '../domain/incident/state.js';
import type { DeployRecord, StoreTx } from './ports.js';

/** How far back suspects are looked for. */
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
async function computeReleaseBoundary(
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

/**
 * The events that bring an incident's release boundary and suspects up to date: none when they did
 * not move, or when it is closed (its record is final) or not declared.
 */
export async function boundaryEvents(
  tx: Pick<StoreTx, 'listDeploys'>,
  state: Incident,
  catalog: Catalog | null,
  now: string,
): Promise<IncidentEvent[]> {
  if (state.status === 'closed' || state.status === 'new') return [];
  const { boundary, suspects } = await computeReleaseBoundary(tx, state, catalog);
  return decide({ type: 'SetReleaseBoundary', boundary, suspects, actor: SYSTEM_ACTOR }, state, now);
}

/**
 * Recomputes the release boundary of each of these incidents (see boundaryEvents), loading each once,
 * and appends a change, if any, in the caller's transaction. Answers the numbers of those that changed.
 */
export async function refreshBoundaries(
  tx: Pick<StoreTx, 'listDeploys' | 'append' | 'loadIncident'>,
  numbers: readonly number[],
  catalog: Catalog | null,
  now: string,
): Promise<number[]> {
  const updated: number[] = [];
  for (const number of numbers) {
    const loaded = await tx.loadIncident(number);
    if (!loaded) continue;
    const events = await boundaryEvents(tx, loaded.state, catalog, now);
    if (events.length === 0) continue;
    await tx.append(number, events, loaded.version, events.reduce(apply, loaded.state));
    updated.push(number);
  }
  return updated;
}

/**
 * For a command that took `before` to `after`: the boundary events to append with it when it moved
 * what the boundary depends on (the affected services or the impact start), else none.
 */
export async function boundaryEventsIfMoved(
  tx: Pick<StoreTx, 'listDeploys' | 'currentCatalog'>,
  before: Incident,
  after: Incident,
  now: string,
): Promise<IncidentEvent[]> {
  const moved =
    before.milestones.startedAt !== after.milestones.startedAt ||
    JSON.stringify(before.services) !== JSON.stringify(after.services);
  if (!moved) return [];
  const catalog = (await tx.currentCatalog())?.catalog ?? null;
  return boundaryEvents(tx, after, catalog, now);
}
