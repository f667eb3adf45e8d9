#!/usr/bin/env node
// Runs node:test over an explicit file list: `node --test <folder>` finds no .ts files on Node 20
// and exits 0, so we collect the files ourselves and fail when a tier has none.
import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { spawnSync } from 'node:child_process';

const root = new URL('..', import.meta.url).pathname;
const tier = process.argv[2] ?? 'all';
const extra = process.argv.slice(3);

function walk(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p, out);
    else out.push(relative(root, p));
  }
  return out;
}

const files = [...walk(join(root, 'src')), ...walk(join(root, 'test'))].filter((f) => /\.test\.tsx?$/.test(f));
const tiers = {
  unit: files.filter((f) => f.startsWith('src/') && !f.endsWith('.int.test.ts')),
  int: files.filter((f) => f.startsWith('src/') && f.endsWith('.int.test.ts')),
  e2e: files.filter((f) => f.startsWith('test/e2e/')),
  browser: files.filter((f) => f.startsWith('test/browser/')),
};
const wanted = tier === 'all' ? Object.keys(tiers) : [tier];
const list = wanted.flatMap((t) => tiers[t] ?? []);
if (list.length === 0) {
  console.error(`run-tests: no test files for tier "${tier}"`);
  process.exit(1);
}
console.log(`run-tests: ${tier}: ${list.length} file(s)`);
const r = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...extra, ...list],
  { stdio: 'inherit', cwd: root },
);
process.exit(r.status ?? 1);
