import { type FieldError, validationError } from '../errors.js';
import { LIMITS } from '../limits.js';
import { CATALOG_LIMITS, NAME_PATTERN } from './limits.js';

/** Collects every validation error of one input, capped so a hostile body cannot grow the answer without bound. */
export class Issues {
  readonly list: FieldError[] = [];
  private dropped = 0;

  constructor(private readonly max: number = CATALOG_LIMITS.errors) {}

  /** Records one error; returns undefined so checks can `return is.add(…)`. */
  add(path: string, message: string): undefined {
    if (this.list.length < this.max) this.list.push({ path, message });
    else this.dropped++;
    return undefined;
  }

  get empty(): boolean {
    return this.list.length === 0;
  }

  /** Errors recorded so far, listed or not. */
  get count(): number {
    return this.list.length + this.dropped;
  }

  /** Throws one validation error listing every recorded error. */
  throwIfAny(message: string): void {
    if (this.empty) return;
    const more = this.dropped ? [{ path: '', message: `${this.dropped} more error(s) not listed` }] : [];
    throw validationError([...this.list, ...more], message);
  }
}

/** Validates one value at `path`: the value when valid, else undefined with the errors recorded. */
export type Check<T> = (v: unknown, path: string, is: Issues) => T | undefined;

/** A plain object as JSON or YAML produce it. */
export type Obj = Readonly<Record<string, unknown>>;

/** True for a plain object (not null, not an array). */
export const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An own property only: `constructor`, `__proto__` and friends never come from the prototype. */
export const own = (o: Obj, key: string): unknown => (Object.hasOwn(o, key) ? o[key] : undefined);

const absent = (v: unknown) => v === undefined || v === null;

// Paths are built for every field checked, errors or not: the form of each key is worked out once.
const PLAIN_KEY = /^[A-Za-z_$][\w$-]*$/;
const KEY_FORMS = new Map<string, { plain: boolean; text: string }>();
const KEY_FORMS_MAX = 4_096;

function keyForm(key: string) {
  let form = KEY_FORMS.get(key);
  if (!form) {
    const plain = PLAIN_KEY.test(key) && key.length <= 64;
    form = { plain, text: plain ? key : `[${JSON.stringify(key.length > 64 ? `${key.slice(0, 64)}…` : key)}]` };
    if (KEY_FORMS.size < KEY_FORMS_MAX) KEY_FORMS.set(key, form);
  }
  return form;
}

/** `a.b` for plain keys, `a["x/y"]` otherwise; long keys are cut so a path stays readable. */
export function at(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const form = keyForm(key);
  if (!form.plain) return path + form.text;
  return path ? `${path}.${form.text}` : form.text;
}

const plural = (n: number, word: string) => `${n.toLocaleString('en-US')} ${word}${n === 1 ? '' : 's'}`;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// One scan that most strings (no NUL, no surrogate at all) pass without the look-around above.
// eslint-disable-next-line no-control-regex -- NUL is exactly what it looks for
const MAYBE_UNSAFE = /[\u0000\uD800-\uDFFF]/;

/** Why a string cannot be stored as it is, or null: NUL and unpaired surrogates break storage and JSON peers. */
export function unsafe(s: string): string | null {
  if (!MAYBE_UNSAFE.test(s)) return null;
  if (s.includes('\u0000')) return 'must not contain NUL (\\u0000)';
  if (LONE_SURROGATE.test(s)) return 'must not contain unpaired UTF-16 surrogates';
  return null;
}

/** The same text with NUL and unpaired surrogates replaced by U+FFFD, for free-form peer details. */
export const scrub = (s: string) =>
  s.replaceAll('\u0000', '\uFFFD').replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');

/** Options of `str`: a pattern (with the message when it fails), and whether blank is allowed. */
export interface StrOptions {
  pattern?: RegExp;
  hint?: string;
  empty?: boolean;
}

/**
 * A string of 1..max characters (not all blank, unless `empty`), optionally matching a pattern. Text
 * that cannot be stored as it is (`unsafe`: NUL, unpaired surrogates) is always refused: PostgreSQL
 * rejects NUL in text and JSON, and a peer reading our JSON may reject a lone surrogate.
 */
export const str =
  (max: number, opts: StrOptions = {}): Check<string> =>
  (v, path, is) => {
    if (typeof v !== 'string') return is.add(path, 'expected a string');
    if (!opts.empty && v.trim() === '') return is.add(path, 'must not be empty');
    if (v.length > max) return is.add(path, `expected at most ${plural(max, 'character')}`);
    const bad = unsafe(v);
    if (bad) return is.add(path, bad);
    if (opts.pattern && !opts.pattern.test(v)) return is.add(path, opts.hint ?? 'has an invalid format');
    return v;
  };

/** The message for a name that breaks Backstage's rule. */
export const NAME_HINT = `expected 1–${CATALOG_LIMITS.name} characters: letters and digits, in runs separated by - _ or .`;

/** An entity name by Backstage's rule. */
export const name = (): Check<string> => str(CATALOG_LIMITS.name, { pattern: NAME_PATTERN, hint: NAME_HINT });

/** Short free text. */
export const text = (max: number = LIMITS.shortText): Check<string> => str(max);

/** true or false. */
export const bool = (): Check<boolean> => (v, path, is) =>
  typeof v === 'boolean' ? v : is.add(path, 'expected true or false');

/** An integer within [min, max]. */
export const int =
  (min: number, max: number): Check<number> =>
  (v, path, is) =>
    typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max
      ? v
      : is.add(path, `expected an integer from ${min} to ${max}`);

/** A finite number within [min, max]. */
export const num =
  (min: number, max: number): Check<number> =>
  (v, path, is) =>
    typeof v === 'number' && Number.isFinite(v) && v >= min && v <= max
      ? v
      : is.add(path, `expected a number from ${min} to ${max}`);

/** One of a closed set of strings. */
export const oneOf =
  <const T extends string>(values: readonly T[]): Check<T> =>
  (v, path, is) =>
    typeof v === 'string' && (values as readonly string[]).includes(v)
      ? (v as T)
      : is.add(path, `expected one of ${values.join(', ')}`);

const urlText = str(LIMITS.url);

/** An absolute http(s) URL. */
export const url = (): Check<string> => (v, path, is) => {
  const s = urlText(v, path, is);
  if (s === undefined) return undefined;
  return /^https?:\/\//i.test(s) && URL.canParse(s) ? s : is.add(path, 'expected an http:// or https:// URL');
};

/** An http(s) link from a peer, or null: a bad link must not cost the peer's report. */
export const asLink = (v: unknown): string | null =>
  typeof v === 'string' && v.length <= LIMITS.url && /^https?:\/\//i.test(v) && unsafe(v) === null && URL.canParse(v)
    ? v
    : null;

/** asLink as an optional field: never an error. */
export const link: Check<string> = (v) => asLink(v) ?? undefined;

const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO-8601 date-time with a zone (`+0000` too, as PagerDuty writes it), normalised to UTC `…Z`. */
export const isoTime = (): Check<string> => (v, path, is) => {
  const ms = typeof v === 'string' && ISO.test(v) ? Date.parse(v) : NaN;
  return Number.isNaN(ms)
    ? is.add(path, 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z')
    : new Date(ms).toISOString();
};

/** A list of at most `max` items; invalid items are reported and left out, as are repeats of a `unique` field. */
export const array =
  <T>(item: Check<T>, max: number, opts: { min?: number; unique?: keyof T & string } = {}): Check<T[]> =>
  (v, path, is) => {
    if (!Array.isArray(v)) return is.add(path, 'expected a list');
    if (v.length > max) return is.add(path, `expected at most ${plural(max, 'item')}`);
    if (v.length < (opts.min ?? 0)) return is.add(path, `expected at least ${plural(opts.min ?? 0, 'item')}`);
    const { unique } = opts;
    const seen = new Map<unknown, number>();
    const out: T[] = [];
    v.forEach((x, i) => {
      const value = item(x, at(path, i), is);
      if (value === undefined) return;
      if (unique !== undefined) {
        const key = (value as Record<string, unknown>)[unique];
        const first = seen.get(key);
        if (first !== undefined) {
          const list = path.slice(path.lastIndexOf('.') + 1);
          return is.add(
            at(at(path, i), unique),
            `duplicate ${unique} ${JSON.stringify(key)} (first at ${list}[${first}])`,
          );
        }
        seen.set(key, i);
      }
      out.push(value);
    });
    return out;
  };

/** A field that may be missing (or null); `fallback` stands in for it, and for an invalid value. */
export interface Optional<T, D> {
  readonly check: Check<T>;
  readonly fallback: D;
}

/** Marks a field optional: null when missing, or `fallback`. */
export function opt<T>(check: Check<T>): Optional<T, null>;
export function opt<T, D>(check: Check<T>, fallback: D): Optional<T, D>;
export function opt<T, D>(check: Check<T>, fallback?: D): Optional<T, D | null> {
  return { check, fallback: fallback ?? null };
}

// Each object gets its own copy, so no two parsed entities share a default list.
const fresh = <D>(d: D): D => (d !== null && typeof d === 'object' ? structuredClone(d) : d);

type Fields = Record<string, Check<unknown> | Optional<unknown, unknown>>;
type Out<F extends Fields> = {
  -readonly [K in keyof F]: F[K] extends Optional<infer T, infer D> ? T | D : F[K] extends Check<infer T> ? T : never;
};

/**
 * An object with the given fields; unknown keys are refused unless `strict` is false. The object
 * is kept when every required field is valid, so independent errors elsewhere still surface.
 */
export const object =
  <F extends Fields>(fields: F, strict = true): Check<Out<F>> => {
    const list = Object.entries(fields);
    return (v, path, is) => {
      if (!isObj(v)) return is.add(path, 'expected an object');
      if (strict) {
        for (const key of Object.keys(v)) if (!Object.hasOwn(fields, key)) is.add(at(path, key), 'is not allowed');
      }
      let ok = true;
      const out: Record<string, unknown> = {};
      for (const [key, f] of list) {
        const value = own(v, key);
        const where = at(path, key);
        if (typeof f !== 'function') {
          const checked = absent(value) ? undefined : f.check(value, where, is);
          out[key] = checked ?? fresh(f.fallback);
          continue;
        }
        const checked = absent(value) ? is.add(where, 'is required') : f(value, where, is);
        if (checked === undefined) ok = false;
        out[key] = checked;
      }
      return ok ? (out as Out<F>) : undefined;
    };
  };

/** One of several object shapes chosen by a tag field, such as `type: webhook | manual`. */
export const tagged =
  <V extends Record<string, Check<unknown>>>(tag: string, variants: V): Check<NonNullable<ReturnType<V[keyof V]>>> =>
  (v, path, is) => {
    if (!isObj(v)) return is.add(path, 'expected an object');
    const t = own(v, tag);
    if (absent(t)) return is.add(at(path, tag), 'is required');
    if (typeof t !== 'string' || !Object.hasOwn(variants, t)) {
      return is.add(at(path, tag), `expected one of ${Object.keys(variants).join(', ')}`);
    }
    return variants[t]?.(v, path, is) as NonNullable<ReturnType<V[keyof V]>> | undefined;
  };

/**
 * A further rule on an already valid value: `rule` returns an error message, or null. It is not applied
 * when the value's own check found errors (an optional field that was invalid reads as missing, and the
 * rule would report a consequence of the error already listed).
 */
export const refine =
  <T>(check: Check<T>, rule: (value: T) => { path?: string; message: string } | null): Check<T> =>
  (v, path, is) => {
    const before = is.count;
    const value = check(v, path, is);
    if (value === undefined || is.count > before) return value;
    const broken = rule(value);
    return broken ? is.add(broken.path ? at(path, broken.path) : path, broken.message) : value;
  };

/** What an object check makes of `{}`: the defaults of its optional fields. */
export function defaultsOf<T>(check: Check<T>): T {
  const value = check({}, '', new Issues());
  if (value === undefined) throw new Error('defaultsOf needs a check whose fields are all optional');
  return value;
}

/** Runs one check and returns its value, or throws one validation error with every problem. */
export function parseOrThrow<T>(check: Check<T>, v: unknown, path: string, message: string): T {
  const is = new Issues();
  const value = check(v, path, is);
  is.throwIfAny(message);
  if (value === undefined) throw validationError([{ path, message: 'is not valid' }], message);
  return value;
}
