import { Type } from '@sinclair/typebox';
import { HEARTBEAT_SEVERITIES } from '../../domain/paging/heartbeat.js';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  createHeartbeat,
  deleteHeartbeat,
  HEARTBEAT_NAME_MAX,
  type HeartbeatIngest,
  listHeartbeats,
  pingHeartbeat,
} from '../../service/heartbeats.js';
import { bearerToken, callerOf } from '../auth.js';
import type { RouteContext } from '../context.js';
import { NoQuery, oneOf, ServiceName } from '../schemas.js';

const strict = { additionalProperties: false } as const;

const HeartbeatBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: HEARTBEAT_NAME_MAX, description: "Letters, digits, '.', '_' and '-': it is part of the ping URL" }),
    service: ServiceName,
    interval: Type.String({ minLength: 1, maxLength: 32, description: 'How often a ping is expected: `5m`, `1h30m`, `1d` (1m to 30d)' }),
    grace: Type.Optional(Type.String({ minLength: 1, maxLength: 32, description: 'How late a ping may be (default `1m`, at most `1d`)' })),
    severity: Type.Optional(oneOf(HEARTBEAT_SEVERITIES, { description: "The miss alert's severity (default critical)" })),
  },
  strict,
);
const HeartbeatParams = Type.Object({ name: Type.String({ minLength: 1, maxLength: HEARTBEAT_NAME_MAX }) }, strict);
const PingQuery = Type.Object({ token: Type.Optional(Type.String({ maxLength: 512, description: "The heartbeat's token, for senders that cannot set a header" })) }, strict);
const PingHeaders = Type.Object({
  authorization: Type.Optional(Type.String({ maxLength: 600, description: "`Bearer <token>` with the heartbeat's token" })),
});

/** The path a heartbeat is pinged at. */
export const pingPath = (name: string) => `/api/v1/heartbeats/${encodeURIComponent(name)}/ping`;

/**
 * Heartbeats (docs/API.md "Heartbeats"): admins create and delete them, viewers list them, and a job
 * pings its own with the token it was given. Pings resolve a miss through `ingest`: the alert routes'
 * ingestor, which registers these routes.
 */
export const heartbeatRoutes =
  ({ deps, auth }: RouteContext, ingest: HeartbeatIngest): FastifyPluginAsyncTypebox =>
  async (app) => {
    const admin = auth.requireRole('admin');
    const tags = ['heartbeats'];

    app.post(
      '/api/v1/heartbeats',
      { schema: { tags, summary: 'Create a heartbeat; its token is in this answer only', querystring: NoQuery, body: HeartbeatBody }, onRequest: admin },
      async (req, reply) => {
        const { heartbeat, token } = await createHeartbeat(deps, callerOf(req), req.body);
        // config.ts keeps FIREBREAK_PUBLIC_URL without its trailing slashes.
        const pingUrl = `${deps.config.publicUrl ?? ''}${pingPath(heartbeat.name)}`;
        return reply.code(201).send({ ...heartbeat, pingUrl, token });
      },
    );

    app.get(
      '/api/v1/heartbeats',
      { schema: { tags, summary: 'Every heartbeat, by name, with its state and due time', querystring: NoQuery }, onRequest: auth.requireRole('viewer') },
      async () => ({ items: await listHeartbeats(deps) }),
    );

    app.delete(
      '/api/v1/heartbeats/:name',
      { schema: { tags, summary: 'Delete a heartbeat (its open miss is resolved); answers it', params: HeartbeatParams, querystring: NoQuery }, onRequest: admin },
      async (req) => deleteHeartbeat(deps, ingest, callerOf(req), req.params.name),
    );

    app.route({
      method: ['GET', 'POST'],
      url: '/api/v1/heartbeats/:name/ping',
      schema: {
        tags,
        summary: "Ping a heartbeat with its token (Authorization: Bearer, or ?token=): it is up until interval + grace from now",
        security: [],
        params: HeartbeatParams,
        querystring: PingQuery,
        headers: PingHeaders,
      },
      handler: async (req) => {
        const token = req.headers.authorization !== undefined ? bearerToken(req) : req.query.token;
        return pingHeartbeat(deps, ingest, req.params.name, token);
      },
    });
  };
