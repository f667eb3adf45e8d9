import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { MIXED_BACKSTAGE_CATALOG_YAML } from '../../src/domain/catalog/catalog.fixture.js';
import { harness, nav, watchPage, type Harness } from './harness.js';

describe('web UI: a real Backstage catalog with namespaces', { timeout: 120_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await harness();
    await h.createUser('vic', 'viewer');
    const applied = await h.send('PUT', '/api/v1/catalog', { body: MIXED_BACKSTAGE_CATALOG_YAML, contentType: 'application/yaml' });
    assert.equal(applied.status, 200, JSON.stringify(applied.json));
  });
  after(async () => {
    await h?.close();
  });

  it('lists namespaced services apart, shows the warnings, a person owner and what was ignored', async () => {
    const { page } = await h.signedIn('vic');
    const { errors } = watchPage(page);
    await nav(page, 'Catalog').click();
    await page.locator('tr[data-service="payments/checkout"]').waitFor();
    assert.match((await page.locator('tr[data-service="checkout"]').textContent()) ?? '', /checkout.*Checkout.*team-payments.*ana/);
    assert.match(
      (await page.getByRole('list', { name: 'Catalog warnings' }).textContent()) ?? '',
      /services\[4\]\.spec\.owner.*"group:default\/team-search" is not in this catalog/,
    );
    assert.match((await page.locator('details.ignored summary').textContent()) ?? '', /^8 catalog entities not read by Firebreak$/);

    await page.locator('tr[data-service="payments/checkout"]').getByRole('link', { name: /^payments\/checkout/ }).click();
    await page.waitForURL('**/catalog/payments%2Fcheckout');
    await page.getByRole('heading', { name: 'Payments checkout' }).waitFor();
    assert.match((await page.locator('.roles-line').textContent()) ?? '', /owner payments\/team-billing.*on call now payments\/li/);
    await page.locator('#deps').getByRole('link', { name: 'payments/ledger' }).click();
    await page.waitForURL('**/catalog/payments%2Fledger');
    await page.locator('#owner').waitFor();
    assert.match((await page.locator('.roles-line').textContent()) ?? '', /owner Jane Doe \(jdoe\) jdoe@example\.com.*on call now jdoe/);
    assert.match((await page.locator('#owner').textContent()) ?? '', /jdoe is who to page · jdoe@example\.com/);

    await page.goto('/catalog/search');
    await page.locator('.markdown h2', { hasText: 'Dependencies' }).waitFor();
    assert.match(
      (await page.getByRole('list', { name: 'Catalog warnings' }).textContent()) ?? '',
      /^"group:default\/team-search" is not in this catalog: nobody is on call for search$/,
    );
    assert.deepEqual(errors, []);
  });
});
