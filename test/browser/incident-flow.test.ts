import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { harness, screenshots, SCREENSHOTS, VIEWPORTS, watchPage, type Harness } from './harness.js';

const TEST_TIMEOUT_MS = 120_000;

/** The room's status as the page shows it. */
const statusOf = (page: Page) => page.locator('.room-head .status').first().textContent();

async function move(page: Page, to: string) {
  await page.getByRole('form', { name: 'Change status' }).getByRole('button', { name: `Move to ${to}` }).click();
}

/** Waits until the room shows the status, i.e. the command was answered and the page re-rendered. */
async function expectStatus(page: Page, status: string) {
  await page.locator('.room-head .status', { hasText: status }).waitFor();
}

describe('web UI: an incident from declaration to close', { timeout: TEST_TIMEOUT_MS }, () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.createUser('ana', 'responder');
    await h.createUser('vic', 'viewer');
  });
  after(async () => {
    await h?.close();
  });

  it('signs in, declares with triage, streams to a second page, walks the gates, writes the postmortem and closes', async () => {
    const signInContext = await h.browser.newContext({ viewport: VIEWPORTS.desktop, baseURL: h.server.url });
    const signInPage = await signInContext.newPage();
    await signInPage.goto('/');
    await signInPage.getByLabel('Username').waitFor();
    await screenshots(signInPage, '01-sign-in');
    await signInPage.getByLabel('Username').fill('ana');
    await signInPage.getByLabel('Password').fill('not the password at all');
    await signInPage.getByRole('button', { name: 'Sign in' }).click();
    await signInPage.getByRole('alert').waitFor();
    await signInContext.close();

    const { page } = await h.signedIn('ana');
    const seen = watchPage(page);
    const { page: viewer } = await h.signedIn('vic');
    const seenByViewer = watchPage(viewer);
    await viewer.locator('[data-live="live"]').waitFor();
    assert.equal(await viewer.getByRole('link', { name: 'Declare' }).count(), 0, 'a viewer is not offered Declare');
    // A marker that survives only if the page is never reloaded.
    await viewer.evaluate(() => ((window as unknown as { liveMarker: number }).liveMarker = 42));
    await screenshots(viewer, '02-incidents-empty');

    await page.getByRole('link', { name: 'Declare incident' }).click();
    await page.getByLabel('Title — what users see failing').fill('Checkout fails for EU card payments');
    await page.getByLabel('Impact — what fails, for whom, since when').fill('EU users get HTTP 500 when paying by card');
    await page.getByLabel('Services (comma-separated)').fill('checkout, payments-api');
    await page.getByLabel('A major feature is broken').check();
    await page.getByLabel('Many users are affected').check();
    await page.locator('.suggestion .badge', { hasText: 'SEV2' }).waitFor();
    assert.ok((await page.locator('.suggestion li').count()) >= 1, 'the triage helper says why');
    await screenshots(page, '03-declare');
    await page.getByRole('button', { name: 'Declare SEV2' }).click();
    await page.waitForURL('**/incidents/INC-1');
    await page.getByRole('heading', { name: 'Checkout fails for EU card payments' }).waitFor();

    // The viewer's list shows it without a reload.
    await viewer.locator('tr[data-incident="INC-1"]').waitFor();
    assert.equal(await viewer.evaluate(() => (window as unknown as { liveMarker?: number }).liveMarker), 42);
    assert.match((await viewer.locator('tr[data-incident="INC-1"]').textContent()) ?? '', /SEV2.*Checkout fails.*investigating/);

    // The viewer follows the room, read-only.
    await viewer.getByRole('link', { name: /INC-1/ }).click();
    await viewer.getByRole('heading', { name: 'Checkout fails for EU card payments' }).waitFor();
    assert.equal(await viewer.getByRole('form', { name: 'Change status' }).count(), 0, 'a viewer gets no status buttons');
    assert.equal(await viewer.getByRole('region', { name: 'Composer' }).count(), 0, 'a viewer gets no composer');

    // Refused gate: no mitigation yet; every unmet criterion is listed.
    await move(page, 'mitigated');
    const refusal = page.getByRole('form', { name: 'Change status' }).getByRole('alert');
    await refusal.waitFor();
    assert.match((await refusal.textContent()) ?? '', /gate is not met/);
    assert.equal(await refusal.locator('li[data-code="mitigation_missing"]').count(), 1);

    const mitigation = page.getByRole('form', { name: 'mitigation' });
    await mitigation.getByLabel('Lever kind').selectOption('rollback');
    await mitigation.getByLabel('Action').fill('Roll back checkout v1.42');
    await mitigation.getByLabel('Rationale').fill('Errors began with v1.42; rollback restores the known-good path');
    await mitigation.getByRole('button', { name: 'Record mitigation' }).click();
    await page.locator('#mitigations li', { hasText: 'Roll back checkout v1.42' }).waitFor();
    await move(page, 'mitigated');
    await expectStatus(page, 'mitigated');
    await expectStatus(viewer, 'mitigated');

    // An internal update with Ctrl+Enter lands on the timeline (and on the viewer's).
    await page.getByLabel('internal update').fill('Rollback done; error rate falling. Next update in 30 min.');
    await page.getByLabel('internal update').press('Control+Enter');
    await page.locator('.ev-UpdatePosted', { hasText: 'Rollback done' }).waitFor();
    await viewer.locator('.ev-UpdatePosted', { hasText: 'Rollback done' }).waitFor();

    // Resolve is refused with every unmet criterion, then satisfied step by step.
    await move(page, 'resolved');
    await refusal.waitFor();
    const codes = await refusal.locator('li[data-code]').evaluateAll((els) => els.map((e) => e.getAttribute('data-code')));
    assert.ok(codes.length >= 3, `several unmet criteria, got ${codes.join(', ')}`);
    await screenshots(page, '05-room-gate-refused');

    const impact = page.getByRole('form', { name: 'impact' });
    await impact.getByLabel('Confirmed').check();
    await impact.getByRole('button', { name: 'Save impact' }).click();
    await page.locator('#impact', { hasText: '(confirmed)' }).waitFor();

    const roles = page.getByRole('form', { name: 'roles' });
    await roles.getByLabel('Role').selectOption('responder');
    await roles.getByLabel('Person').fill('li');
    await roles.getByRole('button', { name: 'Assign' }).click();
    await page.locator('#roles li', { hasText: 'li' }).first().waitFor();
    await roles.getByLabel('Role').selectOption('comms');
    await roles.getByLabel('Person').fill('sam');
    await roles.getByRole('button', { name: 'Assign' }).click();
    await page.locator('#roles li', { hasText: 'sam' }).waitFor();

    const comms = page.getByRole('form', { name: 'comms' });
    await comms.getByLabel('External update when').fill('More than 5% of checkouts fail');
    await comms.getByRole('button', { name: 'Save comms plan' }).click();
    await page.locator('[data-timer="update"]').waitFor();

    const evidence = page.getByRole('form', { name: 'evidence' });
    await evidence.getByLabel('Kind').selectOption('metric');
    await evidence.getByLabel('Title').fill('5xx ratio back under 0.1% after rollback');
    await evidence.getByLabel('Link').fill('https://grafana.example/d/checkout');
    await evidence.getByRole('button', { name: 'Add evidence' }).click();
    await page.locator('#evidence a', { hasText: '5xx ratio' }).waitFor();

    const status = page.getByRole('form', { name: 'Change status' });
    await status.locator('summary').click();
    await status.getByLabel('Guardrails reviewed: none needed').check();
    await move(page, 'resolved');
    await expectStatus(page, 'resolved');
    assert.equal(await refusal.count(), 0, 'the refusal is gone once the gate is met');
    await screenshots(page, '04-room');

    // Closing before the postmortem is refused too.
    await move(page, 'closed');
    await refusal.waitFor();
    assert.ok((await refusal.locator('li[data-code]').count()) >= 1);

    // The postmortem, with a blameful phrase flagged inline.
    await page.getByRole('link', { name: /^Postmortem/ }).click();
    await page.getByRole('heading', { name: /Postmortem: Checkout fails/ }).waitFor();
    const pm = page.getByRole('form', { name: 'Postmortem' });
    await pm.getByLabel('Summary').fill('A pricing change made checkout fail for EU card payments for 26 minutes.');
    await pm.getByLabel('Why 1?').fill('Checkout answered 500 for EU card payments');
    await pm.getByLabel('Why 2?').fill('Pricing returned totals checkout could not parse');
    await pm.getByLabel('Why 3?').fill('It was human error by the operator');
    await pm.getByLabel('Root cause').fill('No contract test between checkout and pricing.');
    await pm.getByLabel('What went well — one per line').fill('Rollback took 3 minutes');
    await pm.getByLabel('What went poorly — one per line').fill('Detection took 10 minutes');
    await pm.getByRole('button', { name: 'Save postmortem' }).click();
    await pm.getByRole('list', { name: 'Blameless warnings for whys[2]' }).waitFor();
    assert.match((await pm.getByRole('list', { name: 'Blameless warnings for whys[2]' }).textContent()) ?? '', /human error/i);
    await pm.getByLabel('Why 3?').scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SCREENSHOTS}/07-postmortem-blameless-1280x800.png` });
    await pm.getByLabel('Why 3?').fill('The deploy pipeline ran no contract tests between the two services');
    await pm.getByLabel('Why 3?').press('Control+Enter');
    await pm.getByText(/^Saved /).waitFor();
    await page.getByRole('list', { name: 'Blameless warnings for whys[2]' }).waitFor({ state: 'detached' });
    assert.equal(await page.locator('[data-pm-status]').textContent(), 'draft', 'no action item yet');

    const action = page.getByRole('form', { name: 'action item' });
    await action.getByLabel('Action').fill('Add a checkout/pricing contract test');
    await action.getByLabel('Owner').fill('li');
    await action.getByLabel('Deadline').fill(new Date(Date.now() + 14 * 86_400_000).toISOString().slice(0, 10)); // two weeks from the test's clock
    await action.getByLabel('Priority').selectOption('P1');
    await action.getByRole('button', { name: 'Add action item' }).click();
    await page.locator('[data-pm-status]', { hasText: 'complete' }).waitFor();
    await screenshots(page, '06-postmortem');

    // Exports are plain links to the API's own renderings.
    const md = await page.getByRole('link', { name: 'Markdown' }).getAttribute('href');
    assert.equal(md, '/api/v1/incidents/INC-1/postmortem?format=md');
    const mdText = await page.evaluate((href) => fetch(href).then((r) => r.text()), md!);
    assert.match(mdText, /contract test/);

    // Closing needs the postmortem reviewed and published; the review itself is postmortem-workflow.test.ts's.
    const reviewer = ((await h.api('GET', '/api/v1/session')).json as { username: string }).username;
    for (const [path, body] of [
      ['/postmortem/assign', { reviewers: [reviewer] }],
      ['/postmortem/state', { to: 'in_review' }],
      ['/postmortem/state', { to: 'published' }],
    ] as const) {
      const r = await h.api('POST', `/api/v1/incidents/INC-1${path}`, body);
      assert.equal(r.status, 200, JSON.stringify(r.json));
    }

    // Deep link straight into the room (the server answers UI paths with the page), then close.
    await page.goto('/incidents/INC-1');
    await expectStatus(page, 'resolved');
    await move(page, 'closed');
    await expectStatus(page, 'closed');
    await expectStatus(viewer, 'closed');
    assert.equal(await statusOf(page), 'closed');

    // A few more, so the list shows its order: open first, most severe first.
    for (const [title, severity, services] of [
      ['Search results are stale for some queries', 'SEV3', ['search']],
      ['Complete outage of the public API', 'SEV1', ['api-gateway', 'auth']],
      ['Footer links misaligned on Safari', 'SEV4', ['web']],
    ] as const) {
      const r = await h.api('POST', '/api/v1/incidents', { title, impact: title, services, severity, severityReason: 'seen by users' });
      assert.equal(r.status, 201);
    }
    await viewer.getByRole('link', { name: 'Incidents' }).click();
    await viewer.getByLabel('Status').selectOption('all');
    await viewer.locator('tr[data-incident="INC-1"]', { hasText: 'closed' }).waitFor();
    await viewer.locator('tr[data-incident="INC-4"]').waitFor();
    const order = await viewer.locator('tr[data-incident]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-incident')));
    assert.deepEqual(order, ['INC-3', 'INC-2', 'INC-4', 'INC-1'], 'open first, by severity; closed last');
    await screenshots(viewer, '02-incidents');
    assert.deepEqual([...seen.errors, ...seenByViewer.errors], [], 'no script errors on either page');
  });
});
