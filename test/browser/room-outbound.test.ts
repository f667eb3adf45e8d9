import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { harness, screenshots, watchPage, type Harness } from './harness.js';

const HOUR = 3_600_000;

/** A real receiver on 127.0.0.1: answers 200 to every request but /broken's (503) and keeps what came. */
async function receiver(): Promise<{ server: Server; url: string; got: { path: string; body: string }[] }> {
  const got: { path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      got.push({ path: req.url ?? '', body });
      if (req.url === '/broken') res.writeHead(503, { 'content-type': 'text/plain' }).end('down for maintenance');
      else res.writeHead(200, { 'content-type': 'text/plain' }).end('rolled back');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got };
}

/** payments is notified at the receiver and on call by a rotation that started an hour before the run (never today's date). */
const catalog = (url: string, startsAt: string) => `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout }
spec:
  owner: payments
  tier: 2
  levers:
    - name: rollback
      kind: rollback
      failClosed: true
      preservesData: true
      action: { type: webhook, url: "${url}/rollback", method: POST }
    - name: metadata-probe
      kind: other
      failClosed: true
      action: { type: webhook, url: "http://169.254.169.254/latest/meta-data", method: POST }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec:
  members: [ { name: li }, { name: ana } ]
  onCall: { rotation: daily, startsAt: "${startsAt}", order: [li, ana] }
  notify: [ { type: webhook, url: "${url}/notify" }, { type: webhook, url: "${url}/broken" } ]
`;

describe('web UI: the room shows what goes out, live', { timeout: 180_000 }, () => {
  let h: Harness;
  let rx: Awaited<ReturnType<typeof receiver>>;

  before(async () => {
    rx = await receiver();
    h = await harness({ FIREBREAK_EGRESS_ALLOW: '127.0.0.1', FIREBREAK_TIMER_POLL_SECONDS: '1' });
    await h.createUser('ana', 'responder');
    const applied = await h.send('PUT', '/api/v1/catalog', {
      body: catalog(rx.url, new Date(Date.now() - HOUR).toISOString()),
      contentType: 'application/yaml',
    });
    assert.equal(applied.status, 200, JSON.stringify(applied.json));
  });
  after(async () => {
    await h?.close();
    await new Promise((r) => rx?.server.close(r));
  });

  it('a sent notification, one retrying, a scheduled timer, a lever that ran and one the egress guard refused', async () => {
    const declared = await h.api('POST', '/api/v1/incidents', {
      title: 'Checkout fails for card payments',
      impact: 'Card payments fail with a 502 for all users',
      services: ['checkout'],
      severity: 'SEV2',
      severityReason: 'many users',
    });
    assert.equal(declared.status, 201, JSON.stringify(declared.json));
    const id = (declared.json as { id: string }).id;

    const { page } = await h.signedIn('ana');
    const seen = watchPage(page);
    await page.goto(`/incidents/${id}`);
    const panel = page.getByRole('region', { name: 'Outbound' });
    await panel.waitFor();

    // The outbox delivers to the receiver; the panel, which no incident change tells, looks again by itself.
    const sent = panel.locator('li[data-outbound="notification"][data-state="sent"]').first();
    await sent.waitFor({ timeout: 30_000 });
    assert.match(await sent.innerText(), /Incident declared → .*\(webhook\)[\s\S]*sent[\s\S]*delivered \d{4}-\d\d-\d\d \d\d:\d\d UTC/);
    assert.ok(rx.got.some((r) => r.path === '/notify'), 'the receiver got the notification');

    // The other target answers 503: still pending, with the error and when it is tried again.
    const retrying = panel.locator('li[data-outbound="notification"][data-state="pending"]').filter({ hasText: 'HTTP 503' });
    await retrying.waitFor({ timeout: 30_000 });
    assert.match(await retrying.innerText(), /pending[\s\S]*next attempt (in \d+ [smhd]|due now)[\s\S]*1 attempt[\s\S]*HTTP 503/);
    assert.match(await panel.locator('[data-outbound="next"]').innerText(), /next delivery/i);

    const timer = panel.locator('li[data-outbound="timer"][data-state="scheduled"]', { hasText: 'ack' });
    await timer.waitFor();
    assert.match(await timer.innerText(), /^ack scheduled\s+due in \d+ [smhd]/);
    assert.match(await panel.locator('[data-outbound="next"]').innerText(), /next timer/i);
    // The header names the same next timer, from the incident's nextTimer.
    assert.match(await page.locator('.room-head [data-timer="next"]').innerText(), /^acknowledgement due in \d+ [smhd]/);

    // Two pulls from elsewhere: the stream brings each outcome into the room.
    for (const lever of ['rollback', 'metadata-probe']) {
      const r = await h.api('POST', `/api/v1/incidents/${id}/mitigations`, {
        kind: lever === 'rollback' ? 'rollback' : 'other',
        action: `Pull ${lever}`,
        rationale: 'errors began with the last deploy',
        lever,
        failClosed: true,
        execute: true,
      });
      assert.ok(r.status < 300, JSON.stringify(r.json));
    }
    const ran = panel.locator('li[data-outbound="lever"][data-state="succeeded"]');
    await ran.waitFor({ timeout: 20_000 });
    assert.match(await ran.innerText(), /rollback \(webhook\)\s+succeeded\s+HTTP 200/);
    assert.ok(rx.got.some((r) => r.path === '/rollback'), 'the receiver got the rollback call');
    const refused = panel.locator('li[data-outbound="lever"][data-state="refused"]');
    await refused.waitFor({ timeout: 20_000 });
    assert.match(await refused.innerText(), /metadata-probe \(webhook\)\s+refused by the egress guard[\s\S]*169\.254\.169\.254/);
    await screenshots(page, '18-room-outbound', '#outbound');
    assert.deepEqual([seen.errors, seen.dialogs], [[], []]);
  });

  it('against a server without those endpoints (404) it says so and still shows the lever pulls', async () => {
    const declared = await h.api('POST', '/api/v1/incidents', {
      title: 'Checkout is slow',
      impact: 'Checkout takes 10 s',
      services: ['checkout'],
    });
    assert.equal(declared.status, 201, JSON.stringify(declared.json));
    const id = (declared.json as { id: string }).id;
    const { page } = await h.signedIn('ana');
    const seen = watchPage(page);
    // An older server, which has no such routes, answers them as the real one answers an unknown path.
    const unknown = await h.api('GET', '/api/v1/no-such-endpoint');
    assert.equal(unknown.status, 404);
    for (const path of ['**/api/v1/notifications?*', `**/api/v1/incidents/${id}/timers`]) {
      await page.route(path, (r) => r.fulfill({ status: 404, contentType: 'application/problem+json', body: JSON.stringify(unknown.json) }));
    }
    await page.goto(`/incidents/${id}`);
    const panel = page.getByRole('region', { name: 'Outbound' });
    await panel.getByText('This server does not report notifications.').waitFor();
    await panel.getByText('This server does not report timers.').waitFor();
    assert.equal(await panel.getByText('No lever pulled to run.').count(), 1);
    assert.deepEqual([seen.errors, seen.dialogs], [[], []]);
  });
});
