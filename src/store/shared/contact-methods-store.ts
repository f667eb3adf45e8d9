import type { Selectable } from 'kysely';
import type { ContactCodeSend, ContactMethodRecord, ContactMethodType, NotificationRuleRecord, Store } from '../../service/ports.js';
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
    createContactMethod: (m, send) =>
      refusable(transaction, async (db) => {
        const wait = await countSend(db, send);
        if (wait !== null) return { retryAfterSeconds: wait };
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
        return 'ok' as const;
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
    updateContactVerification: (id, read, u, send) =>
      refusable(transaction, async (db) => {
        // On the code hash too: a resend starts the attempts over, so the attempts alone would let two
        // resends (or a verify that read the replaced code) both pass. PostgreSQL's row lock queues the
        // second writer, which then finds the row changed.
        const r = await db
          .updateTable('contact_methods')
          .set({
            verify_code_hash: u.verifyCodeHash,
            verify_expires_at: u.verifyExpiresAt,
            verify_attempts: u.verifyAttempts,
            verified_at: u.verifiedAt,
          })
          .where('id', '=', id)
          .where((eb) => (read.verifyCodeHash === null ? eb('verify_code_hash', 'is', null) : eb('verify_code_hash', '=', read.verifyCodeHash)))
          .where('verify_attempts', '=', read.verifyAttempts)
          .executeTakeFirst();
        if (r.numUpdatedRows === 0n) return 'raced' as const;
        const wait = send ? await countSend(db, send) : null;
        if (wait !== null) throw new Refused(wait);
        return 'ok' as const;
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

/** Thrown inside a transaction to roll it back and answer when the person may be sent a code again. */
class Refused {
  constructor(readonly retryAfterSeconds: number) {}
}

async function refusable<T>(
  transaction: <R>(fn: (db: Db) => Promise<R>) => Promise<R>,
  fn: (db: Db) => Promise<T>,
): Promise<T | { retryAfterSeconds: number }> {
  try {
    return await transaction(fn);
  } catch (err) {
    if (err instanceof Refused) return { retryAfterSeconds: err.retryAfterSeconds };
    throw err;
  }
}

/**
 * Counts a code sent to `send.person`, or answers in how many seconds the next is allowed. The sends are a
 * sliding log of `limit` slots in `counters` (`contact-send <slot> <person>`, the value when it was used, in
 * epoch ms): a free slot, or the oldest once it is older than the window, takes the send. The slots outlive
 * the methods, so deleting and adding again does not reset them. Each write is conditional (insert if
 * absent, update if unchanged); one that loses to a concurrent send reads again.
 */
async function countSend(db: Db, send: ContactCodeSend): Promise<number | null> {
  const at = Date.parse(send.at);
  const windowMs = send.windowSeconds * 1000;
  const names = Array.from({ length: send.limit }, (_, i) => `contact-send ${i} ${send.person}`);
  for (let tries = 0; tries <= send.limit; tries++) {
    const used = new Map(
      (await db.selectFrom('counters').select(['name', 'value']).where('name', 'in', names).execute()).map((r) => [r.name, Number(r.value)]),
    );
    const free = names.find((n) => !used.has(n));
    if (free !== undefined) {
      const inserted = await db
        .insertInto('counters')
        .values({ name: free, value: at })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst();
      if (inserted) return null;
      continue;
    }
    const [oldest, usedAt] = [...used].reduce((a, b) => (b[1] < a[1] ? b : a));
    if (usedAt > at - windowMs) return Math.max(1, Math.ceil((usedAt + windowMs - at) / 1000));
    const r = await db.updateTable('counters').set({ value: at }).where('name', '=', oldest).where('value', '=', usedAt).executeTakeFirst();
    if (r.numUpdatedRows > 0n) return null;
  }
  return send.windowSeconds;
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
