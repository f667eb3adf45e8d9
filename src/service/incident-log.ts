import type { IncidentCommand } from '../domain/incident/commands.js';
import { decide } from '../domain/incident/decide.js';
import type { IncidentEvent } from '../domain/incident/events.js';
import { apply, initialIncident, type Incident } from '../domain/incident/state.js';
import { enqueueNotifications } from './outbox.js';
import type { LoadedIncident, StoreTx } from './ports.js';
import { scheduleTimers, type TimerWrites } from './timers.js';

/**
 * An incident as one transaction found it, and what has been decided on it since. Every path that
 * changes an incident (commands, declarations, alert batches, attaches, boundary refreshes) fills a
 * draft and ends in `appendDraft`, the one place its log grows.
 */
export interface Draft {
  readonly number: number;
  /** The version the log was at when loaded: the optimistic check of the append. */
  readonly baseVersion: number;
  /** The state when loaded, for deciding what moved. */
  readonly base: Incident;
  state: Incident;
  events: IncidentEvent[];
}

/** A draft of an incident that does not exist yet (its number allocated). */
export function newDraft(number: number): Draft {
  const base = initialIncident(number);
  return { number, baseVersion: 0, base, state: base, events: [] };
}

/** A draft of a loaded incident. */
export const draftOf = (number: number, loaded: LoadedIncident): Draft => ({
  number,
  baseVersion: loaded.version,
  base: loaded.state,
  state: loaded.state,
  events: [],
});

/** Applies already decided events to the draft. */
export function applyTo(draft: Draft, events: readonly IncidentEvent[]): void {
  if (events.length === 0) return;
  draft.state = events.reduce(apply, draft.state);
  draft.events.push(...events);
}

/** Decides one command on the draft's current state and applies what it decided (gates throw here). */
export function decideOn(draft: Draft, cmd: IncidentCommand, now: string): IncidentEvent[] {
  const events = decide(cmd, draft.state, now);
  applyTo(draft, events);
  return events;
}

/** Appends the draft's events at its base version (a no-op when nothing was decided); true when it appended. */
export async function appendDraft(tx: Pick<StoreTx, 'append' | 'enqueueNotificationMessages' | 'currentCatalog'> & TimerWrites, draft: Draft): Promise<boolean> {
  if (draft.events.length === 0) return false;
  await tx.append(draft.number, draft.events, draft.baseVersion, draft.state);
  await enqueueNotifications(tx, draft);
  await scheduleTimers(tx, draft);
  return true;
}
