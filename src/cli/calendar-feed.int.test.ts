import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import ICAL from 'ical.js';
import { SCHEDULE_CATALOG_YAML } from '../domain/paging/catalog.fixture.js';
import { adapters } from '../store/test-adapters.js';
import { useCliServer } from './test-server.js';

const NOW = new Date('2026-03-07T12:00:00.000Z');
const ONCE =
  'the URL above is shown only once, and anyone who has it can read the feed: subscribe to it, keep it private, revoke it if it leaks.';

for (const adapter of adapters()) {
  describe(`firebreak calendar-feed against the real API (${adapter.name})`, () => {
    const api = useCliServer(adapter, { now: NOW, catalog: SCHEDULE_CATALOG_YAML });
    const { fb } = api;

    it('creates a feed whose printed URL a calendar app can subscribe to, lists it, and revokes it', async () => {
      const created = await fb(['calendar-feed', 'create', '--schedule', 'payments-primary']);
      assert.equal(created.code, 0, created.stderr);
      const feedUrl = created.stdout.trim();
      assert.match(feedUrl, new RegExp(`^${api.url}/calendar/fbc_[A-Za-z0-9_-]{43}\\.ics$`));
      const id = (await api.store.listCalendarFeeds())[0]!.id;
      assert.equal(created.stderr, `Created calendar feed ${id} of schedule payments-primary; ${ONCE}\n`);

      const res = await fetch(feedUrl);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('content-type'), 'text/calendar; charset=utf-8');
      const calendar = new ICAL.Component(ICAL.parse(await res.text()));
      assert.ok(calendar.getAllSubcomponents('vevent').length > 100);

      const ls = await fb(['calendar-feed', 'ls']);
      assert.equal(ls.code, 0, ls.stderr);
      const [header, row] = ls.stdout.split('\n');
      assert.match(header!, /^ID +KIND +TARGET +CREATED +BY +REVOKED$/);
      assert.match(row!, new RegExp(`^${id} +schedule +payments-primary +${NOW.toISOString()} +token:responder-[0-9a-f]{8} +-$`));
      assert.ok(!ls.stdout.includes(feedUrl.slice(-47)));
      const json = await fb(['calendar-feed', 'ls', '--json']);
      assert.ok(!json.stdout.includes('fbc_'));

      const revoked = await fb(['calendar-feed', 'revoke', id]);
      assert.deepEqual([revoked.code, revoked.stdout, revoked.stderr], [0, `Revoked calendar feed ${id}.\n`, '']);
      assert.equal((await fetch(feedUrl)).status, 404);
      const again = await fb(['calendar-feed', 'revoke', id]);
      assert.deepEqual([again.code, again.stderr], [5, `firebreak: Calendar feed ${id} does not exist or is already revoked\n`]);
    });

    it('creates a person feed, printing JSON with --json', async () => {
      const created = await fb(['calendar-feed', 'create', '--person', 'ana', '--json']);
      assert.equal(created.code, 0, created.stderr);
      const answer = JSON.parse(created.stdout) as { kind: string; target: string; url: string };
      assert.deepEqual([answer.kind, answer.target, created.stderr], ['person', 'ana', '']);
      // --json prints the server's answer: without FIREBREAK_PUBLIC_URL, the path on this server.
      assert.match(answer.url, /^\/calendar\/fbc_[A-Za-z0-9_-]{43}\.ics$/);
      assert.equal((await fetch(`${api.url}${answer.url}`)).status, 200);
    });

    it('says what is wrong in one stderr line with the documented exit code, creating nothing', async () => {
      const before = (await api.store.listCalendarFeeds()).length;
      const neither = await fb(['calendar-feed', 'create']);
      assert.deepEqual([neither.code, neither.stdout, neither.stderr], [2, '', 'firebreak: give --schedule NAME or --person NAME\n']);
      const both = await fb(['calendar-feed', 'create', '--schedule', 'night', '--person', 'ana']);
      assert.deepEqual([both.code, both.stdout], [2, '']);
      assert.equal(both.stderr, "firebreak: option '--schedule <name>' cannot be used with option '--person <name>'\n");
      const schedule = await fb(['calendar-feed', 'create', '--schedule', 'nope']);
      assert.deepEqual(
        [schedule.code, schedule.stdout, schedule.stderr],
        [3, '', 'firebreak: The request is not valid: --schedule no schedule named "nope" in the catalog\n'],
      );
      const person = await fb(['calendar-feed', 'create', '--person', 'zoe']);
      assert.deepEqual(
        [person.code, person.stderr],
        [3, 'firebreak: The request is not valid: --person "zoe" is not a person of the catalog (a team member, a user, or someone a schedule puts on call)\n'],
      );
      const viewer = await fb(['calendar-feed', 'create', '--person', 'ana'], 'viewer');
      assert.deepEqual([viewer.code, viewer.stderr], [4, 'firebreak: This needs the responder role; you have viewer\n']);
      assert.equal((await api.store.listCalendarFeeds()).length, before);
    });
  });
}
