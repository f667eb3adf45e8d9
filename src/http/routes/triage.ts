import { triage } from '../../domain/incident/triage.js';
import type { Routes } from '../context.js';
import { ImpactFacts, NoQuery } from '../schemas.js';

/** Severity from impact facts. */
export const triageRoutes: Routes =
  ({ auth }) =>
  async (app) => {
    app.post(
      '/api/v1/triage',
      { schema: { tags: ['incidents'], summary: 'Suggest a severity from impact facts', querystring: NoQuery, body: ImpactFacts }, onRequest: auth.requireRole('viewer') },
      async (req) => triage(req.body),
    );
  };
