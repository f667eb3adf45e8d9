import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, watchPage, type Harness } from './harness.js';

const TITLE = '<img src=x onerror=alert(1)>';
const UPDATE = '<script>alert(2)</script><b onmouseover=alert(3)>bold?</b>';
const EVIDENCE_URL = 'javascript:alert(4)';

describe('web UI: untrusted text and the page shell', { timeout: 90_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.createUser('rita', 'responder');
  });
  after(async () => {
    await h?.close();
  });

  it('shows markup in titles, updates and evidence as text, and never runs it', async () => {
    const declared = await h.api('POST', '/api/v1/incidents', { title: TITLE, impact: `Impact ${TITLE}`, services: ['web'] });
    assert.equal(declared.status, 201);
    const id = (declared.json as { id: string }).id;
    assert.equal((await h.api('POST', `/api/v1/incidents/${id}/updates`, { audience: 'internal', body: UPDATE })).status, 200);
    const ev = await h.api('POST', `/api/v1/incidents/${id}/evidence`, { kind: 'log', title: 'Crafted link', url: EVIDENCE_URL });
    assert.equal(ev.status, 400, 'the API refuses a javascript: URL, so it never reaches the page');

    const { page } = await h.signedIn('rita');
    const { dialogs, violations } = watchPage(page);

    const row = page.locator(`tr[data-incident="${id}"]`);
    await row.waitFor();
    assert.ok(((await row.textContent()) ?? '').includes(TITLE), 'the list shows the title literally');

    await row.getByRole('link').click();
    await page.getByRole('heading', { name: TITLE }).waitFor();
    await page.locator('.ev-UpdatePosted').waitFor();
    assert.ok(((await page.locator('.ev-UpdatePosted').textContent()) ?? '').includes(UPDATE), 'the update shows literally');
    assert.equal(await page.locator('img[src="x"]').count(), 0, 'no <img> was created from the title');
    assert.equal(await page.locator('main script, main b[onmouseover]').count(), 0, 'no element was created from the update');
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'a javascript: URL is never a link');
    await page.locator('.ev-UpdatePosted').hover();
    assert.deepEqual(dialogs, [], 'no script ran');
    assert.deepEqual(violations, []);
  });

  it('serves the page under a strict CSP on every UI path, and keeps API 404s as problems', async () => {
    for (const path of ['/', '/incidents/INC-1', '/declare', '/incidents/INC-1/postmortem', '/alerts', '/catalog', '/catalog/checkout', '/insights', '/admin']) {
      const res = await fetch(h.server.url + path);
      assert.equal(res.status, 200, path);
      assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
      const csp = res.headers.get('content-security-policy') ?? '';
      assert.match(csp, /script-src 'self'(;|$)/, path);
      assert.match(csp, /style-src 'self'(;|$)/, path);
      assert.match(csp, /connect-src 'self'/, path);
      assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/, path);
      const html = await res.text();
      assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/, 'no inline script in the shell');
      assert.doesNotMatch(html, /<style|style=/, 'no inline style in the shell');
    }
    for (const path of ['/api/v1/nope', '/assets/nope.js', '/v2/nope', '/healthz/x', '/incidents/INC-1.json']) {
      const res = await fetch(h.server.url + path);
      assert.equal(res.status, 404, path);
      assert.match(res.headers.get('content-type') ?? '', /application\/problem\+json/, path);
    }
  });
});
