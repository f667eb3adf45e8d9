import type { FastifyInstance } from 'fastify';

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

export { bodyJson, bodyText } from '../domain/body.js';

/** The media type of a request, lower-cased, without parameters. */
export const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();
