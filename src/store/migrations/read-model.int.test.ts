import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentEvent } from '../../domain/incident/events.js';
import { replay } from '../../domain/incident/state.js';
import { adapters } from '../test-adapters.js';
import { migrateTo, migrateToLatest } from './index.js';

const T = (minutes: number) => new Date(Date.parse('2026-06-01T10:00:00.000Z') + minutes * 60_000).toISOString();
const by = { actor: 'ana' };

/** A closed incident from before the postmortem workflow: written, never published; one item done. */
const events: IncidentEvent[] = [
  { ...by, at: T(0), type: 'IncidentDeclared', data: { number: 1, title: 'Checkout fails', services: ['checkout'], startedAt: T(-10), detectedAt: T(-4), auto: false } },
  { ...by, at: T(0), type: 'SeverityChanged', data: { from: null, to: 'SEV1', reason: 'payments fail' } },
  { ...by, at: T(5), type: 'RoleAssigned', data: { role: 'commander', person: 'ana' } },
  { ...by, at: T(6), type: 'RoleAssigned', data: { role: 'comms', person: 'li' } },
  { ...by, at: T(20), type: 'StatusChanged', data: { from: 'investigating', to: 'mitigated' } },
  { ...by, at: T(30), type: 'ActionItemAdded', data: { id: 'INC-1-A1', title: 'Add a canary', owner: 'bo', dueAt: T(600), priority: 'P1' } },
  { ...by, at: T(50), type: 'StatusChanged', data: { from: 'mitigated', to: 'resolved', noGuardrails: true } },
  {
    ...by, at: T(55), type: 'PostmortemWritten',
    data: { summary: 's', impact: 'i', whys: ['a'], rootCause: 'r', contributingFactors: [], wentWell: [], wentPoorly: [], lessons: [] },
  },
  { ...by, at: T(58), type: 'ActionItemStatusChanged', data: { id: 'INC-1-A1', from: 'open', to: 'done' } },
  { ...by, at: T(60), type: 'StatusChanged', data: { from: 'resolved', to: 'closed' } },
];

/** The projection as code before 0009 stored it: no postmortem workflow fields, no action kind or times. */
function oldState() {
  const s = JSON.parse(JSON.stringify(replay(1, events)));
  for (const k of ['state', 'author', 'reviewers', 'createdAt', 'submittedAt', 'publishedAt', 'publishedBy', 'waivers']) delete s.postmortem[k];
  for (const a of s.actions) for (const k of ['kind', 'ticketUrl', 'fromGuardrail', 'createdAt', 'doneAt']) delete a[k];
  return s;
}

for (const adapter of adapters()) {
  describe(`migration 0009-read-model (${adapter.name})`, () => {
    it('re-projects stored incidents from their events and fills the read model', async () => {
      const database = await adapter.database();
      const db = database.kysely();
      try {
        await migrateTo(db, adapter.name, '0008-unique-integrations');
        const s = oldState();
        await db
          .insertInto('incidents')
          .values({
            number: 1, title: s.title, status: s.status, severity: s.severity, commander: s.roles.commander,
            declared_at: s.milestones.declaredAt, started_at: s.milestones.startedAt, updated_at: s.lastEventAt,
            version: s.version, state: JSON.stringify(s),
          })
          .execute();
        await db
          .insertInto('events')
          .values(events.map((e, i) => ({ incident_number: 1, seq: i + 1, type: e.type, at: e.at, actor: e.actor, data: JSON.stringify(e.data), recorded_at: e.at })))
          .execute();

        await migrateToLatest(db, adapter.name);

        const row = await db.selectFrom('incidents').select(['state', 'version']).where('number', '=', 1).executeTakeFirstOrThrow();
        const state = JSON.parse(row.state);
        assert.deepEqual(state, replay(1, events));
        assert.equal(state.postmortem?.state, 'draft');
        assert.equal(state.actions[0]?.doneAt, T(58));

        const facts = await db.selectFrom('incident_facts').selectAll().executeTakeFirstOrThrow();
        const n = (v: unknown) => (v === null ? null : Number(v));
        assert.deepEqual(
          {
            ...facts,
            declared_ms: n(facts.declared_ms), ttd_ms: n(facts.ttd_ms), tta_ms: n(facts.tta_ms), ttm_ms: n(facts.ttm_ms),
            ttr_ms: n(facts.ttr_ms), pm_due_ms: n(facts.pm_due_ms), pm_done_ms: n(facts.pm_done_ms),
          },
          {
            number: 1, title: 'Checkout fails', status: 'closed', severity: 'SEV1', declared_ms: Date.parse(T(0)),
            iso_week: '2026-W23', auto: 0, ttd_ms: 6 * 60_000, tta_ms: 5 * 60_000, ttm_ms: 30 * 60_000, ttr_ms: 60 * 60_000,
            change_failure: 0, pm_state: 'draft', pm_author: 'ana', pm_reviewers: '[]', resolved_at: T(50),
            pm_due_at: T(50 + 48 * 60), pm_due_ms: Date.parse(T(50 + 48 * 60)), published_at: null, closed_at: T(60),
            pm_done_ms: Date.parse(T(60)), pm_skipped: 1, override_count: 0, overrides: '[]',
            sole_warning: 'INC-1: ana is commander and the only responder on a SEV1: the commander coordinates, someone else debugs.',
          },
        );
        const people = await db.selectFrom('incident_people').select(['person', 'commander']).orderBy('person').execute();
        assert.deepEqual(people, [{ person: 'ana', commander: 1 }, { person: 'li', commander: 0 }]);
        const items = await db.selectFrom('action_items').select(['id', 'kind', 'status', 'done_at', 'created_at', 'owner']).execute();
        assert.deepEqual(items, [{ id: 'INC-1-A1', kind: 'fix', status: 'done', done_at: T(58), created_at: T(30), owner: 'bo' }]);
      } finally {
        await db.destroy();
        await database.drop();
      }
    });
  });
}
