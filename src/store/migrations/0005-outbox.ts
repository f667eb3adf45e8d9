import type { Kysely, Migration } from 'kysely';

/**
 * The notification outbox (docs/OPERATIONS.md, "The outbox"): registered targets, the messages an
 * event causes (written in the event's transaction), and one delivery row per message and target.
 */
export const outbox = (): Migration => ({
  async up(db: Kysely<unknown>) {
    // URLs (Slack's, Teams' and Mattermost's are credentials), tokens and signing secrets are stored
    // encrypted (AES-256-GCM), never as plain text; `destination` is what listing shows (host or address).
    await db.schema
      .createTable('notification_targets')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('name', 'text', (c) => c.notNull().unique())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('url_enc', 'text')
      .addColumn('address', 'text')
      .addColumn('token_enc', 'text')
      .addColumn('secret_enc', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();

    // The key that encrypts target credentials when FIREBREAK_SECRET_KEY is not set.
    await db.schema
      .createTable('instance_keys')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();

    // One row per event worth a message; routed to targets by the worker (routed_at set then).
    await db.schema
      .createTable('notification_messages')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('incident_number', 'integer', (c) => c.notNull())
      .addColumn('seq', 'integer', (c) => c.notNull())
      .addColumn('severity', 'text')
      .addColumn('services', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addColumn('routed_at', 'text')
      .execute();
    await db.schema.createIndex('notification_messages_unrouted').on('notification_messages').columns(['routed_at', 'created_at']).execute();

    await db.schema
      .createTable('outbox')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('message_id', 'text', (c) => c.notNull())
      .addColumn('incident_number', 'integer', (c) => c.notNull())
      .addColumn('event_type', 'text', (c) => c.notNull())
      .addColumn('message', 'text', (c) => c.notNull())
      .addColumn('target_key', 'text', (c) => c.notNull())
      .addColumn('target_id', 'text')
      .addColumn('target_name', 'text', (c) => c.notNull())
      .addColumn('target_type', 'text', (c) => c.notNull())
      .addColumn('target_inline', 'text')
      .addColumn('state', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull())
      .addColumn('next_attempt_at', 'text', (c) => c.notNull())
      .addColumn('locked_until', 'text')
      .addColumn('locked_by', 'text')
      .addColumn('last_error', 'text')
      .addColumn('delivered_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .addUniqueConstraint('outbox_message_target_unique', ['message_id', 'target_key'])
      .execute();
    await db.schema.createIndex('outbox_due').on('outbox').columns(['state', 'next_attempt_at']).execute();
    await db.schema.createIndex('outbox_incident').on('outbox').columns(['incident_number', 'created_at']).execute();
    await db.schema.createIndex('outbox_created').on('outbox').columns(['created_at', 'id']).execute();
  },
});
