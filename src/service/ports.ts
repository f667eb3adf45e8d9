import type { IncidentEvent, StoredEvent } from '../domain/incident/events.js';
import type { Incident } from '../domain/incident/state.js';
import type { Severity, Status } from '../domain/incident/types.js';

export type Principal = 'admin' | 'responder' | 'viewer' | 'ingest';

/** A loaded incident: its projected state and the version (= number of events) it stands at. */
export interface LoadedIncident {
  state: Incident;
  version: number;
}

export interface IncidentFilter {
  status?: Status[];
  severity?: Severity[];
  service?: string;
  /** Return incidents with number below this (cursor for newest-first paging). */
  before?: number;
  limit: number;
}

/** One row of the incident list, read from the projection without parsing the whole state. */
export interface IncidentSummary {
  number: number;
  title: string;
  status: Status;
  severity: Severity | null;
  services: string[];
  commander: string | null;
  declaredAt: string;
  startedAt: string | null;
  updatedAt: string;
  version: number;
}

export interface TimelinePage {
  afterSeq?: number;
  limit: number;
}

/** A stored answer to a command sent with an Idempotency-Key. */
export interface IdempotencyRecord {
  scope: string;
  key: string;
  fingerprint: string;
  incident: number;
  version: number;
  createdAt: string;
}

export interface TokenRecord {
  id: string;
  name: string;
  role: Principal;
  hash: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface UserRecord {
  id: string;
  username: string;
  role: Principal;
  passwordHash: string;
  createdAt: string;
  disabledAt: string | null;
}

export interface SessionRecord {
  idHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
}

/** Work done inside one database transaction; all of it commits or none of it does. */
export interface StoreTx {
  /** Next incident number: unique and gap-free across instances (rolled back with the transaction). */
  nextIncidentNumber(): Promise<number>;
  /** The projection of one incident, or undefined; holds other writers to it off until this transaction ends. */
  loadIncident(number: number): Promise<LoadedIncident | undefined>;
  /**
   * Appends events at seq expectedVersion+1… and stores `state` as the projection at the new version.
   * Throws FirebreakError('conflict') when the stream is no longer at expectedVersion (another writer won).
   * expectedVersion 0 creates the incident.
   */
  append(number: number, events: readonly IncidentEvent[], expectedVersion: number, state: Incident): Promise<void>;
  findIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Throws FirebreakError('conflict') when (scope, key) is already stored. */
  saveIdempotency(record: IdempotencyRecord): Promise<void>;
}

/** The persistence port; sqlite/ and postgres/ implement it and pass one contract suite. */
export interface Store {
  readonly engine: 'sqlite' | 'postgres';
  /** Applies pending migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  close(): Promise<void>;
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;

  loadIncident(number: number): Promise<LoadedIncident | undefined>;
  listIncidents(filter: IncidentFilter): Promise<IncidentSummary[]>;
  /** Events of one incident in seq order, paginated. */
  readEvents(number: number, page: TimelinePage): Promise<StoredEvent[]>;
  countEvents(number: number): Promise<number>;
  findIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;

  createToken(t: TokenRecord): Promise<void>;
  findTokenByHash(hash: string): Promise<TokenRecord | undefined>;
  listTokens(): Promise<TokenRecord[]>;
  /** Marks the token revoked; false when no such live token exists. */
  revokeToken(id: string, at: string): Promise<boolean>;

  /** Throws FirebreakError('conflict') when the username is taken. */
  createUser(u: UserRecord): Promise<void>;
  findUserByUsername(username: string): Promise<UserRecord | undefined>;
  findUserById(id: string): Promise<UserRecord | undefined>;
  listUsers(): Promise<UserRecord[]>;

  createSession(s: SessionRecord): Promise<void>;
  findSession(idHash: string): Promise<SessionRecord | undefined>;
  deleteSession(idHash: string): Promise<void>;

  /** True when a live admin token or an enabled admin user exists. */
  hasAdmin(): Promise<boolean>;
}
