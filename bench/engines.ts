// The benches' scratch databases: a SQLite file in a fresh folder, and a fresh database on the local
// PostgreSQL server (FIREBREAK_BENCH_PG_URL), each dropped after its bench.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { Store } from '../src/service/ports.js';
import { createStore } from '../src/store/index.js';

export const PG_URL = process.env.FIREBREAK_BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A scratch database: how a server process is pointed at it, and how the bench opens it itself. */
export interface BenchDb {
  name: 'sqlite' | 'postgres';
  /** The server's environment for this database. */
  env: Record<string, string>;
  open(): Promise<Store>;
  /** Refreshes the planner's statistics after a bulk load (PostgreSQL; nothing on SQLite). */
  analyze(): Promise<void>;
  drop(): Promise<void>;
}

export function sqliteDb(label: string): BenchDb {
  const dir = mkdtempSync(join(tmpdir(), `fb-bench-${label}-`));
  const file = join(dir, 'bench.db');
  return {
    name: 'sqlite',
    env: { FIREBREAK_DB: file },
    open: () => createStore({ sqlitePath: file }),
    analyze: async () => {},
    drop: async () => rmSync(dir, { recursive: true, force: true }),
  };
}

async function onServer<T>(url: string, fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** A fresh database on the PostgreSQL server, or null (said once on stdout) when none is reachable. */
export async function postgresDb(label: string): Promise<BenchDb | null> {
  const name = `fb_bench_${label.replace(/\W/g, '_')}_${Date.now()}`;
  try {
    await onServer(PG_URL, (c) => c.query(`CREATE DATABASE ${name}`));
  } catch {
    console.log(`${label} bench: postgres skipped, nothing reachable at ${PG_URL}`);
    return null;
  }
  const url = new URL(PG_URL);
  url.pathname = `/${name}`;
  return {
    name: 'postgres',
    env: { DATABASE_URL: url.toString() },
    open: () => createStore({ databaseUrl: url.toString(), sqlitePath: '' }),
    analyze: () => onServer(url.toString(), async (c) => void (await c.query('VACUUM ANALYZE'))),
    drop: () => onServer(PG_URL, async (c) => void (await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`))),
  };
}

/** SQLite, and PostgreSQL when reachable. */
export async function benchDbs(label: string): Promise<BenchDb[]> {
  const pgDb = await postgresDb(label);
  return pgDb ? [sqliteDb(label), pgDb] : [sqliteDb(label)];
}
