import { sql } from 'kysely';
import type { StoreTx } from '../../service/ports.js';
import { asConflict } from '../shared/errors.js';
import { alertRow, type AlertRow, alertUpdate, toAlert } from '../shared/inputs-store.js';
import type { Db } from '../shared/kysely-store.js';

// The alert row's columns with their PostgreSQL types: each becomes one array parameter of unnest().
const COLUMN_TYPES: Record<keyof AlertRow, 'text' | 'integer'> = {
  id: 'text',
  dedup_key: 'text',
  source: 'text',
  status: 'text',
  service: 'text',
  sender_service: 'text',
  summary: 'text',
  severity: 'text',
  signal: 'text',
  labels: 'text',
  annotations: 'text',
  starts_at: 'text',
  ends_at: 'text',
  generator_url: 'text',
  first_received_at: 'text',
  received_at: 'text',
  occurrences: 'integer',
  incident_number: 'integer',
  group_key: 'text',
  integration_id: 'text',
};
const COLUMNS = Object.keys(COLUMN_TYPES) as (keyof AlertRow)[];

/** The rows as one array per column, typed, for `unnest(…)`: a fixed statement whatever the row count. */
const unnestOf = (rows: AlertRow[]) =>
  sql.join(COLUMNS.map((c) => sql`${rows.map((r) => r[c])}::${sql.raw(COLUMN_TYPES[c])}[]`));

/**
 * The alert hot path on PostgreSQL, set-based: one round trip for every dedup key of a group commit,
 * one for its new alerts and one for its changed ones, however many alerts the group holds.
 */
export function postgresAlertStatements(db: Db): Pick<StoreTx, 'findAlerts' | 'saveAlerts'> {
  return {
    findAlerts: async (dedupKeys) => {
      const found = new Map<string, ReturnType<typeof toAlert>>();
      if (dedupKeys.length === 0) return found;
      const { rows } = await sql<Parameters<typeof toAlert>[0]>`
        select * from alerts where dedup_key = any(${[...dedupKeys]}::text[]) order by dedup_key for update`.execute(db);
      for (const r of rows) found.set(r.dedup_key, toAlert(r));
      return found;
    },
    saveAlerts: async (writes) => {
      const inserts = writes.filter((w) => w.isNew).map((w) => alertRow(w.alert));
      const updates = writes.filter((w) => !w.isNew).map((w) => alertRow(w.alert));
      if (inserts.length > 0) {
        await asConflict(inserts.length === 1 ? `Alert ${inserts[0]!.dedup_key} was stored meanwhile.` : 'An alert of this batch was stored meanwhile.', () =>
          sql`insert into alerts (${sql.raw(COLUMNS.join(', '))}) select * from unnest(${unnestOf(inserts)})`.execute(db),
        );
      }
      if (updates.length > 0) {
        const set = Object.keys(alertUpdate(updates[0]!)).map((c) => `${c} = u.${c}`).join(', ');
        await sql`update alerts as a set ${sql.raw(set)}
          from unnest(${unnestOf(updates)}) as u(${sql.raw(COLUMNS.join(', '))}) where a.id = u.id`.execute(db);
      }
    },
  };
}

