import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from './config.js';
import { createEgress } from './egress/index.js';
import { isFirebreakError } from './domain/errors.js';
import { buildApp } from './http/build-app.js';
import { startAlertWorker } from './service/alert-worker.js';
import { createAlertIngestor, ingestOptions, type AlertIngestor, type IngestOptions } from './service/alerts.js';
import { ensureAdmin } from './service/auth.js';
import { HeartbeatWorker } from './service/heartbeats.js';
import { OutboxWorker, outboxOptions } from './service/outbox.js';
import { RetentionWorker } from './service/retention.js';
import { StatusPage, startStatusExport } from './service/status-page.js';
import { timerRunner, type TimerRunner, withTimerRules } from './service/timers.js';
import { createStore } from './store/index.js';
import { createLogger, randomIds, systemClock } from './system.js';

/** SIGTERM or SIGINT: the shutdown that takes longer than this is cut short with exit code 1. */
export const CLOSE_TIMEOUT_MS = 10_000;

const urlOf = (scheme: 'http' | 'https', host: string, port: number) =>
  `${scheme}://${host.includes(':') ? `[${host}]` : host}:${port}`;

/** Starts Firebreak: config, store and migrations, the bootstrap admin, and the HTTP server. */
export async function startServer(
  env: Record<string, string | undefined> = process.env,
): Promise<{ url: string; close(): Promise<void> }> {
  const config = loadConfig(env);
  const log = createLogger(config);
  const store = withTimerRules(await createStore({ databaseUrl: config.databaseUrl, sqlitePath: config.sqlitePath }), config.timers);
  let app: Awaited<ReturnType<typeof buildApp>> | undefined;
  let timers: TimerRunner | undefined;
  let outbox: OutboxWorker | undefined;
  let retention: RetentionWorker | undefined;
  let heartbeats: HeartbeatWorker | undefined;
  let heartbeatIngestor: AlertIngestor | undefined;
  let statusPage: StatusPage | undefined;
  let stopExport: (() => Promise<void>) | undefined;
  try {
    await store.migrate();
    // Alerts are parsed and committed on a worker thread with its own connection (not to an in-memory database, which it could not share).
    const database =
      config.databaseUrl !== undefined
        ? ({ engine: 'postgres', url: config.databaseUrl } as const)
        : config.sqlitePath !== ':memory:'
          ? ({ engine: 'sqlite', path: config.sqlitePath } as const)
          : undefined;
    const startAlertIngestor =
      database &&
      ((options: IngestOptions) => startAlertWorker({ data: { database, options, logLevel: config.logLevel, timerRules: config.timers }, store, log }));
    const egress = createEgress({ allow: config.egressAllow });
    const deps = { config, store, clock: systemClock, ids: randomIds, log, egress, ...(startAlertIngestor && { startAlertIngestor }) };
    const created = await ensureAdmin(deps, config.adminToken);
    if (created) process.stderr.write(`firebreak: created admin token (shown once): ${created}\n`);

    // Every instance runs an outbox worker; leases keep them from sending a delivery twice (docs/OPERATIONS.md).
    outbox = new OutboxWorker(deps, outboxOptions(config));
    statusPage = new StatusPage(deps, config.status, config.publicUrl ?? null);
    statusPage.start();
    retention = new RetentionWorker(deps, { days: config.retention.alertsDays });
    app = await buildApp({ ...deps, outbox, statusPage, retention });
    await app.listen({ host: config.host, port: config.port });
    outbox.start();
    // Every instance runs a timer runner; claims keep them from firing a timer twice (docs/OPERATIONS.md).
    timers = timerRunner(deps, { rules: config.timers });
    timers.start(config.timers.pollSeconds * 1_000);
    // Every instance prunes what is kept for FIREBREAK_RETAIN_ALERTS_DAYS only, in small batches (docs/OPERATIONS.md).
    retention.start();
    // Every instance runs a heartbeat runner; claims keep them from raising a miss twice. It ingests in-process,
    // beside the HTTP routes' ingestor, through the same alert path (routing, auto-declare, grouping).
    const ingestor = (heartbeatIngestor = createAlertIngestor(deps, ingestOptions(config)));
    heartbeats = new HeartbeatWorker(deps, { ingest: (submission) => ingestor.ingest(submission) });
    heartbeats.start();
    // The public page as static files, rewritten after each change, for a host that outlives this one.
    if (config.status.exportDir) stopExport = startStatusExport(statusPage, config.status.exportDir, log);
    const url = urlOf(config.tls ? 'https' : 'http', config.host, config.port);

    // Shutting down (OPERATIONS.md, "Shutting down"): the listener closes at once, so new connections
    // are refused; every request in flight is answered, and one still arriving on an open connection is
    // answered too, with Connection: close (/readyz says 503 "shutting down"). Each connection is closed
    // as soon as it is idle (routes/health.ts). The alert ingestor drains when the app closes (its onClose hook, after the
    // last request), so an alert answered 2xx is committed. Timers and the outbox stop alongside; the
    // status export writes what is pending; the store closes last.
    let closing: Promise<void> | undefined;
    const close = () =>
      (closing ??= (async () => {
        process.off('SIGTERM', onSignal);
        process.off('SIGINT', onSignal);
        // One turn first, so requests whose bytes were already here when the signal came are read and
        // count as in flight: closing the listener closes every connection idle at that moment.
        await new Promise((resolve) => setImmediate(resolve));
        try {
          const stopped = await Promise.allSettled([app!.close(), timers!.stop(), outbox!.stop()]);
          await stopExport?.();
          statusPage!.stop();
          const failed = stopped.find((r): r is PromiseRejectedResult => r.status === 'rejected');
          if (failed) throw failed.reason;
        } finally {
          await retention?.stop();
          await heartbeats?.stop();
          await heartbeatIngestor?.close();
          await store.close();
        }
      })());
    const onSignal = (signal: NodeJS.Signals) => {
      const started = Date.now();
      log.info({ signal, timeoutMs: CLOSE_TIMEOUT_MS }, 'shutting down');
      setTimeout(() => {
        log.error({ timeoutMs: CLOSE_TIMEOUT_MS }, 'shutdown did not finish in time; exiting');
        process.exit(1);
      }, CLOSE_TIMEOUT_MS).unref();
      close().then(
        () => {
          log.info({ ms: Date.now() - started }, 'stopped');
          process.exit(0);
        },
        (err: unknown) => {
          log.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
    // Only now: whoever waits for this line may signal at once, and before process.on a SIGTERM kills outright.
    log.info({ url, engine: store.engine }, 'listening');
    process.stdout.write(`Firebreak listening on ${url}\n`);
    return { url, close };
  } catch (err) {
    await stopExport?.().catch(() => undefined);
    statusPage?.stop();
    await timers?.stop().catch(() => undefined);
    await outbox?.stop().catch(() => undefined);
    await app?.close().catch(() => undefined);
    await retention?.stop().catch(() => undefined);
    await heartbeats?.stop().catch(() => undefined);
    await heartbeatIngestor?.close().catch(() => undefined);
    await store.close().catch(() => undefined);
    throw err;
  }
}

function isEntryFile(): boolean {
  const entry = process.argv[1];
  if (!entry) return false;
  try {
    return realpathSync(entry) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

/** The process entry: starts the server, or prints one line per bad variable (exit 78) or one reason (exit 1). */
export async function runMain(env: Record<string, string | undefined> = process.env): Promise<void> {
  try {
    loadConfig(env);
  } catch (err) {
    for (const e of (isFirebreakError(err, 'validation') && err.details?.errors) || []) {
      process.stderr.write(`firebreak: config: ${e.path} ${e.message}\n`);
    }
    process.exit(78);
  }
  try {
    await startServer(env);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`firebreak: cannot start: ${message.split('\n')[0]}\n`);
    process.exit(1);
  }
}

if (isEntryFile()) void runMain();
