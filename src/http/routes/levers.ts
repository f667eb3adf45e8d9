import type { FastifyRequest } from 'fastify';
import { validationError, type FieldError } from '../../domain/errors.js';
import { confirmLever, listLevers, pullLever } from '../../service/levers.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { counted } from '../metrics.js';
import { ifMatchVersion, incidentNumber, sendIncident } from '../present.js';
import { CommandHeaders, ConfirmBody, IncidentParams, MitigationBody, MitigationParams, NoQuery } from '../schemas.js';
import { run } from './commands.js';

const optionsOf = (req: FastifyRequest) => {
  const headers = req.headers as { 'idempotency-key'?: string; 'if-match'?: string };
  return {
    idempotencyKey: headers['idempotency-key'],
    scope: callerOf(req).id,
    expectedVersion: ifMatchVersion(headers['if-match']),
  };
};

/** Levers of an incident, mitigation decisions (a catalog lever pulled to run, or recorded), and confirmations. */
export const leverRoutes: Routes = (ctx) => async (app) => {
  app.get(
    '/api/v1/incidents/:id/levers',
    {
      schema: { tags: ['incidents'], summary: "The incident's levers, fail-closed first, with the release boundary", params: IncidentParams, querystring: NoQuery },
      onRequest: ctx.auth.requireRole('viewer'),
    },
    async (req) => ({ items: await listLevers(ctx.deps, incidentNumber(req.params.id)) }),
  );

  app.post(
    '/api/v1/incidents/:id/mitigations',
    {
      schema: { tags: ['commands'], summary: 'Record a mitigation decision, or pull a catalog lever', params: IncidentParams, querystring: NoQuery, headers: CommandHeaders, body: MitigationBody },
      onRequest: ctx.auth.requireRole('responder'),
    },
    async (req, reply) => {
      const number = incidentNumber(req.params.id);
      const { dryRun, ...b } = req.body;
      if (b.lever !== undefined && b.execute === true) {
        const actor = callerOf(req).actor;
        const input = {
          lever: b.lever,
          rationale: b.rationale,
          ...(b.failOpenReason !== undefined && { failOpenReason: b.failOpenReason }),
          ...(b.action !== undefined && { action: b.action }),
          dryRun: dryRun === true,
        };
        const result = await counted(ctx.metrics, 'PullLever', async () => {
          const r = await pullLever(ctx.deps, number, actor, input, optionsOf(req));
          return { ...r, replayed: !r.dryRun && r.replayed };
        });
        if (result.dryRun) {
          const { service, lever, mitigationId, request } = result;
          return reply.code(200).send({ dryRun: true, service, lever, mitigationId, request });
        }
        return sendIncident(reply, result);
      }
      const missing: FieldError[] = [];
      if (b.kind === undefined) missing.push({ path: 'body.kind', message: 'is required' });
      if (b.action === undefined) missing.push({ path: 'body.action', message: 'is required' });
      if (dryRun === true) missing.push({ path: 'body.dryRun', message: 'needs a lever pulled with execute: true' });
      if (missing.length > 0) throw validationError(missing);
      return run(ctx, req, reply, number, { type: 'DecideMitigation', ...b, kind: b.kind!, action: b.action! });
    },
  );

  app.post(
    '/api/v1/incidents/:id/mitigations/:mid/confirm',
    {
      schema: { tags: ['commands'], summary: 'Confirm a pulled manual lever done or failed', params: MitigationParams, querystring: NoQuery, headers: CommandHeaders, body: ConfirmBody },
      onRequest: ctx.auth.requireRole('responder'),
    },
    async (req, reply) => {
      const number = incidentNumber(req.params.id);
      const result = await counted(ctx.metrics, 'ConfirmLever', () =>
        confirmLever(ctx.deps, number, callerOf(req).actor, { mitigationId: req.params.mid, ...req.body }, optionsOf(req)),
      );
      return sendIncident(reply, result);
    },
  );
};
