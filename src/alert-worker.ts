// The alert worker thread's entry (see service/alert-worker.ts): its own connection to the database,
// the group-committing ingestor, and messages to and from the main thread.
import { parentPort, workerData } from 'node:worker_threads';
import { isFirebreakError } from './domain/errors.js';
import { createEgress } from './egress/index.js';
import { type AlertWorkerData, type FromWorker, toWire, type ToWorker } from './service/alert-worker.js';
import { createAlertIngestor } from './service/alerts.js';
import { withTimerRules } from './service/timers.js';
import { openPostgresStore } from './store/postgres/open.js';
import { openSqliteStore } from './store/sqlite/open.js';
import { createLogger, randomIds, systemClock } from './system.js';

const data = workerData as AlertWorkerData;
const port = parentPort!;
const post = (m: FromWorker) => port.postMessage(m);
const log = createLogger({ logLevel: data.logLevel });
// On SQLite the main thread's store checkpoints the file; this one only writes alerts and their incidents.
const opened =
  data.database.engine === 'sqlite' ? await openSqliteStore(data.database.path, { checkpointer: false }) : await openPostgresStore(data.database.url);
// A database it cannot reach fails the start, not the first alert.
await opened.migrationStatus();
const store = data.timerRules ? withTimerRules(opened, data.timerRules) : opened;
// PostgreSQL tells every instance's listeners of each commit (LISTEN/NOTIFY), the main thread's included.
if (data.database.engine === 'sqlite') store.onChange((change) => post({ type: 'change', change }));
// Ingesting alerts makes no outbound call (notifications are delivered from the main thread's outbox).
const noEgress = createEgress({ allow: [] });
const ingestor = createAlertIngestor({ store, clock: systemClock, ids: randomIds, log, egress: noEgress }, data.options);

port.on('message', (m: ToWorker) => {
  if (m.type === 'close') {
    void ingestor
      .close()
      .then(() => store.close())
      .finally(() => port.close());
    return;
  }
  const run = m.type === 'raw' ? ingestor.ingestRaw(m.raw) : ingestor.ingest(m.submission);
  run.then(
    (outcomes) => post({ type: 'done', id: m.id, outcomes }),
    (err: unknown) => {
      if (!isFirebreakError(err)) log.error({ err }, 'alert ingestion failed');
      post({ type: 'failed', id: m.id, error: toWire(err) });
    },
  );
});
post({ type: 'ready' });
