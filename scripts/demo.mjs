#!/usr/bin/env node
// `npm run demo`: a Firebreak server on a scratch SQLite file, filled by `firebreak demo`, until Ctrl+C.
// Extra arguments go to `firebreak demo` (`npm run demo -- --seed 7`). PORT picks the port (default
// 7070, or a free one when 7070 is taken). The scratch folder is removed when the server stops.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const host = process.env.HOST ?? '127.0.0.1';

/** The newest modification time under a folder. */
function newest(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

/** Builds web/dist as `npm start` does, unless it is there and newer than web/src. */
function buildWebIfNeeded() {
  const index = join(root, 'web', 'dist', 'index.html');
  if (existsSync(index) && statSync(index).mtimeMs >= newest(join(root, 'web', 'src'))) return;
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build-web.mjs')], { cwd: root, stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}

/** `port` when it is free, else one the system picks. */
function portFor(port) {
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => {
      const any = createServer();
      any.listen(0, host, () => {
        const { port: free } = any.address();
        any.close(() => resolve(free));
      });
    });
    srv.listen(port, host, () => srv.close(() => resolve(port)));
  });
}

buildWebIfNeeded();
const dir = mkdtempSync(join(tmpdir(), 'firebreak-demo-'));
const port = await portFor(Number(process.env.PORT ?? 7070));
const adminToken = `fb_demo_${randomBytes(24).toString('base64url')}`;
const env = { ...process.env, HOST: host, PORT: String(port), FIREBREAK_DB: join(dir, 'firebreak.db'), FIREBREAK_ADMIN_TOKEN: adminToken };
delete env.DATABASE_URL;
env.LOG_LEVEL ??= 'warn';

const server = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
let stopping = false;
const cleanup = () => rmSync(dir, { recursive: true, force: true });
server.on('exit', (code, signal) => {
  cleanup();
  if (!stopping) console.error(`demo: the server stopped (${code ?? signal}); removed ${dir}`);
  process.exit(stopping ? 0 : 1);
});
const stop = () => {
  if (stopping) return;
  stopping = true;
  console.error(`\ndemo: stopping the server and removing ${dir}`);
  server.kill('SIGTERM');
  setTimeout(() => server.kill('SIGKILL'), 10_000).unref();
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);

const url = await new Promise((resolve) => {
  let out = '';
  server.stdout.on('data', (b) => {
    out += b.toString();
    const m = /Firebreak listening on (https?:\/\/\S+)/.exec(out);
    if (m) resolve(m[1]);
  });
});
server.stdout.pipe(process.stdout);

const demo = spawn(process.execPath, [join(root, 'bin', 'firebreak.mjs'), 'demo', ...process.argv.slice(2)], {
  cwd: root,
  env: { ...process.env, FIREBREAK_URL: url, FIREBREAK_TOKEN: adminToken },
  stdio: 'inherit',
});
const status = await new Promise((resolve) => demo.on('exit', (code) => resolve(code)));
if (stopping) {
  // Ctrl+C during the demo: the server is stopping already.
} else if (status !== 0) {
  console.error('demo: firebreak demo failed; stopping');
  stop();
} else {
  console.log(`\nFirebreak is running at ${url} with the demo data (admin token: ${adminToken}).`);
  console.log(`Try: FIREBREAK_URL=${url} FIREBREAK_TOKEN=${adminToken} npx firebreak ls`);
  console.log('Ctrl+C stops it and removes the scratch database.');
}
