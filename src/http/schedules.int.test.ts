import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCatalogYaml, validateCatalog } from '../domain/catalog/index.js';
import { SCHEDULE_CATALOG_YAML } from '../domain/paging/catalog.fixture.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

// A Saturday: the weekly layer has ana on call (the weekday daytime layer is off).
const NOW = '2026-03-07T12:00:00.000Z';
const WITHOUT_SCHEDULES = SCHEDULE_CATALOG_YAML.split('\n---\n').slice(0, 2).join('\n---\n');

const weekly = (person: string, startAt: string, endAt: string) => ({ person, startAt, endAt, source: { kind: 'layer', layer: 'weekly' } });
const daytime = (person: string, startAt: string, endAt: string) => ({ person, startAt, endAt, source: { kind: 'layer', layer: 'daytime' } });
const SWAP = {
  person: 'kim',
  startAt: '2026-03-10T18:00:00.000Z',
  endAt: '2026-03-11T06:00:00.000Z',
  source: { kind: 'override', id: 'swap-2026-03-10' },
};
const ANA_NOW = weekly('ana', '2026-03-06T16:00:00.000Z', '2026-03-09T08:00:00.000Z');

for (const adapter of adapters()) {
  describe(`on-call schedules over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ clock: { now: () => NOW } }),
    );

    const applyCatalog = async (yaml: string) => {
      const res = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: yaml, headers: { 'content-type': 'application/yaml' } });
      assert.equal(res.statusCode, 200, res.body);
    };
    const get = (url: string) => t.call('GET', url, { as: 'viewer' });
    const ok = async (url: string) => {
      const res = await get(url);
      assert.equal(res.statusCode, 200, res.body);
      return res.json() as Record<string, unknown>;
    };
    /** A refused read answers exactly `expected` and leaves the catalog as it was. */
    const refused = async (url: string, status: number, expected: unknown) => {
      const version = await store.catalogVersion();
      const res = await get(url);
      assert.equal(res.statusCode, status, res.body);
      assert.deepEqual(problemOf(res), expected);
      assert.equal(await store.catalogVersion(), version);
    };

    it('lists every schedule with who is on call now, by the injected clock', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      assert.deepEqual(await ok('/api/v1/schedules'), {
        at: NOW,
        items: [
          { name: 'payments-primary', timeZone: 'Europe/Berlin', layers: ['weekly', 'daytime'], oncallNow: ANA_NOW },
          { name: 'night', timeZone: 'America/New_York', layers: ['nights'], oncallNow: null },
        ],
      });
      assert.equal((await t.call('GET', '/api/v1/schedules', { as: 'anonymous' })).statusCode, 401);
    });

    it('answers one schedule with who is on call now and its gaps in the next 14 days', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const primary = await ok('/api/v1/schedules/payments-primary');
      const catalog = validateCatalog(parseCatalogYaml(SCHEDULE_CATALOG_YAML));
      assert.deepEqual(primary, { ...catalog.schedules[0], oncallNow: ANA_NOW, gaps: [] });
      assert.deepEqual(await ok('/api/v1/schedules/default%2Fpayments-primary'), primary);

      const night = (await ok('/api/v1/schedules/night')) as { oncallNow: unknown; gaps: { startAt: string; endAt: string }[] };
      assert.equal(night.oncallNow, null);
      // 20:00–06:00 New York time: a gap every day 06:00–20:00, an hour earlier in UTC once DST starts early on March 8.
      assert.deepEqual(night.gaps.slice(0, 3), [
        { startAt: NOW, endAt: '2026-03-08T01:00:00.000Z' },
        { startAt: '2026-03-08T10:00:00.000Z', endAt: '2026-03-09T00:00:00.000Z' },
        { startAt: '2026-03-09T10:00:00.000Z', endAt: '2026-03-10T00:00:00.000Z' },
      ]);
      assert.equal(night.gaps.length, 15);
      assert.equal(night.gaps.at(-1)?.endAt, '2026-03-21T12:00:00.000Z');
    });

    it('exposes the coverage of each schedule on /metrics: on call now, and the seconds nobody is in the next 14 days', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const metrics = (await t.call('GET', '/metrics', { as: 'admin' })).body;
      const lines = metrics.split('\n').filter((l) => l.startsWith('firebreak_schedule_'));
      // night: 20:00–06:00 New York covers 9 h the night DST starts and 10 h on each of the 13 nights after
      // within the 14 days from NOW, so nobody is on call 336 − 139 = 197 h.
      assert.deepEqual(lines.sort(), [
        'firebreak_schedule_gap_seconds{schedule="night"} 709200',
        'firebreak_schedule_gap_seconds{schedule="payments-primary"} 0',
        'firebreak_schedule_oncall{schedule="night"} 0',
        'firebreak_schedule_oncall{schedule="payments-primary"} 1',
      ]);
      await applyCatalog(WITHOUT_SCHEDULES);
      const after = (await t.call('GET', '/metrics', { as: 'admin' })).body;
      assert.deepEqual(after.split('\n').filter((l) => l.startsWith('firebreak_schedule_') && !l.startsWith('#')), [], 'a schedule taken out of the catalog leaves no stale series');
    });

    it('answers who is on call at an instant: a layer, the layer on top, an override, and now when not given', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const oncall = (q: string) => ok(`/api/v1/schedules/payments-primary/oncall${q}`);
      assert.deepEqual(await oncall(''), { schedule: 'payments-primary', at: NOW, oncall: ANA_NOW });
      assert.deepEqual(await oncall('?at=2026-03-10T11:00:00%2B01:00'), {
        schedule: 'payments-primary',
        at: '2026-03-10T10:00:00.000Z',
        oncall: daytime('kim', '2026-03-10T08:00:00.000Z', '2026-03-10T16:00:00.000Z'),
      });
      assert.deepEqual(await oncall('?at=2026-03-10T20:00:00Z'), { schedule: 'payments-primary', at: '2026-03-10T20:00:00.000Z', oncall: SWAP });
      assert.deepEqual(await ok('/api/v1/schedules/night/oncall?at=2026-03-10T20:00:00Z'), {
        schedule: 'night',
        at: '2026-03-10T20:00:00.000Z',
        oncall: null,
      });
    });

    it('answers the final shifts of a window, a week from now when not given', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      assert.deepEqual(await ok('/api/v1/schedules/payments-primary/shifts?from=2026-03-09T00:00:00Z&to=2026-03-11T12:00:00Z'), {
        schedule: 'payments-primary',
        from: '2026-03-09T00:00:00.000Z',
        to: '2026-03-11T12:00:00.000Z',
        items: [
          weekly('ana', '2026-03-09T00:00:00.000Z', '2026-03-09T08:00:00.000Z'),
          daytime('kim', '2026-03-09T08:00:00.000Z', '2026-03-09T16:00:00.000Z'),
          weekly('li', '2026-03-09T16:00:00.000Z', '2026-03-10T08:00:00.000Z'),
          daytime('kim', '2026-03-10T08:00:00.000Z', '2026-03-10T16:00:00.000Z'),
          weekly('li', '2026-03-10T16:00:00.000Z', '2026-03-10T18:00:00.000Z'),
          SWAP,
          weekly('li', '2026-03-11T06:00:00.000Z', '2026-03-11T08:00:00.000Z'),
          daytime('kim', '2026-03-11T08:00:00.000Z', '2026-03-11T12:00:00.000Z'),
        ],
      });
      const week = (await ok('/api/v1/schedules/payments-primary/shifts')) as { from: string; to: string; items: { startAt: string }[] };
      assert.deepEqual([week.from, week.to, week.items[0]], [NOW, '2026-03-14T12:00:00.000Z', { ...ANA_NOW, startAt: NOW }]);
      const quarter = await ok('/api/v1/schedules/night/shifts?from=2026-01-01T00:00:00Z&to=2026-04-04T00:00:00Z');
      assert.equal(quarter.to, '2026-04-04T00:00:00.000Z');
    });

    it('refuses an unknown schedule (404), a bad instant, window or name, and unknown query fields (400), exactly', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const none = problem(404, 'not_found', 'No schedule named "nope" in the catalog.');
      await refused('/api/v1/schedules/nope', 404, none);
      await refused('/api/v1/schedules/nope/oncall', 404, none);
      await refused('/api/v1/schedules/nope/shifts', 404, none);
      const iso = 'must be an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z';
      await refused('/api/v1/schedules/payments-primary/oncall?at=tomorrow', 400, invalidRequest([{ path: 'query.at', message: iso }]));
      await refused('/api/v1/schedules/payments-primary/oncall?at=2026-02-30T09:00:00Z', 400, invalidRequest([{ path: 'query.at', message: iso }]));
      await refused('/api/v1/schedules/payments-primary/oncall?when=now', 400, invalidRequest([{ path: 'query.when', message: 'is not allowed' }]));
      await refused('/api/v1/schedules?limit=1', 400, invalidRequest([{ path: 'query.limit', message: 'is not allowed' }]));
      await refused(
        '/api/v1/schedules/payments-primary/shifts?from=2026-01-01T00:00:00Z&to=2026-04-04T00:00:01Z',
        400,
        invalidRequest([{ path: 'query.to', message: 'must be at most 93 days after from' }]),
      );
      await refused(
        '/api/v1/schedules/payments-primary/shifts?from=2026-03-02T00:00:00Z&to=2026-03-01T00:00:00Z',
        400,
        invalidRequest([{ path: 'query.to', message: 'must not be before from' }]),
      );
      await refused(
        '/api/v1/schedules/no%20such',
        400,
        invalidRequest([{ path: 'params.name', message: 'must be a schedule name or namespace/name: letters and digits, in runs separated by - _ or .' }]),
      );
      await refused(
        `/api/v1/schedules/${'a'.repeat(128)}`,
        400,
        invalidRequest([{ path: 'params.name', message: 'must be at most 127 characters' }]),
      );
    });

    it('still works with a catalog that has no schedules, applied now or stored before schedules existed', async () => {
      await applyCatalog(WITHOUT_SCHEDULES);
      assert.deepEqual(await ok('/api/v1/schedules'), { at: NOW, items: [] });
      await refused('/api/v1/schedules/payments-primary', 404, problem(404, 'not_found', 'No schedule named "payments-primary" in the catalog.'));

      const { schedules: _, ...old } = validateCatalog(parseCatalogYaml(WITHOUT_SCHEDULES));
      await store.transaction((tx) => tx.saveCatalog(old as never, 'admin', NOW));
      const stored = await store.currentCatalog();
      assert.equal(Object.hasOwn(stored?.catalog ?? {}, 'schedules'), false);
      assert.deepEqual(await ok('/api/v1/schedules'), { at: NOW, items: [] });
      assert.equal((await ok('/api/v1/teams') as { items: unknown[] }).items.length, 1);
      assert.equal((await ok('/api/v1/catalog')).services, 1);
    });

    it('lists the schedule routes in the OpenAPI document', async () => {
      const spec = (await ok('/api/v1/openapi.json')) as { paths: Record<string, { get?: { parameters?: { name: string; in: string }[] } }> };
      for (const path of ['/api/v1/schedules', '/api/v1/schedules/{name}', '/api/v1/schedules/{name}/oncall', '/api/v1/schedules/{name}/shifts']) {
        assert.ok(spec.paths[path]?.get, path);
      }
      const params = (path: string) => spec.paths[path]?.get?.parameters?.map((p) => `${p.in}:${p.name}`);
      assert.deepEqual(params('/api/v1/schedules/{name}/oncall'), ['query:at', 'path:name']);
      assert.deepEqual(params('/api/v1/schedules/{name}/shifts'), ['query:from', 'query:to', 'path:name']);
    });
  });
}
