import type { DeployStatus } from '../deploys/types.js';
import type { Incident } from '../incident/state.js';
import { SEVERITIES, STATUSES, type Severity, type Status, UNCLOSED_STATUSES } from '../incident/types.js';
import { incidentWarnings, type Warning } from '../incident/view.js';

/** The few deploy fields insights read. */
export interface InsightsDeploy {
  service: string;
  status: DeployStatus;
  startedAt: string;
  finishedAt: string | null;
}

/** The window (both ends inclusive) and the clock that decides what is overdue. */
export interface InsightsOptions {
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

/** What `GET /api/v1/insights` answers; every definition is in docs/API.md#insights. */
export interface Insights {
  window: { from: string; to: string; days: number };
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
  changeFailureRate: { failures: number; deploys: number; rate: number | null };
  postmortems: { due: number; onTime: number; late: number; overdue: number; pending: number; punctuality: number | null };
  actionItems: { open: number; overdue: number; done: number };
  responders: ResponderLoad[];
  overrides: { count: number; items: OverrideItem[] };
  trend: TrendWeek[];
  warnings: Warning[];
}

/** A person on more than this share of the window's incidents is a hero-culture warning… */
const CONCENTRATION_SHARE = 0.5;
/** …once the window holds at least this many incidents. */
const CONCENTRATION_MIN_INCIDENTS = 4;

const MINUTE = 60_000;
const DAY = 86_400_000;

const ms = (iso: string | null | undefined) => (iso ? Date.parse(iso) : NaN);
const round = (n: number, places: number) => Math.round(n * 10 ** places) / 10 ** places;

/** Median and mean of the samples, in minutes with one decimal. */
export function durationStat(minutes: readonly number[]): DurationStat {
  if (minutes.length === 0) return { median: null, mean: null, samples: 0 };
  return { median: round(median(minutes), 1), mean: round(minutes.reduce((a, b) => a + b, 0) / minutes.length, 1), samples: minutes.length };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * Minutes from one milestone to another; undefined when either is missing or the end comes first
 * (an impact start moved after the milestone), so such an incident is no sample at all.
 */
function minutesBetween(start: string | null, end: string | null): number | undefined {
  const d = ms(end) - ms(start);
  return Number.isFinite(d) && d >= 0 ? d / MINUTE : undefined;
}

const samples = (list: readonly Incident[], f: (i: Incident) => number | undefined) =>
  list.map(f).filter((n): n is number => n !== undefined);

/** The ISO-8601 week of a time, `2026-W47` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** Every ISO week the window touches, oldest first (empty weeks included, for charts). */
function weeksOf(from: number, to: number): string[] {
  const start = new Date(from);
  let monday = Date.UTC(start.getUTCFullYear(), start.getUTCMonth(), start.getUTCDate() - ((start.getUTCDay() + 6) % 7));
  const weeks: string[] = [];
  for (; monday <= to; monday += 7 * DAY) weeks.push(isoWeek(new Date(monday).toISOString()));
  return weeks;
}

/** The incidents by the ISO week they were declared in. */
function byWeek(list: readonly Incident[]): Map<string, Incident[]> {
  const weeks = new Map<string, Incident[]>();
  for (const i of list) {
    const week = isoWeek(i.milestones.declaredAt!);
    const those = weeks.get(week);
    if (those) those.push(i);
    else weeks.set(week, [i]);
  }
  return weeks;
}

const inWindow = (iso: string | null, from: number, to: number) => {
  const t = ms(iso);
  return t >= from && t <= to;
};

/**
 * Insights over one window. `incidents` may hold more than the window (the service adds
 * every open incident and the recently resolved ones); each figure picks its own scope, as
 * docs/API.md#insights defines. Pure: the clock comes in as `opts.now`.
 */
export function computeInsights(
  incidents: readonly Incident[],
  deploys: readonly InsightsDeploy[],
  opts: InsightsOptions,
): Insights {
  const from = ms(opts.from);
  const to = ms(opts.to);
  const now = ms(opts.now);

  const declared = incidents.filter((i) => inWindow(i.milestones.declaredAt, from, to));
  const counted = declared.filter((i) => i.status !== 'cancelled');

  const bySeverity = Object.fromEntries([...SEVERITIES, 'unset'].map((s) => [s, 0])) as Record<Severity | 'unset', number>;
  const byStatus = Object.fromEntries(STATUSES.map((s) => [s, 0])) as Record<Status, number>;
  for (const i of declared) {
    bySeverity[i.severity ?? 'unset'] += 1;
    if (i.status !== 'new') byStatus[i.status] += 1;
  }

  const mttaOf = (i: Incident) => minutesBetween(i.milestones.declaredAt, i.milestones.acknowledgedAt);
  const mttrOf = (i: Incident) => minutesBetween(i.milestones.startedAt, i.milestones.resolvedAt);

  const failures = counted.filter((i) => i.suspects.some((s) => s.relation === 'affected')).length;
  const deployCount = deploys.filter((d) => d.status === 'succeeded' && inWindow(d.startedAt, from, to)).length;
  const load = responders(counted);
  const weekly = byWeek(counted);

  return {
    window: { from: opts.from, to: opts.to, days: round((to - from) / DAY, 2) },
    incidents: {
      total: declared.length,
      bySeverity,
      byStatus,
      autoDeclared: declared.filter((i) => i.auto).length,
    },
    mttd: durationStat(samples(counted, (i) => minutesBetween(i.milestones.startedAt, i.milestones.detectedAt))),
    mtta: durationStat(samples(counted, mttaOf)),
    timeToMitigate: durationStat(samples(counted, (i) => minutesBetween(i.milestones.startedAt, i.milestones.mitigatedAt))),
    mttr: durationStat(samples(counted, mttrOf)),
    changeFailureRate: { failures, deploys: deployCount, rate: deployCount === 0 ? null : round(failures / deployCount, 3) },
    postmortems: postmortems(incidents, from, to, now),
    actionItems: actionItems(incidents, declared, now),
    responders: load,
    overrides: overrides(declared),
    trend: weeksOf(from, to).map((week) => {
      const those = weekly.get(week) ?? [];
      return {
        week,
        incidents: those.length,
        mttaMinutes: durationStat(samples(those, mttaOf)).median,
        mttrMinutes: durationStat(samples(those, mttrOf)).median,
      };
    }),
    warnings: warnings(counted, load),
  };
}

/** Complete = closed: the closed gate requires a complete postmortem. */
function postmortems(incidents: readonly Incident[], from: number, to: number, now: number): Insights['postmortems'] {
  const r = { due: 0, onTime: 0, late: 0, overdue: 0, pending: 0 };
  for (const i of incidents) {
    if (i.status === 'cancelled' || !inWindow(i.postmortemDueAt, from, to)) continue;
    const due = ms(i.postmortemDueAt);
    const closed = ms(i.milestones.closedAt);
    r.due += 1;
    if (Number.isFinite(closed)) r[closed <= due ? 'onTime' : 'late'] += 1;
    else r[due < now ? 'overdue' : 'pending'] += 1;
  }
  const decided = r.onTime + r.late + r.overdue;
  return { ...r, punctuality: decided === 0 ? null : round(r.onTime / decided, 3) };
}

/** Items of the window's incidents plus every incident still open, each incident once. */
function actionItems(incidents: readonly Incident[], declared: readonly Incident[], now: number): Insights['actionItems'] {
  const scope = new Map<number, Incident>();
  for (const i of declared) scope.set(i.number, i);
  for (const i of incidents) if ((UNCLOSED_STATUSES as readonly string[]).includes(i.status)) scope.set(i.number, i);
  const r = { open: 0, overdue: 0, done: 0 };
  for (const i of scope.values()) {
    for (const a of i.actions) {
      if (a.status === 'done') r.done += 1;
      else {
        r.open += 1;
        if (ms(a.dueAt) < now) r.overdue += 1;
      }
    }
  }
  return r;
}

function responders(counted: readonly Incident[]): ResponderLoad[] {
  const load = new Map<string, { incidents: number; commander: number }>();
  for (const i of counted) {
    const { commander, responders: team, comms } = i.roles;
    const people = new Set([commander, ...team, comms].filter((p): p is string => p !== null));
    for (const person of people) {
      const l = load.get(person) ?? { incidents: 0, commander: 0 };
      l.incidents += 1;
      if (person === commander) l.commander += 1;
      load.set(person, l);
    }
  }
  return [...load]
    .map(([person, l]) => ({ person, ...l, share: round(l.incidents / counted.length, 3) }))
    .sort((a, b) => b.incidents - a.incidents || b.commander - a.commander || (a.person < b.person ? -1 : 1));
}

function overrides(declared: readonly Incident[]): Insights['overrides'] {
  const items = declared
    .flatMap((i) => i.overrides.map((o) => ({ incident: i.id, to: o.to, reason: o.reason, by: o.by, at: o.at })))
    .sort((a, b) => ms(a.at) - ms(b.at));
  return { count: items.length, items };
}

function warnings(counted: readonly Incident[], load: readonly ResponderLoad[]): Warning[] {
  const out: Warning[] = [];
  if (counted.length >= CONCENTRATION_MIN_INCIDENTS) {
    for (const r of load) {
      if (r.incidents / counted.length <= CONCENTRATION_SHARE) continue;
      out.push({
        code: 'responder_concentration',
        message: `${r.person} was on ${r.incidents} of ${counted.length} incidents (${Math.round(r.share * 100)}%): spread the load before it burns one person out.`,
      });
    }
  }
  for (const i of counted) {
    // The incident view's rule, applied to finished incidents too: the view leaves those out
    // because it nudges a live response, while insights look back.
    const live = i.status === 'closed' ? { ...i, status: 'resolved' as const } : i;
    for (const w of incidentWarnings(live)) {
      if (w.code === 'commander_is_sole_responder') out.push({ code: w.code, message: `${i.id}: ${w.message}` });
    }
  }
  return out;
}
