import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { EXAMPLE_CATALOG_YAML } from '../../src/domain/catalog/catalog.fixture.js';
import { harness, VIEWPORTS, watchPage, type Harness } from './harness.js';

/** The element's box on the page (not the viewport), with the page scrolled to the top. */
async function box(page: Page, selector: string) {
  const b = await page.locator(selector).first().evaluate((el) => {
    const r = el.getBoundingClientRect();
    return { top: r.top + window.scrollY, bottom: r.bottom + window.scrollY, left: r.left, right: r.right };
  });
  return b;
}

describe('web UI: the room puts the next step and the levers first', { timeout: 120_000 }, () => {
  let h: Harness;
  /** The name commands sent with the harness's admin token are recorded under. */
  let tokenActor: string;
  const declare = async (title: string, commander: string) => {
    const r = await h.api('POST', '/api/v1/incidents', {
      title,
      impact: `${title}: users see errors`,
      services: ['checkout'],
      severity: 'SEV2',
      severityReason: 'many users',
      commander,
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return (r.json as { id: string }).id;
  };
  const moveTo = async (id: string, body: Record<string, unknown>) => {
    const r = await h.api('POST', `/api/v1/incidents/${id}/status`, body);
    assert.equal(r.status, 200, JSON.stringify(r.json));
  };

  before(async () => {
    h = await harness();
    await h.createUser('ana', 'responder');
    const applied = await h.send('PUT', '/api/v1/catalog', { body: EXAMPLE_CATALOG_YAML, contentType: 'application/yaml' });
    assert.equal(applied.status, 200, JSON.stringify(applied.json));
    const probe = await declare('Probe for the token actor', 'ana');
    const timeline = await h.api('GET', `/api/v1/incidents/${probe}/timeline`);
    tokenActor = (timeline.json as { events: { actor: string }[] }).events[0]!.actor;
  });
  after(async () => {
    await h?.close();
  });

  it('on a phone: status, then levers and the mitigation form, then the composer, then checklist and timeline', async () => {
    const id = await declare('Checkout fails for EU card payments', 'ana');
    const { page } = await h.signedIn('ana', VIEWPORTS.phone);
    const { errors } = watchPage(page);
    await page.goto(`/incidents/${id}`);
    await page.locator('#levers li[data-lever]').first().waitFor();
    await page.locator('.checklist ol').waitFor();
    await page.evaluate(() => window.scrollTo(0, 0));

    const status = await box(page, '.status-panel');
    const levers = await box(page, '#levers');
    const mitigation = await box(page, 'form[aria-label="mitigation"]');
    const composer = await box(page, '.composer');
    const checklist = await box(page, '.checklist');
    const timeline = await box(page, '.timeline');
    assert.ok(levers.top < VIEWPORTS.phone.height, `the levers start on the first screen (top ${levers.top})`);
    assert.ok(status.top < levers.top, 'the next step comes first');
    assert.ok(levers.bottom <= mitigation.top && mitigation.bottom <= composer.top, 'levers, the mitigation form, then the composer');
    assert.ok(composer.bottom <= checklist.top && checklist.bottom <= timeline.top, 'then the checklist, then the timeline');
    assert.ok((await box(page, '#severity')).top > timeline.top, 'the other panels follow');
    assert.equal(await page.getByRole('button', { name: 'Pull rollback' }).count(), 1, 'an open incident offers Pull');

    // Mitigated, the incident is still being worked: the levers still come before the composer.
    const m = await h.api('POST', `/api/v1/incidents/${id}/mitigations`, {
      kind: 'rollback',
      action: 'Roll back checkout v1.42',
      rationale: 'errors began with v1.42',
      failClosed: true,
    });
    assert.equal(m.status, 200, JSON.stringify(m.json));
    await moveTo(id, { to: 'mitigated' });
    await page.locator('.room-head .status', { hasText: 'mitigated' }).waitFor();
    assert.ok((await box(page, '#levers')).bottom <= (await box(page, '.composer')).top, 'mitigated: levers before the composer');
    assert.deepEqual(errors, []);
  });

  it('on a desktop: the levers lead the side column beside the status, and the composer follows the status', async () => {
    const id = await declare('Search is slow', 'ana');
    const { page } = await h.signedIn('ana', VIEWPORTS.desktop);
    await page.goto(`/incidents/${id}`);
    await page.locator('#levers li[data-lever]').first().waitFor();
    await page.locator('.checklist ol').waitFor();
    const status = await box(page, '.status-panel');
    const levers = await box(page, '#levers');
    const composer = await box(page, '.composer');
    const severity = await box(page, '#severity');
    assert.ok(levers.left >= status.right, 'the levers are in the side column');
    assert.ok(Math.abs(levers.top - status.top) < 2, 'both columns start at the top');
    assert.ok(composer.top - status.bottom < 20, `the composer sits right under the status (gap ${composer.top - status.bottom})`);
    assert.ok(severity.left >= status.right && severity.top > levers.bottom, 'the other panels stay in the side column, after the levers');
  });

  it('a closed or cancelled incident offers no Pull and no composer, and still lists its levers', async () => {
    const closed = await declare('Receipts show the wrong total', tokenActor);
    await moveTo(closed, { to: 'resolved', override: { reason: 'test set-up: skip the gate' } });
    await moveTo(closed, { to: 'closed', override: { reason: 'test set-up: skip the gate' } });
    const cancelled = await declare('False alarm on checkout', 'ana');
    await moveTo(cancelled, { to: 'cancelled', reason: 'false alarm' });

    const { page } = await h.signedIn('ana', VIEWPORTS.phone);
    for (const [id, word] of [
      [closed, 'closed'],
      [cancelled, 'cancelled'],
    ] as const) {
      await page.goto(`/incidents/${id}`);
      await page.locator('.room-head .status', { hasText: word }).waitFor();
      await page.locator('#levers li[data-lever]').first().waitFor();
      assert.equal(await page.getByRole('button', { name: /^Pull/ }).count(), 0, `${word}: no Pull`);
      assert.equal(await page.getByRole('region', { name: 'Composer' }).count(), 0, `${word}: no composer`);
      assert.equal(await page.getByRole('form', { name: 'mitigation' }).count(), 0, `${word}: no mitigation form`);
    }
  });
});
