import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, nav, screenshots, watchPage, type Harness } from './harness.js';

describe('web UI: insights', { timeout: 120_000 }, () => {
  let h: Harness;
  before(async () => {
    h = await harness();
    await h.createUser('ana', 'responder');
  });
  after(async () => {
    await h?.close();
  });

  it('shows the numbers and charts once incidents exist', async () => {
    const declare = async (title: string, severity: string, commander: string) => {
      const r = await h.api('POST', '/api/v1/incidents', {
        title,
        impact: `${title}: users see errors`,
        services: ['checkout'],
        severity,
        severityReason: 'current user impact',
        commander,
      });
      assert.equal(r.status, 201, JSON.stringify(r.json));
      return (r.json as { id: string }).id;
    };
    const first = await declare('Checkout errors for EU cards', 'SEV2', 'ana');
    await declare('Search slow', 'SEV3', 'ana');
    await declare('Typo on the receipt', 'SEV4', 'li');
    const m = await h.api('POST', `/api/v1/incidents/${first}/mitigations`, {
      kind: 'rollback',
      action: 'Roll back checkout v1.42',
      rationale: 'errors began with v1.42',
      failClosed: true,
    });
    assert.equal(m.status, 200);
    assert.equal((await h.api('POST', `/api/v1/incidents/${first}/status`, { to: 'mitigated' })).status, 200);

    const { page } = await h.signedIn('ana');
    const { errors, violations } = watchPage(page);
    await nav(page, 'Insights').click();
    await page.getByRole('heading', { name: 'Insights' }).waitFor();
    const served = await h.api('GET', '/api/v1/insights?days=30');
    assert.equal(served.status, 200, JSON.stringify(served.json));

    const incidents = page.locator('[data-stat="Incidents"] .big');
    await incidents.waitFor();
    assert.equal((await incidents.textContent())?.trim(), '3');
    assert.match((await page.locator('[data-stat="MTTA"]').textContent()) ?? '', /MTTA.*median.*3 incidents/s);
    assert.match((await page.locator('tr[data-severity="SEV2"]').textContent()) ?? '', /SEV2\s*1/);
    assert.match((await page.locator('tr[data-severity="SEV4"]').textContent()) ?? '', /SEV4\s*1/);
    assert.match((await page.locator('tr[data-person="ana"]').textContent()) ?? '', /ana\s*2\s*2/);
    // uPlot drew the two weekly charts on canvases.
    await page.locator('.uchart canvas').first().waitFor();
    assert.equal(await page.locator('.uchart canvas').count(), 2);
    assert.ok((await page.locator('.uchart .u-legend').first().textContent())?.includes('MTTA'));

    await page.getByLabel('Window').selectOption('7');
    await page.waitForURL('**/insights?days=7');
    await incidents.waitFor();
    await screenshots(page, '14-insights');
    assert.deepEqual(errors, []);
    assert.deepEqual(violations, [], 'the chart library needs nothing the CSP refuses');
  });
});
