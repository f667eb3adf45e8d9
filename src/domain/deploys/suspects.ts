import type { Catalog } from '../catalog/types.js';
import type { ConfigDelta, Deploy } from './types.js';

/** A deploy that may have caused an incident, with how close before the impact it landed. */
export interface SuspectDeploy {
  deploy: Deploy;
  minutesBeforeImpact: number;
  relation: 'affected' | 'dependency';
  /** For a dependency: the affected services that depend on it. */
  via: string[];
  configDeltas: ConfigDelta[];
}

const ms = (iso: string) => Date.parse(iso);

/** When the deploy took effect: when it finished, or when it started if it has not finished (or finished after `limit`). */
function landedAt(d: Deploy, limit = Infinity): number {
  const finished = d.finishedAt === null ? NaN : ms(d.finishedAt);
  return Number.isNaN(finished) || finished > limit ? ms(d.startedAt) : finished;
}

/** the newest succeeded deploy of an affected service that landed at or before the impact started. */
export function releaseBoundary(
  deploys: readonly Deploy[],
  affectedServices: readonly string[],
  impactStartedAt: string,
): Deploy | null {
  const impact = ms(impactStartedAt);
  if (Number.isNaN(impact)) return null;
  let best: Deploy | null = null;
  for (const d of deploys) {
    if (d.status !== 'succeeded' || !affectedServices.includes(d.service)) continue;
    const at = landedAt(d);
    if (at <= impact && (best === null || at > landedAt(best))) best = d;
  }
  return best;
}

/**
 * deploys of the affected services and of their direct dependencies that started
 * within `lookbackHours` before the impact, closest first. One level only: transitive chains fan
 * out fast and bury the likely cause; add a service to the incident to widen the search.
 */
export function suspectDeploys(
  deploys: readonly Deploy[],
  affectedServices: readonly string[],
  catalog: Pick<Catalog, 'services'> | null,
  impactStartedAt: string,
  lookbackHours = 24,
): SuspectDeploy[] {
  const impact = ms(impactStartedAt);
  if (Number.isNaN(impact) || !(lookbackHours >= 0)) return [];
  const from = impact - lookbackHours * 3_600_000;
  const via = new Map<string, string[]>();
  for (const s of catalog?.services ?? []) {
    if (!affectedServices.includes(s.name)) continue;
    for (const dep of s.dependsOn) if (!affectedServices.includes(dep)) via.set(dep, [...(via.get(dep) ?? []), s.name]);
  }
  return deploys
    .flatMap((d): (SuspectDeploy & { at: number })[] => {
      const affected = affectedServices.includes(d.service);
      if (!affected && !via.has(d.service)) return [];
      const at = landedAt(d, impact);
      if (ms(d.startedAt) > impact || at < from || Number.isNaN(at)) return [];
      const minutesBeforeImpact = Math.round((impact - at) / 60_000);
      const relation = affected ? 'affected' : 'dependency';
      return [
        { deploy: d, minutesBeforeImpact, relation, via: via.get(d.service) ?? [], configDeltas: d.configDeltas, at },
      ];
    })
    .sort((a, b) => b.at - a.at || (a.relation === b.relation ? 0 : a.relation === 'affected' ? -1 : 1))
    .map(({ at: _at, ...s }) => s);
}
