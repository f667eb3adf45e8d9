import { array, at, type Check, isObj, Issues, own, scrub, str, unsafe } from '../catalog/check.js';
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

// Any length: a value over the limit is cut (fitText), never refused.
const mapValue = str(Number.POSITIVE_INFINITY, { empty: true });

/** The annotation that says what Firebreak cut from an alert to fit ALERT_LIMITS. */
export const TRUNCATED_ANNOTATION = 'firebreak.truncated';
/** The annotation that says which of the sender's times Firebreak read as unset. */
export const TIME_ANNOTATION = 'firebreak.time';

/**
 * Kept first when a map has more entries than its limit, then the rest in the sender's order: what
 * Firebreak reads (name, service, severity, signal, summary) and the labels catalog matchers usually use.
 */
export const LABEL_PRIORITY = [
  'alertname',
  'service',
  'severity',
  'signal',
  'app',
  'job',
  'namespace',
  'team',
  'environment',
  'env',
  'cluster',
] as const;
/** As LABEL_PRIORITY, for annotations (and PagerDuty's custom_details, which become annotations). */
export const ANNOTATION_PRIORITY = ['summary', 'description', 'service', 'signal', 'runbook_url', 'runbook'] as const;

const plural = (n: number, one: string, many: string) => `${count(n)} ${n === 1 ? one : many}`;

/**
 * The keys of a sender's map that are kept, in the sender's order: keys longer than the key limit
 * are dropped, then, past `max`, every key but the `priority` ones present and the first others.
 * What was dropped is added to `cut`, named `name`.
 */
export function keptKeys(
  name: string,
  keys: readonly string[],
  cut: string[],
  priority: readonly string[],
  max: number = ALERT_LIMITS.labels,
): string[] {
  const fit = keys.filter((k) => k.length <= ALERT_LIMITS.key);
  if (fit.length < keys.length) {
    const n = keys.length - fit.length;
    cut.push(`${name}: ${plural(n, 'key', 'keys')} over ${count(ALERT_LIMITS.key)} characters dropped`);
  }
  if (fit.length <= max) return fit;
  const present = new Set(fit);
  const first = priority.filter((k) => present.has(k));
  const kept = new Set(first);
  for (const k of fit) {
    if (kept.size >= max) break;
    kept.add(k);
  }
  cut.push(`${name}: ${count(fit.length - max)} of ${count(fit.length)} dropped (limit ${count(max)})`);
  return fit.filter((k) => kept.has(k));
}

/** `text` within `max` characters; when cut, `name` is added to `cut`. */
export function fitText(name: string, text: string, cut: string[], max: number = ALERT_LIMITS.value): string {
  if (text.length <= max) return text;
  cut.push(`${name}: cut to ${count(max)} characters`);
  return clip(text, max);
}

/** A sender's map as kept: the entries that fit, and what was cut to make them fit, in words. */
export interface FittedMap {
  map: StringMap;
  cut: string[];
}

/**
 * A string-to-string map (labels, annotations), returned without a prototype so `__proto__` or
 * `constructor` stay plain data. Past the limits it is cut, never refused (a refused webhook is every
 * alert of its group lost): see keptKeys for which entries stay; over-long values are cut. Entries
 * that are kept must still be valid: strings, safe text, usable keys. `name` names it in `cut`.
 */
export const stringMap =
  (name: string, priority: readonly string[], opts: { dropInvalid?: boolean } = {}): Check<FittedMap> =>
  (v, path, is) => {
    if (!isObj(v)) return is.add(path, 'expected an object of strings');
    const cut: string[] = [];
    const out = emptyMap();
    let ok = true;
    for (const k of keptKeys(name, Object.keys(v), cut, priority)) {
      const where = at(path, k);
      const bad = keyProblem(k);
      // A peer's entry that cannot be kept is dropped and said so: its alert is worth more than it.
      const mine = opts.dropInvalid ? new Issues(1) : is;
      const value = bad ? mine.add(where, bad) : mapValue(own(v, k), where, mine);
      if (value !== undefined) out[k] = fitText(at(name, k), value, cut);
      else if (!opts.dropInvalid) ok = false;
      else cut.push(`${at(name, k)}: dropped (${mine.list[0]?.message ?? 'not valid'})`);
    }
    return ok ? { map: out, cut } : undefined;
  };

/** The annotations with Firebreak's marks added: what was cut, and which times were read as unset. */
export function marked(annotations: StringMap, truncated: readonly string[], time: readonly string[]): StringMap {
  if (truncated.length === 0 && time.length === 0) return annotations;
  const out = mapOf(Object.entries(annotations));
  if (truncated.length > 0) out[TRUNCATED_ANNOTATION] = clip(truncated.join('; '), ALERT_LIMITS.value);
  if (time.length > 0) out[TIME_ANNOTATION] = clip(time.join('; '), ALERT_LIMITS.value);
  return out;
}

/** NormalizedAlert's parse-time fields, present only when they say something. */
export const parseMarks = (truncated: string[], startsAtUnset: boolean) => ({
  ...(truncated.length > 0 && { truncated }),
  ...(startsAtUnset && { startsAtUnset }),
});

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
