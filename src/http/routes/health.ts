import type { Routes } from '../context.js';

/** Liveness (public) and Prometheus metrics (viewer). */
export const healthRoutes: Routes =
  ({ auth, metrics }) =>
  async (app) => {
    app.get('/healthz', { schema: { tags: ['health'], summary: 'Liveness', security: [] } }, async () => ({ status: 'ok' }));

    app.get(
      '/metrics',
      { schema: { tags: ['health'], summary: 'Prometheus metrics' }, onRequest: auth.requireRole('viewer') },
      async (_req, reply) => {
        reply.type(metrics.registry.contentType);
        return metrics.registry.metrics();
      },
    );
  };
