import type { Kysely, Migration } from 'kysely';
import type { Engine } from '../shared/schema.js';

/** The inputs: the catalog, integrations and their credentials, deploys, and alerts. */
export const inputs = (engine: Engine): Migration => ({
  async up(db: Kysely<unknown>) {
    // Every applied catalog is kept; the newest version is the catalog in force.
    await db.schema
      .createTable('catalogs')
      .addColumn('version', 'integer', (c) => c.primaryKey())
      .addColumn('document', 'text', (c) => c.notNull())
      .addColumn('applied_at', 'text', (c) => c.notNull())
      .addColumn('applied_by', 'text', (c) => c.notNull())
      .execute();

    // Credentials are stored as SHA-256 hashes only (see service/integrations.ts for the GitHub secret).
    await db.schema
      .createTable('integrations')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('name', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.unique())
      .addColumn('routing_key_hash', 'text', (c) => c.unique())
      .addColumn('secret_hash', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('revoked_at', 'text')
      .execute();

    await db.schema
      .createTable('github_deliveries')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('integration_id', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('deploys')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('external_id', 'text', (c) => c.notNull())
      .addColumn('service', 'text', (c) => c.notNull())
      .addColumn('environment', 'text', (c) => c.notNull())
      .addColumn('version', 'text')
      .addColumn('commit_sha', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('started_at', 'text', (c) => c.notNull())
      .addColumn('finished_at', 'text')
      .addColumn('actor', 'text')
      .addColumn('url', 'text')
      .addColumn('previous_version', 'text')
      .addColumn('config_deltas', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('updated_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('deploys_source_external_unique', ['source', 'external_id'])
      .execute();
    await db.schema.createIndex('deploys_service_started').on('deploys').columns(['service', 'started_at']).execute();
    await db.schema.createIndex('deploys_started').on('deploys').column('started_at').execute();

    const alerts = db.schema.createTable('alerts');
    await (
      engine === 'postgres'
        ? alerts.addColumn('position', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity())
        : alerts.addColumn('position', 'integer', (c) => c.primaryKey().autoIncrement())
    )
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('dedup_key', 'text', (c) => c.notNull().unique())
      .addColumn('source', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('service', 'text')
      .addColumn('sender_service', 'text')
      .addColumn('summary', 'text', (c) => c.notNull())
      .addColumn('severity', 'text', (c) => c.notNull())
      .addColumn('signal', 'text', (c) => c.notNull())
      .addColumn('labels', 'text', (c) => c.notNull())
      .addColumn('annotations', 'text', (c) => c.notNull())
      .addColumn('starts_at', 'text', (c) => c.notNull())
      .addColumn('ends_at', 'text')
      .addColumn('generator_url', 'text')
      .addColumn('first_received_at', 'text', (c) => c.notNull())
      .addColumn('received_at', 'text', (c) => c.notNull())
      .addColumn('occurrences', 'integer', (c) => c.notNull())
      .addColumn('incident_number', 'integer')
      .addColumn('group_key', 'text', (c) => c.notNull())
      .addColumn('integration_id', 'text')
      .execute();
    await db.schema.createIndex('alerts_status_position').on('alerts').columns(['status', 'position']).execute();
    await db.schema.createIndex('alerts_service_position').on('alerts').columns(['service', 'position']).execute();
    await db.schema.createIndex('alerts_incident').on('alerts').columns(['incident_number', 'position']).execute();

    // One incident per alert group: the primary key turns two instances declaring for one group into a conflict.
    await db.schema
      .createTable('alert_groups')
      .addColumn('group_key', 'text', (c) => c.primaryKey())
      .addColumn('incident_number', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    await db.schema.createIndex('incidents_status').on('incidents').columns(['status', 'number']).execute();
  },
});
