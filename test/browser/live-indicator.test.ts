import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { harness, watchPage, type Harness } from './harness.js';

/** The top bar's indicator reaches `live`: the app's one stream is connected, whatever the screen. */
const live = (page: Page) => page.locator('header.topbar [data-live="live"]').waitFor();

describe('web UI: the live indicator on screens that listen to nothing', { timeout: 90_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.createUser('ada', 'admin');
    await h.createUser('vic', 'viewer');
  });
  after(async () => {
    await h?.close();
  });

  it('says live on Admin, Declare and an unknown path when the page is loaded there', async () => {
    const { page } = await h.signedIn('ada');
    const { errors } = watchPage(page);
    // Each goto loads the page afresh, so no earlier screen has opened the stream.
    await page.goto('/admin');
    await page.getByRole('heading', { name: 'Admin' }).waitFor();
    await live(page);

    await page.goto('/declare');
    await page.getByLabel('Title — what users see failing').waitFor();
    await live(page);

    await page.goto('/no-such-screen');
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await live(page);
    assert.equal(await page.locator('[data-live]').count(), 1, 'one indicator');

    // And after navigating within the app: the stream stays one connection, still live.
    await page.getByRole('link', { name: 'Back to incidents' }).click();
    await page.getByRole('heading', { name: 'Incidents' }).waitFor();
    await live(page);
    assert.deepEqual(errors, []);
  });

  it('says live on the sentence a viewer gets for Admin, and stops with sign-out', async () => {
    const { page } = await h.signedIn('vic');
    await page.goto('/admin');
    await page.getByText('managed by admins').waitFor();
    await live(page);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Username').waitFor();
    assert.equal(await page.locator('[data-live]').count(), 0, 'no indicator once signed out');
  });
});
