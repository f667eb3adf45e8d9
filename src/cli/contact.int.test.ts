import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { SCHEDULE_CATALOG_YAML } from '../domain/paging/catalog.fixture.js';
import { adapters } from '../store/test-adapters.js';
import { useCliServer } from './test-server.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

for (const adapter of adapters()) {
  describe(`firebreak contact against the real API (${adapter.name})`, () => {
    const got: { path: string; body: string }[] = [];
    let rx: Server;
    let rxUrl = '';
    const { fb } = useCliServer(adapter, { now: NOW, catalog: SCHEDULE_CATALOG_YAML, egressAllow: ['127.0.0.1'], as: 'admin' });
    before(async () => {
      rx = createServer((req, res) => {
        let body = '';
        req.on('data', (c: Buffer) => (body += c.toString('utf8')));
        req.on('end', () => (got.push({ path: req.url ?? '', body }), res.end('ok')));
      });
      await new Promise<void>((resolve) => rx.listen(0, '127.0.0.1', resolve));
      rxUrl = `http://127.0.0.1:${(rx.address() as AddressInfo).port}`;
    });
    after(() => new Promise<void>((resolve) => rx.close(() => resolve())));

    it('adds a method, verifies it with the code sent, and sets a rule on it', async () => {
      const added = await fb(['contact', 'add', 'ana', '--type', 'ntfy', '--url', `${rxUrl}/ntfy/ana`, '--label', 'phone', '--json']);
      assert.equal(added.code, 0, added.stderr);
      const { id } = JSON.parse(added.stdout) as { id: string };
      const code = /\b(\d{6})\b/.exec(got.find((g) => g.path === '/ntfy/ana')?.body ?? '')?.[1];
      assert.ok(code);

      const wrong = await fb(['contact', 'verify', 'ana', id, code === '000000' ? '000001' : '000000']);
      assert.equal(wrong.code, 3);
      assert.equal(wrong.stderr, 'firebreak: The code does not match: <code> is not the one sent; 4 attempts left\n');

      const rulesBefore = await fb(['contact', 'rules', 'ana', '--rule', `${id}=0`]);
      assert.notEqual(rulesBefore.code, 0);
      assert.match(rulesBefore.stderr, /is not verified yet/);

      const ok = await fb(['contact', 'verify', 'ana', id, code]);
      assert.equal(ok.code, 0, ok.stderr);
      assert.equal(ok.stdout, `Verified ntfy method ${id} (${rxUrl.slice(7)}): paging may use it.\n`);

      const rules = await fb(['contact', 'rules', 'ana', '--rule', `${id}=5`]);
      assert.equal(rules.code, 0, rules.stderr);
      assert.match(rules.stdout, new RegExp(`^AFTER +METHOD +TYPE +LABEL +DESTINATION\\n5 min +${id} +ntfy +phone +127\\.0\\.0\\.1:\\d+\\n$`));

      const ls = await fb(['contact', 'ls', 'ana']);
      assert.match(ls.stdout, new RegExp(`${id} +ntfy +phone +127\\.0\\.0\\.1:\\d+ +verified`));
      assert.ok(!ls.stdout.includes('/ntfy/ana'));

      const bad = await fb(['contact', 'rules', 'ana', '--rule', 'nonsense']);
      assert.equal(bad.code, 2);
      assert.equal((await fb(['contact', 'rm', 'ana', id])).code, 0);
      assert.equal((await fb(['contact', 'rules', 'ana'])).stdout, 'No notification rules.\n');
    });
  });
}
