import type { IncidentEvent, StoredEvent } from '../domain/incident/events.js';
import type { Incident } from '../domain/incident/state.js';
import type { ActionKind, ActionStatus, Severity, Status } from '../domain/incident/types.js';
import type { Catalog } from '../domain/catalog/types.js';
import type { Deploy, DeploySource } from '../domain/deploys/types.js';
import type { AlertStatus, StoredAlert } from '../domain/alerts/types.js';
import type { TimerJob, TimerKind } from '../domain/timers/plan.js';
import type { TimerRules } from '../domain/timers/rules.js';
import type { OutboxMessage } from '../domain/notifications/types.js';
import type { Maintenance } from '../domain/status/types.js';

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

/** One applied catalog; the newest version is in force. */
export interface CatalogRecord {
  version: number;
  catalog: Catalog;
  appliedAt: string;
  appliedBy: string;
}

export const INTEGRATION_TYPES = ['alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'github', 'generic'] as const;
export type IntegrationType = (typeof INTEGRATION_TYPES)[number];

/** A sender's credentials, as SHA-256 hashes only: a bearer token (or Opsgenie API key), a PagerDuty routing key, or an HMAC secret. */
export interface IntegrationRecord {
  id: string;
  type: IntegrationType;
  name: string;
  tokenHash: string | null;
  routingKeyHash: string | null;
  secretHash: string | null;
  createdAt: string;
  revokedAt: string | null;
}

/** A stored deploy: unique by (source, externalId); later records of the same deploy update it. */
export interface DeployRecord extends Deploy {
  id: string;
  receivedAt: string;
  updatedAt: string;
}

export interface DeployFilter {
  /** Only deploys of these services (all when absent). */
  services?: readonly string[];
  /** Deploys that started at or after this time. */
  since?: string;
  /** Deploys that started at or before this time. */
  until?: string;
  limit: number;
}

/** One alert to store: new (inserted) or known (updated by id). */
export interface AlertWrite {
  alert: Omit<AlertRecord, 'position'>;
  isNew: boolean;
}

/** A stored alert: the normalised alert with where it was routed and what it is linked to. */
export interface AlertRecord extends StoredAlert {
  id: string;
  /** Insertion order; the cursor of the inbox. */
  position: number;
  /** The catalog service the alert was routed to (null: no matcher held). */
  routedService: string | null;
  incident: number | null;
  groupKey: string;
  firstReceivedAt: string;
  integrationId: string | null;
}

export interface AlertFilter {
  status?: AlertStatus;
  /** The routed service. */
  service?: string;
  dedupKey?: string;
  /** Alerts linked to this incident, or `none` for the unlinked (the inbox proper). */
  incident?: number | 'none';
  /** Alerts with position below this (newest-first paging). */
  before?: number;
  limit: number;
}

/**
 * A change committed to the store, for live views: they refetch what it names. Delivered after the
 * commit, to every instance (PostgreSQL LISTEN/NOTIFY) or within the one process (SQLite).
 */
export type Change =
  | { kind: 'incident'; number: number; version: number }
  | { kind: 'alerts' }
  | { kind: 'deploys' }
  | { kind: 'catalog' }
  /** A maintenance was scheduled or cancelled. */
  | { kind: 'maintenances' }
  /** Changes may have been missed (the PostgreSQL listener reconnected): live views refetch everything. */
  | { kind: 'resync' };

/** Work done inside one database transaction; all of it commits or none of it does. */
export interface StoreTx {
  /** Queues a change to publish when this transaction commits (appends queue their own). */
  notify(change: Change): void;
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
  /**
   * The status the incident last recorded for each of these alerts it has linked (absent: never
   * linked), as its appended events say: the facts `decide` needs for RecordAlerts.
   */
  linkedAlerts(number: number, alertIds: readonly string[]): Promise<Map<string, AlertStatus>>;
  findIdempotency(scope: string, key: string): Promise<IdempotencyRecord | undefined>;
  /** Throws FirebreakError('conflict') when (scope, key) is already stored. */
  saveIdempotency(record: IdempotencyRecord): Promise<void>;

  currentCatalog(): Promise<CatalogRecord | undefined>;
  /** Stores a new catalog version and answers its number. */
  saveCatalog(catalog: Catalog, appliedBy: string, at: string): Promise<number>;

  /** Records a GitHub delivery id; false when it was seen before (a redelivery). */
  recordDelivery(id: string, integrationId: string, at: string): Promise<boolean>;
  findDeploy(source: DeploySource, externalId: string): Promise<DeployRecord | undefined>;
  /** Inserts or replaces the deploy with the same (source, externalId). */
  saveDeploy(deploy: DeployRecord): Promise<void>;
  listDeploys(filter: DeployFilter): Promise<DeployRecord[]>;
  /** Numbers of open incidents (investigating or mitigated) touching any of these services, newest first. */
  openIncidentsFor(services: readonly string[]): Promise<number[]>;

  /**
   * The stored alerts with these dedup keys, by key, in one statement; on PostgreSQL locked (in key
   * order, so two writers never wait on each other in a cycle) until the transaction ends.
   */
  findAlerts(dedupKeys: readonly string[]): Promise<Map<string, AlertRecord>>;
  /** The alert with this id; on PostgreSQL locked until the transaction ends. */
  getAlert(id: string): Promise<AlertRecord | undefined>;
  /**
   * Inserts the new alerts (positions assigned in the order given) and updates the others by id, one
   * statement per kind of write. Each dedup key at most once; a new alert whose key another writer
   * stored meanwhile is a conflict.
   */
  saveAlerts(writes: readonly AlertWrite[]): Promise<void>;
  /**
   * Claims an alert group before declaring an incident for it: answers the open incident that holds
   * the group (attach to it instead), or null when the group is now this transaction's (then declare
   * and call setAlertGroupIncident). Throws FirebreakError('conflict') when another writer replaced
   * a stale holder meanwhile.
   */
  claimAlertGroup(groupKey: string, at: string): Promise<number | null>;
  setAlertGroupIncident(groupKey: string, incident: number): Promise<void>;
  /** Writes the messages this transaction's events are worth (the outbox's first half). */
  enqueueNotificationMessages(messages: readonly NotificationMessageRecord[]): Promise<void>;
}

/** The persistence port; sqlite/ and postgres/ implement it and pass one contract suite. */
export interface Store extends OutboxStore {
  readonly engine: 'sqlite' | 'postgres';
  /** Applies pending migrations; safe to call from several instances at once. */
  migrate(): Promise<void>;
  /**
   * For readiness: runs a trivial query (throws when the database does not answer), then counts the
   * migrations applied of those this build knows.
   */
  migrationStatus(): Promise<{ current: number; latest: number; pending: string[] }>;
  close(): Promise<void>;
  transaction<T>(fn: (tx: StoreTx) => Promise<T>): Promise<T>;
  /** Calls `listener` with every committed change; answers the function that stops it. */
  onChange(listener: (change: Change) => void): () => void;
  /**
   * Delivers a change committed through another connection of this process (the SQLite alert worker)
   * to this store's listeners. PostgreSQL ignores it: its listeners hear every commit through LISTEN.
   */
  relay(change: Change): void;

  loadIncident(number: number): Promise<LoadedIncident | undefined>;
  /** The projections of these incidents in the order given, leaving out those that do not exist. */
  loadIncidents(numbers: readonly number[]): Promise<LoadedIncident[]>;
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

  currentCatalog(): Promise<CatalogRecord | undefined>;
  /** The version in force (0 when no catalog was ever applied): a cheap check before using a cached catalog. */
  catalogVersion(): Promise<number>;

  createIntegration(i: IntegrationRecord): Promise<void>;
  findIntegration(id: string): Promise<IntegrationRecord | undefined>;
  /** A live (unrevoked) integration by one of its credential hashes. */
  findIntegrationBy(field: 'tokenHash' | 'routingKeyHash', hash: string): Promise<IntegrationRecord | undefined>;
  listIntegrations(): Promise<IntegrationRecord[]>;
  /** Marks it revoked; false when no such live integration exists. */
  revokeIntegration(id: string, at: string): Promise<boolean>;

  listDeploys(filter: DeployFilter): Promise<DeployRecord[]>;
  openIncidentsFor(services: readonly string[]): Promise<number[]>;

  getAlert(id: string): Promise<AlertRecord | undefined>;
  listAlerts(filter: AlertFilter): Promise<AlertRecord[]>;
}

/** One outbound HTTP request, as a lever webhook or a notification target makes it. */
export interface OutboundRequest {
  url: string;
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
}

/** What came back: the status and at most 500 characters of the body. */
export interface OutboundResponse {
  status: number;
  excerpt: string;
}

/**
 * Every outbound call goes through this: it resolves the host, refuses private/loopback/link-local/CGNAT/
 * multicast/metadata addresses unless the host is allowed, connects to the address it checked, follows no
 * redirect. `send` throws EgressRefusedError (src/domain/errors.ts) before connecting when the address is
 * refused, and a plain Error when the call fails (timeout, connection refused, TLS).
 */
export interface Egress {
  send(req: OutboundRequest): Promise<OutboundResponse>;
  /** The checked address to connect to for a host (used by SMTP); throws EgressRefusedError. */
  resolve(host: string): Promise<string>;
}

// ——— Notifications: targets and the outbox (service/outbox.ts, docs/OPERATIONS.md) ———

/** `statuspage` is a status page subscriber: it gets public messages only, and team routing never picks it. */
export const NOTIFICATION_TARGET_TYPES = ['slack', 'mattermost', 'teams', 'ntfy', 'webhook', 'email', 'statuspage'] as const;
export type NotificationTargetType = (typeof NOTIFICATION_TARGET_TYPES)[number];

/** A registered notification target; its URL, token and signing secret encrypted (service/notification-targets.ts). */
export interface NotificationTargetRecord {
  id: string;
  name: string;
  type: NotificationTargetType;
  /** The URL's host or the mail address: what listing shows. */
  destination: string;
  urlEnc: string | null;
  address: string | null;
  tokenEnc: string | null;
  secretEnc: string | null;
  createdAt: string;
}

/** One event worth a message, written in the event's transaction; routed to targets by the worker. */
export interface NotificationMessageRecord {
  /** `<incident>-<seq>` for a team message; `<incident>-<seq>-incident` and `<incident>-<seq>-c-<component>` for subscribers. */
  id: string;
  incident: number;
  seq: number;
  severity: string | null;
  services: string[];
  message: OutboxMessage;
  createdAt: string;
}

export const DELIVERY_STATES = ['pending', 'sent', 'failed', 'refused'] as const;
export type DeliveryState = (typeof DELIVERY_STATES)[number];

/** One message to one target: the outbox row. Its id is the `webhook-id` receivers dedupe on. */
export interface DeliveryRecord {
  id: string;
  messageId: string;
  incident: number;
  event: string;
  message: OutboxMessage;
  /** The registered target's id, or `inline-<hash>` for a target written in the catalog. */
  targetKey: string;
  targetId: string | null;
  targetName: string;
  targetType: NotificationTargetType;
  /** A catalog-inline target's URL or address (never listed). */
  targetInline: { url?: string; address?: string } | null;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

export interface DeliveryFilter {
  incident?: number;
  state?: DeliveryState;
  /** Rows older than this (newest-first paging). */
  before?: { createdAt: string; id: string };
  limit: number;
}

/** What a finished attempt leaves on the row. */
export interface DeliveryUpdate {
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string;
  lastError: string | null;
  deliveredAt: string | null;
}

export interface OutboxStats {
  /** Messages not yet routed to targets. */
  unrouted: number;
  pending: number;
  /** When the oldest pending delivery or unrouted message was written, or null. */
  oldestPendingAt: string | null;
  byTarget: { target: string; type: string; state: DeliveryState; count: number }[];
}

/** The outbox's storage; the Store implements it. */
export interface OutboxStore {
  createNotificationTarget(t: NotificationTargetRecord): Promise<void>;
  listNotificationTargets(): Promise<NotificationTargetRecord[]>;
  findNotificationTarget(id: string): Promise<NotificationTargetRecord | undefined>;
  findNotificationTargetsByName(names: readonly string[]): Promise<NotificationTargetRecord[]>;
  deleteNotificationTarget(id: string): Promise<boolean>;
  /** The stored value of a named key, storing `candidate` first when there is none (the first instance wins). */
  instanceKey(name: string, candidate: string): Promise<string>;
  unroutedMessages(limit: number): Promise<NotificationMessageRecord[]>;
  /** Inserts the messages' deliveries (ignoring ones already there) and marks them routed, in one transaction. */
  routeMessages(routed: readonly { messageId: string; deliveries: readonly DeliveryRecord[] }[], at: string): Promise<void>;
  /**
   * Claims due pending deliveries whose lease is free or expired, leasing them to `owner` until `until`
   * (PostgreSQL: FOR UPDATE SKIP LOCKED, so instances never claim the same row).
   */
  claimDeliveries(opts: { now: string; until: string; owner: string; limit: number }): Promise<DeliveryRecord[]>;
  /** Records an attempt's outcome and frees the lease; false when the lease was lost to another owner. */
  finishDelivery(id: string, owner: string, update: DeliveryUpdate): Promise<boolean>;
  listDeliveries(filter: DeliveryFilter): Promise<DeliveryRecord[]>;
  outboxStats(): Promise<OutboxStats>;
}

// ——— Timers: durable nudges scheduled with the events that cause them (service/timers.ts) ———

export const TIMER_STATES = ['scheduled', 'fired', 'cancelled'] as const;
export type TimerState = (typeof TIMER_STATES)[number];

/** One timer job: a row of `timers`, at most one scheduled per (incident, key). */
export interface TimerRecord {
  /** `INC-<n>.<key>.<version>`: the key and the incident version that scheduled it. */
  id: string;
  incident: number;
  kind: TimerKind;
  key: string;
  dueAt: string;
  state: TimerState;
  createdAt: string;
  firedAt: string | null;
  cancelledAt: string | null;
  /** The runner holding the claim, until leaseUntil (an expired lease may be claimed again). */
  leaseOwner: string | null;
  leaseUntil: string | null;
  attempts: number;
}

export interface StoreTx {
  /** The timer rules this instance schedules with (service/timers.ts `withTimerRules`); the defaults when absent. */
  readonly timerRules?: TimerRules;
  /** Schedules these jobs, each replacing (cancelling) the incident's scheduled timer of the same key. */
  saveTimers(incident: number, version: number, jobs: readonly TimerJob[], at: string): Promise<void>;
  /** Cancels the incident's scheduled timers of these keys. */
  cancelTimers(incident: number, keys: readonly string[], at: string): Promise<void>;
  /**
   * Claims scheduled timers due at `now` whose lease is free or expired, leasing them to `owner` until
   * `until`, earliest due first (PostgreSQL: FOR UPDATE SKIP LOCKED, so instances never claim the same row).
   */
  claimTimers(opts: { now: string; until: string; owner: string; limit: number }): Promise<TimerRecord[]>;
  /** The timer, locked until this transaction ends (take the incident's lock first). */
  lockTimer(id: string): Promise<TimerRecord | undefined>;
  /** Marks a scheduled timer fired or cancelled and frees its lease. */
  finishTimer(id: string, state: 'fired' | 'cancelled', at: string): Promise<void>;
}

export interface Store {
  /** The incident's timers, by due time. */
  listTimers(incident: number): Promise<TimerRecord[]>;
  /** The incident's earliest scheduled timer, or undefined. */
  nextTimer(incident: number): Promise<TimerRecord | undefined>;
  /** Scheduled timers, and those of them due before `now` (waiting for a runner), with the oldest due time. */
  timerStats(now: string): Promise<{ scheduled: number; overdue: number; oldestDueAt: string | null }>;
}

// ——— Scheduled maintenances for the public status page (service/maintenances.ts) ———

/** Which maintenances to list; the time bounds split them by status at one instant (domain/status/maintenance.ts). */
export interface MaintenanceFilter {
  /** Only those ending after this time (not over yet at it). */
  endsAfter?: string;
  /** Only those ending at or before this time (over at it). */
  endedBy?: string;
  /** Only those starting after this time (not begun at it). */
  startsAfter?: string;
  /** Only those starting at or before this time (begun at it). */
  startedBy?: string;
  /** Cancelled ones too (left out by default). */
  includeCancelled?: boolean;
  /** By start time descending instead of ascending. */
  newestFirst?: boolean;
  limit: number;
}

export interface Store {
  /** Stores a new maintenance and publishes `maintenances`. */
  createMaintenance(m: Maintenance): Promise<void>;
  /** Maintenances by start time (then id), earliest first unless `newestFirst`. */
  listMaintenances(filter: MaintenanceFilter): Promise<Maintenance[]>;
  findMaintenance(id: string): Promise<Maintenance | undefined>;
  /** Sets cancelledAt and publishes `maintenances`; false when none exists, it was cancelled already, or it ended before `at`. */
  cancelMaintenance(id: string, at: string): Promise<boolean>;
}

// ——— Follow-ups and postmortems across incidents, read from the projections (service/follow-ups.ts) ———

export type { PostmortemListState } from '../domain/postmortem/follow-ups.js';
import type { ActionItemRow, PostmortemItem, PostmortemListState } from '../domain/postmortem/follow-ups.js';

export interface PostmortemFilter {
  states?: PostmortemListState[];
  /** Only those overdue at this time (due passed, not published, incident not closed or cancelled); false: only those not. */
  overdue?: { at: string; is: boolean };
  /** Incidents with number below this (newest-first paging). */
  before?: number;
  limit: number;
}

/** One incident's postmortem as lists show it. */
export type PostmortemSummary = Omit<PostmortemItem, 'incident' | 'number' | 'overdue'> & { incident: number };

export interface ActionFilter {
  owner?: string;
  status?: ActionStatus[];
  kind?: ActionKind[];
  incident?: number;
  /** Only those overdue at this time (due passed, not done); false: only those not. */
  overdue?: { at: string; is: boolean };
  /** Items after this one in (dueAt, id) order (paging). */
  after?: { dueAt: string; id: string };
  limit: number;
}

/** One action item with its incident, as lists show it; ordered by deadline, then id. */
export type ActionSummary = Omit<ActionItemRow, 'incident' | 'overdue'> & { incident: number };

export interface Store {
  /** Postmortems of incidents that have one or are resolved, newest incident first. */
  listPostmortems(filter: PostmortemFilter): Promise<PostmortemSummary[]>;
  /** Action items across incidents (cancelled incidents left out), earliest deadline first. */
  listActions(filter: ActionFilter): Promise<ActionSummary[]>;
}

// ——— Insights over any window, aggregated in SQL from the read model (service/insights.ts) ———

import type { InsightsData, InsightsOptions } from '../domain/insights/insights.js';

export interface Store {
  /**
   * The aggregates of one window (docs/API.md#insights): incidents declared in `from`..`to` (as instants,
   * both ends inclusive) and matching the filters, postmortems due in it, action items of those incidents
   * and of every open one, deploys started in it, timers fired in it; `now` decides what is overdue.
   */
  insightsData(q: InsightsOptions): Promise<InsightsData>;
}

// ——— Retention: pruning what is only kept for a while (service/retention.ts; never incidents or their logs) ———

/**
 * What retention prunes: resolved alerts no incident links, finished notification deliveries (sent,
 * failed, refused) and the routed messages they came from, GitHub delivery ids, idempotency keys.
 */
export type RetentionKind = 'alerts' | 'deliveries' | 'messages' | 'github_deliveries' | 'idempotency_keys';

export interface Store {
  /** Deletes up to `limit` rows of `kind` older than `before` (an instant), in one short transaction; answers how many. */
  pruneExpired(kind: RetentionKind, before: string, limit: number): Promise<number>;
}

// ——— Calendar feeds: a schedule's or a person's shifts under a secret URL (service/calendar-feeds.ts) ———

/** What a calendar feed lists: one schedule's shifts, or one person's across every schedule. */
export const CALENDAR_FEED_KINDS = ['schedule', 'person'] as const;
export type CalendarFeedKind = (typeof CALENDAR_FEED_KINDS)[number];

/** A calendar feed; its URL's secret is kept as its SHA-256 only. */
export interface CalendarFeedRecord {
  id: string;
  kind: CalendarFeedKind;
  /** The schedule's canonical name, or the person's name. */
  target: string;
  secretHash: string;
  createdBy: string;
  createdAt: string;
  revokedAt: string | null;
}

export interface Store {
  createCalendarFeed(f: CalendarFeedRecord): Promise<void>;
  /** Every feed, revoked ones too, newest first. */
  listCalendarFeeds(): Promise<CalendarFeedRecord[]>;
  /** The feed whose secret has this hash, revoked or not. */
  findCalendarFeedBySecretHash(hash: string): Promise<CalendarFeedRecord | undefined>;
  /** Marks the feed revoked; false when no such live feed exists. */
  revokeCalendarFeed(id: string, at: string): Promise<boolean>;
}

// ——— Heartbeats: a dead-man's switch that raises an alert when a ping is late (service/heartbeats.ts) ———

/** `waiting` until the first ping, `up` after one, `missed` once a runner raised the late ping's alert. */
export const HEARTBEAT_STATES = ['waiting', 'up', 'missed'] as const;
export type HeartbeatState = (typeof HEARTBEAT_STATES)[number];

/** One heartbeat; its ping token is kept as its SHA-256 only. */
export interface HeartbeatRecord {
  name: string;
  /** The catalog service its alert names. */
  service: string;
  severity: 'critical' | 'error' | 'warning';
  intervalSeconds: number;
  graceSeconds: number;
  tokenHash: string;
  state: HeartbeatState;
  createdAt: string;
  createdBy: string;
  lastPingAt: string | null;
  /** Last ping (or creation) + interval + grace: a ping later than this is a miss. */
  dueAt: string;
  /** When a runner last raised its miss (null until one did). */
  missedAt: string | null;
  /** The runner raising its miss, until leaseUntil (an expired lease may be claimed again). */
  leaseOwner: string | null;
  leaseUntil: string | null;
}

/** What finishHeartbeatMiss did: marked the claim missed, or found it no longer this runner's, and the row as it is. */
export type HeartbeatMissFinish = { finished: true } | { finished: false; current: HeartbeatRecord | undefined };

export interface Store {
  /** Throws FirebreakError('conflict') when the name is taken. */
  createHeartbeat(h: HeartbeatRecord): Promise<void>;
  findHeartbeat(name: string): Promise<HeartbeatRecord | undefined>;
  /** Every heartbeat, by name. */
  listHeartbeats(): Promise<HeartbeatRecord[]>;
  /** Deletes it and answers the row as it was; undefined when none exists. */
  deleteHeartbeat(name: string): Promise<HeartbeatRecord | undefined>;
  /**
   * Records a ping: the heartbeat is up, due at `dueAt`, its lease freed. Answers the row as it was
   * before (its state and lease say whether a miss was raised or being raised), or undefined when none exists.
   */
  pingHeartbeat(name: string, at: string, dueAt: string): Promise<HeartbeatRecord | undefined>;
  /**
   * Claims waiting or up heartbeats due at `now` whose lease is free or expired, leasing them to `owner`
   * until `until`, earliest due first (PostgreSQL: FOR UPDATE SKIP LOCKED, so instances never claim the same row).
   */
  claimHeartbeats(opts: { now: string; until: string; owner: string; limit: number }): Promise<HeartbeatRecord[]>;
  /**
   * Marks a claimed heartbeat missed and frees the lease, if `owner` still holds it and the heartbeat is
   * still waiting or up. Otherwise answers the row as it is now (undefined when deleted): a ping freed the
   * lease, or it expired and another runner claimed the row (and may have marked it missed).
   */
  finishHeartbeatMiss(name: string, owner: string, at: string): Promise<HeartbeatMissFinish>;
  /** How many heartbeats are in each state. */
  heartbeatStats(): Promise<Record<HeartbeatState, number>>;
}

// ——— People's contact methods and notification rules (service/contact-methods.ts) ———

/** How a person is reached; `sms` and `voice` go through a phone provider (service/phone-provider.ts). */
export const CONTACT_METHOD_TYPES = ['email', 'ntfy', 'slack', 'webhook', 'sms', 'voice'] as const;
export type ContactMethodType = (typeof CONTACT_METHOD_TYPES)[number];

/** A person's contact method; its URL, token, address, number and secret sealed as one JSON (`configEnc`). */
export interface ContactMethodRecord {
  id: string;
  person: string;
  type: ContactMethodType;
  label: string;
  /** For display: the URL's host, or the address or number masked. */
  destination: string;
  configEnc: string;
  /** The pending code's hash, until the method is verified. */
  verifyCodeHash: string | null;
  verifyExpiresAt: string | null;
  /** Wrong codes entered since the code was sent. */
  verifyAttempts: number;
  verifiedAt: string | null;
  createdAt: string;
}

export type ContactVerificationUpdate = Pick<ContactMethodRecord, 'verifyCodeHash' | 'verifyExpiresAt' | 'verifyAttempts' | 'verifiedAt'>;

/** What a verification write read: it applies only while the pending code and its attempts are still these. */
export type ContactVerificationRead = Pick<ContactMethodRecord, 'verifyCodeHash' | 'verifyAttempts'>;

/**
 * A verification code about to go out, counted against its person: at most `limit` in the `windowSeconds`
 * before `at` (by the injected clock), whatever became of the methods they went to.
 */
export interface ContactCodeSend {
  person: string;
  at: string;
  limit: number;
  windowSeconds: number;
}

/** `ok`; `raced` when another write changed the method first; or, when the person's sends are used up, when the next is allowed. */
export type ContactWriteResult = 'ok' | 'raced' | { retryAfterSeconds: number };

/** One step of a person's paging: after `delayMinutes`, this contact method. */
export interface NotificationRuleRecord {
  id: string;
  person: string;
  contactMethodId: string;
  delayMinutes: number;
  createdAt: string;
}

export interface Store {
  /** Stores the method and counts the code `send` is about to send, in one transaction; nothing stored when the sends are used up. */
  createContactMethod(m: ContactMethodRecord, send: ContactCodeSend): Promise<Exclude<ContactWriteResult, 'raced'>>;
  findContactMethod(id: string): Promise<ContactMethodRecord | undefined>;
  /** A person's methods, oldest first. */
  listContactMethods(person: string): Promise<ContactMethodRecord[]>;
  /**
   * Sets the verification fields while the code hash and attempts are still `read`'s (`raced` otherwise); with
   * `send` (a new code) in the same transaction as counting it, nothing written when the sends are used up.
   */
  updateContactVerification(id: string, read: ContactVerificationRead, u: ContactVerificationUpdate, send?: ContactCodeSend): Promise<ContactWriteResult>;
  /** Deletes the method and every rule naming it; false when none exists. */
  deleteContactMethod(id: string): Promise<boolean>;
  /** Replaces all of a person's rules in one transaction. */
  replaceNotificationRules(person: string, rules: readonly NotificationRuleRecord[]): Promise<void>;
  /** A person's rules by delay. */
  listNotificationRules(person: string): Promise<NotificationRuleRecord[]>;
}
