import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { EXAMPLE_CATALOG_YAML } from '../../src/domain/catalog/catalog.fixture.js';
import { harness, nav, screenshots, watchPage, type Harness } from './harness.js';

// The example's weekly rotation (ana, then li) starts on a fixed date; started a day before the test's own clock
// instead, ana is on call for the next six days whatever today is.
const FIXED_START = 'startsAt: "2026-01-05T09:00:00Z"';
assert.ok(EXAMPLE_CATALOG_YAML.includes(FIXED_START), 'the example catalog still has the rotation this test moves');
const ROTATION_START = new Date(Date.now() - 86_400_000).toISOString();

// A second service whose catalog text carries markup: it must show as text on every screen.
const HOSTILE_TITLE = 'Search <img src=x onerror=alert(1)>';
const HOSTILE_FLOW = '<img src=x onerror=alert(5)>';
const HOSTILE_INSTRUCTIONS = 'Serve cached results <script>alert(7)</script> [x](javascript:alert(8))';
const CATALOG =
  EXAMPLE_CATALOG_YAML.replace(FIXED_START, `startsAt: "${ROTATION_START}"`) +
  `---
apiVersion: firebreak/v1
kind: Service
metadata: { name: search, title: "${HOSTILE_TITLE}" }
spec:
  owner: payments
  tier: 2
  flows: [ { name: "${HOSTILE_FLOW}", userFacing: true } ]
  unsupportedFlows: [ "[click me](javascript:alert(6))" ]
  runbook: "https://wiki.example/search"
  levers:
    - name: serve-stale
      kind: fallback
      failClosed: false
      preservesData: true
      action: { type: manual, instructions: "${HOSTILE_INSTRUCTIONS}" }
    - name: read-only
      kind: read-only
      failClosed: true
      preservesData: true
      action: { type: manual, instructions: "Set search to read-only" }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: inventory, title: Inventory }
spec:
  owner: payments
  tier: 3
`;

interface AmAlert {
  fingerprint: string;
  service: string;
  summary: string;
  severity?: string;
}

/** An Alertmanager webhook (payload version 4) with the given alerts, all firing. */
const alertmanagerBody = (alerts: AmAlert[]) =>
  JSON.stringify({
    version: '4',
    groupKey: `{}:{alertname="A-${alerts[0]!.fingerprint}"}`,
    status: 'firing',
    receiver: 'firebreak',
    groupLabels: {},
    commonLabels: {},
    commonAnnotations: {},
    externalURL: 'http://alertmanager.example',
    truncatedAlerts: 0,
    alerts: alerts.map((a) => ({
      status: 'firing',
      labels: { alertname: `A-${a.fingerprint}`, service: a.service, severity: a.severity ?? 'warning', region: 'eu-west-1' },
      annotations: { summary: a.summary },
      startsAt: new Date(Date.now() - 5 * 60_000).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: 'https://prometheus.example/graph',
      fingerprint: a.fingerprint,
    })),
  });

const idOf = (r: { json: unknown }) => (r.json as { id: string }).id;

describe('web UI: alert inbox, catalog, levers and admin', { timeout: 180_000 }, () => {
  let h: Harness;
  let amToken: string;
  const post = async (alerts: AmAlert[]) => {
    const r = await h.send('POST', '/api/v1/integrations/alertmanager', { body: alertmanagerBody(alerts), contentType: 'application/json', token: amToken });
    assert.equal(r.status, 200, JSON.stringify(r.json));
  };

  // The rollback lever's webhook: a real receiver on 127.0.0.1, which the server is allowed to call.
  const hooks: string[] = [];
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      hooks.push(`${req.method} ${req.url}`);
      res.writeHead(202).end('queued');
    });
  });

  before(async () => {
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/rollback`;
    h = await harness({ FIREBREAK_EGRESS_ALLOW: '127.0.0.1' });
    await h.createUser('ana', 'responder');
    await h.createUser('ada', 'admin');
    await h.createUser('vic', 'viewer');
    const body = CATALOG.replaceAll('https://ci.example/rollback', hook);
    const applied = await h.send('PUT', '/api/v1/catalog', { body, contentType: 'application/yaml' });
    assert.equal(applied.status, 200, JSON.stringify(applied.json));
    const integration = await h.api('POST', '/api/v1/integrations', { type: 'alertmanager', name: 'test-am' });
    assert.equal(integration.status, 201);
    amToken = (integration.json as { token: string }).token;
  });
  after(async () => {
    receiver.closeAllConnections();
    receiver.close();
    await h?.close();
  });

  it('lists unrouted and routed alerts, shows a new one live, and declares from an alert', async () => {
    await post([
      { fingerprint: 'c0ffee01', service: 'checkout', summary: 'Checkout p95 above 2s' },
      { fingerprint: 'c0ffee02', service: 'ledger', summary: 'Ledger queue backing up', severity: 'error' },
    ]);
    const { page } = await h.signedIn('ana');
    const { errors } = watchPage(page);
    await nav(page, 'Alerts').click();
    await page.getByRole('heading', { name: 'Alerts' }).waitFor();
    await page.locator('[data-live="live"]').waitFor();

    const routed = page.locator('tr[data-alert="am:c0ffee01"]');
    const unrouted = page.locator('tr[data-alert="am:c0ffee02"]');
    await routed.waitFor();
    await unrouted.waitFor();
    assert.match((await routed.textContent()) ?? '', /warning.*Checkout p95 above 2s.*firing.*checkout.*1×/);
    assert.match((await unrouted.textContent()) ?? '', /error.*Ledger queue backing up.*unrouted \(sent as ledger\)/);
    assert.match((await routed.locator('ul.labels').textContent()) ?? '', /region=eu-west-1/, 'labels show as text');

    // A new alert arrives without a reload.
    await page.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 7));
    await post([{ fingerprint: 'c0ffee03', service: 'checkout', summary: 'Checkout 5xx ratio above 1%', severity: 'error' }]);
    await page.locator('tr[data-alert="am:c0ffee03"]').waitFor();
    assert.equal(await page.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker), 7, 'no reload');
    await screenshots(page, '08-alerts');

    // Declare from the routed alert: the form is prefilled, the alert is linked and becomes a note.
    await routed.getByRole('button', { name: 'Declare from alert' }).click();
    await page.waitForURL('**/declare?alert=*');
    await page.locator('.from-alert').waitFor();
    assert.equal(await page.getByLabel('Title — what users see failing').inputValue(), '[checkout] Checkout p95 above 2s');
    assert.equal(await page.getByLabel('Services (comma-separated)').inputValue(), 'checkout');
    assert.equal(await page.getByRole('button', { name: /^checkout/ }).getAttribute('aria-pressed'), 'true', 'the catalog chip is on');
    await page.getByLabel('Impact — what fails, for whom, since when').fill('Checkout slow for EU users');
    await screenshots(page, '09-declare-from-alert');
    await page.getByRole('button', { name: 'Declare', exact: true }).click();
    await page.waitForURL('**/incidents/INC-1');
    await page.locator('.ev-NoteAdded', { hasText: 'Declared from alert am:c0ffee01' }).waitFor();
    await page.locator('#alerts li', { hasText: 'Checkout p95 above 2s' }).waitFor();

    // An alert that fires while the incident is open joins it by itself; the inbox shows the link under "all".
    await post([{ fingerprint: 'c0ffee04', service: 'checkout', summary: 'Checkout error budget burning' }]);
    await nav(page, 'Alerts').click();
    await page.locator('tr[data-alert="am:c0ffee03"]').waitFor();
    assert.equal(await page.locator('tr[data-alert="am:c0ffee04"]').count(), 0, 'a linked alert is not in the inbox');
    await page.getByLabel('Show').selectOption('all');
    const joined = page.locator('tr[data-alert="am:c0ffee04"]');
    await joined.waitFor();
    assert.equal(await joined.getByRole('link', { name: 'INC-1' }).count(), 1);
    assert.deepEqual(errors, []);
  });

  it('shows the catalog, a service with its levers, and its playbook; catalog markup stays text', async () => {
    const { page } = await h.signedIn('vic');
    const { dialogs, violations } = watchPage(page);
    await nav(page, 'Catalog').click();
    const checkout = page.locator('tr[data-service="checkout"]');
    await checkout.waitFor();
    assert.match((await checkout.textContent()) ?? '', /T1.*checkout.*Checkout.*payments.*ana/);
    assert.ok(((await page.locator('tr[data-service="search"]').textContent()) ?? '').includes(HOSTILE_TITLE));
    assert.match((await page.locator('tr[data-team="payments"]').textContent()) ?? '', /payments.*ana.*weekly: ana → li/);
    await screenshots(page, '10-catalog');

    await checkout.getByRole('link', { name: /^checkout/ }).click();
    await page.waitForURL('**/catalog/checkout');
    await page.locator('.markdown h2', { hasText: 'Levers (fail-closed first)' }).waitFor();
    const levers = await page.locator('#levers li strong').allTextContents();
    assert.deepEqual(levers, ['rollback', 'disable-new-pricing'], 'fail-closed and data-preserving first');
    assert.match((await page.locator('#seams').textContent()) ?? '', /orders v1\/v2 dual-write.*fails closed/);
    assert.match((await page.locator('#unsupported').textContent()) ?? '', /legacy-coupon-v1/);
    assert.match((await page.locator('#slos').textContent()) ?? '', /99\.9 %.*300 ms/);
    assert.equal(await page.locator('.markdown a[href="https://wiki.example/checkout"][rel~="noopener"]').count(), 1);
    await screenshots(page, '11-service');

    await page.goto('/catalog/search');
    await page.locator('.markdown h2', { hasText: 'Unsupported flows' }).waitFor();
    assert.equal(await page.getByRole('heading', { name: HOSTILE_TITLE, exact: true }).count(), 1, 'the title shows literally');
    assert.ok(((await page.locator('#flows').textContent()) ?? '').includes(HOSTILE_FLOW));
    assert.ok(((await page.locator('.markdown').textContent()) ?? '').includes(HOSTILE_FLOW), 'the playbook shows it literally');
    assert.ok(((await page.locator('#levers').textContent()) ?? '').includes(HOSTILE_INSTRUCTIONS));
    assert.equal(await page.locator('img').count(), 0, 'no element was made from catalog text');
    assert.equal(await page.locator('main script').count(), 0);
    assert.equal(await page.locator('a[href^="javascript:"]').count(), 0, 'no javascript: link');
    assert.deepEqual(dialogs, []);
    assert.deepEqual(violations, [], 'the lazily loaded Markdown chunk and its styles pass the CSP');
  });

  it('pulls a lever with confirmation and records the mitigation; a fail-open lever needs a reason here', async () => {
    const declared = await h.api('POST', '/api/v1/incidents', {
      title: 'Search and checkout degraded',
      impact: 'Search results stale, checkout slow',
      services: ['checkout', 'search'],
      commander: 'ana',
    });
    assert.equal(declared.status, 201);
    const id = idOf(declared);
    const impact = await h.api('PUT', `/api/v1/incidents/${id}/impact`, {
      statement: 'Search results stale, checkout slow',
      confirmed: true,
      boundary: { unsupportedFlow: true, coexistenceSeam: false, rolloutBoundary: false },
    });
    assert.equal(impact.status, 200);

    const { page } = await h.signedIn('ana');
    await page.goto(`/incidents/${id}`);
    const panel = page.getByRole('region', { name: 'Levers' });
    await panel.locator('li[data-lever]').first().waitFor();
    const order = await panel.locator('li[data-lever]').evaluateAll((els) => els.map((e) => e.getAttribute('data-lever')));
    assert.deepEqual(order, ['rollback', 'read-only', 'disable-new-pricing', 'serve-stale'], 'fail-closed first');

    await panel.getByRole('button', { name: 'Pull rollback' }).click();
    const dialog = page.getByRole('dialog', { name: 'Pull rollback' });
    await dialog.waitFor();
    assert.match((await dialog.textContent()) ?? '', /rollback.*fail-closed.*preserves data.*webhook POST.*http:\/\/127\.0\.0\.1:\d+\/rollback/s);
    // Firebreak calls the webhook when the lever is pulled: the list and the dialog say so.
    assert.match((await panel.locator('li[data-lever="rollback"]').textContent()) ?? '', /Firebreak calls it when pulled/);
    assert.match((await dialog.textContent()) ?? '', /Firebreak calls this webhook when you pull it/);
    await dialog.getByLabel('Why this lever now (rationale)').fill('Latency began with the last deploy; rollback restores it');
    await screenshots(page, '12-room-lever-confirm');
    await dialog.getByRole('button', { name: 'Pull rollback' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator('#mitigations li', { hasText: 'Pull rollback on checkout' }).waitFor();
    await page.locator('.ev', { hasText: /rollback/ }).first().waitFor();
    await panel.locator('li[data-lever="rollback"]', { hasText: 'pulled by ana' }).waitFor();
    await panel.locator('li[data-lever="rollback"] [data-execution="succeeded"]', { hasText: 'webhook called: 202' }).waitFor();
    assert.deepEqual(hooks, ['POST /rollback'], 'the webhook was called once');

    // Fail-open on an incident touching an unsupported flow: the reason is required before anything is sent.
    await panel.getByRole('button', { name: 'Pull serve-stale' }).click();
    const open = page.getByRole('dialog', { name: 'Pull serve-stale' });
    await open.waitFor();
    assert.match((await open.textContent()) ?? '', /fail-open.*required: the incident touches an unsupported flow/s);
    await open.getByLabel('Why this lever now (rationale)').fill('Stale results beat no results');
    await open.getByRole('button', { name: 'Pull serve-stale' }).click();
    const failOpenReason = open.getByLabel(/Why failing open is safe/);
    assert.equal(
      await failOpenReason.evaluate((el) => (el as HTMLTextAreaElement).validity.valueMissing),
      true,
      'the form refuses to send without the reason',
    );
    assert.equal(await page.locator('#mitigations li').count(), 1);
    await failOpenReason.fill('Results are read-only; no write path is opened');
    await open.getByRole('button', { name: 'Pull serve-stale' }).click();
    await open.waitFor({ state: 'detached' });
    const recorded = page.locator('#mitigations li', { hasText: 'serve-stale' });
    await recorded.waitFor();
    assert.match((await recorded.textContent()) ?? '', /fail-open/);
    // A manual lever waits for a human: Done records the confirmation on the pull.
    const stale = panel.locator('li[data-lever="serve-stale"]');
    await stale.locator('[data-execution="awaiting_confirmation"]').waitFor();
    await stale.getByRole('button', { name: 'Confirm serve-stale done' }).click();
    await stale.locator('[data-execution="confirmed_done"]').waitFor();
    const state = await h.api('GET', `/api/v1/incidents/${id}`);
    const m = (state.json as { mitigations: { lever: string; failClosed: boolean; failOpenReason: string | null; execute: boolean }[] }).mitigations;
    assert.deepEqual(
      m.map((x) => [x.lever, x.failClosed, x.failOpenReason, x.execute]),
      [
        ['rollback', true, null, true],
        ['serve-stale', false, 'Results are read-only; no write path is opened', true],
      ],
    );
    await screenshots(page, '12-room-levers', '#levers');
  });

  it('attaches an inbox alert to an open incident; a cancelled one is not offered, and refusals show', async () => {
    // Fired before any incident of theirs is open, so they wait in the inbox rather than joining one.
    await post([
      { fingerprint: 'a77ac401', service: 'inventory', summary: 'Inventory counts drift from the warehouse' },
      { fingerprint: 'a77ac402', service: 'inventory', summary: 'Inventory sync job failing' },
      { fingerprint: 'a77ac403', service: 'inventory', summary: 'Inventory cache hit ratio low' },
    ]);
    const declare = async (title: string, services: string[]) => {
      const r = await h.api('POST', '/api/v1/incidents', { title, impact: title, services, severity: 'SEV3', severityReason: 'a few customers' });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      return idOf(r);
    };
    const cancel = async (id: string) => {
      const r = await h.api('POST', `/api/v1/incidents/${id}/status`, { to: 'cancelled', reason: 'false alarm' });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    };
    const alertId = async (dedupKey: string) => {
      const r = await h.api('GET', `/api/v1/alerts?dedupKey=${encodeURIComponent(dedupKey)}`);
      return (r.json as { items: { id: string }[] }).items[0]!.id;
    };
    const other = await declare('Queue backlog growing', ['queue']);
    const target = await declare('Inventory wrong for some SKUs', ['inventory']);
    const cancelled = await declare('Inventory false alarm', ['inventory']);
    await cancel(cancelled);
    const closing = await declare('Inventory page slow', ['inventory-web']);

    const { page } = await h.signedIn('ana');
    const { errors } = watchPage(page);
    await page.goto('/alerts');
    await page.locator('[data-live="live"]').waitFor();
    const row = page.locator('tr[data-alert="am:a77ac401"]');
    await row.getByRole('button', { name: 'Attach to incident' }).click();
    const dialog = page.getByRole('dialog', { name: 'Attach to incident' });
    await dialog.locator('label[data-incident]').first().waitFor();
    const offered = await dialog.locator('label[data-incident]').evaluateAll((els) => els.map((e) => e.getAttribute('data-incident')));
    assert.equal(offered[0], target, 'the open incident of the routed service comes first');
    assert.ok(offered.includes(other) && offered.includes(closing), `every open incident is offered: ${offered.join(', ')}`);
    assert.ok(!offered.includes(cancelled), 'a cancelled incident is not offered');
    assert.match((await dialog.locator(`label[data-incident="${target}"]`).textContent()) ?? '', /same service/);
    assert.equal(await dialog.getByRole('radio', { name: new RegExp(target) }).isChecked(), true, 'preselected');
    await screenshots(page, '15-alert-attach');
    await dialog.getByRole('button', { name: `Attach to ${target}` }).click();
    await dialog.waitFor({ state: 'detached' });
    await row.getByRole('link', { name: target }).waitFor();
    await row.locator('.tag', { hasText: 'attached' }).waitFor();

    // 409: another responder attached the alert to another open incident while the dialog was open.
    const second = page.locator('tr[data-alert="am:a77ac402"]');
    await second.getByRole('button', { name: 'Attach to incident' }).click();
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: new RegExp(target) }).check();
    const elsewhere = await h.api('POST', `/api/v1/incidents/${other}/alerts`, { alertId: await alertId('am:a77ac402') });
    assert.equal(elsewhere.status, 200, JSON.stringify(elsewhere.json));
    await dialog.getByRole('button', { name: `Attach to ${target}` }).click();
    const refusal = dialog.getByRole('alert');
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', new RegExp(`is linked to ${other}, which is still open`));
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The live reload took that alert out of the inbox; the one attached here stays, with its incident.
    await second.waitFor({ state: 'detached' });
    assert.equal(await row.getByRole('link', { name: target }).count(), 1);

    // 422: the chosen incident was cancelled meanwhile; the unmet criterion is listed.
    const third = page.locator('tr[data-alert="am:a77ac403"]');
    await third.getByRole('button', { name: 'Attach to incident' }).click();
    await dialog.waitFor();
    await dialog.getByRole('radio', { name: new RegExp(closing) }).check();
    await cancel(closing);
    await dialog.getByRole('button', { name: `Attach to ${closing}` }).click();
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', new RegExp(`${closing} is cancelled`));
    assert.equal(await refusal.locator('li[data-code="incident_not_open"]').count(), 1);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await third.getByRole('button', { name: 'Attach to incident' }).click();
    await dialog.locator('label[data-incident]').first().waitFor();
    assert.equal(await dialog.locator(`label[data-incident="${closing}"]`).count(), 0, 'no longer offered once cancelled');
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // The room shows the alert among its linked alerts and on its timeline, with who attached it.
    await row.getByRole('link', { name: target }).click();
    await page.waitForURL(`**/incidents/${target}`);
    await page.getByRole('region', { name: 'Linked alerts' }).getByText('Inventory counts drift from the warehouse').waitFor();
    const linked = page.locator('.ev-AlertsRecorded', { hasText: 'Inventory counts drift from the warehouse' });
    await linked.waitFor();
    assert.match((await linked.textContent()) ?? '', /ana/);
    assert.deepEqual(errors, []);
  });

  it('lets an admin create an integration and see its set-up with the real URL and token; tokens and users too', async () => {
    const { page: viewer } = await h.signedIn('vic');
    assert.equal(await nav(viewer, 'Admin').count(), 0, 'a viewer gets no Admin link');
    await viewer.goto('/admin');
    await viewer.getByText('managed by admins').waitFor();

    const { page, context } = await h.signedIn('ada');
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.server.url });
    await nav(page, 'Admin').click();
    await page.getByRole('heading', { name: 'Admin' }).waitFor();

    const form = page.getByRole('form', { name: 'new integration' });
    await form.getByLabel('Type').selectOption('alertmanager');
    await form.getByLabel('Name').fill('prod-am');
    await form.getByRole('button', { name: 'Create integration' }).click();
    const token = ((await page.getByLabel('integration token', { exact: true }).textContent()) ?? '').trim();
    assert.ok(token.length > 20, 'the token is shown once');
    const setup = page.getByLabel('Set-up for prod-am');
    await setup.waitFor();
    const text = (await setup.textContent()) ?? '';
    assert.ok(text.includes(`url: ${h.server.url}/api/v1/integrations/alertmanager`), 'the snippet has the real URL');
    assert.ok(text.includes(`credentials: ${token}`), 'the snippet has the real token');
    const copy = page.getByRole('button', { name: 'Copy integration token' });
    await copy.click();
    await page.locator('.copyable button', { hasText: /Copied|Selected/ }).first().waitFor();
    await screenshots(page, '13-admin');

    // The token the page showed is the one the server accepts.
    const body = alertmanagerBody([{ fingerprint: 'c0ffee05', service: 'checkout', summary: 'From the admin test' }]);
    assert.equal((await h.send('POST', '/api/v1/integrations/alertmanager', { body, contentType: 'application/json', token })).status, 200);

    // GitHub: URL, content type, secret and events.
    await form.getByLabel('Type').selectOption('github');
    await form.getByLabel('Name').fill('acme-org');
    await form.getByRole('button', { name: 'Create integration' }).click();
    const gh = page.getByLabel('Set-up for acme-org');
    await gh.waitFor();
    const secret = ((await page.getByLabel('HMAC secret', { exact: true }).textContent()) ?? '').trim();
    assert.match((await gh.textContent()) ?? '', new RegExp(`Payload URL:\\s+${h.server.url}/api/v1/integrations/github.*application/json.*${secret}.*Deployment statuses`, 's'));

    // API tokens: create (shown once), then revoke.
    const tokens = page.getByRole('form', { name: 'new token' });
    await tokens.getByLabel('Name').fill('ci-deploys');
    await tokens.getByLabel('Role').selectOption('ingest');
    await tokens.getByRole('button', { name: 'Create token' }).click();
    const apiToken = ((await page.getByLabel('API token', { exact: true }).textContent()) ?? '').trim();
    const ingest = await h.send('POST', '/api/v1/alerts', {
      body: JSON.stringify({ dedupKey: 'from-ci', status: 'firing', summary: 'ci', severity: 'info' }),
      contentType: 'application/json',
      token: apiToken,
    });
    assert.equal(ingest.status, 202, 'the shown token works');
    page.once('dialog', (d) => void d.accept());
    await page.locator('tr[data-token="ci-deploys"]').getByRole('button', { name: 'Revoke' }).click();
    await page.locator('tr[data-token="ci-deploys"]', { hasText: 'revoked' }).waitFor();

    const users = page.getByRole('form', { name: 'new user' });
    await users.getByLabel('Username').fill('nora');
    await users.getByLabel(/^Password/).fill('a long enough password');
    await users.getByRole('button', { name: 'Create user' }).click();
    await page.locator('tr[data-user="nora"]', { hasText: 'responder' }).waitFor();
  });
});
