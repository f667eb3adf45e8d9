import type { Selectable } from 'kysely';
import type { Maintenance } from '../../domain/status/types.js';
import type { Change, Store } from '../../service/ports.js';
import type { Db } from './kysely-store.js';
import type { Database } from './schema.js';

type MaintenanceStore = Pick<Store, 'createMaintenance' | 'listMaintenances' | 'findMaintenance' | 'cancelMaintenance'>;

/** Runs `fn` in one transaction and publishes the changes it notified once it commits. */
export type PublishingWrite = <T>(fn: (db: Db, notify: (change: Change) => void) => Promise<T>) => Promise<T>;

/** The maintenances table: reads on `reader`, writes through `write` so live views hear of them. */
export function maintenanceStore(reader: Db, write: PublishingWrite): MaintenanceStore {
  return {
    createMaintenance: (m) =>
      write(async (db, notify) => {
        await db
          .insertInto('maintenances')
          .values({
            id: m.id,
            title: m.title,
            body: m.body,
            components: JSON.stringify(m.components),
            starts_at: m.startsAt,
            ends_at: m.endsAt,
            created_at: m.createdAt,
            created_by: m.createdBy,
            cancelled_at: m.cancelledAt,
          })
          .execute();
        notify({ kind: 'maintenances' });
      }),
    listMaintenances: async (f) => {
      let q = reader
        .selectFrom('maintenances')
        .selectAll()
        .orderBy('starts_at', f.newestFirst ? 'desc' : 'asc')
        .orderBy('id', f.newestFirst ? 'desc' : 'asc')
        .limit(f.limit);
      if (f.endsAfter !== undefined) q = q.where('ends_at', '>', f.endsAfter);
      if (f.endedBy !== undefined) q = q.where('ends_at', '<=', f.endedBy);
      if (f.startsAfter !== undefined) q = q.where('starts_at', '>', f.startsAfter);
      if (f.startedBy !== undefined) q = q.where('starts_at', '<=', f.startedBy);
      if (!f.includeCancelled) q = q.where('cancelled_at', 'is', null);
      return (await q.execute()).map(toMaintenance);
    },
    findMaintenance: async (id) => {
      const row = await reader.selectFrom('maintenances').selectAll().where('id', '=', id).executeTakeFirst();
      return row && toMaintenance(row);
    },
    cancelMaintenance: (id, at) =>
      write(async (db, notify) => {
        const r = await db
          .updateTable('maintenances')
          .set({ cancelled_at: at })
          .where('id', '=', id)
          .where('cancelled_at', 'is', null)
          .where('ends_at', '>', at)
          .executeTakeFirst();
        if (r.numUpdatedRows === 0n) return false;
        notify({ kind: 'maintenances' });
        return true;
      }),
  };
}

const toMaintenance = (r: Selectable<Database['maintenances']>): Maintenance => ({
  id: r.id,
  title: r.title,
  body: r.body,
  components: JSON.parse(r.components) as string[],
  startsAt: r.starts_at,
  endsAt: r.ends_at,
  createdAt: r.created_at,
  createdBy: r.created_by,
  cancelledAt: r.cancelled_at,
});
