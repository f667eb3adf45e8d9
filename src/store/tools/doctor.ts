import { sql } from 'kysely';
import { countAll, hasTable, TABLES, type Opened, type Table, schemaVersion } from './db.js';
import { checkProjections, incidentBatch, replayIncidents, type Drift } from './replay.js';

/** How many differing incidents doctor names one by one. */
const SHOWN = 5;

export interface DoctorReport {
  schema: { applied: number; latest: number };
  counts: Partial<Record<Table, number>>;
  /** Incidents whose projection was compared with the replay of their log. */
  checked: number;
  problems: string[];
}

/** Checks a database: schema vs this build, every projection vs its log, the read model, and counts. */
export async function doctor(o: Opened): Promise<DoctorReport> {
  const problems: string[] = [];
  const version = await schemaVersion(o);
  if (!version) {
    return { schema: { applied: 0, latest: 0 }, counts: {}, checked: 0, problems: ['not a Firebreak database: it has no kysely_migration table'] };
  }
  if (version.unknown.length > 0) {
    problems.push(`the schema is newer than this build (migrations it does not know: ${version.unknown.join(', ')}): use a newer Firebreak`);
  }
  if (version.pending.length > 0) {
    problems.push(`${version.pending.length} migration(s) not applied (${version.pending.join(', ')}): the server applies them when it starts`);
  }
  const present: Table[] = [];
  for (const t of TABLES) if (await hasTable(o, t)) present.push(t);
  const missing = TABLES.filter((t) => !present.includes(t));
  if (missing.length > 0 && version.pending.length === 0) problems.push(`tables missing: ${missing.join(', ')}`);
  const counts = await countAll(o.db, present);
  const report: DoctorReport = { schema: { applied: version.applied.length, latest: version.latest }, counts, checked: 0, problems };
  if (missing.length > 0 || version.pending.length > 0) return report;

  const counter = await o.db.selectFrom('counters').select('value').where('name', '=', 'incident').executeTakeFirst();
  const top = await o.db.selectFrom('incidents').select((eb) => eb.fn.max('number').as('n')).executeTakeFirst();
  const highest = Number(top?.n ?? 0);
  if (!counter) problems.push('the incident counter row is missing');
  else if (Number(counter.value) < highest) {
    problems.push(`the incident counter is at ${counter.value} but INC-${highest} exists: the next declaration would collide`);
  }

  const drift: Drift[] = [];
  for (let after = 0; ; ) {
    const numbers = await incidentBatch(o.db, after);
    const last = numbers.at(-1);
    if (last === undefined) break;
    drift.push(...(await checkProjections(o.db, await replayIncidents(o.db, numbers))));
    report.checked += numbers.length;
    after = last;
  }
  for (const d of drift.slice(0, SHOWN)) problems.push(d.problem);
  if (drift.length > SHOWN) problems.push(`… and ${drift.length - SHOWN} more incident(s) differ: run firebreak rebuild-projections`);
  else if (drift.length > 0) problems.push('run firebreak rebuild-projections to rewrite them from their logs');

  const orphans = await sql<{ n: number | string }>`
    select count(*) as n from incident_facts f where not exists (select 1 from incidents i where i.number = f.number)`.execute(o.db);
  if (Number(orphans.rows[0]?.n) > 0) problems.push(`${orphans.rows[0]?.n} read model (incident_facts) row(s) without an incident`);
  const gaps = await sql<{ n: number | string }>`
    select count(*) as n from incidents i where i.version <> (select count(*) from events e where e.incident_number = i.number)`.execute(o.db);
  if (Number(gaps.rows[0]?.n) > 0) problems.push(`${gaps.rows[0]?.n} incident(s) whose version is not their number of events`);
  return report;
}

/** The counts doctor and the other tools print, in one line. */
export const COUNTED: readonly Table[] = [
  'incidents',
  'events',
  'alerts',
  'deploys',
  'users',
  'tokens',
  'integrations',
  'outbox',
  'timers',
];

export const countsLine = (counts: Partial<Record<Table, number>>) =>
  COUNTED.filter((t) => counts[t] !== undefined)
    .map((t) => `${t} ${counts[t]}`)
    .join(', ');
