import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { pino } from 'pino';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import { parseCatalogYaml, validateCatalog } from '../domain/catalog/index.js';
import { FirebreakError } from '../domain/errors.js';
import { createEgress } from '../egress/index.js';
import { adapters, type TestDatabase } from '../store/test-adapters.js';
import { createAlertIngestor, type AlertIngestor } from './alerts.js';
import type { ServiceDeps } from './deps.js';
import {
  createHeartbeat,
  deleteHeartbeat,
  HeartbeatWorker,
  listHeartbeats,
  pingHeartbeat,
  PING_TOKEN_MISSING,
  type HeartbeatIngest,
} from './heartbeats.js';
import type { Store } from './ports.js';

// checkout is tier 1 (a critical miss declares an incident); reports is tier 3 (its misses wait in the inbox).
const CATALOG = `${EXAMPLE_CATALOG_YAML}---
apiVersion: firebreak/v1
kind: Service
metadata: { name: reports }
spec:
  owner: payments
  tier: 3
`;

const T0 = Date.parse('2026-06-01T12:00:00.000Z');
const iso = (ms: number) => new Date(ms).toISOString();
const ADMIN = { role: 'admin' as const, actor: 'token:admin' };

/** What the code raised, as a plain object to compare. */
async function refusal(p: Promise<unknown>) {
  try {
    await p;
  } catch (err) {
    assert.ok(err instanceof FirebreakError, String(err));
    return { code: err.code, message: err.message, ...(err.details && { details: err.details }) };
  }
  assert.fail('expected a refusal');
}

for (const adapter of adapters()) {
  describe(`heartbeats (${adapter.name})`, () => {
    let database: TestDatabase;
    let store: Store;
    let deps: ServiceDeps;
    let ingestor: AlertIngestor;
    let ingest: HeartbeatIngest;
    let now = T0;
    let n = 0;
    const depsOn = (s: Store): ServiceDeps => ({
      store: s,
      clock: { now: () => iso(now) },
      ids: { next: () => `id-${++n}` },
      log: pino({ level: 'silent' }),
      egress: createEgress({ allow: [] }),
    });

    before(async () => {
      database = await adapter.database();
      store = await database.open();
      await store.migrate();
      deps = depsOn(store);
      ingestor = createAlertIngestor(deps);
      ingest = (s) => ingestor.ingest(s);
      await store.transaction((tx) => tx.saveCatalog(validateCatalog(parseCatalogYaml(CATALOG)), 'test', iso(T0)));
    });
    after(async () => {
      await ingestor.close();
      await store.close();
      await database.drop();
    });

    // Every test creates its own heartbeats; a pass also raises other tests' that the moved clock made due.
    const mine = (raised: string[], names: string[]) => raised.filter((r) => names.includes(r));
    const alertOf = async (name: string) => {
      const alerts = await store.listAlerts({ dedupKey: `hb:${name}`, limit: 10 });
      assert.ok(alerts.length <= 1);
      return alerts[0];
    };

    it('waits for a first ping, is up after one, and raises one alert (an incident on tier 1) when a ping is late; a ping resolves it', async () => {
      now = T0;
      const { heartbeat, token } = await createHeartbeat(deps, ADMIN, { name: 'nightly-backup', service: 'default/checkout', interval: '5m' });
      assert.match(token, /^fbh_[A-Za-z0-9_-]{43}$/);
      assert.deepEqual(heartbeat, {
        name: 'nightly-backup',
        service: 'checkout',
        severity: 'critical',
        interval: '5m',
        grace: '1m',
        state: 'waiting',
        createdAt: iso(T0),
        createdBy: 'token:admin',
        lastPingAt: null,
        dueAt: iso(T0 + 6 * 60_000),
        missedAt: null,
      });

      now = T0 + 60_000;
      const pinged = await pingHeartbeat(deps, ingest, 'nightly-backup', token);
      assert.deepEqual(pinged, { name: 'nightly-backup', state: 'up', dueAt: iso(now + 6 * 60_000) });
      const worker = new HeartbeatWorker(deps, { ingest });
      now = T0 + 7 * 60_000 - 1;
      assert.deepEqual(mine(await worker.runOnce(), ['nightly-backup']), [], 'not due yet');
      assert.equal(await alertOf('nightly-backup'), undefined);

      now = T0 + 7 * 60_000;
      assert.deepEqual(mine(await worker.runOnce(), ['nightly-backup']), ['nightly-backup']);
      const alert = await alertOf('nightly-backup');
      assert.ok(alert);
      assert.deepEqual(
        { ...alert, labels: { ...alert.labels }, annotations: { ...alert.annotations } },
        {
          ...alert,
          source: 'firebreak',
          status: 'firing',
          service: 'checkout',
          routedService: 'checkout',
          severity: 'critical',
          signal: 'other',
          summary: `Heartbeat nightly-backup missed: no ping since ${iso(T0 + 60_000)}`,
          labels: { heartbeat: 'nightly-backup', service: 'checkout' },
          annotations: { interval: '5m', grace: '1m' },
          startsAt: iso(T0 + 7 * 60_000),
          endsAt: null,
          occurrences: 1,
          integrationId: null,
        },
      );
      assert.ok(alert.incident !== null, 'a critical alert on a tier 1 service declares an incident');
      const incident = await store.loadIncident(alert.incident);
      assert.deepEqual(incident?.state.services, ['checkout']);
      assert.equal((await store.findHeartbeat('nightly-backup'))?.state, 'missed');

      now += 60_000;
      assert.deepEqual(mine(await worker.runOnce(), ['nightly-backup']), [], 'a miss is raised once');
      assert.equal((await alertOf('nightly-backup'))?.occurrences, 1);
      assert.equal((await store.listIncidents({ limit: 10 })).length, 1);

      const back = await pingHeartbeat(deps, ingest, 'nightly-backup', token);
      assert.equal(back.state, 'up');
      const resolved = await alertOf('nightly-backup');
      assert.deepEqual([resolved?.status, resolved?.endsAt, resolved?.incident], ['resolved', iso(now), alert.incident]);
      const [listed] = (await listHeartbeats(deps)).filter((h) => h.name === 'nightly-backup');
      assert.deepEqual([listed?.state, listed?.lastPingAt, listed?.dueAt, listed?.missedAt], ['up', iso(now), iso(now + 6 * 60_000), iso(T0 + 7 * 60_000)]);
    });

    it('misses a heartbeat never pinged at creation + interval + grace; a warning on tier 3 waits in the inbox', async () => {
      now = T0;
      await createHeartbeat(deps, ADMIN, { name: 'weekly-report', service: 'reports', interval: '1h', grace: '0s', severity: 'warning' });
      const worker = new HeartbeatWorker(deps, { ingest });
      now = T0 + 3_600_000;
      assert.deepEqual(mine(await worker.runOnce(), ['weekly-report']), ['weekly-report']);
      const alert = await alertOf('weekly-report');
      assert.deepEqual(
        [alert?.status, alert?.severity, alert?.routedService, alert?.incident, alert?.summary],
        ['firing', 'warning', 'reports', null, `Heartbeat weekly-report missed: no ping since ${iso(T0)}`],
      );
      assert.equal((await store.listAlerts({ incident: 'none', dedupKey: 'hb:weekly-report', limit: 10 })).length, 1);
      // Deleting it resolves its miss: no alert is left firing for a heartbeat that is gone.
      const deleted = await deleteHeartbeat(deps, ingest, ADMIN, 'weekly-report');
      assert.equal(deleted.state, 'missed');
      assert.equal(await store.findHeartbeat('weekly-report'), undefined);
      assert.equal((await alertOf('weekly-report'))?.status, 'resolved');
    });

    it('resolves what it raised when a ping lands while the miss is being raised', async () => {
      now = T0;
      const { token } = await createHeartbeat(deps, ADMIN, { name: 'racy', service: 'reports', interval: '1m', grace: '0s' });
      now = T0 + 60_000;
      let pinged = false;
      const worker = new HeartbeatWorker(deps, {
        ingest: async (s) => {
          const outcomes = await ingest(s);
          if (!pinged) {
            pinged = true;
            await pingHeartbeat(deps, ingest, 'racy', token);
          }
          return outcomes;
        },
      });
      assert.deepEqual(mine(await worker.runOnce(), ['racy']), []);
      assert.equal((await alertOf('racy'))?.status, 'resolved');
      assert.equal((await store.findHeartbeat('racy'))?.state, 'up');
    });

    // A's lease runs out while it raises; B claims the heartbeat and raises the same miss. A finding its claim
    // taken must leave B's alert alone, whether B still holds the lease or has already marked the heartbeat missed.
    for (const bFinishesFirst of [false, true]) {
      it(`leaves the miss firing when its lease expired and another runner raised it (${bFinishesFirst ? 'that runner finished first' : 'while that runner holds it'})`, async () => {
        const name = bFinishesFirst ? 'stolen-finished' : 'stolen-held';
        now = T0;
        await createHeartbeat(deps, ADMIN, { name, service: 'reports', interval: '1m', grace: '0s' });
        now = T0 + 60_000;
        const firesFor = (s: Parameters<HeartbeatIngest>[0]) => s.items.some((i) => 'status' in i && i.status === 'firing' && i.dedupKey === `hb:${name}`);
        let raisedByB!: () => void;
        const bRaised = new Promise<void>((resolve) => (raisedByB = resolve));
        let finishedA!: () => void;
        const aFinished = new Promise<void>((resolve) => (finishedA = resolve));
        let runB: Promise<string[]> | undefined;
        const b = new HeartbeatWorker(deps, {
          ingest: async (s) => {
            const outcomes = await ingest(s);
            if (firesFor(s)) {
              raisedByB();
              if (!bFinishesFirst) await aFinished; // A finishes while B still holds the lease
            }
            return outcomes;
          },
        });
        let paused = false;
        const a = new HeartbeatWorker(deps, {
          leaseMs: 60_000,
          ingest: async (s) => {
            const outcomes = await ingest(s);
            if (firesFor(s) && !paused) {
              paused = true;
              now += 60_001; // past A's lease
              runB = b.runOnce();
              if (bFinishesFirst) await runB;
              else await bRaised;
            }
            return outcomes;
          },
        });
        const raisedA = mine(await a.runOnce(), [name]);
        finishedA();
        assert.ok(runB);
        const raisedB = mine(await runB, [name]);
        assert.deepEqual([raisedA, raisedB], [[], [name]], 'B raised it, A did not');
        const alert = await alertOf(name);
        assert.deepEqual([alert?.status, alert?.endsAt], ['firing', null], 'A must not resolve the miss B raised');
        const h = await store.findHeartbeat(name);
        assert.deepEqual([h?.state, h?.leaseOwner, h?.missedAt], ['missed', null, iso(now)]);
        // Nothing else would re-raise it before a ping: the pass after is quiet, and the alert still fires.
        assert.deepEqual(mine(await a.runOnce(), [name]), []);
        assert.equal((await alertOf(name))?.status, 'firing');
      });
    }

    // SQLite has one writing process (two stores in one process would wait on each other's lock): there the passes run in turn.
    it('raises each miss once when two instances run a pass at the same moment', async () => {
      now = T0;
      const names = Array.from({ length: 12 }, (_, i) => `race-${String(i).padStart(2, '0')}`);
      for (const name of names) await createHeartbeat(deps, ADMIN, { name, service: 'reports', interval: '1m', grace: '0s' });
      const other = await database.open();
      const otherDeps = depsOn(other);
      const otherIngestor = createAlertIngestor(otherDeps);
      try {
        now = T0 + 60_000;
        const one = new HeartbeatWorker(deps, { ingest, batch: 5 });
        const two = new HeartbeatWorker(otherDeps, { ingest: (s) => otherIngestor.ingest(s), batch: 5 });
        const both = async (): Promise<[string[], string[]]> =>
          adapter.name === 'postgres' ? Promise.all([one.runOnce(), two.runOnce()]) : [await one.runOnce(), await two.runOnce()];
        const [a, b] = (await both()).map((r) => mine(r, names)) as [string[], string[]];
        assert.deepEqual([...a, ...b].sort(), names);
        assert.equal(a.filter((x) => b.includes(x)).length, 0);
        for (const name of names) {
          const alert = await alertOf(name);
          assert.deepEqual([alert?.status, alert?.occurrences], ['firing', 1], name);
        }
        assert.deepEqual((await both()).map((r) => mine(r, names)), [[], []]);
      } finally {
        await otherIngestor.close();
        await other.close();
      }
    });

    it('refuses bad input with every broken rule, a taken name, a viewer, and bad pings, writing nothing', async () => {
      now = T0;
      const { token } = await createHeartbeat(deps, ADMIN, { name: 'taken', service: 'checkout', interval: '10m' });
      const before = await store.listHeartbeats();
      const alerts = await store.listAlerts({ limit: 1_000 });

      assert.deepEqual(await refusal(createHeartbeat(deps, ADMIN, { name: '-bad name', service: 'billing', interval: '30s', grace: '2d', severity: 'info' })), {
        code: 'validation',
        message: 'The request is not valid.',
        details: {
          errors: [
            { path: 'body.name', message: "must be 1 to 100 letters, digits, '.', '_' or '-', starting with a letter or digit" },
            { path: 'body.interval', message: 'must be a duration like 5m, 1h30m or 1d, from 1m to 30d' },
            { path: 'body.grace', message: 'must be a duration like 0s, 30s or 5m, at most 1d' },
            { path: 'body.severity', message: 'must be one of critical, error, warning' },
            { path: 'body.service', message: 'billing is not a service of the catalog' },
          ],
        },
      });
      assert.deepEqual(await refusal(createHeartbeat(deps, ADMIN, { name: 'x', service: 'checkout', interval: 'often' })), {
        code: 'validation',
        message: 'The request is not valid.',
        details: { errors: [{ path: 'body.interval', message: 'must be a duration like 5m, 1h30m or 1d, from 1m to 30d' }] },
      });
      // One second past either bound of the interval or the grace is refused, and so is an empty grace (1m and 0s pass above).
      assert.deepEqual(await refusal(createHeartbeat(deps, ADMIN, { name: 'x', service: 'checkout', interval: '30d1s', grace: ' ' })), {
        code: 'validation',
        message: 'The request is not valid.',
        details: {
          errors: [
            { path: 'body.interval', message: 'must be a duration like 5m, 1h30m or 1d, from 1m to 30d' },
            { path: 'body.grace', message: 'must be a duration like 0s, 30s or 5m, at most 1d' },
          ],
        },
      });
      assert.deepEqual(await refusal(createHeartbeat(deps, ADMIN, { name: 'x', service: 'checkout', interval: '59s', grace: '1d1s' })), {
        code: 'validation',
        message: 'The request is not valid.',
        details: {
          errors: [
            { path: 'body.interval', message: 'must be a duration like 5m, 1h30m or 1d, from 1m to 30d' },
            { path: 'body.grace', message: 'must be a duration like 0s, 30s or 5m, at most 1d' },
          ],
        },
      });
      assert.deepEqual(await refusal(createHeartbeat(deps, ADMIN, { name: 'taken', service: 'checkout', interval: '5m' })), {
        code: 'conflict',
        message: 'A heartbeat named taken exists already; choose another name, or delete that one first.',
      });
      assert.deepEqual(await refusal(createHeartbeat(deps, { role: 'responder', actor: 'token:r' }, { name: 'y', service: 'checkout', interval: '5m' })), {
        code: 'forbidden',
        message: 'This needs the admin role; you have responder.',
      });
      assert.deepEqual(await refusal(pingHeartbeat(deps, ingest, 'taken', `${token}x`)), {
        code: 'not_found',
        message: 'There is no heartbeat taken with this token.',
      });
      assert.deepEqual(await refusal(pingHeartbeat(deps, ingest, 'nope', token)), {
        code: 'not_found',
        message: 'There is no heartbeat nope with this token.',
      });
      assert.deepEqual(await refusal(pingHeartbeat(deps, ingest, 'taken', undefined)), { code: 'unauthorized', message: PING_TOKEN_MISSING });
      assert.deepEqual(await refusal(deleteHeartbeat(deps, ingest, ADMIN, 'nope')), { code: 'not_found', message: 'There is no heartbeat nope.' });

      assert.deepEqual(await store.listHeartbeats(), before);
      assert.deepEqual(await store.listAlerts({ limit: 1_000 }), alerts);
    });
  });
}
