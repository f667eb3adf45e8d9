import { Type } from '@sinclair/typebox';
import { SERVICE_NAME_MAX, SERVICE_NAME_SOURCE } from '../../domain/catalog/names.js';
import {
  DEFAULT_SHIFT_WINDOW_DAYS,
  GAP_HORIZON_DAYS,
  getSchedule,
  listSchedules,
  MAX_SHIFT_WINDOW_DAYS,
  scheduleShifts,
  whoIsOnCall,
} from '../../service/schedules.js';
import type { Routes } from '../context.js';
import { DateTime, NoQuery } from '../schemas.js';

const strict = { additionalProperties: false } as const;

// Catalog schedules are named as services are: `name`, or `namespace/name` (written `namespace%2Fname` in a path).
const ScheduleParams = Type.Object(
  {
    name: Type.String({
      minLength: 1,
      maxLength: SERVICE_NAME_MAX,
      pattern: SERVICE_NAME_SOURCE,
      'x-message': 'must be a schedule name or namespace/name: letters and digits, in runs separated by - _ or .',
    }),
  },
  strict,
);
const instant = (description: string) => Type.String({ format: DateTime.format, maxLength: DateTime.maxLength, description });
const OncallQuery = Type.Object(
  { at: Type.Optional(instant('The instant to ask about; now when not given.')) },
  strict,
);
const ShiftsQuery = Type.Object(
  {
    from: Type.Optional(instant('Start of the window; now when not given.')),
    to: Type.Optional(
      instant(`End of the window (exclusive), at most ${MAX_SHIFT_WINDOW_DAYS} days after from; ${DEFAULT_SHIFT_WINDOW_DAYS} days after from when not given.`),
    ),
  },
  strict,
);

/** On-call schedules of the catalog: who is on call, their shifts and gaps (read only; the catalog defines them). */
export const scheduleRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const viewer = auth.requireRole('viewer');
    const tags = ['schedules'];

    app.get(
      '/api/v1/schedules',
      { schema: { tags, summary: 'On-call schedules of the catalog and who is on call now', querystring: NoQuery }, onRequest: viewer },
      async () => listSchedules(deps),
    );

    app.get(
      '/api/v1/schedules/:name',
      {
        schema: {
          tags,
          summary: `One schedule, who is on call now, and the gaps (nobody on call) in the next ${GAP_HORIZON_DAYS} days`,
          params: ScheduleParams,
          querystring: NoQuery,
        },
        onRequest: viewer,
      },
      async (req) => getSchedule(deps, req.params.name),
    );

    app.get(
      '/api/v1/schedules/:name/oncall',
      {
        schema: { tags, summary: 'Who is on call at an instant (now by default), and the shift they are on', params: ScheduleParams, querystring: OncallQuery },
        onRequest: viewer,
      },
      async (req) => whoIsOnCall(deps, req.params.name, req.query.at),
    );

    app.get(
      '/api/v1/schedules/:name/shifts',
      {
        schema: {
          tags,
          summary: `The final shifts of a window, overrides and layers resolved (at most ${MAX_SHIFT_WINDOW_DAYS} days)`,
          params: ScheduleParams,
          querystring: ShiftsQuery,
        },
        onRequest: viewer,
      },
      async (req) => scheduleShifts(deps, req.params.name, req.query),
    );
  };
