import type { Catalog } from '../domain/catalog/types.js';
import { releaseBoundary, suspectDeploys, type SuspectDeploy } from '../domain/deploys/suspects.js';
import type { Deploy } from '../domain/deploys/types.js';
import { decide } from '../domain/incident/decide.js';
import type { IncidentEvent } from '../domain/incident/events.js';
import type { Incident } from '../domain/incident/state.js';
import { appendDraft, applyTo, draftOf, type Draft } from './incident-log.js';
import type { TimerWrites } from './timers.js';
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
  tx: Pick<StoreTx, 'listDeploys' | 'currentCatalog' | 'append' | 'enqueueNotificationMessages' | 'loadIncident'> & TimerWrites,
  numbers: readonly number[],
  catalog: Catalog | null,
  now: string,
): Promise<number[]> {
  const updated: number[] = [];
  for (const number of numbers) {
    const loaded = await tx.loadIncident(number);
    if (!loaded) continue;
    const draft = draftOf(number, loaded);
    await settleBoundary(tx, draft, now, catalog);
    if (await appendDraft(tx, draft)) updated.push(number);
  }
  return updated;
}

/**
 * Brings a draft's release boundary up to date: with a catalog given, always; without, only when the
 * draft moved what the boundary depends on (the affected services or the impact start) since it was
 * loaded, reading the current catalog then.
 */
export async function settleBoundary(
  tx: Pick<StoreTx, 'listDeploys' | 'currentCatalog'>,
  draft: Draft,
  now: string,
  catalog?: Catalog | null,
): Promise<void> {
  if (catalog === undefined) {
    const { base, state } = draft;
    const moved =
      base.milestones.startedAt !== state.milestones.startedAt || JSON.stringify(base.services) !== JSON.stringify(state.services);
    if (!moved) return;
    catalog = (await tx.currentCatalog())?.catalog ?? null;
  }
  applyTo(draft, await boundaryEvents(tx, draft.state, catalog, now));
}
