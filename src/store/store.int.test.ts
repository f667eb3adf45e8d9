import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { isFirebreakError } from '../domain/errors.js';
import type { IncidentCommand } from '../domain/incident/commands.js';
import { decide } from '../domain/incident/decide.js';
import type { IncidentEvent } from '../domain/incident/events.js';
import { apply, initialIncident, type Incident } from '../domain/incident/state.js';
import type { Store, StoreTx } from '../service/ports.js';
import { adapters, type TestAdapter } from './test-adapters.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

type DeclareFields = Partial<Omit<Extract<IncidentCommand, { type: 'DeclareIncident' }>, 'type' | 'number'>>;

async function declareIn(tx: StoreTx, fields: DeclareFields = {}, now = at(0)) {
  const number = await tx.nextIncidentNumber();
  const initial = initialIncident(number);
  const cmd = { actor: 'ana', title: 'Checkout fails', impact: 'Card payments fail for all users', ...fields };
  const events = decide({ ...cmd, type: 'DeclareIncident', number }, initial, now);
  const state = events.reduce(apply, initial);
  await tx.append(number, events, 0, state);
  return { number, events, state };
}

const declare = (store: Store, fields: DeclareFields = {}, now = at(0)) =>
  store.transaction((tx) => declareIn(tx, fields, now));

/** Loads, decides and appends the commands in one transaction, as the service does. */
async function run(store: Store, number: number, cmds: IncidentCommand[], now = at(1)) {
  return store.transaction(async (tx) => {
    const loaded = await tx.loadIncident(number);
    assert.ok(loaded, `INC-${number} exists`);
    let state = loaded.state;
    const events: IncidentEvent[] = [];
    for (const cmd of cmds) {
      const emitted = decide(cmd, state, now);
      state = emitted.reduce(apply, state);
      events.push(...emitted);
    }
    await tx.append(number, events, loaded.version, state);
    return { events, state };
  });
}

const note = (body: string): IncidentCommand => ({ type: 'AddNote', actor: 'bo', body });

/** One note event and the state it leads to from `state`, whatever version the caller claims. */
function noteOn(state: Incident, body: string, version: number) {
  const event: IncidentEvent = { type: 'NoteAdded', at: at(2), actor: 'bo', data: { body } };
  return { events: [event], state: { ...apply(state, event), version } };
}

/** Writes one event row behind the store's back, to reach the events' unique (incident, seq) check. */
async function insertStrayEvent(engine: TestAdapter['name'], location: string, incident: number, seq: number) {
  const text = `INSERT INTO events (incident_number, seq, type, at, actor, data, recorded_at)
    VALUES (${incident}, ${seq}, 'NoteAdded', '${at(9)}', 'stray', '{"body":"stray"}', '${at(9)}')`;
  if (engine === 'sqlite') {
    const conn = new Sqlite(location);
    conn.exec(text);
    conn.close();
    return;
  }
  const client = new pg.Client({ connectionString: location });
  await client.connect();
  await client.query(text);
  await client.end();
}

const isConflict = (err: unknown) => isFirebreakError(err, 'conflict');

for (const adapter of adapters()) {
  describe(`store (${adapter.name})`, () => {
    const withStore = async (fn: (store: Store) => Promise<void>) => {
      const store = await adapter.create();
      try {
        await fn(store);
      } finally {
        await store.close();
      }
    };

    it('migrates idempotently, also from two instances', async () => {
      const db = await adapter.database();
      const a = await db.open();
      const b = await db.open();
      try {
        // Two SQLite connections in one thread would block each other; SQLite instances are separate processes.
        if (adapter.name === 'postgres') await Promise.all([a.migrate(), b.migrate()]);
        else await a.migrate().then(() => b.migrate());
        await a.migrate();
        const { number } = await declare(a);
        assert.equal(number, 1);
        assert.equal((await b.loadIncident(1))?.version, 2);
        assert.equal(await b.transaction((tx) => tx.nextIncidentNumber()), 2);
      } finally {
        await a.close();
        await b.close();
        await db.drop();
      }
    });

    it('appends, loads the projection and pages through the events in order', () =>
      withStore(async (store) => {
        const declared = await declare(store, { services: ['checkout', 'payments-api'], commander: 'ana' });
        const notes = Array.from({ length: 20 }, (_, i) => note(`note ${i + 1}`));
        const { state } = await run(store, declared.number, notes);
        const total = declared.events.length + 20;
        assert.equal(state.version, total);

        assert.deepEqual(await store.loadIncident(declared.number), { state, version: total });
        assert.equal(await store.loadIncident(999), undefined);
        assert.equal(await store.countEvents(declared.number), total);
        assert.equal(await store.countEvents(999), 0);

        const first = await store.readEvents(declared.number, { limit: 10 });
        assert.deepEqual(
          first.slice(0, declared.events.length),
          declared.events.map((e, i) => ({ incident: declared.number, seq: i + 1, ...e })),
        );
        assert.deepEqual(Object.keys(first[0]!), ['incident', 'seq', 'type', 'at', 'actor', 'data']);
        const second = await store.readEvents(declared.number, { afterSeq: 10, limit: 10 });
        const third = await store.readEvents(declared.number, { afterSeq: 20, limit: 10 });
        const all = [...first, ...second, ...third];
        assert.deepEqual(
          all.map((e) => e.seq),
          Array.from({ length: total }, (_, i) => i + 1),
        );
        assert.deepEqual(all.at(-1), {
          incident: declared.number,
          seq: total,
          type: 'NoteAdded',
          at: at(1),
          actor: 'bo',
          data: { body: 'note 20' },
        });
        assert.deepEqual(await store.readEvents(declared.number, { afterSeq: total, limit: 10 }), []);
      }));

    it('loads many projections in the order asked, leaving out unknown numbers', () =>
      withStore(async (store) => {
        const first = await declare(store);
        const second = await declare(store, { services: ['checkout'] });
        const loaded = await store.loadIncidents([second.number, 999, first.number]);
        assert.deepEqual(loaded, [
          { state: second.state, version: second.state.version },
          { state: first.state, version: first.state.version },
        ]);
        assert.deepEqual(await store.loadIncidents([]), []);
        const many = Array.from({ length: 1_201 }, (_, i) => (i % 2 ? first.number : 5_000 + i));
        assert.equal((await store.loadIncidents(many)).length, 600, 'more numbers than one query takes');
      }));

    it('serves reads outside a transaction from committed data, even while one is open', () =>
      withStore(async (store) => {
        const { number, state } = await declare(store);
        await store.transaction(async (tx) => {
          const next = noteOn(state, 'pending', state.version + 1);
          await tx.append(number, next.events, state.version, next.state);
          assert.equal((await tx.loadIncident(number))?.version, state.version + 1);
          assert.equal((await store.loadIncident(number))?.version, state.version);
          assert.equal(await store.countEvents(number), state.version);
        });
        assert.equal((await store.loadIncident(number))?.version, state.version + 1);
      }));

    it('treats an empty append as a no-op', () =>
      withStore(async (store) => {
        const { number, state } = await declare(store);
        await store.transaction((tx) => tx.append(number, [], state.version, state));
        await store.transaction((tx) => tx.append(number, [], 0, state));
        assert.equal(await store.countEvents(number), state.version);
      }));

    it('refuses an append at a stale or unknown version and writes nothing', () =>
      withStore(async (store) => {
        const { number, state } = await declare(store);
        const v = state.version;
        for (const expected of [v - 1, v + 1, 0]) {
          const next = noteOn(state, `at ${expected}`, expected + 1);
          await assert.rejects(
            store.transaction((tx) => tx.append(number, next.events, expected, next.state)),
            (err) => isConflict(err),
            `expectedVersion ${expected}`,
          );
        }
        assert.equal(await store.countEvents(number), v);
        assert.deepEqual(await store.loadIncident(number), { state, version: v });
      }));

    it('turns a clash on the events (incident, seq) key into a conflict and rolls back', async () => {
      const db = await adapter.database();
      const store = await db.open();
      try {
        await store.migrate();
        const { number, state } = await declare(store);
        await insertStrayEvent(adapter.name, db.location, number, state.version + 1);
        const next = noteOn(state, 'clash', state.version + 1);
        await assert.rejects(
          store.transaction((tx) => tx.append(number, next.events, state.version, next.state)),
          (err) => isConflict(err),
        );
        assert.deepEqual(await store.loadIncident(number), { state, version: state.version });
      } finally {
        await store.close();
        await db.drop();
      }
    });

    it('lets exactly one of two concurrent appends at the same version win', () =>
      withStore(async (store) => {
        const { number, state } = await declare(store);
        const attempt = (body: string) =>
          store.transaction(async (tx) => {
            const next = noteOn(state, body, state.version + 1);
            await tx.append(number, next.events, state.version, next.state);
          });
        const results = await Promise.allSettled([attempt('a'), attempt('b')]);
        assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1);
        const lost = results.find((r) => r.status === 'rejected');
        assert.ok(lost && isConflict(lost.reason));
        assert.equal(await store.countEvents(number), state.version + 1);
        assert.equal((await store.loadIncident(number))?.version, state.version + 1);
      }));

    it('loses no update among 50 concurrent read-modify-write transactions', () =>
      withStore(async (store) => {
        const { number, state } = await declare(store);
        let conflicts = 0;
        const addNote = async (i: number) => {
          for (;;) {
            try {
              return await run(store, number, [note(`note ${i}`)]);
            } catch (err) {
              if (!isConflict(err)) throw err;
              conflicts++;
            }
          }
        };
        await Promise.all(Array.from({ length: 50 }, (_, i) => addNote(i)));
        const loaded = await store.loadIncident(number);
        assert.equal(loaded?.version, state.version + 50);
        assert.equal(loaded?.state.noteCount, 50);
        assert.equal(await store.countEvents(number), state.version + 50);
        // SQLite runs one transaction at a time, so none of them even sees a conflict.
        if (adapter.name === 'sqlite') assert.equal(conflicts, 0);
      }));

    it('hands out gap-free numbers, giving back the number of a rolled-back declaration', () =>
      withStore(async (store) => {
        assert.equal((await declare(store)).number, 1);
        const boom = new Error('decided against it');
        await assert.rejects(
          store.transaction(async (tx) => {
            assert.equal((await declareIn(tx)).number, 2);
            throw boom;
          }),
          boom,
        );
        assert.equal(await store.loadIncident(2), undefined);
        assert.equal(await store.countEvents(2), 0);
        const next = await declare(store, { title: 'Search is slow' });
        assert.equal(next.number, 2);
        assert.equal((await store.loadIncident(2))?.state.title, 'Search is slow');
      }));

    it('numbers 30 concurrent declarations 1..30', () =>
      withStore(async (store) => {
        const declared = await Promise.all(Array.from({ length: 30 }, (_, i) => declare(store, { title: `Outage ${i}` })));
        assert.deepEqual(
          declared.map((d) => d.number).sort((a, b) => a - b),
          Array.from({ length: 30 }, (_, i) => i + 1),
        );
        const listed = await store.listIncidents({ limit: 100 });
        assert.deepEqual(
          listed.map((s) => s.number),
          Array.from({ length: 30 }, (_, i) => 30 - i),
        );
      }));

    it('stores idempotency keys once per scope', () =>
      withStore(async (store) => {
        const { number, state } = await declare(store);
        const record = { scope: 'token:1', key: 'k-1', fingerprint: 'f1', incident: number, version: state.version, createdAt: at(0) };
        await store.transaction(async (tx) => {
          assert.equal(await tx.findIdempotency('token:1', 'k-1'), undefined);
          await tx.saveIdempotency(record);
          assert.deepEqual(await tx.findIdempotency('token:1', 'k-1'), record);
        });
        assert.deepEqual(await store.findIdempotency('token:1', 'k-1'), record);
        await assert.rejects(
          store.transaction((tx) => tx.saveIdempotency({ ...record, fingerprint: 'f2' })),
          (err) => isConflict(err),
        );
        assert.deepEqual(await store.findIdempotency('token:1', 'k-1'), record);
        await store.transaction((tx) => tx.saveIdempotency({ ...record, scope: 'token:2' }));
        assert.equal((await store.findIdempotency('token:2', 'k-1'))?.scope, 'token:2');
        assert.equal(await store.findIdempotency('token:1', 'k-2'), undefined);
      }));

    it('lists incidents newest first with status, severity, service, before and limit filters', () =>
      withStore(async (store) => {
        const sev = (severity: 'SEV1' | 'SEV2' | 'SEV4') => ({ severity, severityReason: 'triage' });
        const one = await declare(store, { ...sev('SEV2'), services: ['checkout', 'payments-api'], commander: 'ana', startedAt: at(-5) });
        const two = await declare(store, { ...sev('SEV4'), services: ['search'] });
        await run(store, two.number, [{ type: 'ChangeStatus', actor: 'ana', to: 'cancelled', reason: 'false alarm' }]);
        const three = await declare(store, { services: ['checkout'] });
        await run(store, three.number, [
          { type: 'DecideMitigation', actor: 'ana', kind: 'rollback', action: 'Roll back to v41', rationale: 'v42 broke it', failClosed: true },
          { type: 'ChangeStatus', actor: 'ana', to: 'mitigated' },
        ]);
        const four = await declare(store, { ...sev('SEV1'), services: ['payments-api'] }, at(3));
        const numbers = async (filter: Parameters<Store['listIncidents']>[0]) =>
          (await store.listIncidents(filter)).map((s) => s.number);

        assert.deepEqual(await numbers({ limit: 10 }), [4, 3, 2, 1]);
        assert.deepEqual(await numbers({ limit: 2 }), [4, 3]);
        assert.deepEqual(await numbers({ limit: 10, before: 3 }), [2, 1]);
        assert.deepEqual(await numbers({ limit: 10, status: ['investigating'] }), [4, 1]);
        assert.deepEqual(await numbers({ limit: 10, status: ['mitigated', 'cancelled'] }), [3, 2]);
        assert.deepEqual(await numbers({ limit: 10, status: [] }), [4, 3, 2, 1]);
        assert.deepEqual(await numbers({ limit: 10, severity: ['SEV1', 'SEV2'] }), [4, 1]);
        assert.deepEqual(await numbers({ limit: 10, service: 'checkout' }), [3, 1]);
        assert.deepEqual(await numbers({ limit: 10, service: 'nope' }), []);
        assert.deepEqual(await numbers({ limit: 10, service: 'payments-api', severity: ['SEV2'], before: 4 }), [1]);

        const [summary] = await store.listIncidents({ limit: 1, before: 2 });
        assert.deepEqual(summary, {
          number: 1,
          title: 'Checkout fails',
          status: 'investigating',
          severity: 'SEV2',
          services: ['checkout', 'payments-api'],
          commander: 'ana',
          declaredAt: at(0),
          startedAt: at(-5),
          updatedAt: at(0),
          version: one.state.version,
        });
        const [mitigated] = await store.listIncidents({ limit: 1, status: ['mitigated'] });
        assert.equal(mitigated?.severity, null);
        assert.equal(mitigated?.updatedAt, at(1));

        // The service index follows the projection's services.
        const moved = noteOn(four.state, 'moved', four.state.version + 1);
        await store.transaction((tx) =>
          tx.append(4, moved.events, four.state.version, { ...moved.state, services: ['search', 'checkout'] }),
        );
        assert.deepEqual(await numbers({ limit: 10, service: 'payments-api' }), [1]);
        assert.deepEqual(await numbers({ limit: 10, service: 'search' }), [4, 2]);
        assert.deepEqual((await store.listIncidents({ limit: 1 }))[0]?.services, ['search', 'checkout']);
      }));

    it('creates, finds, lists and revokes tokens', () =>
      withStore(async (store) => {
        const token = { id: 't1', name: 'ci', role: 'ingest' as const, hash: 'h1', createdAt: at(0), revokedAt: null };
        const other = { ...token, id: 't2', name: 'ops', role: 'responder' as const, hash: 'h2', createdAt: at(1) };
        await store.createToken(token);
        await store.createToken(other);
        assert.deepEqual(await store.findTokenByHash('h1'), token);
        assert.equal(await store.findTokenByHash('nope'), undefined);
        assert.deepEqual(await store.listTokens(), [token, other]);
        assert.equal(await store.revokeToken('t1', at(5)), true);
        assert.equal(await store.revokeToken('t1', at(6)), false);
        assert.equal(await store.revokeToken('nope', at(6)), false);
        assert.deepEqual(await store.findTokenByHash('h1'), { ...token, revokedAt: at(5) });
      }));

    it('refuses a second live token of one name, and takes the name again once it is revoked', () =>
      withStore(async (store) => {
        const token = { id: 't1', name: 'probe', role: 'viewer' as const, hash: 'h1', createdAt: at(0), revokedAt: null };
        await store.createToken(token);
        await assert.rejects(
          store.createToken({ ...token, id: 't2', role: 'admin', hash: 'h2' }),
          (err) => isConflict(err) && String(err).includes('A live token is already named probe'),
        );
        assert.deepEqual(await store.listTokens(), [token]);
        await store.revokeToken('t1', at(1));
        await store.createToken({ ...token, id: 't3', hash: 'h3', createdAt: at(2) });
        assert.deepEqual((await store.listTokens()).map((t) => [t.id, t.revokedAt]), [['t1', at(1)], ['t3', null]]);
      }));

    it('creates users, refuses a taken username, and keeps sessions', () =>
      withStore(async (store) => {
        const ana = { id: 'u1', username: 'ana', role: 'responder' as const, passwordHash: 'scrypt$x', createdAt: at(0), disabledAt: null };
        await store.createUser(ana);
        await assert.rejects(store.createUser({ ...ana, id: 'u2' }), (err) => isConflict(err) && /ana/.test(String(err)));
        const li = { ...ana, id: 'u3', username: 'li', role: 'viewer' as const, createdAt: at(1) };
        await store.createUser(li);
        assert.deepEqual(await store.findUserByUsername('ana'), ana);
        assert.deepEqual(await store.findUserById('u3'), li);
        assert.equal(await store.findUserById('u2'), undefined);
        assert.deepEqual(await store.listUsers(), [ana, li]);

        const session = { idHash: 'sh1', userId: 'u1', createdAt: at(0), expiresAt: at(60) };
        await store.createSession(session);
        assert.deepEqual(await store.findSession('sh1'), session);
        await store.deleteSession('sh1');
        assert.equal(await store.findSession('sh1'), undefined);
        await store.deleteSession('sh1');
      }));

    it('knows whether a live admin exists', () =>
      withStore(async (store) => {
        const token = { createdAt: at(0), revokedAt: null };
        assert.equal(await store.hasAdmin(), false);
        await store.createToken({ ...token, id: 't1', name: 'x', role: 'responder', hash: 'h1' });
        assert.equal(await store.hasAdmin(), false);
        await store.createToken({ ...token, id: 't2', name: 'y', role: 'admin', hash: 'h2' });
        assert.equal(await store.hasAdmin(), true);
        await store.revokeToken('t2', at(1));
        assert.equal(await store.hasAdmin(), false);
        const user = { passwordHash: 'p', createdAt: at(0), role: 'admin' as const };
        await store.createUser({ ...user, id: 'u1', username: 'gone', disabledAt: at(1) });
        assert.equal(await store.hasAdmin(), false);
        await store.createUser({ ...user, id: 'u2', username: 'root', disabledAt: null });
        assert.equal(await store.hasAdmin(), true);
      }));
  });
}
