import { canonicalService } from '../domain/catalog/names.js';
import { notFound, validationError } from '../domain/errors.js';
import { finalShifts, oncallAt, scheduleGaps } from '../domain/paging/schedule.js';
import type { Schedule, Shift } from '../domain/paging/types.js';
import { getCatalog } from './catalog.js';
import type { ServiceDeps } from './deps.js';

/** The longest window of shifts one request may ask for. */
export const MAX_SHIFT_WINDOW_DAYS = 93;
/** How far ahead a schedule's gaps are looked for. */
export const GAP_HORIZON_DAYS = 14;
/** The window of shifts when no end is given. */
export const DEFAULT_SHIFT_WINDOW_DAYS = 7;

const DAY_MS = 86_400_000;

type Deps = Pick<ServiceDeps, 'store' | 'clock'>;

/** A span of a schedule with nobody on call. */
export interface Gap {
  startAt: string;
  endAt: string;
}

/** One row of the schedule list: who is on call now. */
export interface ScheduleSummary {
  name: string;
  timeZone: string;
  layers: string[];
  oncallNow: Shift | null;
}

/** A schedule, who is on call now and its gaps in the next GAP_HORIZON_DAYS days. */
export interface ScheduleView extends Schedule {
  oncallNow: Shift | null;
  gaps: Gap[];
}

/** Who a schedule has on call at one instant. */
export interface OncallView {
  schedule: string;
  at: string;
  oncall: Shift | null;
}

/** A schedule's final shifts in [from, to). */
export interface ShiftsView {
  schedule: string;
  from: string;
  to: string;
  items: Shift[];
}

const iso = (ms: number) => new Date(ms).toISOString();

/** The gaps of [now, GAP_HORIZON_DAYS days later). */
const gapsAhead = (schedule: Schedule, now: string): Gap[] => scheduleGaps(schedule, now, iso(Date.parse(now) + GAP_HORIZON_DAYS * DAY_MS));

async function schedules(deps: Deps): Promise<Schedule[]> {
  return (await getCatalog(deps)).catalog?.schedules ?? [];
}

/** The schedule of `list` that name means (`primary`, `default/primary` or `payments/primary`), if any. */
export function scheduleNamed(list: readonly Schedule[], name: string): Schedule | undefined {
  const wanted = canonicalService(name);
  return list.find((s) => s.name === wanted);
}

/** The schedule of that name (`primary`, `default/primary` or `payments/primary`); not_found otherwise. */
export async function getScheduleOrThrow(deps: Deps, name: string): Promise<Schedule> {
  const found = scheduleNamed(await schedules(deps), name);
  if (!found) throw notFound(`No schedule named ${JSON.stringify(name)} in the catalog.`);
  return found;
}

/** Every schedule of the catalog, in catalog order, with who is on call now. */
export async function listSchedules(deps: Deps): Promise<{ at: string; items: ScheduleSummary[] }> {
  const now = deps.clock.now();
  const items = (await schedules(deps)).map((s) => ({
    name: s.name,
    timeZone: s.timeZone,
    layers: s.layers.map((l) => l.name),
    oncallNow: oncallAt(s, now),
  }));
  return { at: now, items };
}

/** One schedule with who is on call now and the gaps in the next GAP_HORIZON_DAYS days. */
export async function getSchedule(deps: Deps, name: string): Promise<ScheduleView> {
  const schedule = await getScheduleOrThrow(deps, name);
  const now = deps.clock.now();
  return { ...schedule, oncallNow: oncallAt(schedule, now), gaps: gapsAhead(schedule, now) };
}

/** Who is on call at `at` (an ISO-8601 instant; now when not given). */
export async function whoIsOnCall(deps: Deps, name: string, at?: string): Promise<OncallView> {
  const schedule = await getScheduleOrThrow(deps, name);
  const instant = at === undefined ? deps.clock.now() : iso(Date.parse(at));
  return { schedule: schedule.name, at: instant, oncall: oncallAt(schedule, instant) };
}

/**
 * The final shifts of [from, to): from now and for DEFAULT_SHIFT_WINDOW_DAYS days when not given, at most
 * MAX_SHIFT_WINDOW_DAYS days; a longer or reversed window is refused naming `query.to`.
 */
export async function scheduleShifts(deps: Deps, name: string, window: { from?: string; to?: string }): Promise<ShiftsView> {
  const schedule = await getScheduleOrThrow(deps, name);
  const from = window.from === undefined ? Date.parse(deps.clock.now()) : Date.parse(window.from);
  const to = window.to === undefined ? from + DEFAULT_SHIFT_WINDOW_DAYS * DAY_MS : Date.parse(window.to);
  if (to < from) throw validationError([{ path: 'query.to', message: 'must not be before from' }]);
  if (to - from > MAX_SHIFT_WINDOW_DAYS * DAY_MS) {
    throw validationError([{ path: 'query.to', message: `must be at most ${MAX_SHIFT_WINDOW_DAYS} days after from` }]);
  }
  return { schedule: schedule.name, from: iso(from), to: iso(to), items: finalShifts(schedule, iso(from), iso(to)) };
}

/** A schedule's coverage: whether someone is on call now, and how long nobody is in the next GAP_HORIZON_DAYS days. */
export interface ScheduleCoverage {
  schedule: string;
  oncallNow: boolean;
  gapSeconds: number;
}

/** Every schedule's coverage, for /metrics: the alerting rule fires before the gap, not during it. */
export async function scheduleCoverage(deps: Deps): Promise<ScheduleCoverage[]> {
  const now = deps.clock.now();
  return (await schedules(deps)).map((s) => {
    // Nobody is on call now exactly when a gap starts now: the schedule is resolved once, not twice.
    const gaps = gapsAhead(s, now);
    return {
      schedule: s.name,
      oncallNow: gaps[0] === undefined || Date.parse(gaps[0].startAt) !== Date.parse(now),
      gapSeconds: gaps.reduce((sum, g) => sum + (Date.parse(g.endAt) - Date.parse(g.startAt)) / 1000, 0),
    };
  });
}
