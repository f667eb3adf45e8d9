import { sql } from 'kysely';
import pg from 'pg';
import type { Change } from '../../service/ports.js';
import type { Db } from '../shared/kysely-store.js';

export const CHANGES_CHANNEL = 'firebreak_changes';

const BACKOFF_MIN_MS = 250;
const BACKOFF_MAX_MS = 10_000;
const CONNECT_TIMEOUT_MS = 10_000;
/** The least time between two `alerts` hints from one instance. */
export const ALERTS_INTERVAL_MS = 100;

const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;

/** A NOTIFY payload as a Change, or undefined for anything else (another writer's junk on the channel). */
export function parseChange(payload: string | undefined): Change | undefined {
  if (!payload || payload.length > 1_000) return undefined;
  let v: unknown;
  try {
    v = JSON.parse(payload);
  } catch {
    return undefined;
  }
  if (!v || typeof v !== 'object' || Array.isArray(v)) return undefined;
  const o = v as Record<string, unknown>;
  switch (o.kind) {
    case 'incident':
      return isCount(o.number) && o.number > 0 && isCount(o.version)
        ? { kind: 'incident', number: o.number, version: o.version }
        : undefined;
    case 'alerts':
    case 'deploys':
    case 'catalog':
    case 'maintenances':
      return { kind: o.kind };
    default:
      return undefined;
  }
}

export interface PgChanges {
  /**
   * Queues the changes as NOTIFYs inside the transaction: PostgreSQL delivers them at commit, or never.
   * Except `alerts`, which says only "the inbox changed": a transaction that notifies holds one lock
   * for every database until it has committed, so alert batches that notified would commit one at a
   * time across every instance. It is sent once the transaction has committed (see `afterCommit`).
   */
  inTx(db: Db, changes: readonly Change[]): Promise<void>;
  /**
   * Sends `alerts` after a commit on a pooled connection, the committer not waiting: at most one per
   * ALERTS_INTERVAL_MS, always one after the last commit, a failed one again. Only a crash loses one.
   */
  afterCommit(db: Db, changes: readonly Change[]): void;
  /** LISTENs on one dedicated connection (not the pool's) and emits every instance's changes. */
  listen(emit: (change: Change) => void): Promise<void>;
  /** Stops listening and ends the connection; no reconnect after this. */
  close(): Promise<void>;
}

/**
 * Changes across instances through LISTEN/NOTIFY. The listening connection reconnects with
 * back-off when it drops; notifications sent while it is down are lost, so a reconnect emits
 * `resync` (live views refetch everything), as does each browser's own stream reconnecting.
 */
export function pgChanges(url: string, log: (msg: string) => void = () => {}): PgChanges {
  let closed = false;
  let client: pg.Client | undefined;
  let retry: NodeJS.Timeout | undefined;
  let backoff = BACKOFF_MIN_MS;
  let connectedBefore = false;

  const connect = async (emit: (change: Change) => void): Promise<void> => {
    if (closed) return;
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
    let dropped = false;
    const onDrop = () => {
      if (dropped) return;
      dropped = true;
      if (client === c) client = undefined;
      c.end().catch(() => undefined);
      if (closed) return;
      log(`changes: LISTEN connection lost; reconnecting in ${backoff} ms`);
      retry = setTimeout(() => void connect(emit), backoff);
      backoff = Math.min(backoff * 2, BACKOFF_MAX_MS);
    };
    c.on('error', onDrop);
    c.on('end', onDrop);
    c.on('notification', (n) => {
      if (n.channel !== CHANGES_CHANNEL) return;
      const change = parseChange(n.payload);
      if (change) emit(change);
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch {
      onDrop();
      return;
    }
    if (closed) {
      await c.end().catch(() => undefined);
      return;
    }
    client = c;
    backoff = BACKOFF_MIN_MS;
    // Whatever was notified while the listener was down is lost: tell live views to refetch.
    if (connectedBefore) emit({ kind: 'resync' });
    connectedBefore = true;
  };

  const notify = (db: Db, change: Change) => sql`select pg_notify(${CHANGES_CHANNEL}, ${JSON.stringify(change)})`.execute(db);
  // Each NOTIFY is a transaction of its own (and a WAL flush): under an alert storm, one per interval.
  let alertsDue: NodeJS.Timeout | undefined;
  let alertsSending: Promise<unknown> | undefined;
  let alertsAgain = false;
  let lastAlertsAt = -Infinity;
  let alertsFailing = false;
  const sendAlerts = (db: Db) => {
    if (closed) return;
    if (alertsSending || alertsDue) {
      alertsAgain = true;
      return;
    }
    const wait = lastAlertsAt + ALERTS_INTERVAL_MS - performance.now();
    if (wait > 0) {
      alertsDue = setTimeout(() => {
        alertsDue = undefined;
        sendAlerts(db);
      }, wait);
      return;
    }
    lastAlertsAt = performance.now();
    // This one covers every commit so far; a failed one is sent again after the interval.
    alertsAgain = false;
    alertsSending = notify(db, { kind: 'alerts' })
      .then(
        () => (alertsFailing = false),
        () => {
          if (!alertsFailing) log('changes: an alerts hint could not be sent; retrying');
          alertsFailing = true;
          alertsAgain = true;
        },
      )
      .finally(() => {
        alertsSending = undefined;
        if (alertsAgain) sendAlerts(db);
      });
  };

  return {
    inTx: async (db, changes) => {
      for (const change of changes) if (change.kind !== 'alerts') await notify(db, change);
    },
    afterCommit: (db, changes) => {
      if (changes.some((c) => c.kind === 'alerts')) sendAlerts(db);
    },
    // Never rejects: the store starts it without awaiting, and a failed first connect retries.
    listen: (emit) => connect(emit),
    close: async () => {
      closed = true;
      clearTimeout(retry);
      clearTimeout(alertsDue);
      await alertsSending;
      const c = client;
      client = undefined;
      await c?.end().catch(() => undefined);
    },
  };
}
