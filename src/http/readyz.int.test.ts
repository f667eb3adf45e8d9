import assert from 'node:assert/strict';
import { once } from 'node:events';
import { connect } from 'node:net';
import { describe, it } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { migrateTo } from '../store/migrations/index.js';
import { adapters } from '../store/test-adapters.js';
import { problemOf, testApp } from './test-app.js';

const PROBLEM_JSON = 'application/problem+json; charset=utf-8';

const unavailable = (code: string, detail: string, found: Record<string, unknown>) => ({
  type: `https://firebreak.dev/problems/${code}`,
  title: 'Service Unavailable',
  status: 503,
  detail,
  code,
  ...found,
});

/**
 * A request in flight (a route that waits for `release`) when the app starts closing, then /readyz sent on
 * the same connection during the drain. Answers the raw text of both responses, read until the server
 * closes the connection.
 */
async function readyzDuringDrain(app: FastifyInstance, entered: Promise<void>, release: () => void, closingSeen: Promise<void>) {
  const { port } = app.server.address() as { port: number };
  const socket = connect(port, '127.0.0.1');
  await once(socket, 'connect');
  let text = '';
  socket.on('data', (b: Buffer) => (text += b.toString()));
  const ended = once(socket, 'close');
  socket.write('GET /slow HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  await entered;
  const closed = app.close();
  await closingSeen;
  // Released once the server has read the second request, so the connection is never idle in between.
  const arrived = new Promise<void>((resolve) => app.server.on('request', (req: { url?: string }) => req.url === '/readyz' && resolve()));
  socket.write('GET /readyz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
  await arrived;
  release();
  await ended;
  await closed;
  return text;
}

for (const adapter of adapters()) {
  describe(`GET /readyz (${adapter.name})`, () => {
    it('answers 200 ready with the migration count on a migrated database, without credentials', async () => {
      let location = '';
      const store = await adapter.create((l) => (location = l));
      const t = await testApp(store);
      try {
        const { latest } = await store.migrationStatus();
        assert.ok(latest >= 9, `${latest} migrations known`);
        const res = await t.call('GET', '/readyz', { as: 'anonymous' });
        assert.equal(res.statusCode, 200, res.body);
        assert.deepEqual(res.json(), { status: 'ready', database: 'ok', migrations: { current: latest, latest } });
        assert.equal(res.headers['cache-control'], 'no-store');
        assert.ok(!res.body.includes(location), 'the answer does not name the database');
      } finally {
        await t.app.close();
        await store.close();
      }
    });

    it('answers 503 naming the migrations not applied, and 200 once they are', async () => {
      const database = await adapter.database();
      const db = database.kysely();
      await migrateTo(db, adapter.name, '0007-maintenances');
      await db.destroy();
      const store = await database.open();
      const t = await testApp(store);
      try {
        const { latest, pending } = await store.migrationStatus();
        assert.deepEqual(pending.slice(0, 2), ['0008-unique-integrations', '0009-read-model']);
        const behind = await t.call('GET', '/readyz', { as: 'anonymous' });
        assert.equal(behind.statusCode, 503, behind.body);
        assert.equal(behind.headers['content-type'], PROBLEM_JSON);
        assert.deepEqual(
          problemOf(behind),
          unavailable('migrations_pending', `${pending.length} migrations are not applied: ${pending.join(', ')}.`, {
            database: 'ok',
            migrations: { current: latest - pending.length, latest },
          }),
        );

        await store.migrate();
        const ready = await t.call('GET', '/readyz', { as: 'anonymous' });
        assert.deepEqual([ready.statusCode, ready.json()], [200, { status: 'ready', database: 'ok', migrations: { current: latest, latest } }]);
      } finally {
        await t.app.close();
        await store.close();
        await database.drop();
      }
    });

    it('answers 503 when the database does not answer (the store closed under the app); /healthz stays 200', async () => {
      const database = await adapter.database();
      const store = await database.open();
      await store.migrate();
      const t = await testApp(store);
      try {
        assert.equal((await t.call('GET', '/readyz', { as: 'anonymous' })).statusCode, 200);
        await store.close();
        const res = await t.call('GET', '/readyz', { as: 'anonymous' });
        assert.equal(res.statusCode, 503, res.body);
        assert.equal(res.headers['content-type'], PROBLEM_JSON);
        assert.deepEqual(problemOf(res), unavailable('database_unavailable', 'The database does not answer.', { database: 'unavailable' }));
        assert.ok(!res.body.includes(database.location), 'the answer does not name the database');
        assert.deepEqual((await t.call('GET', '/healthz', { as: 'anonymous' })).json(), { status: 'ok' });
      } finally {
        await t.app.close().catch(() => undefined);
        await database.drop();
      }
    });

    it('answers 503 shutting down to a request that arrives on an open connection while the server drains', async () => {
      const store = await adapter.create();
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      let enter!: () => void;
      const entered = new Promise<void>((resolve) => (enter = resolve));
      let sawClosing!: () => void;
      const closingSeen = new Promise<void>((resolve) => (sawClosing = resolve));
      const t = await testApp(store, {
        routes: async (app) => {
          app.addHook('preClose', async () => sawClosing());
          app.get('/slow', async () => {
            enter();
            await released;
            return { slow: 'done' };
          });
        },
      });
      try {
        await t.app.listen({ host: '127.0.0.1', port: 0 });
        const text = await readyzDuringDrain(t.app, entered, release, closingSeen);
        const answers = text.split(/(?=HTTP\/1\.1 )/);
        assert.equal(answers.length, 2, text);
        assert.match(answers[0]!, /^HTTP\/1\.1 200 OK\r\n/);
        assert.match(answers[0]!, /\{"slow":"done"\}$/, 'the request in flight was answered');
        assert.match(answers[1]!, /^HTTP\/1\.1 503 Service Unavailable\r\n/);
        assert.match(answers[1]!, /\r\nconnection: close\r\n/i);
        assert.match(answers[1]!, /\r\ncontent-type: application\/problem\+json; charset=utf-8\r\n/i);
        const body = JSON.parse(answers[1]!.slice(answers[1]!.indexOf('\r\n\r\n') + 4)) as Record<string, unknown>;
        assert.deepEqual(problemOf({ json: () => body }), unavailable('shutting_down', 'The server is shutting down.', {}));
      } finally {
        await t.app.close();
        await store.close();
      }
    });
  });
}
