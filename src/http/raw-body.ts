import type { FastifyInstance } from 'fastify';
import { strictUtf8 } from '../domain/body.js';

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

/**
 * Replaces Fastify's JSON parser, which decodes with U+FFFD for invalid bytes, by one that decodes
 * strictly as the senders' routes do and then parses exactly as Fastify does (empty body, bad JSON and
 * `__proto__` keep their answers). Plugins inherit it; keepRawBodies replaces it where bytes are needed.
 */
export function strictJsonBodies(app: FastifyInstance): void {
  const { onProtoPoisoning = 'error', onConstructorPoisoning = 'ignore' } = app.initialConfig;
  const parse = app.getDefaultJsonParser(onProtoPoisoning, onConstructorPoisoning);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (req, body, done) => {
    let text: string;
    try {
      text = strictUtf8(body as Buffer);
    } catch (err) {
      done(err as Error, undefined);
      return;
    }
    parse(req, text, done);
  });
}

export { bodyJson, bodyText } from '../domain/body.js';

/** The media type of a request, lower-cased, without parameters. */
export const mediaType = (header: string | undefined) => (header ?? '').split(';')[0]!.trim().toLowerCase();
