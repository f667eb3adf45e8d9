import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { isFirebreakError } from '../domain/errors.js';
import type { OutboxWorker } from '../service/outbox.js';
import type { ServiceDeps } from '../service/deps.js';
import type { RetentionWorker } from '../service/retention.js';
import { scheduleCoverage, type ScheduleCoverage } from '../service/schedules.js';
import type { OutboxStats, Store } from '../service/ports.js';

/** The metrics of one app, in its own registry so several apps in one process never clash. */
export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route' | 'status'>;
  commands: Counter<'type' | 'outcome'>;
  alerts: Counter<'source' | 'outcome'>;
  alertDeclarations: Counter<'source'>;
  deploys: Counter<'source' | 'outcome'>;
  signInThrottled: Counter<'by'>;
  databaseErrors: Counter;
}

/** Creates the registry and the collectors. */
export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'firebreak_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'firebreak_http_requests_total',
      help: 'HTTP requests answered, by route pattern and status.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'firebreak_http_request_duration_seconds',
      help: 'Time to answer HTTP requests.',
      labelNames: ['method', 'route', 'status'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    commands: new Counter({
      name: 'firebreak_commands_total',
      help: 'Incident commands, by command type and outcome (ok, replayed or an error code).',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    alerts: new Counter({
      name: 'firebreak_alerts_total',
      help: 'Alerts taken in and committed, by sender (alertmanager, grafana, pagerduty, opsgenie, firebreak) and de-duplication outcome.',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    alertDeclarations: new Counter({
      name: 'firebreak_alert_declarations_total',
      help: 'Incidents declared by an alert, by sender.',
      labelNames: ['source'],
      registers: [registry],
    }),
    deploys: new Counter({
      name: 'firebreak_deploys_total',
      help: 'Deploys taken in, by sender (firebreak, github, pagerduty) and outcome (created, updated, duplicate).',
      labelNames: ['source', 'outcome'],
      registers: [registry],
    }),
    signInThrottled: new Counter({
      name: 'firebreak_signin_throttled_total',
      help: 'Sign-in attempts refused with 429, by the limit that refused them (username or address).',
      labelNames: ['by'],
      registers: [registry],
    }),
    databaseErrors: new Counter({
      name: 'firebreak_database_errors_total',
      help: 'Requests answered 500 because the database failed (an SQLite or PostgreSQL error, or a lost PostgreSQL connection).',
      registers: [registry],
    }),
  };
}

/** What pg says when a connection is lost or none can be had; its other errors carry a SQLSTATE. */
const PG_CONNECTION_ERRORS = new Set([
  'Connection terminated unexpectedly',
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
]);

/** An error the database raised: better-sqlite3's SQLITE_* codes, pg's SQLSTATE errors and lost connections. */
export function isDatabaseError(err: unknown): boolean {
  if (err === null || typeof err !== 'object') return false;
  const { code, severity, message } = err as { code?: unknown; severity?: unknown; message?: unknown };
  if (typeof code === 'string' && code.startsWith('SQLITE_')) return true;
  if (typeof code === 'string' && typeof severity === 'string' && /^[0-9A-Z]{5}$/.test(code)) return true;
  return typeof message === 'string' && PG_CONNECTION_ERRORS.has(message);
}

/** Counts an error on its way to the error handler when the database raised it (it becomes a 500). */
export function countDatabaseError(m: Metrics, err: unknown): void {
  if (isDatabaseError(err)) m.databaseErrors.inc();
}

/** Counts a request's committed alerts by outcome, and the incidents they declared. */
export function countAlerts(m: Metrics, source: string, outcomes: readonly { outcome: string; declared: boolean }[]): void {
  // One increment per outcome, not per alert: a request's alerts mostly share one.
  const byOutcome = new Map<string, number>();
  let declared = 0;
  for (const o of outcomes) {
    byOutcome.set(o.outcome, (byOutcome.get(o.outcome) ?? 0) + 1);
    if (o.declared) declared++;
  }
  for (const [outcome, n] of byOutcome) m.alerts.inc({ source, outcome }, n);
  if (declared > 0) m.alertDeclarations.inc({ source }, declared);
}

/** Runs one command and counts it by type and outcome. */
export async function counted<T extends { replayed: boolean }>(m: Metrics, type: string, run: () => Promise<T>): Promise<T> {
  try {
    const result = await run();
    m.commands.inc({ type, outcome: result.replayed ? 'replayed' : 'ok' });
    return result;
  } catch (err) {
    m.commands.inc({ type, outcome: isFirebreakError(err) ? err.code : 'internal' });
    throw err;
  }
}

/**
 * The outbox: queue depth and the oldest pending message's age, read from the database at scrape
 * time (so any instance shows the whole queue), rows by target and state, and this process's
 * delivery attempts by target and outcome.
 */
export function registerOutboxMetrics(
  m: Metrics,
  deps: { store: Pick<Store, 'outboxStats'>; clock: { now(): string }; outbox?: Pick<OutboxWorker, 'observe'> },
): void {
  let stats: Promise<OutboxStats> | undefined;
  // One read per scrape, shared by the gauges.
  const read = () => (stats ??= deps.store.outboxStats().finally(() => setTimeout(() => (stats = undefined), 0)));
  new Gauge({
    name: 'firebreak_outbox_queue_depth',
    help: 'Notifications waiting: deliveries pending (including retries) plus messages not yet routed to targets.',
    registers: [m.registry],
    async collect() {
      const s = await read();
      this.set(s.pending + s.unrouted);
    },
  });
  new Gauge({
    name: 'firebreak_outbox_oldest_pending_seconds',
    help: 'Age of the oldest pending notification (0 when none is pending).',
    registers: [m.registry],
    async collect() {
      const s = await read();
      this.set(s.oldestPendingAt ? Math.max(0, (Date.parse(deps.clock.now()) - Date.parse(s.oldestPendingAt)) / 1000) : 0);
    },
  });
  new Gauge({
    name: 'firebreak_outbox_deliveries',
    help: 'Notification deliveries in the database, by target, target type and state (pending, sent, failed, refused).',
    labelNames: ['target', 'type', 'state'],
    registers: [m.registry],
    async collect() {
      const s = await read();
      this.reset();
      for (const r of s.byTarget) this.set({ target: r.target, type: r.type, state: r.state }, r.count);
    },
  });
  const attempts = new Counter({
    name: 'firebreak_outbox_attempts_total',
    help: "This process's delivery attempts, by target, target type and outcome (sent, retry, failed, refused).",
    labelNames: ['target', 'type', 'outcome'],
    registers: [m.registry],
  });
  deps.outbox?.observe((o) => attempts.inc({ target: o.target, type: o.type, outcome: o.outcome }));
}

/** Rows the retention worker of this process pruned, by kind (docs/OPERATIONS.md, "Retention"). */
export function registerRetentionMetrics(m: Metrics, retention: Pick<RetentionWorker, 'observe'> | undefined): void {
  const pruned = new Counter({
    name: 'firebreak_retention_pruned_total',
    help: "Rows this process's retention worker pruned, by kind (alerts, deliveries, messages, github_deliveries, idempotency_keys).",
    labelNames: ['kind'],
    registers: [m.registry],
  });
  retention?.observe((kind, n) => pruned.inc({ kind }, n));
}

/** Timer gauges, read from the `timers` table at each scrape: a rising `overdue` means no runner keeps up. */
export function registerTimerMetrics(m: Metrics, deps: { store: Pick<Store, 'timerStats'>; clock: { now(): string } }): void {
  let stats: ReturnType<Store['timerStats']> | undefined;
  // One read per scrape, shared by the gauges.
  const read = () => (stats ??= deps.store.timerStats(deps.clock.now()).finally(() => setTimeout(() => (stats = undefined), 0)));
  new Gauge({
    name: 'firebreak_timers_scheduled',
    help: 'Timers scheduled and not yet fired or cancelled, on every instance.',
    registers: [m.registry],
    async collect() {
      this.set((await read()).scheduled);
    },
  });
  new Gauge({
    name: 'firebreak_timers_overdue',
    help: 'Scheduled timers already due: waiting for a runner (a few for a poll interval is normal).',
    registers: [m.registry],
    async collect() {
      this.set((await read()).overdue);
    },
  });
  new Gauge({
    name: 'firebreak_timers_oldest_overdue_seconds',
    help: 'How long the oldest due timer has waited for a runner (0 when none is due).',
    registers: [m.registry],
    async collect() {
      const s = await read();
      this.set(s.oldestDueAt ? Math.max(0, (Date.parse(deps.clock.now()) - Date.parse(s.oldestDueAt)) / 1000) : 0);
    },
  });
}

/** Heartbeats by state (waiting, up, missed), read from the `heartbeats` table at each scrape. */
export function registerHeartbeatMetrics(m: Metrics, deps: { store: Pick<Store, 'heartbeatStats'> }): void {
  new Gauge({
    name: 'firebreak_heartbeats',
    help: 'Heartbeats by state: waiting for a first ping, up, or missed (its alert raised).',
    labelNames: ['state'],
    registers: [m.registry],
    async collect() {
      const stats = await deps.store.heartbeatStats();
      for (const [state, n] of Object.entries(stats)) this.set({ state }, n);
    },
  });
}

/** Schedule coverage, computed from the catalog at each scrape: who is on call now, and the gaps ahead. */
export function registerScheduleMetrics(m: Metrics, deps: Pick<ServiceDeps, 'store' | 'clock'>): void {
  let coverage: Promise<ScheduleCoverage[]> | undefined;
  // One computation per scrape, shared by the gauges.
  const read = () => (coverage ??= scheduleCoverage(deps).finally(() => setTimeout(() => (coverage = undefined), 0)));
  new Gauge({
    name: 'firebreak_schedule_oncall',
    help: 'Whether the catalog schedule has someone on call now (1) or nobody (0).',
    labelNames: ['schedule'],
    registers: [m.registry],
    async collect() {
      this.reset();
      for (const c of await read()) this.set({ schedule: c.schedule }, c.oncallNow ? 1 : 0);
    },
  });
  new Gauge({
    name: 'firebreak_schedule_gap_seconds',
    help: 'Seconds with nobody on call in the next 14 days of the catalog schedule (0: covered).',
    labelNames: ['schedule'],
    registers: [m.registry],
    async collect() {
      this.reset();
      for (const c of await read()) this.set({ schedule: c.schedule }, c.gapSeconds);
    },
  });
}
