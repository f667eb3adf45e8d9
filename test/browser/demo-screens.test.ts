import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { runCli, type CliResult } from '../e2e/run-cli.js';
import { harness, nav, PASSWORD, screenshots, watchPage, type Harness } from './harness.js';

/**
 * What a page did that no screen may do: script errors, CSP refusals, dialogs, and console errors (a failed
 * request the page logged, a React warning). The arrays fill as the page runs.
 */
function watch(page: Page) {
  const seen = { ...watchPage(page), console: [] as string[] };
  page.on('console', (m) => {
    if (m.type() === 'error') seen.console.push(`${m.text()} (${m.location().url})`);
  });
  return seen;
}
const clean = (seen: ReturnType<typeof watch>, where: string) => {
  assert.deepEqual(seen.errors, [], `${where}: no script errors`);
  assert.deepEqual(seen.violations, [], `${where}: no CSP refusals`);
  assert.deepEqual(seen.dialogs, [], `${where}: no dialogs`);
  assert.deepEqual(seen.console, [], `${where}: no console errors`);
};

/** A duration as the UI writes it (`< 1 m`, `40 s`, `12 m`, `2 h 5 m`, `3 d 4 h`), in minutes. */
function minutesOf(text: string): number {
  const t = text.trim();
  if (t === '< 1 m') return 0.5;
  const m = /^(?:(\d+) d )?(?:(\d+) h ?)?(?:(\d+) m)?(?:(\d+) s)?$/.exec(t);
  assert.ok(m && t !== '', `not a duration: "${t}"`);
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return Number(d) * 1440 + Number(h) * 60 + Number(min) + Number(s) / 60;
}

/** Signed in, with the event stream connected, so the refetch the page does on connecting is behind it. */
async function signedIn(h: Harness, username: string) {
  const { page } = await h.signedIn(username);
  await page.locator('[data-live="live"]').waitFor();
  return page;
}

const text = async (page: Page, selector: string) => ((await page.locator(selector).first().textContent()) ?? '').trim();

interface ListRow {
  id: string;
  status: string;
  severity: string | null;
  title: string;
}

// `firebreak demo` against a fresh server, then every screen a responder, the viewer and an admin open.
// Nothing here depends on today's date: the demo places its history relative to its own clock.
describe('web UI: every screen with the demo company', { timeout: 300_000 }, () => {
  let h: Harness;
  let demo: CliResult;
  let open: ListRow[];
  let closedId: string;
  let closedTitle: string;

  before(async () => {
    h = await harness();
    demo = await runCli(['demo', '--password', PASSWORD], { FIREBREAK_URL: h.server.url, FIREBREAK_TOKEN: h.server.adminToken });
    assert.equal(demo.code, 0, demo.stderr + demo.stdout + h.server.output());
    await h.createUser('ada', 'admin');
    // Which incidents to open is the only thing read from the API; what is asserted is read from the page.
    const openRes = await h.api('GET', '/api/v1/incidents?status=investigating,mitigated');
    open = (openRes.json as { items: ListRow[] }).items;
    assert.equal(open.length, 2, JSON.stringify(openRes.json));
    const pms = await h.api('GET', '/api/v1/postmortems?state=published&limit=100');
    const published = (pms.json as { items: { incident: string; title: string; status: string }[] }).items.find((p) => p.status === 'closed');
    assert.ok(published, `a closed incident with a published postmortem: ${JSON.stringify(pms.json).slice(0, 500)}`);
    closedId = published.incident;
    closedTitle = published.title;
  });
  after(async () => {
    await h?.close();
  });

  it('the demo printed where to sign in', () => {
    assert.ok(demo.stdout.includes(`sign in as ana with the password ${PASSWORD}`), demo.stdout);
    assert.match(demo.stdout, /responders: ana, li, noor, bo, mei; viewer: pat/);
  });

  it('incident list: the two incidents in progress, then every incident', async () => {
    const page = await signedIn(h, 'ana');
    const seen = watch(page);
    const rows = page.locator('tr[data-incident]');
    await rows.first().waitFor();
    const shown = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-incident')));
    assert.deepEqual(shown.sort(), open.map((i) => i.id).sort(), 'the default view lists the open incidents');
    for (const i of open) assert.ok(((await page.locator(`tr[data-incident="${i.id}"]`).textContent()) ?? '').includes(i.title), i.title);
    await screenshots(page, '30-demo-incidents');

    await page.getByLabel('Status').selectOption('all');
    await page.waitForURL(/status=all/);
    await page.locator(`tr[data-incident="${closedId}"]`).waitFor();
    assert.ok((await rows.count()) >= 40, `every incident is listed: ${await rows.count()}`);
    await screenshots(page, '30-demo-incidents-all');
    clean(seen, 'incident list');
  });

  it('an open incident’s room: alerts firing, levers, a pull awaiting confirmation, timers, timeline', async () => {
    const page = await signedIn(h, 'ana');
    const seen = watch(page);
    const auto = open.find((i) => i.title.startsWith('[checkout]')) ?? open[0]!;
    await page.goto(`/incidents/${auto.id}`);
    await page.getByRole('heading', { name: auto.title, level: 1 }).waitFor();
    const alerts = page.getByRole('region', { name: 'Linked alerts' });
    await alerts.waitFor();
    const firing = Number(/(\d+) firing/.exec((await alerts.textContent()) ?? '')?.[1]);
    assert.ok(firing > 0, `alerts firing: ${await alerts.textContent()}`);
    assert.ok((await alerts.locator('li .tag-warn', { hasText: 'firing' }).count()) > 0, 'firing alerts are listed');
    const levers = page.getByRole('region', { name: 'Levers' });
    await levers.locator('li[data-lever]').first().waitFor();
    assert.ok((await levers.locator('li[data-lever]').count()) > 0);
    assert.ok((await levers.locator('[data-execution="awaiting_confirmation"]').count()) > 0, 'the demo’s pull waits for a human');
    assert.ok((await levers.getByRole('button', { name: /^Pull / }).count()) > 0, 'a responder may pull');
    assert.match(await text(page, '[data-timer="impact"]'), /^\d+ (d|h|m|s)/);
    assert.match(await text(page, '[data-timer="update"]'), /^(due in|overdue by) /);
    assert.ok((await page.getByRole('region', { name: 'Mitigations' }).locator('li').count()) > 0, 'the pull is a mitigation');
    await page.locator('.ev').first().waitFor();
    assert.ok((await page.locator('.ev').count()) > 3, 'the timeline has the story so far');
    await screenshots(page, '30-demo-room-open');
    await screenshots(page, '30-demo-room-open-levers', '#levers');
    clean(seen, 'open room');
  });

  it('a closed incident’s room, its published postmortem and the printable page', async () => {
    const page = await signedIn(h, 'ana');
    const seen = watch(page);
    await page.goto(`/incidents/${closedId}`);
    await page.getByRole('heading', { name: closedTitle, level: 1 }).waitFor();
    await page.locator('.room-head .status', { hasText: 'closed' }).waitFor();
    const review = page.getByRole('region', { name: 'Postmortem review' });
    await review.locator('[data-pm-state="published"]').waitFor();
    assert.equal(await page.getByRole('button', { name: /^Move to / }).count(), 0, 'nothing moves a closed incident but a re-open');
    assert.ok((await page.locator('#actions li[data-action]').count()) > 0, 'its action items');
    assert.ok((await page.locator('.ev').count()) > 5, 'its whole timeline');
    await screenshots(page, '30-demo-room-closed');

    await review.getByRole('link', { name: 'Read the postmortem' }).click();
    await page.getByRole('heading', { name: `Postmortem: ${closedTitle}` }).waitFor();
    const pm = page.getByRole('form', { name: 'Postmortem' });
    assert.notEqual(await pm.getByRole('textbox', { name: 'Summary', exact: true }).inputValue(), '');
    assert.notEqual(await pm.getByRole('textbox', { name: 'Root cause', exact: true }).inputValue(), '');
    assert.equal(await pm.getByRole('button', { name: 'Save postmortem' }).count(), 0, 'published is read-only');
    await screenshots(page, '30-demo-postmortem');

    await page.getByRole('link', { name: 'Printable page' }).first().click();
    await page.waitForURL(`**/incidents/${closedId}/postmortem/print`);
    const report = page.getByRole('article', { name: 'Postmortem report' });
    await report.waitFor();
    assert.equal(await report.locator('h1').textContent(), `Postmortem: ${closedId} — ${closedTitle}`);
    const sections = await report.locator('h2').allTextContents();
    for (const s of ['Summary', 'Impact', 'Timeline', '5 Whys and root cause', 'Action items']) assert.ok(sections.includes(s), `${s} in ${sections.join(', ')}`);
    assert.ok((await report.locator('tr[data-action]').count()) > 0, 'the action items are in the report');
    await screenshots(page, '30-demo-postmortem-print');
    clean(seen, 'closed room and postmortem');
  });

  it('alert inbox: empty inbox proper (every firing alert joined its incident), all alerts with their incidents', async () => {
    const page = await signedIn(h, 'ana');
    const seen = watch(page);
    await nav(page, 'Alerts').click();
    await page.getByRole('heading', { name: 'Alerts', level: 1 }).waitFor();
    await page.getByText('Inbox empty: every alert is on an incident, or none has fired.').waitFor();
    await page.getByLabel('Show').selectOption('all');
    const rows = page.locator('tr[data-alert]');
    await rows.first().waitFor();
    assert.ok((await rows.count()) >= 4, `the demo's alerts: ${await rows.count()}`);
    for (const i of open) assert.ok((await page.locator('tr[data-alert]').getByRole('link', { name: i.id, exact: true }).count()) > 0, `${i.id} has alerts`);
    await screenshots(page, '30-demo-alerts');
    clean(seen, 'alert inbox');
  });

  // A live refresh runs 150 ms after the event that caused it: it must ask for the view shown when it
  // runs, and an answer for an older view must never replace the newer rows (web/src/hooks/stream.ts,
  // web/src/hooks/latest.ts).
  it('alert inbox: a change on an incident just before the view changes does not bring the old view back', async () => {
    const page = await signedIn(h, 'ana');
    const seen = watch(page);
    await nav(page, 'Alerts').click();
    await page.getByText('Inbox empty: every alert is on an incident, or none has fired.').waitFor();
    const asked: string[] = [];
    page.on('request', (r) => r.url().includes('/api/v1/alerts?') && asked.push(new URL(r.url()).search));
    // A note on an open incident: the inbox hears `incident` on the stream and schedules its reload...
    const note = await h.api('POST', `/api/v1/incidents/${open[0]!.id}/notes`, { body: 'Watching the zero-result rate' });
    assert.equal(note.status, 200, JSON.stringify(note.json));
    // ...and the user shows all alerts, before or after it runs.
    await page.getByLabel('Show').selectOption('all');
    // The view's own load and the live one: two requests, whichever came first.
    await page.waitForResponse((r) => r.url().includes('/api/v1/alerts?') && asked.length >= 2, { timeout: 5_000 });
    await page.waitForLoadState('networkidle');
    assert.doesNotMatch(asked.at(-1) ?? '', /incident=none/, `the last load asked for the view shown (${asked.join(' then ')})`);
    const rows = page.locator('tr[data-alert]');
    assert.ok((await rows.count()) >= 4, `/alerts?view=all shows ${await rows.count()} rows: an older answer replaced all alerts`);
    clean(seen, 'alert inbox after a live change');
  });

  it('declare: the catalog’s services as chips and the triage helper', async () => {
    const page = await signedIn(h, 'ana');
    const seen = watch(page);
    await nav(page, 'Declare').click();
    await page.getByRole('heading', { name: 'Declare an incident', level: 1 }).waitFor();
    const chips = page.getByRole('group', { name: 'Services from the catalog' });
    await chips.getByRole('button').first().waitFor();
    assert.equal(await chips.getByRole('button').count(), 11, 'one chip per catalog service');
    await screenshots(page, '30-demo-declare');
    clean(seen, 'declare');
  });

  it('catalog and a service page with its playbook (as the viewer)', async () => {
    const page = await signedIn(h, 'pat');
    const seen = watch(page);
    assert.equal(await nav(page, 'Declare').count(), 0, 'a viewer gets no Declare');
    await nav(page, 'Catalog').click();
    await page.getByRole('heading', { name: 'Catalog', level: 1 }).waitFor();
    const services = page.locator('tr[data-service]');
    await services.first().waitFor();
    assert.equal(await services.count(), 11);
    const teams = page.locator('tr[data-team]');
    assert.equal(await teams.count(), 4);
    assert.equal(await page.getByRole('region', { name: 'Teams' }).getByText('nobody').count(), 0, 'someone is on call in every team');
    await screenshots(page, '30-demo-catalog');

    await page.locator('tr[data-service="checkout"]').getByRole('link', { name: /^checkout/ }).click();
    await page.waitForURL('**/catalog/checkout');
    const playbook = page.getByRole('region', { name: 'Playbook' });
    await playbook.locator('.markdown h2').first().waitFor();
    assert.ok((await playbook.locator('.markdown h2').count()) > 1, 'the playbook is rendered');
    assert.ok((await page.locator('#levers li').count()) > 0, 'its levers');
    await screenshots(page, '30-demo-service');
    clean(seen, 'catalog and service');
  });

  it('insights: plausible numbers, read from the page', async () => {
    const page = await signedIn(h, 'ana');
    const seen = watch(page);
    await nav(page, 'Insights').click();
    await page.getByRole('heading', { name: 'Insights', level: 1 }).waitFor();
    // The demo spans 60 days: the 90-day window holds all of it.
    await page.locator('[data-stat="Incidents"] .big').waitFor();
    await page.getByLabel('Window').selectOption('90');
    await page.waitForURL('**/insights?days=90');
    // The numbers on screen are the 90-day window's once the window line spans 90 days.
    await page.waitForFunction(() => {
      const m = /(\d{4}-\d\d-\d\d \d\d:\d\d) UTC → (\d{4}-\d\d-\d\d \d\d:\d\d) UTC/.exec(document.querySelector('.page-head .muted')?.textContent ?? '');
      return m !== null && Math.round((Date.parse(`${m[2]}Z`) - Date.parse(`${m[1]}Z`)) / 86_400_000) === 90;
    });
    assert.equal(await text(page, '[data-stat="Incidents"] .big'), '42');

    const mtta = await text(page, '[data-stat="MTTA"] .big');
    assert.match(mtta, /^(\d+ m|< 1 m)$/, `MTTA is minutes: ${mtta}`);
    assert.ok(minutesOf(mtta) < 60, mtta);
    const mttr = await text(page, '[data-stat="MTTR"] .big');
    assert.ok(minutesOf(mttr) > 0 && minutesOf(mttr) < 24 * 60, `MTTR under a day: ${mttr}`);
    const mttd = await text(page, '[data-stat="MTTD"] .big');
    assert.ok(minutesOf(mttd) > 0 && minutesOf(mttd) < 24 * 60, `MTTD: ${mttd}`);
    assert.match(await text(page, '[data-stat="Change failure rate"] .big'), /^\d+(\.\d)? %$/);

    for (const sev of ['SEV1', 'SEV2', 'SEV3', 'SEV4']) {
      const n = Number(await text(page, `tr[data-severity="${sev}"] td.num`));
      assert.ok(n > 0, `${sev} in the chart data: ${n}`);
    }
    const punctuality = page.getByRole('region', { name: 'Postmortems' });
    const overduePms = Number(((await punctuality.locator('tr', { hasText: 'overdue' }).locator('td.num').textContent()) ?? '').trim());
    assert.ok(overduePms > 0, `overdue postmortems: ${overduePms}`);
    const actions = await text(page, '[data-stat="Action items"] .big');
    const overdueActions = Number(/· (\d+) overdue/.exec(actions)?.[1] ?? 0);
    assert.ok(overdueActions > 0, `overdue action items: ${actions}`);
    assert.ok((await page.locator('tr[data-person]').count()) > 0, 'responder concentration');
    await page.locator('.uchart canvas').first().waitFor();
    assert.equal(await page.locator('.uchart canvas').count(), 2, 'both weekly charts drew');
    await screenshots(page, '30-demo-insights');
    clean(seen, 'insights');
  });

  it('follow-ups: overdue postmortems and overdue action items', async () => {
    const page = await signedIn(h, 'ana');
    const seen = watch(page);
    await nav(page, 'Follow-ups').click();
    await page.getByRole('heading', { name: 'Follow-ups', level: 1 }).waitFor();
    const pms = page.getByRole('table', { name: 'Postmortems' });
    const actions = page.getByRole('table', { name: 'Action items' });
    await pms.locator('tr[data-postmortem]').first().waitFor();
    await actions.locator('tr[data-action]').first().waitFor();
    assert.ok((await pms.locator('tr.overdue-row').count()) > 0, 'overdue postmortems are listed');
    assert.ok((await actions.locator('tr.overdue-row').count()) > 0, 'overdue action items are listed');
    assert.ok((await actions.locator('tr.overdue-row .tag-bad', { hasText: 'overdue' }).count()) > 0, 'tagged overdue');
    await screenshots(page, '30-demo-follow-ups');

    await page.getByRole('search', { name: 'Action item filters' }).getByLabel('Overdue only').check();
    await page.waitForURL(/overdue=true/);
    await actions.locator('tr[data-action]').first().waitFor();
    const rows = actions.locator('tr[data-action]');
    assert.equal(await rows.count(), await actions.locator('tr.overdue-row').count(), 'only overdue rows');
    clean(seen, 'follow-ups');
  });

  it('the viewer reads the open room without a control that changes state', async () => {
    const page = await signedIn(h, 'pat');
    const seen = watch(page);
    const i = open[0]!;
    await page.goto(`/incidents/${i.id}`);
    await page.getByRole('heading', { name: i.title, level: 1 }).waitFor();
    await page.getByRole('region', { name: 'Levers' }).locator('li[data-lever]').first().waitFor();
    assert.equal(await page.getByRole('button', { name: /^Pull / }).count(), 0, 'no Pull for a viewer');
    assert.equal(await page.getByRole('button', { name: /^Move to / }).count(), 0, 'no transitions for a viewer');
    await screenshots(page, '30-demo-room-viewer');
    clean(seen, 'viewer room');
  });

  it('admin: the demo’s users and tokens (as an admin user)', async () => {
    const page = await signedIn(h, 'ada');
    const seen = watch(page);
    await nav(page, 'Admin').click();
    await page.getByRole('heading', { name: 'Admin', level: 1 }).waitFor();
    const users = page.getByRole('region', { name: 'Users' });
    await users.locator('tr[data-user]').first().waitFor();
    for (const u of ['ana', 'li', 'noor', 'bo', 'mei', 'pat', 'ada']) assert.equal(await users.locator(`tr[data-user="${u}"]`).count(), 1, u);
    await page.getByRole('region', { name: 'API tokens' }).locator('tr[data-token]').first().waitFor();
    await screenshots(page, '30-demo-admin');
    clean(seen, 'admin');
  });

  it('the public status page: the two incidents in progress and the components', async () => {
    const context = await h.browser.newContext({ baseURL: h.server.url });
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    const seen = watch(page);
    const res = await page.goto('/status');
    assert.equal(res?.status(), 200);
    await page.getByRole('heading', { name: 'Current incidents' }).waitFor();
    const body = (await page.locator('body').textContent()) ?? '';
    assert.match(body, /Checkout/);
    assert.match(body, /Search/);
    assert.match(body, /Past incidents/);
    for (const i of open) assert.ok(!body.includes(i.title), `the internal title "${i.title}" stays internal`);
    await screenshots(page, '30-demo-status-page');
    clean(seen, 'status page');
    await context.close();
  });
});
