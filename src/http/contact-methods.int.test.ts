import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { Webhook } from 'standardwebhooks';
import { SCHEDULE_CATALOG_YAML } from '../domain/paging/catalog.fixture.js';
import { pagingPlan, reachable } from '../service/contact-methods.js';
import type { ContactMethodRecord, Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, testApp, type TestApp } from './test-app.js';

interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A receiver on 127.0.0.1 that records every request and answers 200 (or what `status` says). */
async function receiver() {
  const got: Received[] = [];
  const state = { status: 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ path: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.statusCode = state.status;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, got, state, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// The wall clock at the start (a Standard Webhooks receiver refuses old timestamps), then moved by the tests only.
const START = Date.now();
const SMS = '+4915123456789';

for (const adapter of adapters()) {
  describe(`people's contact methods over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    /** When set, the app's findContactMethod: a test's way to land a write between a read and the write after it. */
    let onFind: ((id: string) => Promise<ContactMethodRecord | undefined>) | undefined;
    let rx: Awaited<ReturnType<typeof receiver>>;
    const mails: ParsedMail[] = [];
    const smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      onData(stream, _session, done) {
        simpleParser(stream).then((m) => (mails.push(m), done()), done);
      },
    });
    let now = START;
    const clock = { now: () => new Date(now).toISOString() };
    const advance = (ms: number) => (now += ms);

    before(async () => {
      store = await adapter.create();
      rx = await receiver();
      await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
      const env = { FIREBREAK_SMTP_URL: `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`, FIREBREAK_MAIL_FROM: 'Firebreak <pager@example.com>' };
      const raw = store;
      const served = new Proxy(raw, { get: (s, p, r) => (p === 'findContactMethod' && onFind ? onFind : Reflect.get(s, p, r)) });
      t = await testApp(served, { clock, egressAllow: ['127.0.0.1'], env });
      const res = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: SCHEDULE_CATALOG_YAML, headers: { 'content-type': 'application/yaml' } });
      assert.equal(res.statusCode, 200, res.body);
    });
    after(async () => {
      await t.app.close();
      await store.close();
      await rx.close();
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    });

    const methodsUrl = (person: string) => `/api/v1/people/${encodeURIComponent(person)}/contact-methods`;
    const rulesUrl = (person: string) => `/api/v1/people/${encodeURIComponent(person)}/notification-rules`;
    const at = (path: string) => rx.got.filter((r) => r.path === path);
    const codeIn = (r: Received | undefined) => {
      const m = /\b(\d{6})\b/.exec(r?.body ?? '');
      assert.ok(m, `a code in ${r?.body}`);
      return m[1]!;
    };
    const wrong = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');
    const add = async (person: string, body: Record<string, unknown>) => {
      const res = await t.call('POST', methodsUrl(person), { as: 'admin', body });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as Record<string, unknown> & { id: string; secret?: string; verification: { outcome: string; error: string | null; expiresAt: string } };
    };
    const list = async (person: string) => {
      const res = await t.call('GET', methodsUrl(person), { as: 'admin' });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { items: Record<string, unknown>[] }).items;
    };
    const verify = (person: string, id: string, code: string) =>
      t.call('POST', `${methodsUrl(person)}/${id}/verify`, { as: 'admin', body: { code } });
    const rules = async (person: string) => {
      const res = await t.call('GET', rulesUrl(person), { as: 'admin' });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { items: { delayMinutes: number; contactMethod: { id: string } }[] }).items;
    };
    /** Adds a method, enters the code its receiver got, and answers its id. */
    const verified = async (person: string, body: Record<string, unknown>, path: string) => {
      const m = await add(person, body);
      const res = await verify(person, m.id, codeIn(at(path).at(-1)));
      assert.equal(res.statusCode, 200, res.body);
      return m.id;
    };

    it('sends an ntfy and a webhook method a code, refuses a wrong one with the attempts left, and verifies the right one', async () => {
      const ntfy = await add('ana', { type: 'ntfy', label: 'phone', url: `${rx.url}/ntfy/ana-topic`, token: 'tk_ntfy_secret_1' });
      const expiresAt = new Date(now + 15 * 60_000).toISOString();
      assert.deepEqual(ntfy, {
        id: ntfy.id,
        person: 'ana',
        type: 'ntfy',
        label: 'phone',
        destination: rx.url.slice('http://'.length),
        verified: false,
        verifiedAt: null,
        pending: { expiresAt, attemptsLeft: 5 },
        createdAt: clock.now(),
        verification: { outcome: 'sent', error: null, expiresAt },
      });
      const [pub] = at('/ntfy/ana-topic');
      assert.equal(pub?.headers.authorization, 'Bearer tk_ntfy_secret_1');
      assert.equal(pub?.headers.title, 'Firebreak verification code');
      assert.match(pub!.body, /^Your Firebreak verification code is \d{6}\. Enter it to let Firebreak page ana here\. It is valid for 15 minutes\./);
      assert.ok(!pub!.body.includes('phone'), `the label in ${pub!.body}`);
      const code = codeIn(pub);

      const hook = await add('ana', { type: 'webhook', url: `${rx.url}/hook` });
      assert.match(hook.secret ?? '', /^whsec_/);
      const [delivery] = at('/hook');
      const payload = new Webhook(hook.secret!).verify(delivery!.body, delivery!.headers as Record<string, string>) as {
        type: string;
        data: { contactMethod: string; person: string; code: string; expiresAt: string };
      };
      assert.equal(payload.type, 'contact_method.verification');
      const { code: hookCode, ...data } = payload.data as typeof payload.data & { text: string };
      assert.match(hookCode, /^\d{6}$/);
      assert.deepEqual(data, { contactMethod: hook.id, person: 'ana', expiresAt, title: 'Firebreak verification code', text: data.text });
      assert.ok(data.text.includes(hookCode));

      const bad = await verify('ana', ntfy.id, wrong(code));
      assert.equal(bad.statusCode, 400);
      assert.deepEqual(problemOf(bad), problem(400, 'validation', 'The code does not match.', { errors: [{ path: 'body.code', message: 'is not the one sent; 4 attempts left' }] }));
      assert.deepEqual((await list('ana')).find((m) => m.id === ntfy.id)?.pending, { expiresAt, attemptsLeft: 4 });

      const good = await verify('ana', ntfy.id, code);
      assert.equal(good.statusCode, 200, good.body);
      const { verification: _, ...view } = ntfy;
      assert.deepEqual(good.json(), { ...view, verified: true, verifiedAt: clock.now(), pending: null });
      const again = await verify('ana', ntfy.id, code);
      assert.deepEqual(problemOf(again), problem(409, 'conflict', 'This contact method is already verified.'));

      assert.equal((await verify('ana', hook.id, hookCode)).statusCode, 200);
      assert.deepEqual((await reachable(t.deps, 'ana')).map((m) => m.id), [ntfy.id, hook.id]);
    });

    it('refuses a code after its 15 minutes, by the injected clock', async () => {
      const m = await add('li', { type: 'ntfy', url: `${rx.url}/ntfy/li-expiry` });
      const code = codeIn(at('/ntfy/li-expiry')[0]);
      advance(15 * 60_000);
      const res = await verify('li', m.id, code);
      assert.deepEqual(
        problemOf(res),
        problem(400, 'validation', 'The code has expired.', { errors: [{ path: 'body.code', message: `expired at ${m.verification.expiresAt}; resend to get a new code` }] }),
      );
      assert.equal((await list('li')).find((x) => x.id === m.id)?.verified, false);
    });

    it('locks a method after 5 wrong codes until a new code is sent, at most one a minute', async () => {
      const m = await add('sam', { type: 'ntfy', url: `${rx.url}/ntfy/sam` });
      const code = codeIn(at('/ntfy/sam')[0]);
      const messages = ['4 attempts left', '3 attempts left', '2 attempts left', '1 attempt left', 'no attempts left: resend to get a new code'];
      for (const left of messages) {
        const res = await verify('sam', m.id, wrong(code));
        assert.deepEqual(problemOf(res), problem(400, 'validation', 'The code does not match.', { errors: [{ path: 'body.code', message: `is not the one sent; ${left}` }] }));
      }
      const locked = await verify('sam', m.id, code);
      assert.deepEqual(
        problemOf(locked),
        problem(400, 'validation', 'Too many wrong codes.', { errors: [{ path: 'body.code', message: '5 wrong codes were entered; resend to get a new code' }] }),
      );

      advance(30_000);
      const soon = await t.call('POST', `${methodsUrl('sam')}/${m.id}/resend`, { as: 'admin' });
      assert.equal(soon.headers['retry-after'], '30');
      assert.deepEqual(problemOf(soon), problem(429, 'rate_limited', 'A code was sent less than a minute ago; ask again in 30 s.'));
      assert.equal(at('/ntfy/sam').length, 1);

      advance(30_000);
      const resent = await t.call('POST', `${methodsUrl('sam')}/${m.id}/resend`, { as: 'admin' });
      assert.equal(resent.statusCode, 200, resent.body);
      const expiresAt = new Date(now + 15 * 60_000).toISOString();
      assert.deepEqual((resent.json() as { verification: unknown; pending: unknown }).verification, { outcome: 'sent', error: null, expiresAt });
      assert.deepEqual((resent.json() as { pending: unknown }).pending, { expiresAt, attemptsLeft: 5 });
      const fresh = codeIn(at('/ntfy/sam')[1]);
      if (fresh !== code) assert.equal((await verify('sam', m.id, code)).statusCode, 400);
      assert.equal((await verify('sam', m.id, fresh)).statusCode, 200);
    });

    it('takes rules of verified methods only, in delay order, and plans paging from them', async () => {
      const ntfy = await verified('kim', { type: 'ntfy', url: `${rx.url}/ntfy/kim` }, '/ntfy/kim');
      const sms = await verified('kim', { type: 'sms', url: `${rx.url}/sms-kim`, to: SMS }, '/sms-kim');
      const pending = await add('kim', { type: 'slack', url: `${rx.url}/slack/kim` });
      const set = await t.call('PUT', rulesUrl('kim'), { as: 'admin', body: { rules: [{ contactMethod: sms, delayMinutes: 5 }, { contactMethod: ntfy, delayMinutes: 0 }] } });
      assert.equal(set.statusCode, 200, set.body);
      assert.deepEqual((set.json() as { items: { delayMinutes: number; contactMethod: { id: string } }[] }).items.map((r) => [r.delayMinutes, r.contactMethod.id]), [
        [0, ntfy],
        [5, sms],
      ]);

      const refused = await t.call('PUT', rulesUrl('kim'), {
        as: 'admin',
        body: { rules: [{ contactMethod: pending.id, delayMinutes: 0 }, { contactMethod: 'nope', delayMinutes: 1 }, { contactMethod: ntfy, delayMinutes: 0 }, { contactMethod: ntfy, delayMinutes: 0 }] },
      });
      assert.deepEqual(
        problemOf(refused),
        invalidRequest([
          { path: 'body.rules[0].contactMethod', message: 'is not verified yet; verify it before a rule may use it' },
          { path: 'body.rules[1].contactMethod', message: 'is not a contact method of kim' },
          { path: 'body.rules[3]', message: 'repeats rules[2]' },
        ]),
      );
      const tooLate = await t.call('PUT', rulesUrl('kim'), { as: 'admin', body: { rules: [{ contactMethod: ntfy, delayMinutes: 1441 }] } });
      assert.deepEqual(problemOf(tooLate), invalidRequest([{ path: 'body.rules[0].delayMinutes', message: 'must be at most 1440' }]));
      assert.deepEqual((await rules('kim')).map((r) => [r.delayMinutes, r.contactMethod.id]), [[0, ntfy], [5, sms]]);
      assert.deepEqual((await pagingPlan(t.deps, 'kim')).map((s) => [s.delayMinutes, s.method.id, s.method.type]), [[0, ntfy, 'ntfy'], [5, sms, 'sms']]);

      const del = await t.call('DELETE', `${methodsUrl('kim')}/${sms}`, { as: 'admin' });
      assert.equal(del.statusCode, 204);
      assert.deepEqual((await rules('kim')).map((r) => r.contactMethod.id), [ntfy]);
      assert.deepEqual(problemOf(await t.call('DELETE', `${methodsUrl('kim')}/${sms}`, { as: 'admin' })), problem(404, 'not_found', `kim has no contact method ${sms}.`));
    });

    it('refuses an unknown person and bad fields exactly, writing nothing and sending nothing', async () => {
      const sent = rx.got.length;
      const unknown = await t.call('POST', methodsUrl('zed'), { as: 'admin', body: { type: 'ntfy', url: `${rx.url}/ntfy/zed` } });
      assert.deepEqual(
        problemOf(unknown),
        problem(404, 'not_found', 'No person is named "zed": not a User, team member or schedule member of the catalog, nor a Firebreak user.'),
      );
      const rulesUnknown = await t.call('PUT', rulesUrl('zed'), { as: 'admin', body: { rules: [] } });
      assert.equal(rulesUnknown.statusCode, 404);
      assert.deepEqual(await list('zed'), []);

      const before = await list('li');
      const cases: [Record<string, unknown>, { path: string; message: string }[]][] = [
        [{ type: 'ntfy' }, [{ path: 'body.url', message: 'is required for this type' }]],
        [{ type: 'email', url: 'https://x.example', address: 'not-mail' }, [
          { path: 'body.url', message: 'an email method takes an address, not a url' },
          { path: 'body.address', message: 'must be a mail address' },
        ]],
        [{ type: 'sms', url: 'ftp://gw.example/send', to: '0151', token: 'a b' }, [
          { path: 'body.url', message: 'must be an http:// or https:// URL of at most 2000 characters' },
          { path: 'body.to', message: 'must be a phone number in E.164 form, such as +4915123456789' },
          { path: 'body.token', message: 'must be 1 to 512 characters without spaces' },
        ]],
        [{ type: 'slack', url: 'https://u:p@hooks.example/x', token: 't', secret: 'whsec_x' }, [
          { path: 'body.url', message: 'must not carry credentials; give a token instead' },
          { path: 'body.token', message: 'only ntfy, sms and voice methods take a token' },
          { path: 'body.secret', message: 'only webhook methods take a secret' },
        ]],
      ];
      for (const [body, errors] of cases) {
        const res = await t.call('POST', methodsUrl('li'), { as: 'admin', body });
        assert.deepEqual(problemOf(res), invalidRequest(errors), JSON.stringify(body));
      }
      const extra = await t.call('POST', methodsUrl('li'), { as: 'admin', body: { type: 'ntfy', url: `${rx.url}/x`, code: '123456' } });
      assert.deepEqual(problemOf(extra), invalidRequest([{ path: 'body.code', message: 'is not allowed' }]));
      const kind = await t.call('POST', methodsUrl('li'), { as: 'admin', body: { type: 'pager', url: `${rx.url}/x` } });
      assert.equal(kind.statusCode, 400);
      const resendExtra = await t.call('POST', `${methodsUrl('li')}/${before[0]!.id as string}/resend`, { as: 'admin', body: { code: '123456' } });
      assert.deepEqual(problemOf(resendExtra), invalidRequest([{ path: 'body.code', message: 'is not allowed' }]));
      const shortCode = await verify('li', before[0]!.id as string, '12345');
      assert.deepEqual(problemOf(shortCode), invalidRequest([{ path: 'body.code', message: 'must be the 6 digits sent' }]));
      assert.deepEqual(await list('li'), before);
      assert.equal(rx.got.length, sent);
    });

    it('sends sms and voice codes through the HTTP gateway as {to, body} with the bearer token', async () => {
      const sms = await add('li', { type: 'sms', url: `${rx.url}/gateway/sms`, token: 'gw_token_1', to: SMS });
      assert.equal(sms.destination, '***6789');
      const [req] = at('/gateway/sms');
      assert.equal(req?.headers.authorization, 'Bearer gw_token_1');
      assert.equal(req?.headers['content-type'], 'application/json');
      const body = JSON.parse(req!.body) as { to: string; body: string };
      assert.deepEqual(Object.keys(body), ['to', 'body']);
      assert.equal(body.to, SMS);
      assert.match(body.body, /^Firebreak verification code: Your Firebreak verification code is \d{6}\./);
      assert.equal((await verify('li', sms.id, codeIn(req))).statusCode, 200);

      const voice = await add('li', { type: 'voice', url: `${rx.url}/gateway/voice`, to: SMS });
      const [call] = at('/gateway/voice');
      assert.equal(call?.headers.authorization, undefined);
      assert.equal((JSON.parse(call!.body) as { to: string }).to, SMS);
      assert.equal(voice.verification.outcome, 'sent');

      rx.state.status = 503;
      const down = await add('li', { type: 'sms', url: `${rx.url}/gateway/down`, to: SMS });
      rx.state.status = 200;
      assert.deepEqual(down.verification, { outcome: 'failed', error: 'the gateway answered HTTP 503', expiresAt: down.verification.expiresAt });
      const blocked = await add('li', { type: 'ntfy', url: 'http://10.1.2.3/topic' });
      assert.deepEqual(blocked.verification, {
        outcome: 'refused',
        error: 'refused 10.1.2.3: private address (allow with FIREBREAK_EGRESS_ALLOW)',
        expiresAt: blocked.verification.expiresAt,
      });
    });

    it('mails an email method its code through the mail relay', async () => {
      const m = await add('kim', { type: 'email', address: 'kim.home@example.net', label: 'home mail' });
      assert.equal(m.destination, 'k***@example.net');
      assert.equal(m.verification.outcome, 'sent', String(m.verification.error));
      const mail = mails.at(-1)!;
      assert.equal(mail.subject, 'Firebreak verification code');
      assert.equal(mail.from?.value[0]?.address, 'pager@example.com');
      assert.deepEqual((Array.isArray(mail.to) ? mail.to : [mail.to]).map((a) => a?.text), ['kim.home@example.net']);
      const code = /\b(\d{6})\b/.exec(mail.text ?? '')?.[1];
      assert.ok(code);
      assert.ok(!`${mail.subject}\n${mail.text}\n${mail.html || ''}`.includes('home mail'), 'the label is mailed');
      assert.equal((await verify('kim', m.id, code)).statusCode, 200);
    });

    it('never lists a secret: no URL path, token, number, address, signing secret or code', async () => {
      const hook = await add('ana', { type: 'webhook', url: `${rx.url}/hook/path-secret-123` });
      await add('ana', { type: 'email', address: 'ana.private@example.org' });
      await add('ana', { type: 'sms', url: `${rx.url}/gw/sms-path-secret`, token: 'gw_secret_token', to: '+15550001234' });
      const code = JSON.parse(at('/hook/path-secret-123')[0]!.body).data.code as string;
      const listed = JSON.stringify([await list('ana'), await rules('ana')]);
      for (const secret of ['path-secret-123', hook.secret!, 'ana.private', 'sms-path-secret', 'gw_secret_token', '+15550001234', 'tk_ntfy_secret_1', code]) {
        assert.ok(!listed.includes(secret), `${secret} in ${listed}`);
      }
      assert.ok(listed.includes('a***@example.org'));
      const rows = JSON.stringify(await store.listContactMethods('ana'));
      for (const secret of ['path-secret-123', 'gw_secret_token', '+15550001234', code]) assert.ok(!rows.includes(secret), `${secret} stored in the clear`);
    });

    it('lets a signed-in person manage their own methods, and nobody else but an admin', async () => {
      const password = 'correct horse battery staple';
      assert.equal((await t.call('POST', '/api/v1/users', { as: 'admin', body: { username: 'sam', password, role: 'viewer' } })).statusCode, 201);
      const signIn = await t.call('POST', '/api/v1/session', { as: 'anonymous', body: { username: 'sam', password } });
      const cookie = String(([] as string[]).concat(signIn.headers['set-cookie'] ?? []).find((c) => c.startsWith('fb_session='))).split(';')[0]!;
      const own = await t.call('POST', methodsUrl('sam'), { as: { cookie }, body: { type: 'ntfy', url: `${rx.url}/ntfy/sam-own` } });
      assert.equal(own.statusCode, 201, own.body);
      assert.equal((await t.call('GET', methodsUrl('sam'), { as: { cookie } })).statusCode, 200);
      const before = await list('ana');
      for (const as of [{ cookie }, 'responder'] as const) {
        const other = await t.call('POST', methodsUrl('ana'), { as, body: { type: 'ntfy', url: `${rx.url}/ntfy/not-sams` } });
        assert.deepEqual(problemOf(other), problem(403, 'forbidden', 'Only an admin or ana may manage the contact methods of ana.'));
      }
      assert.deepEqual(await list('ana'), before);
      assert.equal(at('/ntfy/not-sams').length, 0);
    });

    // These move the clock by up to an hour, so they come last.
    const newPerson = async (username: string) => {
      const res = await t.call('POST', '/api/v1/users', { as: 'admin', body: { username, password: 'correct horse battery staple', role: 'viewer' } });
      assert.equal(res.statusCode, 201, res.body);
    };
    const resend = (person: string, id: string) => t.call('POST', `${methodsUrl(person)}/${id}/resend`, { as: 'admin' });

    it('sends one code for two resends at once; the other is told to wait the minute', async () => {
      await newPerson('rhea');
      const m = await add('rhea', { type: 'ntfy', url: `${rx.url}/ntfy/rhea` });
      advance(60_000);
      // Both resends read the method before either writes.
      let reads = 0;
      let release!: () => void;
      const both = new Promise<void>((resolve) => (release = resolve));
      onFind = async (id) => {
        const read = await store.findContactMethod(id);
        if (++reads === 2) {
          onFind = undefined;
          release();
        }
        await both;
        return read;
      };
      const answers = await Promise.all([resend('rhea', m.id), resend('rhea', m.id)]);
      onFind = undefined;
      assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 429], answers.map((r) => r.body).join('\n'));
      const loser = answers.find((r) => r.statusCode === 429)!;
      assert.equal(loser.headers['retry-after'], '60');
      assert.deepEqual(problemOf(loser), problem(429, 'rate_limited', 'A code was sent less than a minute ago; ask again in 60 s.'));
      assert.equal(at('/ntfy/rhea').length, 2, 'the add and one resend');
      const sent = codeIn(at('/ntfy/rhea')[1]);
      assert.equal((await verify('rhea', m.id, sent)).statusCode, 200);
    });

    it('refuses the first code once a resend has replaced it, even when the verify read the method before', async () => {
      await newPerson('vera');
      const m = await add('vera', { type: 'ntfy', url: `${rx.url}/ntfy/vera` });
      const first = codeIn(at('/ntfy/vera')[0]);
      advance(60_000);
      // The verify reads the method (and its first code), then a resend lands before the verify writes.
      onFind = async (id) => {
        onFind = undefined;
        const read = await store.findContactMethod(id);
        const res = await resend('vera', id);
        assert.equal(res.statusCode, 200, res.body);
        return read;
      };
      const res = await verify('vera', m.id, first);
      onFind = undefined;
      const second = codeIn(at('/ntfy/vera')[1]);
      if (second === first) return assert.equal(res.statusCode, 200, res.body);
      assert.deepEqual(problemOf(res), problem(400, 'validation', 'The code does not match.', { errors: [{ path: 'body.code', message: 'is not the one sent; 4 attempts left' }] }));
      assert.equal((await list('vera'))[0]?.verified, false);
      assert.equal((await verify('vera', m.id, second)).statusCode, 200);
    });

    it('sends a person at most 10 codes an hour, deleting and adding again included', async () => {
      await newPerson('rita');
      const start = now;
      let kept = '';
      for (let i = 0; i < 10; i++) {
        const m = await add('rita', { type: 'ntfy', label: `try ${i}`, url: `${rx.url}/ntfy/rita` });
        if (i < 9) assert.equal((await t.call('DELETE', `${methodsUrl('rita')}/${m.id}`, { as: 'admin' })).statusCode, 204);
        else kept = m.id;
        advance(60_000);
      }
      assert.equal(at('/ntfy/rita').length, 10);
      const before = await list('rita');

      const refused = await t.call('POST', methodsUrl('rita'), { as: 'admin', body: { type: 'ntfy', url: `${rx.url}/ntfy/rita` } });
      assert.equal(refused.headers['retry-after'], '3000');
      assert.deepEqual(problemOf(refused), problem(429, 'rate_limited', '10 verification codes were sent to the methods of rita in the last hour; ask again in 3000 s.'));
      const again = await resend('rita', kept);
      assert.equal(again.headers['retry-after'], '3000');
      assert.deepEqual(problemOf(again), problem(429, 'rate_limited', '10 verification codes were sent to the methods of rita in the last hour; ask again in 3000 s.'));
      assert.deepEqual(await list('rita'), before, 'nothing stored, the pending code kept');
      assert.equal(at('/ntfy/rita').length, 10, 'nothing sent');

      // An hour after the first code, its place is free; the second's, a minute later.
      now = start + 60 * 60_000;
      await add('rita', { type: 'ntfy', url: `${rx.url}/ntfy/rita` });
      const next = await t.call('POST', methodsUrl('rita'), { as: 'admin', body: { type: 'ntfy', url: `${rx.url}/ntfy/rita` } });
      assert.equal(next.headers['retry-after'], '60');
      assert.deepEqual(problemOf(next), problem(429, 'rate_limited', '10 verification codes were sent to the methods of rita in the last hour; ask again in 60 s.'));
      assert.equal(at('/ntfy/rita').length, 11);
      assert.ok(at('/ntfy/rita').every((r) => !r.body.includes('try ')), 'a label in a message');
    });
  });
}
