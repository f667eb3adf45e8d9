import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isUniqueViolation } from '../shared/errors.js';
import { adapters } from '../test-adapters.js';
import { migrateTo, migrateToLatest } from './index.js';

const at = (s: number) => new Date(Date.UTC(2026, 0, 5, 9, 0, s)).toISOString();
const token = (id: string, name: string, role: string, s: number, revokedAt: string | null = null) => ({
  id,
  name,
  role,
  hash: `h-${id}`,
  created_at: at(s),
  revoked_at: revokedAt,
});

for (const adapter of adapters()) {
  describe(`migration 0003-unique-actors (${adapter.name})`, () => {
    it('renames all but the oldest of live tokens sharing a name, then keeps live names unique', async () => {
      const database = await adapter.database();
      const db = database.kysely();
      try {
        await migrateTo(db, adapter.name, '0002-inputs');
        await db
          .insertInto('tokens')
          .values([
            token('t1', 'probe-viewer', 'viewer', 0),
            token('t2', 'probe-viewer', 'admin', 1),
            token('t3', 'probe-viewer', 'admin', 2, at(3)),
            token('t4', 'ci', 'ingest', 4),
          ])
          .execute();
        await migrateToLatest(db, adapter.name);

        const rows = await db.selectFrom('tokens').select(['id', 'name']).orderBy('id').execute();
        assert.deepEqual(rows, [
          { id: 't1', name: 'probe-viewer' },
          { id: 't2', name: 'probe-viewer-t2' },
          { id: 't3', name: 'probe-viewer' },
          { id: 't4', name: 'ci' },
        ]);
        await assert.rejects(db.insertInto('tokens').values(token('t5', 'ci', 'viewer', 5)).execute(), isUniqueViolation);
        await db.insertInto('tokens').values(token('t6', 'ci', 'viewer', 6, at(7))).execute();
      } finally {
        await db.destroy();
        await database.drop();
      }
    });
  });
}

const integration = (id: string, name: string, s: number, revokedAt: string | null = null) => ({
  id,
  type: 'alertmanager',
  name,
  token_hash: `h-${id}`,
  routing_key_hash: null,
  secret_hash: null,
  created_at: at(s),
  revoked_at: revokedAt,
});

for (const adapter of adapters()) {
  describe(`migration 0008-unique-integrations (${adapter.name})`, () => {
    it('renames all but the oldest of live integrations sharing a name, then keeps live names unique', async () => {
      const database = await adapter.database();
      const db = database.kysely();
      try {
        await migrateTo(db, adapter.name, '0004-incident-alerts');
        await db
          .insertInto('integrations')
          .values([integration('i1', 'prod', 0), integration('i2', 'prod', 1), integration('i3', 'prod', 2, at(3))])
          .execute();
        await migrateToLatest(db, adapter.name);

        const rows = await db.selectFrom('integrations').select(['id', 'name']).orderBy('id').execute();
        assert.deepEqual(rows, [
          { id: 'i1', name: 'prod' },
          { id: 'i2', name: 'prod-i2' },
          { id: 'i3', name: 'prod' },
        ]);
        await assert.rejects(db.insertInto('integrations').values(integration('i4', 'prod', 4)).execute(), isUniqueViolation);
        await db.insertInto('integrations').values(integration('i5', 'prod', 5, at(6))).execute();
      } finally {
        await db.destroy();
        await database.drop();
      }
    });
  });
}
