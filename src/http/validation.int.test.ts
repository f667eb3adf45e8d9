import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { LIMITS } from '../domain/limits.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problemOf, useTestApp, type TestApp } from './test-app.js';

for (const adapter of adapters()) {
  describe(`validation over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;

    useTestApp(() => adapter.create(), (s, app) => {
      store = s;
      t = app;
    });

    /** Sends a bad command and checks the exact problem and that nothing was recorded. */
    async function refused(
      method: 'POST' | 'PUT',
      path: string,
      body: unknown,
      errors: { path: string; message: string }[],
      headers: Record<string, string> = {},
    ) {
      const inc = await t.declare();
      const res = await t.call(method, `/api/v1/incidents/${inc.id}${path}`, { body, headers });
      assert.equal(res.statusCode, 400, res.body);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.deepEqual(problemOf(res), invalidRequest(errors));
      assert.equal(await store.countEvents(inc.number), inc.version);
    }

    it('refuses a declaration without a title, naming the field', async () => {
      const res = await t.call('POST', '/api/v1/incidents', { body: { impact: 'Users cannot pay' } });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(problemOf(res), invalidRequest([{ path: 'body.title', message: 'is required' }]));
    });

    it('refuses text that storage cannot keep (NUL, unpaired surrogates) wherever it is, and writes nothing', async () => {
      const before = (await store.listIncidents({ limit: 500 })).length;
      const res = await t.call('POST', '/api/v1/incidents', {
        body: { title: 'Checkout\u0000 down', impact: 'Users cannot pay\udc00', services: ['checkout'] },
      });
      assert.equal(res.statusCode, 400, res.body);
      assert.deepEqual(
        problemOf(res),
        invalidRequest([
          { path: 'body.title', message: 'must not contain NUL (\\u0000)' },
          { path: 'body.impact', message: 'must not contain unpaired UTF-16 surrogates' },
        ]),
      );
      assert.equal((await store.listIncidents({ limit: 500 })).length, before);
      await refused('POST', '/notes', { body: 'still failing \ud800' }, [
        { path: 'body.body', message: 'must not contain unpaired UTF-16 surrogates' },
      ]);
    });

    it('refuses an unknown field', () =>
      refused('POST', '/notes', { body: 'hello', foo: 1 }, [{ path: 'body.foo', message: 'is not allowed' }]));

    it('refuses a too-long string', () =>
      refused('POST', '/notes', { body: 'x'.repeat(LIMITS.text + 1) }, [
        { path: 'body.body', message: `must be at most ${LIMITS.text} characters` },
      ]));

    it('refuses a bad enum value', () =>
      refused('POST', '/severity', { severity: 'SEV5', reason: 'scary' }, [
        { path: 'body.severity', message: 'must be one of SEV1, SEV2, SEV3, SEV4' },
      ]));

    it('refuses a bad If-Match header', () =>
      refused('POST', '/notes', { body: 'hello' }, [
        { path: 'headers.if-match', message: 'must be the version number the change is based on, like 12 or "12"' },
      ], { 'if-match': 'yesterday' }));

    it('lists every error at once, with array positions', () =>
      refused(
        'PUT',
        '/postmortem',
        { summary: '', impact: 'x', whys: ['a', '', 3], contributingFactors: 'none', extra: true },
        [
          { path: 'body.rootCause', message: 'is required' },
          { path: 'body.extra', message: 'is not allowed' },
          { path: 'body.summary', message: 'must not be empty' },
          { path: 'body.whys[1]', message: 'must not be empty' },
          { path: 'body.whys[2]', message: 'must be a string' },
          { path: 'body.contributingFactors', message: 'must be an array' },
        ],
      ));

    it('refuses wrong types and nested unknown fields', () =>
      refused(
        'POST',
        '/status',
        { to: 'resolved', override: { reason: 'ok', by: 'me' }, noGuardrails: 'yes' },
        [
          { path: 'body.noGuardrails', message: 'must be true or false' },
          { path: 'body.override.by', message: 'is not allowed' },
        ],
      ));

    it('checks date-times and URLs', () =>
      refused(
        'POST',
        '/actions',
        { title: 'Fix', owner: 'bo', dueAt: 'next friday', priority: 'P9' },
        [
          { path: 'body.dueAt', message: 'must be an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
          { path: 'body.priority', message: 'must be one of P0, P1, P2, P3' },
        ],
      ));

    it('refuses a date that does not exist rather than rolling it over', () =>
      refused('POST', '/actions', { title: 'Fix', owner: 'bo', dueAt: '2026-02-30T09:00:00Z', priority: 'P1' }, [
        { path: 'body.dueAt', message: 'must be an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
      ]));

    it('refuses javascript: URLs for evidence', () =>
      refused('POST', '/evidence', { kind: 'log', title: 'x', url: 'javascript:alert(1)' }, [
        { path: 'body.url', message: 'must be an http:// or https:// URL' },
      ]));

    it('refuses a services list longer than the limit', async () => {
      const services = Array.from({ length: LIMITS.services + 1 }, (_, i) => `svc-${i}`);
      const res = await t.call('POST', '/api/v1/incidents', { body: { title: 'x', impact: 'y', services } });
      assert.deepEqual(res.json().errors, [{ path: 'body.services', message: `must have at most ${LIMITS.services} items` }]);
    });

    it('refuses bad query parameters', async () => {
      const res = await t.call('GET', '/api/v1/incidents?limit=0&severity=SEV1,SEV9&foo=1', { as: 'viewer' });
      assert.equal(res.statusCode, 400);
      assert.deepEqual(res.json().errors, [
        { path: 'query.foo', message: 'is not allowed' },
        { path: 'query.severity', message: 'must be a comma-separated list of SEV1, SEV2, SEV3, SEV4' },
        { path: 'query.limit', message: 'must be at least 1' },
      ]);
    });

    it('refuses an integer query parameter that is not one, instead of truncating it', async () => {
      for (const limit of ['7.5', '1e2', '0x10', ' ']) {
        const res = await t.call('GET', `/api/v1/incidents?limit=${encodeURIComponent(limit)}`, { as: 'viewer' });
        assert.equal(res.statusCode, 400, limit);
        assert.deepEqual(res.json().errors, [{ path: 'query.limit', message: 'must be an integer' }], limit);
      }
      assert.equal((await t.call('GET', '/api/v1/incidents?limit=7', { as: 'viewer' })).statusCode, 200);
    });

    it('refuses invalid JSON, a non-object body and other media types', async () => {
      const inc = await t.declare();
      const url = `/api/v1/incidents/${inc.id}/notes`;
      const cases: [string, Record<string, string>, string, { path: string; message: string }][] = [
        ['{"body": ', { 'content-type': 'application/json' }, 'application/json', { path: 'body', message: 'is not valid JSON' }],
        ['"text"', { 'content-type': 'application/json' }, 'application/json', { path: 'body', message: 'must be a JSON object' }],
        ['{"__proto__": {"x": 1}, "body": "hi"}', { 'content-type': 'application/json' }, 'proto', { path: 'body', message: 'is not valid JSON' }],
        ['body=hi', { 'content-type': 'application/x-www-form-urlencoded' }, 'form', { path: 'headers.content-type', message: 'must be application/json' }],
        ['hi', { 'content-type': 'text/plain' }, 'text', { path: 'headers.content-type', message: 'must be application/json' }],
      ];
      for (const [payload, headers, label, error] of cases) {
        const res = await t.app.inject({
          method: 'POST',
          url,
          payload,
          headers: { authorization: `Bearer ${t.tokens.responder}`, ...headers },
        });
        assert.equal(res.statusCode, 400, label);
        assert.deepEqual(res.json().errors, [error], label);
      }
      assert.equal(await store.countEvents(inc.number), inc.version);
    });

    it('refuses invalid UTF-8 with the same 400 on every route, and writes nothing', async () => {
      const inc = await t.declare();
      // Each body is valid but for one byte that is not UTF-8 (0xFF), where a lenient decoder puts U+FFFD.
      const bad = (head: string, tail: string) => Buffer.concat([Buffer.from(head), Buffer.from([0xff]), Buffer.from(tail)]);
      const json = 'application/json';
      const cases: [string, 'POST' | 'PUT', string, Buffer, string, 'responder' | 'admin' | 'ingest' | 'anonymous'][] = [
        ['declare', 'POST', '/api/v1/incidents', bad('{"impact":"Users cannot pay","title":"Checkout ', '"}'), json, 'responder'],
        ['command', 'POST', `/api/v1/incidents/${inc.id}/notes`, bad('{"body":"still failing ', '"}'), json, 'responder'],
        ['command, charset', 'POST', `/api/v1/incidents/${inc.id}/notes`, bad('{"body":"', '"}'), `${json}; charset=utf-8`, 'responder'],
        ['catalog yaml', 'PUT', '/api/v1/catalog', bad('apiVersion: firebreak/v1\nkind: Service\nmetadata:\n  name: pay', '\n'), 'application/yaml', 'admin'],
        ['catalog json', 'PUT', '/api/v1/catalog', bad('{"items":["', '"]}'), json, 'admin'],
        ['users', 'POST', '/api/v1/users', bad('{"password":"correct horse battery","role":"viewer","username":"ana', '"}'), json, 'admin'],
        ['tokens', 'POST', '/api/v1/tokens', bad('{"role":"viewer","name":"probe', '"}'), json, 'admin'],
        ['sign-in', 'POST', '/api/v1/session', bad('{"password":"correct horse battery","username":"ana', '"}'), json, 'anonymous'],
        ['alerts (sender)', 'POST', '/api/v1/alerts', bad('{"summary":"down ', '"}'), json, 'ingest'],
        ['deploys (sender)', 'POST', '/api/v1/deploys', bad('{"service":"pay', '"}'), json, 'ingest'],
      ];
      const before = {
        incidents: (await store.listIncidents({ limit: 500 })).length,
        users: (await store.listUsers()).length,
        tokens: (await store.listTokens()).length,
        catalog: await store.catalogVersion(),
        alerts: (await store.listAlerts({ limit: 500 })).length,
        deploys: (await store.listDeploys({ limit: 500 })).length,
      };
      for (const [label, method, url, payload, type, as] of cases) {
        const res = await t.app.inject({
          method,
          url,
          payload,
          headers: { 'content-type': type, ...(as !== 'anonymous' && { authorization: `Bearer ${t.tokens[as]}` }) },
        });
        assert.equal(res.statusCode, 400, `${label}: ${res.body}`);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8', label);
        assert.deepEqual(problemOf(res), invalidRequest([{ path: 'body', message: 'is not valid UTF-8' }]), label);
      }
      assert.equal(await store.countEvents(inc.number), inc.version);
      assert.deepEqual(
        {
          incidents: (await store.listIncidents({ limit: 500 })).length,
          users: (await store.listUsers()).length,
          tokens: (await store.listTokens()).length,
          catalog: await store.catalogVersion(),
          alerts: (await store.listAlerts({ limit: 500 })).length,
          deploys: (await store.listDeploys({ limit: 500 })).length,
        },
        before,
      );
    });

    it('answers 413 for a body over the limit', async () => {
      const inc = await t.declare();
      const res = await t.call('POST', `/api/v1/incidents/${inc.id}/notes`, {
        body: JSON.stringify({ body: 'x'.repeat(LIMITS.bodyBytes) }),
      });
      assert.equal(res.statusCode, 413);
      assert.equal(res.json().code, 'too_large');
      assert.equal(await store.countEvents(inc.number), inc.version);
    });

    it('answers unknown routes with a 404 problem', async () => {
      const res = await t.call('GET', '/api/v1/nothing-here', { as: 'anonymous' });
      assert.equal(res.statusCode, 404);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(res.json().code, 'not_found');
    });
  });
}
