import type { ServiceDeps } from './deps.js';
import type { RetentionKind } from './ports.js';

export interface RetentionOptions {
  /** Rows older than this are pruned (FIREBREAK_RETAIN_ALERTS_DAYS). */
  days: number;
  /** Rows per transaction. */
  batch?: number;
  /** The pause between two batches, so ingestion and commands always get the database in between. */
  pauseMs?: number;
  /** Time between passes. */
  intervalMs?: number;
  /** Time before the first pass after start, so a start-up is not slowed. */
  firstMs?: number;
}

const DEFAULTS = { batch: 500, pauseMs: 200, intervalMs: 3_600_000, firstMs: 60_000 };
const DAY_MS = 86_400_000;

/** In the order they are pruned: deliveries before the messages whose last delivery they were. */
export const RETENTION_KINDS: readonly RetentionKind[] = ['alerts', 'deliveries', 'messages', 'github_deliveries', 'idempotency_keys'];

export type Pruned = Record<RetentionKind, number>;

/**
 * Prunes what is kept only for a while (docs/OPERATIONS.md, "Retention"): resolved alerts no incident
 * links, finished notification deliveries and their routed messages, GitHub delivery ids and idempotency
 * keys, older than `days`. Incidents and their logs are never pruned. Each batch is one short transaction
 * of at most `batch` rows with a pause after it; `runOnce` is one pass (tests drive it), `start` runs one
 * every `intervalMs` until `stop`. Every instance may run one: two deleting the same rows only wait.
 */
export class RetentionWorker {
  private readonly o: typeof DEFAULTS & RetentionOptions;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private readonly observers: ((kind: RetentionKind, n: number) => void)[] = [];

  constructor(
    private readonly deps: Pick<ServiceDeps, 'store' | 'clock' | 'log'>,
    options: RetentionOptions,
  ) {
    this.o = { ...DEFAULTS, ...options };
  }

  /** Hears every pruned batch (metrics). */
  observe(fn: (kind: RetentionKind, n: number) => void): void {
    this.observers.push(fn);
  }

  /** One pass: every kind, batch by batch, until a batch comes back short (or the worker stops). */
  async runOnce(): Promise<Pruned> {
    const before = new Date(Date.parse(this.deps.clock.now()) - this.o.days * DAY_MS).toISOString();
    const pruned = Object.fromEntries(RETENTION_KINDS.map((k) => [k, 0])) as Pruned;
    for (const kind of RETENTION_KINDS) {
      for (;;) {
        const n = await this.deps.store.pruneExpired(kind, before, this.o.batch);
        pruned[kind] += n;
        if (n > 0) for (const fn of this.observers) fn(kind, n);
        if (n < this.o.batch || this.stopping) break;
        await new Promise((resolve) => setTimeout(resolve, this.o.pauseMs));
      }
    }
    if (Object.values(pruned).some((n) => n > 0)) this.deps.log.info({ before, ...pruned }, 'retention pruned');
    return pruned;
  }

  private stopping = false;

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    this.schedule(this.o.firstMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const run = this.runOnce().catch((err: unknown) => {
        this.deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'retention pass failed');
      });
      this.running = run;
      void run.then(() => {
        this.running = undefined;
        this.schedule(this.o.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }
}
