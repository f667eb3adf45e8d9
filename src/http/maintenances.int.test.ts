import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Change, Store } from '../service/ports.js';
import { statusCatalogYaml } from '../domain/status/catalog.fixture.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

const CATALOG = statusCatalogYaml();

const T0 = Date.parse('2026-03-01T12:00:00.000Z');
const at = (hours: number) => new Date(T0 + hours * 3_600_000).toISOString();

for (const adapter of adapters()) {
  describe(`scheduled maintenances over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let now = T0;
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ clock: { now: () => new Date(now).toISOString() } }),
    );

    const everything = () => store.listMaintenances({ includeCancelled: true, limit: 10_000 });
    const applyCatalog = async () => {
      const res = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: CATALOG, headers: { 'content-type': 'application/yaml' } });
      assert.equal(res.statusCode, 200, res.body);
    };
    const valid = (extra: Record<string, unknown> = {}) => ({
      title: 'Database upgrade',
      body: 'Checkout may be slow for a few minutes.',
      components: ['checkout'],
      startsAt: at(2),
      endsAt: at(4),
      ...extra,
    });
    const schedule = async (extra: Record<string, unknown> = {}) => {
      const res = await t.call('POST', '/api/v1/maintenances', { body: valid(extra) });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; status: string; cancelledAt: string | null };
    };
    const ids = async (query = '') => {
      const res = await t.call('GET', `/api/v1/maintenances${query}`, { as: 'viewer' });
      assert.equal(res.statusCode, 200, res.body);
      return (res.json() as { items: { id: string }[] }).items.map((m) => m.id);
    };

    it('schedules a maintenance (201), answers it with its status, and a viewer reads it back', async () => {
      now = T0;
      await applyCatalog();
      const res = await t.call('POST', '/api/v1/maintenances', {
        body: valid({ components: ['default/checkout', 'search'], startsAt: '2026-03-01T15:00:00+01:00' }),
      });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json() as Record<string, unknown>;
      assert.match(String(created.id), /^t[0-9a-f]+-\d+$/);
      assert.match(String(created.createdBy), /^token:responder-/);
      assert.deepEqual(created, {
        id: created.id,
        title: 'Database upgrade',
        body: 'Checkout may be slow for a few minutes.',
        components: ['checkout', 'search'],
        startsAt: at(2),
        endsAt: at(4),
        createdAt: at(0),
        createdBy: created.createdBy,
        cancelledAt: null,
        status: 'scheduled',
      });
      const got = await t.call('GET', `/api/v1/maintenances/${String(created.id)}`, { as: 'viewer' });
      assert.equal(got.statusCode, 200);
      assert.deepEqual(got.json(), created);
    });

    it('lists by status as the clock moves: scheduled, in progress, completed (newest first)', async () => {
      now = T0;
      const early = await schedule({ title: 'Early', startsAt: at(1), endsAt: at(2) });
      const late = await schedule({ title: 'Late', startsAt: at(3), endsAt: at(5) });
      const mine = new Set([early.id, late.id]);
      const only = async (q: string) => (await ids(q)).filter((id) => mine.has(id));

      assert.deepEqual(await only('?state=scheduled'), [early.id, late.id]);
      assert.deepEqual(await only('?state=in_progress'), []);
      now = Date.parse(at(1));
      assert.deepEqual(await only('?state=scheduled'), [late.id]);
      assert.deepEqual(await only('?state=in_progress'), [early.id]);
      const one = await t.call('GET', `/api/v1/maintenances/${early.id}`, { as: 'viewer' });
      assert.equal((one.json() as { status: string }).status, 'in_progress');
      now = Date.parse(at(2));
      assert.deepEqual(await only('?state=in_progress'), []);
      assert.deepEqual(await only('?state=completed'), [early.id]);
      now = Date.parse(at(6));
      assert.deepEqual(await only('?state=completed'), [late.id, early.id]);
      assert.deepEqual(await only(''), [early.id, late.id]);
      now = T0;
    });

    it('cancels one (200 with the record): it leaves the lists, reads back cancelled, and a second cancel answers the same', async () => {
      now = T0;
      const m = await schedule();
      const res = await t.call('DELETE', `/api/v1/maintenances/${m.id}`);
      assert.equal(res.statusCode, 200, res.body);
      const cancelled = res.json() as Record<string, unknown>;
      assert.equal(cancelled.cancelledAt, at(0));
      assert.equal(cancelled.status, 'scheduled');
      assert.ok(!(await ids()).includes(m.id));
      assert.ok(!(await ids('?state=scheduled')).includes(m.id));
      assert.deepEqual((await t.call('GET', `/api/v1/maintenances/${m.id}`, { as: 'viewer' })).json(), cancelled);

      now = Date.parse(at(1));
      const again = await t.call('DELETE', `/api/v1/maintenances/${m.id}`);
      assert.equal(again.statusCode, 200);
      assert.deepEqual(again.json(), cancelled);
      now = T0;
    });

    it('cancels one in progress, refuses a completed one (409) and an unknown one (404), changing nothing', async () => {
      now = T0;
      const running = await schedule({ startsAt: at(0), endsAt: at(1) });
      const done = await schedule({ startsAt: at(0), endsAt: at(1) });
      now = Date.parse(at(0.5));
      assert.equal((await t.call('DELETE', `/api/v1/maintenances/${running.id}`)).statusCode, 200);
      now = Date.parse(at(1));
      const before = await everything();
      const ended = await t.call('DELETE', `/api/v1/maintenances/${done.id}`);
      assert.equal(ended.statusCode, 409);
      assert.deepEqual(
        problemOf(ended),
        problem(409, 'conflict', `Maintenance ${done.id} ended at ${at(1)}; a completed maintenance cannot be cancelled.`),
      );
      const unknown = await t.call('DELETE', '/api/v1/maintenances/nope');
      assert.equal(unknown.statusCode, 404);
      assert.deepEqual(problemOf(unknown), problem(404, 'not_found', 'There is no maintenance nope.'));
      const missing = await t.call('GET', '/api/v1/maintenances/nope', { as: 'viewer' });
      assert.deepEqual(problemOf(missing), problem(404, 'not_found', 'There is no maintenance nope.'));
      assert.deepEqual(await everything(), before);
      now = T0;
    });

    it('takes responders and admins only: a viewer may read but neither schedule nor cancel', async () => {
      now = T0;
      const m = await schedule();
      assert.equal((await t.call('POST', '/api/v1/maintenances', { as: 'admin', body: valid() })).statusCode, 201);
      const before = await everything();
      const post = await t.call('POST', '/api/v1/maintenances', { as: 'viewer', body: valid() });
      assert.equal(post.statusCode, 403);
      assert.deepEqual(problemOf(post), problem(403, 'forbidden', 'This needs the responder role; you have viewer.'));
      const del = await t.call('DELETE', `/api/v1/maintenances/${m.id}`, { as: 'viewer' });
      assert.deepEqual(problemOf(del), problem(403, 'forbidden', 'This needs the responder role; you have viewer.'));
      const anonymous = await t.call('GET', '/api/v1/maintenances', { as: 'anonymous' });
      assert.equal(anonymous.statusCode, 401);
      assert.deepEqual(await everything(), before);
    });

    it('publishes a maintenances change on schedule and on cancel', async () => {
      now = T0;
      const heard: Change[] = [];
      const stop = store.onChange((c) => heard.push(c));
      const waitFor = async (n: number) => {
        for (let i = 0; i < 500 && heard.filter((c) => c.kind === 'maintenances').length < n; i++) {
          await new Promise((r) => setImmediate(r));
          if (adapter.name === 'postgres') await new Promise((r) => setTimeout(r, 10));
        }
        return heard.filter((c) => c.kind === 'maintenances').length;
      };
      try {
        const m = await schedule();
        assert.equal(await waitFor(1), 1);
        await t.call('DELETE', `/api/v1/maintenances/${m.id}`);
        assert.equal(await waitFor(2), 2);
      } finally {
        stop();
      }
    });

    describe('refuses bad input with every broken rule, storing nothing', () => {
      const refused = async (body: unknown, errors: { path: string; message: string }[]) => {
        now = T0;
        const before = await everything();
        const res = await t.call('POST', '/api/v1/maintenances', { body });
        assert.equal(res.statusCode, 400, res.body);
        assert.deepEqual(problemOf(res), invalidRequest(errors));
        assert.deepEqual(await everything(), before);
      };

      it('unknown fields, missing fields, an empty component list', async () => {
        await refused({ ...valid(), severity: 'SEV1' }, [{ path: 'body.severity', message: 'is not allowed' }]);
        await refused({ title: 'x', components: [] }, [
          { path: 'body.startsAt', message: 'is required' },
          { path: 'body.endsAt', message: 'is required' },
          { path: 'body.components', message: 'must have at least 1 item' },
        ]);
      });

      it('over-long and blank texts', async () => {
        await refused(valid({ title: 'x'.repeat(201), body: 'y'.repeat(10_001) }), [
          { path: 'body.title', message: 'must be at most 200 characters' },
          { path: 'body.body', message: 'must be at most 10000 characters' },
        ]);
        await refused(valid({ title: '   ' }), [{ path: 'body.title', message: 'must not be empty' }]);
      });

      it('components that are unknown, not public, or repeated, each by its index', async () => {
        await refused(valid({ components: ['checkout', 'payments', 'ledger', 'checkout'] }), [
          { path: 'body.components[1]', message: 'payments is not a service of the catalog' },
          { path: 'body.components[2]', message: 'ledger is not on the status page (its catalog entry lacks public: true)' },
          { path: 'body.components[3]', message: 'checkout is listed twice' },
        ]);
        await refused(valid({ components: Array.from({ length: 51 }, (_, i) => `svc-${i}`) }), [
          { path: 'body.components', message: 'must have at most 50 items' },
        ]);
      });

      it('times without an offset, an end not after the start, too long, or already past', async () => {
        const format = 'must be an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z';
        await refused(valid({ startsAt: '2026-03-01T14:00:00', endsAt: '2026-02-30T10:00:00Z' }), [
          { path: 'body.startsAt', message: format },
          { path: 'body.endsAt', message: format },
        ]);
        await refused(valid({ startsAt: at(4), endsAt: at(4) }), [{ path: 'body.endsAt', message: 'must be after startsAt' }]);
        await refused(valid({ startsAt: at(2), endsAt: at(2 + 31 * 24 + 1) }), [
          { path: 'body.endsAt', message: 'must be at most 31 days after startsAt' },
        ]);
        await refused(valid({ startsAt: at(-3), endsAt: at(0) }), [{ path: 'body.endsAt', message: 'must be in the future' }]);
      });

      it('a state that is not a status', async () => {
        const res = await t.call('GET', '/api/v1/maintenances?state=cancelled', { as: 'viewer' });
        assert.deepEqual(problemOf(res), invalidRequest([{ path: 'query.state', message: 'must be one of scheduled, in_progress, completed' }]));
      });
    });
  });
}
