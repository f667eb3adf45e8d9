import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createClient } from '../client/index.js';
import { SCHEDULE_CATALOG_YAML } from '../domain/paging/catalog.fixture.js';
import { adapters } from '../store/test-adapters.js';
import { useCliServer } from './test-server.js';

// The server and the CLI share one fixed clock, a Saturday: `--at +3d` is Tuesday 12:00 UTC on both sides.
const NOW = new Date('2026-03-07T12:00:00.000Z');

for (const adapter of adapters()) {
  describe(`firebreak oncall against the real API (${adapter.name})`, () => {
    const api = useCliServer(adapter, { now: NOW, as: 'viewer' });
    const { fb, applyCatalog } = api;

    it('lists every schedule with who is on call now, or at --at', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const now = await fb(['oncall']);
      assert.equal(now.code, 0, now.stderr);
      assert.deepEqual(now.stdout.split('\n'), [
        'SCHEDULE          ON CALL  FROM                      UNTIL                     SOURCE',
        'payments-primary  ana      2026-03-06T16:00:00.000Z  2026-03-09T08:00:00.000Z  layer weekly',
        'night             -        -                         -                         -',
        '',
      ]);
      assert.equal(now.stderr, '');

      const later = await fb(['oncall', '--at', '+3d8h']);
      assert.equal(later.code, 0, later.stderr);
      assert.deepEqual(later.stdout.split('\n'), [
        'SCHEDULE          ON CALL  FROM                      UNTIL                     SOURCE',
        'payments-primary  kim      2026-03-10T18:00:00.000Z  2026-03-11T06:00:00.000Z  override swap-2026-03-10',
        'night             -        -                         -                         -',
        '',
      ]);
      const json = await fb(['oncall', '--at', '2026-03-10T11:00:00+01:00', '--json']);
      assert.equal(json.code, 0, json.stderr);
      const answer = JSON.parse(json.stdout) as { at: string; items: { schedule: string; at: string; oncall: { person: string } | null }[] };
      assert.deepEqual(
        [answer.at, answer.items.map((i) => [i.schedule, i.at, i.oncall?.person ?? null])],
        ['2026-03-10T10:00:00.000Z', [['payments-primary', '2026-03-10T10:00:00.000Z', 'kim'], ['night', '2026-03-10T10:00:00.000Z', null]]],
      );
    });

    it('answers one schedule in a sentence, or as JSON', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const one = await fb(['oncall', 'payments-primary']);
      assert.equal(one.code, 0, one.stderr);
      assert.equal(one.stdout, 'ana is on call for payments-primary from 2026-03-06T16:00:00.000Z until 2026-03-09T08:00:00.000Z (layer weekly).\n');
      const nobody = await fb(['oncall', 'night', '--at', '2026-03-10T20:00:00Z']);
      assert.equal(nobody.code, 0, nobody.stderr);
      assert.equal(nobody.stdout, 'Nobody is on call for night at 2026-03-10T20:00:00.000Z.\n');
      const json = await fb(['oncall', 'payments-primary', '--at', '+3d', '--json']);
      assert.deepEqual(JSON.parse(json.stdout), {
        schedule: 'payments-primary',
        at: '2026-03-10T12:00:00.000Z',
        oncall: { person: 'kim', startAt: '2026-03-10T08:00:00.000Z', endAt: '2026-03-10T16:00:00.000Z', source: { kind: 'layer', layer: 'daytime' } },
      });
    });

    it('says what is wrong in one stderr line with the documented exit code', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const version = await api.store.catalogVersion();
      const missing = await fb(['oncall', 'nope']);
      assert.deepEqual([missing.code, missing.stdout, missing.stderr], [5, '', 'firebreak: No schedule named "nope" in the catalog\n']);

      const name = await fb(['oncall', 'no such']);
      assert.deepEqual(
        [name.code, name.stdout, name.stderr],
        [3, '', 'firebreak: The request is not valid: <schedule> must be a schedule name or namespace/name: letters and digits, in runs separated by - _ or .\n'],
      );

      const when = await fb(['oncall', 'payments-primary', '--at', 'tomorrow']);
      assert.equal(when.code, 2);
      assert.equal(when.stdout, '');
      assert.equal(
        when.stderr,
        "firebreak: option '--at <time>' argument 'tomorrow' is invalid. expected an ISO-8601 date-time with a time zone, now, or a relative time such as -15m or +7d.\n",
      );
      assert.equal(await api.store.catalogVersion(), version);
    });

    it('reads a schedule and its shifts through the client the CLI uses', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML);
      const client = createClient({ baseUrl: api.url, token: api.t.tokens.viewer });
      const primary = await client.getSchedule('payments-primary');
      assert.deepEqual([primary.timeZone, primary.layers.map((l) => l.name), primary.oncallNow?.person, primary.gaps], ['Europe/Berlin', ['weekly', 'daytime'], 'ana', []]);
      const shifts = await client.getShifts('payments-primary', { from: '2026-03-10T17:00:00Z', to: '2026-03-10T19:00:00Z' });
      assert.deepEqual(
        shifts.items.map((s) => [s.person, s.startAt, s.endAt]),
        [
          ['li', '2026-03-10T17:00:00.000Z', '2026-03-10T18:00:00.000Z'],
          ['kim', '2026-03-10T18:00:00.000Z', '2026-03-10T19:00:00.000Z'],
        ],
      );
    });

    it('says so when the catalog has no schedules', async () => {
      await applyCatalog(SCHEDULE_CATALOG_YAML.split('\n---\n').slice(0, 2).join('\n---\n'));
      const none = await fb(['oncall']);
      assert.deepEqual([none.code, none.stdout, none.stderr], [0, 'No schedules in the catalog.\n', '']);
    });
  });
}
