import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXAMPLE_CATALOG_YAML } from '../../src/domain/catalog/catalog.fixture.js';
import { harness, watchPage, type Harness } from './harness.js';

const TEST_TIMEOUT_MS = 120_000;
const BATCHES = 5;
const PER_BATCH = 300;
const TOTAL = BATCHES * PER_BATCH;

describe('web UI: the room of a storm-sized incident', { timeout: TEST_TIMEOUT_MS }, () => {
  let h: Harness;
  let id = '';
  before(async () => {
    h = await harness();
    await h.createUser('ana', 'responder');
    const catalog = await h.send('PUT', '/api/v1/catalog', { body: EXAMPLE_CATALOG_YAML, contentType: 'application/yaml' });
    assert.equal(catalog.status, 200, JSON.stringify(catalog.json));
    const declared = await h.api('POST', '/api/v1/incidents', { title: 'Checkout storm', impact: 'Checkout fails', services: ['checkout'] });
    id = (declared.json as { id: string }).id;
    for (let b = 0; b < BATCHES; b++) {
      const alerts = Array.from({ length: PER_BATCH }, (_, j) => {
        const i = b * PER_BATCH + j;
        return { dedupKey: `storm-${i}`, status: 'firing', summary: `5xx on pod-${i}`, severity: 'warning', labels: { service: 'checkout' } };
      });
      const r = await h.api('POST', '/api/v1/alerts', alerts);
      assert.equal(r.status, 202, JSON.stringify(r.json));
    }
  });
  after(async () => {
    await h?.close();
  });

  it('renders the counts and the newest alerts only, pages more on demand, and folds the batches on the timeline', async () => {
    const { page } = await h.signedIn('ana');
    const seen = watchPage(page);
    await page.goto(`/incidents/${id}`);
    const panel = page.getByRole('region', { name: 'Linked alerts' });
    const rows = panel.locator('li');
    await rows.first().filter({ hasText: `5xx on pod-${TOTAL - 1} ` }).waitFor();
    assert.equal(await panel.locator('.count').textContent(), String(TOTAL));
    assert.match((await panel.locator('p').first().textContent()) ?? '', new RegExp(`^${TOTAL} firing · 0 resolved · newest 20 shown`));
    assert.equal(await rows.count(), 20);
    assert.equal(await page.getByText(`${TOTAL} alert(s) still firing — override reason`).count(), 1, 'the status panel counts every firing alert');

    await panel.getByRole('button', { name: 'Show more alerts' }).click();
    await rows.nth(49).waitFor();
    assert.equal(await rows.count(), 50, 'the first page of 50 adds what the newest 20 did not show');
    await panel.getByRole('button', { name: 'Show more alerts' }).click();
    await rows.nth(99).waitFor();
    assert.equal(await rows.count(), 100);
    const shown = await rows.allTextContents();
    assert.equal(new Set(shown).size, shown.length, 'no alert shown twice');
    assert.ok(shown.at(-1)?.includes(`5xx on pod-${TOTAL - 100}`), shown.at(-1));

    // Five ingest batches: five timeline entries in a row, folded into one until asked.
    const run = page.locator('.ev-run');
    await run.waitFor();
    assert.match((await run.textContent()) ?? '', new RegExp(`^.*${BATCHES} alert entries since .*Linked ${PER_BATCH} alerts`));
    assert.equal(await page.locator('.ev-AlertsRecorded').count(), 0);
    await run.getByRole('button', { name: 'show each' }).click();
    await page.locator('.ev-AlertsRecorded').nth(BATCHES - 1).waitFor();
    assert.equal(await page.locator('.ev-run').count(), 0);

    const elements = await page.evaluate(() => document.getElementsByTagName('*').length);
    assert.ok(elements < 3_000, `${elements} elements for ${TOTAL} alerts`);
    assert.deepEqual(seen.errors, []);
  });
});
