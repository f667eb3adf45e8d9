import type { Selectable } from 'kysely';
import type { OutboxMessage } from '../../domain/notifications/types.js';
import type {
  DeliveryRecord,
  DeliveryState,
  NotificationMessageRecord,
  NotificationTargetRecord,
  NotificationTargetType,
  OutboxStore,
  StoreTx,
} from '../../service/ports.js';
import { asConflict } from './errors.js';
import type { Database, Engine } from './schema.js';
import type { Db } from './kysely-store.js';

const CHUNK = 200;

/** The outbox's writes inside an event's transaction. */
export const outboxTx = (db: Db): Pick<StoreTx, 'enqueueNotificationMessages'> => ({
  enqueueNotificationMessages: async (messages) => {
    for (let i = 0; i < messages.length; i += CHUNK) {
      await db
        .insertInto('notification_messages')
        .values(messages.slice(i, i + CHUNK).map(messageRow))
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
    }
  },
});

const messageRow = (m: NotificationMessageRecord) => ({
  id: m.id,
  incident_number: m.incident,
  seq: m.seq,
  severity: m.severity,
  services: JSON.stringify(m.services),
  message: JSON.stringify(m.message),
  created_at: m.createdAt,
  routed_at: null,
});

/** Targets, routing, claims and the delivery list. */
export function outboxStore(
  engine: Engine,
  db: Db,
  reader: Db,
  transaction: <T>(fn: (db: Db) => Promise<T>) => Promise<T>,
): OutboxStore {
  return {
    createNotificationTarget: async (t) => {
      await asConflict(`A notification target is already named ${t.name}; choose another name, or delete that target first.`, () =>
        db
          .insertInto('notification_targets')
          .values({
            id: t.id,
            name: t.name,
            type: t.type,
            destination: t.destination,
            url_enc: t.urlEnc,
            address: t.address,
            token_enc: t.tokenEnc,
            secret_enc: t.secretEnc,
            created_at: t.createdAt,
          })
          .execute(),
      );
    },
    listNotificationTargets: async () =>
      (await reader.selectFrom('notification_targets').selectAll().orderBy('name').execute()).map(toTarget),
    findNotificationTarget: async (id) => {
      const row = await reader.selectFrom('notification_targets').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toTarget(row);
    },
    findNotificationTargetsByName: async (names) => {
      if (names.length === 0) return [];
      const rows = await reader.selectFrom('notification_targets').selectAll().where('name', 'in', [...new Set(names)]).execute();
      return rows.map(toTarget);
    },
    deleteNotificationTarget: async (id) => {
      const r = await db.deleteFrom('notification_targets').where('id', '=', id).executeTakeFirst();
      return r.numDeletedRows > 0n;
    },
    instanceKey: async (name, candidate) => {
      await db.insertInto('instance_keys').values({ name, value: candidate }).onConflict((oc) => oc.column('name').doNothing()).execute();
      const row = await db.selectFrom('instance_keys').select('value').where('name', '=', name).executeTakeFirstOrThrow();
      return row.value;
    },

    unroutedMessages: async (limit) => {
      const rows = await reader
        .selectFrom('notification_messages')
        .selectAll()
        .where('routed_at', 'is', null)
        .orderBy('created_at')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map((r) => ({
        id: r.id,
        incident: r.incident_number,
        seq: r.seq,
        severity: r.severity,
        services: JSON.parse(r.services) as string[],
        message: JSON.parse(r.message) as OutboxMessage,
        createdAt: r.created_at,
      }));
    },
    routeMessages: (routed, at) =>
      transaction(async (trx) => {
        const deliveries = routed.flatMap((r) => r.deliveries);
        for (let i = 0; i < deliveries.length; i += CHUNK) {
          await trx
            .insertInto('outbox')
            .values(deliveries.slice(i, i + CHUNK).map(deliveryRow))
            .onConflict((oc) => oc.columns(['message_id', 'target_key']).doNothing())
            .execute();
        }
        const ids = routed.map((r) => r.messageId);
        for (let i = 0; i < ids.length; i += CHUNK) {
          await trx.updateTable('notification_messages').set({ routed_at: at }).where('id', 'in', ids.slice(i, i + CHUNK)).execute();
        }
      }),
    claimDeliveries: ({ now, until, owner, limit }) =>
      transaction(async (trx) => {
        let due = trx
          .selectFrom('outbox')
          .select('id')
          .where('state', '=', 'pending')
          .where('next_attempt_at', '<=', now)
          .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', now)]))
          .orderBy('next_attempt_at')
          .orderBy('id')
          .limit(limit);
        // Instances skip each other's claimed rows instead of queueing behind them; SQLite has one writer.
        if (engine === 'postgres') due = due.forUpdate().skipLocked();
        const ids = (await due.execute()).map((r) => r.id);
        if (ids.length === 0) return [];
        const rows = await trx
          .updateTable('outbox')
          .set({ locked_until: until, locked_by: owner })
          .where('id', 'in', ids)
          .returningAll()
          .execute();
        return rows.map(toDelivery).sort((a, b) => a.nextAttemptAt.localeCompare(b.nextAttemptAt) || a.id.localeCompare(b.id));
      }),
    finishDelivery: async (id, owner, u) => {
      const r = await db
        .updateTable('outbox')
        .set({
          state: u.state,
          attempts: u.attempts,
          next_attempt_at: u.nextAttemptAt,
          last_error: u.lastError,
          delivered_at: u.deliveredAt,
          locked_until: null,
          locked_by: null,
        })
        .where('id', '=', id)
        .where('locked_by', '=', owner)
        .executeTakeFirst();
      return r.numUpdatedRows > 0n;
    },
    listDeliveries: async (f) => {
      let q = reader.selectFrom('outbox').selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc').limit(f.limit);
      if (f.incident !== undefined) q = q.where('incident_number', '=', f.incident);
      if (f.state !== undefined) q = q.where('state', '=', f.state);
      const before = f.before;
      if (before) {
        q = q.where((eb) =>
          eb.or([eb('created_at', '<', before.createdAt), eb.and([eb('created_at', '=', before.createdAt), eb('id', '<', before.id)])]),
        );
      }
      return (await q.execute()).map(toDelivery);
    },
    outboxStats: async () => {
      const unrouted = await reader
        .selectFrom('notification_messages')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('created_at').as('oldest')])
        .where('routed_at', 'is', null)
        .executeTakeFirstOrThrow();
      const pending = await reader
        .selectFrom('outbox')
        .select((eb) => [eb.fn.countAll().as('n'), eb.fn.min('created_at').as('oldest')])
        .where('state', '=', 'pending')
        .executeTakeFirstOrThrow();
      const byTarget = await reader
        .selectFrom('outbox')
        .select((eb) => ['target_name', 'target_type', 'state', eb.fn.countAll().as('n')])
        .groupBy(['target_name', 'target_type', 'state'])
        .execute();
      const oldest = [unrouted.oldest, pending.oldest].filter((o): o is string => typeof o === 'string').sort()[0] ?? null;
      return {
        unrouted: Number(unrouted.n),
        pending: Number(pending.n),
        oldestPendingAt: oldest,
        byTarget: byTarget.map((r) => ({ target: r.target_name, type: r.target_type, state: r.state as DeliveryState, count: Number(r.n) })),
      };
    },
  };
}

const deliveryRow = (d: DeliveryRecord) => ({
  id: d.id,
  message_id: d.messageId,
  incident_number: d.incident,
  event_type: d.event,
  message: JSON.stringify(d.message),
  target_key: d.targetKey,
  target_id: d.targetId,
  target_name: d.targetName,
  target_type: d.targetType,
  target_inline: d.targetInline && JSON.stringify(d.targetInline),
  state: d.state,
  attempts: d.attempts,
  next_attempt_at: d.nextAttemptAt,
  locked_until: null,
  locked_by: null,
  last_error: d.lastError,
  delivered_at: d.deliveredAt,
  created_at: d.createdAt,
});

const toTarget = (r: Selectable<Database['notification_targets']>): NotificationTargetRecord => ({
  id: r.id,
  name: r.name,
  type: r.type as NotificationTargetType,
  destination: r.destination,
  urlEnc: r.url_enc,
  address: r.address,
  tokenEnc: r.token_enc,
  secretEnc: r.secret_enc,
  createdAt: r.created_at,
});

const toDelivery = (r: Selectable<Database['outbox']>): DeliveryRecord => ({
  id: r.id,
  messageId: r.message_id,
  incident: r.incident_number,
  event: r.event_type,
  message: JSON.parse(r.message) as OutboxMessage,
  targetKey: r.target_key,
  targetId: r.target_id,
  targetName: r.target_name,
  targetType: r.target_type as NotificationTargetType,
  targetInline: r.target_inline === null ? null : (JSON.parse(r.target_inline) as DeliveryRecord['targetInline']),
  state: r.state as DeliveryState,
  attempts: r.attempts,
  nextAttemptAt: r.next_attempt_at,
  lastError: r.last_error,
  deliveredAt: r.delivered_at,
  createdAt: r.created_at,
});
