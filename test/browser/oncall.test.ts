import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, nav, screenshots, VIEWPORTS, watchPage, type Harness } from './harness.js';

// The server runs on the wall clock, so the schedules give the same answer on any day: `primary` has one
// member around the clock since 2020; `future` starts in 2099, so it has nobody now and one gap.
const CATALOG = `apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec:
  members: [{ name: ana }, { name: "li <script>alert(1)</script>" }]
---
apiVersion: firebreak/v1
kind: Schedule
metadata: { name: primary }
spec:
  timeZone: Europe/Berlin
  layers:
    - { name: always, start: 2020-01-06T09:00, unit: week, every: 1, members: [ana] }
---
apiVersion: firebreak/v1
kind: Schedule
metadata: { name: future }
spec:
  timeZone: America/New_York
  layers:
    - { name: later, start: 2099-01-05T09:00, unit: day, every: 1, members: ["li <script>alert(1)</script>"] }
`;

describe('web UI: who is on call', { timeout: 120_000 }, () => {
  let h: Harness;

  before(async () => {
    h = await harness();
    await h.createUser('vic', 'viewer');
  });
  after(async () => {
    await h?.close();
  });

  it('says there are no schedules, then shows each one with who is on call, its gaps and its next week', async () => {
    const { page } = await h.signedIn('vic');
    const { errors, dialogs } = watchPage(page);
    await nav(page, 'On call').click();
    await page.waitForURL('**/oncall');
    await page.getByText('No schedules in the catalog.').waitFor();

    const applied = await h.send('PUT', '/api/v1/catalog', { body: CATALOG, contentType: 'application/yaml' });
    assert.equal(applied.status, 200, JSON.stringify(applied.json));
    // The page reloads on the catalog change it hears on the live stream.
    const primary = page.getByRole('region', { name: 'Schedule primary' });
    await primary.waitFor();
    assert.match((await primary.locator('.oncall-now').textContent()) ?? '', /^On call now: ana until \d{4}-\d\d-\d\d \d\d:\d\d UTC \(layer always\)$/);
    assert.equal(await primary.getByText('No gaps in the next 14 days.').count(), 1);
    const rows = primary.getByRole('table', { name: 'Shifts of primary' }).locator('tbody tr');
    assert.ok((await rows.count()) >= 1);
    assert.match((await rows.first().textContent()) ?? '', /^ana/);

    const future = page.getByRole('region', { name: 'Schedule future' });
    assert.equal((await future.locator('.oncall-now').textContent()) ?? '', 'On call now: nobody');
    const gaps = future.getByRole('list', { name: 'Gaps in future' });
    assert.match((await gaps.textContent()) ?? '', /^nobody on call .+ UTC – .+ UTC \(14 d 0 h\)$/);
    assert.equal(await future.getByText('No shifts.').count(), 1);
    assert.match((await page.locator('.page-head .muted').textContent()) ?? '', /^2 schedules · 1 with gaps in the next 14 days$/);
    await screenshots(page, '40-oncall');

    const phone = await h.signedIn('vic', VIEWPORTS.phone);
    await phone.page.goto('/oncall');
    await phone.page.getByRole('region', { name: 'Schedule primary' }).waitFor();
    const overflow = await phone.page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.equal(overflow, 0, 'no horizontal scroll at 390 px');
    assert.deepEqual([errors, dialogs], [[], []]);
  });
});
