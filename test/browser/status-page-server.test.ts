import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, VIEWPORTS, watchPage, type Harness } from './harness.js';

const CATALOG = `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout, title: "Checkout <img src=x onerror=window.__pwned=1>" }
spec: { owner: payments, tier: 1, public: true, system: storefront }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec: { members: [ { name: ana } ] }
`;
const TITLE = 'Payments <script>window.__pwned=2</script> failing';
const BODY = '</li><b onmouseover="window.__pwned=3">hover</b> we are on it';
const MARKER = 'BRW-internal-7730';

// The page as the server serves it: its own CSP, hostile text from the catalog and an external update.
describe('the public status page from a real server, in Chromium', { timeout: 120_000 }, () => {
  let h: Harness;
  let number = 0;

  before(async () => {
    h = await harness({ FIREBREAK_STATUS_TITLE: 'Acme status' });
    const applied = await h.send('PUT', '/api/v1/catalog', { body: CATALOG, contentType: 'application/yaml' });
    assert.equal(applied.status, 200, JSON.stringify(applied.json));
    const declared = await h.api('POST', '/api/v1/incidents', {
      title: `Internal ${MARKER}`, impact: 'Cards fail', severity: 'SEV2', severityReason: 'cards', services: ['checkout'],
    });
    assert.equal(declared.status, 201, JSON.stringify(declared.json));
    number = (declared.json as { number: number }).number;
    const id = (declared.json as { id: string }).id;
    assert.equal((await h.api('POST', `/api/v1/incidents/${id}/updates`, { audience: 'internal', body: MARKER })).status, 200);
    const ext = await h.api('POST', `/api/v1/incidents/${id}/updates`, { audience: 'external', body: BODY, title: TITLE, components: { checkout: 'major_outage' } });
    assert.equal(ext.status, 200, JSON.stringify(ext.json));
  });

  after(async () => h?.close());

  it('renders hostile text as text under the CSP, on a phone, without internal text, and links to the permalink', async () => {
    const context = await h.browser.newContext({ viewport: VIEWPORTS.phone, baseURL: h.server.url, javaScriptEnabled: true });
    const page = await context.newPage();
    const seen = watchPage(page);
    const res = await page.goto('/status');
    assert.equal(res?.status(), 200);
    assert.match(res?.headers()['content-security-policy'] ?? '', /default-src 'none'/);
    await page.getByText(TITLE).first().waitFor();
    await page.getByText('hover', { exact: false }).first().hover();
    assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
    assert.ok(await page.getByText('Checkout <img src=x onerror=window.__pwned=1>').first().isVisible());
    assert.ok(!(await page.content()).includes(MARKER));
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= 390));
    await page.getByRole('link', { name: TITLE }).first().click();
    await page.waitForURL(new RegExp(`/status/incidents/${number}/?$`));
    await page.getByText(BODY.replace(/<[^>]*>/g, '').trim().slice(0, 4), { exact: false }).first().waitFor();
    assert.ok((await page.content()).includes('&lt;/li&gt;&lt;b onmouseover'));
    assert.deepEqual(seen, { errors: [], dialogs: [], violations: [] });
    await context.close();
  });

  it('the room posts an external update with a public name and status, and the page shows them', async () => {
    await h.createUser('sam', 'responder');
    const { context, page } = await h.signedIn('sam');
    await page.goto(`/incidents/INC-${number}`);
    await page.getByRole('tab', { name: 'External update' }).click();
    await page.getByRole('textbox', { name: 'external update', exact: true }).fill('A fix is rolling out.');
    await page.getByLabel('Public name', { exact: true }).fill('Card payments recovering');
    await page.getByLabel('Public status', { exact: true }).selectOption('monitoring');
    const preview = page.getByLabel('Public status page preview');
    await preview.getByText('Monitoring · Card payments recovering').waitFor();
    assert.ok(!(await preview.textContent())!.includes(MARKER), 'the preview never shows the internal title');
    await page.getByRole('button', { name: 'Post external update' }).click();
    await page.getByRole('textbox', { name: 'external update', exact: true }).and(page.locator(':placeholder-shown')).waitFor();
    const summary = await (await fetch(`${h.server.url}/status/api/v2/incidents/unresolved.json`)).json();
    const shown = summary.incidents.find((i: { id: string }) => i.id === String(number));
    assert.deepEqual([shown.name, shown.status, shown.incident_updates[0].body], ['Card payments recovering', 'monitoring', 'A fix is rolling out.']);
    await context.close();
  });
});
