// Final on-call shifts at scale: 100 schedules over a year, computed in-process as every schedule read
// (the API, the On call page, the calendar feeds, the coverage metrics) computes them.
import { shiftsCalendar } from '../src/domain/paging/ics.js';
import { finalShifts, oncallAt, scheduleGaps } from '../src/domain/paging/schedule.js';
import type { Schedule } from '../src/domain/paging/types.js';
import { median } from './lib.js';

type Row = Record<string, string | number>;

const ZONES = ['Europe/Berlin', 'America/New_York', 'Asia/Kolkata', 'Australia/Sydney', 'America/Sao_Paulo'];
const FROM = '2026-01-01T00:00:00.000Z';
const TO = '2027-01-01T00:00:00.000Z';
const YEAR_MS = Date.parse(TO) - Date.parse(FROM);

/**
 * A schedule as teams write them: a weekly round-the-clock rotation of 6, a weekday daytime layer of 4
 * on top, and 24 overrides (two a month) spread over the year, in one of five zones with and without DST.
 */
function schedule(i: number, unit: 'week' | 'hour' = 'week'): Schedule {
  const people = Array.from({ length: 10 }, (_, p) => `person-${i}-${p}`);
  return {
    name: `schedule-${i}`,
    timeZone: ZONES[i % ZONES.length]!,
    layers: [
      { name: 'primary', start: '2025-12-29T09:00', unit, every: 1, members: people.slice(0, 6), restrictions: [] },
      {
        name: 'daytime',
        start: '2025-12-29T09:00',
        unit: 'week',
        every: 1,
        members: people.slice(6),
        restrictions: [{ days: ['mon', 'tue', 'wed', 'thu', 'fri'], from: '09:00', to: '17:00' }],
      },
    ],
    overrides: Array.from({ length: 24 }, (_, k) => {
      const start = Date.parse(FROM) + Math.floor((k + 0.5) * (YEAR_MS / 24)) + i * 3_600_000;
      return { id: `o-${k}`, person: people[(k + i) % people.length]!, startAt: new Date(start).toISOString(), endAt: new Date(start + 8 * 3_600_000).toISOString() };
    }),
  };
}

/** The median of `runs` timings of `fn`, in milliseconds, after one warm-up; and what the last run answered. */
function timed<T>(runs: number, fn: () => T): { ms: number; value: T } {
  let value = fn();
  const times: number[] = [];
  for (let r = 0; r < runs; r++) {
    const t = performance.now();
    value = fn();
    times.push(performance.now() - t);
  }
  return { ms: median(times), value };
}

export function benchSchedules(count = 100, runs = 5): Row[] {
  const weekly = Array.from({ length: count }, (_, i) => schedule(i));
  const hourly = Array.from({ length: count }, (_, i) => schedule(i, 'hour'));
  const row = (metric: string, ms: number, items: number, unit: string): Row => ({
    metric,
    'median ms': ms,
    'ms per schedule': ms / count,
    count: items,
    unit,
  });

  const year = timed(runs, () => weekly.map((s) => finalShifts(s, FROM, TO)));
  const yearHourly = timed(runs, () => hourly.map((s) => finalShifts(s, FROM, TO)));
  const gaps = timed(runs, () => weekly.map((s) => scheduleGaps(s, FROM, TO)));
  const instants = Array.from({ length: 100 }, (_, k) => new Date(Date.parse(FROM) + Math.floor((k * YEAR_MS) / 100)).toISOString());
  const oncall = timed(runs, () => weekly.flatMap((s) => instants.map((at) => oncallAt(s, at))));
  const feeds = timed(runs, () =>
    weekly.slice(0, 10).map((s, i) => shiftsCalendar({ kind: 'schedule', name: s.name, scheduleName: s.name, shifts: year.value[i]! })),
  );
  const sum = (xs: unknown[][]) => xs.reduce((n, x) => n + x.length, 0);
  return [
    row(`final shifts, ${count} schedules × a year (weekly + weekday daytime layer, 24 overrides)`, year.ms, sum(year.value), 'shifts'),
    row(`final shifts, ${count} schedules × a year, the bottom layer hourly`, yearHourly.ms, sum(yearHourly.value), 'shifts'),
    row(`gaps, ${count} schedules × a year`, gaps.ms, sum(gaps.value), 'gaps'),
    row(`who is on call, ${count} schedules × 100 instants`, oncall.ms, oncall.value.filter(Boolean).length, 'answers'),
    { metric: `ICS feed of a year, 10 of the schedules`, 'median ms': feeds.ms, 'ms per schedule': feeds.ms / 10, count: feeds.value.reduce((n, f) => n + f.length, 0), unit: 'bytes' },
  ];
}

if (process.argv[1]?.endsWith('schedules.ts')) {
  const { table } = await import('./lib.js');
  console.log(table(benchSchedules()));
}
