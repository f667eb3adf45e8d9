import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import Sqlite from 'better-sqlite3';
import { runCli } from '../test-cli.js';
import { testApp, type TestApp } from '../../http/test-app.js';
import type { Store } from '../../service/ports.js';
import { adapters, createPgTestDatabase, type TestDatabase } from '../../store/test-adapters.js';
import { PG_BACKUP_HINT, PG_RESTORE_HINT } from '../../store/tools/backup.js';
import { TABLES } from '../../store/tools/db.js';
import { migrationNames } from '../../store/migrations/index.js';
import { HISTORY_NOW, historyAgo, incidentHistory } from '../../../test/support/incident-history.js';

export const NOW = HISTORY_NOW;
export const ago = historyAgo;
/** A SEV2 `days` ago on `service`, taken through every step to closed (the import endpoint's body). */
export const history = (days: number, service = 'checkout') => incidentHistory({ days, service });

/**
 * A small history through the real API: two imported lifecycles, one open incident with notes, alerts
 * (firing and resolved, one linked), and deploys. Answers the incident ids.
 */
export async function seed(t: TestApp): Promise<string[]> {
  const ok = async (res: { statusCode: number; body: string }) => {
    assert.ok(res.statusCode < 300, `${res.statusCode} ${res.body}`);
    return JSON.parse(res.body);
  };
  const ids: string[] = [];
  for (const [days, service] of [[12, 'checkout'], [5, 'search']] as const) {
    ids.push((await ok(await t.call('POST', '/api/v1/incidents/import', { as: 'admin', body: history(days, service) }))).id);
  }
  const open = await t.declare({ services: ['checkout'], severity: 'SEV3', severityReason: 'some users' });
  ids.push(open.id);
  await ok(await t.call('POST', `/api/v1/incidents/${open.id}/notes`, { body: { body: 'looking at the dashboards' } }));
  await ok(await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: [
    { dedupKey: 'disk-1', status: 'firing', summary: 'disk full', severity: 'warning', labels: { app: 'search' } },
    { dedupKey: 'disk-2', status: 'resolved', summary: 'disk was full', severity: 'info', labels: { app: 'search' } },
  ] }));
  const [firing] = (await ok(await t.call('GET', '/api/v1/alerts?dedupKey=disk-1', { as: 'viewer' }))).items;
  await ok(await t.call('POST', `/api/v1/incidents/${open.id}/alerts`, { body: { alertId: firing.id } }));
  await ok(await t.call('POST', '/api/v1/deploys', { as: 'ingest', body: { externalId: 'ci-1', service: 'checkout', version: 'v42', status: 'succeeded', startedAt: ago(13), finishedAt: ago(13, 5) } }));
  await ok(await t.call('POST', '/api/v1/deploys', { as: 'ingest', body: { externalId: 'ci-2', service: 'search', version: 'v7', status: 'started', startedAt: ago(1) } }));
  return ids;
}

const clock = { now: () => new Date(NOW).toISOString() };
const cli = (argv: string[], env: Record<string, string>) => runCli(argv, [], { env });
const sqliteAdapter = adapters().find((a) => a.name === 'sqlite')!;
const pgAdapter = adapters().find((a) => a.name === 'postgres');

/** Reads a SQLite file's row counts directly. */
function sqliteCounts(file: string, tables = ['incidents', 'events', 'alerts', 'deploys', 'tokens']) {
  const db = new Sqlite(file, { readonly: true });
  try {
    return Object.fromEntries(tables.map((t) => [t, (db.prepare(`select count(*) as n from ${t}`).get() as { n: number }).n]));
  } finally {
    db.close();
  }
}

/** A worker thread with its own connection inserting `n` alerts into the file, one transaction each. */
function alertWriter(file: string, n: number): Promise<number> {
  const code = `
    const { parentPort, workerData } = require('node:worker_threads');
    const Sqlite = require('better-sqlite3');
    const db = new Sqlite(workerData.file);
    db.pragma('busy_timeout = 5000');
    const ins = db.prepare(\`insert into alerts (id, dedup_key, source, status, summary, severity, signal, labels, annotations,
      starts_at, first_received_at, received_at, occurrences, group_key) values (?, ?, 'firebreak', 'firing', 'load', 'info',
      'load', '{}', '{}', ?, ?, ?, 1, 'g')\`);
    for (let i = 0; i < workerData.n; i++) {
      const at = new Date().toISOString();
      ins.run('w-' + i, 'w-' + i, at, at, at);
      if (i === 5) parentPort.postMessage('started');
    }
    db.close();
    parentPort.postMessage('done');`;
  const w = new Worker(code, { eval: true, workerData: { file, n } });
  return new Promise((resolve, reject) => {
    let started = false;
    w.on('message', (m) => {
      if (m === 'started' && !started) started = true;
      if (m === 'done') resolve(n);
    });
    w.on('error', reject);
  });
}

describe('backup, restore, doctor and rebuild-projections on a SQLite file', () => {
  let database: TestDatabase;
  let store: Store;
  let t: TestApp;
  let file: string;
  let env: Record<string, string>;
  before(async () => {
    database = await sqliteAdapter.database();
    file = database.location;
    env = { FIREBREAK_DB: file };
    store = await database.open();
    await store.migrate();
    t = await testApp(store, { clock });
    await seed(t);
  });
  after(async () => {
    await t.app.close();
    await store.close().catch(() => undefined);
    await database.drop();
  });

  it('backs up a consistent copy while another connection keeps appending alerts, and refuses to overwrite', async () => {
    const copy = join(dirname(file), 'copy.db');
    const before = sqliteCounts(file).alerts!;
    const writing = alertWriter(file, 3_000);
    const r = await cli(['backup', copy], env);
    const written = await writing;
    assert.equal(r.stderr, '');
    assert.equal(r.code, 0);
    assert.match(r.stdout, new RegExp(`^backed up ${file} to ${copy}: [0-9.]+ KiB; incidents 3, events \\d+, alerts \\d+, deploys 2, users 0, tokens 4, integrations 0, outbox \\d+, timers \\d+\\n$`));
    const got = sqliteCounts(copy);
    assert.ok(got.alerts! >= before && got.alerts! <= before + written, `${got.alerts} alerts in the copy`);
    assert.equal(new Sqlite(copy, { readonly: true }).pragma('quick_check', { simple: true }), 'ok');
    assert.ok(!existsSync(`${copy}-wal`), 'a single file');
    const healthy = await cli(['doctor'], { FIREBREAK_DB: copy });
    assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
    assert.match(healthy.stdout, /checked 3 incident\(s\) against their logs\nhealthy\n$/);

    const size = statSync(copy).size;
    const again = await cli(['backup', copy], env);
    assert.deepEqual([again.code, again.stdout, again.stderr], [6, '', `firebreak: ${copy} exists: choose another name, or give --force to replace it\n`]);
    assert.equal(statSync(copy).size, size, 'left alone');
    const forced = await cli(['backup', copy, '--force'], env);
    assert.equal(forced.code, 0, forced.stderr);
    assert.equal(sqliteCounts(copy).alerts, sqliteCounts(file).alerts, 'the writer has finished: the same alerts');
  });

  it('refuses a restore while the server holds the file, writing nothing; restores once it is stopped', async () => {
    const copy = join(dirname(file), 'restore-from.db');
    assert.equal((await cli(['backup', copy], env)).code, 0);
    const counts = sqliteCounts(file);
    await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: { dedupKey: 'after-backup', status: 'firing', summary: 'late', severity: 'info' } });
    const held = await cli(['restore', copy], env);
    assert.deepEqual([held.code, held.stdout, held.stderr], [6, '', `firebreak: ${file} is open in another process (a running server?): stop it before restoring\n`]);
    assert.equal(sqliteCounts(file).alerts, counts.alerts! + 1, 'the database is untouched');
    const rebuildHeld = await cli(['rebuild-projections'], env);
    assert.deepEqual([rebuildHeld.code, rebuildHeld.stderr], [6, `firebreak: ${file} is open in another process (a running server?): stop it before rebuilding projections\n`]);

    await t.app.close();
    await store.close();
    const restored = await cli(['restore', copy], env);
    assert.equal(restored.stderr, '');
    assert.equal(restored.code, 0);
    assert.equal(
      restored.stdout,
      `restored ${file} from ${copy}: incidents 3, events ${counts.events}, alerts ${counts.alerts}, deploys 2, users 0, tokens 4, integrations 0, outbox ${sqliteCounts(file, ['outbox']).outbox}, timers ${sqliteCounts(file, ['timers']).timers}\ncheck it with: firebreak doctor\n`,
    );
    assert.deepEqual(sqliteCounts(file), counts);
    assert.ok(!existsSync(`${file}-wal`) || statSync(`${file}-wal`).size === 0);
    const healthy = await cli(['doctor'], env);
    assert.equal(healthy.code, 0, healthy.stdout);

    store = await database.open();
    await store.migrate();
    t = await testApp(store, { clock });
    const list = (await t.call('GET', '/api/v1/incidents', { as: 'viewer' })).json();
    assert.equal(list.items.length, 3);
  });

  it('refuses a restore from a file that is not a Firebreak database, or newer than this build', async () => {
    const junk = join(dirname(file), 'junk.db');
    writeFileSync(junk, 'not a database at all, just some text that is long enough to be a header '.repeat(10));
    const notSqlite = await cli(['restore', junk], { FIREBREAK_DB: join(dirname(file), 'other.db') });
    assert.deepEqual([notSqlite.code, notSqlite.stderr], [6, `firebreak: ${junk} is not a SQLite database\n`]);
    const empty = join(dirname(file), 'empty.db');
    new Sqlite(empty).exec('create table x (y)');
    const notOurs = await cli(['restore', empty], { FIREBREAK_DB: join(dirname(file), 'other.db') });
    assert.deepEqual([notOurs.code, notOurs.stderr], [6, `firebreak: ${empty} is not a Firebreak database (no kysely_migration table)\n`]);
    const newer = join(dirname(file), 'newer.db');
    assert.equal((await cli(['backup', newer], env)).code, 0);
    new Sqlite(newer).prepare('insert into kysely_migration (name, timestamp) values (?, ?)').run('0099-from-the-future', new Date().toISOString());
    const future = await cli(['restore', newer], { FIREBREAK_DB: join(dirname(file), 'other.db') });
    assert.deepEqual([future.code, future.stderr], [6, `firebreak: ${newer} has a schema newer than this build (0099-from-the-future): restore it with a newer Firebreak\n`]);
    assert.ok(!existsSync(join(dirname(file), 'other.db')), 'nothing written');
    const missing = await cli(['restore', join(dirname(file), 'nope.db')], env);
    assert.deepEqual([missing.code, missing.stderr], [5, `firebreak: no backup file at ${join(dirname(file), 'nope.db')}\n`]);
  });

  it('backup and restore on PostgreSQL refuse with the pg_dump and pg_restore lines', async () => {
    const env = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/firebreak' };
    const b = await cli(['backup', 'x.db'], env);
    assert.deepEqual([b.code, b.stdout, b.stderr], [2, '', `firebreak: ${PG_BACKUP_HINT}\n`]);
    const r = await cli(['restore', 'x.dump'], env);
    assert.deepEqual([r.code, r.stdout, r.stderr], [2, '', `firebreak: ${PG_RESTORE_HINT}\n`]);
    assert.ok(!existsSync('x.db'));
  });
});

for (const adapter of adapters()) {
  describe(`doctor and rebuild-projections (${adapter.name})`, () => {
    let database: TestDatabase;
    let store: Store;
    let env: Record<string, string>;
    before(async () => {
      database = await adapter.database();
      env = adapter.name === 'sqlite' ? { FIREBREAK_DB: database.location } : { DATABASE_URL: database.location };
      store = await database.open();
      await store.migrate();
      const t = await testApp(store, { clock });
      await seed(t);
      await t.app.close();
      if (adapter.name === 'sqlite') await store.close();
    });
    after(async () => {
      if (adapter.name === 'postgres') await store.close();
      await database.drop();
    });

    it('finds a healthy database healthy, names each drifted projection, and a rebuild mends them', async () => {
      const healthy = await cli(['doctor'], env);
      assert.equal(healthy.code, 0, healthy.stdout + healthy.stderr);
      const known = migrationNames(adapter.name).length;
      assert.match(healthy.stdout, new RegExp(`: schema ${known} of ${known} migrations\\n`));
      assert.match(healthy.stdout, /migrations\nincidents 3, events \d+, alerts \d+, deploys 2, users 0, tokens 4, integrations 0, outbox \d+, timers \d+\nchecked 3 incident\(s\) against their logs\nhealthy\n$/);

      const db = database.kysely();
      try {
        const row = await db.selectFrom('incidents').select('state').where('number', '=', 1).executeTakeFirstOrThrow();
        await db.updateTable('incidents').set({ state: JSON.stringify({ ...JSON.parse(row.state), title: 'edited by hand' }) }).where('number', '=', 1).execute();
        await db.updateTable('incidents').set({ version: 2 }).where('number', '=', 2).execute();
        await db.deleteFrom('action_items').where('incident_number', '=', 3).execute();
        await db.insertInto('action_items').values({
          incident_number: 3, id: 'INC-3-A9', title: 'x', owner: 'bo', kind: 'fix', priority: 'P1', status: 'open', due_at: 'x', due_ms: 0, created_at: 'x',
        }).execute();
      } finally {
        await db.destroy();
      }
      const sick = await cli(['doctor'], env);
      assert.equal(sick.code, 1);
      const problems = sick.stdout.split('\n').filter((l) => l.startsWith('problem: '));
      assert.deepEqual(problems, [
        'problem: INC-1 projection differs from the replay of its log (same version 21)',
        `problem: INC-2 projection is at version 2, its log replays to version 21`,
        'problem: INC-3 read model has 0 people and 1 action items, its projection 0 and 0',
        'problem: run firebreak rebuild-projections to rewrite them from their logs',
        'problem: 1 incident(s) whose version is not their number of events',
      ]);
      assert.equal(sick.stderr, `firebreak: doctor found 5 problem(s) in ${adapter.name === 'sqlite' ? database.location : sick.stdout.split(' ')[1]}\n`);

      const rebuilt = await cli(['rebuild-projections'], env);
      assert.equal(rebuilt.stderr, '');
      assert.match(rebuilt.stdout, /^rebuilt 3 of 3 incident\(s\) from their logs in 1 batch\(es\) in /);
      const again = await cli(['rebuild-projections'], env);
      assert.equal(again.code, 0, 'safe to re-run');
      const mended = await cli(['doctor'], env);
      assert.equal(mended.code, 0, mended.stdout);
    });
  });
}

describe('migrate-db: a SQLite file into an empty PostgreSQL database', { skip: pgAdapter ? false : 'no PostgreSQL' }, () => {
  it('copies every table, keeps ids and sequences, verifies, and both databases answer the same', async () => {
    const source = await sqliteAdapter.database();
    const target = await createPgTestDatabase();
    try {
      let store = await source.open();
      await store.migrate();
      const t = await testApp(store, { clock });
      const ids = await seed(t);
      await t.app.close();

      const held = await cli(['migrate-db', '--from', `sqlite:${source.location}`, '--to', target.url], {});
      assert.deepEqual([held.code, held.stderr], [6, `firebreak: ${source.location} is open in another process (a running server?): stop it before copying it\n`]);
      await store.close();

      const r = await cli(['migrate-db', '--from', `sqlite:${source.location}`, '--to', target.url], {});
      assert.equal(r.stderr, '');
      assert.equal(r.code, 0);
      const lines = r.stdout.trim().split('\n');
      assert.match(lines[0]!, /^TABLE +SQLITE +POSTGRES$/);
      assert.equal(lines.length, 1 + TABLES.length + 1);
      for (const l of lines.slice(1, -1)) {
        const [, a, b] = l.trim().split(/ +/);
        assert.equal(a, b, l);
      }
      assert.match(lines.at(-1)!, /^copied \d+ rows in [0-9.]+ s; counts match, and 3 projection\(s\) equal the replay of their logs on PostgreSQL$/);

      const again = await cli(['migrate-db', '--from', `sqlite:${source.location}`, '--to', target.url], {});
      assert.deepEqual([again.code, again.stdout, again.stderr], [6, '', 'firebreak: the target database is not empty (3 incidents, 4 tokens): migrate-db copies into an empty database only\n']);

      store = await source.open();
      const pg = await (await import('../../store/postgres/open.js')).openPostgresStore(target.url);
      try {
        await pg.migrate();
        const same = await testApp(store, { clock });
        const other = await testApp(pg, { clock });
        const get = async (app: TestApp, url: string) => {
          const res = await app.call('GET', url, { as: 'viewer' });
          assert.equal(res.statusCode, 200, `${url}: ${res.body}`);
          return res.json();
        };
        for (const url of ['/api/v1/incidents', '/api/v1/insights?days=30', '/api/v1/alerts', '/api/v1/deploys', ...ids.flatMap((id) => [`/api/v1/incidents/${id}`, `/api/v1/incidents/${id}/timeline?limit=500`])]) {
          assert.deepEqual(await get(other, url), await get(same, url), url);
        }
        // Ids and sequences go on where SQLite stopped.
        const next = await other.declare({ title: 'After the move' });
        assert.equal(next.id, 'INC-4');
        const res = await other.call('POST', '/api/v1/alerts', { as: 'ingest', body: { dedupKey: 'after-move', status: 'firing', summary: 'x', severity: 'info' } });
        assert.equal(res.statusCode, 202, res.body);
        const doctor = await cli(['doctor'], { DATABASE_URL: target.url });
        assert.equal(doctor.code, 0, doctor.stdout);
        await same.app.close();
        await other.app.close();
      } finally {
        await pg.close();
        await store.close();
      }
    } finally {
      await target.drop();
      await source.drop();
    }
  });

  it('refuses bad arguments and a missing file on one line', async () => {
    const bad = await cli(['migrate-db', '--from', 'data/firebreak.db', '--to', 'postgres://x'], {});
    assert.deepEqual([bad.code, bad.stderr], [2, 'firebreak: --from must be sqlite:FILE (not data/firebreak.db)\n']);
    const to = await cli(['migrate-db', '--from', 'sqlite:x.db', '--to', 'mysql://x'], {});
    assert.deepEqual([to.code, to.stderr], [2, 'firebreak: --to must be a postgres:// or postgresql:// URL\n']);
    const missing = await cli(['migrate-db', '--from', 'sqlite:/nonexistent/x.db', '--to', 'postgres://x'], {});
    assert.deepEqual([missing.code, missing.stderr], [5, 'firebreak: no database file at /nonexistent/x.db\n']);
  });
});
