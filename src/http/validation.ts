import { FormatRegistry, type TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import type { FastifyRouteSchemaDef } from 'fastify/types/schema.js';
import { unsafe } from '../domain/catalog/check.js';
import { validationError, type FieldError } from '../domain/errors.js';

const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/i;

/** Date.parse rolls 2026-02-30 over to March 2; a deadline must name a day that exists. */
function isRealDateTime(v: string): boolean {
  if (!ISO_DATE_TIME.test(v) || Number.isNaN(Date.parse(v))) return false;
  const [y, m, d] = v.slice(0, 10).split('-').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(y, m - 1, d));
  return day.getUTCMonth() === m - 1 && day.getUTCDate() === d && Number(v.slice(11, 13)) < 24;
}

// TypeBox keeps formats in one registry per process; setting them again is harmless.
FormatRegistry.Set('date-time', isRealDateTime);
FormatRegistry.Set('uri', (v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol));

const FORMAT_MESSAGES: Record<string, string> = {
  'date-time': 'must be an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z',
  uri: 'must be an http:// or https:// URL',
};

const PART_NAMES: Record<string, string> = { body: 'body', querystring: 'query', params: 'params', headers: 'headers' };
const MAX_ERRORS = 100;

/** `/services/2/name` under `body` → `body.services[2].name`. */
export function fieldPath(part: string, pointer: string): string {
  return pointer
    .split('/')
    .slice(1)
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'))
    .reduce((path, key) => (/^[0-9]+$/.test(key) ? `${path}[${key}]` : `${path}.${key}`), part);
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

function messageFor(e: ValueError): string {
  const s = e.schema as Record<string, unknown>;
  switch (e.type) {
    case ValueErrorType.ObjectRequiredProperty:
      return 'is required';
    case ValueErrorType.ObjectAdditionalProperties:
      return 'is not allowed';
    case ValueErrorType.StringMinLength:
      return s.minLength === 1 ? 'must not be empty' : `must be at least ${plural(Number(s.minLength), 'character')}`;
    case ValueErrorType.StringMaxLength:
      return `must be at most ${plural(Number(s.maxLength), 'character')}`;
    case ValueErrorType.StringPattern:
      return typeof s['x-message'] === 'string' ? s['x-message'] : 'has an invalid format';
    case ValueErrorType.StringFormat:
      return FORMAT_MESSAGES[String(s.format)] ?? `must be a valid ${String(s.format)}`;
    case ValueErrorType.ArrayMaxItems:
      return `must have at most ${plural(Number(s.maxItems), 'item')}`;
    case ValueErrorType.ArrayMinItems:
      return `must have at least ${plural(Number(s.minItems), 'item')}`;
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.NumberMinimum:
      return `must be at least ${String(s.minimum)}`;
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMaximum:
      return `must be at most ${String(s.maximum)}`;
    case ValueErrorType.Union: {
      const options = (s.anyOf as Record<string, unknown>[] | undefined) ?? [];
      const literals = options.map((o) => o.const);
      if (literals.length > 0 && literals.every((v) => typeof v === 'string')) {
        return `must be one of ${literals.join(', ')}`;
      }
      return 'does not match any allowed form';
    }
    case ValueErrorType.Literal:
      return `must be ${JSON.stringify(s.const)}`;
    case ValueErrorType.String:
      return 'must be a string';
    case ValueErrorType.Boolean:
      return 'must be true or false';
    case ValueErrorType.Integer:
      return 'must be an integer';
    case ValueErrorType.Number:
      return 'must be a number';
    case ValueErrorType.Array:
      return 'must be an array';
    case ValueErrorType.Object:
      return e.path === '' ? 'must be a JSON object' : 'must be an object';
    default:
      return 'is not valid';
  }
}

/** Every error of one request part, one per path, in the order the schema lists them. */
export function fieldErrors(part: string, errors: Iterable<ValueError>): FieldError[] {
  const byPath = new Map<string, string>();
  for (const e of errors) {
    const path = fieldPath(part, e.path);
    if (!byPath.has(path)) byPath.set(path, messageFor(e));
    if (byPath.size >= MAX_ERRORS) break;
  }
  return [...byPath].map(([path, message]) => ({ path, message }));
}

/**
 * Fastify's validator compiler: TypeBox schemas, every error reported, bodies checked as sent (no coercion),
 * params, query and headers converted from strings first.
 */
export function validatorCompiler({ schema, httpPart }: FastifyRouteSchemaDef<TSchema>) {
  const check = TypeCompiler.Compile(schema);
  const part = PART_NAMES[httpPart ?? ''] ?? String(httpPart);
  const integers = integerKeys(schema);
  return (value: unknown): { value?: unknown; error?: Error } => {
    if (httpPart !== 'body') {
      // Conversion would truncate `7.5` to 7: an integer field takes integers as written.
      const inexact = inexactIntegers(part, integers, value);
      if (inexact.length > 0) return { error: validationError(inexact) };
    }
    const data = httpPart === 'body' ? value : Value.Convert(schema, value);
    if (!check.Check(data)) return { error: validationError(fieldErrors(part, check.Errors(data))) };
    const unstorable = unsafeStrings(part, data, []);
    return unstorable.length > 0 ? { error: validationError(unstorable) } : { value: data };
  };
}

/**
 * Strings no schema can forbid but storage cannot keep (`unsafe`: NUL, which PostgreSQL refuses in text,
 * and unpaired surrogates), anywhere in an already valid value: a 400 naming each, never a 500.
 */
function unsafeStrings(path: string, v: unknown, found: FieldError[]): FieldError[] {
  if (found.length >= MAX_ERRORS) return found;
  if (typeof v === 'string') {
    const bad = unsafe(v);
    if (bad) found.push({ path, message: bad });
  } else if (Array.isArray(v)) {
    v.forEach((x, i) => unsafeStrings(`${path}[${i}]`, x, found));
  } else if (typeof v === 'object' && v !== null) {
    for (const [k, x] of Object.entries(v)) unsafeStrings(`${path}.${k}`, x, found);
  }
  return found;
}

/** The properties of an object schema that are integers. */
function integerKeys(schema: TSchema): string[] {
  const props = (schema as { properties?: Record<string, { type?: unknown }> }).properties ?? {};
  return Object.entries(props)
    .filter(([, s]) => s.type === 'integer')
    .map(([k]) => k);
}

function inexactIntegers(part: string, keys: readonly string[], value: unknown): FieldError[] {
  if (keys.length === 0 || typeof value !== 'object' || value === null) return [];
  const errors: FieldError[] = [];
  for (const k of keys) {
    const v = (value as Record<string, unknown>)[k];
    if (typeof v === 'string' && !/^-?[0-9]+$/.test(v.trim())) {
      errors.push({ path: `${part}.${k}`, message: 'must be an integer' });
    }
  }
  return errors;
}
