import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { LogController, type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { notFound } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import { createAuth } from './auth.js';
import type { AppDeps, RouteContext } from './context.js';
import {
  countDatabaseError,
  createMetrics,
  registerHeartbeatMetrics,
  registerScheduleMetrics,
  registerOutboxMetrics,
  registerRetentionMetrics,
  registerTimerMetrics,
} from './metrics.js';
import { StatusPage } from '../service/status-page.js';
import { sendProblem } from './problem.js';
import { strictJsonBodies } from './raw-body.js';
import { adminRoutes } from './routes/admin.js';
import { alertRoutes } from './routes/alerts.js';
import { calendarFeedRoutes } from './routes/calendar-feeds.js';
import { catalogRoutes } from './routes/catalog.js';
import { commandRoutes } from './routes/commands.js';
import { followUpRoutes } from './routes/follow-ups.js';
import { importRoutes } from './routes/import.js';
import { leverRoutes } from './routes/levers.js';
import { maintenanceRoutes } from './routes/maintenances.js';
import { scheduleRoutes } from './routes/schedules.js';
import { contactMethodRoutes } from './routes/contact-methods.js';
import { deploysRoutes } from './routes/deploys.js';
import { healthRoutes } from './routes/health.js';
import { incidentRoutes } from './routes/incidents.js';
import { insightsRoutes } from './routes/insights.js';
import { integrationsRoutes } from './routes/integrations.js';
import { notificationsRoutes } from './routes/notifications.js';
import { outputRoutes } from './routes/outputs.js';
import { actionsExportRoutes } from './routes/actions-export.js';
import { sessionRoutes } from './routes/session.js';
import { statusRoutes } from './routes/status.js';
import { streamRoutes } from './routes/stream.js';
import { triageRoutes } from './routes/triage.js';
import { timerRoutes } from './routes/timers.js';
import { webRoutes } from './routes/web.js';
import { validatorCompiler } from './validation.js';

export type { AppDeps } from './context.js';

const API_VERSION = '0.1.0';

/** Builds the HTTP app, unstarted: tests call `inject`, main.ts calls `listen`. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  let requests = 0;
  const hops = deps.config.trustProxy;
  // What Fastify does with a number, which its types leave out: trust the nearest `hops` addresses.
  const trustProxy = typeof hops === 'number' ? (_address: string, hop: number) => hop < hops : hops;
  const app = Fastify({
    loggerInstance: deps.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'requestId' }),
    genReqId: () => `req-${++requests}`,
    requestIdHeader: false,
    bodyLimit: LIMITS.bodyBytes,
    ...(trustProxy !== undefined && { trustProxy }),
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 500 },
    // While closing, a request that still arrives on an open connection is answered (with Connection:
    // close) rather than refused with Fastify's bare 503; /readyz then says "shutting down" (OPERATIONS.md).
    return503OnClosing: false,
    // FIREBREAK_TLS_CERT and FIREBREAK_TLS_KEY: serve HTTPS (the types only know an HTTP server, hence the cast).
    ...(deps.config.tls && ({ https: deps.config.tls } as object)),
  }).withTypeProvider<TypeBoxTypeProvider>();

  // The status page caches its view until a change; a caller may hand in the one it exports from.
  const statusPage = deps.statusPage ?? new StatusPage(deps, deps.config.status, deps.config.publicUrl ?? null);
  // A page main.ts passes in was started (and is stopped) by main.ts.
  if (!deps.statusPage) statusPage.start();
  const ctx: RouteContext = { deps: { ...deps, statusPage }, auth: createAuth(deps), metrics: createMetrics() };
  registerOutboxMetrics(ctx.metrics, deps);
  registerRetentionMetrics(ctx.metrics, deps.retention);
  registerTimerMetrics(ctx.metrics, deps);
  registerHeartbeatMetrics(ctx.metrics, deps);
  registerScheduleMetrics(ctx.metrics, deps);

  // JSON only: a text/plain body is what a cross-site form can send, so it gets the 415-style refusal.
  app.removeContentTypeParser('text/plain');
  strictJsonBodies(app);
  app.setValidatorCompiler(validatorCompiler);
  app.setErrorHandler(sendProblem);
  app.setNotFoundHandler((req, reply) =>
    sendProblem(notFound(`There is no ${req.method} ${req.url.split('?')[0]!.slice(0, 200)}.`), req, reply),
  );

  app.addHook('onRequest', async (req, reply) => {
    reply.header('x-request-id', req.id);
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
  });
  app.addHook('onResponse', async (req, reply) => {
    const route = req.routeOptions.url ?? '(unmatched)';
    const labels = { method: req.method, route, status: String(reply.statusCode) };
    ctx.metrics.httpRequests.inc(labels);
    ctx.metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    req.log.info({ method: req.method, route, status: reply.statusCode, ms: Math.round(reply.elapsedTime) }, 'request');
  });
  // Before any error handler, the app's or a route's own (PagerDuty's): a database error answers 500 in both.
  app.addHook('onError', async (_req, _reply, err) => countDatabaseError(ctx.metrics, err));

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: { title: 'Firebreak', version: API_VERSION, description: 'Incident response: contain first, root-cause later.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          session: { type: 'apiKey', in: 'cookie', name: 'fb_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });

  app.get(
    '/api/v1/openapi.json',
    { schema: { hide: true }, onRequest: ctx.auth.requireRole('viewer') },
    async () => app.swagger(),
  );

  const groups = [
    healthRoutes,
    sessionRoutes,
    adminRoutes,
    importRoutes,
    incidentRoutes,
    commandRoutes,
    followUpRoutes,
    triageRoutes,
    timerRoutes,
    outputRoutes,
    actionsExportRoutes,
    catalogRoutes,
    leverRoutes,
    integrationsRoutes,
    notificationsRoutes,
    deploysRoutes,
    insightsRoutes,
    alertRoutes,
    maintenanceRoutes,
    scheduleRoutes,
    contactMethodRoutes,
    calendarFeedRoutes,
    statusRoutes,
    streamRoutes,
    webRoutes,
  ];
  for (const routes of groups) {
    await app.register(routes(ctx));
  }
  if (!deps.statusPage) app.addHook('onClose', async () => statusPage.stop());
  return app;
}
