import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { Logger } from 'pino';
import type { Config } from '../config.js';
import type { ServiceDeps } from '../service/deps.js';
import type { Auth } from './auth.js';
import type { Metrics } from './metrics.js';

/** What buildApp needs: the service dependencies, the config, and a pino logger for Fastify. */
export type AppDeps = ServiceDeps & { config: Config; log: Logger };

/** What every route plugin gets from buildApp. */
export interface RouteContext {
  deps: AppDeps;
  auth: Auth;
  metrics: Metrics;
}

export type Routes = (ctx: RouteContext) => FastifyPluginAsyncTypebox;
