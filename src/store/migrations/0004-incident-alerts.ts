import type { Kysely, Migration } from 'kysely';
import { apply, initialIncident } from '../../domain/incident/state.js';
import { type Db, readEvents, saveAlertLinks } from '../shared/kysely-store.js';

const PAGE = 5_000;

/**
 * The incident's links beside its projection (docs/decisions/0002-alert-links-beside-the-projection.md):
 * the state now keeps counts and the newest few, incident_alerts the status recorded for each alert.
 * Projections stored before list every link, so every one is rebuilt from its log (ADR 0001).
 */
export const incidentAlerts = (): Migration => ({
  async up(raw: Kysely<unknown>) {
    await raw.schema
      .createTable('incident_alerts')
      .addColumn('incident_number', 'integer', (c) => c.notNull())
      .addColumn('alert_id', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addPrimaryKeyConstraint('incident_alerts_pk', ['incident_number', 'alert_id'])
      .execute();
    const db = raw as unknown as Db;
    const incidents = await db.selectFrom('incidents').select('number').orderBy('number').execute();
    for (const { number } of incidents) {
      let state = initialIncident(number);
      for (let after = 0; ; after += PAGE) {
        const events = await readEvents(db, number, { afterSeq: after, limit: PAGE });
        state = events.reduce(apply, state);
        await saveAlertLinks(db, number, events);
        if (events.length < PAGE) break;
      }
      await db.updateTable('incidents').set({ state: JSON.stringify(state) }).where('number', '=', number).execute();
    }
  },
});
