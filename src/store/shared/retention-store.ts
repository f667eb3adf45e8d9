import { sql } from 'kysely';
import type { RetentionKind, Store } from '../../service/ports.js';
import type { Db } from './kysely-store.js';

/**
 * One batch of pruning per call: the oldest rows first, through indexes the tables already have
 * (alerts by status and position, outbox by creation). Incidents, events and everything an incident
 * links (its alerts, an unsent delivery, an unrouted message) are never touched.
 */
export function retentionStore(transaction: <T>(fn: (db: Db) => Promise<T>) => Promise<T>): Pick<Store, 'pruneExpired'> {
  const statements: Record<RetentionKind, (before: string, limit: number) => ReturnType<typeof sql>> = {
    alerts: (before, limit) => sql`
      delete from alerts where position in (
        select a.position from alerts a
        where a.status = 'resolved' and a.incident_number is null and a.received_at < ${before}
          and not exists (select 1 from incident_alerts l where l.alert_id = a.id)
        order by a.position limit ${limit})`,
    deliveries: (before, limit) => sql`
      delete from outbox where id in (
        select id from outbox where state in ('sent', 'failed', 'refused') and created_at < ${before}
        order by created_at, id limit ${limit})`,
    messages: (before, limit) => sql`
      delete from notification_messages where id in (
        select m.id from notification_messages m
        where m.routed_at is not null and m.created_at < ${before}
          and not exists (select 1 from outbox o where o.message_id = m.id)
        order by m.created_at limit ${limit})`,
    github_deliveries: (before, limit) => sql`
      delete from github_deliveries where id in (
        select id from github_deliveries where received_at < ${before} order by received_at limit ${limit})`,
    idempotency_keys: (before, limit) => sql`
      delete from idempotency_keys where (scope, key) in (
        select scope, key from idempotency_keys where created_at < ${before} order by created_at limit ${limit})`,
  };
  return {
    pruneExpired: (kind, before, limit) =>
      transaction(async (db) => Number((await statements[kind](before, limit).execute(db)).numAffectedRows ?? 0n)),
  };
}
