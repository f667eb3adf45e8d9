import type { FastifyInstance, FastifyRequest } from 'fastify';
import { FirebreakError, validationError } from '../domain/errors.js';
import { authenticateBearer } from '../service/auth.js';
import type { ServiceDeps } from '../service/deps.js';
import { integrationCaller, integrationForToken } from '../service/integrations.js';
import type { IntegrationRecord, IntegrationType } from '../service/ports.js';
import { allows } from './auth.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireSender when the credentials are an integration's. */
    integration?: IntegrationRecord;
  }
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

/**
 * Inside the calling plugin only: JSON bodies arrive as raw bytes, so a signature can be checked over
 * exactly what was sent and each sender's endpoint can answer a bad body in its peer's own format.
 */
export function acceptRawJson(app: FastifyInstance): void {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
}

/** The raw body as JSON: refuses invalid UTF-8 and invalid JSON with one clear message each. */
export function parseRawJson(body: unknown): unknown {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw validationError([{ path: 'body', message: 'must be a JSON document (Content-Type: application/json)' }]);
  }
  let text: string;
  try {
    text = UTF8.decode(body);
  } catch {
    throw validationError([{ path: 'body', message: 'is not valid UTF-8' }]);
  }
  try {
    return JSON.parse(text);
  } catch (err) {
    const why = err instanceof SyntaxError ? err.message.slice(0, 200) : 'too deeply nested';
    throw validationError([{ path: 'body', message: `is not valid JSON: ${why}` }]);
  }
}

const bearerOf = (req: FastifyRequest) => /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];

/**
 * An onRequest hook for the senders' endpoints: the bearer token of a live integration of one of
 * `types`, or an API token with the ingest (or admin) role. Cookies never count: senders are machines.
 */
export function requireSender(deps: ServiceDeps, types: readonly IntegrationType[]) {
  return async (req: FastifyRequest) => {
    const token = bearerOf(req);
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
