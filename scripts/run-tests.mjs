#!/usr/bin/env node
// Runs node:test over an explicit file list: `node --test <folder>` finds no .ts files on Node 20
// and exits 0, so we collect the files ourselves and fail when a tier has none.
import { accessSync, constants, readdirSync, readFileSync, statSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
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
let list = wanted.flatMap((t) => tiers[t] ?? []);

// Programs some suites drive for real, from Debian's packages. In CI their absence fails the run;
// elsewhere the suites that need them are left out, with one line saying what to install.
const executable = (path) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};
const onPath = (names) =>
  (process.env.PATH ?? '').split(delimiter).some((dir) => names.some((n) => executable(join(dir, n))));
const PROGRAMS = [
  {
    name: 'prometheus-alertmanager',
    present: () => onPath(['prometheus-alertmanager', 'alertmanager']),
    needs: (f) => readFileSync(join(root, f), 'utf8').includes('startAlertmanager('),
  },
  {
    name: 'chromium',
    present: () => executable(process.env.FIREBREAK_CHROMIUM ?? '/usr/bin/chromium'),
    needs: (f) => f.startsWith('test/browser/'),
  },
];
const missing = PROGRAMS.filter((p) => list.some(p.needs) && !p.present());
let missingLine = '';
if (missing.length > 0) {
  const left = list.filter((f) => missing.some((p) => p.needs(f)));
  const names = missing.map((p) => p.name).join(' and ');
  missingLine =
    `run-tests: ${names} not installed: ${left.length} test file(s) that drive ${missing.length === 1 ? 'it' : 'them'} ` +
    `are left out (Debian: apt-get install ${missing.map((p) => p.name).join(' ')})`;
  if (process.env.CI === 'true') {
    console.error(missingLine.replace('are left out', 'cannot run in CI'));
    process.exit(1);
  }
  console.error(missingLine);
  list = list.filter((f) => !left.includes(f));
}
if (list.length === 0) {
  console.error(`run-tests: no test files for tier "${tier}"`);
  process.exit(1);
}
console.log(`run-tests: ${tier}: ${list.length} file(s)`);
const r = spawnSync(
  process.execPath,
  [
    '--import',
    'tsx',
    '--test',
    '--test-concurrency=2',
    '--test-reporter=spec',
    '--test-reporter-destination=stdout',
    `--test-reporter=${join(root, 'scripts/load-failures.mjs')}`,
    '--test-reporter-destination=stderr',
    ...extra,
    ...list,
  ],
  { stdio: 'inherit', cwd: root },
);
if (missingLine) console.error(missingLine);
process.exit(r.status ?? 1);
