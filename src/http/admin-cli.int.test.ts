import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXIT_CODES } from '../cli/exit-codes.js';
import { runCli } from '../cli/test-cli.js';
import { adapters } from '../store/test-adapters.js';
import { useTestApp, type TestApp } from './test-app.js';

/** The CLI against the real app: its fetch goes through Fastify's inject. */
function cliOn(t: TestApp) {
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    const url = new URL(String(input));
    const res = await t.app.inject({
      method: (init?.method ?? 'GET') as 'GET',
      url: url.pathname + url.search,
      headers: { ...(init?.headers as Record<string, string>) },
      ...(typeof init?.body === 'string' && { payload: init.body }),
    });
    const type = String(res.headers['content-type'] ?? 'application/json');
    return new Response(res.statusCode === 204 ? null : res.body, { status: res.statusCode, headers: { 'content-type': type } });
  };
  const env = { FIREBREAK_URL: 'http://fb.test:7070', FIREBREAK_TOKEN: t.tokens.admin, FIREBREAK_PASSWORD: 'correct horse battery staple' };
  return (argv: string[]) => runCli(argv, [], { fetch: fetch as typeof globalThis.fetch, env });
}

const oneLine = (stderr: string) => {
  assert.match(stderr, /^firebreak: [^\n]+\n$/);
  return stderr;
};

for (const adapter of adapters()) {
  describe(`the CLI's token and user errors (${adapter.name})`, () => {
    let t: TestApp;
    useTestApp(() => adapter.create(), (_s, app) => (t = app));

    it('shows a taken token name, a reserved username and a taken username as one line each', async () => {
      const cli = cliOn(t);
      assert.equal((await cli(['token', 'create', 'probe-viewer', '--role', 'viewer'])).code, 0);
      const token = await cli(['token', 'create', 'probe-viewer', '--role', 'admin']);
      assert.equal(token.code, EXIT_CODES.conflict);
      assert.equal(token.stdout, '');
      assert.match(oneLine(token.stderr), /A live token is already named probe-viewer; choose another name, or revoke that token first/);

      const reserved = await cli(['user', 'create', 'firebreak', '--role', 'viewer']);
      assert.equal(reserved.code, EXIT_CODES.validation);
      assert.match(oneLine(reserved.stderr), /is reserved for Firebreak itself \(firebreak, system, token, integration\)/);

      assert.equal((await cli(['user', 'create', 'ana', '--role', 'viewer'])).code, 0);
      const taken = await cli(['user', 'create', 'ana', '--role', 'admin']);
      assert.equal(taken.code, EXIT_CODES.conflict);
      assert.match(oneLine(taken.stderr), /The username ana is taken/);
    });
  });
}
