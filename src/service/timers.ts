import { upgradeCatalog } from '../domain/catalog/index.js';
import { notFound } from '../domain/errors.js';
import { formatIncidentId } from '../domain/incident/types.js';
import { timerFired } from '../domain/timers/fire.js';
import { stillDue, timersFor } from '../domain/timers/plan.js';
import { DEFAULT_TIMER_RULES, type TimerRules } from '../domain/timers/rules.js';
import type { ServiceDeps } from './deps.js';
import { applyTo, appendDraft, draftOf, type Draft } from './incident-log.js';
import type { Store, StoreTx, TimerRecord } from './ports.js';

/** What scheduling needs of a transaction. */
export type TimerWrites = Pick<StoreTx, 'saveTimers' | 'cancelTimers' | 'timerRules'>;

/**
 * The timers the draft's events cause, written in their transaction (called by appendDraft, after the
 * append): jobs whose condition was met are cancelled, new or moved ones scheduled.
 */
export async function scheduleTimers(tx: TimerWrites, draft: Draft): Promise<void> {
  const plan = timersFor(draft.base, draft.events, draft.state, tx.timerRules ?? DEFAULT_TIMER_RULES);
  const at = draft.events.at(-1)?.at ?? draft.state.lastEventAt ?? '';
  if (plan.cancel.length > 0) await tx.cancelTimers(draft.number, plan.cancel, at);
  if (plan.schedule.length > 0) await tx.saveTimers(draft.number, draft.state.version, plan.schedule, at);
}

/** The store with every transaction carrying these timer rules (main.ts and the alert worker wrap theirs). */
export function withTimerRules(store: Store, rules: TimerRules): Store {
  return {
    ...store,
    transaction: (fn) => store.transaction((tx) => fn({ ...tx, timerRules: rules })),
  };
}

export interface TimerRunnerOptions {
  rules?: TimerRules;
  /** How long a claim holds before another runner may take the timer (a crashed runner's claim expires). */
  leaseMs?: number;
  /** Timers claimed per round. */
  batch?: number;
}

export interface RunResult {
  fired: number;
  cancelled: number;
}

/** Why a claimed timer ended as it did: what the runner does with one job, in its own transaction. */
type Outcome = 'fired' | 'cancelled' | 'lost';

const DEFAULT_LEASE_MS = 60_000;
const DEFAULT_BATCH = 200;

/**
 * Claims due timers and fires each one whose condition still holds on the incident's current state
 * (appending TimerFired through a Draft, so the outbox notifies it), or cancels it. Exactly once across
 * instances: a claim leases the rows (SKIP LOCKED on PostgreSQL), and the firing re-reads the timer
 * under the incident's lock and acts only if it is still scheduled and still this runner's.
 */
export function timerRunner(deps: Pick<ServiceDeps, 'store' | 'clock' | 'ids' | 'log'>, opts: TimerRunnerOptions = {}) {
  const rules = opts.rules ?? DEFAULT_TIMER_RULES;
  const leaseMs = opts.leaseMs ?? DEFAULT_LEASE_MS;
  const batch = opts.batch ?? DEFAULT_BATCH;
  const owner = deps.ids.next();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  const finish = (job: TimerRecord, now: string): Promise<Outcome> =>
    deps.store.transaction(async (tx) => {
      // The incident first, then the timer: the order appends take, so the two never deadlock.
      const loaded = await tx.loadIncident(job.incident);
      const current = await tx.lockTimer(job.id);
      if (!current || current.state !== 'scheduled' || current.leaseOwner !== owner) return 'lost';
      if (!loaded || !stillDue(current, loaded.state)) {
        await tx.finishTimer(job.id, 'cancelled', now);
        return 'cancelled';
      }
      // Marked fired before the append, so a timer the firing re-arms (the update cadence) can take its key.
      await tx.finishTimer(job.id, 'fired', now);
      const catalogRecord = current.kind === 'contain_first' ? await tx.currentCatalog() : undefined;
      const catalog = catalogRecord && upgradeCatalog(catalogRecord.catalog);
      const draft = draftOf(job.incident, loaded);
      applyTo(draft, [timerFired(current, loaded.state, tx.timerRules ?? rules, now, catalog)]);
      await appendDraft({ ...tx, timerRules: tx.timerRules ?? rules }, draft);
      return 'fired';
    });

  /** Fires every timer due at `now` (default: the clock's now); answers how many fired and were cancelled. */
  async function runOnce(now: string = deps.clock.now()): Promise<RunResult> {
    const result: RunResult = { fired: 0, cancelled: 0 };
    for (;;) {
      const until = new Date(Date.parse(now) + leaseMs).toISOString();
      const claimed = await deps.store.transaction((tx) => tx.claimTimers({ now, until, owner, limit: batch }));
      for (const job of claimed) {
        try {
          const outcome = await finish(job, now);
          if (outcome !== 'lost') result[outcome]++;
        } catch (err) {
          // Left scheduled: its lease expires and a runner tries again.
          deps.log.error({ err, timer: job.id }, 'timer firing failed');
        }
      }
      if (claimed.length < batch) return result;
    }
  }

  return {
    runOnce,
    /** Runs every `intervalMs` until stopped; a round never overlaps the one before. */
    start(intervalMs: number) {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = runOnce()
          .catch((err: unknown) => deps.log.error({ err }, 'timer round failed'))
          .finally(() => (running = undefined));
      }, intervalMs);
      timer.unref();
    },
    /** Stops the interval and waits for a round in progress. */
    async stop() {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}

export type TimerRunner = ReturnType<typeof timerRunner>;

/** One timer as `GET /api/v1/incidents/{id}/timers` answers it. */
export interface TimerView {
  id: string;
  kind: TimerRecord['kind'];
  dueAt: string;
  state: TimerRecord['state'];
  firedAt: string | null;
}

const timerView = (t: TimerRecord): TimerView => ({ id: t.id, kind: t.kind, dueAt: t.dueAt, state: t.state, firedAt: t.firedAt });

/** The incident's timers by due time; not_found when the incident does not exist. */
export async function listIncidentTimers(deps: Pick<ServiceDeps, 'store'>, number: number): Promise<TimerView[]> {
  const [loaded, timers] = await Promise.all([deps.store.loadIncident(number), deps.store.listTimers(number)]);
  if (!loaded) throw notFound(`Incident ${formatIncidentId(number)} does not exist.`);
  return timers.map(timerView);
}

/** The incident's earliest scheduled timer, for the room header; null when none is scheduled. */
export async function nextIncidentTimer(
  deps: Pick<ServiceDeps, 'store'>,
  number: number,
): Promise<{ kind: TimerRecord['kind']; dueAt: string } | null> {
  const next = await deps.store.nextTimer(number);
  return next ? { kind: next.kind, dueAt: next.dueAt } : null;
}
