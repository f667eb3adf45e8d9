import { listActions, listPostmortems } from '../../service/follow-ups.js';
import type { Routes } from '../context.js';
import { ActionListQuery, PostmortemListQuery } from '../schemas.js';

/** Postmortems and action items across incidents: what is overdue, what each person owes. */
export const followUpRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const viewer = auth.requireRole('viewer');

    app.get(
      '/api/v1/postmortems',
      {
        schema: { tags: ['follow-ups'], summary: 'Postmortems by state; overdue ones are past due and unpublished', querystring: PostmortemListQuery },
        onRequest: viewer,
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return listPostmortems(deps, req.query);
      },
    );

    app.get(
      '/api/v1/actions',
      {
        schema: { tags: ['follow-ups'], summary: 'Action items across incidents, earliest deadline first', querystring: ActionListQuery },
        onRequest: viewer,
      },
      async (req, reply) => {
        reply.header('cache-control', 'no-store');
        return listActions(deps, req.query);
      },
    );
  };
