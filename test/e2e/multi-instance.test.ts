import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adapters } from '../../src/store/test-adapters.js';
import { startServerProcess, type ServerProcess } from './server.js';

const postgres = adapters().find((a) => a.name === 'postgres');

// Two identical server processes on one PostgreSQL database, as in docs/OPERATIONS.md.
describe('two instances on one PostgreSQL database', { skip: postgres ? false : 'no PostgreSQL reachable' }, () => {
  let servers: ServerProcess[] = [];
  let drop: () => Promise<void> = async () => {};
  const token = `e2e-multi-${Date.now()}-0123456789abcdef`;

  before(async () => {
    const db = await postgres!.database();
    drop = () => db.drop();
    const env = { DATABASE_URL: db.location, FIREBREAK_ADMIN_TOKEN: token };
    // Start one first so migrations run once, then a second that finds them applied.
    servers = [await startServerProcess(env)];
    servers.push(await startServerProcess(env));
  });

  after(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await drop();
  });

  const call = (i: number, method: string, path: string, body?: unknown, headers: Record<string, string> = {}) =>
    fetch(servers[i % servers.length]!.url + path, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  test('30 concurrent declarations across both get 30 distinct, gap-free numbers', async () => {
    const answers = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        call(i, 'POST', '/api/v1/incidents', { title: `Concurrent ${i}`, impact: 'Users see errors' }),
      ),
    );
    assert.deepEqual(answers.map((r) => r.status), Array(30).fill(201));
    const numbers = await Promise.all(answers.map(async (r) => ((await r.json()) as { number: number }).number));
    assert.deepEqual([...numbers].sort((a, b) => a - b), Array.from({ length: 30 }, (_, i) => i + 1));
  });

  test('concurrent writes with the same If-Match have exactly one winner', async () => {
    const declared = await call(0, 'POST', '/api/v1/incidents', { title: 'Race', impact: 'Search is slow' });
    const { number, version } = (await declared.json()) as { number: number; version: number };
    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        call(i, 'POST', `/api/v1/incidents/${number}/notes`, { body: `writer ${i}` }, { 'if-match': String(version) }),
      ),
    );
    const statuses = answers.map((r) => r.status).sort();
    assert.deepEqual(statuses, [200, ...Array(11).fill(409)]);
    const losers = await Promise.all(answers.filter((r) => r.status === 409).map((r) => r.json()));
    for (const p of losers as { code: string; currentVersion: number }[]) {
      assert.equal(p.code, 'conflict');
      assert.equal(p.currentVersion, version + 1);
    }
    const after = (await (await call(1, 'GET', `/api/v1/incidents/${number}`)).json()) as { version: number; noteCount: number };
    assert.equal(after.version, version + 1);
    assert.equal(after.noteCount, 1);
  });

  test('without If-Match, concurrent writes on both instances all land, none lost', async () => {
    const declared = await call(0, 'POST', '/api/v1/incidents', { title: 'Busy', impact: 'Login is slow' });
    const { number, version } = (await declared.json()) as { number: number; version: number };
    const answers = await Promise.all(
      Array.from({ length: 20 }, (_, i) => call(i, 'POST', `/api/v1/incidents/${number}/notes`, { body: `note ${i}` })),
    );
    assert.deepEqual(answers.map((r) => r.status), Array(20).fill(200));
    const after = (await (await call(1, 'GET', `/api/v1/incidents/${number}`)).json()) as { version: number; noteCount: number };
    assert.equal(after.version, version + 20);
    assert.equal(after.noteCount, 20);
  });
});
