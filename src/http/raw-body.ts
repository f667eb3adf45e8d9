import type { FastifyInstance } from 'fastify';
import { validationError } from '../domain/errors.js';

/**
 * Makes the plugin it is called in keep bodies of these media types as raw bytes (Fastify's body
 * limit still applies): signatures are computed over the bytes, and text is decoded strictly.
 * Fastify scopes content-type parsers to the plugin, so other routes keep the JSON parser.
 */
export function keepRawBodies(app: FastifyInstance, types: readonly string[]): void {
  for (const type of types) {
    if (app.hasContentTypeParser(type)) app.removeContentTypeParser(type);
    app.addContentTypeParser(type, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
  }
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** The raw body as text; invalid UTF-8 is a 400, never a replacement character in stored text. */
export function bodyText(body: unknown): string {
  if (!Buffer.isBuffer(body) || body.length === 0) {
    throw validationError([{ path: 'body', message: 'is required' }]);
  }
  try {
    return utf8.decode(body);
  } catch {
    throw validationError([{ path: 'body', message: 'is not valid UTF-8' }]);
  }
}

/** The raw body as JSON (see bodyText). */
export function bodyJson(body: unknown): unknown {
  const text = bodyText(body);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validationError([{ path: 'body', message: 'is not valid JSON' }]);
  }
}

/** The media type of a request, lower-cased, without parameters. */
export const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();
