import type { Insertable } from 'kysely';
import type { IncidentEventType } from '../../domain/incident/events.js';
import type { Incident } from '../../domain/incident/state.js';
import { factsTouched, incidentFacts } from '../../domain/insights/facts.js';
import type { Db } from './kysely-store.js';
import type { Database } from './schema.js';

// Rows per multi-row insert: well under both engines' bound-parameter limits (15 columns × 300).
const CHUNK = 300;
const flag = (b: boolean) => (b ? 1 : 0);

/** The incident_facts row, people and action item rows of one state. */
export function readModelRows(s: Incident) {
  const f = incidentFacts(s);
  const facts: Insertable<Database['incident_facts']> = {
    number: s.number,
    title: s.title,
    status: s.status,
    severity: s.severity,
    declared_ms: f.declaredMs,
    iso_week: f.week,
    auto: flag(f.auto),
    ttd_ms: f.ttdMs,
    tta_ms: f.ttaMs,
    ttm_ms: f.ttmMs,
    ttr_ms: f.ttrMs,
    change_failure: flag(f.changeFailure),
    pm_state: f.postmortemState,
    pm_author: f.postmortemAuthor,
    pm_reviewers: JSON.stringify(f.postmortemReviewers),
    resolved_at: f.resolvedAt,
    pm_due_at: f.postmortemDueAt,
    pm_due_ms: f.postmortemDueMs,
    published_at: f.publishedAt,
    closed_at: f.closedAt,
    pm_done_ms: f.postmortemDoneMs,
    pm_skipped: flag(f.postmortemSkipped),
    override_count: f.overrides.length,
    overrides: JSON.stringify(f.overrides),
    sole_warning: f.soleResponderWarning,
  };
  const people = f.people.map((p) => ({ incident_number: s.number, person: p.person, commander: flag(p.commander) }));
  const actions = f.actions.map((a) => ({
    incident_number: s.number,
    id: a.id,
    title: a.title,
    owner: a.owner,
    kind: a.kind ?? 'fix',
    priority: a.priority,
    status: a.status,
    due_at: a.dueAt,
    due_ms: Date.parse(a.dueAt) || 0,
    done_at: a.doneAt ?? null,
    done_ms: a.doneAt ? Date.parse(a.doneAt) : null,
    created_at: a.createdAt ?? '',
    ticket_url: a.ticketUrl ?? null,
    from_question: a.fromQuestion ?? null,
    from_guardrail: a.fromGuardrail ?? null,
  }));
  return { facts, people, actions };
}

/**
 * Keeps the read model in step with the projection, in the append's transaction. `types` are the
 * appended events' types, or `'all'` for a rebuild: only the parts those events can change are written,
 * so an alert batch or a note costs nothing here.
 */
export async function saveReadModel(db: Db, s: Incident, types: readonly IncidentEventType[] | 'all'): Promise<void> {
  const touched = types === 'all' ? { row: true, people: true, actions: true } : factsTouched(types);
  if (!touched.row && !touched.people && !touched.actions) return;
  const { facts, people, actions } = readModelRows(s);
  if (touched.row) {
    const { number: _number, ...rest } = facts;
    await db
      .insertInto('incident_facts')
      .values(facts)
      .onConflict((oc) => oc.column('number').doUpdateSet(rest))
      .execute();
  }
  if (touched.people) {
    await db.deleteFrom('incident_people').where('incident_number', '=', s.number).execute();
    for (let i = 0; i < people.length; i += CHUNK) await db.insertInto('incident_people').values(people.slice(i, i + CHUNK)).execute();
  }
  if (touched.actions) {
    await db.deleteFrom('action_items').where('incident_number', '=', s.number).execute();
    for (let i = 0; i < actions.length; i += CHUNK) await db.insertInto('action_items').values(actions.slice(i, i + CHUNK)).execute();
  }
}
