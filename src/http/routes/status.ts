import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notFound } from '../../domain/errors.js';
import { exportFiles, type StatusFile } from '../../service/status-page.js';
import type { Routes } from '../context.js';
import { NoQuery } from '../schemas.js';

// The page runs no script and loads only its own stylesheet.
const STATUS_CSP = [
  "default-src 'none'",
  "style-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const MAX_AGE_SECONDS = 15;

const IncidentId = Type.Object({ id: Type.String({ pattern: '^[0-9]{1,9}$', maxLength: 9, 'x-message': 'must be an incident number' }) }, { additionalProperties: false });
const ApiPath = Type.Object({ '*': Type.String({ maxLength: 100 }) }, { additionalProperties: false });

const schema = (summary: string, params?: object) => ({ tags: ['status'], summary, security: [], querystring: NoQuery, ...(params && { params }) });

/**
 * The public status page: HTML, Statuspage-compatible JSON under /status/api/v2/, RSS and Atom, and
 * the whole page as one JSON bundle for `firebreak status export`. No sign-in; only public content.
 */
export const statusRoutes: Routes =
  ({ deps }) =>
  async (app) => {
    const page = deps.statusPage!;

    const send = (req: FastifyRequest, reply: FastifyReply, f: StatusFile | undefined, what: string) => {
      if (!f) throw notFound(`There is no ${what} on the status page.`);
      reply.header('cache-control', `public, max-age=${MAX_AGE_SECONDS}`);
      reply.header('etag', f.etag);
      reply.header('access-control-allow-origin', '*');
      if (f.contentType.startsWith('text/html')) reply.header('content-security-policy', STATUS_CSP);
      reply.type(f.contentType);
      if (req.headers['if-none-match'] === f.etag) return reply.code(304).send();
      return reply.send(f.body);
    };

    app.get('/status', { schema: schema('The public status page') }, async (req, reply) =>
      send(req, reply, await page.served('index.html'), 'page'),
    );
    app.get('/status/incidents/:id', { schema: schema('One public incident', IncidentId) }, async (req, reply) => {
      const { id } = req.params as { id: string };
      return send(req, reply, await page.served(`incidents/${id}/index.html`), `incident ${id}`);
    });
    for (const name of ['status.css', 'history.rss', 'history.atom']) {
      app.get(`/status/${name}`, { schema: schema(`The page's ${name}`) }, async (req, reply) => send(req, reply, await page.served(name), name));
    }
    app.get('/status/api/v2/*', { schema: schema('Statuspage-compatible JSON', ApiPath) }, async (req, reply) => {
      const path = (req.params as { '*': string })['*'];
      return send(req, reply, await page.served(`api/v2/${path}`), `api/v2/${path.slice(0, 100)}`);
    });
    app.get('/status/export.json', { schema: schema('Every file of the page, for a static host') }, async (_req, reply) => {
      reply.header('cache-control', 'no-store');
      const files = exportFiles(await page.view(), page.feedRoot);
      return { files: files.map(({ path, contentType, body }) => ({ path, contentType, body })) };
    });
  };
