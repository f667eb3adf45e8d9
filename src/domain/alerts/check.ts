import { array, at, type Check, isObj, own, scrub, str, unsafe } from '../catalog/check.js';
import type { StringMap } from './types.js';

/** Size limits of alert inputs, shared by every parser and the HTTP schemas. */
export const ALERT_LIMITS = {
  alerts: 1_000,
  labels: 64,
  key: 256,
  value: 4_096,
  summary: 1_024,
  dedupKey: 255,
  groupKey: 4_096,
  shortText: 256,
} as const;

/** A number as people read it: `1,000`. */
export const count = (n: number) => n.toLocaleString('en-US');

const hasControl = (s: string) => {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
};

/** At most `max` characters, ending in `…` when cut, never splitting a surrogate pair. */
export function clip(s: string, max: number): string {
  if (s.length <= max) return s;
  let end = max - 1;
  const c = s.charCodeAt(end - 1);
  if (c >= 0xd800 && c <= 0xdbff) end--;
  return `${s.slice(0, end)}…`;
}

/** Whitespace and control characters collapsed to single spaces, for one-line texts such as titles. */
export const oneLine = (s: string) => s.replace(/[\s\p{Cc}]+/gu, ' ').trim();

/** An empty map without a prototype. */
export const emptyMap = (): StringMap => Object.create(null) as StringMap;

/** A prototype-free map built from entries; later entries win. */
export function mapOf(entries: Iterable<readonly [string, string]>): StringMap {
  const m = emptyMap();
  for (const [k, v] of entries) m[k] = v;
  return m;
}

/** Why a map key cannot be kept, or null. */
export function keyProblem(k: string): string | null {
  if (k === '') return 'an empty key is not allowed';
  if (k.length > ALERT_LIMITS.key) return `keys are at most ${ALERT_LIMITS.key} characters`;
  return unsafe(k) ?? (hasControl(k) ? 'keys must not contain control characters' : null);
}

const mapValue = str(ALERT_LIMITS.value, { empty: true });

/**
 * A string-to-string map (labels, annotations) of at most `max` entries, returned without a prototype
 * so `__proto__` or `constructor` stay plain data. Too many entries are refused before any is read;
 * with `clipValues`, over-long values are cut instead of refused.
 */
export const stringMap =
  (opts: { clipValues?: boolean } = {}, max: number = ALERT_LIMITS.labels): Check<StringMap> =>
  (v, path, is) => {
    if (!isObj(v)) return is.add(path, 'expected an object of strings');
    let n = 0;
    for (const _ in v) if (++n > max) return is.add(path, `expected at most ${max} entries`);
    const out = emptyMap();
    let ok = true;
    for (const k of Object.keys(v)) {
      const where = at(path, k);
      const bad = keyProblem(k);
      const raw = own(v, k);
      const fit = opts.clipValues && typeof raw === 'string' ? clip(raw, ALERT_LIMITS.value) : raw;
      const value = bad ? is.add(where, bad) : mapValue(fit, where, is);
      if (value === undefined) ok = false;
      else out[k] = value;
    }
    return ok ? out : undefined;
  };

/** Entries of a peer's free-form map that fit the limits; the rest is dropped, never refused. */
export function lenientEntries(v: unknown, max: number = ALERT_LIMITS.labels): [string, string][] {
  if (!isObj(v)) return [];
  const out: [string, string][] = [];
  for (const k of Object.keys(v)) {
    if (out.length >= max) break;
    const value = own(v, k);
    if (keyProblem(k) === null && typeof value === 'string' && value.length <= ALERT_LIMITS.value) {
      out.push([k, scrub(value)]);
    }
  }
  return out;
}

/** A safe non-blank peer string within `max`, trimmed, or null. */
export const asText = (v: unknown, max: number): string | null =>
  typeof v === 'string' && v.trim() !== '' && v.length <= max && unsafe(v) === null ? v.trim() : null;

/** asText as an optional field: never an error. */
export const lenientText =
  (max: number): Check<string> =>
  (v) =>
    asText(v, max) ?? undefined;

/**
 * A list of alerts, refused by its length before any item is read, so a 100,000-item array costs
 * one comparison; `unique` refuses a repeated key field.
 */
export const batch =
  <T>(item: Check<T>, opts: { unique?: keyof T & string } = {}): Check<T[]> =>
  (v, path, is) => {
    if (!Array.isArray(v)) return is.add(path, 'expected a list of alerts');
    if (v.length > ALERT_LIMITS.alerts) {
      return is.add(path, `expected at most ${count(ALERT_LIMITS.alerts)} alerts per request, got ${count(v.length)}`);
    }
    return array(item, ALERT_LIMITS.alerts, opts)(v, path, is);
  };
