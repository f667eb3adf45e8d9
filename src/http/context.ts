import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { AlertIngestor, IngestOptions } from '../service/alerts.js';
import type { ServiceDeps } from '../service/deps.js';
import type { OutboxWorker } from '../service/outbox.js';
import type { RetentionWorker } from '../service/retention.js';
import type { StatusPage } from '../service/status-page.js';
import type { Auth } from './auth.js';
import type { Metrics } from './metrics.js';

/**
 * What buildApp needs: the service dependencies, the config, and a pino logger for Fastify; and,
 * optionally, where alerts are ingested (main.ts: a worker thread on SQLite; default: in-process).
 */
export type AppDeps = ServiceDeps & {
  config: Config;
  log: Logger;
  startAlertIngestor?: (opts: IngestOptions) => Promise<AlertIngestor>;
  /** The notification worker main.ts runs; its attempts are counted in /metrics. */
  outbox?: OutboxWorker;
  /** The retention worker main.ts runs; what it prunes is counted in /metrics. */
  retention?: Pick<RetentionWorker, 'observe'>;
  /** The public status page (built from the store when not given). */
  statusPage?: StatusPage;
};

/** What every route plugin gets from buildApp. */
export interface RouteContext {
  deps: AppDeps;
  auth: Auth;
  metrics: Metrics;
}

export type Routes = (ctx: RouteContext) => FastifyPluginAsyncTypebox;
