import { validationError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A request body as text; invalid UTF-8 is a validation error, never a replacement character in stored text. */
export function bodyText(body: unknown): string {
  if (!(body instanceof Uint8Array) || body.length === 0) {
    throw validationError([{ path: 'body', message: 'is required' }]);
  }
  try {
    return utf8.decode(body);
  } catch {
    throw validationError([{ path: 'body', message: 'is not valid UTF-8' }]);
  }
}

/** A request body as JSON (see bodyText). */
export function bodyJson(body: unknown): unknown {
  const text = bodyText(body);
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw validationError([{ path: 'body', message: 'is not valid JSON' }]);
  }
}
