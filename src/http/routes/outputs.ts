import {
  incidentChecklist,
  postmortemReport,
  renderChecklistMarkdown,
  renderPostmortemHtml,
  renderPostmortemMarkdown,
  renderTimelineCsv,
  renderTimelineMarkdown,
  timelineEntries,
} from '../../domain/outputs/index.js';
import { getIncidentOrThrow, readTimeline, readWholeTimeline } from '../../service/queries.js';
import type { AppDeps, Routes } from '../context.js';
import { incidentNumber } from '../present.js';
import { IncidentParams, PlaybookQuery, PostmortemQuery, TimelineQuery } from '../schemas.js';

const MARKDOWN = 'text/markdown; charset=utf-8';
const HTML_CSP = "default-src 'none'; style-src 'unsafe-inline'";

async function wholeIncident(deps: AppDeps, id: string) {
  const number = incidentNumber(id);
  const { state } = await getIncidentOrThrow(deps, number);
  return { incident: state, events: await readWholeTimeline(deps, number) };
}

/** incident-timeline, postmortem-report and the live checklist, in JSON and the text formats. */
export const outputRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const viewer = auth.requireRole('viewer');

    app.get(
      '/api/v1/incidents/:id/timeline',
      {
        schema: { tags: ['outputs'], summary: 'The incident timeline', params: IncidentParams, querystring: TimelineQuery },
        onRequest: viewer,
      },
      async (req, reply) => {
        const { format = 'json', cursor, limit } = req.query;
        if (format === 'json') {
          const number = incidentNumber(req.params.id);
          const afterSeq = cursor === undefined ? undefined : Number(cursor);
          const page = await readTimeline(deps, number, { afterSeq, limit });
          // The event before the page lets its first entry name an override, as the whole timeline does.
          const before = page.before ? [page.before] : [];
          const events = timelineEntries([...before, ...page.events]).slice(before.length);
          const { id, title, status, severity, version } = page.incident.state;
          return { incident: { id, number, title, status, severity, version }, events, nextCursor: page.nextCursor };
        }
        const { incident, events } = await wholeIncident(deps, req.params.id);
        if (format === 'md') return reply.type(MARKDOWN).send(renderTimelineMarkdown(incident, events));
        return reply
          .type('text/csv; charset=utf-8')
          .header('content-disposition', `attachment; filename="${incident.id}-timeline.csv"`)
          .send(renderTimelineCsv(incident, events));
      },
    );

    app.get(
      '/api/v1/incidents/:id/postmortem',
      {
        schema: { tags: ['outputs'], summary: 'The postmortem report', params: IncidentParams, querystring: PostmortemQuery },
        onRequest: viewer,
      },
      async (req, reply) => {
        const { incident, events } = await wholeIncident(deps, req.params.id);
        const report = postmortemReport(incident, events);
        switch (req.query.format ?? 'json') {
          case 'md':
            return reply.type(MARKDOWN).send(renderPostmortemMarkdown(report));
          case 'html':
            return reply
              .type('text/html; charset=utf-8')
              .header('content-security-policy', HTML_CSP)
              .send(renderPostmortemHtml(report));
          default:
            return report;
        }
      },
    );

    app.get(
      '/api/v1/incidents/:id/playbook',
      {
        schema: { tags: ['outputs'], summary: 'The live seven-step checklist', params: IncidentParams, querystring: PlaybookQuery },
        onRequest: viewer,
      },
      async (req, reply) => {
        const { state } = await getIncidentOrThrow(deps, incidentNumber(req.params.id));
        const checklist = incidentChecklist(state);
        if (req.query.format === 'md') return reply.type(MARKDOWN).send(renderChecklistMarkdown(state, checklist));
        return checklist;
      },
    );
  };
