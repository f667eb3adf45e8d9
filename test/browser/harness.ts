import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { ROOT, startServerProcess, type ServerProcess } from '../e2e/server.js';

export const CHROMIUM = process.env.FIREBREAK_CHROMIUM ?? '/usr/bin/chromium';
export const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');
export const VIEWPORTS = { desktop: { width: 1280, height: 800 }, phone: { width: 390, height: 844 } } as const;
export const PASSWORD = 'correct horse battery staple';

const LOCK = join(ROOT, 'web', '.build-lock');
const LOCK_WAIT_MS = 120_000;

function newest(dir: string): number {
  let t = 0;
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    const s = statSync(p);
    t = Math.max(t, s.isDirectory() ? newest(p) : s.mtimeMs);
  }
  return t;
}

function builtAt(): number {
  try {
    return statSync(join(ROOT, 'web', 'dist', 'index.html')).mtimeMs;
  } catch {
    return 0;
  }
}

/** True when the process that wrote the lock is gone (a run killed mid-build): its lock is stale. */
function staleLock(): boolean {
  let pid: number;
  try {
    pid = Number(readFileSync(LOCK, 'utf8'));
  } catch (err) {
    // A folder is the lock of an older harness, which no run holds any more.
    return (err as NodeJS.ErrnoException).code === 'EISDIR';
  }
  if (!Number.isInteger(pid) || pid <= 0) return true;
  try {
    process.kill(pid, 0);
    return false;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

/**
 * Builds web/dist when it is missing or older than web/src, so `npm test` on a fresh clone tests the
 * real bundle. A lock file holding the builder's pid keeps two test files from building at once.
 */
export async function ensureWebBuilt(): Promise<void> {
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    try {
      writeFileSync(LOCK, String(process.pid), { flag: 'wx' });
      break;
    } catch {
      if (staleLock()) {
        rmSync(LOCK, { recursive: true, force: true });
        continue;
      }
      if (Date.now() > deadline) throw new Error(`web build lock ${LOCK} held for too long; remove it if no build runs`);
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    const sources = Math.max(newest(join(ROOT, 'web', 'src')), statSync(join(ROOT, 'web', 'index.html')).mtimeMs);
    if (builtAt() >= sources) return;
    const r = spawnSync(process.execPath, ['scripts/build-web.mjs'], { cwd: ROOT, encoding: 'utf8', timeout: LOCK_WAIT_MS });
    if (r.status !== 0) throw new Error(`web build failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
}

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    timeout: 30_000,
  });
}

/** A running server, the browser, and helpers to make users and pages on it. */
export interface Harness {
  server: ServerProcess;
  browser: Browser;
  api(method: string, path: string, body?: unknown): Promise<{ status: number; json: unknown }>;
  /** A request with its own credential and content type (a YAML catalog, a sender's webhook). */
  send(method: string, path: string, opts: { body: string; contentType: string; token?: string }): Promise<{ status: number; json: unknown }>;
  createUser(username: string, role: 'viewer' | 'responder' | 'admin'): Promise<void>;
  /** A fresh browser context (its own cookies), signed in through the UI. */
  signedIn(username: string, viewport?: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

/** A fresh browser context (its own cookies) on `baseURL`, signed in through the UI with PASSWORD. */
export async function signIn(
  browser: Browser,
  baseURL: string,
  username: string,
  viewport: { width: number; height: number } = VIEWPORTS.desktop,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, baseURL });
  const page = await context.newPage();
  page.setDefaultTimeout(10_000);
  await page.goto('/');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Incidents' }).waitFor();
  return { context, page };
}

/** `env` adds to the server's environment (e.g. FIREBREAK_EGRESS_ALLOW for a local receiver). */
export async function harness(env: Record<string, string> = {}): Promise<Harness> {
  await ensureWebBuilt();
  const server = await startServerProcess(env);
  let browser: Browser;
  try {
    browser = await launch();
  } catch (err) {
    await server.stop();
    throw err;
  }
  // The answer's JSON, or its text when it is not JSON (null when empty).
  const request = async (method: string, path: string, { body, contentType, token }: { body?: string; contentType?: string; token?: string }) => {
    const res = await fetch(server.url + path, {
      method,
      headers: { authorization: `Bearer ${token ?? server.adminToken}`, ...(contentType && { 'content-type': contentType }) },
      body,
    });
    const text = await res.text();
    let json: unknown = text || null;
    try {
      json = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, json };
  };
  const api: Harness['api'] = (method, path, body) =>
    request(method, path, body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' });
  return {
    server,
    browser,
    api,
    send: request,
    createUser: async (username, role) => {
      const r = await api('POST', '/api/v1/users', { username, password: PASSWORD, role });
      if (r.status !== 201) throw new Error(`createUser ${username}: ${r.status} ${JSON.stringify(r.json)}`);
    },
    signedIn: (username, viewport = VIEWPORTS.desktop) => signIn(browser, server.url, username, viewport),
    close: async () => {
      await browser.close().catch(() => undefined);
      await server.stop();
    },
  };
}

/** A link of the main navigation. */
export const nav = (page: Page, name: string) => page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

/**
 * What the page did that a test asserts never happens: uncaught errors, dialogs (dismissed, so a script that
 * calls alert() is caught, not blocking) and Content Security Policy refusals. The arrays fill as the page runs.
 */
export function watchPage(page: Page): { errors: string[]; dialogs: string[]; violations: string[] } {
  const seen = { errors: [] as string[], dialogs: [] as string[], violations: [] as string[] };
  page.on('pageerror', (e) => seen.errors.push(e.message));
  page.on('dialog', (d) => {
    seen.dialogs.push(d.message());
    void d.dismiss();
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) seen.violations.push(m.text());
  });
  return seen;
}

/**
 * Saves the page at both viewports as `<name>-<w>x<h>.png`, restoring the page's own size after. With
 * `at`, the element it selects is scrolled to the top when it would otherwise sit in the lower half.
 */
export async function screenshots(page: Page, name: string, at?: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const own = page.viewportSize();
  for (const v of Object.values(VIEWPORTS)) {
    await page.setViewportSize(v);
    await page.evaluate(() => window.scrollTo(0, 0));
    if (at) {
      await page
        .locator(at)
        .first()
        .evaluate((el) => el.getBoundingClientRect().top > window.innerHeight / 2 && el.scrollIntoView({ block: 'start' }));
    }
    await page.waitForTimeout(50); // one frame for layout after the resize; not a wait for data
    await page.screenshot({ path: join(SCREENSHOTS, `${name}-${v.width}x${v.height}.png`) });
  }
  if (own) await page.setViewportSize(own);
}
