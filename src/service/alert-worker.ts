import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { LogLevel } from '../config.js';
import { type ErrorCode, type ErrorDetails, FirebreakError } from '../domain/errors.js';
import type { AlertIngestor, AlertOutcome, AlertSubmission, IngestOptions, RawAlertSubmission } from './alerts.js';
import type { Log } from './deps.js';
import type { Change, Store } from './ports.js';
import type { TimerRules } from '../domain/timers/rules.js';

/**
 * Alert ingestion on a worker thread of its own. In-process the parse, de-duplication and the alert
 * transactions would share one core with HTTP (on SQLite every statement runs on the calling thread;
 * on PostgreSQL building and decoding them does). The worker owns its own connection (a second writer
 * to the SQLite file, or its own pool on the PostgreSQL database) and runs the same group-committing
 * ingestor (service/alerts.ts); the event loop keeps HTTP, and a request is answered once the worker
 * says its alerts are committed (and, on SQLite, synced).
 */

/** What the worker entry (src/alert-worker.ts) gets as workerData. */
export interface AlertWorkerData {
  database: { engine: 'sqlite'; path: string } | { engine: 'postgres'; url: string };
  options: IngestOptions;
  logLevel: LogLevel;
  /** The timer rules declarations and alert batches schedule with (the defaults when absent). */
  timerRules?: TimerRules;
}

export type ToWorker =
  | { type: 'ingest'; id: number; submission: AlertSubmission }
  | { type: 'raw'; id: number; raw: RawAlertSubmission }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'done'; id: number; outcomes: AlertOutcome[] }
  | { type: 'failed'; id: number; error: WireError }
  | { type: 'change'; change: Change };

/** An error as it crosses threads: a FirebreakError keeps its code and details (the sender's 4xx). */
export interface WireError {
  code: ErrorCode | null;
  message: string;
  details?: ErrorDetails;
}

export const toWire = (err: unknown): WireError =>
  err instanceof FirebreakError
    ? { code: err.code, message: err.message, details: err.details }
    : { code: null, message: err instanceof Error ? err.message : String(err) };

export const fromWire = (e: WireError): Error => (e.code ? new FirebreakError(e.code, e.message, e.details) : new Error(e.message));

export interface AlertWorkerOptions {
  data: AlertWorkerData;
  /** The main thread's store: the worker's commits are relayed to its change listeners (SQLite; PostgreSQL's reach them by LISTEN). */
  store: Store;
  log: Log;
}

/**
 * The worker's entry, src/alert-worker.ts beside this folder, in this module's own form: TypeScript
 * (loaded through tsx, as the main thread is) or compiled JavaScript.
 */
const ENTRY = new URL(`../alert-worker${extname(fileURLToPath(import.meta.url))}`, import.meta.url);

// Plain CommonJS run with eval, so it needs no loader of its own: registers tsx when asked, then
// imports the entry.
const BOOT = `
const { workerData } = require('node:worker_threads');
const loader = workerData.tsx ? import(workerData.tsx).then((m) => m.register()) : Promise.resolve();
loader.then(() => import(workerData.entry));
`;

interface Waiting {
  resolve(outcomes: AlertOutcome[]): void;
  reject(err: unknown): void;
}

export interface AlertWorker extends AlertIngestor {
  /** Stops the thread at once, as a crash would: what it held fails, and the next alert starts a new one. */
  kill(): Promise<void>;
}

/**
 * Starts the worker and resolves once its store is open (a worker that cannot start fails the start).
 * Should the worker die, the requests it held fail (500) and the next request starts a new one; nothing
 * answered 2xx was lost, since answers are sent only after the commit is synced.
 */
export async function startAlertWorker(opts: AlertWorkerOptions): Promise<AlertWorker> {
  const tsx = ENTRY.pathname.endsWith('.ts') ? import.meta.resolve('tsx/esm/api') : null;
  const waiting = new Map<number, Waiting>();
  let nextId = 0;
  let closed = false;

  const spawn = () =>
    new Promise<Worker>((resolve, reject) => {
      const worker = new Worker(BOOT, { eval: true, workerData: { ...opts.data, entry: ENTRY.href, tsx } });
      let ready = false;
      worker.on('message', (m: FromWorker) => {
        if (m.type === 'ready') {
          ready = true;
          live = worker;
          resolve(worker);
        } else if (m.type === 'change') {
          opts.store.relay(m.change);
        } else {
          const w = waiting.get(m.id);
          waiting.delete(m.id);
          if (m.type === 'done') w?.resolve(m.outcomes);
          else w?.reject(fromWire(m.error));
        }
      });
      let stopped = false;
      const fail = (thrown: unknown) => {
        // An error thrown in the worker arrives cloned: a custom class (SqliteError) as a plain object
        // that may keep only its code.
        const cloned = thrown as { message?: unknown; code?: unknown } | null;
        const err = thrown instanceof Error ? thrown : new Error(String(cloned?.message ?? cloned?.code ?? thrown));
        if (!ready) return reject(err);
        if (stopped) return;
        stopped = true;
        if (live === worker) {
          live = undefined;
          current = undefined;
        }
        if (!closed) opts.log.error({ err }, 'alert worker stopped; the next alert starts a new one');
        for (const w of waiting.values()) w.reject(new Error(`the alert worker stopped: ${err.message}`));
        waiting.clear();
      };
      worker.on('error', fail);
      worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    });

  let live: Worker | undefined;
  let current: Promise<Worker> | undefined = spawn();
  await current;

  const send = async (message: (id: number) => ToWorker, transfer: ArrayBuffer[] = []) => {
    if (closed) throw new Error('alert ingestion is closed');
    // A worker that cannot start fails this request only; the next one tries again.
    current ??= spawn().catch((err: unknown) => {
      current = undefined;
      throw err;
    });
    const worker = await current;
    const id = ++nextId;
    return new Promise<AlertOutcome[]>((resolve, reject) => {
      waiting.set(id, { resolve, reject });
      worker.postMessage(message(id), transfer);
    });
  };

  return {
    ingest: (submission) => send((id) => ({ type: 'ingest', id, submission })),
    ingestRaw(raw) {
      // A copy of just the body's bytes, handed over rather than cloned: Fastify's buffer may be a
      // slice of a larger shared one.
      const body = new Uint8Array(raw.body);
      return send((id) => ({ type: 'raw', id, raw: { ...raw, body } }), [body.buffer]);
    },
    async kill() {
      await live?.terminate();
    },
    async close() {
      if (closed) return;
      closed = true;
      const worker = await current?.catch(() => undefined);
      if (!worker) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      worker.postMessage({ type: 'close' } satisfies ToWorker);
      await exited;
    },
  };
}
