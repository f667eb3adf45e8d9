import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Writable } from 'node:stream';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { pino } from 'pino';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { createEgress } from '../egress/index.js';
import { invalidRequest, problem, problemOf, testApp, type TestApp } from '../http/test-app.js';
import { adapters } from '../store/test-adapters.js';
import { OutboxWorker, type OutboxOptions } from './outbox.js';
import type { Store } from './ports.js';

/** A receiver on 127.0.0.1 that records every request and answers what `status` says. */
interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
async function receiver(): Promise<{ url: string; got: Received[]; status: (r: Received) => number; close(): Promise<void> }> {
  const got: Received[] = [];
  const state = { status: (_r: Received) => 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r = { path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      got.push(r);
      res.statusCode = state.status(r);
      res.end(res.statusCode >= 300 ? 'unavailable' : 'ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    got,
    get status() {
      return state.status;
    },
    set status(fn) {
      state.status = fn;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A clock the test moves. */
function manualClock(start = Date.now()) {
  let now = start;
  return { now: () => new Date(now).toISOString(), advance: (ms: number) => (now += ms) };
}

const PUBLIC_URL = 'https://firebreak.example';

/** Declares with a severity reason (a severity needs one). */
const declare = (t: TestApp, body: Record<string, unknown>) => t.declare({ severityReason: 'users are affected', ...body });

for (const adapter of adapters()) {
  describe(`notifications through the outbox (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let rx: Awaited<ReturnType<typeof receiver>>;
    const clock = manualClock();
    const logs: string[] = [];

    before(async () => {
      store = await adapter.create();
      rx = await receiver();
      const log = pino(
        { level: 'info' },
        new Writable({
          write(chunk: Buffer, _enc, done) {
            logs.push(chunk.toString('utf8'));
            done();
          },
        }),
      );
      t = await testApp(store, { clock, log, egressAllow: ['127.0.0.1', 'localhost'], env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL } });
    });
    after(async () => {
      await t.app.close();
      await store.close();
      await rx.close();
    });

    const worker = (opts: OutboxOptions = {}, deps = t.deps) =>
      new OutboxWorker(deps, { publicUrl: PUBLIC_URL, random: () => 0.5, ...opts });
    const target = async (body: Record<string, unknown>) => {
      const res = await t.call('POST', '/api/v1/notification-targets', { as: 'admin', body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; name: string; type: string; secret?: string };
    };
    const deliveries = async (query: string) => {
      const res = await t.call('GET', `/api/v1/notifications?${query}`, { as: 'viewer' });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { items: Record<string, unknown>[] }).items;
    };
    /** Runs passes until nothing is due now. */
    const drain = async (w: OutboxWorker) => {
      for (let i = 0; i < 20; i++) if ((await w.runOnce()).attempted === 0) return;
    };
    const gotAt = (path: string) => rx.got.filter((r) => r.path === path);

    it('sends each target type its own payload, exactly', async () => {
      for (const type of ['slack', 'mattermost', 'teams', 'webhook'] as const) await target({ name: `all-${type}`, type, url: `${rx.url}/${type}` });
      await target({ name: 'all-ntfy', type: 'ntfy', url: `${rx.url}/ntfy`, token: 'tk_ntfy_123' });
      const defaults = ['all-slack', 'all-mattermost', 'all-teams', 'all-webhook', 'all-ntfy'];
      const inc = await declare(t, { title: 'Checkout <fails> & *burns*', severity: 'SEV1', severityReason: 'all card payments fail', commander: 'ana' });
      const result = await worker({ defaults }).runOnce();
      assert.deepEqual({ routed: result.routed, sent: result.sent }, { routed: 1, sent: 5 });
      const room = `${PUBLIC_URL}/incidents/${inc.id}`;

      const [slack] = gotAt('/slack');
      assert.equal(gotAt('/slack').length, 1);
      const s = JSON.parse(slack!.body) as { text: string; blocks: { type: string; text?: { type: string; text: string } }[] };
      assert.deepEqual(Object.keys(s).sort(), ['blocks', 'text']);
      assert.match(s.text, new RegExp(`^\\[SEV1\\] ${inc.id} Checkout &lt;fails&gt; &amp; \\*burns\\*: Declared by `));
      assert.ok(s.text.includes(room) && s.text.includes('Commander: ana') && s.text.includes('Severity: SEV1'), s.text);
      assert.deepEqual(s.blocks.map((b) => b.type), ['section', 'section', 'section', 'context']);
      assert.ok(s.blocks[0]!.text!.text.startsWith(`<${room}|*[SEV1] ${inc.id} Checkout &lt;fails&gt; &amp; *burns**>`), s.blocks[0]!.text!.text);
      assert.equal(slack!.headers['content-type'], 'application/json');

      const mm = JSON.parse(gotAt('/mattermost')[0]!.body) as { text: string; attachments: Record<string, unknown>[] };
      assert.deepEqual(Object.keys(mm).sort(), ['attachments', 'text']);
      assert.ok(mm.text.startsWith(`**[\\[SEV1\\] INC\\-${inc.number} Checkout &lt;fails&gt; &amp; \\*burns\\*](${room})**`), mm.text);
      assert.equal(mm.attachments.length, 1);
      assert.equal(mm.attachments[0]!.title_link, room);
      assert.equal(mm.attachments[0]!.color, '#d32f2f');
      assert.deepEqual((mm.attachments[0]!.fields as { title: string }[]).map((f) => f.title), ['Severity', 'Services', 'Commander']);

      const teams = JSON.parse(gotAt('/teams')[0]!.body) as {
        type: string;
        attachments: { contentType: string; content: { type: string; version: string; body: { type: string; text?: string }[]; actions: unknown[] } }[];
      };
      assert.equal(teams.type, 'message');
      assert.equal(teams.attachments.length, 1);
      assert.equal(teams.attachments[0]!.contentType, 'application/vnd.microsoft.card.adaptive');
      const card = teams.attachments[0]!.content;
      assert.deepEqual([card.type, card.version], ['AdaptiveCard', '1.2']);
      assert.deepEqual(card.body.map((b) => b.type), ['TextBlock', 'TextBlock', 'TextBlock', 'FactSet', 'TextBlock']);
      assert.equal(card.body[0]!.text, `\\[SEV1\\] INC\\-${inc.number} Checkout &lt;fails&gt; &amp; \\*burns\\*`);
      assert.deepEqual(card.actions, [{ type: 'Action.OpenUrl', title: `Open ${inc.id}`, url: room }]);

      const ntfy = gotAt('/ntfy')[0]!;
      assert.equal(ntfy.headers.title, `[SEV1] ${inc.id} Checkout <fails> & *burns*`);
      assert.equal(ntfy.headers.priority, '5');
      assert.equal(ntfy.headers.click, room);
      assert.equal(ntfy.headers.authorization, 'Bearer tk_ntfy_123');
      assert.equal(ntfy.headers['content-type'], 'text/plain; charset=utf-8');
      assert.ok(ntfy.body.startsWith(`[SEV1] ${inc.id} Checkout <fails> & *burns*: Declared by `), ntfy.body);

      const hook = gotAt('/webhook')[0]!;
      const wh = JSON.parse(hook.body) as { type: string; timestamp: string; data: { incident: { id: string; url: string; severity: string } } };
      assert.equal(wh.type, 'incident.declared');
      assert.equal(wh.data.incident.id, inc.id);
      assert.equal(wh.data.incident.url, room);
      assert.equal(wh.data.incident.severity, 'SEV1');
      assert.match(String(hook.headers['webhook-id']), new RegExp(`^msg_${inc.number}-1_`));
      assert.match(String(hook.headers['webhook-signature']), /^v1,[A-Za-z0-9+/]+=*$/);

      const items = await deliveries(`incident=${inc.id}`);
      assert.equal(items.length, 5);
      for (const d of items) {
        assert.deepEqual(Object.keys(d).sort(), ['attempts', 'createdAt', 'deliveredAt', 'event', 'id', 'incident', 'lastError', 'nextAttemptAt', 'state', 'target', 'targetType']);
        assert.deepEqual([d.state, d.attempts, d.event, d.incident, d.nextAttemptAt], ['sent', 1, 'IncidentDeclared', inc.id, null]);
      }
      assert.deepEqual(items.map((d) => d.targetType).sort(), ['mattermost', 'ntfy', 'slack', 'teams', 'webhook']);
    });

    it('signs webhooks so that standardwebhooks verifies them, with a secret shown once and never logged', async () => {
      const created = await target({ name: 'signed', type: 'webhook', url: `${rx.url}/signed` });
      assert.match(String(created.secret), /^whsec_[A-Za-z0-9+/]+=*$/);
      const list = await t.call('GET', '/api/v1/notification-targets', { as: 'admin' });
      assert.ok(!list.body.includes(created.secret!) && !list.body.includes('/signed'), list.body);
      const listed = (list.json() as { items: { name: string }[] }).items.find((i) => i.name === 'signed');
      assert.deepEqual(listed, { id: created.id, name: 'signed', type: 'webhook', destination: new URL(rx.url).host, hasToken: false, signed: true, createdAt: clock.now() });
      // At rest: the URL and the secret are sealed (AES-256-GCM), not stored as written.
      const stored = (await store.listNotificationTargets()).find((r) => r.name === 'signed')!;
      assert.match(String(stored.urlEnc), /^v1\./);
      assert.match(String(stored.secretEnc), /^v1\./);
      assert.ok(!JSON.stringify(stored).includes('/signed') && !JSON.stringify(stored).includes(created.secret!.slice(6)));

      const inc = await declare(t, { title: 'Signed', severity: 'SEV2' });
      await worker({ defaults: ['signed'] }).runOnce();
      const [req] = gotAt('/signed');
      const headers = { 'webhook-id': String(req!.headers['webhook-id']), 'webhook-timestamp': String(req!.headers['webhook-timestamp']), 'webhook-signature': String(req!.headers['webhook-signature']) };
      const verified = new Webhook(created.secret!).verify(req!.body, headers) as { data: { incident: { id: string } } };
      assert.equal(verified.data.incident.id, inc.id);
      assert.throws(() => new Webhook(`whsec_${Buffer.alloc(32, 7).toString('base64')}`).verify(req!.body, headers));
      assert.ok(!logs.join('').includes(created.secret!.slice(6)), 'the secret reached a log line');

      const given = `whsec_${Buffer.alloc(24, 1).toString('base64')}`;
      const own = await target({ name: 'given-secret', type: 'webhook', url: `${rx.url}/given`, secret: given });
      assert.equal(own.secret, given);
    });

    it('retries a receiver that answers 503 for minutes and delivers every message once per webhook-id', async () => {
      await target({ name: 'flaky', type: 'webhook', url: `${rx.url}/flaky` });
      let down = true;
      rx.status = (r) => (r.path === '/flaky' && down ? 503 : 200);
      const w = worker({ defaults: ['flaky'] });
      const inc = await declare(t, { title: 'Flaky receiver', severity: 'SEV1' });
      const res = await t.call('POST', `/api/v1/incidents/${inc.id}/severity`, { body: { severity: 'SEV2', reason: 'fewer users' } });
      assert.equal(res.statusCode, 200, res.body);
      const first = await w.runOnce();
      assert.deepEqual([first.routed, first.retrying], [2, 2]);
      const pending = await deliveries(`incident=${inc.id}&state=pending`);
      assert.equal(pending.length, 2);
      // Attempt 1 failed: the next is 5 s × (0.5 + 0.5 × 0.5) later, with the jitter the test injected.
      assert.equal(pending[0]!.nextAttemptAt, new Date(Date.parse(clock.now()) + 3_750).toISOString());
      assert.equal(pending[0]!.lastError, 'HTTP 503: unavailable');
      assert.equal((await w.runOnce()).attempted, 0, 'nothing is due before its back-off');
      // Down for about four minutes: every due attempt fails and backs off further.
      for (let elapsed = 0; elapsed < 4 * 60_000; elapsed += 15_000) {
        clock.advance(15_000);
        await drain(w);
      }
      const stillPending = await deliveries(`incident=${inc.id}&state=pending`);
      assert.equal(stillPending.length, 2);
      assert.ok((stillPending[0]!.attempts as number) >= 5, String(stillPending[0]!.attempts));
      down = false;
      clock.advance(10 * 60_000);
      await drain(w);
      clock.advance(10 * 60_000);
      await drain(w);
      const ok = gotAt('/flaky').filter((r) => r.body.includes(inc.id));
      const sent = await deliveries(`incident=${inc.id}&state=sent`);
      assert.equal(sent.length, 2);
      // After each 2xx no further request carried that id.
      for (const d of sent) {
        const requests = ok.filter((r) => r.headers['webhook-id'] === d.id);
        assert.equal(requests.length, d.attempts, 'one request per attempt, the last one acknowledged');
        assert.ok(requests.slice(0, -1).every((r) => r.body === requests.at(-1)!.body), 'every attempt carried the same message');
      }
      assert.deepEqual(sent.map((d) => d.event).sort(), ['IncidentDeclared', 'SeverityChanged']);
      rx.status = () => 200;
    });

    it('delivers what a crashed instance claimed once its lease expires', async () => {
      await target({ name: 'after-crash', type: 'webhook', url: `${rx.url}/after-crash` });
      const inc = await declare(t, { title: 'Claimed by a crashed instance', severity: 'SEV1' });
      const w = worker({ defaults: ['after-crash'], batch: 0 });
      await w.runOnce(); // routes only
      const now = clock.now();
      const claimed = await store.claimDeliveries({ now, until: new Date(Date.parse(now) + 60_000).toISOString(), owner: 'crashed', limit: 100 });
      assert.ok(claimed.some((d) => d.incident === inc.number));
      const live = worker({ defaults: ['after-crash'] });
      await live.runOnce();
      assert.equal(gotAt('/after-crash').length, 0, 'a live lease is left alone');
      clock.advance(60_000);
      await live.runOnce();
      assert.equal(gotAt('/after-crash').length, 1);
      assert.equal(await store.finishDelivery(claimed[0]!.id, 'crashed', { state: 'failed', attempts: 1, nextAttemptAt: now, lastError: 'x', deliveredAt: null }), false, 'the crashed owner lost its lease');
      assert.deepEqual((await deliveries(`incident=${inc.id}`)).map((d) => d.state), ['sent']);
    });

    it('routes by the catalog: a team notify {target: NAME} and an inline target; SEV3 skips the defaults', async () => {
      await target({ name: 'payments-hook', type: 'webhook', url: `${rx.url}/team` });
      const catalog = `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout }
spec: { owner: payments, tier: 1 }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec:
  notify: [ { target: payments-hook }, { type: slack, url: "${rx.url}/inline" }, { target: nobody-registered } ]
`;
      const put = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: catalog, headers: { 'content-type': 'application/yaml' } });
      assert.equal(put.statusCode, 200, put.body);
      const inc = await declare(t, { title: 'Routed by the catalog', severity: 'SEV3', services: ['checkout'] });
      await worker({ defaults: ['all-slack'] }).runOnce();
      const items = await deliveries(`incident=${inc.id}`);
      assert.deepEqual(
        items.map((d) => [d.target, d.targetType, d.state, d.lastError]).sort(),
        [
          ['nobody-registered', 'webhook', 'failed', 'no notification target is named nobody-registered'],
          ['payments-hook', 'webhook', 'sent', null],
          ['payments/slack', 'slack', 'sent', null],
        ],
      );
      assert.equal(gotAt('/inline').length, 1);
    });

    it('refuses targets at the metadata address or at a loopback address that is not allowed, with the reason', async () => {
      await target({ name: 'metadata', type: 'webhook', url: 'http://169.254.169.254/latest/meta-data' });
      await target({ name: 'loopback', type: 'slack', url: `${rx.url}/loopback` });
      const before = rx.got.length;
      const strict = { ...t.deps, egress: createEgress({ allow: [] }) };
      const inc = await declare(t, { title: 'Refused', severity: 'SEV1' });
      const r = await worker({ defaults: ['metadata', 'loopback'] }, strict).runOnce();
      assert.equal(r.refused, 2);
      const items = await deliveries(`incident=${inc.id}&state=refused`);
      const reasons = Object.fromEntries(items.map((d) => [d.target, d.lastError]));
      assert.match(String(reasons.metadata), /^refused 169\.254\.169\.254: .*metadata.*FIREBREAK_EGRESS_ALLOW/);
      assert.match(String(reasons.loopback), /^refused 127\.0\.0\.1: .*loopback.*FIREBREAK_EGRESS_ALLOW/);
      assert.equal(rx.got.length, before, 'nothing was sent');
    });

    it('threads mail per incident: one Message-ID for the declaration, In-Reply-To and References on the rest', async () => {
      const mails: ParsedMail[] = [];
      const smtp = new SMTPServer({
        authOptional: true,
        disabledCommands: ['STARTTLS', 'AUTH'],
        onData(stream, _session, done) {
          simpleParser(stream).then((m) => {
            mails.push(m);
            done();
          }, done);
        },
      });
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const port = (smtp.server.address() as AddressInfo).port;
      try {
        await target({ name: 'oncall-mail', type: 'email', address: 'oncall@example.com' });
        const w = worker({ defaults: ['oncall-mail'], smtp: { url: `smtp://localhost:${port}`, from: 'Firebreak <firebreak@example.com>' } });
        const inc = await declare(t, { title: 'Mail <b>thread</b>', severity: 'SEV1' });
        await t.call('POST', `/api/v1/incidents/${inc.id}/severity`, { body: { severity: 'SEV2', reason: 'contained' } });
        await t.call('POST', `/api/v1/incidents/${inc.id}/roles`, { body: { role: 'commander', person: 'li' } });
        await drain(w);
        assert.equal(mails.length, 3, JSON.stringify(await deliveries(`incident=${inc.id}`)));
        // Deliveries run in parallel, so the mails may arrive in any order: the root is the one that replies to nothing.
        const first = mails.find((m) => m.inReplyTo === undefined);
        const rest = mails.filter((m) => m !== first);
        assert.match(String(first!.messageId), new RegExp(`^<inc-${inc.number}\\.[^@]+@example\\.com>$`));
        assert.equal(first!.inReplyTo, undefined);
        assert.equal(first!.subject, `${inc.id}: Mail <b>thread</b>`);
        assert.ok(String(first!.html).includes('Mail &lt;b&gt;thread&lt;/b&gt;'), String(first!.html));
        assert.equal(first!.to && 'text' in first!.to ? first!.to.text : '', 'oncall@example.com');
        for (const m of rest) {
          assert.equal(m.inReplyTo, first!.messageId);
          assert.equal(m.references, first!.messageId);
          assert.notEqual(m.messageId, first!.messageId);
          assert.equal(m.subject, `Re: ${inc.id}: Mail <b>thread</b>`);
        }
      } finally {
        await new Promise<void>((resolve) => smtp.close(() => resolve()));
      }
    });

    it('refuses bad target inputs with the exact problem and writes nothing', async () => {
      const listBefore = (await t.call('GET', '/api/v1/notification-targets', { as: 'admin' })).body;
      const cases: [Record<string, unknown>, unknown][] = [
        [{ name: 'x', type: 'pager', url: 'https://x.example' }, invalidRequest([{ path: 'body.type', message: 'must be one of slack, mattermost, teams, ntfy, webhook, email, statuspage' }])],
        [
          { name: 'Bad Name', type: 'slack', url: 'ftp://x.example' },
          invalidRequest([
            { path: 'body.name', message: 'must be 1 to 63 lowercase letters, digits, dots, dashes or underscores, starting with a letter or digit' },
            { path: 'body.url', message: 'must be an http:// or https:// URL of at most 2000 characters' },
          ]),
        ],
        [{ name: 'mail', type: 'email', url: 'https://x.example' }, invalidRequest([{ path: 'body.url', message: 'an email target takes an address, not a url' }, { path: 'body.address', message: 'must be a mail address' }])],
        [{ name: 'tok', type: 'slack', url: 'https://x.example', token: 'abc' }, invalidRequest([{ path: 'body.token', message: 'only ntfy targets take a token' }])],
        [{ name: 'sec', type: 'webhook', url: 'https://x.example', secret: 'plain' }, invalidRequest([{ path: 'body.secret', message: 'must be whsec_ followed by 24 to 64 base64 bytes; or omit it to have one generated' }])],
        [{ name: 'nourl', type: 'teams' }, invalidRequest([{ path: 'body.url', message: 'is required for this type' }])],
        [{ name: 'all-slack', type: 'slack', url: 'https://x.example' }, problem(409, 'conflict', 'A notification target is already named all-slack; choose another name, or delete that target first.')],
      ];
      for (const [body, expected] of cases) {
        const res = await t.call('POST', '/api/v1/notification-targets', { as: 'admin', body });
        assert.deepEqual(problemOf(res), expected, JSON.stringify(body));
      }
      const asResponder = await t.call('POST', '/api/v1/notification-targets', { as: 'responder', body: { name: 'r', type: 'slack', url: 'https://x.example' } });
      assert.equal(asResponder.statusCode, 403);
      assert.equal((await t.call('GET', '/api/v1/notification-targets', { as: 'admin' })).body, listBefore);
      const gone = await t.call('DELETE', '/api/v1/notification-targets/nope', { as: 'admin' });
      assert.deepEqual(problemOf(gone), problem(404, 'not_found', 'No notification target has the id nope.'));
      const badQuery = await t.call('GET', '/api/v1/notifications?incident=x&cursor=zz', { as: 'viewer' });
      assert.deepEqual(problemOf(badQuery), invalidRequest([{ path: 'query.incident', message: 'expected INC-<n>' }, { path: 'query.cursor', message: 'is not a cursor this list gave' }]));
    });

    it('pages the delivery list and deletes a target', async () => {
      const page1 = (await t.call('GET', '/api/v1/notifications?limit=2', { as: 'viewer' })).json() as { items: { id: string }[]; nextCursor: string };
      assert.equal(page1.items.length, 2);
      const page2 = (await t.call('GET', `/api/v1/notifications?limit=2&cursor=${page1.nextCursor}`, { as: 'viewer' })).json() as { items: { id: string }[] };
      assert.equal(page2.items.length, 2);
      assert.ok(!page2.items.some((i) => page1.items.some((j) => j.id === i.id)));
      const created = await target({ name: 'short-lived', type: 'slack', url: `${rx.url}/x` });
      assert.equal((await t.call('DELETE', `/api/v1/notification-targets/${created.id}`, { as: 'admin' })).statusCode, 204);
      const list = (await t.call('GET', '/api/v1/notification-targets', { as: 'admin' })).json() as { items: { name: string }[] };
      assert.ok(!list.items.some((i) => i.name === 'short-lived'));
    });

    it('shows the queue in /metrics', async () => {
      const res = await t.call('GET', '/metrics', { as: 'admin' });
      assert.equal(res.statusCode, 200, res.body);
      assert.match(res.body, /^firebreak_outbox_queue_depth \d+$/m);
      assert.match(res.body, /^firebreak_outbox_oldest_pending_seconds [\d.e+-]+$/m);
      assert.match(res.body, /^firebreak_outbox_deliveries\{target="all-slack",type="slack",state="sent"\} \d+$/m);
    });
  });

  // PostgreSQL: two instances, each with its own pool. SQLite has one process: two workers on its one store.
  describe(`two workers on one database (${adapter.name})`, () => {
    it('deliver each message once', async () => {
      const db = await adapter.database();
      const a = await db.open();
      await a.migrate();
      const b = adapter.name === 'postgres' ? await db.open() : a;
      const rx = await receiver();
      try {
        const clock = manualClock();
        const ta = await testApp(a, { clock, egressAllow: ['127.0.0.1'] });
        const tb = await testApp(b, { clock, egressAllow: ['127.0.0.1'] });
        const res = await ta.call('POST', '/api/v1/notification-targets', { as: 'admin', body: { name: 'shared', type: 'webhook', url: `${rx.url}/shared` } });
        assert.equal(res.statusCode, 201, res.body);
        for (let i = 0; i < 12; i++) await declare(i % 2 ? ta : tb, { title: `Incident ${i}`, severity: 'SEV1' });
        const wa = new OutboxWorker(ta.deps, { defaults: ['shared'], batch: 3, random: () => 0 });
        const wb = new OutboxWorker(tb.deps, { defaults: ['shared'], batch: 3, random: () => 0 });
        for (let i = 0; i < 10; i++) await Promise.all([wa.runOnce(), wb.runOnce()]);
        const ids = rx.got.map((r) => String(r.headers['webhook-id']));
        assert.equal(ids.length, 12);
        assert.equal(new Set(ids).size, 12);
        await ta.app.close();
        await tb.app.close();
      } finally {
        await rx.close();
        await a.close();
        if (b !== a) await b.close();
        await db.drop();
      }
    });
  });
}
