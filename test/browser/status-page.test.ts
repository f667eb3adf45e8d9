import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { STATUS_CSS, renderIncidentPage, renderStatusPage } from '../../src/domain/status/html.js';
import type { StatusPageView } from '../../src/domain/status/types.js';
import { richView } from '../../src/domain/status/view.fixture.js';
import { VIEWPORTS, launch, screenshots, watchPage } from './harness.js';

const CSP = "default-src 'none'; style-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const PAGE_NAME = `Acme " onmouseover="window.__pwned=1" x="`;
const COMPONENT = `<img src=x onerror="window.__pwned=2">Checkout`;
const INCIDENT = `Errors <script>window.__pwned=3</script>`;
const BODY = `</p><b onmouseover="window.__pwned=4">hover me</b>`;
const LONG = `https://example.test/${'a'.repeat(160)}`;

/** Hostile text in the places customers read, a long unbreakable word, and URLs that must not become links. */
function hostileView(): StatusPageView {
  const v = richView();
  v.page.name = PAGE_NAME;
  v.page.supportUrl = 'javascript:window.__pwned=5';
  v.components[0]!.name = COMPONENT;
  v.components[2]!.description = LONG;
  v.incidents[0]!.name = INCIDENT;
  v.incidents[0]!.updates[0]!.body = `${BODY}\n${LONG}`;
  v.history[0]!.incidents[0]!.name = INCIDENT;
  return v;
}

/** Serves a view's pages under `/<prefix>/` as the status route will: the strict CSP on every answer. */
function pages(prefix: string, view: StatusPageView): Map<string, { type: string; body: string }> {
  const root = `/${prefix}/`;
  const routes = new Map([
    [root, { type: 'text/html; charset=utf-8', body: renderStatusPage(view, { root }) }],
    [`${root}status.css`, { type: 'text/css; charset=utf-8', body: STATUS_CSS }],
  ]);
  for (const i of view.incidents) {
    routes.set(`${root}incidents/${i.id}/`, { type: 'text/html; charset=utf-8', body: renderIncidentPage(view, i.id, { root })! });
  }
  return routes;
}

describe('status page in a browser: strict CSP, hostile text, phone width', { timeout: 90_000 }, () => {
  let server: Server;
  let base: string;
  let browser: Browser;
  const requests: string[] = [];

  before(async () => {
    const routes = new Map([...pages('status', richView()), ...pages('hostile', hostileView())]);
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const hit = routes.get((req.url ?? '').split('?')[0]!);
      res.setHeader('content-security-policy', CSP);
      res.setHeader('x-content-type-options', 'nosniff');
      if (!hit) {
        res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'content-type': hit.type }).end(hit.body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launch();
  });
  after(async () => {
    await browser?.close().catch(() => undefined);
    await new Promise((resolve) => server?.close(resolve));
  });

  /** A page at `viewport` that records what it asks for from anywhere but our server. */
  async function open(path: string, viewport: { width: number; height: number }) {
    const context = await browser.newContext({ viewport, baseURL: base });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const seen = watchPage(page);
    const foreign: string[] = [];
    page.on('request', (r) => {
      if (!r.url().startsWith(base) && !r.url().startsWith('data:')) foreign.push(r.url());
    });
    const res = await page.goto(path);
    assert.equal(res?.status(), 200, path);
    return { context, page, seen, foreign };
  }

  const pwned = (page: Page) => page.evaluate(() => (window as unknown as { __pwned?: unknown }).__pwned);

  it('styles the page from its stylesheet under the CSP, and nothing is refused', async () => {
    const { context, page, seen, foreign } = await open('/status/', VIEWPORTS.desktop);
    const banner = page.locator('.banner');
    assert.equal(await banner.locator('h1').innerText(), 'Partial System Outage');
    const style = await banner.evaluate((el) => ({ bg: getComputedStyle(el).backgroundColor, border: getComputedStyle(el).borderLeftWidth }));
    assert.notEqual(style.bg, 'rgba(0, 0, 0, 0)', 'the stylesheet loaded');
    assert.equal(style.border, '6px');
    assert.equal(await page.locator('.history > li').count(), 14);
    assert.ok((await page.locator('.state-partial_outage').first().innerText()).includes('Partial outage'), 'state in words');
    assert.equal(await page.locator('script').count(), 0);
    assert.deepEqual(seen.violations, []);
    assert.deepEqual(seen.errors, []);
    assert.deepEqual(foreign, []);
    await context.close();
  });

  it('shows hostile names and bodies as literal text and never runs them', async () => {
    for (const viewport of Object.values(VIEWPORTS)) {
      const { context, page, seen, foreign } = await open('/hostile/', viewport);
      assert.equal(await page.locator('.brand').innerText(), PAGE_NAME);
      assert.equal(await page.locator('.component .name').first().innerText(), COMPONENT);
      assert.equal(await page.locator('#h-current ~ .incident .incident-name').innerText(), INCIDENT);
      const body = page.locator('#h-current ~ .incident .update-body').first();
      assert.equal(await body.innerText(), `${BODY}\n${LONG}`, 'the body is literal, its line break kept');
      assert.equal(await page.locator('img[src="x"], b, main script').count(), 0, 'no element came from the text');
      assert.equal(await page.locator('[onmouseover], [onerror]').count(), 0);
      assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'a javascript: support URL is no link');
      await page.locator('.brand').hover();
      await body.hover();
      assert.equal(await pwned(page), undefined);
      assert.deepEqual(seen.dialogs, []);
      assert.deepEqual(seen.violations, []);
      assert.deepEqual(foreign, []);
      if (viewport.width === 390) {
        const width = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(width <= 390, `no horizontal scroll at 390 px with a 160-character word (scrollWidth ${width})`);
      }
      await context.close();
    }
  });

  it('fits a phone and follows the permalink to the incident page and back', async () => {
    const { context, page, seen } = await open('/status/', VIEWPORTS.phone);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await screenshots(page, '19-status-page');
    await page.setViewportSize(VIEWPORTS.phone);
    await page.locator('#h-current ~ .incident .incident-name a').click();
    await page.waitForURL('**/status/incidents/42/');
    assert.equal(await page.locator('h1').innerText(), 'Checkout errors <script>alert(1)</script>');
    assert.equal(await page.locator('.update').count(), 2);
    assert.ok((await page.evaluate(() => document.documentElement.scrollWidth)) <= 390);
    await page.locator('.back a').click();
    await page.waitForURL('**/status/');
    assert.deepEqual(seen.violations, []);
    assert.deepEqual(seen.dialogs, []);
    for (const path of ['/hostile/incidents/42/', '/hostile/incidents/40/']) {
      const other = await open(path, VIEWPORTS.phone);
      assert.ok((await other.page.evaluate(() => document.documentElement.scrollWidth)) <= 390, path);
      assert.equal(await pwned(other.page), undefined);
      assert.deepEqual(other.seen.violations, []);
      await other.context.close();
    }
    await context.close();
  });

  it('reads well in dark mode', async () => {
    const context = await browser.newContext({ viewport: VIEWPORTS.phone, baseURL: base, colorScheme: 'dark' });
    const page = await context.newPage();
    await page.goto('/status/');
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    assert.equal(bg, 'rgb(13, 17, 23)');
    await context.close();
    assert.ok(requests.includes('/status/status.css'));
  });
});
