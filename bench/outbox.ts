// The outbox: 1,000 incidents notifying a local webhook receiver, on SQLite and PostgreSQL.
// Drain: the messages are written first, then one worker delivers the backlog (throughput).
// Live: a worker runs while incidents are declared 8 at a time; lag = received − committed.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createEgress } from '../src/egress/index.js';
import type { ServiceDeps } from '../src/service/deps.js';
import { declareIncident } from '../src/service/execute-command.js';
import { createNotificationTarget } from '../src/service/notification-targets.js';
import { OutboxWorker } from '../src/service/outbox.js';
import { load, quantile, table } from './lib.js';
import { benchDbs } from './engines.js';

const silent = { info() {}, warn() {}, error() {} };

/** A receiver on 127.0.0.1 that answers 204 and notes when each webhook-id arrived. */
async function receiver() {
  const arrived = new Map<string, number>();
  let waiting: { count: number; resolve: () => void } | undefined;
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrived.set(String(req.headers['webhook-id']), Date.now());
      res.statusCode = 204;
      res.end();
      if (waiting && arrived.size >= waiting.count) waiting.resolve();
    });
  });
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    arrived,
    until: (count: number) => new Promise<void>((resolve) => (arrived.size >= count ? resolve() : (waiting = { count, resolve }))),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

export async function benchOutbox(incidents = 1_000): Promise<void> {
  const rows: Record<string, string | number>[] = [];
  for (const engine of await benchDbs('outbox')) {
    const store = await engine.open();
    const rx = await receiver();
    try {
      await store.migrate();
      let id = 0;
      const deps: ServiceDeps = {
        store,
        clock: { now: () => new Date().toISOString() },
        ids: { next: () => `b${++id}` },
        log: silent,
        egress: createEgress({ allow: ['127.0.0.1'] }),
      };
      await createNotificationTarget(deps, Buffer.alloc(32, 1), { name: 'bench-hook', type: 'webhook', url: rx.url });
      const declare = (i: number) =>
        declareIncident(deps, 'bench', { title: `Incident ${i}`, impact: 'Checkout errors', severity: 'SEV1', severityReason: 'bench' });
      const options = { defaults: ['bench-hook'], secretKey: Buffer.alloc(32, 1) };

      // Drain a backlog.
      const written = await load(incidents, 8, declare);
      const drainer = new OutboxWorker(deps, options);
      const started = performance.now();
      let passes = 0;
      while (rx.arrived.size < incidents) {
        await drainer.runOnce();
        passes++;
      }
      const drainS = (performance.now() - started) / 1000;
      rows.push({
        engine: engine.name,
        scenario: 'drain 1 worker',
        messages: incidents,
        'enqueue+declare/s': written.perSecond,
        'delivered/s': incidents / drainS,
        passes,
        'lag p50 ms': '',
        'lag p99 ms': '',
      });

      // Live: a running worker while incidents are declared.
      rx.arrived.clear();
      const worker = new OutboxWorker(deps, options);
      worker.start();
      const committed = new Map<number, number>();
      const live = await load(incidents, 8, async (i) => {
        const r = await declare(i);
        committed.set(r.incident.number, Date.now());
      });
      await rx.until(incidents);
      await worker.stop();
      const lags = [...rx.arrived].map(([hookId, at]) => at - (committed.get(Number(/^msg_(\d+)-/.exec(hookId)?.[1])) ?? at)).sort((a, b) => a - b);
      rows.push({
        engine: engine.name,
        scenario: 'live 1 worker',
        messages: incidents,
        'enqueue+declare/s': live.perSecond,
        'delivered/s': incidents / live.seconds,
        passes: '',
        'lag p50 ms': quantile(lags, 0.5),
        'lag p99 ms': quantile(lags, 0.99),
      });
    } finally {
      await rx.close();
      await store.close();
      await engine.drop();
    }
  }
  console.log(`\nOutbox: ${incidents} SEV1 incidents, each one webhook delivery to a local receiver\n`);
  console.log(table(rows));
}

if (import.meta.url === `file://${process.argv[1]}`) await benchOutbox(Number(process.env.BENCH_OUTBOX ?? '1000'));
