import { Type } from '@sinclair/typebox';
import { getInsights, INSIGHTS_MAX_DAYS } from '../../service/insights.js';
import type { Routes } from '../context.js';
import { DateTime } from '../schemas.js';

/** `days` back from now, or an explicit `from`..`to`; the service refuses the mixes and spans over a year. */
const InsightsQuery = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: INSIGHTS_MAX_DAYS })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
  },
  { additionalProperties: false },
);

/** `GET /api/v1/insights`: response metrics, postmortem punctuality, action items, responder load. */
export const insightsRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    app.get(
      '/api/v1/insights',
      {
        schema: {
          tags: ['insights'],
          summary: 'MTTD, MTTA, time to mitigate, MTTR, change failure rate, postmortems, action items, responder load',
          querystring: InsightsQuery,
        },
        onRequest: auth.requireRole('viewer'),
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return getInsights(deps, req.query);
      },
    );
  };
