import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, the working directory of every process the e2e suites start. */
export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

const START_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** A port that was free a moment ago: bind 127.0.0.1:0, read the port, close. */
export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const { port } = srv.address() as { port: number };
  srv.close();
  await once(srv, 'close');
  return port;
}

export interface ServerProcess {
  url: string;
  adminToken: string;
  /** The SQLite file; pass it as FIREBREAK_DB to start another process on the same data. */
  dbPath: string;
  /** Everything the process printed so far (stdout and stderr), for failure messages. */
  output(): string;
  /** SIGTERM and wait for a clean exit (SIGKILL after 10 s). */
  stop(): Promise<void>;
  /** SIGKILL: a crash at an arbitrary moment. */
  kill(): Promise<void>;
  /** The process id, to read its memory from /proc. */
  pid: number;
  /** Sends a signal and returns at once (stop() and kill() wait for the exit). */
  signal(signal: NodeJS.Signals): void;
  /** Resolves when the process has exited, with its exit code or the signal that ended it. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `node --import tsx src/main.ts` on a free port with its own SQLite file and a known admin
 * token, and resolves once it prints `Firebreak listening on …`. A temp folder it created is removed
 * when the process ends; a FIREBREAK_DB given in `env` is left alone so a later start can reuse it.
 */
export async function startServerProcess(env: Record<string, string> = {}): Promise<ServerProcess> {
  const port = await freePort();
  const ownDir = env.FIREBREAK_DB ? undefined : mkdtempSync(join(tmpdir(), 'firebreak-e2e-'));
  const dbPath = env.FIREBREAK_DB ?? join(ownDir!, 'firebreak.db');
  const adminToken = env.FIREBREAK_ADMIN_TOKEN ?? `e2e-admin-${randomBytes(18).toString('hex')}`;
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: {
      ...inherited,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      ...env,
      PORT: String(port),
      FIREBREAK_DB: dbPath,
      FIREBREAK_ADMIN_TOKEN: adminToken,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  const exited = once(child, 'exit');
  const cleanup = () => {
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  };
  void exited.then(cleanup);

  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start within ${START_TIMEOUT_MS} ms:\n${out}`));
    }, START_TIMEOUT_MS);
    const onData = () => {
      const m = /Firebreak listening on (https?:\/\/\S+)/.exec(out);
      if (!m?.[1]) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      resolve(m[1]);
    };
    child.stdout.on('data', onData);
    void exited.then(([code, signal]) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code ?? signal}) before listening:\n${out}`));
    });
  });

  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill(signal);
    const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(force);
  };

  return {
    url,
    adminToken,
    dbPath,
    output: () => out,
    pid: child.pid ?? -1,
    stop: () => end('SIGTERM'),
    kill: () => end('SIGKILL'),
    signal: (signal) => void child.kill(signal),
    exited: exited.then(([code, signal]) => ({ code: code as number | null, signal: signal as NodeJS.Signals | null })),
  };
}
