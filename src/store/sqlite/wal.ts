import { open } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Group fsync of the write-ahead log. better-sqlite3 runs a synchronous=FULL commit's fsync on the
 * event loop, which then stops reading requests for the whole sync. Instead
 * each commit awaits an fsync of the WAL file from libuv's thread pool: new requests and transactions
 * go on meanwhile, and one fsync covers every commit made before it started. A commit is answered
 * only after an fsync that started after it, so what is acknowledged is on disk.
 */
export function walDurability(walPath: string) {
  let inFlight: Promise<void> | undefined;
  let queued: Promise<void> | undefined;
  const sync = async () => {
    const file = await open(walPath, 'r').catch((err: NodeJS.ErrnoException) => {
      // No WAL yet: nothing was ever written through it, so nothing waits for a sync.
      if (err.code === 'ENOENT') return undefined;
      throw err;
    });
    if (!file) return;
    try {
      await file.sync();
    } finally {
      await file.close();
    }
  };
  const start = (): Promise<void> => {
    const p = sync().finally(() => {
      if (inFlight === p) inFlight = undefined;
    });
    inFlight = p;
    return p;
  };
  return (): Promise<void> => {
    if (!inFlight) return start();
    // The fsync in flight may have started before this commit: wait for the next one.
    queued ??= inFlight.then(
      () => ((queued = undefined), start()),
      () => ((queued = undefined), start()),
    );
    return queued;
  };
}

/** How often the checkpointer copies the WAL into the database file. */
const CHECKPOINT_EVERY_MS = 250;
/** WAL frames (pages) past which the checkpointer makes the WAL start over: 16,384 × 4 KiB = 64 MiB. */
const RESTART_FRAMES = 16_384;
/** What the WAL file is cut back to after it starts over. */
export const WAL_SIZE_LIMIT = RESTART_FRAMES * 4096;
/** WAL frames past which a connection that leaves checkpoints to the checkpointer makes one itself. */
export const BACKSTOP_FRAMES = RESTART_FRAMES * 2;

// The worker is plain CommonJS run with eval: it needs no TypeScript loader in any host.
const CHECKPOINT_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.path);
db.pragma('busy_timeout = 5000');
// NORMAL: a checkpoint syncs the WAL before copying it and the database file after.
db.pragma('synchronous = NORMAL');
// A busy writer never lets a PASSIVE checkpoint reach the end of the WAL, so it would never restart:
// past restartFrames, a RESTART waits for the writer once, copies the rest and starts the WAL over.
const checkpoint = () => {
  const [result] = db.pragma('wal_checkpoint(PASSIVE)');
  if (result && result.log > workerData.restartFrames) db.pragma('wal_checkpoint(RESTART)');
};
const timer = setInterval(checkpoint, workerData.everyMs);
parentPort.on('message', () => {
  clearInterval(timer);
  checkpoint();
  db.close();
  parentPort.close();
});
`;

/**
 * Copies the WAL into the database file from a worker thread, with its own connection. A PASSIVE
 * checkpoint never blocks the writer, and the WAL restarts from its beginning once it has been
 * copied, so it stays small. Should the worker fail, `fallBack` turns SQLite's own automatic
 * checkpoints back on, so the WAL cannot grow without bound.
 */
export function startCheckpointer(path: string, fallBack: () => void): { stop(): Promise<void> } {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(CHECKPOINT_WORKER, { eval: true, workerData: { path, driver, everyMs: CHECKPOINT_EVERY_MS, restartFrames: RESTART_FRAMES } });
  worker.unref();
  let running = true;
  const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
  worker.on('error', () => {
    if (running) fallBack();
  });
  void exited.then(() => {
    if (running) fallBack();
    running = false;
  });
  return {
    async stop() {
      if (!running) return;
      running = false;
      worker.ref();
      worker.postMessage('stop');
      await exited;
    },
  };
}
