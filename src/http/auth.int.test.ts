import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { pino } from 'pino';
import { ensureAdmin } from '../service/auth.js';
import type { Principal, Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, testApp, useTestApp, type TestApp } from './test-app.js';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
const inc = '/api/v1/incidents/INC-1';

/** Every authenticated route and the least role it takes; bodies are empty because auth runs before validation. */
const ROUTES: [Method, string, 'viewer' | 'responder' | 'admin'][] = [
  ['GET', '/api/v1/incidents', 'viewer'],
  ['GET', inc, 'viewer'],
  ['GET', `${inc}/timeline`, 'viewer'],
  ['GET', `${inc}/postmortem`, 'viewer'],
  ['GET', `${inc}/playbook`, 'viewer'],
  ['GET', `${inc}/timers`, 'viewer'],
  ['POST', '/api/v1/triage', 'viewer'],
  ['GET', '/api/v1/session', 'viewer'],
  ['DELETE', '/api/v1/session', 'viewer'],
  ['GET', '/api/v1/openapi.json', 'viewer'],
  ['GET', '/metrics', 'viewer'],
  ['POST', '/api/v1/incidents', 'responder'],
  ['POST', `${inc}/severity`, 'responder'],
  ['PUT', `${inc}/impact`, 'responder'],
  ['POST', `${inc}/roles`, 'responder'],
  ['DELETE', `${inc}/roles`, 'responder'],
  ['PUT', `${inc}/comms`, 'responder'],
  ['POST', `${inc}/updates`, 'responder'],
  ['POST', `${inc}/notes`, 'responder'],
  ['POST', `${inc}/evidence`, 'responder'],
  ['POST', `${inc}/mitigations`, 'responder'],
  ['POST', `${inc}/questions`, 'responder'],
  ['POST', `${inc}/questions/Q1/answer`, 'responder'],
  ['POST', `${inc}/guardrails`, 'responder'],
  ['POST', `${inc}/status`, 'responder'],
  ['PUT', `${inc}/postmortem`, 'responder'],
  ['POST', `${inc}/actions`, 'responder'],
  ['PATCH', '/api/v1/actions/INC-1-A1', 'responder'],
  ['POST', '/api/v1/tokens', 'admin'],
  ['GET', '/api/v1/tokens', 'admin'],
  ['DELETE', '/api/v1/tokens/nope', 'admin'],
  ['POST', '/api/v1/users', 'admin'],
  ['GET', '/api/v1/users', 'admin'],
];

const ORDER: Principal[] = ['viewer', 'responder', 'admin'];
const weaker = (role: 'viewer' | 'responder' | 'admin'): Principal[] => ['ingest', ...ORDER.slice(0, ORDER.indexOf(role))];
const stronger = (role: 'viewer' | 'responder' | 'admin'): Principal[] => ORDER.slice(ORDER.indexOf(role));
const bodyFor = (method: Method) => (method === 'GET' || method === 'DELETE' ? undefined : {});

const cookieOf = (setCookie: string | string[] | undefined) => {
  const line = [setCookie ?? []].flat().find((c) => c.startsWith('fb_session='));
  assert.ok(line, 'a fb_session cookie was set');
  return { line, cookie: line.split(';')[0]! };
};

for (const adapter of adapters()) {
  describe(`auth over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;

    useTestApp(() => adapter.create(), (s, app) => {
      store = s;
      t = app;
    });

    it('leaves only /healthz, the UI shell and sign-in public', async () => {
      assert.deepEqual((await t.call('GET', '/healthz', { as: 'anonymous' })).json(), { status: 'ok' });
      assert.equal((await t.call('GET', '/', { as: 'anonymous' })).statusCode, 200);
      const signIn = await t.call('POST', '/api/v1/session', { as: 'anonymous', body: { username: 'nobody', password: 'x' } });
      assert.equal(signIn.statusCode, 401);
    });

    for (const [method, url, role] of ROUTES) {
      it(`${method} ${url} needs ${role}`, async () => {
        const body = bodyFor(method);
        const anonymous = await t.call(method, url, { as: 'anonymous', body });
        assert.equal(anonymous.statusCode, 401);
        assert.equal(anonymous.json().code, 'unauthorized');
        assert.equal(anonymous.headers['www-authenticate'], 'Bearer');
        const bogus = await t.call(method, url, { as: { token: 'fb_not-a-real-token' }, body });
        assert.equal(bogus.statusCode, 401);
        for (const r of weaker(role)) {
          const res = await t.call(method, url, { as: r, body });
          assert.equal(res.statusCode, 403, `${r} on ${method} ${url}`);
          assert.equal(res.json().code, 'forbidden');
        }
        for (const r of stronger(role)) {
          const res = await t.call(method, url, { as: r, body });
          assert.ok(![401, 403].includes(res.statusCode), `${r} on ${method} ${url}: ${res.statusCode}`);
        }
      });
    }

    it('creates, lists and revokes tokens; a revoked token is refused', async () => {
      const created = await t.call('POST', '/api/v1/tokens', { as: 'admin', body: { name: 'ci-bot', role: 'responder' } });
      assert.equal(created.statusCode, 201);
      const token = created.json();
      assert.deepEqual(Object.keys(token).sort(), ['id', 'name', 'role', 'token']);
      assert.match(token.token, /^fb_[A-Za-z0-9_-]{43}$/);

      const listed = (await t.call('GET', '/api/v1/tokens', { as: 'admin' })).json().items;
      const row = listed.find((x: { id: string }) => x.id === token.id);
      assert.deepEqual(Object.keys(row).sort(), ['createdAt', 'id', 'name', 'revokedAt', 'role']);
      assert.ok(!JSON.stringify(listed).includes(token.token));

      const declared = await t.call('POST', '/api/v1/incidents', {
        as: { token: token.token },
        body: { title: 'From CI', impact: 'Deploys fail' },
      });
      assert.equal(declared.statusCode, 201);
      assert.equal(declared.json().severityHistory.length, 0);
      const timeline = (await t.call('GET', `/api/v1/incidents/${declared.json().id}/timeline`, { as: 'viewer' })).json();
      assert.equal(timeline.events[0].actor, 'token:ci-bot');

      assert.equal((await t.call('DELETE', `/api/v1/tokens/${token.id}`, { as: 'admin' })).statusCode, 204);
      assert.equal((await t.call('DELETE', `/api/v1/tokens/${token.id}`, { as: 'admin' })).statusCode, 404);
      assert.equal((await t.call('GET', '/api/v1/incidents', { as: { token: token.token } })).statusCode, 401);
    });

    it('refuses usernames that could be mistaken for Firebreak itself or for a token or integration', async () => {
      const password = 'correct horse battery staple';
      const before = (await store.listUsers()).length;
      for (const username of ['firebreak', 'system', 'token', 'integration']) {
        const res = await t.call('POST', '/api/v1/users', { as: 'admin', body: { username, password, role: 'viewer' } });
        assert.equal(res.statusCode, 400, username);
        assert.deepEqual(
          problemOf(res),
          invalidRequest([{ path: 'body.username', message: 'is reserved for Firebreak itself (firebreak, system, token, integration)' }]),
          username,
        );
      }
      for (const username of ['token:probe-viewer', 'integration:prometheus']) {
        const res = await t.call('POST', '/api/v1/users', { as: 'admin', body: { username, password, role: 'viewer' } });
        assert.deepEqual(
          problemOf(res),
          invalidRequest([{ path: 'body.username', message: 'must be lowercase letters, digits, ".", "_" or "-"' }]),
          username,
        );
      }
      assert.equal((await store.listUsers()).length, before);
    });

    it('refuses a second user of one name with 409, writing nothing', async () => {
      const body = { username: 'dup-user', password: 'correct horse battery staple', role: 'viewer' };
      assert.equal((await t.call('POST', '/api/v1/users', { as: 'admin', body })).statusCode, 201);
      const before = await store.listUsers();
      const res = await t.call('POST', '/api/v1/users', { as: 'admin', body: { ...body, role: 'admin' } });
      assert.equal(res.statusCode, 409);
      assert.deepEqual(problemOf(res), problem(409, 'conflict', 'The username dup-user is taken.'));
      assert.deepEqual(await store.listUsers(), before);
    });

    it('keeps live token names unique, so token:<name> on an event names one token', async () => {
      const viewer = await t.call('POST', '/api/v1/tokens', { as: 'admin', body: { name: 'probe-viewer', role: 'viewer' } });
      assert.equal(viewer.statusCode, 201);
      const before = await store.listTokens();
      for (const name of ['probe-viewer', '  probe-viewer ']) {
        const res = await t.call('POST', '/api/v1/tokens', { as: 'admin', body: { name, role: 'admin' } });
        assert.equal(res.statusCode, 409, name);
        assert.deepEqual(
          problemOf(res),
          problem(409, 'conflict', 'A live token is already named probe-viewer; choose another name, or revoke that token first.'),
        );
      }
      assert.deepEqual(await store.listTokens(), before);

      assert.equal((await t.call('DELETE', `/api/v1/tokens/${viewer.json().id}`, { as: 'admin' })).statusCode, 204);
      const reused = await t.call('POST', '/api/v1/tokens', { as: 'admin', body: { name: 'probe-viewer', role: 'admin' } });
      assert.equal(reused.statusCode, 201);
      const live = (await store.listTokens()).filter((x) => x.name === 'probe-viewer' && x.revokedAt === null);
      assert.deepEqual(live.map((x) => x.role), ['admin']);
    });

    it('keeps live integration names unique, so integration:<name> on an event names one sender', async () => {
      const first = await t.call('POST', '/api/v1/integrations', { as: 'admin', body: { type: 'alertmanager', name: 'prod-am' } });
      assert.equal(first.statusCode, 201);
      const before = await store.listIntegrations();
      for (const body of [{ type: 'alertmanager', name: 'prod-am' }, { type: 'grafana', name: ' prod-am ' }]) {
        const res = await t.call('POST', '/api/v1/integrations', { as: 'admin', body });
        assert.equal(res.statusCode, 409, body.name);
        assert.deepEqual(
          problemOf(res),
          problem(409, 'conflict', 'A live integration is already named prod-am; choose another name, or revoke that integration first.'),
        );
      }
      assert.deepEqual(await store.listIntegrations(), before);

      assert.equal((await t.call('DELETE', `/api/v1/integrations/${first.json().id}`, { as: 'admin' })).statusCode, 204);
      const reused = await t.call('POST', '/api/v1/integrations', { as: 'admin', body: { type: 'grafana', name: 'prod-am' } });
      assert.equal(reused.statusCode, 201);
    });

    it('signs users in with a cookie, refuses cross-site requests, and signs them out', async () => {
      const username = `ana.${Date.now()}`;
      const password = 'correct horse battery staple';
      const created = await t.call('POST', '/api/v1/users', { as: 'admin', body: { username, password, role: 'responder' } });
      assert.equal(created.statusCode, 201);
      assert.deepEqual(Object.keys(created.json()).sort(), ['id', 'role', 'username']);
      const taken = await t.call('POST', '/api/v1/users', { as: 'admin', body: { username, password, role: 'viewer' } });
      assert.equal(taken.statusCode, 409);
      const weak = await t.call('POST', '/api/v1/users', { as: 'admin', body: { username: 'Bad Name', password: 'short', role: 'chief' } });
      assert.deepEqual(weak.json().errors, [
        { path: 'body.username', message: 'must be lowercase letters, digits, ".", "_" or "-"' },
        { path: 'body.password', message: 'must be at least 12 characters' },
        { path: 'body.role', message: 'must be one of admin, responder, viewer, ingest' },
      ]);
      const users = (await t.call('GET', '/api/v1/users', { as: 'admin' })).json().items;
      assert.ok(users.some((u: { username: string }) => u.username === username));
      assert.ok(!JSON.stringify(users).includes('scrypt'));

      const wrongPassword = await t.call('POST', '/api/v1/session', { as: 'anonymous', body: { username, password: 'wrong password!' } });
      const wrongUser = await t.call('POST', '/api/v1/session', { as: 'anonymous', body: { username: 'nobody-here', password } });
      assert.equal(wrongPassword.statusCode, 401);
      assert.equal(wrongUser.statusCode, 401);
      assert.equal(wrongPassword.json().detail, wrongUser.json().detail);
      assert.equal(wrongPassword.headers['set-cookie'], undefined);

      const signedIn = await t.call('POST', '/api/v1/session', { as: 'anonymous', body: { username, password } });
      assert.equal(signedIn.statusCode, 200);
      assert.deepEqual(signedIn.json(), { username, role: 'responder' });
      const { line, cookie } = cookieOf(signedIn.headers['set-cookie']);
      assert.match(line, /; HttpOnly/);
      assert.match(line, /; SameSite=Strict/);
      assert.match(line, /; Path=\//);
      assert.doesNotMatch(line, /; Secure/);

      const me = await t.call('GET', '/api/v1/session', { as: { cookie } });
      assert.deepEqual(me.json(), { username, role: 'responder', kind: 'user' });

      const declared = await t.call('POST', '/api/v1/incidents', {
        as: { cookie },
        body: { title: 'From the browser', impact: 'Login fails' },
        headers: { origin: 'http://localhost' },
      });
      assert.equal(declared.statusCode, 201, declared.body);
      const id = declared.json().id;
      const number = declared.json().number;

      const crossOrigin = await t.call('POST', `/api/v1/incidents/${id}/notes`, {
        as: { cookie },
        body: { body: 'evil' },
        headers: { origin: 'https://evil.example' },
      });
      const formPost = await t.call('POST', `/api/v1/incidents/${id}/notes`, {
        as: { cookie },
        body: 'body=evil',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      const fetchSite = await t.call('POST', `/api/v1/incidents/${id}/notes`, {
        as: { cookie },
        body: { body: 'evil' },
        headers: { 'sec-fetch-site': 'cross-site' },
      });
      for (const res of [crossOrigin, formPost, fetchSite]) {
        assert.equal(res.statusCode, 403);
        assert.equal(res.json().detail, 'cross-site request refused');
      }
      assert.equal(await store.countEvents(number), declared.json().version);

      const signedOut = await t.call('DELETE', '/api/v1/session', { as: { cookie } });
      assert.equal(signedOut.statusCode, 204);
      assert.match([signedOut.headers['set-cookie']].flat().join(), /fb_session=;/);
      assert.equal((await t.call('GET', '/api/v1/session', { as: { cookie } })).statusCode, 401);
    });

    it('tells a bearer token that it has no session to end, and changes nothing', async () => {
      const created = (await t.call('POST', '/api/v1/tokens', { as: 'admin', body: { name: 'sign-out-probe', role: 'viewer' } })).json();
      const res = await t.call('DELETE', '/api/v1/session', { as: { token: created.token } });
      assert.equal(res.statusCode, 409);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.deepEqual(
        problemOf(res),
        problem(
          409,
          'conflict',
          `A bearer token has no session to end; it stays valid until an admin revokes it with DELETE /api/v1/tokens/${created.id}.`,
        ),
      );
      assert.equal(res.headers['set-cookie'], undefined);
      assert.equal((await t.call('GET', '/api/v1/session', { as: { token: created.token } })).statusCode, 200);
    });

    describe('sign-in throttling', () => {
      const password = 'correct horse battery staple';
      const START = Date.parse('2026-03-02T09:00:00.000Z');

      /** An app of its own with these limits, a clock the test moves, and its log lines kept. */
      async function throttled(env: Record<string, string>) {
        let now = START;
        const lines: Record<string, unknown>[] = [];
        const sink = new Writable({
          write(chunk, _enc, done) {
            lines.push(JSON.parse(String(chunk)));
            done();
          },
        });
        const app = await testApp(store, { env, clock: { now: () => new Date(now).toISOString() }, log: pino({ level: 'info' }, sink) });
        const signIn = (username: string, pw: string, from: { remoteAddress?: string; headers?: Record<string, string> } = {}) =>
          app.app.inject({
            method: 'POST',
            url: '/api/v1/session',
            remoteAddress: from.remoteAddress ?? '127.0.0.1',
            headers: { 'content-type': 'application/json', ...from.headers },
            payload: JSON.stringify({ username, password: pw }),
          });
        const user = async (username: string) =>
          assert.equal((await app.call('POST', '/api/v1/users', { as: 'admin', body: { username, password, role: 'viewer' } })).statusCode, 201);
        return { app, signIn, user, lines, advance: (ms: number) => void (now += ms) };
      }

      const tooMany = (whose: string, minutes: number) =>
        problem(429, 'rate_limited', `Too many failed sign-ins ${whose}; try again in ${minutes} minute${minutes === 1 ? '' : 's'}.`);

      function assertThrottled(res: LightMyRequestResponse, whose: string, retryAfter: number) {
        assert.equal(res.statusCode, 429, res.body);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.equal(res.headers['retry-after'], String(retryAfter));
        assert.deepEqual(problemOf(res), tooMany(whose, Math.ceil(retryAfter / 60)));
        assert.equal(res.headers['set-cookie'], undefined);
      }

      it('refuses a username after N failures, the right password too, until the window ends; others sign in', async () => {
        const z = await throttled({ FIREBREAK_SIGNIN_USERNAME_FAILURES: '3', FIREBREAK_SIGNIN_ADDRESS_FAILURES: '100' });
        try {
          const ivy = `ivy.${adapter.name}`;
          const kai = `kai.${adapter.name}`;
          await z.user(ivy);
          await z.user(kai);
          for (let i = 0; i < 3; i++) assert.equal((await z.signIn(ivy, 'wrong password!')).statusCode, 401);
          assertThrottled(await z.signIn(ivy, 'wrong password!'), 'for this username', 900);
          assertThrottled(await z.signIn(ivy, password), 'for this username', 900);

          assert.equal((await z.signIn(kai, password)).statusCode, 200);
          assert.equal((await z.signIn(kai, 'wrong password!')).statusCode, 401);

          z.advance(14 * 60_000 + 30_000);
          assertThrottled(await z.signIn(ivy, password), 'for this username', 30);
          z.advance(30_000);
          assert.equal((await z.signIn(ivy, password)).statusCode, 200);

          const metrics = (await z.app.call('GET', '/metrics', { as: 'viewer' })).body;
          assert.match(metrics, /^firebreak_signin_throttled_total\{by="username"\} 3$/m);
          assert.match(metrics, /^firebreak_signin_throttled_total\{by="address"\} 0$/m);

          const reached = z.lines.filter((l) => l.msg === 'sign-in limit reached: further attempts are refused until the window ends');
          assert.deepEqual(
            reached.map(({ by, address, username, failures, windowMinutes, level }) => ({ by, address, username, failures, windowMinutes, level })),
            [{ by: 'username', address: '127.0.0.1', username: ivy, failures: 3, windowMinutes: 15, level: 40 }],
          );
          const all = JSON.stringify(z.lines);
          assert.ok(!all.includes(password) && !all.includes('wrong password!'), 'no password is logged');
        } finally {
          await z.app.app.close();
        }
      });

      it('counts only failures: successful sign-ins neither use the limit up nor reset it', async () => {
        const z = await throttled({ FIREBREAK_SIGNIN_USERNAME_FAILURES: '3' });
        try {
          const lea = `lea.${adapter.name}`;
          await z.user(lea);
          const outcomes = [];
          for (const pw of ['wrong password!', password, 'wrong password!', password, password, password, 'wrong password!', password]) {
            outcomes.push((await z.signIn(lea, pw)).statusCode);
          }
          assert.deepEqual(outcomes, [401, 200, 401, 200, 200, 200, 401, 429]);
        } finally {
          await z.app.app.close();
        }
      });

      it('counts parallel guesses before their passwords are checked', async () => {
        const z = await throttled({ FIREBREAK_SIGNIN_USERNAME_FAILURES: '3' });
        try {
          const statuses = await Promise.all(Array.from({ length: 12 }, () => z.signIn(`mo.${adapter.name}`, 'wrong password!')));
          assert.deepEqual(
            statuses.map((r) => r.statusCode).sort(),
            [...Array(3).fill(401), ...Array(9).fill(429)],
          );
        } finally {
          await z.app.app.close();
        }
      });

      it('refuses an address after N failures over any usernames; other addresses and IPv6 /64s are their own', async () => {
        const z = await throttled({ FIREBREAK_SIGNIN_USERNAME_FAILURES: '100', FIREBREAK_SIGNIN_ADDRESS_FAILURES: '3' });
        try {
          const noa = `noa.${adapter.name}`;
          await z.user(noa);
          const attacker = { remoteAddress: '203.0.113.7' };
          for (const u of ['a', 'b', 'c']) assert.equal((await z.signIn(u, 'wrong password!', attacker)).statusCode, 401);
          assertThrottled(await z.signIn(noa, password, attacker), 'from this address', 900);
          // X-Forwarded-For is not believed without FIREBREAK_TRUST_PROXY.
          assertThrottled(await z.signIn(noa, password, { ...attacker, headers: { 'x-forwarded-for': '198.51.100.9' } }), 'from this address', 900);
          assert.equal((await z.signIn(noa, password, { remoteAddress: '198.51.100.9' })).statusCode, 200);

          for (const host of ['1', '2', '3']) {
            assert.equal((await z.signIn('x', 'wrong password!', { remoteAddress: `2001:db8:0:1::${host}` })).statusCode, 401);
          }
          assertThrottled(await z.signIn(noa, password, { remoteAddress: '2001:db8:0:1::ffff' }), 'from this address', 900);
          assert.equal((await z.signIn(noa, password, { remoteAddress: '2001:db8:0:2::1' })).statusCode, 200);
          assert.match((await z.app.call('GET', '/metrics', { as: 'viewer' })).body, /^firebreak_signin_throttled_total\{by="address"\} 3$/m);
        } finally {
          await z.app.app.close();
        }
      });

      it('takes the client address from X-Forwarded-For when the proxy is trusted', async () => {
        const z = await throttled({ FIREBREAK_SIGNIN_ADDRESS_FAILURES: '2', FIREBREAK_TRUST_PROXY: '10.0.0.0/8' });
        try {
          const via = (client: string) => ({ remoteAddress: '10.1.2.3', headers: { 'x-forwarded-for': client } });
          for (let i = 0; i < 2; i++) assert.equal((await z.signIn('x', 'wrong password!', via('203.0.113.7'))).statusCode, 401);
          assertThrottled(await z.signIn('y', 'wrong password!', via('203.0.113.7')), 'from this address', 900);
          assert.equal((await z.signIn('y', 'wrong password!', via('198.51.100.9'))).statusCode, 401);
        } finally {
          await z.app.app.close();
        }
      });

      it('never throttles bearer tokens: the admin token works through a flood of wrong passwords for admin', async () => {
        const z = await throttled({ FIREBREAK_SIGNIN_USERNAME_FAILURES: '3', FIREBREAK_SIGNIN_ADDRESS_FAILURES: '5' });
        try {
          const statuses = [];
          for (let i = 0; i < 8; i++) statuses.push((await z.signIn('admin', `guess number ${i}`)).statusCode);
          assert.deepEqual(statuses, [401, 401, 401, 429, 429, 429, 429, 429]);
          assert.equal((await z.app.call('GET', '/api/v1/users', { as: 'admin' })).statusCode, 200);
          const created = await z.app.call('POST', '/api/v1/tokens', { as: 'admin', body: { name: `after-flood-${adapter.name}`, role: 'viewer' } });
          assert.equal(created.statusCode, 201);
          assert.equal((await z.app.call('GET', '/api/v1/session', { as: 'admin' })).statusCode, 200);
        } finally {
          await z.app.app.close();
        }
      });
    });

    it('marks the cookie Secure behind an https public URL', async () => {
      const secure = await testApp(store, { env: { FIREBREAK_PUBLIC_URL: 'https://firebreak.example.com' } });
      try {
        const username = `li.${Date.now()}`;
        const password = 'another long password';
        await secure.call('POST', '/api/v1/users', { as: 'admin', body: { username, password, role: 'viewer' } });
        const res = await secure.call('POST', '/api/v1/session', { as: 'anonymous', body: { username, password } });
        const { line, cookie } = cookieOf(res.headers['set-cookie']);
        assert.match(line, /; Secure/);
        const sameOrigin = await secure.call('POST', '/api/v1/triage', {
          as: { cookie },
          body: { cosmetic: true },
          headers: { origin: 'https://firebreak.example.com' },
        });
        assert.equal(sameOrigin.statusCode, 200);
        const hostOrigin = await secure.call('POST', '/api/v1/triage', {
          as: { cookie },
          body: { cosmetic: true },
          headers: { origin: 'http://localhost' },
        });
        assert.equal(hostOrigin.statusCode, 403);
      } finally {
        await secure.app.close();
      }
    });

    it('never sends the message of an unexpected error, and logs it once', async () => {
      const lines: string[] = [];
      const sink = new Writable({
        write(chunk, _enc, done) {
          lines.push(String(chunk));
          done();
        },
      });
      const secret = 'password=hunter2 at db.internal:5432';
      const boom = await testApp(store, {
        log: pino({ level: 'info' }, sink),
        routes: async (app) => {
          app.get('/test/boom', async () => {
            throw new Error(secret);
          });
        },
      });
      try {
        const res = await boom.app.inject({ method: 'GET', url: '/test/boom' });
        assert.equal(res.statusCode, 500);
        assert.deepEqual(res.json(), {
          type: 'https://firebreak.dev/problems/internal',
          title: 'Internal Server Error',
          status: 500,
          detail: 'Internal error',
          code: 'internal',
          requestId: res.headers['x-request-id'],
        });
        assert.ok(!res.body.includes('hunter2'));
        const errors = lines.map((l) => JSON.parse(l)).filter((l) => l.level >= 50);
        assert.equal(errors.length, 1);
        assert.equal(errors[0].requestId, res.headers['x-request-id']);
      } finally {
        await boom.app.close();
      }
    });

    it('serves OpenAPI and Prometheus metrics to viewers', async () => {
      const doc = await t.call('GET', '/api/v1/openapi.json', { as: 'viewer' });
      assert.equal(doc.statusCode, 200);
      const spec = doc.json();
      assert.match(spec.openapi, /^3\./);
      assert.ok(spec.paths['/api/v1/incidents/{id}/status'].post);
      assert.ok(spec.paths['/api/v1/incidents'].post.requestBody);
      await t.call('POST', '/api/v1/triage', { as: 'viewer', body: { cosmetic: true } });
      const metrics = await t.call('GET', '/metrics', { as: 'viewer' });
      assert.equal(metrics.statusCode, 200);
      assert.match(metrics.headers['content-type'] as string, /^text\/plain/);
      assert.match(metrics.body, /firebreak_http_requests_total\{method="POST",route="\/api\/v1\/triage",status="200"\} \d+/);
      assert.match(metrics.body, /firebreak_commands_total/);
    });

    it('creates a bootstrap admin token on a store without an admin, once', async () => {
      const fresh = await adapter.create();
      try {
        const deps = { ...t.deps, store: fresh };
        const secret = await ensureAdmin(deps);
        assert.match(String(secret), /^fb_[A-Za-z0-9_-]{43}$/);
        assert.equal(await ensureAdmin(deps), undefined);
        const tokens = await fresh.listTokens();
        assert.deepEqual(tokens.map((x) => [x.name, x.role]), [['bootstrap-admin', 'admin']]);
        assert.ok(!JSON.stringify(tokens).includes(String(secret)));
      } finally {
        await fresh.close();
      }
    });

    it('adopts FIREBREAK_ADMIN_TOKEN', async () => {
      const given = `fb_from_env_${Date.now()}_abcdefghijklmnop`;
      assert.equal(await ensureAdmin(t.deps, given), undefined);
      assert.equal(await ensureAdmin(t.deps, given), undefined);
      assert.equal((await t.call('GET', '/api/v1/users', { as: { token: given } })).statusCode, 200);
      assert.equal(await ensureAdmin(t.deps), undefined);
    });

    it('adopts a changed FIREBREAK_ADMIN_TOKEN under a free name, keeping the one before', async () => {
      const first = `fb_first_${Date.now()}_abcdefghijklmnop`;
      const second = `fb_second_${Date.now()}_abcdefghijklmnop`;
      const fresh = await adapter.create();
      try {
        const deps = { ...t.deps, store: fresh };
        await ensureAdmin(deps, first);
        await Promise.all([ensureAdmin(deps, second), ensureAdmin(deps, second)]);
        const tokens = await fresh.listTokens();
        assert.deepEqual(tokens.map((x) => [x.name, x.role, x.revokedAt]), [
          ['bootstrap-admin', 'admin', null],
          ['bootstrap-admin-2', 'admin', null],
        ]);
      } finally {
        await fresh.close();
      }
    });
  });
}
