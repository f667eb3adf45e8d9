import { Type } from '@sinclair/typebox';
import { validationError, type FieldError } from '../../domain/errors.js';
import {
  ACTION_EXPORT_FORMATS,
  actionExportFilename,
  type ActionExportFormat,
  exportActions,
} from '../../domain/outputs/index.js';
import { getIncidentOrThrow } from '../../service/queries.js';
import type { Routes } from '../context.js';
import { incidentNumber } from '../present.js';
import { IncidentParams, oneOf } from '../schemas.js';

const ExportQuery = Type.Object(
  {
    format: Type.Optional(oneOf(ACTION_EXPORT_FORMATS)),
    project: Type.Optional(
      Type.String({
        maxLength: 255,
        pattern: '^[A-Z][A-Z0-9_]*$',
        'x-message': 'must be a Jira project key: upper-case letters, digits and _, starting with a letter, like OPS',
      }),
    ),
    issueType: Type.Optional(
      Type.String({ maxLength: 60, pattern: '^\\S(.*\\S)?$', 'x-message': 'must be a Jira issue type name, like Task or Bug' }),
    ),
    team: Type.Optional(
      Type.String({
        pattern: '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$',
        'x-message': "must be a Linear team id (a UUID, not the team's key)",
      }),
    ),
  },
  { additionalProperties: false },
);

/** Which query parameter goes with which format: each is required by its format and refused by the others. */
const ONLY_FOR: Record<'project' | 'issueType' | 'team', { format: ActionExportFormat; required: boolean }> = {
  project: { format: 'jira', required: true },
  issueType: { format: 'jira', required: false },
  team: { format: 'linear', required: true },
};

const CONTENT_TYPES: Record<ActionExportFormat, string> = {
  md: 'text/markdown; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  jira: 'application/json; charset=utf-8',
  linear: 'application/json; charset=utf-8',
  github: 'application/json; charset=utf-8',
};

/** `GET /api/v1/incidents/{id}/actions/export`: the incident's follow-ups as a document or as issue-tracker request bodies. */
export const actionsExportRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    app.get(
      '/api/v1/incidents/:id/actions/export',
      {
        schema: {
          tags: ['outputs'],
          summary: "The incident's action items as Markdown, CSV, or Jira, Linear or GitHub create-issue bodies",
          params: IncidentParams,
          querystring: ExportQuery,
        },
        onRequest: auth.requireRole('viewer'),
      },
      async (req, reply) => {
        const { format = 'md', ...params } = req.query;
        const errors: FieldError[] = [];
        for (const [name, rule] of Object.entries(ONLY_FOR) as [keyof typeof ONLY_FOR, (typeof ONLY_FOR)[keyof typeof ONLY_FOR]][]) {
          const given = params[name] !== undefined;
          if (rule.required && !given && format === rule.format) {
            errors.push({ path: `query.${name}`, message: `is required with format=${rule.format}` });
          } else if (given && format !== rule.format) {
            errors.push({ path: `query.${name}`, message: `is only for format=${rule.format}` });
          }
        }
        if (errors.length > 0) throw validationError(errors);

        const { state } = await getIncidentOrThrow(deps, incidentNumber(req.params.id));
        const out = exportActions(state, format, { publicUrl: deps.config.publicUrl ?? null, ...params });
        reply
          .type(CONTENT_TYPES[format])
          .header('content-disposition', `attachment; filename="${actionExportFilename(state, format)}"`);
        return reply.send('text' in out ? out.text : JSON.stringify(out.bodies));
      },
    );
  };
