import type { Catalog } from '../domain/catalog/types.js';
import { suggestCommander } from '../domain/incident/suggestion.js';
import { catalogInTx } from './catalog.js';
import { decideOn, type Draft } from './incident-log.js';
import type { StoreTx } from './ports.js';
import { SYSTEM_ACTOR } from './release-boundary.js';

/**
 * Records on a just-declared draft who the catalog in force suggests as commander at `now` (the owning
 * team's on-call person, or the person owning the service), as a CommanderSuggested event, unless a
 * commander was named at declaration or the catalog names no one. Pass the catalog when the caller
 * holds it already; otherwise it is read in the transaction.
 */
export async function suggestCommanderOn(
  tx: Pick<StoreTx, 'currentCatalog'>,
  draft: Draft,
  now: string,
  catalog?: Catalog | null,
): Promise<void> {
  const { state } = draft;
  if (state.roles.commander !== null || state.services.length === 0) return;
  const suggestion = suggestCommander(catalog === undefined ? await catalogInTx(tx) : catalog, state.services, now);
  if (suggestion) decideOn(draft, { type: 'SuggestCommander', actor: SYSTEM_ACTOR, ...suggestion }, now);
}
