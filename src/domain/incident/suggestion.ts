import { findService, onCallFor, ownerOf } from '../catalog/queries.js';
import type { Catalog } from '../catalog/types.js';

/** Who the catalog says should command an incident on these services, and why. */
export interface CommanderSuggestion {
  person: string;
  /** The owning team whose rotation named the person; null for a service a person owns. */
  team: string | null;
  service: string;
  reason: string;
}

/**
 * The commander the catalog suggests at `at`: for the first affected service (in the incident's order)
 * whose owner names someone, the owning team's on-call person by its rotation at `at`, or the person who
 * owns the service. Null when no service is known to the catalog or no owner names anyone then (no
 * rotation, a rotation not started yet, a team the catalog does not define).
 */
export function suggestCommander(
  catalog: Pick<Catalog, 'services' | 'teams' | 'users'> | null,
  services: readonly string[],
  at: string,
): CommanderSuggestion | null {
  if (catalog === null) return null;
  for (const name of services) {
    const service = findService(catalog, name);
    if (!service) continue;
    const owner = ownerOf(catalog, service);
    const person = onCallFor(owner, at);
    if (person === null) continue;
    if (owner.team) {
      const rotation = owner.team.onCall?.rotation ?? 'daily';
      return {
        person,
        team: owner.team.name,
        service: service.name,
        reason: `on call for ${owner.team.name} (${rotation} rotation), which owns ${service.name}`,
      };
    }
    return { person, team: null, service: service.name, reason: `owns ${service.name}` };
  }
  return null;
}
