import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adapters, createPgTestDatabase } from '../../src/store/test-adapters.js';
import { runCli, type CliResult } from './run-cli.js';
import { startServerProcess, type ServerProcess } from './server.js';

// Skipped with the adapters' printed reason outside CI when no PostgreSQL is reachable; in CI that throws.
const postgres = adapters().find((a) => a.name === 'postgres');

type Json = unknown;

/**
 * The answers' fields that legitimately differ between two servers asked a moment apart: insights' `window`
 * (`{from, to}` ends at each server's "now", so the two differ by the milliseconds between the requests).
 * Nothing else is removed: ids, sequence numbers, event positions and times are copied as they were.
 */
function comparable(path: string, body: Json): Json {
  if (path.startsWith('/api/v1/insights') && body && typeof body === 'object') {
    const { window: _window, ...rest } = body as Record<string, unknown>;
    return rest;
  }
  return body;
}

// The demo company on a SQLite file, moved to PostgreSQL with migrate-db: both servers answer the same.
describe('firebreak demo on SQLite, migrate-db to PostgreSQL, both answer the same', { skip: postgres ? false : 'no PostgreSQL reachable', timeout: 240_000 }, () => {
  let dir = '';
  let file = '';
  const adminToken = `e2e-admin-${randomBytes(18).toString('hex')}`;
  let target: { url: string; drop(): Promise<void> } | undefined;
  let onSqlite: ServerProcess | undefined;
  let onPostgres: ServerProcess | undefined;
  let demo: CliResult;
  let migrated: CliResult;
  let doctor: CliResult;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firebreak-demo-migrate-'));
    file = join(dir, 'firebreak.db');
    const first = await startServerProcess({ FIREBREAK_DB: file, FIREBREAK_ADMIN_TOKEN: adminToken });
    try {
      demo = await runCli(['demo', '--seed', '5', '--password', 'demo-password-for-tests'], { FIREBREAK_URL: first.url, FIREBREAK_TOKEN: adminToken });
    } finally {
      first.signal('SIGTERM');
      const exit = await first.exited;
      assert.deepEqual(exit, { code: 0, signal: null }, `the server stops cleanly on SIGTERM:\n${first.output()}`);
    }
    assert.equal(demo.code, 0, demo.stderr + demo.stdout);
    target = await createPgTestDatabase();
    migrated = await runCli(['migrate-db', '--from', `sqlite:${file}`, '--to', target.url], {});
    doctor = await runCli(['doctor'], { DATABASE_URL: target.url });
    onPostgres = await startServerProcess({ DATABASE_URL: target.url, FIREBREAK_ADMIN_TOKEN: adminToken });
    onSqlite = await startServerProcess({ FIREBREAK_DB: file, FIREBREAK_ADMIN_TOKEN: adminToken });
  });

  after(async () => {
    await onSqlite?.stop();
    await onPostgres?.stop();
    await target?.drop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  const get = async (server: ServerProcess, path: string): Promise<Json> => {
    const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${adminToken}` }, signal: AbortSignal.timeout(20_000) });
    assert.equal(res.status, 200, `${server.dbPath === file ? 'SQLite' : 'PostgreSQL'} ${path}: ${await res.clone().text()}`);
    return res.json();
  };
  /** The same request to both servers at once, compared after `comparable`. */
  const same = async (path: string): Promise<Json> => {
    const [pg, sqlite] = await Promise.all([get(onPostgres!, path), get(onSqlite!, path)]);
    assert.deepEqual(comparable(path, pg), comparable(path, sqlite), `${path} differs between PostgreSQL and SQLite`);
    return sqlite;
  };
  /** Every page of a list, following `nextCursor` as `param`, on both servers; answers the items. */
  const allPages = async (path: string, param: string): Promise<Json[]> => {
    const items: Json[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 100; pages++) {
      const sep = path.includes('?') ? '&' : '?';
      const page = (await same(cursor === null ? path : `${path}${sep}${param}=${encodeURIComponent(cursor)}`)) as { items: Json[]; nextCursor: string | null };
      items.push(...page.items);
      cursor = page.nextCursor;
      if (cursor === null) return items;
    }
    assert.fail(`${path}: more than 100 pages`);
  };

  it('the demo ran, migrate-db copied and verified every table, doctor finds it healthy', () => {
    assert.match(demo.stdout, /past incidents: 40 \(/);
    assert.equal(migrated.stderr, '', migrated.stdout);
    assert.equal(migrated.code, 0, migrated.stdout);
    const lines = migrated.stdout.trim().split('\n');
    assert.match(lines[0]!, /^TABLE +SQLITE +POSTGRES$/);
    for (const l of lines.slice(1, -1)) {
      const [table, a, b] = l.trim().split(/ +/);
      assert.equal(a, b, `${table}: ${l}`);
    }
    assert.match(lines.at(-1)!, /^copied \d+ rows in [0-9.]+ s; counts match, and 42 projection\(s\) equal the replay of their logs on PostgreSQL$/);
    assert.equal(doctor.code, 0, doctor.stdout + doctor.stderr);
    assert.match(doctor.stdout, /checked 42 incident\(s\) against their logs\nhealthy\n$/);
  });

  it('lists the same incidents, page by page, and each incident and its timeline the same', async () => {
    // Ten a page, so the cursor is followed on both engines.
    const incidents = (await allPages('/api/v1/incidents?limit=10', 'cursor')) as { id: string }[];
    assert.equal(incidents.length, 42);
    assert.equal(new Set(incidents.map((i) => i.id)).size, 42, 'each incident once');
    await allPages('/api/v1/incidents', 'cursor');
    for (const { id } of incidents) {
      await same(`/api/v1/incidents/${id}`);
      const timeline = (await same(`/api/v1/incidents/${id}/timeline?limit=500`)) as { events: unknown[]; nextCursor: string | null };
      assert.ok(timeline.events.length > 0, `${id} has a timeline`);
      assert.equal(timeline.nextCursor, null, `${id}: the whole timeline in one page`);
    }
  });

  it('answers the same insights, postmortems and action items', async () => {
    const insights = (await same('/api/v1/insights?days=60')) as { incidents: { total: number } };
    assert.equal(insights.incidents.total, 42);
    // The window left out of the comparison: 60 days on both, ending at each server's own "now".
    type Window = { window: { from: string; to: string; days: number } };
    const [a, b] = (await Promise.all([get(onPostgres!, '/api/v1/insights?days=60'), get(onSqlite!, '/api/v1/insights?days=60')])) as Window[];
    assert.deepEqual([a!.window.days, b!.window.days], [60, 60]);
    assert.ok(Math.abs(Date.parse(a!.window.to) - Date.parse(b!.window.to)) < 60_000, JSON.stringify([a!.window, b!.window]));
    const postmortems = (await allPages('/api/v1/postmortems', 'before')) as { overdue: boolean }[];
    assert.ok(postmortems.some((p) => p.overdue), 'overdue postmortems came along');
    const actions = (await allPages('/api/v1/actions', 'cursor')) as { overdue: boolean }[];
    assert.ok(actions.some((a) => a.overdue), 'overdue action items came along');
  });
});
