import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import {
  OPSGENIE_LIMITS,
  opsgenieAccepted,
  opsgenieAlertKey,
  opsgenieResolution,
  parseOpsgenieAcknowledge,
  parseOpsgenieClose,
  parseOpsgenieCreate,
  type OpsgenieActionInput,
  type OpsgenieContext,
  type OpsgenieTarget,
} from '../../domain/alerts/opsgenie.js';
import { FirebreakError, notFound } from '../../domain/errors.js';
import type { AlertIngestor } from '../../service/alerts.js';
import { pingHeartbeatTrusted } from '../../service/heartbeats.js';
import { integrationActor } from '../../service/integrations.js';
import type { IntegrationRecord } from '../../service/ports.js';
import type { AppDeps } from '../context.js';
import { RAW_JSON_BODY } from '../input-schemas.js';
import { countAlerts, type Metrics } from '../metrics.js';
import { opsgenieErrors, OPSGENIE_UNAUTHENTICATED, requireGenieKey, sendOpsgenie, tookOf } from '../opsgenie.js';
import { bodyJson } from '../raw-body.js';
import { NoQuery } from '../schemas.js';

const strict = { additionalProperties: false } as const;

const GenieKeyHeaders = Type.Object({
  authorization: Type.Optional(Type.String({ maxLength: 600, description: '`GenieKey <apiKey>` of an opsgenie integration' })),
});
const ActionParams = Type.Object({ identifier: Type.String({ maxLength: OPSGENIE_LIMITS.alias }) }, strict);
const ActionQuery = Type.Object(
  { identifierType: Type.Optional(Type.String({ maxLength: 100, description: '`id` (the default: a Firebreak alert id) or `alias`' })) },
  strict,
);
const HeartbeatParams = Type.Object({ name: Type.String({ maxLength: 200 }) }, strict);
/** Opsgenie's answer to a heartbeat ping. */
export const OPSGENIE_PONG = 'PONG - Heartbeat received';

/** What the Opsgenie routes share with the other senders' routes: above all, the one alert ingestor. */
export interface OpsgenieRouteContext {
  deps: AppDeps;
  metrics: Metrics;
  ingestor: AlertIngestor;
}

const integrationOf = (req: FastifyRequest): IntegrationRecord => {
  if (!req.integration) throw new FirebreakError('unauthorized', OPSGENIE_UNAUTHENTICATED);
  return req.integration;
};

/** A close or acknowledge may come without a body, or with an empty one (curl -X POST). */
const optionalJson = (body: unknown) => (body instanceof Uint8Array && body.length > 0 ? bodyJson(body) : undefined);

/**
 * Opsgenie Alert API v2 (create, close, acknowledge) and heartbeat pings, answered in Opsgenie's own
 * bodies, for a plugin that keeps request bodies raw. A 202 is answered after the alert is committed.
 */
export const opsgenieRoutes =
  ({ deps, metrics, ingestor }: OpsgenieRouteContext): FastifyPluginAsyncTypebox =>
  async (app) => {
    const context = (integration: IntegrationRecord): OpsgenieContext => ({
      receivedAt: deps.clock.now(),
      newId: () => deps.ids.next(),
      integrationId: integration.id,
    });
    const ingest = async (integration: IntegrationRecord, items: Parameters<AlertIngestor['ingest']>[0]['items']) => {
      const outcomes = await ingestor.ingest({ items, integrationId: integration.id, actor: integrationActor(integration) });
      countAlerts(metrics, 'opsgenie', outcomes);
      return outcomes;
    };
    // By id is Firebreak's stored alert id; only this integration's alerts are its to close.
    const ownAlertKey = async (integration: IntegrationRecord, target: OpsgenieTarget) => {
      if (target.identifierType === 'alias') return target.alertKey;
      const alert = await deps.store.getAlert(target.id);
      if (!alert || alert.source !== 'opsgenie' || !alert.dedupKey.startsWith(opsgenieAlertKey(integration.id, ''))) {
        throw notFound(`Alert with id [${target.id}] does not exist`);
      }
      return alert.dedupKey;
    };
    const common = {
      onRequest: requireGenieKey(deps),
      errorHandler: opsgenieErrors,
    };
    const schema = <E extends object>(summary: string, extra: E) => ({
      tags: ['integrations'],
      summary,
      description: `${RAW_JSON_BODY} Authenticated by \`Authorization: GenieKey <apiKey>\`; every answer is Opsgenie-style JSON.`,
      security: [],
      headers: GenieKeyHeaders,
      ...extra,
    });
    const actionInput = (req: { params: { identifier: string }; query: { identifierType?: string }; body: unknown }): OpsgenieActionInput => ({
      identifier: req.params.identifier,
      identifierType: req.query.identifierType,
      body: optionalJson(req.body),
    });

    app.post(
      '/v2/alerts',
      { ...common, schema: schema('Opsgenie Alert API v2 compatible: create an alert', { querystring: NoQuery }) },
      async (req, reply) => {
        const integration = integrationOf(req);
        const create = parseOpsgenieCreate(bodyJson(req.body), context(integration));
        await ingest(integration, [create.alert]);
        const { truncated } = create.alert;
        return sendOpsgenie(reply, 202, { ...opsgenieAccepted(req.id, tookOf(reply)), ...(truncated && { truncated }) });
      },
    );

    app.post(
      '/v2/alerts/:identifier/close',
      {
        ...common,
        schema: schema('Opsgenie Alert API v2 compatible: close an alert (resolve it)', { params: ActionParams, querystring: ActionQuery }),
      },
      async (req, reply) => {
        const integration = integrationOf(req);
        const close = parseOpsgenieClose(actionInput(req), context(integration));
        // By alias the parse has the resolution already; by id, it is the stored alert's, once known to be this integration's.
        const resolution = close.alert ?? opsgenieResolution(await ownAlertKey(integration, close.target), close.receivedAt);
        await ingest(integration, [resolution]);
        return sendOpsgenie(reply, 202, opsgenieAccepted(req.id, tookOf(reply)));
      },
    );

    // Firebreak has no per-alert acknowledgement yet: the request is checked and answered, nothing is stored.
    app.post(
      '/v2/alerts/:identifier/acknowledge',
      {
        ...common,
        schema: schema('Opsgenie Alert API v2 compatible: acknowledge (checked, nothing recorded)', {
          params: ActionParams,
          querystring: ActionQuery,
        }),
      },
      async (req, reply) => {
        const integration = integrationOf(req);
        const ack = parseOpsgenieAcknowledge(actionInput(req), context(integration));
        await ownAlertKey(integration, ack.target);
        return sendOpsgenie(reply, 202, opsgenieAccepted(req.id, tookOf(reply)));
      },
    );

    // Any opsgenie integration's key may ping any Firebreak heartbeat of that name, as any Opsgenie API key of the account may.
    app.route({
      method: ['GET', 'POST', 'PUT', 'PATCH'],
      url: '/v2/heartbeats/:name/ping',
      ...common,
      schema: schema('Opsgenie Heartbeat API compatible: ping a Firebreak heartbeat', { params: HeartbeatParams, querystring: NoQuery }),
      handler: async (req, reply) => {
        const pinged = await pingHeartbeatTrusted(deps, (submission) => ingestor.ingest(submission), req.params.name);
        if (!pinged) throw notFound(`Heartbeat with name [${req.params.name}] does not exist`);
        return sendOpsgenie(reply, 202, { result: OPSGENIE_PONG, took: tookOf(reply), requestId: req.id });
      },
    });
  };
