import assert from 'node:assert/strict';
import { randomBytes, randomInt } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, describe, it } from 'node:test';
import { Pool } from 'undici';
import type { AlertInfo } from '../../src/client/index.js';
import { EXAMPLE_CATALOG_YAML } from '../../src/domain/catalog/catalog.fixture.js';
import { adapters, createPgTestDatabase } from '../../src/store/test-adapters.js';
import { alertmanagerWebhookBody, type WebhookAlert } from '../support/alertmanager.js';
import { jsonApi } from '../support/http-json.js';
import { startServerProcess, type ServerProcess } from './server.js';

const SENDERS = 8;
const ALERTS_PER_REQUEST = 10;
/** Per sender: far more than the kill needs, so the stream is still running when it comes. */
const MAX_REQUESTS = 150;
/** The kill comes after this many acknowledged alerts (a random number in between) and a random pause. */
const KILL_AFTER_ALERTS: [number, number] = [300, 700];
const KILL_JITTER_MS = 25;
const WEBHOOK = '/api/v1/integrations/alertmanager';

interface StreamResult {
  acked: Set<string>;
  unacked: Set<string>;
  /** Answers that were neither 2xx nor a broken connection: a server that refused or failed. */
  refused: string[];
  /** Connection failures before the kill: the server was never supposed to be unreachable then. */
  earlyFailures: string[];
  /** 2xx answers whose body did not count the alerts sent. */
  miscounted: string[];
  ackedAtKill: number;
  inFlightAtKill: number;
  killed: boolean;
}

/**
 * A version 4 Alertmanager webhook of `ALERTS_PER_REQUEST` firing alerts whose label sets (so
 * fingerprints, so dedup keys) are unique to this run.
 */
function webhookBody(run: string, sender: number, request: number) {
  const batch = Array.from({ length: ALERTS_PER_REQUEST }, (_, i): WebhookAlert => {
    // Even senders page for checkout (tier 1: the first declares an incident, the rest attach to it);
    // odd senders' alerts match no service and stay in the inbox.
    const instance = `${run}-s${sender}-r${request}-a${i}`;
    const labels: Record<string, string> =
      sender % 2 === 0
        ? { alertname: 'DurabilityProbe', instance, service: 'checkout', severity: 'critical' }
        : { alertname: 'DurabilityProbe', instance, severity: 'warning' };
    return {
      labels,
      annotations: { summary: `probe ${sender}/${request}/${i}` },
      startsAt: new Date().toISOString(),
      generatorURL: 'http://prometheus.example/graph',
    };
  });
  const body = alertmanagerWebhookBody(batch);
  return { body: JSON.stringify(body), dedupKeys: body.alerts.map((a) => `am:${a.fingerprint}`) };
}

/**
 * SENDERS concurrent senders post sequential webhooks until the server dies; once a random number of
 * alerts is acknowledged the server gets SIGKILL at a random moment, with requests in flight.
 */
async function streamUntilKilled(server: ServerProcess, token: string): Promise<StreamResult> {
  const run = randomBytes(4).toString('hex');
  const killAfter = randomInt(KILL_AFTER_ALERTS[0], KILL_AFTER_ALERTS[1] + 1);
  const pool = new Pool(server.url, { connections: SENDERS, headersTimeout: 10_000, bodyTimeout: 10_000 });
  const r: StreamResult = {
    acked: new Set(),
    unacked: new Set(),
    refused: [],
    earlyFailures: [],
    miscounted: [],
    ackedAtKill: 0,
    inFlightAtKill: 0,
    killed: false,
  };
  let inFlight = 0;
  let killing: Promise<void> | undefined;
  const killSoon = () =>
    (killing ??= (async () => {
      await sleep(randomInt(KILL_JITTER_MS + 1));
      r.ackedAtKill = r.acked.size;
      r.inFlightAtKill = inFlight;
      r.killed = true;
      await server.kill();
    })());

  const sender = async (s: number) => {
    for (let n = 0; n < MAX_REQUESTS; n++) {
      const { body, dedupKeys } = webhookBody(run, s, n);
      const sentBeforeKill = !r.killed;
      inFlight++;
      try {
        const res = await pool.request({
          method: 'POST',
          path: WEBHOOK,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body,
        });
        inFlight--;
        // The status line is the acknowledgement: the body may be cut off by the kill.
        const text = await res.body.text().catch(() => undefined);
        if (res.statusCode >= 200 && res.statusCode < 300) {
          for (const k of dedupKeys) r.acked.add(k);
          if (text !== undefined && JSON.parse(text).alerts !== ALERTS_PER_REQUEST) r.miscounted.push(text);
          if (r.acked.size >= killAfter) void killSoon();
          continue;
        }
        r.refused.push(`${res.statusCode} ${text ?? ''}`);
      } catch (err) {
        inFlight--;
        if (sentBeforeKill && !r.killed) r.earlyFailures.push(String(err));
      }
      for (const k of dedupKeys) r.unacked.add(k);
      return;
    }
  };

  try {
    await Promise.all(Array.from({ length: SENDERS }, (_, s) => sender(s)));
    await killing;
  } finally {
    await pool.destroy();
  }
  return r;
}

/** Every alert in the inbox, newest first, through the cursor pagination a user would follow. */
async function allAlerts(call: ReturnType<typeof jsonApi>): Promise<AlertInfo[]> {
  const items: AlertInfo[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < 100; page++) {
    const q: string = cursor === null ? '' : `&cursor=${cursor}`;
    const r = await call<{ items: AlertInfo[]; nextCursor: string | null }>('GET', `/api/v1/alerts?limit=500${q}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    items.push(...r.body.items);
    cursor = r.body.nextCursor;
    if (cursor === null) return items;
  }
  throw new Error('more than 100 pages of alerts');
}

const postgres = adapters().find((a) => a.name === 'postgres');

const engines = [
  {
    name: 'SQLite',
    skip: false as const,
    database: async () => {
      const dir = mkdtempSync(join(tmpdir(), 'firebreak-e2e-durability-'));
      return {
        env: { FIREBREAK_DB: join(dir, 'firebreak.db') },
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 'PostgreSQL',
    // adapters() has printed why when it is unreachable (and thrown under CI).
    skip: postgres ? (false as const) : 'no PostgreSQL reachable',
    database: async () => {
      const db = await createPgTestDatabase();
      return { env: { DATABASE_URL: db.url }, drop: db.drop };
    },
  },
];

// an alert answered 2xx is committed. SIGKILL gives the server no chance to flush
// anything, so what survives is exactly what was committed before the answer went out.
for (const engine of engines) {
  describe(`durability on ${engine.name}: SIGKILL during an alert stream`, { skip: engine.skip, timeout: 60_000 }, () => {
    const running: ServerProcess[] = [];
    let drop: () => Promise<void> = async () => {};

    after(async () => {
      await Promise.allSettled(running.map((s) => s.kill()));
      await drop();
    });

    it('keeps every acknowledged alert exactly once after a restart on the same database', async () => {
      const db = await engine.database();
      drop = db.drop;
      const adminToken = `e2e-durability-${randomBytes(18).toString('hex')}`;
      const env = { ...db.env, FIREBREAK_ADMIN_TOKEN: adminToken };

      const t0 = Date.now();
      const first = await startServerProcess(env);
      const firstStartMs = Date.now() - t0;
      running.push(first);
      const setup = jsonApi(first.url, adminToken);
      const catalog = await setup('PUT', '/api/v1/catalog', EXAMPLE_CATALOG_YAML, { 'content-type': 'application/yaml' });
      assert.equal(catalog.status, 200, JSON.stringify(catalog.body));
      const created = await setup<{ token: string }>('POST', '/api/v1/integrations', { type: 'alertmanager', name: 'prometheus' });
      assert.equal(created.status, 201, JSON.stringify(created.body));

      const started = Date.now();
      const s = await streamUntilKilled(first, created.body.token);
      const streamMs = Date.now() - started;
      const context = `acked ${s.acked.size} (${s.ackedAtKill} at the kill), unacked ${s.unacked.size}, ${s.inFlightAtKill} requests in flight at the kill, stream ${streamMs} ms\n${first.output()}`;

      assert.ok(s.killed, `the server was killed mid-stream: ${context}`);
      assert.deepEqual(s.refused, [], 'every answer before the kill was 2xx');
      assert.deepEqual(s.earlyFailures, [], 'no connection failed before the kill');
      assert.deepEqual(s.miscounted, [], 'every 2xx counted the alerts sent');
      assert.ok(s.acked.size >= KILL_AFTER_ALERTS[0], context);
      assert.ok(s.unacked.size > 0, `some requests were cut off by the kill: ${context}`);

      const t1 = Date.now();
      const second = await startServerProcess(env);
      running.push(second);
      const restartMs = Date.now() - t1;
      const call = jsonApi(second.url, adminToken);
      const items = await allAlerts(call);

      const seen = new Map<string, number>();
      for (const a of items) seen.set(a.dedupKey, (seen.get(a.dedupKey) ?? 0) + 1);
      const twice = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
      assert.deepEqual(twice, [], 'no alert is listed twice');
      assert.deepEqual(items.filter((a) => a.occurrences !== 1 || a.status !== 'firing'), [], 'each alert recorded once, firing');
      const missing = [...s.acked].filter((k) => !seen.has(k));
      assert.deepEqual(missing, [], `every acknowledged alert survived the kill: ${context}`);
      const unknown = [...seen.keys()].filter((k) => !s.acked.has(k) && !s.unacked.has(k));
      assert.deepEqual(unknown, [], 'nothing that was never sent');

      // An alert and its incident link commit together: checkout's alerts all sit on its one incident.
      const checkout = items.filter((a) => a.service === 'checkout');
      const incidents = [...new Set(checkout.map((a) => a.incident))];
      assert.equal(incidents.length, 1, `one incident holds every checkout alert: ${JSON.stringify(incidents)}`);
      assert.ok(checkout.length > 0 && incidents[0], 'checkout alerts declared an incident');
      assert.ok(items.every((a) => (a.service === 'checkout') === (a.incident !== null)), 'only checkout alerts are on an incident');
      const inc = await call<{ services: string[]; alertCounts: { total: number } }>('GET', `/api/v1/incidents/${incidents[0]}`);
      assert.equal(inc.status, 200, JSON.stringify(inc.body));
      assert.deepEqual(inc.body.services, ['checkout']);
      // Every stored checkout alert points at the incident (above), and the incident counts each of them once.
      assert.equal(inc.body.alertCounts.total, checkout.length, 'the incident links exactly the stored checkout alerts, none twice');
      const list = await call<{ items: { id: string }[] }>('GET', '/api/v1/incidents');
      assert.deepEqual(list.body.items.map((i) => i.id), [incidents[0]], 'one incident in all');

      // The same answer per dedup key, independent of pagination, for a sample of acknowledged alerts.
      const acked = [...s.acked];
      for (let i = 0; i < 20; i++) {
        const k = acked[randomInt(acked.length)]!;
        const r = await call<{ items: AlertInfo[] }>('GET', `/api/v1/alerts?dedupKey=${encodeURIComponent(k)}`);
        assert.deepEqual(r.body.items.map((a) => [a.dedupKey, a.occurrences]), [[k, 1]]);
      }

      // The restarted server takes the stream up again with the integration created before the crash.
      const next = webhookBody(randomBytes(4).toString('hex'), 0, 0);
      const resumed = await call<{ alerts: number }>('POST', WEBHOOK, next.body, { authorization: `Bearer ${created.body.token}` });
      assert.deepEqual({ status: resumed.status, body: resumed.body }, { status: 200, body: { status: 'success', alerts: ALERTS_PER_REQUEST } });

      const committedAnyway = [...s.unacked].filter((k) => seen.has(k)).length;
      console.log(`${engine.name}: ${s.acked.size} acknowledged alerts all present once; of ${s.unacked.size} unacknowledged, ${committedAnyway} were committed anyway; ${s.inFlightAtKill} requests in flight at the kill; start ${firstStartMs} ms, stream ${streamMs} ms, restart ${restartMs} ms, checks ${Date.now() - t1 - restartMs} ms`);
      await second.stop();
    });
  });
}
