import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../domain/limits.js';
import { MAINTENANCE_STATUSES } from '../../domain/status/types.js';
import { cancelMaintenance, getMaintenance, listMaintenances, scheduleMaintenance } from '../../service/maintenances.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { DateTime, NoQuery, oneOf, ServiceName } from '../schemas.js';

const strict = { additionalProperties: false } as const;

const MaintenanceBody = Type.Object(
  {
    title: Type.String({ minLength: 1, maxLength: LIMITS.title }),
    body: Type.Optional(Type.String({ maxLength: LIMITS.text })),
    components: Type.Array(ServiceName, {
      minItems: 1,
      maxItems: LIMITS.services,
      description: 'Public catalog services (`public: true`), `name` or `namespace/name`',
    }),
    startsAt: DateTime,
    endsAt: DateTime,
  },
  strict,
);
const MaintenanceParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, strict);
const MaintenancesQuery = Type.Object(
  {
    state: Type.Optional(oneOf(MAINTENANCE_STATUSES)),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize })),
  },
  strict,
);

/** Scheduled maintenances of public services, for the status page (docs/API.md "Scheduled maintenance"). */
export const maintenanceRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const responder = auth.requireRole('responder');
    const tags = ['maintenances'];

    app.post(
      '/api/v1/maintenances',
      { schema: { tags, summary: 'Schedule a maintenance of public services', querystring: NoQuery, body: MaintenanceBody }, onRequest: responder },
      async (req, reply) => {
        const created = await scheduleMaintenance(deps, callerOf(req), req.body);
        return reply.code(201).send(created);
      },
    );

    app.get(
      '/api/v1/maintenances',
      {
        schema: { tags, summary: 'Maintenances not cancelled, by start (completed: newest first)', querystring: MaintenancesQuery },
        onRequest: auth.requireRole('viewer'),
      },
      async (req) => listMaintenances(deps, { state: req.query.state, limit: req.query.limit ?? LIMITS.defaultPageSize }),
    );

    app.get(
      '/api/v1/maintenances/:id',
      { schema: { tags, summary: 'One maintenance, cancelled or not', params: MaintenanceParams, querystring: NoQuery }, onRequest: auth.requireRole('viewer') },
      async (req) => getMaintenance(deps, req.params.id),
    );

    app.delete(
      '/api/v1/maintenances/:id',
      { schema: { tags, summary: 'Cancel a maintenance; answers it', params: MaintenanceParams, querystring: NoQuery }, onRequest: responder },
      async (req) => cancelMaintenance(deps, callerOf(req), req.params.id),
    );
  };
