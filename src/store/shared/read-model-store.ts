import { sql, type ExpressionBuilder, type Selectable } from 'kysely';
import type { ActionKind, ActionStatus, Priority, Severity, Status } from '../../domain/incident/types.js';
import { UNCLOSED_STATUSES } from '../../domain/incident/types.js';
import {
  ranksFor,
  zeroStats,
  sortOverrides,
  type DurationName,
  type InsightsData,
  type InsightsOptions,
  type OrderStats,
} from '../../domain/insights/insights.js';
import type { OverrideFact } from '../../domain/insights/facts.js';
import type { TimerKind } from '../../domain/timers/plan.js';
import { formatIncidentId } from '../../domain/incident/types.js';
import type { ActionSummary, PostmortemListState, PostmortemSummary, Store } from '../../service/ports.js';
import type { Db } from './kysely-store.js';
import type { Database } from './schema.js';

type ReadModelReads = Pick<Store, 'listPostmortems' | 'listActions' | 'insightsData'>;
type FactsEb = ExpressionBuilder<Database, 'incident_facts'>;

const num = (v: number | string | bigint | null | undefined) => (v === null || v === undefined ? 0 : Number(v));

/** The cross-incident lists and the insights aggregates, read from the read model (read-model.ts). */
export function readModelReads(reader: Db): ReadModelReads {
  return {
    listPostmortems: async (f) => {
      let q = reader
        .selectFrom('incident_facts')
        .select(['number', 'title', 'severity', 'status', 'pm_state', 'pm_author', 'pm_reviewers', 'resolved_at', 'pm_due_at', 'published_at'])
        .where((eb) => eb.or([eb('pm_state', 'is not', null), eb('resolved_at', 'is not', null)]))
        .orderBy('number', 'desc')
        .limit(f.limit);
      if (f.states) {
        const states = f.states.filter((s): s is Exclude<PostmortemListState, 'missing'> => s !== 'missing');
        const missing = f.states.includes('missing');
        if (states.length === 0 && !missing) return [];
        q = q.where((eb) =>
          eb.or([...(states.length > 0 ? [eb('pm_state', 'in', states)] : []), ...(missing ? [eb('pm_state', 'is', null)] : [])]),
        );
      }
      if (f.overdue) {
        const at = Date.parse(f.overdue.at);
        const overdue = (eb: FactsEb) =>
          eb.and([eb('pm_due_ms', '<', at), eb('published_at', 'is', null), eb('status', 'not in', ['closed', 'cancelled'])]);
        q = q.where((eb) => (f.overdue!.is ? overdue(eb) : eb.not(overdue(eb))));
      }
      if (f.before !== undefined) q = q.where('number', '<', f.before);
      return (await q.execute()).map(
        (r): PostmortemSummary => ({
          incident: r.number,
          title: r.title,
          severity: r.severity as Severity | null,
          status: r.status as Status,
          state: (r.pm_state ?? 'missing') as PostmortemListState,
          author: r.pm_author,
          reviewers: JSON.parse(r.pm_reviewers) as string[],
          resolvedAt: r.resolved_at,
          dueAt: r.pm_due_at,
          publishedAt: r.published_at,
        }),
      );
    },

    listActions: async (f) => {
      let q = reader
        .selectFrom('action_items')
        .innerJoin('incident_facts', 'incident_facts.number', 'action_items.incident_number')
        .selectAll('action_items')
        .select(['incident_facts.title as incident_title', 'incident_facts.status as incident_status'])
        .where('incident_facts.status', '!=', 'cancelled')
        .orderBy('action_items.due_at')
        .orderBy('action_items.id')
        .limit(f.limit);
      if (f.owner !== undefined) q = q.where('action_items.owner', '=', f.owner);
      if (f.status?.length === 0 || f.kind?.length === 0) return [];
      if (f.status) q = q.where('action_items.status', 'in', f.status);
      if (f.kind) q = q.where('action_items.kind', 'in', f.kind);
      if (f.incident !== undefined) q = q.where('action_items.incident_number', '=', f.incident);
      if (f.overdue) {
        const at = Date.parse(f.overdue.at);
        q = q.where((eb) => {
          const overdue = eb.and([eb('action_items.due_ms', '<', at), eb('action_items.status', '!=', 'done')]);
          return f.overdue!.is ? overdue : eb.not(overdue);
        });
      }
      const after = f.after;
      if (after) {
        q = q.where((eb) =>
          eb.or([
            eb('action_items.due_at', '>', after.dueAt),
            eb.and([eb('action_items.due_at', '=', after.dueAt), eb('action_items.id', '>', after.id)]),
          ]),
        );
      }
      return (await q.execute()).map(
        (r): ActionSummary => ({
          ...toAction(r),
          incident: r.incident_number,
          incidentTitle: r.incident_title,
          incidentStatus: r.incident_status as Status,
        }),
      );
    },

    insightsData: (q) => insightsData(reader, q),
  };
}

const toAction = (r: Selectable<Database['action_items']>) => ({
  id: r.id,
  title: r.title,
  owner: r.owner,
  dueAt: r.due_at,
  priority: r.priority as Priority,
  status: r.status as ActionStatus,
  fromQuestion: r.from_question,
  kind: r.kind as ActionKind,
  ticketUrl: r.ticket_url,
  fromGuardrail: r.from_guardrail,
  createdAt: r.created_at,
  doneAt: r.done_at,
});

/** The ranks statFrom reads (domain/insights/insights.ts `ranksFor`), from the row number and the count. */
const WANTED_RANKS = sql<boolean>`rn in ((cnt - 1) / 2 + 1, cnt / 2 + 1, (9 * (cnt - 1)) / 10 + 1, (9 * (cnt - 1)) / 10 + 2)`;

const DURATION_COLUMNS = { ttd: 'ttd_ms', tta: 'tta_ms', ttm: 'ttm_ms', ttr: 'ttr_ms', restore: 'ttr_ms' } as const;
type DurationColumn = (typeof DURATION_COLUMNS)[DurationName];

/** The first ranks of the runs of two that hold every rank `ranksFor` names: each read as `limit 2 offset rank - 1`. */
function rankRuns(n: number): number[] {
  const runs: number[] = [];
  for (const r of ranksFor(n)) if (!runs.some((s) => r === s || r === s + 1)) runs.push(r);
  return runs;
}

async function insightsData(db: Db, q: InsightsOptions): Promise<InsightsData> {
  const from = Date.parse(q.from);
  const to = Date.parse(q.to);
  const now = Date.parse(q.now);
  const severity = q.severity?.length ? [...q.severity] : undefined;
  const service = q.service;

  /** The filters, on incident_facts. */
  const matches = (eb: FactsEb) =>
    eb.and([
      ...(severity ? [eb('incident_facts.severity', 'in', severity)] : []),
      ...(service !== undefined
        ? [eb('incident_facts.number', 'in', eb.selectFrom('incident_services').select('number').where('service', '=', service))]
        : []),
    ]);
  const declared = (eb: FactsEb) => eb.and([eb.between('incident_facts.declared_ms', from, to), matches(eb)]);
  const counted = (eb: FactsEb) => eb.and([declared(eb), eb('incident_facts.status', '!=', 'cancelled')]);
  const facts = () => db.selectFrom('incident_facts');
  /**
   * The window for the rank walks. Unfiltered, `+declared_ms` (the same test, not an indexable term) makes
   * both engines walk the duration's ordered index (migration 0010) to the rank instead of reading the
   * window by declaration and sorting it; with a service filter the window read and sort is cheaper.
   */
  const inWindowForWalk =
    service === undefined
      ? sql<boolean>`+incident_facts.declared_ms between ${from} and ${to}`
      : sql<boolean>`incident_facts.declared_ms between ${from} and ${to}`;

  /**
   * The samples of one duration (restore: the change failures' time to restore), optionally of one ISO week:
   * the rows to count and the ones to walk in order.
   */
  const samples = (name: DurationName, week?: string) => {
    const col = DURATION_COLUMNS[name];
    return facts()
      .where((eb) => eb.and([inWindowForWalk, eb('incident_facts.status', '!=', 'cancelled'), matches(eb)]))
      .where(col, 'is not', null)
      .$if(name === 'restore', (qb) => qb.where('change_failure', '=', 1))
      .$if(week !== undefined, (qb) => qb.where('iso_week', '=', week!));
  };
  /**
   * The values at the ranks ranksFor(n) names (or only the median's, `runs` given), each run of two read
   * as an index walk to it (no sort); the walks run side by side where the engine has several connections.
   */
  const ranks = async (name: DurationName, n: number, week?: string, runs = rankRuns(n)): Promise<Record<number, number>> => {
    const col: DurationColumn = DURATION_COLUMNS[name];
    const byRank: Record<number, number> = {};
    await Promise.all(
      runs.map(async (first) => {
        const rows = await samples(name, week).select(col).orderBy(col).limit(2).offset(first - 1).execute();
        rows.forEach((r, i) => (byRank[first + i] = num((r as Record<string, number>)[col])));
      }),
    );
    return byRank;
  };
  /** Counts and sums of every duration in one scan of the window, then each one's ranks. */
  const overall = async (): Promise<Record<DurationName, OrderStats>> => {
    const c = await facts()
      .select((eb) => [
        eb.fn.count('ttd_ms').as('ttd_n'),
        eb.fn.sum('ttd_ms').as('ttd_s'),
        eb.fn.count('tta_ms').as('tta_n'),
        eb.fn.sum('tta_ms').as('tta_s'),
        eb.fn.count('ttm_ms').as('ttm_n'),
        eb.fn.sum('ttm_ms').as('ttm_s'),
        eb.fn.count('ttr_ms').as('ttr_n'),
        eb.fn.sum('ttr_ms').as('ttr_s'),
        sql<number>`count(case when change_failure = 1 then ttr_ms end)`.as('restore_n'),
        sql<number>`sum(case when change_failure = 1 then ttr_ms end)`.as('restore_s'),
      ])
      .where(counted)
      .executeTakeFirstOrThrow();
    const stat = async (name: DurationName): Promise<OrderStats> => {
      const samplesN = num(c[`${name}_n`]);
      return { samples: samplesN, sumMs: num(c[`${name}_s`]), byRank: await ranks(name, samplesN) };
    };
    const [ttd, tta, ttm, ttr, restore] = await Promise.all((['ttd', 'tta', 'ttm', 'ttr', 'restore'] as const).map(stat));
    return { ttd: ttd!, tta: tta!, ttm: ttm!, ttr: ttr!, restore: restore! };
  };
  /**
   * With a service filter, the ranks of every sample one statement per duration: row numbers over the
   * window (per ISO week for the trend), the rows at the wanted ranks kept. A service's window is small
   * enough to sort, and its membership test is paid once per statement instead of once per rank.
   */
  const windowed = async (name: DurationName, byWeek: boolean): Promise<Map<string, OrderStats>> => {
    const col = DURATION_COLUMNS[name];
    const inner = samples(name).select((eb) => [
      'iso_week',
      eb.ref(col).as('v'),
      (byWeek
        ? eb.fn.agg<number>('row_number', []).over((ob) => ob.partitionBy('iso_week').orderBy(col))
        : eb.fn.agg<number>('row_number', []).over((ob) => ob.orderBy(col))
      ).as('rn'),
      (byWeek ? eb.fn.countAll().over((ob) => ob.partitionBy('iso_week')) : eb.fn.countAll().over()).as('cnt'),
      (byWeek ? eb.fn.sum(col).over((ob) => ob.partitionBy('iso_week')) : eb.fn.sum(col).over()).as('total'),
    ]);
    const rows = await db.selectFrom(inner.as('s')).select(['iso_week', 'v', 'rn', 'cnt', 'total']).where(WANTED_RANKS).execute();
    const stats = new Map<string, OrderStats>();
    for (const r of rows) {
      const key = byWeek ? r.iso_week : '';
      const o = stats.get(key) ?? { samples: num(r.cnt), sumMs: num(r.total), byRank: {} };
      o.byRank[num(r.rn)] = num(r.v);
      stats.set(key, o);
    }
    return stats;
  };
  const durationStats = async (): Promise<Record<DurationName, OrderStats>> => {
    if (service === undefined) return overall();
    const out = {} as Record<DurationName, OrderStats>;
    for (const name of ['ttd', 'tta', 'ttm', 'ttr', 'restore'] as const) out[name] = (await windowed(name, false)).get('') ?? zeroStats;
    return out;
  };
  const weekStats = (name: 'tta' | 'ttr') => (service === undefined ? weekly(name) : windowed(name, true));

  /** The trend's medians: per ISO week, the count and sum of a duration, then its middle ranks only (the trend shows no p90). */
  const weekly = async (name: 'tta' | 'ttr'): Promise<Map<string, OrderStats>> => {
    const col = DURATION_COLUMNS[name];
    const rows = await samples(name)
      .select((eb) => ['iso_week', eb.fn.count(col).as('n'), eb.fn.sum(col).as('s')])
      .groupBy('iso_week')
      .execute();
    const weeks = await Promise.all(
      rows.map(async (r): Promise<[string, OrderStats]> => {
        const n = num(r.n);
        return [r.iso_week, { samples: n, sumMs: num(r.s), byRank: await ranks(name, n, r.iso_week, [Math.floor((n - 1) / 2) + 1]) }];
      }),
    );
    return new Map(weeks);
  };

  const caseSum = (cond: ReturnType<typeof sql<boolean>>) => sql<number>`sum(case when ${cond} then 1 else 0 end)`;

  const [groups, durations, weekTta, weekTtr, deploys, pm, actions, people, overrides, sole, nudges] =
    await Promise.all([
      facts()
        .select((eb) => ['severity', 'status', 'auto', 'change_failure', 'iso_week', eb.fn.countAll().as('n')])
        .where(declared)
        .groupBy(['severity', 'status', 'auto', 'change_failure', 'iso_week'])
        .execute(),
      durationStats(),
      weekStats('tta'),
      weekStats('ttr'),
      db
        .selectFrom('deploys')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('status', '=', 'succeeded')
        .where('started_at', '>=', q.from)
        .where('started_at', '<=', q.to)
        .$if(service !== undefined, (qb) => qb.where('service', '=', service!))
        .executeTakeFirstOrThrow(),
      facts()
        .select((eb) => [
          eb.fn.countAll().as('due'),
          caseSum(sql`pm_done_ms is not null and pm_done_ms <= pm_due_ms`).as('on_time'),
          caseSum(sql`pm_done_ms is not null and pm_done_ms > pm_due_ms`).as('late'),
          caseSum(sql`pm_done_ms is null and pm_due_ms < ${now}`).as('overdue'),
          caseSum(sql`pm_done_ms is null and pm_due_ms >= ${now}`).as('pending'),
          eb.fn.sum('pm_skipped').as('skipped'),
        ])
        .where((eb) => eb.and([eb.between('pm_due_ms', from, to), eb('status', '!=', 'cancelled'), matches(eb)]))
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('action_items')
        .select((eb) => [
          eb.fn.countAll().as('n'),
          caseSum(sql`action_items.status = 'done'`).as('done'),
          caseSum(sql`action_items.status <> 'done' and action_items.due_ms < ${now}`).as('overdue'),
          caseSum(sql`action_items.status = 'done' and action_items.done_ms <= action_items.due_ms`).as('done_on_time'),
        ])
        .where('action_items.incident_number', 'in', (eb) =>
          eb
            .selectFrom('incident_facts')
            .select('number')
            .where(declared)
            .union(eb.selectFrom('incident_facts').select('number').where('status', 'in', UNCLOSED_STATUSES).where(matches)),
        )
        .executeTakeFirstOrThrow(),
      db
        .selectFrom('incident_people')
        .innerJoin('incident_facts', 'incident_facts.number', 'incident_people.incident_number')
        .select((eb) => ['incident_people.person', eb.fn.countAll().as('n'), eb.fn.sum('incident_people.commander').as('commands')])
        .where(counted)
        .groupBy('incident_people.person')
        .execute(),
      facts().select(['number', 'overrides']).where(declared).where('override_count', '>', 0).execute(),
      facts().select(['sole_warning']).where(counted).where('sole_warning', 'is not', null).orderBy('number').execute(),
      db
        .selectFrom('timers')
        .select((eb) => ['kind', eb.fn.countAll().as('n')])
        .where('state', '=', 'fired')
        .where('fired_at', '>=', q.from)
        .where('fired_at', '<=', q.to)
        .$if(service !== undefined || severity !== undefined, (qb) =>
          qb.where('incident_number', 'in', (eb) => eb.selectFrom('incident_facts').select('number').where(matches)),
        )
        .groupBy('kind')
        .execute(),
    ]);

  const done = num(actions.done);
  const weekCounts = new Map<string, number>();
  for (const g of groups) if (g.status !== 'cancelled') weekCounts.set(g.iso_week, (weekCounts.get(g.iso_week) ?? 0) + num(g.n));
  return {
    groups: groups.map((g) => ({
      severity: g.severity as Severity | null,
      status: g.status as Status,
      auto: num(g.auto) === 1,
      changeFailure: num(g.change_failure) === 1,
      n: num(g.n),
    })),
    durations,
    deploys: num(deploys.n),
    postmortems: {
      due: num(pm.due),
      onTime: num(pm.on_time),
      late: num(pm.late),
      overdue: num(pm.overdue),
      pending: num(pm.pending),
      skipped: num(pm.skipped),
    },
    actionItems: { open: num(actions.n) - done, overdue: num(actions.overdue), done, doneOnTime: num(actions.done_on_time) },
    responders: people.map((p) => ({ person: p.person, incidents: num(p.n), commander: num(p.commands) })),
    overrides: sortOverrides(
      overrides.flatMap((r) =>
        (JSON.parse(r.overrides) as OverrideFact[]).map((o) => ({ incident: formatIncidentId(r.number), number: r.number, ...o })),
      ),
    ),
    weeks: [...weekCounts].map(([week, incidents]) => ({
      week,
      incidents,
      tta: weekTta.get(week) ?? zeroStats,
      ttr: weekTtr.get(week) ?? zeroStats,
    })),
    soleWarnings: sole.map((r) => r.sole_warning!),
    nudges: Object.fromEntries(nudges.map((r) => [r.kind as TimerKind, num(r.n)])),
  };
}
