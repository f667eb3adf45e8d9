import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Routes } from '../context.js';
import { PROBLEM_TYPE } from '../problem.js';

/** A readiness check waits this long for the database before answering 503. */
export const READY_TIMEOUT_MS = 2_000;
/** While the server closes, connections that have gone idle (their last answer sent) are closed this often. */
const IDLE_SWEEP_MS = 50;

type NotReady = 'shutting_down' | 'database_unavailable' | 'migrations_pending';

/** Liveness and readiness (public) and Prometheus metrics (viewer). */
export const healthRoutes: Routes =
  ({ deps, auth, metrics }) =>
  async (app) => {
    // Set when the server starts closing: requests still arriving on open connections are answered (with
    // Connection: close), but a load balancer's readiness check hears 503 and sends the next ones elsewhere.
    // Node closes the connections idle at that moment only; one whose answer was still being made would stay
    // open until its keep-alive timeout (72 s), so each is closed as soon as it has nothing left to answer.
    let shuttingDown = false;
    app.addHook('preClose', async () => {
      shuttingDown = true;
      const server = app.server;
      const sweep = setInterval(() => server.closeIdleConnections(), IDLE_SWEEP_MS);
      sweep.unref();
      server.once('close', () => clearInterval(sweep));
    });
    let wasReady = true;

    app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness', security: [] } }, async () => ({ status: 'ok' }));

    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'Readiness: the database answers and every migration is applied; 503 while shutting down',
          security: [],
        },
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        if (shuttingDown) return notReady(req, reply, 'shutting_down', 'The server is shutting down.', {});
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), READY_TIMEOUT_MS);
        });
        let status: Awaited<ReturnType<typeof deps.store.migrationStatus>> | 'timeout';
        try {
          status = await Promise.race([deps.store.migrationStatus(), timeout]);
        } catch (err) {
          // The reason stays in the log: a driver's message can name hosts and users.
          if (wasReady) req.log.warn({ err: err instanceof Error ? err.message : String(err) }, 'not ready: the database does not answer');
          wasReady = false;
          return notReady(req, reply, 'database_unavailable', 'The database does not answer.', { database: 'unavailable' });
        } finally {
          clearTimeout(timer);
        }
        if (status === 'timeout') {
          if (wasReady) req.log.warn({ timeoutMs: READY_TIMEOUT_MS }, 'not ready: the database is slow to answer');
          wasReady = false;
          const detail = `The database did not answer within ${READY_TIMEOUT_MS / 1000} s.`;
          return notReady(req, reply, 'database_unavailable', detail, { database: 'timeout' });
        }
        const migrations = { current: status.current, latest: status.latest };
        if (status.pending.length > 0) {
          if (wasReady) req.log.warn({ pending: status.pending }, 'not ready: migrations are not applied');
          wasReady = false;
          const n = status.pending.length;
          const detail = `${n} migration${n === 1 ? ' is' : 's are'} not applied: ${status.pending.join(', ')}.`;
          return notReady(req, reply, 'migrations_pending', detail, { database: 'ok', migrations });
        }
        wasReady = true;
        return { status: 'ready', database: 'ok', migrations };
      },
    );

    app.get(
      '/metrics',
      { schema: { tags: ['health'], summary: 'Prometheus metrics' }, onRequest: auth.requireRole('viewer') },
      async (_req, reply) => {
        reply.type(metrics.registry.contentType);
        return metrics.registry.metrics();
      },
    );
  };

/** A 503 in the API's problem format (problem.ts), with what readiness found. */
function notReady(req: FastifyRequest, reply: FastifyReply, code: NotReady, detail: string, found: Record<string, unknown>) {
  return reply
    .code(503)
    .type(PROBLEM_TYPE)
    .send({
      type: `https://firebreak.dev/problems/${code}`,
      title: 'Service Unavailable',
      status: 503,
      detail,
      code,
      requestId: req.id,
      ...found,
    });
}
