import type { Severity, Status } from '../../domain/incident/types.js';
import { LIMITS } from '../../domain/limits.js';
import { declareIncident } from '../../service/execute-command.js';
import { getIncidentOrThrow, listIncidents } from '../../service/queries.js';
import { nextIncidentTimer } from '../../service/timers.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { counted } from '../metrics.js';
import { incidentNumber, presentSummary, sendIncident } from '../present.js';
import { DeclareBody, DeclareHeaders, IncidentParams, ListQuery, NoQuery } from '../schemas.js';

const splitList = <T extends string>(s: string | undefined) => (s === undefined ? undefined : (s.split(',') as T[]));

/** Declare, list and read incidents. */
export const incidentRoutes: Routes =
  ({ deps, auth, metrics }) =>
  async (app) => {
    app.post(
      '/api/v1/incidents',
      {
        schema: { tags: ['incidents'], summary: 'Declare an incident', querystring: NoQuery, body: DeclareBody, headers: DeclareHeaders },
        onRequest: auth.requireRole('responder'),
      },
      async (req, reply) => {
        const caller = callerOf(req);
        const opts = { idempotencyKey: req.headers['idempotency-key'], scope: caller.id };
        const result = await counted(metrics, 'DeclareIncident', () =>
          declareIncident(deps, caller.actor, req.body, opts),
        );
        reply.header('location', `/api/v1/incidents/${result.incident.id}`);
        return sendIncident(reply, result, 201);
      },
    );

    app.get(
      '/api/v1/incidents',
      {
        schema: { tags: ['incidents'], summary: 'List incidents, newest first', querystring: ListQuery },
        onRequest: auth.requireRole('viewer'),
      },
      async (req) => {
        const q = req.query;
        const page = await listIncidents(deps, {
          status: splitList<Status>(q.status),
          severity: splitList<Severity>(q.severity),
          service: q.service,
          before: q.cursor === undefined ? undefined : Number(q.cursor),
          limit: q.limit ?? LIMITS.defaultPageSize,
        });
        return { items: page.items.map(presentSummary), nextCursor: page.nextCursor };
      },
    );

    app.get(
      '/api/v1/incidents/:id',
      {
        schema: { tags: ['incidents'], summary: 'The current state of an incident', params: IncidentParams, querystring: NoQuery },
        onRequest: auth.requireRole('viewer'),
      },
      async (req, reply) => {
        const number = incidentNumber(req.params.id);
        const [loaded, nextTimer] = await Promise.all([getIncidentOrThrow(deps, number), nextIncidentTimer(deps, number)]);
        return { ...sendIncident(reply, { incident: loaded.state, version: loaded.version }), nextTimer };
      },
    );
  };
