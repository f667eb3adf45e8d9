import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { IncidentEvent } from '../../domain/incident/events.js';
import { replay } from '../../domain/incident/state.js';
import type { Database } from '../shared/schema.js';
import { adapters } from '../test-adapters.js';
import { migrateTo, migrateToLatest } from './index.js';

const DAY = 86_400_000;

/** An incident's row as 0004 stored it, its state replayed from these events. */
function incidentRow(number: number, events: IncidentEvent[]) {
  const s = replay(number, events);
  return {
    number,
    title: s.title,
    status: String(s.status),
    severity: s.severity,
    commander: s.roles.commander,
    declared_at: s.milestones.declaredAt!,
    started_at: s.milestones.startedAt,
    updated_at: s.lastEventAt!,
    version: s.version,
    state: JSON.stringify(s),
  };
}

for (const adapter of adapters()) {
  describe(`migration 0006-timers (${adapter.name})`, () => {
    it('gives incidents recorded before the timers still ahead of them, and the cadence of open ones', async () => {
      const database = await adapter.database();
      const db = new Kysely<Database>({
        dialect:
          adapter.name === 'sqlite'
            ? new SqliteDialect({ database: new Sqlite(database.location) })
            : new PostgresDialect({ pool: new pg.Pool({ connectionString: database.location }) }),
      });
      try {
        await migrateTo(db, adapter.name, '0004-incident-alerts');
        // Times relative to the migration's clock (the wall clock): a week ago, and ten days ahead.
        const ago = (ms: number) => new Date(Date.now() - ms).toISOString();
        const ahead = new Date(Date.now() + 10 * DAY).toISOString();
        const by = { actor: 'ana' };
        const declared = (n: number): IncidentEvent[] => [
          { ...by, at: ago(7 * DAY), type: 'IncidentDeclared', data: { number: n, title: 'Checkout fails', services: ['checkout'], startedAt: ago(7 * DAY), detectedAt: ago(7 * DAY), auto: false } },
          { ...by, at: ago(7 * DAY), type: 'SeverityChanged', data: { from: null, to: 'SEV2', reason: 'card payments fail' } },
        ];
        await db
          .insertInto('incidents')
          .values([
            // Open, no commander (its 30-minute target long missed), a comms plan, and two action items.
            incidentRow(1, [
              ...declared(1),
              { ...by, at: ago(7 * DAY), type: 'CommsPlanSet', data: { channel: '#inc', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'any' } },
              { ...by, at: ago(6 * DAY), type: 'ActionItemAdded', data: { id: 'INC-1-A1', title: 'Add a canary', owner: 'li', dueAt: ahead, priority: 'P1' } },
              { ...by, at: ago(6 * DAY), type: 'ActionItemAdded', data: { id: 'INC-1-A2', title: 'Fix the schema', owner: 'li', dueAt: ago(DAY), priority: 'P1' } },
            ]),
            // Cancelled: nothing.
            incidentRow(2, [
              ...declared(2),
              { ...by, at: ago(7 * DAY), type: 'ActionItemAdded', data: { id: 'INC-2-A1', title: 'x', owner: 'li', dueAt: ahead, priority: 'P1' } },
              { ...by, at: ago(7 * DAY), type: 'StatusChanged', data: { from: 'investigating', to: 'cancelled', reason: 'duplicate' } },
            ]),
          ])
          .execute();
        const before = new Date().toISOString();
        await migrateToLatest(db, adapter.name);
        const rows = await db.selectFrom('timers').selectAll().orderBy('incident_number').orderBy('key').execute();
        assert.deepEqual(
          rows.map((r) => [r.id, r.kind, r.state, r.due_at === ahead ? 'ahead' : r.due_at >= before ? 'now' : r.due_at]),
          [
            ['INC-1.action_due:INC-1-A1.5', 'action_due', 'scheduled', 'ahead'],
            ['INC-1.update_cadence.5', 'update_cadence', 'scheduled', 'now'],
          ],
        );
      } finally {
        await db.destroy();
        await database.drop();
      }
    });
  });
}
