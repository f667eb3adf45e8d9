import { DateTime, IANAZone, Info } from 'luxon';
import { array, at, type Check, int, isObj, isoTime, Issues, name, object, oneOf, opt, own, parseOrThrow, refine, str } from '../catalog/check.js';
import { LIMITS } from '../limits.js';
import {
  ROTATION_UNITS,
  type RotationUnit,
  type Schedule,
  type ScheduleLayer,
  type Shift,
  WEEKDAYS,
} from './types.js';

/** Size limits of one schedule. */
export const SCHEDULE_LIMITS = {
  layers: 10,
  restrictions: 20,
  overrides: 500,
  members: 50,
  timeZone: 100,
} as const;

/** The largest `every` of a layer, per unit: a turn lasts at most a week of hours, a year of days, weeks or months. */
export const EVERY_MAX: Readonly<Record<RotationUnit, number>> = { hour: 168, day: 365, week: 52, month: 12 };

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const APPROX: Record<RotationUnit, number> = { hour: HOUR, day: DAY, week: WEEK, month: 30.436875 * DAY };
// Wall-clock length of one unit plus a day of slack for DST and clamping.
const LONGEST: Record<RotationUnit, number> = { hour: HOUR, day: 2 * DAY, week: WEEK + DAY, month: 32 * DAY };

/**
 * UTC offsets of one zone, looked up through luxon once a day and at the transitions found inside
 * it (a lookup costs microseconds; a year of shifts needs thousands). It assumes a zone never changes
 * its offset and back within a day: since 1970 the closest changes in tzdb are a week apart.
 */
class ZoneOffsets {
  private readonly edges = new Map<number, number>();
  private readonly buckets = new Map<number, number | { starts: number[]; offsets: number[] }>();

  constructor(private readonly zone: IANAZone) {}

  private raw(ts: number): number {
    return this.zone.offset(ts) * MINUTE;
  }

  private edge(bucket: number): number {
    let o = this.edges.get(bucket);
    if (o === undefined) {
      o = this.raw(bucket * DAY);
      this.edges.set(bucket, o);
    }
    return o;
  }

  private fill(bucket: number) {
    const end = (bucket + 1) * DAY;
    const last = this.edge(bucket + 1);
    let current = this.edge(bucket);
    if (current === last) return current;
    const starts = [bucket * DAY];
    const offsets = [current];
    while (current !== last) {
      let lo = starts[starts.length - 1]! / SECOND;
      let hi = end / SECOND;
      while (hi - lo > 1) {
        const mid = Math.floor((lo + hi) / 2);
        if (this.raw(mid * SECOND) === current) lo = mid;
        else hi = mid;
      }
      current = hi * SECOND === end ? last : this.raw(hi * SECOND);
      starts.push(hi * SECOND);
      offsets.push(current);
    }
    return { starts, offsets };
  }

  /** The offset in force at instant `ts`, in milliseconds. */
  offset(ts: number): number {
    const bucket = Math.floor(ts / DAY);
    let b = this.buckets.get(bucket);
    if (b === undefined) {
      if (this.buckets.size >= BUCKETS_MAX) {
        this.buckets.clear();
        this.edges.clear();
      }
      b = this.fill(bucket);
      this.buckets.set(bucket, b);
    }
    if (typeof b === 'number') return b;
    let i = b.starts.length - 1;
    while (i > 0 && b.starts[i]! > ts) i--;
    return b.offsets[i]!;
  }

  /** The local wall-clock time of `ts`, as milliseconds of a UTC calendar. */
  wall(ts: number): number {
    return ts + this.offset(ts);
  }

  /**
   * The instant of a wall-clock time. A time that happens twice (DST end) is its first occurrence; a
   * time that does not exist (DST start) moves forward by the gap, as luxon does: 02:30 becomes 03:30.
   */
  instant(wall: number): number {
    const before = this.offset(wall - DAY);
    const after = this.offset(wall + DAY);
    const early = wall - before;
    const late = wall - after;
    const earlyOk = this.offset(early) === before;
    const lateOk = this.offset(late) === after;
    if (earlyOk && lateOk) return Math.min(early, late);
    if (earlyOk) return early;
    if (lateOk) return late;
    return early;
  }
}

// Offsets depend only on the zone and the process's tzdb, so they are kept across calls, within bounds.
const ZONES = new Map<string, ZoneOffsets>();
const ZONES_MAX = 50;
// Days of offsets kept per zone: about 55 years.
const BUCKETS_MAX = 20_000;

function zoneOffsets(timeZone: string): ZoneOffsets {
  let z = ZONES.get(timeZone);
  if (!z) {
    if (ZONES.size >= ZONES_MAX) ZONES.clear();
    z = new ZoneOffsets(IANAZone.create(timeZone));
    ZONES.set(timeZone, z);
  }
  return z;
}

type Source = Shift['source'];

interface Span {
  s: number;
  e: number;
}

interface Piece extends Span {
  person: string;
  source: Source;
}

const piece = (p: Piece, s: number, e: number): Piece => ({ s, e, person: p.person, source: p.source });

const LOCAL_START = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d)$/;
const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

const clockMinutes = (hhmm: string) => {
  const m = CLOCK.exec(hhmm);
  return Number(m?.[1]) * 60 + Number(m?.[2]);
};

// 1970-01-01 was a Thursday: index 3 of WEEKDAYS.
const weekdayOf = (wallDay: number) => (((wallDay + 3) % 7) + 7) % 7;

/** The start instant of turn n of a layer (n ≥ 0), in its zone. */
function turnStarts(layer: ScheduleLayer, zone: ZoneOffsets): (n: number) => number {
  const local = DateTime.fromISO(layer.start, { zone: 'utc' });
  const wall0 = local.toMillis();
  switch (layer.unit) {
    case 'hour': {
      const t0 = zone.instant(wall0);
      return (n) => t0 + n * layer.every * HOUR;
    }
    case 'day':
    case 'week': {
      const step = layer.every * (layer.unit === 'day' ? DAY : WEEK);
      return (n) => zone.instant(wall0 + n * step);
    }
    case 'month':
      // Counted from the start each time, so a rotation on the 31st clamps to the 30th or the 28th and comes back.
      return (n) => zone.instant(local.plus({ months: n * layer.every }).toMillis());
  }
}

function turnPieces(layer: ScheduleLayer, zone: ZoneOffsets, from: number, to: number): Piece[] {
  const start = turnStarts(layer, zone);
  const source: Source = { kind: 'layer', layer: layer.name };
  const out: Piece[] = [];
  const first = start(0);
  if (to <= first) return out;
  let n = Math.max(0, Math.floor((from - first) / (APPROX[layer.unit] * layer.every)));
  while (n > 0 && start(n) > from) n--;
  let s = start(n);
  let next = start(n + 1);
  while (next <= from) {
    n++;
    s = next;
    next = start(n + 1);
  }
  while (s < to) {
    const a = Math.max(s, from);
    const b = Math.min(next, to);
    if (a < b) out.push({ s: a, e: b, person: layer.members[n % layer.members.length]!, source });
    n++;
    s = next;
    next = start(n + 1);
  }
  return out;
}

/** The union of a layer's restriction windows within [from, to), sorted and merged. */
function windows(layer: ScheduleLayer, zone: ZoneOffsets, from: number, to: number): Span[] {
  const rules = layer.restrictions.map((r) => {
    const a = clockMinutes(r.from);
    const b = clockMinutes(r.to);
    let mask = 0;
    for (const d of r.days) mask |= 1 << WEEKDAYS.indexOf(d);
    return { mask, from: a * MINUTE, to: (b <= a ? DAY : 0) + b * MINUTE };
  });
  const spans: Span[] = [];
  // A window that began the day before `from` can still be open at `from`.
  const last = Math.floor(zone.wall(to) / DAY);
  for (let day = Math.floor(zone.wall(from) / DAY) - 1; day <= last; day++) {
    const bit = 1 << weekdayOf(day);
    for (const r of rules) {
      if ((r.mask & bit) === 0) continue;
      const s = Math.max(zone.instant(day * DAY + r.from), from);
      const e = Math.min(zone.instant(day * DAY + r.to), to);
      if (s < e) spans.push({ s, e });
    }
  }
  spans.sort((x, y) => x.s - y.s);
  const merged: Span[] = [];
  for (const w of spans) {
    const prev = merged[merged.length - 1];
    if (prev && w.s <= prev.e) prev.e = Math.max(prev.e, w.e);
    else merged.push({ ...w });
  }
  return merged;
}

function restrict(pieces: Piece[], spans: Span[]): Piece[] {
  const out: Piece[] = [];
  let j = 0;
  for (const p of pieces) {
    while (j < spans.length && spans[j]!.e <= p.s) j++;
    for (let k = j; k < spans.length && spans[k]!.s < p.e; k++) {
      const s = Math.max(p.s, spans[k]!.s);
      const e = Math.min(p.e, spans[k]!.e);
      if (s < e) out.push(piece(p, s, e));
    }
  }
  return out;
}

/** `top` painted over `bottom`: both sorted and without overlaps, and so is the answer. */
function overlay(bottom: Piece[], top: Piece[]): Piece[] {
  const out: Piece[] = [];
  let i = 0;
  let cursor = -Infinity;
  const fill = (until: number) => {
    while (i < bottom.length && bottom[i]!.e <= cursor) i++;
    while (i < bottom.length && bottom[i]!.s < until) {
      const b = bottom[i]!;
      const s = Math.max(b.s, cursor);
      const e = Math.min(b.e, until);
      if (s < e) out.push(s === b.s && e === b.e ? b : piece(b, s, e));
      if (b.e > until) break;
      i++;
    }
  };
  for (const t of top) {
    fill(t.s);
    out.push(t);
    cursor = t.e;
  }
  fill(Infinity);
  return out;
}

const sameSource = (a: Source, b: Source) =>
  a.kind === 'layer' ? b.kind === 'layer' && a.layer === b.layer : b.kind === 'override' && a.id === b.id;

function resolve(schedule: Schedule, from: number, to: number): Piece[] {
  const zone = zoneOffsets(schedule.timeZone);
  let layers: Piece[] = [];
  for (const layer of schedule.layers) {
    const turns = turnPieces(layer, zone, from, to);
    const pieces = layer.restrictions.length === 0 ? turns : restrict(turns, windows(layer, zone, from, to));
    layers = overlay(layers, pieces);
  }
  let overrides: Piece[] = [];
  for (const o of schedule.overrides) {
    const s = Math.max(Date.parse(o.startAt), from);
    const e = Math.min(Date.parse(o.endAt), to);
    if (s < e) overrides = overlay(overrides, [{ s, e, person: o.person, source: { kind: 'override', id: o.id } }]);
  }
  const out: Piece[] = [];
  for (const p of overlay(layers, overrides)) {
    const prev = out[out.length - 1];
    if (prev && prev.e === p.s && prev.person === p.person && sameSource(prev.source, p.source)) {
      out[out.length - 1] = piece(prev, prev.s, p.e);
    } else out.push(p);
  }
  return out;
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** `toISOString` for many instants in a row, the date part written once a day: it is most of the cost otherwise. */
function isoWriter(): (ms: number) => string {
  let day = NaN;
  let date = '';
  return (ms) => {
    const d = Math.floor(ms / DAY);
    if (d !== day) {
      day = d;
      const whole = new Date(d * DAY).toISOString();
      date = whole.slice(0, whole.indexOf('T') + 1);
    }
    const r = ms - d * DAY;
    const h = Math.floor(r / HOUR);
    const m = Math.floor((r % HOUR) / MINUTE);
    const sec = Math.floor((r % MINUTE) / SECOND);
    return `${date}${pad(h, 2)}:${pad(m, 2)}:${pad(sec, 2)}.${pad(r % SECOND, 3)}Z`;
  };
}

function toShifts(pieces: Piece[]): Shift[] {
  const write = isoWriter();
  return pieces.map((p) => ({ person: p.person, startAt: write(p.s), endAt: write(p.e), source: { ...p.source } }));
}

const instantAt = (v: string, path: string, is: Issues) => {
  const t = isoTime()(v, path, is);
  return t === undefined ? NaN : Date.parse(t);
};

function period(fromAt: string, toAt: string): { from: number; to: number } {
  const is = new Issues();
  const from = instantAt(fromAt, 'fromAt', is);
  const to = instantAt(toAt, 'toAt', is);
  if (to < from) is.add('toAt', 'must not be before fromAt');
  is.throwIfAny('The schedule period is not valid.');
  return { from, to };
}

/**
 * Who is on call in [fromAt, toAt): sorted, non-overlapping shifts clipped to the window, the last
 * layer winning over earlier ones and overrides (the later winning) over every layer; nobody, no shift.
 */
export function finalShifts(schedule: Schedule, fromAt: string, toAt: string): Shift[] {
  const { from, to } = period(fromAt, toAt);
  return toShifts(resolve(schedule, from, to));
}

/** The spans of [fromAt, toAt) with nobody on call. */
export function scheduleGaps(schedule: Schedule, fromAt: string, toAt: string): { startAt: string; endAt: string }[] {
  const { from, to } = period(fromAt, toAt);
  const write = isoWriter();
  const gaps: { startAt: string; endAt: string }[] = [];
  let cursor = from;
  for (const p of resolve(schedule, from, to)) {
    if (cursor < p.s) gaps.push({ startAt: write(cursor), endAt: write(p.s) });
    cursor = p.e;
  }
  if (cursor < to) gaps.push({ startAt: write(cursor), endAt: write(to) });
  return gaps;
}

/**
 * The shift covering `at` (start inclusive, end exclusive), or null. Its start and end are looked for
 * as far as the longest turn or override of the schedule reaches either side of `at`: a shift merged
 * from several turns of the same person is cut there.
 */
export function oncallAt(schedule: Schedule, at: string): Shift | null {
  const is = new Issues();
  const t = instantAt(at, 'at', is);
  is.throwIfAny('The instant is not valid.');
  let reach = DAY;
  for (const l of schedule.layers) reach = Math.max(reach, l.every * LONGEST[l.unit]);
  for (const o of schedule.overrides) reach = Math.max(reach, Date.parse(o.endAt) - Date.parse(o.startAt));
  const hit = resolve(schedule, t - reach, t + reach).find((p) => p.s <= t && t < p.e);
  return hit ? toShifts([hit])[0]! : null;
}

const localStart: Check<string> = (v, path, is) =>
  typeof v === 'string' && LOCAL_START.test(v) && DateTime.fromISO(v, { zone: 'utc' }).isValid
    ? v
    : is.add(path, 'expected a local date-time YYYY-MM-DDTHH:MM, like 2026-01-05T09:00');

const clock: Check<string> = (v, path, is) =>
  typeof v === 'string' && CLOCK.test(v) ? v : is.add(path, 'expected a time of day HH:MM (00:00 to 23:59)');

const zoneText = str(SCHEDULE_LIMITS.timeZone);
const timeZone: Check<string> = (v, path, is) => {
  const z = zoneText(v, path, is);
  if (z === undefined) return undefined;
  return Info.isValidIANAZone(z) ? z : is.add(path, 'expected an IANA time zone, like Europe/Berlin');
};

/** A list of strings none of which is given twice. */
const distinct =
  <T extends string>(item: Check<T>, max: number, what: string): Check<T[]> =>
  (v, path, is) => {
    const before = is.count;
    const items = array(item, max, { min: 1 })(v, path, is);
    if (items === undefined || is.count > before) return items;
    const seen = new Map<T, number>();
    const list = path.slice(path.lastIndexOf('.') + 1);
    let repeated = false;
    items.forEach((x, i) => {
      const first = seen.get(x);
      if (first === undefined) seen.set(x, i);
      else {
        repeated = true;
        is.add(at(path, i), `duplicate ${what} ${JSON.stringify(x)} (first at ${list}[${first}])`);
      }
    });
    return repeated ? undefined : items;
  };

const person = str(LIMITS.person);

const restriction = object({
  days: distinct(oneOf(WEEKDAYS), WEEKDAYS.length, 'day'),
  from: clock,
  to: clock,
});

const layerOf = (maxEvery: number) =>
  object({
    name: name(),
    start: localStart,
    unit: oneOf(ROTATION_UNITS),
    every: int(1, maxEvery),
    members: distinct(person, SCHEDULE_LIMITS.members, 'member'),
    restrictions: opt(array(restriction, SCHEDULE_LIMITS.restrictions), []),
  });
const LAYER_BY_UNIT = new Map(ROTATION_UNITS.map((u) => [u as string, layerOf(EVERY_MAX[u])]));
const ANY_LAYER = layerOf(Math.max(...Object.values(EVERY_MAX)));
// `every`'s limit depends on the unit; an invalid unit is reported once and `every` checked against the widest.
const layer: Check<ScheduleLayer> = (v, path, is) => {
  const unit = isObj(v) ? own(v, 'unit') : undefined;
  return (LAYER_BY_UNIT.get(unit as string) ?? ANY_LAYER)(v, path, is);
};

const override = refine(
  object({ id: str(LIMITS.name), person, startAt: isoTime(), endAt: isoTime() }),
  (o) => (Date.parse(o.startAt) < Date.parse(o.endAt) ? null : { path: 'endAt', message: 'must be after startAt' }),
);

const SCHEDULE_FIELDS = {
  timeZone,
  layers: array(layer, SCHEDULE_LIMITS.layers, { min: 1, unique: 'name' }),
  overrides: opt(array(override, SCHEDULE_LIMITS.overrides, { unique: 'id' }), []),
};

/** A schedule without its name, by validateSchedule's rules: the `spec` of a catalog Schedule. */
export const scheduleSpec: Check<Omit<Schedule, 'name'>> = object(SCHEDULE_FIELDS);

const schedule = object({ name: name(), ...SCHEDULE_FIELDS });

/**
 * A schedule from plain JSON or YAML data; throws one validation error listing every problem (unknown
 * fields too). Restrictions and overrides may be left out; override times are normalised to UTC.
 */
export function validateSchedule(input: unknown, path = ''): Schedule {
  return parseOrThrow(schedule, input, path, 'The schedule is not valid.');
}
