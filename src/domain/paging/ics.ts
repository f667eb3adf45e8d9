import ical from 'ical-generator';
import { safeHttpUrl } from '../outputs/escape.js';
import type { Shift } from './types.js';

/** A shift with the schedule it belongs to, as a per-person feed lists them. */
export interface ScheduledShift extends Shift {
  scheduleName: string;
}

interface FeedBase {
  /** The feed's name (X-WR-CALNAME), as calendar apps title the subscription. */
  name: string;
  description?: string;
  /** The feed's own http(s) address; anything else is left out. */
  url?: string;
  /** Every event's DTSTAMP; without it each event's is its own start, so a render depends on its input only. */
  stampAt?: string;
}

/**
 * What a feed lists: one schedule's shifts (each event names the person on call), or one person's
 * shifts across schedules (each event names the schedule).
 */
export type ShiftsCalendarInput = FeedBase &
  (
    | { kind: 'schedule'; scheduleName: string; shifts: readonly Shift[] }
    | { kind: 'person'; shifts: readonly ScheduledShift[] }
  );

/** The iCalendar PRODID of every feed. */
export const ICS_PRODID = '-//Firebreak//On-call//EN';

// Each part percent-encoded, so the UID holds no `/`, `@`, `,`, `;`, `\` or line break of its own.
const part = (s: string) => encodeURIComponent(s);

/** A shift's UID: the same schedule, person and start give the same UID on every render. */
export const shiftUid = (scheduleName: string, person: string, startAt: string): string =>
  `${part(scheduleName)}/${part(person)}/${part(new Date(startAt).toISOString())}@firebreak`;

// ical-generator 9 escapes event text but writes the calendar's NAME and X-WR-CALDESC as given.
const calendarText = (s: string) => s.replace(/[\\;,]/g, (c) => `\\${c}`).replace(/\r\n|\r|\n/g, '\\n');

const sourceText = (s: Shift) => (s.source.kind === 'layer' ? `Layer: ${s.source.layer}` : `Override: ${s.source.id}`);

/** An RFC 5545 calendar of on-call shifts, one VEVENT per shift, every time in UTC. */
export function shiftsCalendar(input: ShiftsCalendarInput): string {
  const url = input.url === undefined ? null : safeHttpUrl(input.url);
  const calendar = ical({
    prodId: { company: 'Firebreak', product: 'On-call', language: 'EN' },
    name: calendarText(input.name),
    ...(input.description !== undefined && { description: calendarText(input.description) }),
    ...(url !== null && { url }),
  });
  const events =
    input.kind === 'schedule'
      ? input.shifts.map((s) => ({ shift: s, scheduleName: input.scheduleName, summary: `On call: ${s.person}` }))
      : input.shifts.map((s) => ({ shift: s, scheduleName: s.scheduleName, summary: `On call: ${s.scheduleName}` }));
  for (const { shift, scheduleName, summary } of events) {
    calendar.createEvent({
      id: shiftUid(scheduleName, shift.person, shift.startAt),
      start: shift.startAt,
      end: shift.endAt,
      stamp: input.stampAt ?? shift.startAt,
      summary,
      description: sourceText(shift),
    });
  }
  return calendar.toString();
}
