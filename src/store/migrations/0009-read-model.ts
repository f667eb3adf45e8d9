import { sql, type Kysely, type Migration } from 'kysely';
import type { IncidentEvent } from '../../domain/incident/events.js';
import { apply, initialIncident, type Incident } from '../../domain/incident/state.js';
import { projectionRow, type Db } from '../shared/kysely-store.js';
import { saveReadModel } from '../shared/read-model.js';

/** Incidents re-projected per batch; their events are read in pages of EVENT_PAGE. */
const BATCH = 500;
const EVENT_PAGE = 20_000;

/**
 * The read model insights and the cross-incident lists query (domain/insights/facts.ts): one facts row
 * per incident (numbers and text beside the JSON projection, which a scan would otherwise have to
 * read through), the people responding to it, and its action items; plus an index for fired timers.
 * Every incident is re-projected from its log (ADR 0001), since projections stored before lack the
 * postmortem workflow's and action items' new fields, and its read model is filled, in batches.
 */
export const readModel = (): Migration => ({
  async up(raw: Kysely<unknown>) {
    const big = 'bigint';
    await raw.schema
      .createTable('incident_facts')
      .addColumn('number', 'integer', (c) => c.primaryKey())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('declared_ms', big, (c) => c.notNull())
      .addColumn('iso_week', 'text', (c) => c.notNull())
      .addColumn('auto', 'integer', (c) => c.notNull())
      .addColumn('ttd_ms', big)
      .addColumn('tta_ms', big)
      .addColumn('ttm_ms', big)
      .addColumn('ttr_ms', big)
      .addColumn('change_failure', 'integer', (c) => c.notNull())
      .addColumn('pm_state', 'text')
      .addColumn('pm_author', 'text')
      .addColumn('pm_reviewers', 'text', (c) => c.notNull())
      .addColumn('resolved_at', 'text')
      .addColumn('pm_due_at', 'text')
      .addColumn('pm_due_ms', big)
      .addColumn('published_at', 'text')
      .addColumn('closed_at', 'text')
      .addColumn('pm_done_ms', big)
      .addColumn('pm_skipped', 'integer', (c) => c.notNull())
      .addColumn('override_count', 'integer', (c) => c.notNull())
      .addColumn('overrides', 'text', (c) => c.notNull())
      .addColumn('sole_warning', 'text')
      .execute();
    // Covering the scans of a window (counts, durations, people), so they never read the rows.
    await raw.schema
      .createIndex('incident_facts_declared')
      .on('incident_facts')
      .columns(['declared_ms', 'status', 'severity', 'auto', 'change_failure', 'iso_week', 'ttd_ms', 'tta_ms', 'ttm_ms', 'ttr_ms', 'number'])
      .execute();
    await raw.schema.createIndex('incident_facts_pm_due').on('incident_facts').columns(['pm_due_ms']).execute();
    await raw.schema.createIndex('incident_facts_status').on('incident_facts').columns(['status', 'number']).execute();

    await raw.schema
      .createTable('incident_people')
      .addColumn('incident_number', 'integer', (c) => c.notNull())
      .addColumn('person', 'text', (c) => c.notNull())
      .addColumn('commander', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_people_pk', ['incident_number', 'person'])
      .execute();

    await raw.schema
      .createTable('action_items')
      .addColumn('incident_number', 'integer', (c) => c.notNull())
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('title', 'text', (c) => c.notNull())
      .addColumn('owner', 'text', (c) => c.notNull())
      .addColumn('kind', 'text', (c) => c.notNull())
      .addColumn('priority', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('due_at', 'text', (c) => c.notNull())
      .addColumn('due_ms', big, (c) => c.notNull())
      .addColumn('done_at', 'text')
      .addColumn('done_ms', big)
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('ticket_url', 'text')
      .addColumn('from_question', 'text')
      .addColumn('from_guardrail', 'text')
      .addPrimaryKeyConstraint('action_items_pk', ['incident_number', 'id'])
      .execute();
    await raw.schema.createIndex('action_items_due').on('action_items').columns(['due_at', 'id']).execute();
    await raw.schema.createIndex('action_items_owner').on('action_items').columns(['owner', 'due_at', 'id']).execute();

    await sql`create index timers_fired on timers (fired_at) where state = 'fired'`.execute(raw);
    // The change failure rate counts succeeded deploys of a window (of one service, when filtered).
    await sql`create index deploys_succeeded on deploys (started_at, service) where status = 'succeeded'`.execute(raw);

    const db = raw as unknown as Db;
    for (let after = 0; ; ) {
      const numbers = (
        await db.selectFrom('incidents').select('number').where('number', '>', after).orderBy('number').limit(BATCH).execute()
      ).map((r) => r.number);
      const last = numbers.at(-1);
      if (last === undefined) break;
      const states = new Map<number, Incident>(numbers.map((n) => [n, initialIncident(n)]));
      // One batch's events in (incident, seq) order, paged by position in that order.
      for (let from = { number: 0, seq: 0 }; ; ) {
        const rows = await db
          .selectFrom('events')
          .select(['incident_number', 'seq', 'type', 'at', 'actor', 'data'])
          .where('incident_number', '>=', numbers[0]!)
          .where('incident_number', '<=', last)
          .where((eb) =>
            eb.or([
              eb('incident_number', '>', from.number),
              eb.and([eb('incident_number', '=', from.number), eb('seq', '>', from.seq)]),
            ]),
          )
          .orderBy('incident_number')
          .orderBy('seq')
          .limit(EVENT_PAGE)
          .execute();
        for (const r of rows) {
          const s = states.get(r.incident_number);
          if (!s) continue;
          const e = { type: r.type, at: r.at, actor: r.actor, data: JSON.parse(r.data) } as IncidentEvent;
          states.set(r.incident_number, apply(s, e));
        }
        const end = rows.at(-1);
        if (!end || rows.length < EVENT_PAGE) break;
        from = { number: end.incident_number, seq: end.seq };
      }
      for (const [number, state] of states) {
        if (state.version === 0) continue;
        await db.updateTable('incidents').set(projectionRow(state)).where('number', '=', number).execute();
        await saveReadModel(db, state, 'all');
      }
      after = last;
    }
  },
});
