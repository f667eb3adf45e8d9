import type { Selectable } from 'kysely';
import type { ContactMethodRecord, ContactMethodType, NotificationRuleRecord, Store } from '../../service/ports.js';
import type { Db } from './kysely-store.js';
import type { Database } from './schema.js';

type ContactMethodStore = Pick<
  Store,
  | 'createContactMethod'
  | 'findContactMethod'
  | 'listContactMethods'
  | 'updateContactVerification'
  | 'deleteContactMethod'
  | 'replaceNotificationRules'
  | 'listNotificationRules'
>;

/** The contact_methods and notification_rules tables: reads on `reader`, writes in a transaction. */
export function contactMethodStore(reader: Db, transaction: <T>(fn: (db: Db) => Promise<T>) => Promise<T>): ContactMethodStore {
  return {
    createContactMethod: (m) =>
      transaction(async (db) => {
        await db
          .insertInto('contact_methods')
          .values({
            id: m.id,
            person: m.person,
            type: m.type,
            label: m.label,
            destination: m.destination,
            config_enc: m.configEnc,
            verify_code_hash: m.verifyCodeHash,
            verify_expires_at: m.verifyExpiresAt,
            verify_attempts: m.verifyAttempts,
            verified_at: m.verifiedAt,
            created_at: m.createdAt,
          })
          .execute();
      }),
    findContactMethod: async (id) => {
      const row = await reader.selectFrom('contact_methods').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toMethod(row);
    },
    listContactMethods: async (person) =>
      (
        await reader
          .selectFrom('contact_methods')
          .selectAll()
          .where('person', '=', person)
          .orderBy('created_at', 'asc')
          .orderBy('id', 'asc')
          .execute()
      ).map(toMethod),
    updateContactVerification: (id, expectedAttempts, u) =>
      transaction(async (db) => {
        const r = await db
          .updateTable('contact_methods')
          .set({
            verify_code_hash: u.verifyCodeHash,
            verify_expires_at: u.verifyExpiresAt,
            verify_attempts: u.verifyAttempts,
            verified_at: u.verifiedAt,
          })
          .where('id', '=', id)
          .where('verify_attempts', '=', expectedAttempts)
          .executeTakeFirst();
        return r.numUpdatedRows > 0n;
      }),
    deleteContactMethod: (id) =>
      transaction(async (db) => {
        await db.deleteFrom('notification_rules').where('contact_method_id', '=', id).execute();
        const r = await db.deleteFrom('contact_methods').where('id', '=', id).executeTakeFirst();
        return r.numDeletedRows > 0n;
      }),
    replaceNotificationRules: (person, rules) =>
      transaction(async (db) => {
        await db.deleteFrom('notification_rules').where('person', '=', person).execute();
        if (rules.length === 0) return;
        await db
          .insertInto('notification_rules')
          .values(
            rules.map((r) => ({
              id: r.id,
              person: r.person,
              contact_method_id: r.contactMethodId,
              delay_minutes: r.delayMinutes,
              created_at: r.createdAt,
            })),
          )
          .execute();
      }),
    listNotificationRules: async (person) =>
      (
        await reader
          .selectFrom('notification_rules')
          .selectAll()
          .where('person', '=', person)
          .orderBy('delay_minutes', 'asc')
          .orderBy('contact_method_id', 'asc')
          .execute()
      ).map(toRule),
  };
}

const toMethod = (r: Selectable<Database['contact_methods']>): ContactMethodRecord => ({
  id: r.id,
  person: r.person,
  type: r.type as ContactMethodType,
  label: r.label,
  destination: r.destination,
  configEnc: r.config_enc,
  verifyCodeHash: r.verify_code_hash,
  verifyExpiresAt: r.verify_expires_at,
  verifyAttempts: Number(r.verify_attempts),
  verifiedAt: r.verified_at,
  createdAt: r.created_at,
});

const toRule = (r: Selectable<Database['notification_rules']>): NotificationRuleRecord => ({
  id: r.id,
  person: r.person,
  contactMethodId: r.contact_method_id,
  delayMinutes: Number(r.delay_minutes),
  createdAt: r.created_at,
});
