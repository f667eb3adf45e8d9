import { type Check, isoTime, Issues } from '../catalog/check.js';
import type { AlertStatus } from './types.js';

/** A sender's date-time: as UTC, and as it was written (for the note when it is read as unset). */
export interface SenderTime {
  at: string;
  raw: string;
}

const iso = isoTime();

/** An ISO-8601 date-time with a zone, kept with its text as sent. */
export const senderTime: Check<SenderTime> = (v, path, is) => {
  const at = iso(v, path, is);
  return at === undefined ? undefined : { at, raw: String(v) };
};

const UNREADABLE = '';

/**
 * As senderTime, for peers whose whole group is lost on a refusal: a time that is not ISO-8601 is
 * kept as unreadable, so alertTimes reads it as unset and says so.
 */
export const lenientSenderTime: Check<SenderTime> = (v, path) => {
  const at = iso(v, path, new Issues(1));
  if (at !== undefined) return { at, raw: String(v) };
  const raw = typeof v === 'string' ? v : JSON.stringify(v) ?? String(v);
  return { at: UNREADABLE, raw: raw.length > 64 ? `${raw.slice(0, 63)}…` : raw };
};

/** Go's zero time: how Alertmanager and Grafana write "no time". */
const GO_ZERO = '0001-01-01T00:00:00.000Z';
const EARLIEST = '2000-01-01T00:00:00.000Z';
const DAY_MS = 86_400_000;

function unsetBecause(at: string, receivedAt: string): string | null {
  if (at === UNREADABLE) return 'not an ISO-8601 date-time with a time zone';
  if (at === GO_ZERO) return 'Go zero time';
  if (at < EARLIEST) return 'before 2000';
  if (Date.parse(at) - Date.parse(receivedAt) > DAY_MS) return 'more than a day after receivedAt';
  return null;
}

/** An alert's times as stored, with the notes for the `firebreak.time` annotation. */
export interface AlertTimes {
  startsAt: string;
  endsAt: string | null;
  /** No usable startsAt was given: receivedAt (or endsAt) stands in. */
  startsAtUnset: boolean;
  notes: string[];
}

/**
 * The one reading of a sender's startsAt and endsAt, for every sender. Go's zero time, a time before
 * 2000 and a time more than a day after the request's receivedAt (never the wall clock) are unset. An
 * unset startsAt is receivedAt, or endsAt should that be earlier; an unset endsAt is receivedAt on a
 * resolved alert and none on a firing one. Every unset time given is noted, except Go's zero endsAt:
 * that is how Alertmanager and Grafana say "not ended". `names` are the sender's field names.
 */
export function alertTimes(
  given: { startsAt: SenderTime | null; endsAt: SenderTime | null },
  status: AlertStatus,
  receivedAt: string,
  names: { startsAt: string; endsAt: string } = { startsAt: 'startsAt', endsAt: 'endsAt' },
): AlertTimes {
  const why = (t: SenderTime | null) => (t === null ? null : unsetBecause(t.at, receivedAt));
  const startWhy = why(given.startsAt);
  const endWhy = why(given.endsAt);
  const start = given.startsAt && startWhy === null ? given.startsAt.at : null;
  const end = given.endsAt && endWhy === null ? given.endsAt.at : null;
  const endsAt = end ?? (status === 'resolved' ? receivedAt : null);
  const fallback = endsAt !== null && endsAt < receivedAt ? endsAt : receivedAt;
  const notes: string[] = [];
  if (given.startsAt && startWhy) {
    const used = fallback === receivedAt ? 'receivedAt' : 'endsAt';
    notes.push(`${names.startsAt} ${given.startsAt.raw} read as unset (${startWhy}); ${used} used`);
  }
  if (given.endsAt && endWhy && given.endsAt.at !== GO_ZERO) {
    const used = status === 'resolved' ? '; receivedAt used' : '';
    notes.push(`${names.endsAt} ${given.endsAt.raw} read as unset (${endWhy})${used}`);
  }
  return { startsAt: start ?? fallback, endsAt, startsAtUnset: start === null, notes };
}
