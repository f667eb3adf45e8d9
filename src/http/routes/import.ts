import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../domain/limits.js';
import { IMPORT_MAX_STEPS, importIncident } from '../../service/import.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { counted } from '../metrics.js';
import { sendIncident } from '../present.js';
import { DateTime, DeclareBody, DeclareHeaders, NoQuery } from '../schemas.js';
import { importedCommand } from './commands.js';

const strict = { additionalProperties: false } as const;
const Actor = Type.String({ minLength: 1, maxLength: LIMITS.person });

const ImportBody = Type.Object(
  {
    declare: Type.Object({ at: DateTime, actor: Actor, body: DeclareBody }, strict),
    steps: Type.Array(
      Type.Object(
        {
          at: DateTime,
          actor: Actor,
          method: Type.Union([Type.Literal('POST'), Type.Literal('PUT'), Type.Literal('DELETE'), Type.Literal('PATCH')]),
          path: Type.String({ minLength: 1, maxLength: 200, pattern: '^/', 'x-message': 'must be a command path under the incident, like /status' }),
          body: Type.Optional(Type.Unknown()),
        },
        strict,
      ),
      { maxItems: IMPORT_MAX_STEPS },
    ),
  },
  strict,
);

/**
 * `POST /api/v1/incidents/import` (admin): an incident that happened elsewhere or before, recorded with its
 * own times. Each step is a command as its route takes it, decided at its `at` through the same gates.
 */
export const importRoutes: Routes =
  ({ deps, auth, metrics }) =>
  async (app) => {
    app.post(
      '/api/v1/incidents/import',
      {
        schema: {
          tags: ['incidents'],
          summary: "Record an incident's history with its own times (admin)",
          querystring: NoQuery,
          headers: DeclareHeaders,
          body: ImportBody,
        },
        onRequest: auth.requireRole('admin'),
      },
      async (req, reply) => {
        const { declare, steps } = req.body;
        const input = {
          declare: { at: declare.at, actor: declare.actor, input: declare.body },
          steps: steps.map((s, i) => ({
            at: s.at,
            actor: s.actor,
            input: importedCommand(`body.steps[${i}]`, s.method, s.path, s.body, deps.config),
          })),
        };
        const caller = callerOf(req);
        const result = await counted(metrics, 'ImportIncident', () =>
          importIncident(deps, input, { idempotencyKey: req.headers['idempotency-key'], scope: caller.id }),
        );
        reply.header('location', `/api/v1/incidents/${result.incident.id}`);
        return sendIncident(reply, result, result.replayed ? 200 : 201);
      },
    );
  };
