import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { harness, screenshots, watchPage, type Harness } from './harness.js';

const HOUR = 3_600_000;

/**
 * payments' daily rotation [li, ana] started an hour before the test ran, so li is on call whatever
 * today's date is.
 */
const catalog = (startsAt: string) => `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout }
spec: { owner: payments, tier: 3 }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec:
  members: [ { name: li }, { name: ana } ]
  onCall: { rotation: daily, startsAt: "${startsAt}", order: [li, ana] }
`;

const REASON = 'on call for payments (daily rotation), which owns checkout';

describe('web UI: the suggested commander and the hero warning', { timeout: 120_000 }, () => {
  let h: Harness;
  const declare = async (title: string, extra: Record<string, unknown> = {}) => {
    const r = await h.api('POST', '/api/v1/incidents', {
      title,
      impact: `${title}: users see errors`,
      services: ['checkout'],
      severity: 'SEV2',
      severityReason: 'many users',
      ...extra,
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    return r.json as { id: string; suggestedCommander: { person: string } | null };
  };

  before(async () => {
    h = await harness();
    await h.createUser('ana', 'responder');
    await h.createUser('vic', 'viewer');
    const startsAt = new Date(Date.now() - HOUR).toISOString();
    const applied = await h.send('PUT', '/api/v1/catalog', { body: catalog(startsAt), contentType: 'application/yaml' });
    assert.equal(applied.status, 200, JSON.stringify(applied.json));
  });
  after(async () => {
    await h?.close();
  });

  it('shows the on-call person with "Make commander"; one click assigns them, and the hero warning appears until a responder joins', async () => {
    const inc = await declare('Checkout fails for card payments');
    assert.equal(inc.suggestedCommander?.person, 'li');
    const { page } = await h.signedIn('ana');
    const seen = watchPage(page);
    await page.goto(`/incidents/${inc.id}`);

    const suggestion = page.getByRole('region', { name: 'Suggested commander' });
    await suggestion.waitFor();
    assert.equal((await suggestion.innerText()).replace(/\s+/g, ' ').trim(), `SUGGESTED COMMANDER li — ${REASON} Make commander`);
    assert.equal(await page.locator('.hero-warning').count(), 0, 'no warning before anyone commands');
    await screenshots(page, '16-room-suggested-commander');

    await suggestion.getByRole('button', { name: 'Make commander' }).click();
    const hero = page.getByRole('alert').filter({ hasText: 'The commander is debugging alone' });
    await hero.waitFor();
    assert.match(await hero.innerText(), /li is commander and the only responder on a SEV2: the commander coordinates, someone else debugs\./);
    assert.equal(await suggestion.count(), 0, 'the suggestion goes once someone commands');
    assert.equal((await page.locator('.roles-line').innerText()).includes('li'), true);
    const after = await h.api('GET', `/api/v1/incidents/${inc.id}`);
    assert.equal((after.json as { roles: { commander: string } }).roles.commander, 'li');

    // The hero warning sits in the header, above the fold, before the next step.
    const heroBox = await page.locator('.hero-warning').boundingBox();
    const statusBox = await page.locator('.status-panel').boundingBox();
    assert.ok(heroBox && statusBox && heroBox.y + heroBox.height <= statusBox.y, 'the warning comes before the next step');
    assert.ok(heroBox && heroBox.y < 800, 'on the first screen');
    await screenshots(page, '17-room-hero-warning');

    // Another responder joins (from elsewhere): the live room drops the warning.
    const r = await h.api('POST', `/api/v1/incidents/${inc.id}/roles`, { role: 'responder', person: 'bo' });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    await page.locator('.hero-warning').waitFor({ state: 'detached' });
    assert.deepEqual([seen.errors, seen.dialogs], [[], []]);
  });

  it('a viewer sees the suggestion without the button; a commander named at declaration gets none', async () => {
    const inc = await declare('Checkout is slow');
    const named = await declare('Checkout drops carts', { commander: 'ana' });
    assert.equal(named.suggestedCommander, null);
    const { page } = await h.signedIn('vic');
    await page.goto(`/incidents/${inc.id}`);
    const suggestion = page.getByRole('region', { name: 'Suggested commander' });
    await suggestion.waitFor();
    assert.match(await suggestion.innerText(), /li/);
    assert.equal(await suggestion.getByRole('button').count(), 0);

    await page.goto(`/incidents/${named.id}`);
    await page.locator('.room-head h1', { hasText: 'Checkout drops carts' }).waitFor();
    assert.equal(await page.getByRole('region', { name: 'Suggested commander' }).count(), 0);
    // SEV2, ana commands, no responder: the hero warning shows on load too.
    await page.getByRole('alert').filter({ hasText: 'The commander is debugging alone' }).waitFor();
  });
});
