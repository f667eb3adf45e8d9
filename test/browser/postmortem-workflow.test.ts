import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { harness, nav, screenshots, watchPage, type Harness } from './harness.js';

const ID = 'INC-1';
const TITLE = 'Checkout fails for EU card payments';
const IMPACT = 'EU users get HTTP 500 when paying by card';
const ROOT_CAUSE = 'The config push went out through human error during the rollout.';

/** Deadlines are fixed days, never counted from today: one far ahead, one long past (overdue whatever the clock). */
const FAR = '2099-01-15';
const PAST = '2020-03-02';

describe('web UI: the postmortem from draft to published, action items and follow-ups', { timeout: 180_000 }, () => {
  let h: Harness;
  const ok = async (method: string, path: string, body?: unknown) => {
    const r = await h.api(method, path, body);
    assert.ok(r.status === 200 || r.status === 201, `${method} ${path}: ${r.status} ${JSON.stringify(r.json)}`);
    return r.json;
  };

  before(async () => {
    h = await harness();
    await h.createUser('ana', 'responder');
    await h.createUser('rev', 'responder');
    // An incident mitigated and ready to resolve but for the guardrail review, with one open question.
    await ok('POST', '/api/v1/incidents', {
      title: TITLE,
      impact: IMPACT,
      services: ['checkout'],
      severity: 'SEV2',
      severityReason: 'many users cannot pay',
      commander: 'ana',
    });
    const at = `/api/v1/incidents/${ID}`;
    await ok('POST', `${at}/mitigations`, { kind: 'rollback', action: 'Roll back checkout v1.42', rationale: 'errors began with v1.42', failClosed: true });
    await ok('POST', `${at}/status`, { to: 'mitigated' });
    await ok('PUT', `${at}/impact`, {
      statement: IMPACT,
      confirmed: true,
      boundary: { unsupportedFlow: false, coexistenceSeam: false, rolloutBoundary: false },
    });
    await ok('POST', `${at}/roles`, { role: 'responder', person: 'li' });
    await ok('POST', `${at}/roles`, { role: 'comms', person: 'sam' });
    await ok('PUT', `${at}/comms`, { channel: '#inc-1', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'more than 5% of checkouts fail' });
    await ok('POST', `${at}/evidence`, { kind: 'metric', title: '5xx ratio back under 0.1% after rollback' });
    await ok('POST', `${at}/questions`, { question: 'Did the migration run twice?' });
  });
  after(async () => {
    await h?.close();
  });

  const review = (page: Page) => page.getByRole('region', { name: 'Postmortem review' });
  const stateOf = (page: Page) => review(page).locator('[data-pm-state]').textContent();

  it('resolves, drafts, flags and waives, reviews, publishes, closes, prints and follows up', async () => {
    const { page } = await h.signedIn('ana');
    const seen = watchPage(page);

    // Resolve in the room: the server drafts the postmortem from the log.
    await page.goto(`/incidents/${ID}`);
    const status = page.getByRole('form', { name: 'Change status' });
    await status.locator('summary').click();
    await status.getByLabel('Guardrails reviewed: none needed').check();
    await status.getByRole('button', { name: 'Move to resolved' }).click();
    await page.locator('.room-head .status', { hasText: 'resolved' }).waitFor();
    await review(page).waitFor();
    assert.equal(await stateOf(page), 'draft');
    assert.equal(await review(page).locator('[data-pm="author"]').textContent(), 'ana', 'the commander writes it');
    assert.equal(await review(page).locator('[data-pm="reviewers"]').textContent(), 'none yet');
    assert.match((await review(page).locator('[data-pm="due"]').textContent()) ?? '', /^due \d{4}-\d\d-\d\d \d\d:\d\d UTC · in /);
    assert.equal(await review(page).getByRole('button', { name: 'Submit for review' }).isDisabled(), true, 'no reviewer yet');
    assert.equal(await review(page).getByText('Assign a reviewer first.').count(), 1);

    // The editor opens on the pre-filled draft.
    await review(page).getByRole('link', { name: 'Edit the postmortem' }).click();
    await page.getByRole('heading', { name: `Postmortem: ${TITLE}` }).waitFor();
    const pm = page.getByRole('form', { name: 'Postmortem' });
    assert.match(
      await pm.getByRole('textbox', { name: 'Summary', exact: true }).inputValue(),
      /^SEV2 incident on checkout: Checkout fails for EU card payments\. Contained by Roll back checkout v1\.42 \(rollback, fail-closed\)\./,
    );
    assert.equal(await pm.getByRole('textbox', { name: 'Impact', exact: true }).inputValue(), IMPACT);
    assert.equal(await pm.getByRole('textbox', { name: 'Root cause', exact: true }).inputValue(), '', 'the root cause is the author’s to write');

    // A blameful root cause: the warning shows under it after the save, the phrase marked where it stands.
    await pm.getByLabel('Why 1?').fill('Checkout answered 500 for EU card payments');
    await pm.getByLabel('Why 2?').fill('Pricing returned totals checkout could not parse');
    await pm.getByRole('textbox', { name: 'Root cause', exact: true }).fill(ROOT_CAUSE);
    await pm.getByLabel('What went well — one per line').fill('Rollback took 3 minutes');
    await pm.getByLabel('What went poorly — one per line').fill('Detection took 10 minutes');
    await pm.getByRole('button', { name: 'Save postmortem' }).click();
    const warnings = pm.getByRole('list', { name: 'Blameless warnings for rootCause' });
    await warnings.waitFor();
    assert.equal(await warnings.locator('li').count(), 1);
    assert.equal(await warnings.locator('q.marked').textContent(), ROOT_CAUSE, 'the field’s saved text, as text');
    assert.deepEqual(await warnings.locator('mark').allTextContents(), ['human error']);
    const before = await warnings.locator('q.marked').evaluate((q) => q.firstChild?.textContent);
    assert.equal(before, 'The config push went out through ', 'the text is split at the warning’s start');
    assert.match(
      (await warnings.locator('li').textContent()) ?? '',
      /"Human error" ends the inquiry too early\. What made this action possible or likely\? Describe the process or tooling gap\./,
    );
    assert.equal(await page.locator('.blame-summary').textContent(), '1 blameful phrase found: describe the system and its conditions, not people.');
    await screenshots(page, '20-postmortem-warning-marked', '[aria-label="Blameless warnings for rootCause"]');

    // Waive it, with a reason: the warning leaves the view and the timeline keeps why.
    await warnings.getByRole('button', { name: 'Waive…' }).click();
    const waive = page.getByRole('dialog', { name: 'Waive “human error”' });
    await waive.getByLabel('Why it may stand (shown in the postmortem)').fill('Quoted from the vendor’s incident report');
    await waive.getByRole('button', { name: 'Waive warning' }).click();
    await warnings.waitFor({ state: 'detached' });
    assert.equal(await waive.count(), 0);

    // Assign a reviewer and submit.
    const assign = review(page).getByRole('form', { name: 'Assign the postmortem' });
    await assign.getByLabel('Reviewers (comma-separated; not the author)').fill('rev');
    await assign.getByRole('button', { name: 'Save author and reviewers' }).click();
    await review(page).locator('[data-pm="reviewers"]', { hasText: 'rev' }).waitFor();
    await review(page).getByRole('button', { name: 'Submit for review' }).click();
    await review(page).locator('[data-pm-state="in_review"]').waitFor();
    assert.equal(await stateOf(page), 'in review');
    // The author may not publish: the server says who may.
    await review(page).getByRole('button', { name: 'Publish' }).click();
    assert.equal(await review(page).getByRole('alert').locator('strong').textContent(), 'Only a reviewer (rev) can publish the postmortem.');

    // The reviewer publishes too early: every unmet criterion of the gate is listed.
    const { page: rev } = await h.signedIn('rev');
    const seenByRev = watchPage(rev);
    await rev.goto(`/incidents/${ID}/postmortem`);
    await review(rev).locator('[data-pm-state="in_review"]').waitFor();
    await review(rev).getByRole('button', { name: 'Publish' }).click();
    const refusal = review(rev).getByRole('alert');
    await refusal.waitFor();
    assert.equal(await refusal.locator('strong').textContent(), 'The gate is not met yet:');
    assert.deepEqual(await refusal.locator('li[data-code]').allTextContents(), [
      'Add at least one action item (besides guardrail removals) with an owner and a deadline.',
      'Question Q1 ("Did the migration run twice?") is open: answer it or turn it into an action item.',
    ]);
    await screenshots(rev, '21-postmortem-publish-refused', '#review');

    // Back in the room: an action item with its kind and ticket, then edited inline (owner and deadline, one PATCH).
    await page.goto(`/incidents/${ID}`);
    const add = page.getByRole('form', { name: 'action item' });
    await add.getByLabel('Action').fill('Add a checkout/pricing contract test');
    await add.getByLabel('Owner').fill('li');
    await add.getByLabel('Deadline').fill(FAR);
    await add.getByLabel('Priority').selectOption('P1');
    await add.getByLabel('Kind').selectOption('monitoring');
    await add.getByLabel('Ticket link').fill('https://tickets.example/CHK-12');
    await add.getByRole('button', { name: 'Add action item' }).click();
    const a1 = page.locator('#actions li[data-action="INC-1-A1"]');
    await a1.waitFor();
    assert.equal(await a1.locator('[data-kind]').textContent(), 'monitoring');
    const ticket = a1.getByRole('link', { name: 'ticket' });
    assert.equal(await ticket.getAttribute('href'), 'https://tickets.example/CHK-12');
    assert.equal(await ticket.getAttribute('rel'), 'noopener noreferrer nofollow');

    await a1.getByRole('button', { name: 'Edit INC-1-A1' }).click();
    const edit = a1.getByRole('form', { name: 'edit INC-1-A1' });
    await edit.getByLabel('Owner').fill('ana');
    await edit.getByLabel('Deadline').fill(PAST);
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await edit.waitFor({ state: 'detached' });
    assert.equal(await a1.locator('[data-field="owner"]').textContent(), 'ana');
    assert.equal(await a1.locator('[data-field="dueAt"]').textContent(), `${PAST} 23:59 UTC`);
    const edited = page.locator('.ev-ActionItemEdited .summary');
    await edited.waitFor();
    assert.equal(await edited.count(), 1, 'one PATCH, one entry');
    assert.equal(
      await edited.textContent(),
      `Action INC-1-A1 edited: owner li → ana; dueAt ${FAR} 23:59:59Z → ${PAST} 23:59:59Z`,
    );

    // The open question becomes an action item, titled by the question.
    const q1 = page.locator('#questions li[data-question="Q1"]');
    await q1.getByText('Make an action item').click();
    const fromQ = q1.getByRole('form', { name: 'action from Q1' });
    await fromQ.getByLabel('Owner').fill('li');
    await fromQ.getByLabel('Deadline').fill(FAR);
    await fromQ.getByLabel('Kind').selectOption('process');
    await fromQ.getByRole('button', { name: 'Make action item' }).click();
    const a2 = page.locator('#actions li[data-action="INC-1-A2"]');
    await a2.waitFor();
    assert.equal(await a2.locator('strong').textContent(), 'Did the migration run twice?');
    assert.equal(await a2.locator('[data-kind]').textContent(), 'process');
    assert.match((await q1.textContent()) ?? '', /tracked by INC-1-A2 \(li, due 2099-01-15 23:59 UTC\)/);
    assert.equal(await q1.getByText('Make an action item').count(), 0, 'a tracked question is not offered again');
    await screenshots(page, '22-room-action-items', '#actions');

    // The reviewer's page followed on the stream; now the gate is met and the reviewer publishes.
    await review(rev).getByRole('button', { name: 'Publish' }).click();
    await review(rev).locator('[data-pm-state="published"]').waitFor();
    assert.match((await review(rev).locator('[data-pm="published"]').textContent()) ?? '', /^Published by rev, \d{4}-\d\d-\d\d \d\d:\d\d UTC\. It no longer changes\.$/);
    const revPm = rev.getByRole('form', { name: 'Postmortem' });
    assert.equal(await revPm.getByRole('textbox', { name: 'Root cause', exact: true }).getAttribute('readonly'), '', 'published is read-only');
    assert.equal(await revPm.getByRole('button', { name: 'Save postmortem' }).count(), 0);
    assert.equal(await review(rev).getByRole('form').count(), 0, 'no assignment or send-back once published');
    assert.equal(await rev.getByText('Published: the postmortem is read-only.').count(), 1);
    await screenshots(rev, '23-postmortem-published');

    // The author's room sees it published (live), and closes the incident.
    await review(page).locator('[data-pm-state="published"]').waitFor();
    await status.getByRole('button', { name: 'Move to closed' }).click();
    await page.locator('.room-head .status', { hasText: 'closed' }).waitFor();

    // The printable page: the whole report, no navigation, a Print button that prints and is hidden on paper.
    await page.getByRole('link', { name: 'Printable postmortem' }).click();
    await page.waitForURL(`**/incidents/${ID}/postmortem/print`);
    const report = page.getByRole('article', { name: 'Postmortem report' });
    await report.waitFor();
    assert.equal(await report.locator('h1').textContent(), `Postmortem: ${ID} — ${TITLE}`);
    assert.deepEqual(await report.locator('h2').allTextContents(), [
      'Summary',
      'Impact',
      'Timeline',
      '5 Whys and root cause',
      'Contributing factors',
      'What went well',
      'What went poorly',
      'Action items',
      'Lessons',
      'Open questions',
      'Guardrails',
      'Gate overrides',
      'Blameless warnings waived',
    ]);
    assert.equal(await page.locator('.topbar').count(), 0, 'no navigation on the printable page');
    assert.equal(await report.getByText('published by rev on', { exact: false }).count(), 1);
    assert.equal(
      await report.getByRole('region', { name: 'Blameless warnings waived' }).locator('li').textContent(),
      'rootCause: “human error” — waived by ana: Quoted from the vendor’s incident report',
    );
    assert.equal(await report.locator('tr[data-action="INC-1-A1"] td').nth(1).textContent(), 'monitoring');
    assert.equal(await report.getByRole('link', { name: 'https://tickets.example/CHK-12' }).count(), 1);
    await page.evaluate(() => {
      const w = window as unknown as { printed: number; print: () => void };
      w.printed = 0;
      w.print = () => void (w.printed += 1);
    });
    const printButton = page.getByRole('button', { name: 'Print' });
    await printButton.click();
    assert.equal(await page.evaluate(() => (window as unknown as { printed: number }).printed), 1);
    await screenshots(page, '24-postmortem-print');
    await page.emulateMedia({ media: 'print' });
    assert.equal(await printButton.isVisible(), false, 'the button is not printed');
    assert.equal(await report.isVisible(), true);
    await page.emulateMedia({ media: 'screen' });

    // Follow-ups: the overdue action item, mine, and the published postmortem, each linking to its incident.
    await page.goto('/');
    await nav(page, 'Follow-ups').click();
    await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
    const actions = page.getByRole('table', { name: 'Action items' });
    await actions.locator('tr[data-action]').first().waitFor();
    const filters = page.getByRole('search', { name: 'Action item filters' });
    await filters.getByLabel('Mine (ana)').check();
    await filters.getByLabel('Overdue only').check();
    await actions.locator('tr[data-action="INC-1-A2"]').waitFor({ state: 'detached' });
    assert.equal(await page.evaluate(() => window.location.search), '?owner=ana&overdue=true', 'the filters are in the address');
    assert.deepEqual(await actions.locator('tr[data-action]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action'))), ['INC-1-A1']);
    const row = actions.locator('tr[data-action="INC-1-A1"]');
    assert.equal(await row.locator('.tag-bad').textContent(), 'overdue');
    assert.equal(await row.locator('td').nth(1).textContent(), 'ana');
    assert.match((await row.locator('td').nth(2).textContent()) ?? '', new RegExp(`^${PAST} 23:59 UTC`));
    assert.equal(await row.getByRole('link', { name: ID }).getAttribute('href'), `/incidents/${ID}`);
    const pms = page.getByRole('table', { name: 'Postmortems' });
    const pmRow = pms.locator(`tr[data-postmortem="${ID}"]`);
    await pmRow.waitFor();
    assert.equal(await pmRow.locator('[data-pm-state]').textContent(), 'published');
    assert.equal(await pmRow.getByRole('link', { name: TITLE }).getAttribute('href'), `/incidents/${ID}/postmortem`);
    await page.getByRole('search', { name: 'Postmortem filters' }).getByLabel('Overdue only').check();
    await pmRow.waitFor({ state: 'detached' });
    assert.equal(await page.getByText('No postmortem matches.').count(), 1, 'a published postmortem is not overdue');
    await page.getByRole('search', { name: 'Postmortem filters' }).getByLabel('Overdue only').uncheck();
    await pmRow.waitFor();
    await screenshots(page, '25-follow-ups');

    assert.deepEqual([...seen.errors, ...seenByRev.errors], [], 'no script errors');
    assert.deepEqual([...seen.violations, ...seenByRev.violations], [], 'no CSP refusals');
  });
});
