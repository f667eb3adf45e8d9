import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { stringify } from 'yaml';
import { freePort } from '../e2e/server.js';
import { alertFingerprint, common } from '../../src/cli/demo/alertmanager.js';

const READY_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
/** Debian and Ubuntu name the binary `prometheus-alertmanager`; upstream releases name it `alertmanager`. */
const BINARIES = ['prometheus-alertmanager', 'alertmanager'];
/** The one receiver every alert is routed to; webhooks carry it as `receiver`. */
export const ALERTMANAGER_RECEIVER = 'firebreak';

/** One alert as Alertmanager's `POST /api/v2/alerts` takes it (a "postable alert"). */
export interface PostableAlert {
  labels: Record<string, string>;
  annotations?: Record<string, string>;
  startsAt?: string;
  endsAt?: string;
  generatorURL?: string;
}

export interface AlertmanagerOptions {
  /** Send every group to this URL as a version "4" webhook with `Authorization: Bearer <token>`; none: alerts are only stored. */
  webhook?: { url: string; bearerToken: string };
  /** The receiver's notifier configs instead, as in alertmanager.yml (e.g. `{ opsgenie_configs: [...] }`). */
  receiver?: Record<string, unknown>;
  /** Route timings in Alertmanager's duration syntax; defaults 1s, 1s, 1h (Alertmanager's own: 30s, 5m, 4h). */
  groupWait?: string;
  groupInterval?: string;
  repeatInterval?: string;
}

export interface AlertmanagerProcess {
  /** Base URL, also the `externalURL` its webhooks carry. */
  url: string;
  /** `POST /api/v2/alerts`; throws with Alertmanager's answer unless it is 200. */
  postAlerts(alerts: PostableAlert[]): Promise<void>;
  /** Everything the process printed so far, for failure messages. */
  output(): string;
  /** SIGTERM, SIGKILL after 5 s; removes its config and storage. */
  stop(): Promise<void>;
}

/** Alertmanager's alert fingerprint: the demo's own (src/cli/demo/alertmanager.ts), which a real Alertmanager checks in the e2e tests. */
export const alertmanagerFingerprint = alertFingerprint;

/** An alert of a webhook with every field set, as a sender that leaves Alertmanager nothing to fill in. */
export type WebhookAlert = Required<Pick<PostableAlert, 'labels' | 'annotations' | 'startsAt' | 'generatorURL'>>;


/**
 * The webhook body (payload version "4") a real Alertmanager grouping by alertname would send for these
 * firing alerts: groupKey of the root route, common labels, fingerprints as Alertmanager computes them.
 */
export function alertmanagerWebhookBody(batch: WebhookAlert[]) {
  const alertname = batch[0]?.labels.alertname ?? '';
  return {
    version: '4',
    groupKey: `{}:{alertname=${JSON.stringify(alertname)}}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: ALERTMANAGER_RECEIVER,
    groupLabels: { alertname },
    commonLabels: common(batch.map((a) => a.labels)),
    commonAnnotations: common(batch.map((a) => a.annotations)),
    externalURL: 'http://alertmanager.example:9093',
    alerts: batch.map((a) => ({
      status: 'firing',
      labels: a.labels,
      annotations: a.annotations,
      startsAt: a.startsAt,
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: a.generatorURL,
      fingerprint: alertmanagerFingerprint(a.labels),
    })),
  };
}

function findBinary(): string {
  for (const dir of (process.env.PATH ?? '').split(delimiter).filter(Boolean)) {
    for (const name of BINARIES) {
      const p = join(dir, name);
      try {
        accessSync(p, constants.X_OK);
        return p;
      } catch {
        // not in this folder
      }
    }
  }
  throw new Error(`Prometheus Alertmanager not found on PATH (looked for ${BINARIES.join(', ')}); on Debian: apt-get install prometheus-alertmanager`);
}

function configYaml(opts: AlertmanagerOptions): string {
  const receiver = opts.receiver
    ? { name: ALERTMANAGER_RECEIVER, ...opts.receiver }
    : opts.webhook
    ? {
        name: ALERTMANAGER_RECEIVER,
        webhook_configs: [
          {
            url: opts.webhook.url,
            send_resolved: true,
            http_config: { authorization: { type: 'Bearer', credentials: opts.webhook.bearerToken } },
          },
        ],
      }
    : { name: ALERTMANAGER_RECEIVER };
  return stringify({
    route: {
      receiver: ALERTMANAGER_RECEIVER,
      group_by: ['alertname'],
      group_wait: opts.groupWait ?? '1s',
      group_interval: opts.groupInterval ?? '1s',
      repeat_interval: opts.repeatInterval ?? '1h',
    },
    receivers: [receiver],
  });
}

/**
 * Starts a real Alertmanager on 127.0.0.1 with clustering off, its own config and storage in a temp
 * folder, and resolves once `GET /-/ready` answers 200.
 */
export async function startAlertmanager(opts: AlertmanagerOptions = {}): Promise<AlertmanagerProcess> {
  const binary = findBinary();
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-alertmanager-'));
  const configFile = join(dir, 'alertmanager.yml');
  writeFileSync(configFile, configYaml(opts));
  try {
    // freePort() can lose a race with another process; a second port is cheaper than a flaky test.
    for (let attempt = 1; ; attempt++) {
      try {
        return await launch(binary, dir, configFile);
      } catch (err) {
        if (attempt >= 3 || !(err instanceof PortTakenError)) throw err;
      }
    }
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

class PortTakenError extends Error {}

async function launch(binary: string, dir: string, configFile: string): Promise<AlertmanagerProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn(
    binary,
    [
      `--config.file=${configFile}`,
      `--storage.path=${join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      `--web.external-url=${url}`,
      '--cluster.listen-address=',
      '--log.level=info',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  let gone: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      gone ??= `exited (${code ?? signal})`;
      resolve();
    });
    child.once('error', (e) => {
      gone ??= `could not start: ${e.message}`;
      if (child.pid === undefined) resolve();
    });
  });

  try {
    await waitReady(url, () => gone, () => out);
  } catch (err) {
    await end(child, exited, 'SIGKILL');
    if (/address already in use/.test(out)) throw new PortTakenError(`port ${port} taken:\n${out}`);
    throw err;
  }

  let stopped: Promise<void> | undefined;
  return {
    url,
    output: () => out,
    async postAlerts(alerts) {
      const r = await fetch(`${url}/api/v2/alerts`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alerts),
        signal: AbortSignal.timeout(10_000),
      });
      const text = await r.text();
      if (r.status !== 200) throw new Error(`Alertmanager POST /api/v2/alerts: ${r.status} ${text}`);
    },
    stop: () =>
      (stopped ??= end(child, exited, 'SIGTERM').finally(() => rmSync(dir, { recursive: true, force: true }))),
  };
}

async function waitReady(url: string, gone: () => string | undefined, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let last = 'no answer yet';
  while (Date.now() < deadline) {
    const why = gone();
    if (why) throw new Error(`Alertmanager ${why} before it was ready:\n${output()}`);
    try {
      const r = await fetch(`${url}/-/ready`, { signal: AbortSignal.timeout(1_000) });
      await r.body?.cancel();
      if (r.status === 200) return;
      last = `GET /-/ready answered ${r.status}`;
    } catch (e) {
      last = `GET /-/ready: ${(e as Error).message}`;
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`Alertmanager not ready within ${READY_TIMEOUT_MS} ms (${last}):\n${output()}`);
}

async function end(child: ChildProcess, exited: Promise<unknown>, signal: NodeJS.Signals): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  child.kill(signal);
  const force = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await exited;
  clearTimeout(force);
}
