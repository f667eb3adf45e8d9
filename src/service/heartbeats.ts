import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { emptyMap } from '../domain/alerts/check.js';
import type { AlertResolution, NormalizedAlert } from '../domain/alerts/types.js';
import { canonicalService } from '../domain/catalog/names.js';
import { findService } from '../domain/catalog/queries.js';
import { FirebreakError, forbidden, notFound, validationError, type FieldError } from '../domain/errors.js';
import { HEARTBEAT_SEVERITIES, type HeartbeatInput as HeartbeatRequest, type HeartbeatSeverity, type HeartbeatView } from '../domain/paging/heartbeat.js';
import type { AlertOutcome, AlertSubmission } from './alerts.js';
import type { Caller } from './auth.js';
import { getCatalog } from './catalog.js';
import type { ServiceDeps } from './deps.js';
import type { HeartbeatRecord } from './ports.js';

export type { HeartbeatView };

/** A heartbeat name: URL-safe, as it appears in its ping URL. */
export const HEARTBEAT_NAME_SOURCE = '^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$';
const NAME = new RegExp(HEARTBEAT_NAME_SOURCE);
export const HEARTBEAT_NAME_MAX = 100;
/** The grace given when none is: a ping up to a minute late is still on time. */
export const DEFAULT_GRACE = '1m';
const MIN_INTERVAL_S = 60;
const MAX_INTERVAL_S = 30 * 86_400;
const MAX_GRACE_S = 86_400;
const MAX_TOKEN_LENGTH = 512;
/** How often main.ts runs a heartbeat pass. */
export const HEARTBEAT_POLL_MS = 15_000;

const UNIT_S = { d: 86_400, h: 3_600, m: 60, s: 1 } as const;
const DURATION = /^(?:(\d{1,6})d)?(?:(\d{1,6})h)?(?:(\d{1,6})m)?(?:(\d{1,6})s)?$/;

/** `5m`, `1h30m`, `90s`, `1d` in seconds; undefined when it is not such a duration. */
export function parseHeartbeatDuration(text: string): number | undefined {
  const trimmed = text.trim();
  const m = trimmed === '' ? null : DURATION.exec(trimmed);
  if (!m) return undefined;
  return (['d', 'h', 'm', 's'] as const).reduce((sum, unit, i) => sum + Number(m[i + 1] ?? 0) * UNIT_S[unit], 0);
}

/** Seconds as the shortest `1h30m` form (`0s` for none). */
export function formatHeartbeatDuration(seconds: number): string {
  let rest = seconds;
  let out = '';
  for (const unit of ['d', 'h', 'm', 's'] as const) {
    const n = Math.floor(rest / UNIT_S[unit]);
    if (n > 0) out += `${n}${unit}`;
    rest -= n * UNIT_S[unit];
  }
  return out || '0s';
}

/** The dedup key of a heartbeat's alert; `hb:` is refused to Firebreak JSON senders. */
export const heartbeatAlertKey = (name: string) => `hb:${name}`;
/** The actor recorded on what a heartbeat's alert does. */
export const heartbeatActor = (name: string) => `heartbeat:${name}`;

/** What creating a heartbeat takes; the severity is checked here, so any string is reported, not refused unread. */
export type HeartbeatInput = Omit<HeartbeatRequest, 'severity'> & { severity?: string };

/** Ingests through the alert path the senders use (service/alerts.ts). */
export type HeartbeatIngest = (submission: AlertSubmission) => Promise<AlertOutcome[]>;

/** The alert ingestor's options from the configuration, as the alert routes build them. */
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const plus = (at: string, seconds: number) => new Date(Date.parse(at) + seconds * 1_000).toISOString();

export const viewHeartbeat = (h: HeartbeatRecord): HeartbeatView => ({
  name: h.name,
  service: h.service,
  severity: h.severity,
  interval: formatHeartbeatDuration(h.intervalSeconds),
  grace: formatHeartbeatDuration(h.graceSeconds),
  state: h.state,
  createdAt: h.createdAt,
  createdBy: h.createdBy,
  lastPingAt: h.lastPingAt,
  dueAt: h.dueAt,
  missedAt: h.missedAt,
});

function assertAdmin(caller: Pick<Caller, 'role'>): void {
  if (caller.role !== 'admin') throw forbidden(`This needs the admin role; you have ${caller.role}.`);
}

/**
 * Creates a heartbeat (admin), `waiting` for its first ping and due at creation + interval + grace.
 * Its service must be in the catalog now (fail closed: a typo would page no one). Every broken rule is
 * reported at once. The token is in the answer only.
 */
export async function createHeartbeat(
  deps: ServiceDeps,
  caller: Pick<Caller, 'role' | 'actor'>,
  input: HeartbeatInput,
): Promise<{ heartbeat: HeartbeatView; token: string }> {
  assertAdmin(caller);
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (!NAME.test(name)) {
    errors.push({ path: 'body.name', message: "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit" });
  }
  const interval = parseHeartbeatDuration(input.interval);
  if (interval === undefined || interval < MIN_INTERVAL_S || interval > MAX_INTERVAL_S) {
    errors.push({ path: 'body.interval', message: 'must be a duration like 5m, 1h30m or 1d, from 1m to 30d' });
  }
  const grace = parseHeartbeatDuration(input.grace ?? DEFAULT_GRACE);
  if (grace === undefined || grace > MAX_GRACE_S) {
    errors.push({ path: 'body.grace', message: 'must be a duration like 0s, 30s or 5m, at most 1d' });
  }
  const severity = input.severity ?? 'critical';
  if (!(HEARTBEAT_SEVERITIES as readonly string[]).includes(severity)) {
    errors.push({ path: 'body.severity', message: `must be one of ${HEARTBEAT_SEVERITIES.join(', ')}` });
  }
  const { catalog } = await getCatalog(deps);
  const service = catalog ? findService(catalog, input.service.trim()) : undefined;
  if (!service) errors.push({ path: 'body.service', message: `${canonicalService(input.service.trim())} is not a service of the catalog` });
  if (errors.length > 0 || interval === undefined || grace === undefined || !service) throw validationError(errors);

  const token = `fbh_${randomBytes(32).toString('base64url')}`;
  const now = deps.clock.now();
  const record: HeartbeatRecord = {
    name,
    service: service.name,
    severity: severity as HeartbeatSeverity,
    intervalSeconds: interval,
    graceSeconds: grace,
    tokenHash: sha256(token),
    state: 'waiting',
    createdAt: now,
    createdBy: caller.actor,
    lastPingAt: null,
    dueAt: plus(now, interval + grace),
    missedAt: null,
    leaseOwner: null,
    leaseUntil: null,
  };
  await deps.store.createHeartbeat(record);
  deps.log.info({ heartbeat: name, service: service.name }, 'heartbeat created');
  return { heartbeat: viewHeartbeat(record), token };
}

export async function listHeartbeats(deps: Pick<ServiceDeps, 'store'>): Promise<HeartbeatView[]> {
  return (await deps.store.listHeartbeats()).map(viewHeartbeat);
}

const resolutionOf = (name: string, at: string): AlertSubmission => {
  const item: AlertResolution = { source: 'firebreak', dedupKey: heartbeatAlertKey(name), status: 'resolved', endsAt: at, receivedAt: at };
  return { items: [item], integrationId: null, actor: heartbeatActor(name) };
};

/** A miss was raised, or is being raised (a runner holds the lease): its alert is to be resolved. */
const mayFire = (h: HeartbeatRecord) => h.state === 'missed' || h.leaseOwner !== null;

/** Deletes a heartbeat (admin); a miss it had raised is resolved, so no alert is left firing for it. */
export async function deleteHeartbeat(
  deps: ServiceDeps,
  ingest: HeartbeatIngest,
  caller: Pick<Caller, 'role'>,
  name: string,
): Promise<HeartbeatView> {
  assertAdmin(caller);
  const before = await deps.store.deleteHeartbeat(name);
  if (!before) throw notFound(`There is no heartbeat ${name}.`);
  if (mayFire(before)) await ingest(resolutionOf(name, deps.clock.now()));
  deps.log.info({ heartbeat: name }, 'heartbeat deleted');
  return viewHeartbeat(before);
}

/** What a ping answers. */
export interface PingView {
  name: string;
  state: 'up';
  dueAt: string;
}

/** The message for a ping without a token. */
export const PING_TOKEN_MISSING = 'A heartbeat ping needs its token: Authorization: Bearer <token>, or ?token=<token>.';

const tokenMatches = (hash: string, token: string) => {
  if (token.length === 0 || token.length > MAX_TOKEN_LENGTH) return false;
  return timingSafeEqual(Buffer.from(sha256(token)), Buffer.from(hash));
};

async function recordPing(deps: ServiceDeps, ingest: HeartbeatIngest, h: HeartbeatRecord): Promise<PingView | undefined> {
  const now = deps.clock.now();
  const dueAt = plus(now, h.intervalSeconds + h.graceSeconds);
  const before = await deps.store.pingHeartbeat(h.name, now, dueAt);
  if (!before) return undefined;
  // Resolved after the state says up: a runner that raises the miss meanwhile finds its lease gone and resolves it itself.
  if (mayFire(before)) await ingest(resolutionOf(h.name, now));
  return { name: h.name, state: 'up', dueAt };
}

/**
 * A ping with the heartbeat's token: it is up again, due in interval + grace, and the alert of a miss
 * is resolved. An unknown name and a wrong token get the same 404, so a ping tells no one which
 * heartbeats exist; a missing token is a 401.
 */
export async function pingHeartbeat(deps: ServiceDeps, ingest: HeartbeatIngest, name: string, token: string | undefined): Promise<PingView> {
  if (token === undefined || token === '') throw new FirebreakError('unauthorized', PING_TOKEN_MISSING);
  const unknown = () => notFound(`There is no heartbeat ${name} with this token.`);
  const h = await deps.store.findHeartbeat(name);
  if (!h || !tokenMatches(h.tokenHash, token)) throw unknown();
  const pinged = await recordPing(deps, ingest, h);
  if (!pinged) throw unknown();
  return pinged;
}

/** A ping by a sender already authenticated (an Opsgenie API key may ping any heartbeat); undefined when none has this name. */
export async function pingHeartbeatTrusted(deps: ServiceDeps, ingest: HeartbeatIngest, name: string): Promise<PingView | undefined> {
  const h = await deps.store.findHeartbeat(name);
  return h && recordPing(deps, ingest, h);
}

/** The alert a heartbeat's miss raises: one episode per missed due time, so a re-raise of the same miss is a repeat. */
export function heartbeatMissAlert(h: HeartbeatRecord, now: string): NormalizedAlert {
  const labels = emptyMap();
  labels.heartbeat = h.name;
  labels.service = h.service;
  const annotations = emptyMap();
  annotations.interval = formatHeartbeatDuration(h.intervalSeconds);
  annotations.grace = formatHeartbeatDuration(h.graceSeconds);
  return {
    source: 'firebreak',
    dedupKey: heartbeatAlertKey(h.name),
    status: 'firing',
    service: h.service,
    summary: `Heartbeat ${h.name} missed: no ping since ${h.lastPingAt ?? h.createdAt}`,
    severity: h.severity,
    signal: 'other',
    labels,
    annotations,
    startsAt: h.dueAt,
    endsAt: null,
    generatorURL: null,
    receivedAt: now,
  };
}

/**
 * Whether a runner whose finish found its claim on `claimed` gone resolves the miss it raised: only when the
 * heartbeat was deleted (or deleted and created again), or a ping since the claim set it up, and no one raises
 * it again. A row another runner holds or has marked missed is that runner's, with its alert firing for a real miss.
 */
function lostToPingOrDelete(claimed: HeartbeatRecord, current: HeartbeatRecord | undefined): boolean {
  if (!current) return true;
  if (mayFire(current)) return false;
  const recreated = current.createdAt !== claimed.createdAt;
  const pinged = current.state === 'up' && current.lastPingAt !== null && (claimed.lastPingAt === null || current.lastPingAt > claimed.lastPingAt);
  return recreated || pinged;
}

export interface HeartbeatWorkerOptions {
  ingest: HeartbeatIngest;
  /** How long a claim is this runner's; a runner that dies holding one leaves it to expire. */
  leaseMs?: number;
  /** Heartbeats claimed per transaction. */
  batch?: number;
}

/**
 * Raises the alert of every heartbeat past its due time (docs/API.md "Heartbeats"). Each pass claims
 * due heartbeats under a lease (PostgreSQL: FOR UPDATE SKIP LOCKED), ingests the firing alert, then
 * marks them missed; so every instance may run one, and a miss is raised again only by a runner whose
 * lease on it expired first (a repeat of the same alert). A ping or a delete that lands while the alert is
 * being raised takes the lease away, and the runner then resolves what it raised; a lease that expired and
 * was claimed by another runner is that runner's, and its alert is left firing.
 */
export class HeartbeatWorker {
  private readonly owner: string;
  private readonly leaseMs: number;
  private readonly batch: number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private stopping = false;

  constructor(
    private readonly deps: Pick<ServiceDeps, 'store' | 'clock' | 'ids' | 'log'>,
    private readonly opts: HeartbeatWorkerOptions,
  ) {
    this.owner = `heartbeats-${deps.ids.next()}`;
    this.leaseMs = opts.leaseMs ?? 60_000;
    this.batch = opts.batch ?? 100;
  }

  /** One pass: answers the names of the heartbeats whose miss it raised. */
  async runOnce(): Promise<string[]> {
    const raised: string[] = [];
    for (;;) {
      const claimedAt = this.deps.clock.now();
      const until = plus(claimedAt, this.leaseMs / 1_000);
      const claimed = await this.deps.store.claimHeartbeats({ now: claimedAt, until, owner: this.owner, limit: this.batch });
      let done = 0;
      let answered = 0;
      for (const h of claimed) {
        const now = this.deps.clock.now();
        // The batch's lease ran out before this row's turn (a slow ingest): the rest are free to claim again, and
        // the next claim gives them a fresh lease. The first row of a claim is always tried, so a pass moves on.
        if (done > 0 && now >= until) break;
        done++;
        try {
          await this.opts.ingest({ items: [heartbeatMissAlert(h, now)], integrationId: null, actor: heartbeatActor(h.name) });
          const finish = await this.deps.store.finishHeartbeatMiss(h.name, this.owner, now);
          answered++;
          if (finish.finished) {
            raised.push(h.name);
            this.deps.log.warn({ heartbeat: h.name, service: h.service, dueAt: h.dueAt }, 'heartbeat missed');
          } else if (lostToPingOrDelete(h, finish.current)) {
            await this.opts.ingest(resolutionOf(h.name, this.deps.clock.now()));
          } else {
            // Another runner claimed it after this lease expired: the alert is its miss too (a repeat), and stays firing.
            this.deps.log.info({ heartbeat: h.name }, 'heartbeat miss raised by another runner');
          }
        } catch (err) {
          // The lease expires and a later pass raises it again; a repeat of the same miss is no new alert.
          this.deps.log.error({ heartbeat: h.name, err: err instanceof Error ? err.message : String(err) }, 'heartbeat miss not raised');
        }
      }
      // A batch where every row failed is left to the next pass (the store is likely down).
      if (this.stopping || (claimed.length > 0 && answered === 0)) break;
      if (done === claimed.length && claimed.length < this.batch) break;
    }
    return raised;
  }

  start(intervalMs = HEARTBEAT_POLL_MS): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.stopping = false;
    const tick = () => {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        const run = this.runOnce().catch((err: unknown) => {
          this.deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'heartbeat pass failed');
        });
        this.running = run;
        void run.then(() => {
          this.running = undefined;
          if (!this.stopped) tick();
        });
      }, intervalMs);
      this.timer.unref();
    };
    tick();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }
}
