import type { IntegrationType } from '../../service/ports.js';
import { createIntegration, listIntegrations, revokeIntegration } from '../../service/integrations.js';
import type { Routes } from '../context.js';
import { IntegrationBody, IntegrationParams } from '../input-schemas.js';
import { NoQuery } from '../schemas.js';

/** Where each kind of sender posts (docs/INTEGRATIONS.md). */
const ENDPOINTS: Record<IntegrationType, string[]> = {
  alertmanager: ['/api/v1/integrations/alertmanager'],
  grafana: ['/api/v1/integrations/grafana'],
  pagerduty: ['/v2/enqueue', '/v2/change/enqueue'],
  opsgenie: ['/v2/alerts', '/v2/alerts/{identifier}/close', '/v2/alerts/{identifier}/acknowledge'],
  github: ['/api/v1/integrations/github'],
  generic: ['/api/v1/alerts', '/api/v1/deploys'],
};

/** Per-sender credentials: created once with the secret shown once, listed without it, revoked. */
export const integrationsRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const admin = auth.requireRole('admin');

    app.post(
      '/api/v1/integrations',
      {
        schema: { tags: ['integrations'], summary: "Create a sender's credentials (shown once)", querystring: NoQuery, body: IntegrationBody },
        onRequest: admin,
      },
      async (req, reply) => {
        const created = await createIntegration(deps, req.body);
        reply.code(201).header('cache-control', 'no-store');
        return { ...created, endpoints: ENDPOINTS[created.type] };
      },
    );

    app.get(
      '/api/v1/integrations',
      { schema: { tags: ['integrations'], summary: 'List integrations (never their credentials)', querystring: NoQuery }, onRequest: admin },
      async () => ({ items: (await listIntegrations(deps)).map((i) => ({ ...i, endpoints: ENDPOINTS[i.type] })) }),
    );

    app.delete(
      '/api/v1/integrations/:id',
      { schema: { tags: ['integrations'], summary: 'Revoke an integration', params: IntegrationParams, querystring: NoQuery }, onRequest: admin },
      async (req, reply) => {
        await revokeIntegration(deps, req.params.id);
        return reply.code(204).send();
      },
    );
  };
