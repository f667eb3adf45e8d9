import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import { adapters } from '../store/test-adapters.js';
import { useCliServer } from './test-server.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

for (const adapter of adapters()) {
  describe(`firebreak heartbeat against the real API (${adapter.name})`, () => {
    const api = useCliServer(adapter, { now: NOW, catalog: EXAMPLE_CATALOG_YAML, as: 'admin' });
    const { fb } = api;

    it('creates one (token shown once), lists it, and removes it', async () => {
      const c = await fb(['heartbeat', 'create', 'nightly-backup', '--service', 'checkout', '--interval', '1d', '--grace', '30m']);
      assert.equal(c.code, 0, c.stderr);
      const lines = c.stdout.trimEnd().split('\n');
      assert.equal(lines[0], 'Created heartbeat nightly-backup on checkout (every 1d, grace 30m), due by 2026-03-02T12:30:00.000Z.');
      // Without FIREBREAK_PUBLIC_URL the server answers a path; the CLI prints it on the server it talks to.
      assert.equal(lines[1], `Ping URL: ${api.url}/api/v1/heartbeats/nightly-backup/ping`);
      const token = /^Token \(shown once\): (fbh_\S+)$/.exec(lines[2] ?? '')?.[1];
      assert.ok(token, c.stdout);
      const ping = await fetch(`${api.url}/api/v1/heartbeats/nightly-backup/ping?token=${token}`);
      assert.equal(ping.status, 200);

      const ls = await fb(['heartbeat', 'ls'], 'viewer');
      assert.equal(ls.code, 0, ls.stderr);
      const [head, row] = ls.stdout.trimEnd().split('\n');
      assert.match(head!, /^NAME\s+SERVICE\s+STATE\s+INTERVAL\s+GRACE\s+LAST PING\s+DUE$/);
      assert.match(row!, /^nightly-backup\s+checkout\s+up\s+1d\s+30m\s+2026-03-01T12:00:00\.000Z\s+2026-03-02T12:30:00\.000Z$/);
      assert.ok(!ls.stdout.includes(token));

      const rm = await fb(['heartbeat', 'rm', 'nightly-backup']);
      assert.equal(rm.code, 0, rm.stderr);
      assert.equal(rm.stdout, 'Deleted heartbeat nightly-backup on checkout (every 1d, grace 30m).\n');
      assert.equal((await fb(['heartbeat', 'ls'])).stdout, 'No heartbeats.\n');
    });

    it('names the flags the user typed in one stderr line, exits non-zero, and stores nothing', async () => {
      const before = await api.store.listHeartbeats();
      const bad = await fb(['heartbeat', 'create', 'x', '--service', 'billing', '--interval', 'hourly']);
      assert.equal(bad.code, 3);
      assert.equal(
        bad.stderr,
        'firebreak: The request is not valid: --interval must be a duration like 5m, 1h30m or 1d, from 1m to 30d; --service billing is not a service of the catalog\n',
      );
      const missing = await fb(['heartbeat', 'rm', 'nope']);
      assert.equal(missing.code, 5);
      assert.equal(missing.stderr, 'firebreak: There is no heartbeat nope\n');
      const viewer = await fb(['heartbeat', 'create', 'y', '--service', 'checkout', '--interval', '5m'], 'viewer');
      assert.equal(viewer.code, 4);
      assert.equal(viewer.stderr, 'firebreak: This needs the admin role; you have viewer\n');
      assert.deepEqual(await api.store.listHeartbeats(), before);
    });
  });
}
