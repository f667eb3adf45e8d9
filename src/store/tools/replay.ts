import { isDeepStrictEqual } from 'node:util';
import type { IncidentEvent } from '../../domain/incident/events.js';
import { apply, initialIncident, type Incident } from '../../domain/incident/state.js';
import { projectionRow } from '../shared/kysely-store.js';
import { readModelRows, saveReadModel } from '../shared/read-model.js';
import type { Db } from './db.js';

/** Incidents per batch (migration 0009 takes 500 at a time); their events are read in pages of EVENT_PAGE. */
export const BATCH = 200;
const EVENT_PAGE = 20_000;

/** The next `limit` incident numbers after `after`; `lock`: FOR UPDATE (PostgreSQL), so writers to them wait. */
export async function incidentBatch(db: Db, after: number, limit = BATCH, lock = false): Promise<number[]> {
  const q = db.selectFrom('incidents').select('number').where('number', '>', after).orderBy('number').limit(limit);
  return (await (lock ? q.forUpdate() : q).execute()).map((r) => r.number);
}

/** Replays the logs of these incidents (ascending numbers) with this build's `apply`. */
export async function replayIncidents(db: Db, numbers: readonly number[]): Promise<Map<number, Incident>> {
  const states = new Map<number, Incident>(numbers.map((n) => [n, initialIncident(n)]));
  const first = numbers[0];
  const last = numbers.at(-1);
  if (first === undefined || last === undefined) return states;
  // One batch's events in (incident, seq) order, paged by position in that order.
  for (let from = { number: 0, seq: 0 }; ; ) {
    const rows = await db
      .selectFrom('events')
      .select(['incident_number', 'seq', 'type', 'at', 'actor', 'data'])
      .where('incident_number', '>=', first)
      .where('incident_number', '<=', last)
      .where((eb) =>
        eb.or([eb('incident_number', '>', from.number), eb.and([eb('incident_number', '=', from.number), eb('seq', '>', from.seq)])]),
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
  return states;
}

/** Rewrites the projection and read model of each replayed state (an incident without events is left alone). */
export async function writeProjections(db: Db, states: Map<number, Incident>): Promise<number> {
  let n = 0;
  for (const [number, state] of states) {
    if (state.version === 0) continue;
    await db.updateTable('incidents').set(projectionRow(state)).where('number', '=', number).execute();
    await saveReadModel(db, state, 'all');
    n++;
  }
  return n;
}

/** One incident whose stored projection or read model is not what its log replays to. */
export interface Drift {
  number: number;
  problem: string;
}

/**
 * Compares each replayed state with the stored projection (version, status, the whole state) and the read
 * model rows with what the projection implies (a facts row, the people and action item counts).
 */
export async function checkProjections(db: Db, states: Map<number, Incident>): Promise<Drift[]> {
  const numbers = [...states.keys()];
  if (numbers.length === 0) return [];
  const stored = new Map(
    (await db.selectFrom('incidents').select(['number', 'status', 'version', 'state']).where('number', 'in', numbers).execute()).map((r) => [r.number, r]),
  );
  const facts = new Set(
    (await db.selectFrom('incident_facts').select('number').where('number', 'in', numbers).execute()).map((r) => r.number),
  );
  const counts = async (table: 'incident_people' | 'action_items') =>
    new Map(
      (
        await db
          .selectFrom(table)
          .select((eb) => ['incident_number', eb.fn.countAll().as('n')])
          .where('incident_number', 'in', numbers)
          .groupBy('incident_number')
          .execute()
      ).map((r) => [r.incident_number, Number(r.n)]),
    );
  const people = await counts('incident_people');
  const actions = await counts('action_items');
  const drift: Drift[] = [];
  for (const [number, replayed] of states) {
    const row = stored.get(number);
    if (!row) continue;
    const id = `INC-${number}`;
    if (replayed.version === 0) {
      drift.push({ number, problem: `${id} has a projection at version ${row.version} but no events` });
      continue;
    }
    if (row.version !== replayed.version) {
      drift.push({ number, problem: `${id} projection is at version ${row.version}, its log replays to version ${replayed.version}` });
      continue;
    }
    if (row.status !== replayed.status) {
      drift.push({ number, problem: `${id} projection has status ${row.status}, its log replays to ${replayed.status}` });
      continue;
    }
    let state: unknown;
    try {
      state = JSON.parse(row.state);
    } catch {
      drift.push({ number, problem: `${id} projection is not valid JSON` });
      continue;
    }
    if (!isDeepStrictEqual(state, JSON.parse(JSON.stringify(replayed)))) {
      drift.push({ number, problem: `${id} projection differs from the replay of its log (same version ${row.version})` });
      continue;
    }
    const want = readModelRows(replayed);
    const got = { people: people.get(number) ?? 0, actions: actions.get(number) ?? 0 };
    if (!facts.has(number)) drift.push({ number, problem: `${id} has no read model (incident_facts) row` });
    else if (got.people !== want.people.length || got.actions !== want.actions.length) {
      drift.push({
        number,
        problem: `${id} read model has ${got.people} people and ${got.actions} action items, its projection ${want.people.length} and ${want.actions.length}`,
      });
    }
  }
  return drift;
}
