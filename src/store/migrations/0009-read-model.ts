import { sql, type Kysely, type Migration } from 'kysely';
import type { Db } from '../shared/kysely-store.js';
import { incidentBatch, replayIncidents, writeProjections } from '../tools/replay.js';

/** Incidents re-projected per batch (store/tools/replay.ts reads their events in pages). */
const BATCH = 500;

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
      const numbers = await incidentBatch(db, after, BATCH);
      const last = numbers.at(-1);
      if (last === undefined) break;
      await writeProjections(db, await replayIncidents(db, numbers));
      after = last;
    }
  },
});
