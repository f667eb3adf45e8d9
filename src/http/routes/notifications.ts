import { Type } from '@sinclair/typebox';
import { validationError } from '../../domain/errors.js';
import { parseIncidentId } from '../../domain/incident/types.js';
import { LIMITS } from '../../domain/limits.js';
import {
  createNotificationTarget,
  deleteNotificationTarget,
  listNotificationTargets,
} from '../../service/notification-targets.js';
import { listNotifications, parseDeliveryCursor } from '../../service/outbox.js';
import { DELIVERY_STATES, NOTIFICATION_TARGET_TYPES } from '../../service/ports.js';
import type { Routes } from '../context.js';
import { NoQuery, oneOf } from '../schemas.js';

const strict = { additionalProperties: false } as const;

const TargetBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 63 }),
    type: oneOf(NOTIFICATION_TARGET_TYPES),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: 2000 })),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  strict,
);
const TargetParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, strict);
const NotificationsQuery = Type.Object(
  {
    incident: Type.Optional(Type.String({ maxLength: 64, description: '`INC-<n>` or `<n>`' })),
    state: Type.Optional(oneOf(DELIVERY_STATES)),
    cursor: Type.Optional(Type.String({ maxLength: 400 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize })),
  },
  strict,
);

/** Notification targets (admin) and the delivery state of every notification (docs/API.md). */
export const notificationsRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const admin = auth.requireRole('admin');

    app.post(
      '/api/v1/notification-targets',
      {
        schema: { tags: ['notifications'], summary: 'Register a notification target (a webhook secret is shown once)', querystring: NoQuery, body: TargetBody },
        onRequest: admin,
      },
      async (req, reply) => {
        const created = await createNotificationTarget(deps, deps.config.notifications.secretKey, req.body);
        reply.code(201).header('cache-control', 'no-store');
        return created;
      },
    );

    app.get(
      '/api/v1/notification-targets',
      { schema: { tags: ['notifications'], summary: 'List notification targets (never their secrets)', querystring: NoQuery }, onRequest: admin },
      async () => ({ items: await listNotificationTargets(deps) }),
    );

    app.delete(
      '/api/v1/notification-targets/:id',
      { schema: { tags: ['notifications'], summary: 'Delete a notification target', params: TargetParams, querystring: NoQuery }, onRequest: admin },
      async (req, reply) => {
        await deleteNotificationTarget(deps, req.params.id);
        return reply.code(204).send();
      },
    );

    app.get(
      '/api/v1/notifications',
      {
        schema: { tags: ['notifications'], summary: 'Notification deliveries, newest first', querystring: NotificationsQuery },
        onRequest: auth.requireRole('viewer'),
      },
      async (req) => {
        const q = req.query;
        const errors: { path: string; message: string }[] = [];
        const incident = q.incident === undefined ? undefined : parseIncidentId(q.incident);
        if (q.incident !== undefined && incident === undefined) errors.push({ path: 'query.incident', message: 'expected INC-<n>' });
        const before = q.cursor === undefined ? undefined : parseDeliveryCursor(q.cursor);
        if (q.cursor !== undefined && before === undefined) errors.push({ path: 'query.cursor', message: 'is not a cursor this list gave' });
        if (errors.length > 0) throw validationError(errors);
        return listNotifications(deps, { incident, state: q.state, before, limit: q.limit ?? LIMITS.defaultPageSize });
      },
    );
  };
