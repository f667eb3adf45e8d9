import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { statusCatalogYaml } from '../domain/status/catalog.fixture.js';
import { adapters } from '../store/test-adapters.js';
import { useCliServer } from './test-server.js';

// The server and the CLI share one fixed clock: `--starts +2h` is 14:00 on both sides.
const NOW = new Date('2026-03-01T12:00:00.000Z');

const CATALOG = statusCatalogYaml();

for (const adapter of adapters()) {
  describe(`firebreak maintenance against the real API (${adapter.name})`, () => {
    const api = useCliServer(adapter, { now: NOW, catalog: CATALOG });
    const { fb } = api;
    const stored = () => api.store.listMaintenances({ includeCancelled: true, limit: 10_000 });

    it('schedules with relative times and repeated --component, lists it, and cancels it', async () => {
      const s = await fb(['maintenance', 'schedule', '--title', 'Database upgrade', '--component', 'checkout', '--component', 'search',
        '--starts', '+2h', '--ends', '+3h30m', '--body', 'Checkout may be slow.', '--json']);
      assert.equal(s.code, 0, s.stderr);
      const m = JSON.parse(s.stdout) as { id: string; components: string[]; startsAt: string; endsAt: string; status: string; body: string };
      assert.deepEqual(
        { components: m.components, startsAt: m.startsAt, endsAt: m.endsAt, status: m.status, body: m.body },
        { components: ['checkout', 'search'], startsAt: '2026-03-01T14:00:00.000Z', endsAt: '2026-03-01T15:30:00.000Z', status: 'scheduled', body: 'Checkout may be slow.' },
      );

      const ls = await fb(['maintenance', 'ls', '--state', 'scheduled']);
      assert.equal(ls.code, 0, ls.stderr);
      const lines = ls.stdout.trimEnd().split('\n');
      assert.match(lines[0]!, /^ID\s+STATUS\s+STARTS\s+ENDS\s+COMPONENTS\s+TITLE$/);
      assert.ok(lines.some((l) => l.startsWith(m.id) && l.includes('scheduled') && l.includes('checkout,search') && l.endsWith('Database upgrade')), ls.stdout);
      const none = await fb(['maintenance', 'ls', '--state', 'in_progress']);
      assert.equal(none.stdout, 'No maintenances.\n');

      const c = await fb(['maintenance', 'cancel', m.id]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(c.stdout, `Cancelled maintenance ${m.id} Database upgrade (checkout, search) 2026-03-01T14:00:00.000Z → 2026-03-01T15:30:00.000Z.\n`);
      assert.equal((await fb(['maintenance', 'ls'])).stdout.includes(m.id), false);
    });

    it('names the flags the user typed in one stderr line, exits non-zero, and stores nothing', async () => {
      const before = await stored();
      const bad = await fb(['maintenance', 'schedule', '--title', 'Upgrade', '--component', 'checkout,ledger', '--starts', '+4h', '--ends', '+2h']);
      assert.equal(bad.code, 3);
      assert.equal(
        bad.stderr,
        'firebreak: The request is not valid: --component[1] ledger is not on the status page (its catalog entry lacks public: true); --ends must be after --starts\n',
      );
      assert.equal(bad.stdout, '');

      const when = await fb(['maintenance', 'schedule', '--title', 'Upgrade', '--component', 'checkout', '--starts', 'tomorrow', '--ends', '+2h']);
      assert.equal(when.code, 2);
      assert.match(when.stderr, /^firebreak: option '--starts <time>' argument 'tomorrow' is invalid\. expected an ISO-8601 date-time/);
      assert.equal(when.stderr.trimEnd().split('\n').length, 1);

      const missing = await fb(['maintenance', 'cancel', 'nope']);
      assert.equal(missing.code, 5);
      assert.equal(missing.stderr, 'firebreak: There is no maintenance nope\n');

      const viewer = await fb(['maintenance', 'schedule', '--title', 'Upgrade', '--component', 'checkout', '--starts', '+1h', '--ends', '+2h'], 'viewer');
      assert.notEqual(viewer.code, 0);
      assert.equal(viewer.stderr, 'firebreak: This needs the responder role; you have viewer\n');
      assert.deepEqual(await stored(), before);
    });
  });
}
