import { type Kysely, type Selectable } from 'kysely';
import { conflict, FirebreakError } from '../../domain/errors.js';
import type { IncidentEvent, StoredEvent } from '../../domain/incident/events.js';
import { alertStatusesIn, type Incident } from '../../domain/incident/state.js';
import { formatIncidentId, type Severity, type Status } from '../../domain/incident/types.js';
import type {
  IdempotencyRecord,
  IncidentFilter,
  IncidentSummary,
  LoadedIncident,
  Principal,
  SessionRecord,
  Store,
  StoreTx,
  TimelinePage,
  Change,
  TokenRecord,
  UserRecord,
} from '../../service/ports.js';
import { migrationStatus } from '../migrations/index.js';
import { calendarFeedStore } from './calendar-feeds-store.js';
import { contactMethodStore } from './contact-methods-store.js';
import { asConflict, isUniqueViolation } from './errors.js';
import { heartbeatStore } from './heartbeats-store.js';
import { inputReads, inputTx } from './inputs-store.js';
import { maintenanceStore, type PublishingWrite } from './maintenances-store.js';
import { outboxStore, outboxTx } from './outbox-store.js';
import { saveReadModel } from './read-model.js';
import { readModelReads } from './read-model-store.js';
import { retentionStore } from './retention-store.js';
import { timerReads, timerTx } from './timers-store.js';
import type { Database, Engine } from './schema.js';

export type Db = Kysely<Database>;

/** What differs between the engines; everything else is the shared Kysely code below. */
export interface EngineParts {
  engine: Engine;
  /** Writes outside a transaction. */
  db: Db;
  /** Reads outside a transaction: committed data only. */
  reader: Db;
  transaction<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  migrate(): Promise<void>;
  close(): Promise<void>;
  /**
   * How committed changes reach listeners. Without it (SQLite: one process owns the file) they are
   * emitted in-process after the commit. With it (PostgreSQL), `inTx` sends them inside the
   * transaction, so they are delivered exactly when it commits, `afterCommit` what is better sent
   * after, and `listen` delivers every instance's changes, this one's included.
   */
  changes?: {
    inTx(db: Db, changes: readonly Change[]): Promise<void>;
    /** What `inTx` leaves to be sent once the transaction has committed. */
    afterCommit(db: Db, changes: readonly Change[]): void;
    listen(emit: (change: Change) => void): Promise<void>;
  };
  /**
   * The alert hot path in the engine's own way, for the transaction on `db`: prepared statements per
   * alert in-process (SQLite: building a query costs more than running it), a few set-based
   * statements per batch over the network (PostgreSQL: the round trip is the cost).
   */
  alertStatements(db: Db): Pick<StoreTx, 'findAlerts' | 'saveAlerts'>;
  /**
   * Resolves once every write committed so far is on disk, for engines whose commit does not wait
   * for that itself (SQLite here: see sqlite/open.ts). `transaction` must already wait for it.
   */
  durable?(): Promise<void>;
}

/** The writes made outside a transaction; on an engine with `durable` they wait for it too. */
const PLAIN_WRITES = [
  'createToken',
  'revokeToken',
  'createUser',
  'createSession',
  'deleteSession',
  'createIntegration',
  'revokeIntegration',
  'createNotificationTarget',
  'deleteNotificationTarget',
  'instanceKey',
  'routeMessages',
  'claimDeliveries',
  'finishDelivery',
  'createHeartbeat',
  'finishHeartbeatMiss',
] as const satisfies readonly (keyof Store)[];

function durableWrites(store: Store, durable: (() => Promise<void>) | undefined): Store {
  if (!durable) return store;
  const wrapped: Record<string, unknown> = { ...store };
  for (const name of PLAIN_WRITES) {
    const write = store[name] as (...args: unknown[]) => Promise<unknown>;
    wrapped[name] = async (...args: unknown[]) => {
      const result = await write(...args);
      await durable();
      return result;
    };
  }
  return wrapped as unknown as Store;
}

// Rows per multi-row insert and values per `in` list: well under both engines' bound-parameter limits.
const CHUNK = 500;

export function kyselyStore(p: EngineParts): Store {
  const { db, reader } = p;
  const listeners = new Set<(change: Change) => void>();
  const emit = (change: Change) => {
    for (const l of listeners) {
      try {
        l(change);
      } catch {
        // A listener's failure is its own; the commit it reports has happened.
      }
    }
  };
  let listening: Promise<void> | undefined;
  /** After a commit: its changes to this process's listeners (SQLite), or what is sent after it (PostgreSQL). */
  const committed = (pending: Change[]) => {
    if (!p.changes) pending.forEach(emit);
    else if (pending.length > 0) p.changes.afterCommit(db, pending);
  };
  const publishing: PublishingWrite = async (fn) => {
    const pending: Change[] = [];
    const result = await p.transaction(async (trx) => {
      const value = await fn(trx, (change) => pending.push(change));
      if (p.changes && pending.length > 0) await p.changes.inTx(trx, pending);
      return value;
    });
    committed(pending);
    return result;
  };
  const store: Store = {
    engine: p.engine,
    migrate: () => p.migrate(),
    migrationStatus: () => migrationStatus(reader, p.engine),
    close: () => p.close(),
    transaction: async <T>(fn: (tx: StoreTx) => Promise<T>) => {
      const pending: Change[] = [];
      const result = await p.transaction(async (trx) => {
        const value = await fn(storeTx(trx, p.engine, pending, p.alertStatements));
        if (p.changes && pending.length > 0) await p.changes.inTx(trx, pending);
        return value;
      });
      committed(pending);
      return result;
    },
    relay: (change) => {
      if (!p.changes) emit(change);
    },
    onChange: (listener) => {
      listeners.add(listener);
      if (p.changes) listening ??= p.changes.listen(emit);
      return () => listeners.delete(listener);
    },

    ...inputReads(db, reader),
    ...timerReads(reader),
    ...maintenanceStore(reader, publishing),
    ...heartbeatStore(p.engine, db, reader, (fn) => p.transaction(fn)),
    ...retentionStore((fn) => p.transaction(fn)),
    ...calendarFeedStore(reader, (fn) => p.transaction(fn)),
    ...contactMethodStore(reader, (fn) => p.transaction(fn)),
    ...readModelReads(reader),
    ...outboxStore(p.engine, db, reader, (fn) => p.transaction(fn)),
    loadIncident: (number) => loadIncident(reader, number),
    loadIncidents: (numbers) => loadIncidents(reader, numbers),
    listIncidents: (filter) => listIncidents(reader, filter),
    readEvents: (number, page) => readEvents(reader, number, page),
    countEvents: async (number) => {
      const row = await reader
        .selectFrom('events')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('incident_number', '=', number)
        .executeTakeFirstOrThrow();
      return Number(row.n);
    },
    findIdempotency: (scope, key) => findIdempotency(reader, scope, key),

    createToken: async (t) => {
      await asConflict(`A live token is already named ${t.name}; choose another name, or revoke that token first.`, () =>
        db
          .insertInto('tokens')
          .values({ id: t.id, name: t.name, role: t.role, hash: t.hash, created_at: t.createdAt, revoked_at: t.revokedAt })
          .execute(),
      );
    },
    findTokenByHash: async (hash) => {
      const row = await reader.selectFrom('tokens').selectAll().where('hash', '=', hash).executeTakeFirst();
      return row && toToken(row);
    },
    listTokens: async () =>
      (await reader.selectFrom('tokens').selectAll().orderBy('created_at').orderBy('id').execute()).map(toToken),
    revokeToken: async (id, at) => {
      const r = await db
        .updateTable('tokens')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },

    createUser: async (u) => {
      await asConflict(`The username ${u.username} is taken.`, () =>
        db
          .insertInto('users')
          .values({
            id: u.id,
            username: u.username,
            role: u.role,
            password_hash: u.passwordHash,
            created_at: u.createdAt,
            disabled_at: u.disabledAt,
          })
          .execute(),
      );
    },
    findUserByUsername: async (username) => {
      const row = await reader.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
      return row && toUser(row);
    },
    findUserById: async (id) => {
      const row = await reader.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },
    listUsers: async () =>
      (await reader.selectFrom('users').selectAll().orderBy('created_at').orderBy('id').execute()).map(toUser),

    createSession: async (s) => {
      await db
        .insertInto('sessions')
        .values({ id_hash: s.idHash, user_id: s.userId, created_at: s.createdAt, expires_at: s.expiresAt })
        .execute();
    },
    findSession: async (idHash) => {
      const row = await reader.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
      return row && toSession(row);
    },
    deleteSession: async (idHash) => {
      await db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
    },

    hasAdmin: async () => {
      const token = await reader
        .selectFrom('tokens')
        .select('id')
        .where('role', '=', 'admin')
        .where('revoked_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      if (token) return true;
      const user = await reader
        .selectFrom('users')
        .select('id')
        .where('role', '=', 'admin')
        .where('disabled_at', 'is', null)
        .limit(1)
        .executeTakeFirst();
      return user !== undefined;
    },
  };
  return durableWrites(store, p.durable?.bind(p));
}

function storeTx(db: Db, engine: Engine, pending: Change[], alertStatements: EngineParts['alertStatements']): StoreTx {
  return {
    ...inputTx(db, engine),
    ...timerTx(db, engine),
    ...outboxTx(db),
    ...alertStatements(db),
    notify: (change) => pending.push(change),
    nextIncidentNumber: async () => {
      // The row lock taken by this UPDATE serialises concurrent declarations until commit.
      const row = await db
        .updateTable('counters')
        .set((eb) => ({ value: eb('value', '+', 1) }))
        .where('name', '=', 'incident')
        .returning('value')
        .executeTakeFirstOrThrow();
      return Number(row.value);
    },
    // Inside a write transaction PostgreSQL locks the row, so writers to one incident queue instead of
    // colliding; SQLite's BEGIN IMMEDIATE already serialises them. The version check stays as a safety net.
    loadIncident: (number) => loadIncident(db, number, engine === 'postgres'),
    append: async (number, events, expectedVersion, state) => {
      await append(db, number, events, expectedVersion, state);
      if (events.length > 0) pending.push({ kind: 'incident', number, version: state.version });
    },
    linkedAlerts: async (number, alertIds) => {
      const found = new Map<string, 'firing' | 'resolved'>();
      const ids = [...new Set(alertIds)];
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await db
          .selectFrom('incident_alerts')
          .select(['alert_id', 'status'])
          .where('incident_number', '=', number)
          .where('alert_id', 'in', ids.slice(i, i + CHUNK))
          .execute();
        for (const r of rows) found.set(r.alert_id, r.status as 'firing' | 'resolved');
      }
      return found;
    },
    findIdempotency: (scope, key) => findIdempotency(db, scope, key),
    saveIdempotency: async (r) => {
      const result = await db
        .insertInto('idempotency_keys')
        .values({
          scope: r.scope,
          key: r.key,
          fingerprint: r.fingerprint,
          incident_number: r.incident,
          version: r.version,
          created_at: r.createdAt,
        })
        .onConflict((oc) => oc.columns(['scope', 'key']).doNothing())
        .executeTakeFirst();
      if (result.numInsertedOrUpdatedRows === 0n) throw conflict('This Idempotency-Key is already stored.');
    },
  };
}

async function loadIncident(db: Db, number: number, lock = false): Promise<LoadedIncident | undefined> {
  const query = db.selectFrom('incidents').select(['state', 'version']).where('number', '=', number);
  const row = await (lock ? query.forUpdate() : query).executeTakeFirst();
  return row && { state: JSON.parse(row.state) as Incident, version: row.version };
}

async function loadIncidents(db: Db, numbers: readonly number[]): Promise<LoadedIncident[]> {
  const found = new Map<number, LoadedIncident>();
  for (let i = 0; i < numbers.length; i += CHUNK) {
    const rows = await db
      .selectFrom('incidents')
      .select(['number', 'state', 'version'])
      .where('number', 'in', numbers.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) found.set(r.number, { state: JSON.parse(r.state) as Incident, version: r.version });
  }
  return numbers.flatMap((n) => found.get(n) ?? []);
}

async function append(
  db: Db,
  number: number,
  events: readonly IncidentEvent[],
  expectedVersion: number,
  state: Incident,
): Promise<void> {
  const last = events.at(-1);
  if (!last) return;
  const version = expectedVersion + events.length;
  if (state.version !== version) {
    throw new FirebreakError('internal', `append: state is at version ${state.version}, the events end at ${version}`);
  }
  const stale = () =>
    conflict(`${formatIncidentId(number)} is no longer at version ${expectedVersion}: reload and retry.`, {
      incident: number,
      expectedVersion,
    });
  const recordedAt = new Date().toISOString();
  const rows = events.map((e, i) => ({
    incident_number: number,
    seq: expectedVersion + i + 1,
    type: e.type,
    at: e.at,
    actor: e.actor,
    data: JSON.stringify(e.data),
    recorded_at: recordedAt,
  }));
  const projection = projectionRow(state, last.at);
  // The projection first: its version check (or primary key, for a new incident) turns a lost race into
  // a conflict before anything is written, so seqs stay 1..version without gaps even if a caller commits anyway.
  try {
    if (expectedVersion === 0) {
      const r = await db
        .insertInto('incidents')
        .values({ number, ...projection })
        .onConflict((oc) => oc.column('number').doNothing())
        .executeTakeFirst();
      if (r.numInsertedOrUpdatedRows === 0n) throw stale();
    } else {
      const r = await db
        .updateTable('incidents')
        .set(projection)
        .where('number', '=', number)
        .where('version', '=', expectedVersion)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw stale();
    }
    for (let i = 0; i < rows.length; i += CHUNK) {
      await db.insertInto('events').values(rows.slice(i, i + CHUNK)).execute();
    }
  } catch (err) {
    if (isUniqueViolation(err)) throw stale();
    throw err;
  }
  await syncServices(db, number, state.services);
  await saveAlertLinks(db, number, events);
  await saveReadModel(
    db,
    state,
    events.map((e) => e.type),
  );
}

/** The incidents row of a state (`at`: the time of its last event, for a state that records none). */
export function projectionRow(state: Incident, at = state.lastEventAt ?? '') {
  return {
    title: state.title,
    status: state.status,
    severity: state.severity,
    commander: state.roles.commander,
    declared_at: state.milestones.declaredAt ?? at,
    started_at: state.milestones.startedAt,
    updated_at: state.lastEventAt ?? at,
    version: state.version,
    state: JSON.stringify(state),
  };
}

/** Keeps incident_alerts (the status the incident recorded for each alert it linked) in step with the log. */
export async function saveAlertLinks(db: Db, number: number, events: readonly IncidentEvent[]) {
  const rows = [...alertStatusesIn(events)].map(([alert_id, status]) => ({ incident_number: number, alert_id, status }));
  for (let i = 0; i < rows.length; i += CHUNK) {
    await db
      .insertInto('incident_alerts')
      .values(rows.slice(i, i + CHUNK))
      .onConflict((oc) => oc.columns(['incident_number', 'alert_id']).doUpdateSet((eb) => ({ status: eb.ref('excluded.status') })))
      .execute();
  }
}

async function syncServices(db: Db, number: number, services: readonly string[]) {
  const wanted = [...new Set(services)];
  const current = await db
    .selectFrom('incident_services')
    .select('service')
    .where('number', '=', number)
    .orderBy('ord')
    .execute();
  if (current.length === wanted.length && current.every((r, i) => r.service === wanted[i])) return;
  await db.deleteFrom('incident_services').where('number', '=', number).execute();
  if (wanted.length > 0) {
    await db
      .insertInto('incident_services')
      .values(wanted.map((service, ord) => ({ number, service, ord })))
      .execute();
  }
}

async function listIncidents(db: Db, f: IncidentFilter): Promise<IncidentSummary[]> {
  let q = db
    .selectFrom('incidents')
    .select(['number', 'title', 'status', 'severity', 'commander', 'declared_at', 'started_at', 'updated_at', 'version'])
    .orderBy('number', 'desc')
    .limit(f.limit);
  if (f.status?.length) q = q.where('status', 'in', f.status);
  if (f.severity?.length) q = q.where('severity', 'in', f.severity);
  if (f.before !== undefined) q = q.where('number', '<', f.before);
  const service = f.service;
  if (service !== undefined) {
    q = q.where('number', 'in', (eb) =>
      eb.selectFrom('incident_services').select('number').where('service', '=', service),
    );
  }
  const rows = await q.execute();
  if (rows.length === 0) return [];

  const services = new Map<number, string[]>();
  const links = await db
    .selectFrom('incident_services')
    .select(['number', 'service'])
    .where(
      'number',
      'in',
      rows.map((r) => r.number),
    )
    .orderBy('number')
    .orderBy('ord')
    .execute();
  for (const l of links) services.set(l.number, [...(services.get(l.number) ?? []), l.service]);

  return rows.map((r) => ({
    number: r.number,
    title: r.title,
    status: r.status as Status,
    severity: r.severity as Severity | null,
    services: services.get(r.number) ?? [],
    commander: r.commander,
    declaredAt: r.declared_at,
    startedAt: r.started_at,
    updatedAt: r.updated_at,
    version: r.version,
  }));
}

export async function readEvents(db: Db, number: number, page: TimelinePage): Promise<StoredEvent[]> {
  const after = page.afterSeq ?? 0;
  const rows = await db
    .selectFrom('events')
    .select(['seq', 'type', 'at', 'actor', 'data'])
    .where('incident_number', '=', number)
    .where('seq', '>', after)
    // Seqs are gap-free, so the page's range is known: this bound keeps the read small even when
    // PostgreSQL's statistics are stale and it picks a bitmap scan over the whole stream.
    .where('seq', '<=', after + page.limit)
    .orderBy('seq')
    .limit(page.limit)
    .execute();
  return rows.map(
    (r) =>
      ({ incident: number, seq: r.seq, type: r.type, at: r.at, actor: r.actor, data: JSON.parse(r.data) }) as StoredEvent,
  );
}

async function findIdempotency(db: Db, scope: string, key: string): Promise<IdempotencyRecord | undefined> {
  const r = await db
    .selectFrom('idempotency_keys')
    .selectAll()
    .where('scope', '=', scope)
    .where('key', '=', key)
    .executeTakeFirst();
  return (
    r && {
      scope: r.scope,
      key: r.key,
      fingerprint: r.fingerprint,
      incident: r.incident_number,
      version: r.version,
      createdAt: r.created_at,
    }
  );
}

const toToken = (r: Selectable<Database['tokens']>): TokenRecord => ({
  id: r.id,
  name: r.name,
  role: r.role as Principal,
  hash: r.hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

const toUser = (r: Selectable<Database['users']>): UserRecord => ({
  id: r.id,
  username: r.username,
  role: r.role as Principal,
  passwordHash: r.password_hash,
  createdAt: r.created_at,
  disabledAt: r.disabled_at,
});

const toSession = (r: Selectable<Database['sessions']>): SessionRecord => ({
  idHash: r.id_hash,
  userId: r.user_id,
  createdAt: r.created_at,
  expiresAt: r.expires_at,
});
