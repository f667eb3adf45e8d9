import { validationError } from './errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Bytes as text; invalid UTF-8 is a validation error, never a replacement character in stored text. */
export function strictUtf8(bytes: Uint8Array): string {
  try {
    return utf8.decode(bytes);
  } catch {
    throw validationError([{ path: 'body', message: 'is not valid UTF-8' }]);
  }
}

/** A request body as text (see strictUtf8); an empty or missing body is a validation error. */
export function bodyText(body: unknown): string {
  if (!(body instanceof Uint8Array) || body.length === 0) {
    throw validationError([{ path: 'body', message: 'is required' }]);
  }
  return strictUtf8(body);
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
