import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DateTime } from 'luxon';
import { validationErrors as errorsOf } from '../catalog/test-kit.js';
import { finalShifts, oncallAt, SCHEDULE_LIMITS, scheduleGaps, validateSchedule } from './schedule.js';
import type { Restriction, Schedule, ScheduleLayer, ScheduleOverride, Shift } from './types.js';

const Z = (s: string) => `${s}:00.000Z`;

/** A layer shift written `YYYY-MM-DDTHH:MM` in UTC. */
const at = (person: string, from: string, to: string, layer = 'main'): Shift => ({
  person,
  startAt: Z(from),
  endAt: Z(to),
  source: { kind: 'layer', layer },
});
const by = (person: string, from: string, to: string, id: string): Shift => ({
  person,
  startAt: Z(from),
  endAt: Z(to),
  source: { kind: 'override', id },
});

const layer = (more: Partial<ScheduleLayer> = {}): ScheduleLayer => ({
  name: 'main',
  start: '2026-03-02T09:00',
  unit: 'week',
  every: 1,
  members: ['ana', 'ben', 'cy'],
  restrictions: [],
  ...more,
});
const schedule = (timeZone: string, layers: ScheduleLayer[], overrides: ScheduleOverride[] = []): Schedule => ({
  name: 'payments-primary',
  timeZone,
  layers,
  overrides,
});
const override = (id: string, person: string, from: string, to: string): ScheduleOverride => ({
  id,
  person,
  startAt: Z(from),
  endAt: Z(to),
});
const shifts = (s: Schedule, from: string, to: string) => finalShifts(s, Z(from), Z(to));

const WEEKDAYS_9_TO_5: Restriction = { days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' };

describe('finalShifts: rotations across DST', () => {
  // Berlin: CET (UTC+1) until 2026-03-29T01:00Z, CEST (UTC+2) until 2026-10-25T01:00Z.
  const weekly = schedule('Europe/Berlin', [layer()]);

  it('hands a weekly rotation over on Monday 09:00 Berlin time across the March DST start', () => {
    assert.deepEqual(shifts(weekly, '2026-03-16T08:00', '2026-04-06T07:00'), [
      at('cy', '2026-03-16T08:00', '2026-03-23T08:00'),
      at('ana', '2026-03-23T08:00', '2026-03-30T07:00'),
      at('ben', '2026-03-30T07:00', '2026-04-06T07:00'),
    ]);
  });

  it('hands a weekly rotation over on Monday 09:00 Berlin time across the October DST end', () => {
    assert.deepEqual(shifts(weekly, '2026-10-12T07:00', '2026-11-02T08:00'), [
      at('cy', '2026-10-12T07:00', '2026-10-19T07:00'),
      at('ana', '2026-10-19T07:00', '2026-10-26T08:00'),
      at('ben', '2026-10-26T08:00', '2026-11-02T08:00'),
    ]);
  });

  it('clips the shifts at the ends of the period', () => {
    assert.deepEqual(shifts(weekly, '2026-03-20T00:00', '2026-03-31T00:00'), [
      at('cy', '2026-03-20T00:00', '2026-03-23T08:00'),
      at('ana', '2026-03-23T08:00', '2026-03-30T07:00'),
      at('ben', '2026-03-30T07:00', '2026-03-31T00:00'),
    ]);
  });

  it('has nobody before the layer starts', () => {
    assert.deepEqual(shifts(weekly, '2026-02-01T00:00', '2026-03-09T08:00'), [
      at('ana', '2026-03-02T08:00', '2026-03-09T08:00'),
    ]);
    assert.deepEqual(shifts(weekly, '2026-02-01T00:00', '2026-03-02T08:00'), []);
  });

  // New York: EST (UTC-5) until 2026-03-08T07:00Z, EDT (UTC-4) until 2026-11-01T06:00Z.
  const daily = schedule('America/New_York', [layer({ start: '2026-03-06T09:00', unit: 'day', members: ['ana', 'ben'] })]);

  it('gives a daily rotation a 23-hour shift on the day DST starts in New York', () => {
    assert.deepEqual(shifts(daily, '2026-03-06T14:00', '2026-03-09T13:00'), [
      at('ana', '2026-03-06T14:00', '2026-03-07T14:00'),
      at('ben', '2026-03-07T14:00', '2026-03-08T13:00'),
      at('ana', '2026-03-08T13:00', '2026-03-09T13:00'),
    ]);
  });

  it('gives a daily rotation a 25-hour shift on the day DST ends in New York', () => {
    assert.deepEqual(shifts(daily, '2026-10-30T13:00', '2026-11-02T14:00'), [
      at('ana', '2026-10-30T13:00', '2026-10-31T13:00'),
      at('ben', '2026-10-31T13:00', '2026-11-01T14:00'),
      at('ana', '2026-11-01T14:00', '2026-11-02T14:00'),
    ]);
  });

  it('moves a handoff that falls in the spring-forward gap forward by the gap: 02:30 becomes 03:30', () => {
    const s = schedule('America/New_York', [layer({ start: '2026-03-07T02:30', unit: 'day', members: ['ana', 'ben', 'cy'] })]);
    assert.deepEqual(shifts(s, '2026-03-07T07:30', '2026-03-10T06:30'), [
      at('ana', '2026-03-07T07:30', '2026-03-08T07:30'),
      at('ben', '2026-03-08T07:30', '2026-03-09T06:30'),
      at('cy', '2026-03-09T06:30', '2026-03-10T06:30'),
    ]);
  });

  it('hands over at the first 01:30 when DST ends and 01:30 happens twice', () => {
    const s = schedule('America/New_York', [layer({ start: '2026-10-31T01:30', unit: 'day', members: ['ana', 'ben', 'cy'] })]);
    assert.deepEqual(shifts(s, '2026-10-31T05:30', '2026-11-02T06:30'), [
      at('ana', '2026-10-31T05:30', '2026-11-01T05:30'),
      at('ben', '2026-11-01T05:30', '2026-11-02T06:30'),
    ]);
  });

  it('counts hourly rotations in elapsed hours, so local handoff times move an hour with DST', () => {
    const s = schedule('America/New_York', [layer({ start: '2026-03-08T00:00', unit: 'hour', every: 8 })]);
    // 00:00 EST, then 09:00 and 17:00 EDT: each turn is exactly 8 hours, the local 02:00–03:00 does not exist.
    assert.deepEqual(shifts(s, '2026-03-08T05:00', '2026-03-09T05:00'), [
      at('ana', '2026-03-08T05:00', '2026-03-08T13:00'),
      at('ben', '2026-03-08T13:00', '2026-03-08T21:00'),
      at('cy', '2026-03-08T21:00', '2026-03-09T05:00'),
    ]);
  });

  it('follows a half-hour DST change (Lord Howe Island, +11:00 to +10:30 on 5 April 2026)', () => {
    const night: Restriction = { days: ['sun'], from: '01:00', to: '03:00' };
    const s = schedule('Australia/Lord_Howe', [
      layer({ name: 'daily', start: '2026-04-01T09:00', unit: 'day', members: ['ana', 'ben', 'cy'] }),
      layer({ name: 'night', start: '2026-04-01T00:00', members: ['dan'], restrictions: [night] }),
    ]);
    // 01:00 at +11:00 is 14:00Z; 03:00 at +10:30 is 16:30Z: the two-hour window lasts two and a half.
    assert.deepEqual(shifts(s, '2026-04-03T22:00', '2026-04-05T22:30'), [
      at('ana', '2026-04-03T22:00', '2026-04-04T14:00', 'daily'),
      at('dan', '2026-04-04T14:00', '2026-04-04T16:30', 'night'),
      at('ana', '2026-04-04T16:30', '2026-04-04T22:30', 'daily'),
      at('ben', '2026-04-04T22:30', '2026-04-05T22:30', 'daily'),
    ]);
  });

  it('rotates monthly from the 31st: clamped to the month end, back on the 31st, never drifting', () => {
    const s = schedule('Europe/Berlin', [layer({ start: '2026-01-31T09:00', unit: 'month', members: ['ana', 'ben'] })]);
    assert.deepEqual(shifts(s, '2026-01-01T00:00', '2026-05-31T07:00'), [
      at('ana', '2026-01-31T08:00', '2026-02-28T08:00'),
      at('ben', '2026-02-28T08:00', '2026-03-31T07:00'),
      at('ana', '2026-03-31T07:00', '2026-04-30T07:00'),
      at('ben', '2026-04-30T07:00', '2026-05-31T07:00'),
    ]);
  });

  it('finds the turn in force far after the start (a leap-year February, every 2 months)', () => {
    const s = schedule('UTC', [layer({ start: '2026-08-31T00:00', unit: 'month', every: 2, members: ['ana', 'ben'] })]);
    // Turns on 2026-08-31, 10-31, 12-31, 2027-02-28, 04-30 … 2027-12-31 is turn 8, 2028-02-29 turn 9.
    assert.deepEqual(shifts(s, '2028-01-15T00:00', '2028-03-15T00:00'), [
      at('ana', '2028-01-15T00:00', '2028-02-29T00:00'),
      at('ben', '2028-02-29T00:00', '2028-03-15T00:00'),
    ]);
  });

  it('merges one person’s consecutive turns of the same layer into one shift', () => {
    const s = schedule('Europe/Berlin', [layer({ unit: 'day', members: ['ana'] })]);
    assert.deepEqual(shifts(s, '2026-03-02T08:00', '2026-03-05T08:00'), [at('ana', '2026-03-02T08:00', '2026-03-05T08:00')]);
  });
});

describe('finalShifts: restrictions and layers', () => {
  it('covers only weekdays 09:00–17:00 Berlin time, across the weekend DST starts', () => {
    const s = schedule('Europe/Berlin', [layer({ start: '2026-01-05T09:00', restrictions: [WEEKDAYS_9_TO_5] })]);
    // Friday 27 March in CET, Monday 30 March in CEST; Saturday and Sunday nobody.
    assert.deepEqual(shifts(s, '2026-03-27T00:00', '2026-03-31T00:00'), [
      at('cy', '2026-03-27T08:00', '2026-03-27T16:00'),
      at('ana', '2026-03-30T07:00', '2026-03-30T15:00'),
    ]);
  });

  it('runs an overnight restriction 22:00–06:00 into the next day, by the day it starts on', () => {
    const nights: Restriction = { days: ['fri', 'sat'], from: '22:00', to: '06:00' };
    const s = schedule('Europe/Berlin', [layer({ start: '2026-01-05T09:00', members: ['ana'], restrictions: [nights] })]);
    // Saturday night crosses the DST start: 22:00 CET to 06:00 CEST is 7 hours. Thursday's night is not listed.
    assert.deepEqual(shifts(s, '2026-03-26T00:00', '2026-03-30T00:00'), [
      at('ana', '2026-03-27T21:00', '2026-03-28T05:00'),
      at('ana', '2026-03-28T21:00', '2026-03-29T04:00'),
    ]);
    // A period that starts during Friday's night begins with the rest of it.
    assert.deepEqual(shifts(s, '2026-03-28T02:00', '2026-03-28T12:00'), [at('ana', '2026-03-28T02:00', '2026-03-28T05:00')]);
  });

  it('cuts a turn at the handoff inside a restriction window', () => {
    const nights: Restriction = { days: ['sun'], from: '22:00', to: '10:00' };
    const s = schedule('Europe/Berlin', [layer({ restrictions: [nights] })]);
    // Sunday 8 March 22:00 CET to Monday 10:00; the Monday 09:00 handoff passes it from ana to ben.
    assert.deepEqual(shifts(s, '2026-03-08T00:00', '2026-03-10T00:00'), [
      at('ana', '2026-03-08T21:00', '2026-03-09T08:00'),
      at('ben', '2026-03-09T08:00', '2026-03-09T09:00'),
    ]);
  });

  it('takes the whole day for a restriction from 00:00 to 00:00, and merges touching windows', () => {
    const s = schedule('UTC', [
      layer({
        start: '2026-01-05T00:00',
        members: ['ana'],
        restrictions: [
          { days: ['sat'], from: '00:00', to: '00:00' },
          { days: ['sun'], from: '00:00', to: '12:00' },
        ],
      }),
    ]);
    assert.deepEqual(shifts(s, '2026-01-09T00:00', '2026-01-12T00:00'), [at('ana', '2026-01-10T00:00', '2026-01-11T12:00')]);
  });

  it('moves a restriction that starts in the spring-forward gap to after it', () => {
    const early: Restriction = { days: ['sat', 'sun', 'mon'], from: '02:30', to: '04:00' };
    const s = schedule('America/New_York', [layer({ start: '2026-01-05T00:00', members: ['ana'], restrictions: [early] })]);
    // Sunday 8 March 02:30 does not exist: the window runs from 03:30 EDT (07:30Z) to 04:00 EDT, 30 minutes.
    assert.deepEqual(shifts(s, '2026-03-07T00:00', '2026-03-10T00:00'), [
      at('ana', '2026-03-07T07:30', '2026-03-07T09:00'),
      at('ana', '2026-03-08T07:30', '2026-03-08T08:00'),
      at('ana', '2026-03-09T06:30', '2026-03-09T08:00'),
    ]);
  });

  it('lets the last layer win where it has someone and the one below cover the rest', () => {
    const base = layer({ name: 'base', start: '2026-01-01T00:00', members: ['ana'] });
    const business = layer({ name: 'business', start: '2026-01-05T09:00', members: ['ben'], restrictions: [WEEKDAYS_9_TO_5] });
    assert.deepEqual(shifts(schedule('Europe/Berlin', [base, business]), '2026-01-05T00:00', '2026-01-07T00:00'), [
      at('ana', '2026-01-05T00:00', '2026-01-05T08:00', 'base'),
      at('ben', '2026-01-05T08:00', '2026-01-05T16:00', 'business'),
      at('ana', '2026-01-05T16:00', '2026-01-06T08:00', 'base'),
      at('ben', '2026-01-06T08:00', '2026-01-06T16:00', 'business'),
      at('ana', '2026-01-06T16:00', '2026-01-07T00:00', 'base'),
    ]);
    assert.deepEqual(shifts(schedule('Europe/Berlin', [business, base]), '2026-01-05T00:00', '2026-01-07T00:00'), [
      at('ana', '2026-01-05T00:00', '2026-01-07T00:00', 'base'),
    ]);
  });

  it('leaves the lower layer in charge before the upper layer starts', () => {
    const base = layer({ name: 'base', start: '2026-01-01T00:00', members: ['ana'] });
    const top = layer({ name: 'top', start: '2026-01-10T00:00', members: ['ben'] });
    assert.deepEqual(shifts(schedule('UTC', [base, top]), '2026-01-09T00:00', '2026-01-11T00:00'), [
      at('ana', '2026-01-09T00:00', '2026-01-10T00:00', 'base'),
      at('ben', '2026-01-10T00:00', '2026-01-11T00:00', 'top'),
    ]);
  });
});

describe('finalShifts: overrides', () => {
  const weekly = (overrides: ScheduleOverride[]) => schedule('Europe/Berlin', [layer()], overrides);

  it('splits the shift an override falls inside into before, override and after', () => {
    const s = weekly([override('o1', 'cy', '2026-03-10T12:00', '2026-03-11T12:00')]);
    assert.deepEqual(shifts(s, '2026-03-09T08:00', '2026-03-16T08:00'), [
      at('ben', '2026-03-09T08:00', '2026-03-10T12:00'),
      by('cy', '2026-03-10T12:00', '2026-03-11T12:00', 'o1'),
      at('ben', '2026-03-11T12:00', '2026-03-16T08:00'),
    ]);
  });

  it('keeps an override by the person already on call as its own shift', () => {
    const s = weekly([override('swap', 'ben', '2026-03-10T12:00', '2026-03-11T12:00')]);
    assert.deepEqual(shifts(s, '2026-03-09T08:00', '2026-03-16T08:00'), [
      at('ben', '2026-03-09T08:00', '2026-03-10T12:00'),
      by('ben', '2026-03-10T12:00', '2026-03-11T12:00', 'swap'),
      at('ben', '2026-03-11T12:00', '2026-03-16T08:00'),
    ]);
  });

  it('lets the later of two overlapping overrides win', () => {
    const o1 = override('o1', 'cy', '2026-03-10T12:00', '2026-03-11T12:00');
    const o2 = override('o2', 'dan', '2026-03-11T00:00', '2026-03-12T00:00');
    assert.deepEqual(shifts(weekly([o1, o2]), '2026-03-09T08:00', '2026-03-16T08:00'), [
      at('ben', '2026-03-09T08:00', '2026-03-10T12:00'),
      by('cy', '2026-03-10T12:00', '2026-03-11T00:00', 'o1'),
      by('dan', '2026-03-11T00:00', '2026-03-12T00:00', 'o2'),
      at('ben', '2026-03-12T00:00', '2026-03-16T08:00'),
    ]);
    assert.deepEqual(shifts(weekly([o2, o1]), '2026-03-09T08:00', '2026-03-16T08:00'), [
      at('ben', '2026-03-09T08:00', '2026-03-10T12:00'),
      by('cy', '2026-03-10T12:00', '2026-03-11T12:00', 'o1'),
      by('dan', '2026-03-11T12:00', '2026-03-12T00:00', 'o2'),
      at('ben', '2026-03-12T00:00', '2026-03-16T08:00'),
    ]);
  });

  it('lets an override inside a later one disappear, and spans a handoff', () => {
    const inner = override('inner', 'cy', '2026-03-15T00:00', '2026-03-15T06:00');
    const outer = override('outer', 'dan', '2026-03-14T00:00', '2026-03-17T00:00');
    assert.deepEqual(shifts(weekly([inner, outer]), '2026-03-14T00:00', '2026-03-18T00:00'), [
      by('dan', '2026-03-14T00:00', '2026-03-17T00:00', 'outer'),
      at('cy', '2026-03-17T00:00', '2026-03-18T00:00'),
    ]);
  });

  it('fills a gap where no layer has anyone', () => {
    const s = schedule(
      'Europe/Berlin',
      [layer({ start: '2026-01-05T09:00', restrictions: [WEEKDAYS_9_TO_5] })],
      [override('weekend', 'dan', '2026-01-10T10:00', '2026-01-10T14:00')],
    );
    assert.deepEqual(shifts(s, '2026-01-09T00:00', '2026-01-13T00:00'), [
      at('ana', '2026-01-09T08:00', '2026-01-09T16:00'),
      by('dan', '2026-01-10T10:00', '2026-01-10T14:00', 'weekend'),
      at('ben', '2026-01-12T08:00', '2026-01-12T16:00'),
    ]);
    assert.deepEqual(scheduleGaps(s, Z('2026-01-09T00:00'), Z('2026-01-13T00:00')), [
      { startAt: Z('2026-01-09T00:00'), endAt: Z('2026-01-09T08:00') },
      { startAt: Z('2026-01-09T16:00'), endAt: Z('2026-01-10T10:00') },
      { startAt: Z('2026-01-10T14:00'), endAt: Z('2026-01-12T08:00') },
      { startAt: Z('2026-01-12T16:00'), endAt: Z('2026-01-13T00:00') },
    ]);
  });

  it('keeps the milliseconds of override times', () => {
    const s = weekly([{ id: 'o1', person: 'dan', startAt: '2026-03-10T12:00:00.123Z', endAt: '2026-03-10T12:00:01.5Z' }]);
    assert.deepEqual(finalShifts(s, '2026-03-10T12:00:00Z', '2026-03-10T12:00:02Z'), [
      { ...at('ben', '2026-03-10T12:00', '2026-03-10T12:00'), endAt: '2026-03-10T12:00:00.123Z' },
      { ...by('dan', '2026-03-10T12:00', '2026-03-10T12:00', 'o1'), startAt: '2026-03-10T12:00:00.123Z', endAt: '2026-03-10T12:00:01.500Z' },
      { ...at('ben', '2026-03-10T12:00', '2026-03-10T12:00'), startAt: '2026-03-10T12:00:01.500Z', endAt: '2026-03-10T12:00:02.000Z' },
    ]);
  });

  it('ignores overrides outside the period and clips those across its ends', () => {
    const s = weekly([
      override('before', 'dan', '2026-03-01T00:00', '2026-03-10T00:00'),
      override('after', 'eve', '2026-03-20T00:00', '2026-03-21T00:00'),
    ]);
    assert.deepEqual(shifts(s, '2026-03-09T12:00', '2026-03-10T12:00'), [
      by('dan', '2026-03-09T12:00', '2026-03-10T00:00', 'before'),
      at('ben', '2026-03-10T00:00', '2026-03-10T12:00'),
    ]);
  });
});

describe('scheduleGaps', () => {
  it('lists nothing for a schedule covered around the clock, and the whole period for an empty one', () => {
    const s = schedule('Europe/Berlin', [layer()]);
    assert.deepEqual(scheduleGaps(s, Z('2026-03-10T00:00'), Z('2026-04-10T00:00')), []);
    assert.deepEqual(scheduleGaps(s, Z('2026-02-01T00:00'), Z('2026-03-03T00:00')), [
      { startAt: Z('2026-02-01T00:00'), endAt: Z('2026-03-02T08:00') },
    ]);
  });

  it('refuses a period that ends before it starts, or is not a date-time', () => {
    const s = schedule('UTC', [layer()]);
    assert.deepEqual(
      errorsOf(() => scheduleGaps(s, Z('2026-03-10T00:00'), Z('2026-03-09T00:00'))),
      [{ path: 'toAt', message: 'must not be before fromAt' }],
    );
    assert.deepEqual(errorsOf(() => finalShifts(s, 'yesterday', '2026-03-09')), [
      { path: 'fromAt', message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
      { path: 'toAt', message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
    ]);
    assert.deepEqual(finalShifts(s, Z('2026-03-10T00:00'), Z('2026-03-10T00:00')), []);
  });
});

describe('oncallAt', () => {
  const s = schedule('Europe/Berlin', [layer()], [override('o1', 'dan', '2026-04-01T00:00', '2026-04-02T00:00')]);

  it('answers the whole shift, its start inclusive and its end exclusive', () => {
    assert.deepEqual(oncallAt(s, Z('2026-03-30T07:00')), at('ben', '2026-03-30T07:00', '2026-04-01T00:00'));
    assert.deepEqual(oncallAt(s, '2026-03-30T06:59:59.999Z'), at('ana', '2026-03-23T08:00', '2026-03-30T07:00'));
    assert.deepEqual(oncallAt(s, '2026-03-23T08:00:00+00:00'), at('ana', '2026-03-23T08:00', '2026-03-30T07:00'));
  });

  it('answers the override covering the instant, and null where nobody is on call', () => {
    assert.deepEqual(oncallAt(s, Z('2026-04-01T12:00')), by('dan', '2026-04-01T00:00', '2026-04-02T00:00', 'o1'));
    assert.deepEqual(oncallAt(s, Z('2026-04-02T00:00')), at('ben', '2026-04-02T00:00', '2026-04-06T07:00'));
    assert.equal(oncallAt(s, Z('2026-03-02T07:59')), null);
    assert.deepEqual(errorsOf(() => oncallAt(s, 'now')), [
      { path: 'at', message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
    ]);
  });

  it('finds the turn of a long monthly rotation', () => {
    const monthly = schedule('UTC', [layer({ start: '2026-01-31T09:00', unit: 'month', every: 12, members: ['ana', 'ben'] })]);
    assert.deepEqual(oncallAt(monthly, Z('2027-06-01T00:00')), at('ben', '2027-01-31T09:00', '2028-01-31T09:00'));
  });
});

describe('month turns', () => {
  it('clamps exactly as luxon’s plus({ months }) counted from the start', () => {
    const s = schedule('UTC', [layer({ start: '2024-01-31T09:00', unit: 'month', members: ['ana', 'ben', 'cy'] })]);
    const got = shifts(s, '2024-01-01T00:00', '2029-01-01T00:00').map((x) => x.startAt);
    const start = DateTime.fromISO('2024-01-31T09:00', { zone: 'utc' });
    const expected = Array.from({ length: 60 }, (_, n) => start.plus({ months: n }).toISO({ suppressMilliseconds: false }));
    assert.deepEqual(got, expected);
  });
});

describe('hour turns', () => {
  it('writes every instant of a year of 7-hour turns as toISOString does', () => {
    const s = schedule('Asia/Kolkata', [layer({ start: '2026-01-01T05:30', unit: 'hour', every: 7 })]);
    const all = shifts(s, '2026-01-01T00:00', '2027-01-01T00:00');
    assert.equal(all.length, Math.ceil((365 * 24) / 7));
    for (const x of all) {
      assert.equal(new Date(x.startAt).toISOString(), x.startAt);
      assert.equal(new Date(x.endAt).toISOString(), x.endAt);
    }
    assert.equal(all[0]!.startAt, Z('2026-01-01T00:00'));
  });
});

describe('validateSchedule', () => {
  const good = {
    name: 'payments-primary',
    timeZone: 'Europe/Berlin',
    layers: [
      { name: 'weekly', start: '2026-03-02T09:00', unit: 'week', every: 1, members: ['ana', 'ben', 'cy'] },
      {
        name: 'business',
        start: '2026-03-02T09:00',
        unit: 'day',
        every: 1,
        members: ['dan'],
        restrictions: [{ days: ['mon', 'fri'], from: '09:00', to: '17:00' }],
      },
    ],
    overrides: [{ id: 'o1', person: 'eve', startAt: '2026-03-10T12:00:00+01:00', endAt: '2026-03-11T12:00:00Z' }],
  };

  it('reads a good schedule, filling in empty restrictions and normalising override times to UTC', () => {
    const expected: Schedule = {
      name: 'payments-primary',
      timeZone: 'Europe/Berlin',
      layers: [
        { name: 'weekly', start: '2026-03-02T09:00', unit: 'week', every: 1, members: ['ana', 'ben', 'cy'], restrictions: [] },
        {
          name: 'business',
          start: '2026-03-02T09:00',
          unit: 'day',
          every: 1,
          members: ['dan'],
          restrictions: [{ days: ['mon', 'fri'], from: '09:00', to: '17:00' }],
        },
      ],
      overrides: [{ id: 'o1', person: 'eve', startAt: '2026-03-10T11:00:00.000Z', endAt: '2026-03-11T12:00:00.000Z' }],
    };
    assert.deepEqual(validateSchedule(good), expected);
    const bare = validateSchedule({ ...good, overrides: undefined });
    assert.deepEqual(bare.overrides, []);
  });

  it('refuses a bogus time zone, a bad name and unknown fields', () => {
    assert.deepEqual(
      errorsOf(() => validateSchedule({ ...good, name: 'payments primary', timeZone: 'Mars/Olympus', owner: 'x' })),
      [
        { path: 'owner', message: 'is not allowed' },
        { path: 'name', message: 'expected 1–63 characters: letters and digits, in runs separated by - _ or .' },
        { path: 'timeZone', message: 'expected an IANA time zone, like Europe/Berlin' },
      ],
    );
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, timeZone: 42 }, 'body')), [
      { path: 'body.timeZone', message: 'expected a string' },
    ]);
    assert.deepEqual(errorsOf(() => validateSchedule([])), [{ path: '', message: 'expected an object' }]);
  });

  it('requires the name, the time zone and at least one layer', () => {
    assert.deepEqual(errorsOf(() => validateSchedule({})), [
      { path: 'name', message: 'is required' },
      { path: 'timeZone', message: 'is required' },
      { path: 'layers', message: 'is required' },
    ]);
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, layers: [] })), [
      { path: 'layers', message: 'expected at least 1 item' },
    ]);
  });

  it('refuses every bad field of a layer with its path', () => {
    const bad = {
      name: 'weekly',
      start: '2026-02-30T09:00',
      unit: 'fortnight',
      every: 0,
      members: ['ana', '', 'ana'],
      restrictions: [{ days: ['mon', 'funday'], from: '9:00', to: '24:00', note: 'x' }],
      color: 'red',
    };
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, layers: [bad] })), [
      { path: 'layers[0].color', message: 'is not allowed' },
      { path: 'layers[0].start', message: 'expected a local date-time YYYY-MM-DDTHH:MM, like 2026-01-05T09:00' },
      { path: 'layers[0].unit', message: 'expected one of hour, day, week, month' },
      { path: 'layers[0].every', message: 'expected an integer from 1 to 365' },
      { path: 'layers[0].members[1]', message: 'must not be empty' },
      { path: 'layers[0].restrictions[0].note', message: 'is not allowed' },
      { path: 'layers[0].restrictions[0].days[1]', message: 'expected one of mon, tue, wed, thu, fri, sat, sun' },
      { path: 'layers[0].restrictions[0].from', message: 'expected a time of day HH:MM (00:00 to 23:59)' },
      { path: 'layers[0].restrictions[0].to', message: 'expected a time of day HH:MM (00:00 to 23:59)' },
    ]);
  });

  it('bounds every by the unit: 168 hours, 365 days, 52 weeks, 12 months', () => {
    const layers = [
      { name: 'h', start: '2026-03-02T09:00', unit: 'hour', every: 169, members: ['ana'] },
      { name: 'd', start: '2026-03-02T09:00', unit: 'day', every: 366, members: ['ana'] },
      { name: 'w', start: '2026-03-02T09:00', unit: 'week', every: 53, members: ['ana'] },
      { name: 'm', start: '2026-03-02T09:00', unit: 'month', every: 1.5, members: ['ana'] },
      { name: 'ok', start: '2026-03-02T09:00', unit: 'month', every: 12, members: ['ana'] },
    ];
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, layers })), [
      { path: 'layers[0].every', message: 'expected an integer from 1 to 168' },
      { path: 'layers[1].every', message: 'expected an integer from 1 to 365' },
      { path: 'layers[2].every', message: 'expected an integer from 1 to 52' },
      { path: 'layers[3].every', message: 'expected an integer from 1 to 12' },
    ]);
  });

  it('refuses repeated layer names, members and days, and a local time past 23:59', () => {
    const one = { name: 'weekly', start: '2026-03-02T24:00', unit: 'week', every: 1, members: ['ana', 'ben', 'ana'] };
    const two = {
      name: 'weekly',
      start: '2026-03-02T09:00',
      unit: 'week',
      every: 1,
      members: ['ana'],
      restrictions: [{ days: ['mon', 'mon'], from: '09:00', to: '17:00' }],
    };
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, layers: [one, two] })), [
      { path: 'layers[0].start', message: 'expected a local date-time YYYY-MM-DDTHH:MM, like 2026-01-05T09:00' },
      { path: 'layers[0].members[2]', message: 'duplicate member "ana" (first at members[0])' },
      { path: 'layers[1].restrictions[0].days[1]', message: 'duplicate day "mon" (first at days[0])' },
    ]);
    const { restrictions: _, ...three } = two;
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, layers: [three, { ...three, unit: 'day' }] })), [
      { path: 'layers[1].name', message: 'duplicate name "weekly" (first at layers[0])' },
    ]);
  });

  it('refuses bad overrides: empty id, repeated id, missing person, times without a zone, end not after start', () => {
    const overrides = [
      { id: '', person: 'eve', startAt: '2026-03-10T12:00:00Z', endAt: '2026-03-11T12:00:00Z' },
      { id: 'o1', person: 'eve', startAt: '2026-03-10T12:00:00Z', endAt: '2026-03-10T12:00:00Z' },
      { id: 'o2', startAt: '2026-03-10 12:00', endAt: '2026-03-10T12:00:00' },
      { id: 'o3', person: 'eve', startAt: '2026-03-10T12:00:00Z', endAt: '2026-03-11T12:00:00Z' },
      { id: 'o3', person: 'eve', startAt: '2026-03-10T12:00:00Z', endAt: '2026-03-11T12:00:00Z' },
    ];
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, overrides })), [
      { path: 'overrides[0].id', message: 'must not be empty' },
      { path: 'overrides[1].endAt', message: 'must be after startAt' },
      { path: 'overrides[2].person', message: 'is required' },
      { path: 'overrides[2].startAt', message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
      { path: 'overrides[2].endAt', message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
      { path: 'overrides[4].id', message: 'duplicate id "o3" (first at overrides[3])' },
    ]);
  });

  it('bounds the number of layers, members, restrictions and overrides', () => {
    const l = (i: number) => ({ name: `l${i}`, start: '2026-03-02T09:00', unit: 'week', every: 1, members: ['ana'] });
    const r = { days: ['mon'], from: '09:00', to: '17:00' };
    const o = (i: number) => ({ id: `o${i}`, person: 'eve', startAt: '2026-03-10T12:00:00Z', endAt: '2026-03-11T12:00:00Z' });
    const big = {
      ...good,
      layers: Array.from({ length: SCHEDULE_LIMITS.layers + 1 }, (_, i) => l(i)),
      overrides: Array.from({ length: SCHEDULE_LIMITS.overrides + 1 }, (_, i) => o(i)),
    };
    assert.deepEqual(errorsOf(() => validateSchedule(big)), [
      { path: 'layers', message: 'expected at most 10 items' },
      { path: 'overrides', message: 'expected at most 500 items' },
    ]);
    const crowded = {
      ...l(0),
      members: Array.from({ length: SCHEDULE_LIMITS.members + 1 }, (_, i) => `p${i}`),
      restrictions: Array.from({ length: SCHEDULE_LIMITS.restrictions + 1 }, () => r),
    };
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, layers: [crowded] })), [
      { path: 'layers[0].members', message: 'expected at most 50 items' },
      { path: 'layers[0].restrictions', message: 'expected at most 20 items' },
    ]);
    assert.deepEqual(errorsOf(() => validateSchedule({ ...good, layers: [{ ...l(0), members: [] }] })), [
      { path: 'layers[0].members', message: 'expected at least 1 item' },
    ]);
  });
});

describe('a year of 100 schedules', () => {
  // Each local day has one daily turn (09:00 to 09:00); on weekdays the business layer takes 09:00–17:00 of it.
  // 2026 has 365 days, 261 of them weekdays (52 weeks and Thursday 1 January): 365 + 261 shifts.
  const zones: [string, string, string][] = [
    ['Europe/Berlin', '2026-01-01T08:00', '2027-01-01T08:00'],
    ['America/New_York', '2026-01-01T14:00', '2027-01-01T14:00'],
    ['Asia/Tokyo', '2026-01-01T00:00', '2027-01-01T00:00'],
    ['Australia/Sydney', '2025-12-31T22:00', '2026-12-31T22:00'],
  ];

  it('computes every shift of each', () => {
    for (let i = 0; i < 100; i++) {
      const [zone, from, to] = zones[i % zones.length]!;
      const s = schedule(zone, [
        layer({ name: 'daily', start: '2026-01-01T09:00', unit: 'day', members: [`a${i}`, `b${i}`, `c${i}`] }),
        layer({ name: 'business', start: '2026-01-01T09:00', members: [`d${i}`], restrictions: [WEEKDAYS_9_TO_5] }),
      ]);
      const all = shifts(s, from, to);
      assert.equal(all.length, 365 + 261, zone);
      assert.equal(all.filter((x) => x.source.kind === 'layer' && x.source.layer === 'business').length, 261);
      assert.equal(all[0]!.startAt, Z(from));
      assert.equal(all.at(-1)!.endAt, Z(to));
      assert.deepEqual(scheduleGaps(s, Z(from), Z(to)), []);
    }
  });
});
