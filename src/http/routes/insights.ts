import { Type } from '@sinclair/typebox';
import { getInsights, INSIGHTS_MAX_DAYS } from '../../service/insights.js';
import type { Routes } from '../context.js';
import { SEVERITIES, type Severity } from '../../domain/incident/types.js';
import { commaList, DateTime, ServiceName } from '../schemas.js';

/** One severity or a comma-separated list, as `GET /api/v1/incidents` takes them. */
const SeverityList = commaList(SEVERITIES);

/**
 * `days` back from now, or an explicit `from`..`to`; the service refuses the mixes and spans over a year.
 * `service` and `severity` narrow the incidents (and `service` the deploys).
 */
const InsightsQuery = Type.Object(
  {
    days: Type.Optional(Type.Integer({ minimum: 1, maximum: INSIGHTS_MAX_DAYS })),
    from: Type.Optional(DateTime),
    to: Type.Optional(DateTime),
    service: Type.Optional(ServiceName),
    severity: Type.Optional(SeverityList),
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
        const { severity, ...rest } = req.query;
        return getInsights(deps, { ...rest, ...(severity !== undefined && { severity: severity.split(',') as Severity[] }) });
      },
    );
  };
