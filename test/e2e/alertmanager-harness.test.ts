import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import {
  ALERTMANAGER_RECEIVER,
  alertmanagerFingerprint,
  startAlertmanager,
  type AlertmanagerProcess,
} from '../support/alertmanager.js';

interface Notification {
  path: string;
  headers: IncomingHttpHeaders;
  body: Record<string, unknown> & { alerts: Record<string, unknown>[] };
}

/** A bare webhook sink on 127.0.0.1 that queues what it receives; `next()` waits for the next one. */
async function startSink() {
  const received: Notification[] = [];
  const waiting: ((n: Notification) => void)[] = [];
  const server: Server = createServer((req, res) => {
    let raw = '';
    req.setEncoding('utf8');
    req.on('data', (c: string) => (raw += c));
    req.on('end', () => {
      res.writeHead(200).end();
      const n = { path: req.url ?? '', headers: req.headers, body: JSON.parse(raw) };
      const w = waiting.shift();
      if (w) w(n);
      else received.push(n);
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}/hook`,
    next: (timeoutMs: number, what: string, output: () => string) => {
      const ready = received.shift();
      if (ready) return Promise.resolve(ready);
      return new Promise<Notification>((resolve, reject) => {
        const timer = setTimeout(() => {
          waiting.splice(waiting.indexOf(got), 1);
          reject(new Error(`no ${what} webhook within ${timeoutMs} ms; Alertmanager said:\n${output()}`));
        }, timeoutMs);
        const got = (n: Notification) => {
          clearTimeout(timer);
          resolve(n);
        };
        waiting.push(got);
      });
    },
    pending: () => received.length,
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

const pick = (o: Record<string, unknown>, keys: string[]) => Object.fromEntries(keys.map((k) => [k, o[k]]));
const ENVELOPE = ['version', 'groupKey', 'truncatedAlerts', 'status', 'receiver', 'groupLabels', 'commonLabels', 'commonAnnotations', 'externalURL'];
const ALERT = ['status', 'labels', 'annotations', 'startsAt', 'endsAt', 'generatorURL', 'fingerprint'];

describe('Alertmanager harness: a real Alertmanager sends version 4 webhooks', { timeout: 20_000 }, () => {
  let sink: Awaited<ReturnType<typeof startSink>>;
  let am: AlertmanagerProcess;
  const token = `am-${randomBytes(12).toString('hex')}`;
  const alertname = `HarnessCheck${randomBytes(4).toString('hex')}`;
  const labels = { alertname, service: 'checkout', severity: 'critical', instance: 'checkout-1:8080' };
  const annotations = { summary: 'p99 > 2s' };
  const generatorURL = 'http://prometheus.example:9090/graph?g0.expr=up';
  // Whole seconds: Alertmanager echoes times in Go's RFC 3339 form, which drops a zero fraction.
  const startsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000).toISOString().replace('.000Z', 'Z');
  const endsAt = new Date(Math.floor(Date.now() / 1000) * 1000 - 1_000).toISOString().replace('.000Z', 'Z');
  let groupKey = '';

  before(async () => {
    sink = await startSink();
    am = await startAlertmanager({ webhook: { url: sink.url, bearerToken: token }, groupWait: '1s', groupInterval: '1s' });
  });

  after(async () => {
    await am?.stop();
    await sink?.close();
  });

  it('posts a firing alert to the webhook with the bearer token', async () => {
    await am.postAlerts([{ labels, annotations, startsAt, generatorURL }]);
    const n = await sink.next(8_000, 'firing', am.output);

    assert.equal(n.path, '/hook');
    assert.equal(n.headers.authorization, `Bearer ${token}`);
    assert.match(n.headers['content-type'] ?? '', /^application\/json/);
    assert.match(n.headers['user-agent'] ?? '', /^Alertmanager\//);
    assert.deepEqual(pick(n.body, ENVELOPE), {
      version: '4',
      groupKey: `{}:{alertname="${alertname}"}`,
      truncatedAlerts: 0,
      status: 'firing',
      receiver: ALERTMANAGER_RECEIVER,
      groupLabels: { alertname },
      commonLabels: labels,
      commonAnnotations: annotations,
      externalURL: am.url,
    });
    assert.equal(n.body.alerts.length, 1);
    const alert = n.body.alerts[0]!;
    assert.match(String(alert.fingerprint), /^[0-9a-f]{16}$/);
    assert.deepEqual(pick(alert, ALERT), {
      status: 'firing',
      labels,
      annotations,
      startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL,
      fingerprint: alertmanagerFingerprint(labels),
    });
    groupKey = String(n.body.groupKey);
  });

  it('posts the resolved alert once it is posted again with endsAt in the past', async () => {
    assert.ok(groupKey, 'the firing notification came first');
    await am.postAlerts([{ labels, annotations, startsAt, endsAt, generatorURL }]);
    const n = await sink.next(8_000, 'resolved', am.output);

    assert.equal(n.headers.authorization, `Bearer ${token}`);
    assert.equal(n.body.version, '4');
    assert.equal(n.body.status, 'resolved');
    assert.equal(n.body.groupKey, groupKey);
    assert.equal(n.body.alerts.length, 1);
    assert.deepEqual(pick(n.body.alerts[0]!, ALERT), {
      status: 'resolved',
      labels,
      annotations,
      startsAt,
      endsAt,
      generatorURL,
      fingerprint: alertmanagerFingerprint(labels),
    });
    assert.equal(sink.pending(), 0, 'no other notification arrived');
  });
});

describe('alertmanagerFingerprint', () => {
  it('matches fingerprints Alertmanager computes for other label sets', async () => {
    const am = await startAlertmanager({});
    try {
      const sets: ({ alertname: string } & Record<string, string>)[] = [
        { alertname: 'A' },
        { alertname: 'B', job: 'api', Zone: 'eu-west-1', _private: 'x' },
        { alertname: 'Ünïcode', service: 'caf\u00e9 \u{1f525}' },
      ];
      await am.postAlerts(sets.map((l) => ({ labels: l })));
      const r = await fetch(`${am.url}/api/v2/alerts`, { signal: AbortSignal.timeout(5_000) });
      const got = (await r.json()) as { fingerprint: string; labels: Record<string, string> }[];
      const byName = new Map(got.map((a) => [a.labels.alertname, a.fingerprint]));
      for (const l of sets) assert.equal(alertmanagerFingerprint(l), byName.get(l.alertname), l.alertname);
    } finally {
      await am.stop();
    }
  });
});
