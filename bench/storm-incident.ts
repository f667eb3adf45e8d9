// A storm-sized incident against a small one, on SQLite through a real server process: the size and
// latency of GET /api/v1/incidents/{id}, a note's latency (each append stores the projection), and how
// long the incident room takes to become interactive in Chromium, with its DOM size and alert rows.
import { Pool } from 'undici';
import { EXAMPLE_CATALOG_YAML } from '../src/domain/catalog/catalog.fixture.js';
import { ensureWebBuilt, launch, PASSWORD, signIn } from '../test/browser/harness.js';
import { startServerProcess } from '../test/e2e/server.js';
import { load, median, table } from './lib.js';

const ADMIN = 'fb_bench_storm_admin_token_0123456789abcdef';
const RUNS = 5;
const PER_REQUEST = 1_000;

const CATALOG = `${EXAMPLE_CATALOG_YAML}---
apiVersion: firebreak/v1
kind: Service
metadata: { name: search }
spec:
  owner: payments
  tier: 3
  alertMatchers: [ { label: app, value: search } ]
`;

type Row = Record<string, string | number>;

/** Runs the storm-incident bench, prints its table and answers its rows. */
export async function benchStormIncident(alerts = 20_000): Promise<Row[]> {
  await ensureWebBuilt();
  const server = await startServerProcess({ FIREBREAK_ADMIN_TOKEN: ADMIN });
  const pool = new Pool(server.url, { connections: 8 });
  const browser = await launch();
  const call = async (method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown, contentType = 'application/json') => {
    const r = await pool.request({
      method,
      path,
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': contentType },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const text = await r.body.text();
    if (r.statusCode >= 300) throw new Error(`${method} ${path}: ${r.statusCode} ${text.slice(0, 500)}`);
    return text;
  };
  const rows: Row[] = [];
  try {
    await call('PUT', '/api/v1/catalog', CATALOG, 'application/yaml');
    await call('POST', '/api/v1/users', { username: 'bench', password: PASSWORD, role: 'responder' });
    const declare = async (title: string, service: string) =>
      (JSON.parse(await call('POST', '/api/v1/incidents', { title, impact: 'Users see errors', services: [service] })) as { id: string }).id;
    const storm = await declare('Storm incident', 'checkout');
    const small = await declare('Small incident', 'search');

    const alert = (key: string, labels: Record<string, string>) => ({
      dedupKey: key,
      status: 'firing',
      summary: `5xx above 5% on ${key}`,
      severity: 'warning',
      labels,
    });
    const seedStarted = performance.now();
    await load(Math.ceil(alerts / PER_REQUEST), 2, (r) =>
      call(
        'POST',
        '/api/v1/alerts',
        Array.from({ length: Math.min(PER_REQUEST, alerts - r * PER_REQUEST) }, (_, j) =>
          alert(`storm-${r * PER_REQUEST + j}`, { service: 'checkout', instance: `pod-${r * PER_REQUEST + j}` }),
        ),
      ),
    );
    const seedSeconds = (performance.now() - seedStarted) / 1000;
    await call('POST', '/api/v1/alerts', [0, 1, 2].map((i) => alert(`small-${i}`, { app: 'search' })));

    // Warm-up: the first reads after the seed would otherwise land on whichever incident is measured first.
    for (const id of [storm, small]) await load(100, 4, () => call('GET', `/api/v1/incidents/${id}`));
    const measure = async (id: string) => {
      const body = await call('GET', `/api/v1/incidents/${id}`);
      const parsed = JSON.parse(body) as { version: number };
      const get = await load(300, 4, () => call('GET', `/api/v1/incidents/${id}`));
      const note = await load(100, 1, () => call('POST', `/api/v1/incidents/${id}/notes`, { body: 'still degraded' }));
      return { bytes: Buffer.byteLength(body), version: parsed.version, get, note, room: await room(id) };
    };

    const { context, page } = await signIn(browser, server.url, 'bench');
    // Interactive as in bench/web.ts, plus the linked alerts panel's first row.
    const room = async (id: string) => {
      const inPage: number[] = [];
      let nodes = 0;
      let alertRows = 0;
      for (let i = 0; i < RUNS + 1; i++) {
        await page.goto('about:blank');
        await page.goto(`/incidents/${id}`, { waitUntil: 'commit' });
        await page.getByLabel('internal update').waitFor();
        await page.getByRole('form', { name: 'Change status' }).getByRole('button').first().waitFor();
        await page.locator('.ev').first().waitFor();
        await page.locator('#alerts li').first().waitFor();
        const ms = await page.evaluate(() => performance.now());
        if (i === 0) continue; // warms the server's caches and the browser's
        inPage.push(ms);
        nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
        alertRows = await page.locator('#alerts li').count();
      }
      return { ms: median(inPage), nodes, alertRows };
    };

    const big = await measure(storm);
    const few = await measure(small);
    await context.close();
    const r1 = (n: number) => Math.round(n * 10) / 10;
    const line = (metric: string, unit: string, a: number, b: number) =>
      rows.push({ metric, unit, [`${alerts} alerts`]: r1(a), '3 alerts': r1(b), ratio: Math.round((a / b) * 100) / 100 });
    line('GET /api/v1/incidents/{id}: body', 'KB', big.bytes / 1024, few.bytes / 1024);
    line('GET /api/v1/incidents/{id} (c=4): p50', 'ms', big.get.p50, few.get.p50);
    line('GET /api/v1/incidents/{id} (c=4): p99', 'ms', big.get.p99, few.get.p99);
    line('GET /api/v1/incidents/{id} (c=4): throughput', 'req/s', big.get.perSecond, few.get.perSecond);
    line('POST …/notes (c=1): p50', 'ms', big.note.p50, few.note.p50);
    line('incident version (events)', '', big.version, few.version);
    line(`incident room interactive (in-page), p50 of ${RUNS}`, 'ms', big.room.ms, few.room.ms);
    line('incident room: DOM elements', '', big.room.nodes, few.room.nodes);
    line('incident room: linked alert rows', '', big.room.alertRows, few.room.alertRows);
    rows.push({ metric: `seed ${alerts} alerts over HTTP, ${PER_REQUEST} a request (c=2)`, unit: 's', [`${alerts} alerts`]: r1(seedSeconds), '3 alerts': '', ratio: '' });
  } finally {
    await browser.close();
    await pool.close();
    await server.stop();
  }
  console.log(`\nFirebreak storm-incident bench (SQLite, Chromium ${browser.version()}, node ${process.version})\n`);
  console.log(table(rows));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchStormIncident(Number(process.env.BENCH_STORM_ALERTS ?? 20_000));
