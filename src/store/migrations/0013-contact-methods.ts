import type { Kysely, Migration } from 'kysely';

/**
 * People's contact methods and notification rules (service/contact-methods.ts). `config_enc` is the
 * sealed JSON of the method's URL, token, address or number, like a target's credentials; a pending
 * verification keeps only the code's hash. A rule names one method and its delay in minutes.
 */
export const contactMethods = (): Migration => ({
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('contact_methods')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('person', 'text', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('label', 'text', (c) => c.notNull())
      .addColumn('destination', 'text', (c) => c.notNull())
      .addColumn('config_enc', 'text', (c) => c.notNull())
      .addColumn('verify_code_hash', 'text')
      .addColumn('verify_expires_at', 'text')
      .addColumn('verify_attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('verified_at', 'text')
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('contact_methods_person').on('contact_methods').columns(['person', 'created_at']).execute();
    await db.schema
      .createTable('notification_rules')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('person', 'text', (c) => c.notNull())
      .addColumn('contact_method_id', 'text', (c) => c.notNull())
      .addColumn('delay_minutes', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'text', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('notification_rules_person').on('notification_rules').columns(['person', 'delay_minutes']).execute();
    await db.schema.createIndex('notification_rules_method').on('notification_rules').columns(['contact_method_id']).execute();
  },
});
