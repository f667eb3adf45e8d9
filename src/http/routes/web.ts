import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { notFound } from '../../domain/errors.js';
import type { FastifyReply } from 'fastify';
import type { Routes } from '../context.js';

const WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));
const ASSETS = resolve(WEB_DIST, 'assets');

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const PLACEHOLDER = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Firebreak</title></head>
<body><h1>Firebreak</h1><p>Firebreak is running — the web UI has not been built (npm run build).</p>
<p>The API is at <code>/api/v1</code>; see <code>/api/v1/openapi.json</code>.</p></body></html>
`;

// The build emits no inline script or style, so neither needs 'unsafe-inline'; the page talks only to
// its own origin (fetch and the event stream).
const UI_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "font-src 'self'",
  "manifest-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

// Paths the UI never owns: an unknown one there stays a 404 problem, not the page.
const NOT_UI = /^\/(?:api|v2|status|calendar|healthz|readyz|metrics|assets)(?:\/|$)/;
// Client-side routes: letters, digits and a few separators, no file extension.
const UI_PATH = /^\/[A-Za-z0-9_\-/]*$/;

async function fileOrUndefined(path: string): Promise<Buffer | undefined> {
  try {
    return (await stat(path)).isFile() ? await readFile(path) : undefined;
  } catch {
    return undefined;
  }
}

/** The web UI shell and its assets; public, since the sign-in page is part of it and they hold no data. */
export const webRoutes: Routes = () => async (app) => {
  const sendIndex = async (reply: FastifyReply) => {
    const index = await fileOrUndefined(resolve(WEB_DIST, 'index.html'));
    return reply
      .type('text/html; charset=utf-8')
      .header('content-security-policy', UI_CSP)
      .header('cache-control', 'no-cache')
      .send(index ?? PLACEHOLDER);
  };

  app.get('/', { schema: { hide: true } }, async (_req, reply) => sendIndex(reply));

  // The SPA's own routes (/incidents/INC-3, /declare…) answer the same page; the browser routes them.
  app.get('/*', { schema: { hide: true } }, async (req, reply) => {
    const path = req.url.split('?')[0]!;
    if (NOT_UI.test(path) || !UI_PATH.test(path) || path.length > 200) {
      throw notFound(`There is no GET ${path.slice(0, 200)}.`);
    }
    return sendIndex(reply);
  });

  app.get('/assets/*', { schema: { hide: true } }, async (req, reply) => {
    const rel = (req.params as { '*': string })['*'];
    const path = resolve(ASSETS, rel);
    const file = rel.includes('\0') || !path.startsWith(ASSETS + sep) ? undefined : await fileOrUndefined(path);
    if (!file) throw notFound('No such asset.');
    return reply
      .type(TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(file);
  });
};
