import type { DeployStatus } from '../deploys/types.js';
import type { Incident } from '../incident/state.js';
import { SEVERITIES, STATUSES, type Severity, type Status, UNCLOSED_STATUSES } from '../incident/types.js';
import type { Warning } from '../incident/view.js';
import { TIMER_KINDS, type TimerKind } from '../timers/plan.js';
import { incidentFacts, isoWeek, type IncidentFacts } from './facts.js';

export { isoWeek } from './facts.js';

/** The few deploy fields insights read. */
export interface InsightsDeploy {
  service: string;
  status: DeployStatus;
  startedAt: string;
  finishedAt: string | null;
}

/** Which incidents count: those of one service, and of some severities (none given: all). */
export interface InsightsFilter {
  service?: string;
  severity?: readonly Severity[];
}

/** The window (both ends inclusive), the clock that decides what is overdue, and the filters. */
export interface InsightsOptions extends InsightsFilter {
  from: string;
  to: string;
  now: string;
}

/** A duration statistic in minutes (one decimal); null without samples. */
export interface DurationStat {
  median: number | null;
  /** The 90th percentile, interpolated between the closest ranks as the median is. */
  p90: number | null;
  mean: number | null;
  samples: number;
}

export interface ResponderLoad {
  person: string;
  /** Incidents in the window where the person was commander, responder or comms lead. */
  incidents: number;
  /** Of those, the ones they commanded. */
  commander: number;
  /** incidents ÷ the window's incidents (cancelled left out), three decimals. */
  share: number;
}

export interface OverrideItem {
  incident: string;
  to: Status;
  reason: string;
  by: string;
  at: string;
}

export interface TrendWeek {
  /** ISO-8601 week, `2026-W47`. */
  week: string;
  incidents: number;
  mttaMinutes: number | null;
  mttrMinutes: number | null;
}

export interface ChangeFailureRate {
  failures: number;
  deploys: number;
  rate: number | null;
}

/** What `GET /api/v1/insights` answers; every definition is in docs/API.md#insights. */
export interface Insights {
  window: { from: string; to: string; days: number };
  filters: { service: string | null; severity: Severity[] };
  incidents: {
    total: number;
    bySeverity: Record<Severity | 'unset', number>;
    byStatus: Record<Status, number>;
    autoDeclared: number;
  };
  mttd: DurationStat;
  mtta: DurationStat;
  timeToMitigate: DurationStat;
  mttr: DurationStat;
  changeFailureRate: ChangeFailureRate;
  dora: { changeFailureRate: ChangeFailureRate; timeToRestore: DurationStat };
  postmortems: {
    due: number;
    onTime: number;
    late: number;
    overdue: number;
    pending: number;
    punctuality: number | null;
    skipped: number;
  };
  actionItems: { open: number; overdue: number; done: number; doneOnTime: number };
  nudges: { total: number; byKind: Record<TimerKind, number> };
  responders: ResponderLoad[];
  overrides: { count: number; items: OverrideItem[] };
  trend: TrendWeek[];
  warnings: Warning[];
}

/**
 * The samples of one duration, as a store reads them: how many, their sum, and the values at the
 * 1-based ranks `ranksFor(samples)` names (the sorted order's), all in milliseconds.
 */
export interface OrderStats {
  samples: number;
  sumMs: number;
  byRank: Record<number, number>;
}

/** The durations insights summarise, by name. */
export const DURATIONS = ['ttd', 'tta', 'ttm', 'ttr', 'restore'] as const;
export type DurationName = (typeof DURATIONS)[number];

/**
 * Everything insights need, aggregated: what a store answers for a window (store/shared/read-model-store.ts
 * in SQL, `insightsData` below in memory); `insightsFrom` turns it into the answer.
 */
export interface InsightsData {
  /** The window's incidents (cancelled included) counted by severity, status, auto and change failure. */
  groups: { severity: Severity | null; status: Status; auto: boolean; changeFailure: boolean; n: number }[];
  /** Over counted incidents; `restore` is `ttr` over the change failures only. */
  durations: Record<DurationName, OrderStats>;
  /** Succeeded deploys started in the window (of the service, when filtered). */
  deploys: number;
  postmortems: { due: number; onTime: number; late: number; overdue: number; pending: number; skipped: number };
  actionItems: { open: number; overdue: number; done: number; doneOnTime: number };
  /** Per person over counted incidents, any order. */
  responders: { person: string; incidents: number; commander: number }[];
  /** Oldest first. */
  overrides: OverrideItem[];
  /** Counted incidents per ISO week of declaration (weeks without any may be missing). */
  weeks: { week: string; incidents: number; tta: OrderStats; ttr: OrderStats }[];
  /** The commander-is-sole-responder messages of counted incidents, by incident number. */
  soleWarnings: string[];
  /** Timers fired in the window, by kind. */
  nudges: Partial<Record<TimerKind, number>>;
}

/** A person on more than this share of the window's incidents is a hero-culture warning… */
const CONCENTRATION_SHARE = 0.5;
/** …once the window holds at least this many incidents. */
const CONCENTRATION_MIN_INCIDENTS = 4;

const MINUTE = 60_000;
const DAY = 86_400_000;

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/**
 * The q-quantile, q = num/den, interpolated linearly between the closest ranks (h = q·(n−1)); for q = ½
 * that is the median: the middle value, or the mean of the two middle ones.
 */
function quantile(o: OrderStats, num: number, den: number): number {
  const h = num * (o.samples - 1);
  const lo = Math.floor(h / den) + 1;
  const frac = h % den;
  const a = o.byRank[lo]!;
  return frac === 0 ? a : (a * (den - frac) + o.byRank[lo + 1]! * frac) / den;
}

/** The 1-based ranks of `n` sorted samples that the median and the 90th percentile read. */
export function ranksFor(n: number): number[] {
  if (n === 0) return [];
  const ranks = new Set([Math.floor((n - 1) / 2) + 1, Math.floor(n / 2) + 1, Math.floor((9 * (n - 1)) / 10) + 1, Math.floor((9 * (n - 1)) / 10) + 2]);
  return [...ranks].filter((r) => r <= n).sort((a, b) => a - b);
}

/** Sorted samples (ms) as a store would read them. */
export function orderStats(values: readonly number[]): OrderStats {
  const sorted = [...values].sort((a, b) => a - b);
  const byRank: Record<number, number> = {};
  for (const r of ranksFor(sorted.length)) byRank[r] = sorted[r - 1]!;
  return { samples: sorted.length, sumMs: sorted.reduce((a, b) => a + b, 0), byRank };
}

/** Median, 90th percentile and mean in minutes with one decimal. */
export function statFrom(o: OrderStats): DurationStat {
  if (o.samples === 0) return { median: null, p90: null, mean: null, samples: 0 };
  const minutes = (v: number) => round(v / MINUTE, 1);
  return { median: minutes(quantile(o, 1, 2)), p90: minutes(quantile(o, 9, 10)), mean: minutes(o.sumMs / o.samples), samples: o.samples };
}

/** Median, 90th percentile and mean of samples in minutes, one decimal. */
export function durationStat(minutes: readonly number[]): DurationStat {
  return statFrom(orderStats(minutes.map((m) => m * MINUTE)));
}

/** Every ISO week the window touches, oldest first (empty weeks included, for charts). */
function weeksOf(from: number, to: number): string[] {
  const start = new Date(from);
  let monday = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const weeks: string[] = [];
  for (; monday <= to; monday += 7 * DAY) weeks.push(isoWeek(new Date(monday).toISOString()));
  return weeks;
}

/** The order statistics of no samples. */
export const zeroStats: OrderStats = { samples: 0, sumMs: 0, byRank: {} };

/** The answer from the aggregates; pure. */
export function insightsFrom(data: InsightsData, opts: InsightsOptions): Insights {
  const from = ms(opts.from);
  const to = ms(opts.to);
  const bySeverity = Object.fromEntries([...SEVERITIES, 'unset'].map((s) => [s, 0])) as Record<Severity | 'unset', number>;
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  let total = 0;
  let autoDeclared = 0;
  let counted = 0;
  let failures = 0;
  for (const g of data.groups) {
    total += g.n;
    bySeverity[g.severity ?? 'unset'] += g.n;
    byStatus[g.status] += g.n;
    if (g.auto) autoDeclared += g.n;
    if (g.status !== 'cancelled') {
      counted += g.n;
      if (g.changeFailure) failures += g.n;
    }
  }
  const cfr = { failures, deploys: data.deploys, rate: data.deploys === 0 ? null : round(failures / data.deploys, 3) };
  const pm = data.postmortems;
  const decided = pm.onTime + pm.late + pm.overdue;
  const load = data.responders
    .map((r) => ({ ...r, share: round(r.incidents / counted, 3) }))
    .sort((a, b) => b.incidents - a.incidents || b.commander - a.commander || (a.person < b.person ? -1 : 1));
  const weekly = new Map(data.weeks.map((w) => [w.week, w]));
  const byKind = Object.fromEntries(TIMER_KINDS.map((k) => [k, data.nudges[k] ?? 0])) as Record<TimerKind, number>;
  const warnings: Warning[] = [];
  if (counted >= CONCENTRATION_MIN_INCIDENTS) {
    for (const r of load) {
      if (r.incidents / counted <= CONCENTRATION_SHARE) continue;
      warnings.push({
        code: 'responder_concentration',
        message: `${r.person} was on ${r.incidents} of ${counted} incidents (${Math.round(r.share * 100)}%): spread the load before it burns one person out.`,
      });
    }
  }
  for (const message of data.soleWarnings) warnings.push({ code: 'commander_is_sole_responder', message });
  return {
    window: { from: opts.from, to: opts.to, days: round((to - from) / DAY, 2) },
    filters: { service: opts.service ?? null, severity: [...(opts.severity ?? [])] },
    incidents: { total, bySeverity, byStatus, autoDeclared },
    mttd: statFrom(data.durations.ttd),
    mtta: statFrom(data.durations.tta),
    timeToMitigate: statFrom(data.durations.ttm),
    mttr: statFrom(data.durations.ttr),
    changeFailureRate: cfr,
    dora: { changeFailureRate: { ...cfr }, timeToRestore: statFrom(data.durations.restore) },
    postmortems: { ...pm, punctuality: decided === 0 ? null : round(pm.onTime / decided, 3) },
    actionItems: { ...data.actionItems },
    nudges: { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind },
    responders: load,
    overrides: { count: data.overrides.length, items: data.overrides },
    trend: weeksOf(from, to).map((week) => {
      const w = weekly.get(week);
      return {
        week,
        incidents: w?.incidents ?? 0,
        mttaMinutes: statFrom(w?.tta ?? zeroStats).median,
        mttrMinutes: statFrom(w?.ttr ?? zeroStats).median,
      };
    }),
    warnings,
  };
}

/** A fired timer, for the nudge counts. */
export interface FiredTimer {
  incident: number;
  kind: TimerKind;
  firedAt: string;
}

/** Overrides oldest first; ties by incident number, then as recorded. */
export function sortOverrides(items: (OverrideItem & { number: number })[]): OverrideItem[] {
  return items
    .map((o, i) => ({ o, i, at: ms(o.at) }))
    .sort((a, b) => a.at - b.at || a.o.number - b.o.number || a.i - b.i)
    .map(({ o: { number: _, ...o } }) => o);
}

/**
 * The aggregates computed in memory from whole incidents: the reference the SQL of the stores is
 * tested against. `incidents` may hold more than the window (every figure picks its own scope, as
 * docs/API.md#insights defines); action items count only the open incidents among those given.
 */
export function insightsData(
  incidents: readonly Incident[],
  deploys: readonly InsightsDeploy[],
  opts: InsightsOptions,
  timers: readonly FiredTimer[] = [],
): InsightsData {
  const from = ms(opts.from);
  const to = ms(opts.to);
  const now = ms(opts.now);
  const inWindow = (t: number | null) => t !== null && t >= from && t <= to;
  const matches = (i: Incident) =>
    (opts.service === undefined || i.services.includes(opts.service)) &&
    (opts.severity === undefined || opts.severity.length === 0 || (i.severity !== null && opts.severity.includes(i.severity)));
  const all = [...incidents]
    .filter(matches)
    .sort((a, b) => a.number - b.number)
    .map((i) => ({ i, f: incidentFacts(i) }));
  const declared = all.filter(({ f }) => inWindow(f.declaredMs));
  const counted = declared.filter(({ i }) => i.status !== 'cancelled');

  const groups = new Map<string, InsightsData['groups'][number]>();
  for (const { i, f } of declared) {
    const status = i.status as Status;
    const key = `${i.severity}|${status}|${f.auto}|${f.changeFailure}`;
    const g = groups.get(key) ?? { severity: i.severity, status, auto: f.auto, changeFailure: f.changeFailure, n: 0 };
    g.n += 1;
    groups.set(key, g);
  }
  const stats = (list: typeof counted, pick: (f: IncidentFacts) => number | null) =>
    orderStats(list.map(({ f }) => pick(f)).filter((v): v is number => v !== null));

  const pm = { due: 0, onTime: 0, late: 0, overdue: 0, pending: 0, skipped: 0 };
  for (const { i, f } of all) {
    if (i.status === 'cancelled' || !inWindow(f.postmortemDueMs)) continue;
    const due = f.postmortemDueMs!;
    pm.due += 1;
    if (f.postmortemDoneMs !== null) pm[f.postmortemDoneMs <= due ? 'onTime' : 'late'] += 1;
    else pm[due < now ? 'overdue' : 'pending'] += 1;
    if (f.postmortemSkipped) pm.skipped += 1;
  }

  const actions = { open: 0, overdue: 0, done: 0, doneOnTime: 0 };
  const open = (s: Incident['status']) => (UNCLOSED_STATUSES as readonly string[]).includes(s);
  for (const { i, f } of all) {
    if (!inWindow(f.declaredMs) && !open(i.status)) continue;
    for (const a of i.actions) {
      if (a.status === 'done') {
        actions.done += 1;
        if (a.doneAt && ms(a.doneAt) <= ms(a.dueAt)) actions.doneOnTime += 1;
      } else {
        actions.open += 1;
        if (ms(a.dueAt) < now) actions.overdue += 1;
      }
    }
  }

  const load = new Map<string, { incidents: number; commander: number }>();
  for (const { f } of counted) {
    for (const p of f.people) {
      const l = load.get(p.person) ?? { incidents: 0, commander: 0 };
      l.incidents += 1;
      if (p.commander) l.commander += 1;
      load.set(p.person, l);
    }
  }

  const weeks = new Map<string, typeof counted>();
  for (const c of counted) weeks.set(c.f.week, [...(weeks.get(c.f.week) ?? []), c]);

  const byNumber = new Map(all.map(({ i }) => [i.number, i]));
  const nudges: Partial<Record<TimerKind, number>> = {};
  for (const t of timers) {
    if (!inWindow(ms(t.firedAt))) continue;
    const filtered = opts.service !== undefined || (opts.severity?.length ?? 0) > 0;
    if (filtered && !byNumber.has(t.incident)) continue;
    nudges[t.kind] = (nudges[t.kind] ?? 0) + 1;
  }

  return {
    groups: [...groups.values()],
    durations: {
      ttd: stats(counted, (f) => f.ttdMs),
      tta: stats(counted, (f) => f.ttaMs),
      ttm: stats(counted, (f) => f.ttmMs),
      ttr: stats(counted, (f) => f.ttrMs),
      restore: stats(
        counted.filter(({ f }) => f.changeFailure),
        (f) => f.ttrMs,
      ),
    },
    deploys: deploys.filter(
      (d) => d.status === 'succeeded' && inWindow(ms(d.startedAt)) && (opts.service === undefined || d.service === opts.service),
    ).length,
    postmortems: pm,
    actionItems: actions,
    responders: [...load].map(([person, l]) => ({ person, ...l })),
    overrides: sortOverrides(declared.flatMap(({ i, f }) => f.overrides.map((o) => ({ incident: i.id, number: i.number, ...o })))),
    weeks: [...weeks].map(([week, list]) => ({
      week,
      incidents: list.length,
      tta: stats(list, (f) => f.ttaMs),
      ttr: stats(list, (f) => f.ttrMs),
    })),
    soleWarnings: counted.flatMap(({ f }) => (f.soleResponderWarning ? [f.soleResponderWarning] : [])),
    nudges,
  };
}

/**
 * Insights over one window, in memory: the reference for the stores' SQL (see `insightsData`). Pure:
 * the clock comes in as `opts.now`.
 */
export function computeInsights(
  incidents: readonly Incident[],
  deploys: readonly InsightsDeploy[],
  opts: InsightsOptions,
  timers: readonly FiredTimer[] = [],
): Insights {
  return insightsFrom(insightsData(incidents, deploys, opts, timers), opts);
}
