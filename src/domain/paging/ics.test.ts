import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { ICS_PRODID, type ScheduledShift, shiftsCalendar, shiftUid } from './ics.js';
import type { Shift } from './types.js';

// RFC 7986 NAME is TEXT, and X- properties default to TEXT (RFC 5545 3.8.8.2); ical.js 2 reads
// properties it does not know as raw values, so it is told, to unescape them as calendar apps do.
for (const name of ['name', 'x-wr-calname', 'x-wr-caldesc']) {
  ICAL.design.icalendar.property[name] = { defaultType: 'text' };
}

/** The feed as a calendar app reads it: its own properties and every event, times as UTC instants. */
function parsed(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  const events = calendar.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      startAt: e.startDate.toJSDate().toISOString(),
      endAt: e.endDate.toJSDate().toISOString(),
      utc: e.startDate.zone?.tzid === 'UTC' && e.endDate.zone?.tzid === 'UTC',
      stamp: String(c.getFirstPropertyValue('dtstamp')),
    };
  });
  const prop = (name: string) => calendar.getFirstPropertyValue(name);
  return {
    name: calendar.name,
    version: prop('version'),
    prodId: prop('prodid'),
    calName: prop('x-wr-calname'),
    rfc7986Name: prop('name'),
    description: prop('x-wr-caldesc'),
    url: prop('url'),
    events,
  };
}

const shift = (person: string, startAt: string, endAt: string, layer = 'primary'): Shift => ({
  person,
  startAt,
  endAt,
  source: { kind: 'layer', layer },
});

const WEEK: Shift[] = [
  shift('ana', '2026-03-02T09:00:00.000Z', '2026-03-09T09:00:00.000Z'),
  shift('ben', '2026-03-09T09:00:00.000Z', '2026-03-16T08:00:00.000Z'),
  {
    person: 'chloé',
    startAt: '2026-03-16T08:00:00.000Z',
    endAt: '2026-03-16T20:00:00.000Z',
    source: { kind: 'override', id: 'ov-1' },
  },
];

const HOSTILE = 'O\'Brien, Ana; "ops"\\team\nBEGIN:VEVENT\nUID:evil 🚨 東京';

describe('shiftsCalendar', () => {
  it('lists each shift of a schedule once, in UTC, named after the person on call', () => {
    const ics = shiftsCalendar({ kind: 'schedule', name: 'Payments on call', scheduleName: 'payments', shifts: WEEK });
    const feed = parsed(ics);
    assert.deepEqual(
      [feed.name, feed.version, feed.prodId, feed.calName, feed.rfc7986Name],
      ['vcalendar', '2.0', ICS_PRODID, 'Payments on call', 'Payments on call'],
    );
    assert.equal(ICS_PRODID, '-//Firebreak//On-call//EN');
    assert.deepEqual(
      feed.events,
      WEEK.map((s) => ({
        uid: shiftUid('payments', s.person, s.startAt),
        summary: `On call: ${s.person}`,
        description: s.source.kind === 'layer' ? `Layer: ${s.source.layer}` : `Override: ${s.source.id}`,
        startAt: s.startAt,
        endAt: s.endAt,
        utc: true,
        stamp: ICAL.Time.fromJSDate(new Date(s.startAt), true).toString(),
      })),
    );
    assert.match(ics, /^BEGIN:VCALENDAR\r\n[\s\S]*\r\nEND:VCALENDAR$/);
    assert.match(ics, /\r\nDTSTART:20260302T090000Z\r\nDTEND:20260309T090000Z\r\n/);
  });

  it('gives the same UIDs and the same text on every render; the UID depends on schedule, person and start only', () => {
    const input = { kind: 'schedule', name: 'P', scheduleName: 'payments', shifts: WEEK } as const;
    assert.equal(shiftsCalendar(input), shiftsCalendar({ ...input, shifts: WEEK.map((s) => ({ ...s })) }));
    assert.deepEqual(
      parsed(shiftsCalendar(input)).events.map((e) => e.uid),
      [
        'payments/ana/2026-03-02T09%3A00%3A00.000Z@firebreak',
        'payments/ben/2026-03-09T09%3A00%3A00.000Z@firebreak',
        'payments/chlo%C3%A9/2026-03-16T08%3A00%3A00.000Z@firebreak',
      ],
    );
    const moved: Shift = { ...WEEK[0]!, endAt: '2026-03-10T09:00:00.000Z', source: { kind: 'override', id: 'x' } };
    const longer = { ...input, shifts: [moved] };
    assert.equal(parsed(shiftsCalendar(longer)).events[0]?.uid, parsed(shiftsCalendar(input)).events[0]?.uid);
    const start = WEEK[0]!.startAt;
    assert.equal(shiftUid('payments', 'ana', '2026-03-02T10:00:00+01:00'), shiftUid('payments', 'ana', start));
    assert.notEqual(shiftUid('a/b', 'c', start), shiftUid('a', 'b/c', start));
  });

  it("lists one person's shifts across schedules, each named after its schedule, with the schedule feed's UIDs", () => {
    const mine: ScheduledShift[] = [
      { ...WEEK[0]!, scheduleName: 'payments' },
      { ...shift('ana', '2026-03-20T00:00:00.000Z', '2026-03-21T00:00:00.000Z'), scheduleName: 'search' },
    ];
    const feed = parsed(shiftsCalendar({ kind: 'person', name: "Ana's shifts", shifts: mine }));
    assert.deepEqual(
      feed.events.map((e) => [e.summary, e.uid, e.startAt, e.endAt]),
      [
        ['On call: payments', shiftUid('payments', 'ana', mine[0]!.startAt), mine[0]!.startAt, mine[0]!.endAt],
        ['On call: search', shiftUid('search', 'ana', mine[1]!.startAt), mine[1]!.startAt, mine[1]!.endAt],
      ],
    );
    const perSchedule = parsed(shiftsCalendar({ kind: 'schedule', name: 'P', scheduleName: 'payments', shifts: WEEK }));
    assert.equal(feed.events[0]?.uid, perSchedule.events[0]?.uid);
  });

  it('round-trips hostile names exactly: commas, semicolons, quotes, backslashes, line breaks, emoji', () => {
    const ics = shiftsCalendar({
      kind: 'schedule',
      name: HOSTILE,
      description: `${HOSTILE}\nsecond line`,
      scheduleName: HOSTILE,
      shifts: [shift(HOSTILE, WEEK[0]!.startAt, WEEK[0]!.endAt, HOSTILE)],
    });
    const feed = parsed(ics);
    assert.deepEqual([feed.calName, feed.rfc7986Name, feed.description], [HOSTILE, HOSTILE, `${HOSTILE}\nsecond line`]);
    assert.equal(feed.events.length, 1);
    const [event] = feed.events;
    assert.deepEqual(
      [event?.summary, event?.description, event?.uid],
      [`On call: ${HOSTILE}`, `Layer: ${HOSTILE}`, shiftUid(HOSTILE, HOSTILE, WEEK[0]!.startAt)],
    );
    assert.match(event?.uid ?? '', /^[A-Za-z0-9%._~!'()*/-]+@firebreak$/);
    assert.equal(ics.match(/^BEGIN:VEVENT$/gm)?.length, 1);
    for (const line of ics.split('\r\n')) assert.ok(Buffer.byteLength(line) <= 75, line);
  });

  it('writes CR LF and a lone CR in a name as the one line break iCalendar has', () => {
    const name = 'a\r\nb\rc';
    const shifts = [shift(name, WEEK[0]!.startAt, WEEK[0]!.endAt)];
    const feed = parsed(shiftsCalendar({ kind: 'schedule', name, scheduleName: 's', shifts }));
    assert.deepEqual([feed.calName, feed.events[0]?.summary], ['a\nb\nc', 'On call: a\nb\nc']);
  });

  it('renders an empty feed as a valid calendar, and a per-person feed with nobody on call too', () => {
    for (const ics of [
      shiftsCalendar({ kind: 'schedule', name: 'Quiet', scheduleName: 'quiet', shifts: [] }),
      shiftsCalendar({ kind: 'person', name: 'Quiet', shifts: [] }),
    ]) {
      const feed = parsed(ics);
      assert.deepEqual(
        [feed.name, feed.version, feed.prodId, feed.calName, feed.events],
        ['vcalendar', '2.0', ICS_PRODID, 'Quiet', []],
      );
    }
  });

  it('stamps every event with stampAt when given, keeps an http(s) url, and leaves any other url out', () => {
    const feed = parsed(
      shiftsCalendar({
        kind: 'schedule',
        name: 'P',
        scheduleName: 'payments',
        shifts: WEEK,
        stampAt: '2026-03-01T12:30:00.000Z',
        url: 'https://firebreak.example/api/v1/schedules/payments/shifts.ics',
      }),
    );
    assert.deepEqual(new Set(feed.events.map((e) => e.stamp)), new Set(['2026-03-01T12:30:00Z']));
    assert.equal(feed.url, 'https://firebreak.example/api/v1/schedules/payments/shifts.ics');
    const bad = parsed(
      shiftsCalendar({ kind: 'schedule', name: 'P', scheduleName: 'p', shifts: [], url: 'javascript:alert(1)' }),
    );
    assert.equal(bad.url, null);
  });
});
