import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { decide } from '../domain/incident/decide.js';
import { apply, initialIncident } from '../domain/incident/state.js';
import type { Change, Store } from '../service/ports.js';
import { CHANGES_CHANNEL, parseChange } from './postgres/changes.js';
import { adapters, type TestDatabase } from './test-adapters.js';

const WAIT_MS = 5_000;

/** Collects a store's changes; `next()` resolves with the next one or rejects after WAIT_MS. */
function collect(store: Store) {
  const seen: Change[] = [];
  const waiters: ((c: Change) => void)[] = [];
  const stop = store.onChange((c) => {
    const w = waiters.shift();
    if (w) w(c);
    else seen.push(c);
  });
  const next = () =>
    new Promise<Change>((resolve, reject) => {
      const queued = seen.shift();
      if (queued) return resolve(queued);
      const timer = setTimeout(() => reject(new Error(`no change within ${WAIT_MS} ms`)), WAIT_MS);
      waiters.push((c) => {
        clearTimeout(timer);
        resolve(c);
      });
    });
  return { seen, next, stop };
}

async function declare(store: Store): Promise<{ number: number; version: number }> {
  return store.transaction(async (tx) => {
    const number = await tx.nextIncidentNumber();
    const initial = initialIncident(number);
    const cmd = { type: 'DeclareIncident', actor: 'ana', number, title: 'Checkout fails', impact: 'EU users get 500' } as const;
    const events = decide(cmd, initial, '2026-03-01T10:00:00.000Z');
    const state = events.reduce(apply, initial);
    await tx.append(number, events, 0, state);
    return { number, version: state.version };
  });
}

const notifyAlerts = (store: Store) => store.transaction(async (tx) => tx.notify({ kind: 'alerts' }));

async function pgQuery<T extends pg.QueryResultRow>(url: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(text, values)).rows;
  } finally {
    await client.end();
  }
}

/** The backends of this database sitting in LISTEN: the store's listener is ready when there is one. */
const listeners = (url: string) =>
  pgQuery<{ pid: number }>(
    url,
    `select pid from pg_stat_activity where datname = current_database() and query = $1 and pid <> pg_backend_pid()`,
    [`LISTEN ${CHANGES_CHANNEL}`],
  );

async function until(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('parseChange', () => {
  it('accepts the four kinds and refuses anything else', () => {
    assert.deepEqual(parseChange('{"kind":"incident","number":3,"version":7}'), { kind: 'incident', number: 3, version: 7 });
    assert.deepEqual(parseChange('{"kind":"alerts"}'), { kind: 'alerts' });
    assert.deepEqual(parseChange('{"kind":"deploys"}'), { kind: 'deploys' });
    assert.deepEqual(parseChange('{"kind":"catalog","extra":1}'), { kind: 'catalog' });
    for (const junk of [
      undefined,
      '',
      'not json',
      '[]',
      'null',
      '{"kind":"incident","number":"3","version":1}',
      '{"kind":"incident","number":0,"version":1}',
      '{"kind":"incident","number":1.5,"version":1}',
      '{"kind":"incident","number":1}',
      '{"kind":"__proto__"}',
      '{"kind":"users"}',
      `{"kind":"alerts","pad":"${'x'.repeat(2_000)}"}`,
    ]) {
      assert.equal(parseChange(junk), undefined, String(junk).slice(0, 60));
    }
  });
});

for (const adapter of adapters()) {
  describe(`store changes (${adapter.name})`, () => {
    /** A migrated store and, on PostgreSQL, a wait until its listener is in place. */
    const open = async () => {
      const db = await adapter.database();
      const store = await db.open();
      await store.migrate();
      return {
        store,
        ready: async () => {
          if (adapter.name === 'postgres') await until('LISTEN', async () => (await listeners(db.location)).length === 1);
        },
        close: async () => {
          await store.close();
          await db.drop();
        },
      };
    };

    it('reports a committed append with its incident and version, and nothing for a rolled-back one', async () => {
      const { store, ready, close } = await open();
      const changes = collect(store);
      try {
        await ready();
        await assert.rejects(
          store.transaction(async (tx) => {
            tx.notify({ kind: 'deploys' });
            throw new Error('roll back');
          }),
        );
        const { number, version } = await declare(store);
        assert.deepEqual(await changes.next(), { kind: 'incident', number, version });
        await notifyAlerts(store);
        assert.deepEqual(await changes.next(), { kind: 'alerts' });
        assert.equal(changes.seen.length, 0, 'the rolled-back deploys change was never delivered');
      } finally {
        changes.stop();
        await close();
      }
    });

    it('stops calling a listener once it unsubscribes', async () => {
      const { store, ready, close } = await open();
      const first = collect(store);
      const second = collect(store);
      try {
        await ready();
        first.stop();
        await notifyAlerts(store);
        assert.deepEqual(await second.next(), { kind: 'alerts' });
        assert.equal(first.seen.length, 0);
      } finally {
        second.stop();
        await close();
      }
    });
  });
}

const postgres = adapters().find((a) => a.name === 'postgres');
if (postgres) {
  describe('store changes across PostgreSQL instances (LISTEN/NOTIFY)', () => {
    const twoStores = async (fn: (a: Store, b: Store, db: TestDatabase) => Promise<void>) => {
      const db = await postgres.database();
      const a = await db.open();
      await a.migrate();
      const b = await db.open();
      try {
        await fn(a, b, db);
      } finally {
        await a.close();
        await b.close();
        await db.drop();
      }
    };

    it('delivers a change committed by one instance to a listener on another, and to its own', async () => {
      await twoStores(async (a, b, db) => {
        const onA = collect(a);
        const onB = collect(b);
        await until('both instances to LISTEN', async () => (await listeners(db.location)).length === 2);
        const { number, version } = await declare(a);
        assert.deepEqual(await onB.next(), { kind: 'incident', number, version });
        assert.deepEqual(await onA.next(), { kind: 'incident', number, version });
        await notifyAlerts(b);
        assert.deepEqual(await onA.next(), { kind: 'alerts' });
        onA.stop();
        onB.stop();
      });
    });

    it('sends an alerts change after its commit, never for a rollback, at most one per commit in a burst', async () => {
      await twoStores(async (a, b, db) => {
        const onB = collect(b);
        await until('LISTEN', async () => (await listeners(db.location)).length === 1);
        await assert.rejects(
          a.transaction(async (tx) => {
            tx.notify({ kind: 'alerts' });
            throw new Error('roll back');
          }),
        );
        const marker = await declare(a);
        assert.deepEqual(await onB.next(), { kind: 'incident', ...marker }, 'nothing was sent for the rollback');
        await Promise.all(Array.from({ length: 10 }, () => notifyAlerts(a)));
        assert.deepEqual(await onB.next(), { kind: 'alerts' });
        const after = await declare(a);
        const rest: Change[] = [];
        for (let c = await onB.next(); c.kind !== 'incident'; c = await onB.next()) rest.push(c);
        assert.ok(rest.length <= 9 && rest.every((c) => c.kind === 'alerts'), JSON.stringify(rest));
        assert.ok(after.number > marker.number);
        onB.stop();
      });
    });

    it('ignores junk on the channel and keeps delivering', async () => {
      await twoStores(async (a, b, db) => {
        const onB = collect(b);
        await until('LISTEN', async () => (await listeners(db.location)).length === 1);
        for (const junk of ['nonsense', '{"kind":"incident","number":-1,"version":2}', '{"kind":"drop tables"}']) {
          await pgQuery(db.location, 'select pg_notify($1, $2)', [CHANGES_CHANNEL, junk]);
        }
        await notifyAlerts(a);
        assert.deepEqual(await onB.next(), { kind: 'alerts' });
        assert.equal(onB.seen.length, 0);
        onB.stop();
      });
    });

    it('reconnects after its LISTEN connection is killed', async () => {
      await twoStores(async (a, b, db) => {
        const onB = collect(b);
        await until('LISTEN', async () => (await listeners(db.location)).length === 1);
        const [before] = await listeners(db.location);
        await pgQuery(db.location, 'select pg_terminate_backend($1)', [before!.pid]);
        await until('a new LISTEN connection', async () => {
          const now = await listeners(db.location);
          return now.length === 1 && now[0]!.pid !== before!.pid;
        });
        // What was notified while it was down is lost: the reconnect says so before anything else.
        assert.deepEqual(await onB.next(), { kind: 'resync' });
        await notifyAlerts(a);
        assert.deepEqual(await onB.next(), { kind: 'alerts' });
        onB.stop();
      });
    });

    it('closes its LISTEN connection with the store', async () => {
      const db = await postgres.database();
      const store = await db.open();
      await store.migrate();
      const stop = store.onChange(() => {});
      try {
        await until('LISTEN', async () => (await listeners(db.location)).length === 1);
        await store.close();
        await until('the LISTEN connection to end', async () => (await listeners(db.location)).length === 0);
      } finally {
        stop();
        await db.drop();
      }
    });
  });
}
