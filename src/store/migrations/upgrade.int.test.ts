import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentEvent } from '../../domain/incident/events.js';
import { replay } from '../../domain/incident/state.js';
import { adapters } from '../test-adapters.js';
import { doctor } from '../tools/doctor.js';
import { migrateTo, migrationNames } from './index.js';

const T = (minutes: number) => new Date(Date.parse('2026-05-01T10:00:00.000Z') + minutes * 60_000).toISOString();
const by = { actor: 'ana' };

/** A resolved incident with an alert linked and an open action item, as the previous release recorded it. */
const events: IncidentEvent[] = [
  { ...by, at: T(0), type: 'IncidentDeclared', data: { number: 1, title: 'Search is slow', services: ['search'], startedAt: T(-10), detectedAt: T(-3), auto: false } },
  { ...by, at: T(0), type: 'SeverityChanged', data: { from: null, to: 'SEV2', reason: 'p99 over 5 s' } },
  { ...by, at: T(2), type: 'RoleAssigned', data: { role: 'commander', person: 'ana' } },
  { ...by, at: T(3), type: 'RoleAssigned', data: { role: 'responder', person: 'li' } },
  { ...by, at: T(15), type: 'StatusChanged', data: { from: 'investigating', to: 'mitigated' } },
  { ...by, at: T(20), type: 'ActionItemAdded', data: { id: 'INC-1-A1', title: 'Add an index', owner: 'li', dueAt: T(60 * 24 * 7), priority: 'P2' } },
  { ...by, at: T(40), type: 'StatusChanged', data: { from: 'mitigated', to: 'resolved', noGuardrails: true } },
];

/** The projection as the release before 0009 stored it: no postmortem workflow fields, no action kind or times. */
function oldState() {
  const s = JSON.parse(JSON.stringify(replay(1, events)));
  if (s.postmortem) for (const k of ['state', 'author', 'reviewers', 'createdAt', 'submittedAt', 'publishedAt', 'publishedBy', 'waivers']) delete s.postmortem[k];
  for (const a of s.actions) for (const k of ['kind', 'ticketUrl', 'fromGuardrail', 'createdAt', 'doneAt']) delete a[k];
  return s;
}

const alert = (id: string, status: string, incident: number | null) => ({
  id, dedup_key: `am:${id}`, source: 'alertmanager', status, service: 'search', sender_service: 'search', summary: 'p99 high', severity: 'critical',
  signal: 'SearchLatency', labels: '{"alertname":"SearchLatency"}', annotations: '{}', starts_at: T(-5), ends_at: status === 'resolved' ? T(30) : null,
  generator_url: null, first_received_at: T(-3), received_at: T(-3), occurrences: 1, incident_number: incident, group_key: 'search', integration_id: null,
});

for (const adapter of adapters()) {
  describe(`upgrading a database of the previous release (${adapter.name})`, () => {
    it('migrates 0008 data to the latest schema; doctor finds it healthy and the store reads it back', async () => {
      const database = await adapter.database();
      const db = database.kysely();
      try {
        await migrateTo(db, adapter.name, '0008-unique-integrations');
        const s = oldState();
        await db.insertInto('incidents').values({
          number: 1, title: s.title, status: s.status, severity: s.severity, commander: s.roles.commander, declared_at: s.milestones.declaredAt,
          started_at: s.milestones.startedAt, updated_at: s.lastEventAt, version: s.version, state: JSON.stringify(s),
        }).execute();
        await db.insertInto('incident_services').values({ number: 1, service: 'search', ord: 0 }).execute();
        await db.insertInto('events').values(events.map((e, i) => ({ incident_number: 1, seq: i + 1, type: e.type, at: e.at, actor: e.actor, data: JSON.stringify(e.data), recorded_at: e.at }))).execute();
        await db.updateTable('counters').set({ value: 1 }).where('name', '=', 'incident').execute();
        await db.insertInto('alerts').values([alert('a1', 'resolved', 1), alert('a2', 'firing', null)]).execute();
        await db.insertInto('deploys').values({
          id: 'd1', source: 'github', external_id: '42', service: 'search', environment: 'production', version: 'v9', commit_sha: 'abc', status: 'succeeded',
          started_at: T(-30), finished_at: T(-25), actor: 'bo', url: null, previous_version: 'v8', config_deltas: '[]', received_at: T(-25), updated_at: T(-25),
        }).execute();
        await db.insertInto('tokens').values({ id: 'tok1', name: 'ci', role: 'ingest', hash: 'h'.repeat(64), created_at: T(-100), revoked_at: null }).execute();

        const store = await database.open();
        try {
          await store.migrate();
          const report = await doctor({ engine: adapter.name, db, close: async () => {} });
          assert.deepEqual(report.problems, []);
          assert.equal(report.checked, 1);
          const known = migrationNames(adapter.name).length;
          assert.deepEqual([report.schema.applied, report.schema.latest], [known, known]);

          const loaded = await store.loadIncident(1);
          assert.deepEqual(loaded?.state, replay(1, events));
          assert.equal(loaded!.state.actions[0]!.kind, 'fix');
          assert.deepEqual((await store.listAlerts({ limit: 10 })).map((a) => [a.id, a.status, a.incident]).sort(), [['a1', 'resolved', 1], ['a2', 'firing', null]]);
          assert.deepEqual((await store.listDeploys({ limit: 10 })).map((d) => [d.id, d.version, d.previousVersion]), [['d1', 'v9', 'v8']]);
          assert.equal((await store.findTokenByHash('h'.repeat(64)))?.name, 'ci');
          const list = await store.listIncidents({ limit: 10 });
          assert.deepEqual(list.map((i) => [i.number, i.status, i.services]), [[1, 'resolved', ['search']]]);
        } finally {
          await store.close();
        }
      } finally {
        await db.destroy();
        await database.drop();
      }
    });
  });
}
