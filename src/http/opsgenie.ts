import type { FastifyReply, FastifyRequest } from 'fastify';
import { opsgenieUnprocessable } from '../domain/alerts/opsgenie.js';
import { FirebreakError } from '../domain/errors.js';
import type { ServiceDeps } from '../service/deps.js';
import { integrationCaller, integrationForApiKey } from '../service/integrations.js';
import { toProblem } from './problem.js';

/** Opsgenie's words for a missing, unknown or revoked API key. */
export const OPSGENIE_UNAUTHENTICATED = 'Could not authenticate';

/** What an Opsgenie-compatible endpoint answers besides its 202 and 422: Opsgenie's own shape, never problem+json. */
export interface OpsgenieAnswer {
  message?: string;
  result?: string;
  errors?: Record<string, string>;
  truncated?: readonly string[];
  took: number;
  requestId: string;
}

/** Opsgenie's `took`: the seconds the request has taken so far. */
export const tookOf = (reply: FastifyReply) => Math.round(reply.elapsedTime) / 1000;

/** Opsgenie's clients (and Alertmanager's logs) read a JSON body on every answer, errors included. */
export function sendOpsgenie(reply: FastifyReply, status: number, body: OpsgenieAnswer): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

const GENIE_KEY = /^GenieKey[ \t]+(\S+)[ \t]*$/i;

/**
 * An onRequest hook for the Opsgenie-compatible endpoints: `Authorization: GenieKey <apiKey>` of a live
 * opsgenie integration. Anything else (no header, a bearer token, an unknown or revoked key) is refused
 * before the body is read.
 */
export function requireGenieKey(deps: ServiceDeps) {
  return async (req: FastifyRequest) => {
    const key = GENIE_KEY.exec(req.headers.authorization ?? '')?.[1];
    const integration = key === undefined ? undefined : await integrationForApiKey(deps, key);
    if (!integration) throw new FirebreakError('unauthorized', OPSGENIE_UNAUTHENTICATED);
    req.integration = integration;
    req.caller = integrationCaller(integration);
  };
}

/**
 * A route error handler answering every failure as Opsgenie would: 401 "Could not authenticate",
 * invalid fields (and a body that is not JSON) 422 with `errors` by field, a missing alert or heartbeat
 * 404 with its message, and a bare 500 with the request id.
 */
export function opsgenieErrors(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const p = toProblem(err, req.id);
  const took = tookOf(reply);
  if (p.status >= 500) {
    req.log.error({ err }, 'request failed');
    return sendOpsgenie(reply, 500, { message: 'Internal error', took, requestId: req.id });
  }
  if (p.status === 401 || p.status === 403) {
    reply.header('www-authenticate', 'GenieKey');
    return sendOpsgenie(reply, 401, { message: OPSGENIE_UNAUTHENTICATED, took, requestId: req.id });
  }
  if (p.code === 'validation') return sendOpsgenie(reply, 422, opsgenieUnprocessable(p.errors ?? [], req.id, took));
  return sendOpsgenie(reply, p.status, { message: p.detail, took, requestId: req.id });
}
