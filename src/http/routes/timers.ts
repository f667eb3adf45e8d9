import { listIncidentTimers } from '../../service/timers.js';
import type { Routes } from '../context.js';
import { incidentNumber } from '../present.js';
import { IncidentParams, NoQuery } from '../schemas.js';

/** An incident's timers: what is scheduled to nudge, what fired, what was cancelled (docs/API.md). */
export const timerRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    app.get(
      '/api/v1/incidents/:id/timers',
      {
        schema: { tags: ['incidents'], summary: "The incident's timers, by due time", params: IncidentParams, querystring: NoQuery },
        onRequest: auth.requireRole('viewer'),
      },
      async (req) => ({ items: await listIncidentTimers(deps, incidentNumber(req.params.id)) }),
    );
  };
