import type { FastifyRequest } from 'fastify';
import { FirebreakError } from '../domain/errors.js';
import { authenticateBearer } from '../service/auth.js';
import type { ServiceDeps } from '../service/deps.js';
import { integrationCaller, integrationForToken } from '../service/integrations.js';
import type { IntegrationRecord, IntegrationType } from '../service/ports.js';
import { allows, bearerToken } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireSender when the credentials are an integration's. */
    integration?: IntegrationRecord;
  }
}

/**
 * An onRequest hook for the senders' endpoints: the bearer token of a live integration of one of
 * `types`, or an API token with the ingest (or admin) role. Cookies never count: senders are machines.
 */
export function requireSender(deps: ServiceDeps, types: readonly IntegrationType[]) {
  return async (req: FastifyRequest) => {
    const token = bearerToken(req);
    if (token === undefined) throw new FirebreakError('unauthorized', 'Send the integration token as a bearer token.');
    const integration = await integrationForToken(deps, types, token);
    if (integration) {
      req.integration = integration;
      req.caller = integrationCaller(integration);
      return;
    }
    const caller = await authenticateBearer(deps, token);
    if (!caller) throw new FirebreakError('unauthorized', `The token is not a live ${types.join(' or ')} integration token.`);
    if (!allows(caller.role, 'ingest')) {
      throw new FirebreakError('forbidden', `This needs an integration token or the ingest role; you have ${caller.role}.`);
    }
    req.caller = caller;
  };
}
