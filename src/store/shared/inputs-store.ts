import type { Selectable } from 'kysely';
import { conflict } from '../../domain/errors.js';
import { ACTIVE_STATUSES } from '../../domain/incident/types.js';
import { asConflict } from './errors.js';
import type { Catalog } from '../../domain/catalog/types.js';
import type { AlertSeverity, AlertSignal, AlertSource, AlertStatus, StringMap } from '../../domain/alerts/types.js';
import type { ConfigDelta, DeploySource, DeployStatus } from '../../domain/deploys/types.js';
import type {
  AlertFilter,
  AlertRecord,
  CatalogRecord,
  DeployFilter,
  DeployRecord,
  IntegrationRecord,
  IntegrationType,
  Store,
  StoreTx,
} from '../../service/ports.js';
import type { Db } from './kysely-store.js';
import type { Database, Engine } from './schema.js';


type InputReads = Pick<
  Store,
  | 'currentCatalog'
  | 'catalogVersion'
  | 'createIntegration'
  | 'findIntegration'
  | 'findIntegrationBy'
  | 'listIntegrations'
  | 'revokeIntegration'
  | 'listDeploys'
  | 'openIncidentsFor'
  | 'getAlert'
  | 'listAlerts'
>;

type InputTx = Pick<
  StoreTx,
  | 'currentCatalog'
  | 'saveCatalog'
  | 'recordDelivery'
  | 'findDeploy'
  | 'saveDeploy'
  | 'listDeploys'
  | 'openIncidentsFor'
  | 'getAlert'
  | 'claimAlertGroup'
  | 'setAlertGroupIncident'
>;

/** The input tables outside a transaction: reads on `reader`, the few plain writes on `db`. */
export function inputReads(db: Db, reader: Db): InputReads {
  return {
    currentCatalog: () => currentCatalog(reader),
    catalogVersion: async () => {
      const row = await reader
        .selectFrom('catalogs')
        .select((eb) => eb.fn.max('version').as('v'))
        .executeTakeFirst();
      return Number(row?.v ?? 0);
    },
    createIntegration: async (i) => {
      await asConflict(`A live integration is already named ${i.name}; choose another name, or revoke that integration first.`, () =>
        db
        .insertInto('integrations')
        .values({
          id: i.id,
          type: i.type,
          name: i.name,
          token_hash: i.tokenHash,
          routing_key_hash: i.routingKeyHash,
          secret_hash: i.secretHash,
          created_at: i.createdAt,
          revoked_at: i.revokedAt,
        })
        .execute(),
      );
    },
    findIntegration: async (id) => {
      const row = await reader.selectFrom('integrations').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toIntegration(row);
    },
    findIntegrationBy: async (field, hash) => {
      const column = field === 'tokenHash' ? 'token_hash' : 'routing_key_hash';
      const row = await reader
        .selectFrom('integrations')
        .selectAll()
        .where(column, '=', hash)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return row && toIntegration(row);
    },
    listIntegrations: async () =>
      (await reader.selectFrom('integrations').selectAll().orderBy('created_at').orderBy('id').execute()).map(
        toIntegration,
      ),
    revokeIntegration: async (id, at) => {
      const r = await db
        .updateTable('integrations')
        .set({ revoked_at: at })
        .where('id', '=', id)
        .where('revoked_at', 'is', null)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    listDeploys: (f) => listDeploys(reader, f),
    openIncidentsFor: (services) => openIncidentsFor(reader, services),
    getAlert: (id) => getAlert(reader, id),
    listAlerts: (f) => listAlerts(reader, f),
  };
}

/** The input tables inside a write transaction. */
export function inputTx(db: Db, engine: Engine): InputTx {
  return {
    currentCatalog: () => currentCatalog(db),
    saveCatalog: async (catalog, appliedBy, at) => {
      const row = await db
        .selectFrom('catalogs')
        .select((eb) => eb.fn.max('version').as('v'))
        .executeTakeFirst();
      const version = Number(row?.v ?? 0) + 1;
      // Two instances applying at once: the primary key makes the later one a conflict (retried), never an overwrite.
      await asConflict(`Catalog version ${version} was applied meanwhile.`, () =>
        db
          .insertInto('catalogs')
          .values({ version, document: JSON.stringify(catalog), applied_at: at, applied_by: appliedBy })
          .execute(),
      );
      return version;
    },
    recordDelivery: async (id, integrationId, at) => {
      const r = await db
        .insertInto('github_deliveries')
        .values({ id, integration_id: integrationId, received_at: at })
        .onConflict((oc) => oc.column('id').doNothing())
        .executeTakeFirst();
      return r.numInsertedOrUpdatedRows === 1n;
    },
    findDeploy: async (source, externalId) => {
      const q = db
        .selectFrom('deploys')
        .selectAll()
        .where('source', '=', source)
        .where('external_id', '=', externalId);
      const row = await (engine === 'postgres' ? q.forUpdate() : q).executeTakeFirst();
      return row && toDeploy(row);
    },
    saveDeploy: async (d) => {
      const values = {
        id: d.id,
        source: d.source,
        external_id: d.externalId,
        service: d.service,
        environment: d.environment,
        version: d.version,
        commit_sha: d.commitSha,
        status: d.status,
        started_at: d.startedAt,
        finished_at: d.finishedAt,
        actor: d.actor,
        url: d.url,
        previous_version: d.previousVersion,
        config_deltas: JSON.stringify(d.configDeltas),
        received_at: d.receivedAt,
        updated_at: d.updatedAt,
      };
      const { id: _id, source: _s, external_id: _e, received_at: _r, ...update } = values;
      await db
        .insertInto('deploys')
        .values(values)
        .onConflict((oc) => oc.columns(['source', 'external_id']).doUpdateSet(update))
        .execute();
    },
    listDeploys: (f) => listDeploys(db, f),
    openIncidentsFor: (services) => openIncidentsFor(db, services),
    getAlert: (id) => getAlert(db, id, engine === 'postgres'),
    claimAlertGroup: async (groupKey, at) => {
      // Incident 0 marks the claim until setAlertGroupIncident, in the same transaction.
      const inserted = await db
        .insertInto('alert_groups')
        .values({ group_key: groupKey, incident_number: 0, created_at: at })
        .onConflict((oc) => oc.column('group_key').doNothing())
        .executeTakeFirst();
      if (inserted.numInsertedOrUpdatedRows === 1n) return null;
      const holder = await db
        .selectFrom('alert_groups')
        .leftJoin('incidents', 'incidents.number', 'alert_groups.incident_number')
        .select(['alert_groups.incident_number as number', 'incidents.status as status'])
        .where('alert_groups.group_key', '=', groupKey)
        .executeTakeFirstOrThrow();
      if (holder.status !== null && (ACTIVE_STATUSES as readonly string[]).includes(holder.status)) return holder.number;
      // The holder is resolved or gone: take the group over, unless another writer just did.
      const taken = await db
        .updateTable('alert_groups')
        .set({ incident_number: 0, created_at: at })
        .where('group_key', '=', groupKey)
        .where('incident_number', '=', holder.number)
        .executeTakeFirst();
      if (taken.numUpdatedRows === 0n) throw conflict(`Alert group ${groupKey} was claimed meanwhile.`);
      return null;
    },
    setAlertGroupIncident: async (groupKey, incident) => {
      await db.updateTable('alert_groups').set({ incident_number: incident }).where('group_key', '=', groupKey).execute();
    },
  };
}

async function currentCatalog(db: Db): Promise<CatalogRecord | undefined> {
  const row = await db.selectFrom('catalogs').selectAll().orderBy('version', 'desc').limit(1).executeTakeFirst();
  return (
    row && {
      version: row.version,
      catalog: JSON.parse(row.document) as Catalog,
      appliedAt: row.applied_at,
      appliedBy: row.applied_by,
    }
  );
}

async function listDeploys(db: Db, f: DeployFilter): Promise<DeployRecord[]> {
  let q = db.selectFrom('deploys').selectAll().orderBy('started_at', 'desc').orderBy('id').limit(f.limit);
  if (f.services) {
    if (f.services.length === 0) return [];
    q = q.where('service', 'in', [...f.services]);
  }
  if (f.since !== undefined) q = q.where('started_at', '>=', f.since);
  if (f.until !== undefined) q = q.where('started_at', '<=', f.until);
  return (await q.execute()).map(toDeploy);
}

async function openIncidentsFor(db: Db, services: readonly string[]): Promise<number[]> {
  if (services.length === 0) return [];
  const rows = await db
    .selectFrom('incidents')
    .select('number')
    .where('status', 'in', ACTIVE_STATUSES)
    .where('number', 'in', (eb) =>
      eb.selectFrom('incident_services').select('number').where('service', 'in', [...services]),
    )
    .orderBy('number', 'desc')
    .execute();
  return rows.map((r) => r.number);
}

async function getAlert(db: Db, id: string, lock = false): Promise<AlertRecord | undefined> {
  const q = db.selectFrom('alerts').selectAll().where('id', '=', id);
  const row = await (lock ? q.forUpdate() : q).executeTakeFirst();
  return row && toAlert(row);
}

async function listAlerts(db: Db, f: AlertFilter): Promise<AlertRecord[]> {
  let q = db.selectFrom('alerts').selectAll().orderBy('position', 'desc').limit(f.limit);
  if (f.status !== undefined) q = q.where('status', '=', f.status);
  if (f.service !== undefined) q = q.where('service', '=', f.service);
  if (f.dedupKey !== undefined) q = q.where('dedup_key', '=', f.dedupKey);
  if (f.incident === 'none') q = q.where('incident_number', 'is', null);
  else if (f.incident !== undefined) q = q.where('incident_number', '=', f.incident);
  if (f.before !== undefined) q = q.where('position', '<', f.before);
  return (await q.execute()).map(toAlert);
}

/** An alert as a row of the alerts table (without the position the database assigns). */
export type AlertRow = Omit<Selectable<Database['alerts']>, 'position'>;

/** An alert record as its row. */
export const alertRow = (a: Omit<AlertRecord, 'position'>): AlertRow => ({
  id: a.id,
  dedup_key: a.dedupKey,
  source: a.source,
  status: a.status,
  service: a.routedService,
  sender_service: a.service,
  summary: a.summary,
  severity: a.severity,
  signal: a.signal,
  labels: JSON.stringify(a.labels),
  annotations: JSON.stringify(a.annotations),
  starts_at: a.startsAt,
  ends_at: a.endsAt,
  generator_url: a.generatorURL,
  first_received_at: a.firstReceivedAt,
  received_at: a.receivedAt,
  occurrences: a.occurrences,
  incident_number: a.incident,
  group_key: a.groupKey,
  integration_id: a.integrationId,
});

/** What updating an alert's row sets: every column but its identity and its first sighting. */
export const alertUpdate = ({ id: _id, dedup_key: _k, first_received_at: _f, ...update }: AlertRow) => update;

/** Parses a stored label map into an object with no prototype, as the parsers build them. */
const stringMap = (json: string): StringMap => Object.assign(Object.create(null) as StringMap, JSON.parse(json));

const toIntegration = (r: Selectable<Database['integrations']>): IntegrationRecord => ({
  id: r.id,
  type: r.type as IntegrationType,
  name: r.name,
  tokenHash: r.token_hash,
  routingKeyHash: r.routing_key_hash,
  secretHash: r.secret_hash,
  createdAt: r.created_at,
  revokedAt: r.revoked_at,
});

const toDeploy = (r: Selectable<Database['deploys']>): DeployRecord => ({
  id: r.id,
  externalId: r.external_id,
  source: r.source as DeploySource,
  service: r.service,
  environment: r.environment,
  version: r.version,
  commitSha: r.commit_sha,
  status: r.status as DeployStatus,
  startedAt: r.started_at,
  finishedAt: r.finished_at,
  actor: r.actor,
  url: r.url,
  previousVersion: r.previous_version,
  configDeltas: JSON.parse(r.config_deltas) as ConfigDelta[],
  receivedAt: r.received_at,
  updatedAt: r.updated_at,
});

export const toAlert = (r: Selectable<Database['alerts']>): AlertRecord => ({
  id: r.id,
  position: Number(r.position),
  source: r.source as AlertSource,
  dedupKey: r.dedup_key,
  status: r.status as AlertStatus,
  service: r.sender_service,
  routedService: r.service,
  summary: r.summary,
  severity: r.severity as AlertSeverity,
  signal: r.signal as AlertSignal,
  labels: stringMap(r.labels),
  annotations: stringMap(r.annotations),
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  generatorURL: r.generator_url,
  receivedAt: r.received_at,
  firstReceivedAt: r.first_received_at,
  occurrences: r.occurrences,
  incident: r.incident_number,
  groupKey: r.group_key,
  integrationId: r.integration_id,
});
