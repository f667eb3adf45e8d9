import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { pino } from 'pino';
import { parseCatalogYaml, validateCatalog } from '../domain/catalog/index.js';
import { SCHEDULE_CATALOG_YAML } from '../domain/paging/catalog.fixture.js';
import { shiftUid } from '../domain/paging/ics.js';
import { finalShifts } from '../domain/paging/schedule.js';
import type { Schedule, Shift } from '../domain/paging/types.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, useTestApp, type TestApp } from './test-app.js';

// A Saturday; feeds list 00:00 UTC thirty days before its day until 00:00 UTC 181 days after it.
const NOW = '2026-03-07T12:00:00.000Z';
const FROM = '2026-02-05T00:00:00.000Z';
const TO = '2026-09-04T00:00:00.000Z';
const COVER = `  overrides:
    - id: cover-2026-04-01
      person: sam
      startAt: 2026-04-01T00:00:00Z
      endAt: 2026-04-02T00:00:00Z
    - id: swap-2026-03-10`;
const WITH_COVER = SCHEDULE_CATALOG_YAML.replace('  overrides:\n    - id: swap-2026-03-10', COVER);
const NO_FEED = problem(404, 'not_found', 'There is no such calendar feed.');

const schedulesOf = (yaml: string): Schedule[] => validateCatalog(parseCatalogYaml(yaml)).schedules;
const scheduleOf = (yaml: string, name: string) => schedulesOf(yaml).find((s) => s.name === name)!;
const sourceText = (s: Shift) => (s.source.kind === 'layer' ? `Layer: ${s.source.layer}` : `Override: ${s.source.id}`);

/** A feed as a calendar app reads it: its name and every event, times as UTC instants. */
function events(ics: string) {
  const calendar = new ICAL.Component(ICAL.parse(ics));
  return calendar.getAllSubcomponents('vevent').map((c) => {
    const e = new ICAL.Event(c);
    return {
      uid: e.uid,
      summary: e.summary,
      description: e.description,
      startAt: e.startDate.toJSDate().toISOString(),
      endAt: e.endDate.toJSDate().toISOString(),
    };
  });
}

for (const adapter of adapters()) {
  describe(`calendar feeds over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    const logged: string[] = [];
    const log = pino(
      { level: 'trace' },
      new Writable({
        write(chunk: Buffer, _enc, done) {
          logged.push(chunk.toString());
          done();
        },
      }),
    );
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ clock: { now: () => NOW }, log }),
    );

    const applyCatalog = async (yaml: string) => {
      const res = await t.call('PUT', '/api/v1/catalog', { as: 'admin', body: yaml, headers: { 'content-type': 'application/yaml' } });
      assert.equal(res.statusCode, 200, res.body);
    };
    const create = async (body: object) => {
      const res = await t.call('POST', '/api/v1/calendar-feeds', { body });
      assert.equal(res.statusCode, 201, res.body);
      const created = res.json() as { id: string; url: string; createdBy: string };
      // The secret URL is never built from the request's Host: without FIREBREAK_PUBLIC_URL it is a path.
      assert.match(created.url, /^\/calendar\/fbc_[A-Za-z0-9_-]{43}\.ics$/);
      const url = new URL(created.url, 'http://any.invalid');
      return { ...created, path: url.pathname, secret: url.pathname.slice('/calendar/'.length, -'.ics'.length) };
    };
    const fetchFeed = async (path: string, headers: Record<string, string> = {}) => {
      const res = await t.call('GET', path, { as: 'anonymous', headers });
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'text/calendar; charset=utf-8');
      assert.equal(res.headers['cache-control'], 'private, max-age=300');
      assert.match(String(res.headers.etag), /^"[0-9a-f]{32}"$/);
      return res;
    };
    /** A refused management call answers exactly `expected` and writes no feed. */
    const refused = async (method: 'POST' | 'GET' | 'DELETE', url: string, as: 'responder' | 'viewer' | 'anonymous', body: unknown, status: number, expected: unknown) => {
      const before = (await store.listCalendarFeeds()).length;
      const res = await t.call(method, url, { as, ...(body !== undefined && { body }) });
      assert.equal(res.statusCode, status, res.body);
      assert.deepEqual(problemOf(res), expected);
      assert.equal((await store.listCalendarFeeds()).length, before);
    };
    const expectedSchedule = (schedule: Schedule) =>
      finalShifts(schedule, FROM, TO).map((s) => ({
        uid: shiftUid(schedule.name, s.person, s.startAt),
        summary: `On call: ${s.person}`,
        description: sourceText(s),
        startAt: s.startAt,
        endAt: s.endAt,
      }));

    it("serves a schedule's final shifts of the window under a secret URL, the same text and UIDs on every fetch", async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const created = await create({ kind: 'schedule', target: 'default/payments-primary' });
      assert.deepEqual(
        { ...created, createdBy: created.createdBy.replace(/-[0-9a-f]{8}$/, '') },
        { ...created, kind: 'schedule', target: 'payments-primary', createdBy: 'token:responder', createdAt: NOW, revokedAt: null },
      );
      const [stored] = await store.listCalendarFeeds();
      assert.equal(stored?.secretHash, createHash('sha256').update(created.secret).digest('hex'));

      const first = await fetchFeed(created.path);
      const expected = expectedSchedule(scheduleOf(SCHEDULE_CATALOG_YAML, 'payments-primary'));
      assert.ok(expected.length > 100, `${expected.length} shifts`);
      assert.deepEqual(events(first.body), expected);
      assert.equal(expected[0]?.startAt, FROM);
      assert.equal(expected.at(-1)?.endAt, TO);
      assert.ok(expected.some((e) => e.description === 'Override: swap-2026-03-10'));
      assert.match(first.body, /\r\nX-WR-CALNAME:On call: payments-primary\r\n/);

      const second = await fetchFeed(created.path);
      assert.equal(second.body, first.body);
      assert.equal(second.headers.etag, first.headers.etag);
      assert.deepEqual(events(second.body).map((e) => e.uid), expected.map((e) => e.uid));
      const unchanged = await t.call('GET', created.path, { as: 'anonymous', headers: { 'if-none-match': String(first.headers.etag) } });
      assert.deepEqual([unchanged.statusCode, unchanged.body, unchanged.headers.etag], [304, '', first.headers.etag]);
    });

    it("serves a person's shifts across two schedules, each named after its schedule", async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const created = await create({ kind: 'person', target: 'ana' });
      const expected = schedulesOf(SCHEDULE_CATALOG_YAML)
        .flatMap((s) =>
          finalShifts(s, FROM, TO)
            .filter((shift) => shift.person === 'ana')
            .map((shift) => ({
              uid: shiftUid(s.name, 'ana', shift.startAt),
              summary: `On call: ${s.name}`,
              description: sourceText(shift),
              startAt: shift.startAt,
              endAt: shift.endAt,
            })),
        )
        .sort((a, b) => (a.startAt < b.startAt ? -1 : a.startAt > b.startAt ? 1 : 0));
      const got = events((await fetchFeed(created.path)).body);
      assert.deepEqual(got, expected);
      assert.deepEqual(new Set(got.map((e) => e.summary)), new Set(['On call: payments-primary', 'On call: night']));
    });

    it('shows an override added to the catalog on the next fetch, keeping the other UIDs', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const created = await create({ kind: 'schedule', target: 'payments-primary' });
      const before = await fetchFeed(created.path);
      await applyCatalog(WITH_COVER);
      const after = await fetchFeed(created.path);
      assert.notEqual(after.headers.etag, before.headers.etag);
      const got = events(after.body);
      assert.deepEqual(got, expectedSchedule(scheduleOf(WITH_COVER, 'payments-primary')));
      assert.deepEqual(
        got.find((e) => e.description === 'Override: cover-2026-04-01'),
        {
          uid: shiftUid('payments-primary', 'sam', '2026-04-01T00:00:00.000Z'),
          summary: 'On call: sam',
          description: 'Override: cover-2026-04-01',
          startAt: '2026-04-01T00:00:00.000Z',
          endAt: '2026-04-02T00:00:00.000Z',
        },
      );
      const untouched = events(before.body).filter((e) => e.endAt <= '2026-03-31T00:00:00.000Z');
      assert.deepEqual(got.slice(0, untouched.length), untouched);
    });

    it('never takes the origin of a secret URL from the request: a spoofed Host and X-Forwarded-Host change nothing', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const res = await t.call('POST', '/api/v1/calendar-feeds', {
        body: { kind: 'schedule', target: 'night' },
        headers: { host: 'evil.example', 'x-forwarded-host': 'evil.example', 'x-forwarded-proto': 'https' },
      });
      assert.equal(res.statusCode, 201, res.body);
      assert.match((res.json() as { url: string }).url, /^\/calendar\/fbc_[A-Za-z0-9_-]{43}\.ics$/);
    });

    it('answers the same 404 for a revoked, an unknown and a malformed secret', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const created = await create({ kind: 'person', target: 'kim' });
      await fetchFeed(created.path);
      const revoked = await t.call('DELETE', `/api/v1/calendar-feeds/${created.id}`);
      assert.deepEqual([revoked.statusCode, revoked.body], [204, '']);
      const unknown = `/calendar/fbc_${'A'.repeat(43)}.ics`;
      for (const path of [created.path, unknown, `/calendar/${created.secret}`, '/calendar/nope.ics', `/calendar/${created.secret}.ICS`]) {
        const res = await t.call('GET', path, { as: 'anonymous' });
        assert.equal(res.statusCode, 404, path);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.deepEqual(problemOf(res), NO_FEED, path);
      }
      const [listed] = ((await t.call('GET', '/api/v1/calendar-feeds')).json() as { items: { id: string; revokedAt: string | null }[] }).items;
      assert.deepEqual([listed?.id, listed?.revokedAt], [created.id, NOW]);
      await refused('DELETE', `/api/v1/calendar-feeds/${created.id}`, 'responder', undefined, 404, problem(404, 'not_found', `Calendar feed ${created.id} does not exist or is already revoked.`));
      const deeper = await t.call('GET', `${created.path}/more`, { as: 'anonymous' });
      assert.equal(deeper.statusCode, 404);
      assert.equal(deeper.headers['content-type'], 'application/problem+json; charset=utf-8');
    });

    it('lists feeds newest first without their secrets or URLs', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const a = await create({ kind: 'schedule', target: 'night' });
      const b = await create({ kind: 'person', target: 'li' });
      const res = await t.call('GET', '/api/v1/calendar-feeds');
      assert.equal(res.statusCode, 200, res.body);
      const { items } = res.json() as { items: Record<string, unknown>[] };
      const mine = items.filter((i) => i.id === a.id || i.id === b.id);
      assert.deepEqual(
        mine.map((i) => Object.keys(i).sort()),
        [0, 1].map(() => ['createdAt', 'createdBy', 'id', 'kind', 'revokedAt', 'target']),
      );
      assert.deepEqual(new Set(mine.map((i) => `${String(i.kind)}:${String(i.target)}`)), new Set(['schedule:night', 'person:li']));
      for (const secret of [a.secret, b.secret]) {
        assert.ok(!res.body.includes(secret));
        assert.ok(!res.body.includes(createHash('sha256').update(secret).digest('hex')));
      }
      assert.equal((await t.call('GET', '/api/v1/calendar-feeds', { as: 'viewer' })).statusCode, 403);
    });

    it('refuses an unknown schedule or person, a bad kind, unknown or missing fields, exactly, writing nothing', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const post = (body: unknown, expected: unknown) => refused('POST', '/api/v1/calendar-feeds', 'responder', body, 400, expected);
      await post({ kind: 'schedule', target: 'nope' }, invalidRequest([{ path: 'body.target', message: 'no schedule named "nope" in the catalog' }]));
      await post(
        { kind: 'person', target: 'zoe' },
        invalidRequest([{ path: 'body.target', message: '"zoe" is not a person of the catalog (a team member, a user, or someone a schedule puts on call)' }]),
      );
      await post({ kind: 'team', target: 'payments' }, invalidRequest([{ path: 'body.kind', message: 'must be one of schedule, person' }]));
      await post({ kind: 'schedule', target: 'night', url: 'x' }, invalidRequest([{ path: 'body.url', message: 'is not allowed' }]));
      await post({ kind: 'schedule' }, invalidRequest([{ path: 'body.target', message: 'is required' }]));
      await post({ kind: 'schedule', target: '' }, invalidRequest([{ path: 'body.target', message: 'must not be empty' }]));
    });

    it('lets neither a viewer nor an anonymous caller create, list or revoke feeds', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const created = await create({ kind: 'schedule', target: 'night' });
      const body = { kind: 'schedule', target: 'night' };
      await refused('POST', '/api/v1/calendar-feeds', 'viewer', body, 403, problem(403, 'forbidden', 'This needs the responder role; you have viewer.'));
      await refused('POST', '/api/v1/calendar-feeds', 'anonymous', body, 401, problem(401, 'unauthorized', 'Sign in or send a valid bearer token.'));
      await refused('DELETE', `/api/v1/calendar-feeds/${created.id}`, 'viewer', undefined, 403, problem(403, 'forbidden', 'This needs the responder role; you have viewer.'));
      assert.equal((await store.listCalendarFeeds()).find((f) => f.id === created.id)?.revokedAt, null);
    });

    it('never writes a secret to the log', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const created = await create({ kind: 'schedule', target: 'night' });
      await fetchFeed(created.path);
      await t.call('GET', `${created.path}?x=1`, { as: 'anonymous' });
      await t.call('GET', `${created.path}/more`, { as: 'anonymous' });
      await t.call('DELETE', `/api/v1/calendar-feeds/${created.id}`);
      await t.call('GET', created.path, { as: 'anonymous' });
      const lines = logged.join('');
      assert.ok(lines.includes('"route":"/calendar/:file"'), 'the feed requests are logged, by route');
      assert.ok(lines.includes(created.id));
      assert.ok(!lines.includes(created.secret), 'the secret is in the log');
    });
  });
}
