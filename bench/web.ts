// The web UI's weight and speed: gzipped script of the first screen, and how long the incident room of a
// 5,000-event incident takes to become interactive in Chromium, against a real server process on SQLite.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT, startServerProcess } from '../test/e2e/server.js';
import { ensureWebBuilt, launch, PASSWORD, signIn } from '../test/browser/harness.js';
import { load, median, table } from './lib.js';

const ADMIN = 'fb_bench_web_admin_token_0123456789abcdef';
const RUNS = 7;

/** The scripts and styles index.html loads up front (entry, modulepreloads, stylesheets), gzipped at level 9. */
export function firstScreenWeight(): { scriptRaw: number; scriptGzip: number; cssGzip: number; files: number } {
  const dist = join(ROOT, 'web', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/<(?:script|link)\b[^>]*?(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]!);
  let scriptRaw = 0;
  let scriptGzip = 0;
  let cssGzip = 0;
  for (const ref of refs) {
    const bytes = readFileSync(join(dist, ref));
    const gz = gzipSync(bytes, { level: 9 }).length;
    if (ref.endsWith('.js')) {
      scriptRaw += bytes.length;
      scriptGzip += gz;
    } else if (ref.endsWith('.css')) cssGzip += gz;
  }
  return { scriptRaw, scriptGzip, cssGzip, files: refs.length };
}

/** Chunks loaded on demand (dynamic import): name (without hash) and gzipped size, scripts and styles apart. */
export function lazyChunks(): { name: string; gzip: number }[] {
  const dist = join(ROOT, 'web', 'dist');
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  return readdirSync(join(dist, 'assets'))
    .filter((f) => /\.(js|css)$/.test(f) && !html.includes(`/assets/${f}`))
    .map((f) => ({ name: f.replace(/-[A-Za-z0-9_-]{8}\./, '.'), gzip: gzipSync(readFileSync(join(dist, 'assets', f)), { level: 9 }).length }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

const kb = (n: number) => Math.round((n / 1024) * 10) / 10;

/** Runs the web bench, prints its table and answers its rows. `events` defaults to 5,000. */
export async function benchWeb(events = 5_000): Promise<Record<string, string | number>[]> {
  await ensureWebBuilt();
  const weight = firstScreenWeight();
  const server = await startServerProcess({ FIREBREAK_ADMIN_TOKEN: ADMIN });
  const browser = await launch();
  const rows: Record<string, string | number>[] = [
    { metric: 'first screen: script (raw)', value: kb(weight.scriptRaw), unit: 'KB' },
    { metric: 'first screen: script (gzip -9)', value: kb(weight.scriptGzip), unit: 'KB' },
    { metric: 'first screen: CSS (gzip -9)', value: kb(weight.cssGzip), unit: 'KB' },
    ...lazyChunks().map((c) => ({ metric: `on demand: ${c.name} (gzip -9)`, value: kb(c.gzip), unit: 'KB' })),
  ];
  try {
    const call = async (method: string, path: string, body: unknown) => {
      const res = await fetch(server.url + path, {
        method,
        headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
      return (await res.json()) as { id: string; version: number };
    };
    await call('POST', '/api/v1/users', { username: 'bench', password: PASSWORD, role: 'responder' });
    const { id } = await call('POST', '/api/v1/incidents', { title: 'Big incident', impact: 'Checkout errors', services: ['checkout'] });
    const seeded = await load(events, 8, (i) => call('POST', `/api/v1/incidents/${id}/notes`, { body: `still degraded, sample ${i}` }));
    rows.push({ metric: `seed ${events} notes over HTTP (c=8)`, value: Math.round(seeded.seconds * 10) / 10, unit: 's' });

    const { context, page } = await signIn(browser, server.url, 'bench');

    // Interactive: the header, an enabled composer, the status buttons and the newest timeline row are on screen.
    const interactive = async () => {
      await page.getByRole('heading', { name: 'Big incident' }).waitFor();
      await page.getByLabel('internal update').waitFor();
      await page.getByRole('form', { name: 'Change status' }).getByRole('button').first().waitFor();
      await page.locator('.ev').first().waitFor();
    };
    // In-page: navigation start to interactive on the page's own clock. Wall: the same seen from this
    // process, which adds Playwright's round trips and the navigation request itself.
    const inPage: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < RUNS + 1; i++) {
      await page.goto('about:blank');
      const t = performance.now();
      await page.goto(`/incidents/${id}`, { waitUntil: 'commit' });
      await interactive();
      const pageMs = await page.evaluate(() => performance.now());
      if (i === 0) continue; // the first run warms the server's caches and the browser's
      wall.push(performance.now() - t);
      inPage.push(pageMs);
    }
    const version = (await call('POST', `/api/v1/incidents/${id}/notes`, { body: 'last' })).version - 1;
    const newestShown = await page.locator('.ev').first().getAttribute('data-seq');
    rows.push(
      { metric: `incident room interactive (in-page), ${version} events, p50 of ${RUNS}`, value: Math.round(median(inPage)), unit: 'ms' },
      { metric: `incident room interactive (in-page), ${version} events, max of ${RUNS}`, value: Math.round(Math.max(...inPage)), unit: 'ms' },
      { metric: `incident room interactive (wall), ${version} events, p50 of ${RUNS}`, value: Math.round(median(wall)), unit: 'ms' },
      { metric: 'newest timeline row shown (seq)', value: Number(newestShown), unit: '' },
    );
    await context.close();
  } finally {
    await browser.close();
    await server.stop();
  }
  console.log(`\nFirebreak web bench (Chromium ${browser.version()}, node ${process.version})\n`);
  console.log(table(rows));
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) await benchWeb(Number(process.env.BENCH_WEB_EVENTS ?? 5_000));
