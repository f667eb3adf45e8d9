import { type FieldError, validationError } from '../errors.js';
import { asLink, isObj, Issues, type Obj, own, scrub, unsafe } from '../catalog/check.js';
import {
  ALERT_LIMITS,
  ANNOTATION_PRIORITY,
  asText,
  fitText,
  keptKeys,
  keyProblem,
  lenientEntries,
  mapOf,
  marked,
  parseMarks,
} from './check.js';
import { serviceOf, severityOf, signalOf } from './classify.js';
import { alertTimes, senderTime } from './times.js';
import type { AlertResolution, NormalizedAlert, ParseContext } from './types.js';

/** The `event_action`s of PagerDuty Events API v2. */
export const PAGERDUTY_ACTIONS = ['trigger', 'acknowledge', 'resolve'] as const;
/** One of PAGERDUTY_ACTIONS. */
export type PagerDutyAction = (typeof PAGERDUTY_ACTIONS)[number];

/** What a PagerDuty event needs from outside. */
export interface PagerDutyContext extends ParseContext {
  /** A fresh id, for a trigger that has no dedup_key (PagerDuty generates one too). */
  newId: () => string;
  /** The Firebreak integration the routing key authenticated as; it scopes the alert key instead of the key itself. */
  integrationId: string;
}

interface EventBase {
  routingKey: string;
  /** The event's dedup_key, given or generated: what the 202 answer echoes. */
  dedupKey: string;
  /** `pd:<integrationId>:<dedup_key>`: events apply per integration and key, as PagerDuty's per routing key. */
  alertKey: string;
}

/** One PagerDuty event: a trigger carries an alert, a resolve a resolution, an acknowledge nothing to store. */
export type PagerDutyEvent =
  | (EventBase & { action: 'trigger'; alert: NormalizedAlert })
  | (EventBase & { action: 'resolve'; alert: AlertResolution })
  | (EventBase & { action: 'acknowledge' });

const ROUTING_KEY_LENGTH = 32;

// Messages follow PagerDuty's own wording ("Length of 'routing_key' is incorrect (should be 32
// characters)" is theirs), because PagerDuty clients log the errors list as it is.
const missing = (field: string) => `'${field}' is missing or blank`;
const tooLong = (field: string, max: number) =>
  `Length of '${field}' is incorrect (should be at most ${max} characters)`;
const BAD_TIMESTAMP = "'payload.timestamp' is invalid (expected ISO 8601, like 2015-07-17T08:42:58.315+0000)";

interface PdStringOptions {
  required?: boolean;
  max: number;
  /** Where an over-long value is cut and said so; without it, it is refused. */
  cut?: string[];
}

function pdString(o: Obj, key: string, field: string, is: Issues, opts: PdStringOptions) {
  const v = own(o, key);
  const path = `body.${field}`;
  if (v === undefined || v === null || (typeof v === 'string' && v.trim() === '')) {
    return opts.required ? is.add(path, missing(field)) : undefined;
  }
  if (typeof v !== 'string') return is.add(path, `'${field}' must be a string`);
  if (v.length > opts.max && !opts.cut) return is.add(path, tooLong(field, opts.max));
  const bad = unsafe(v);
  if (bad) return is.add(path, `'${field}' ${bad}`);
  return opts.cut ? fitText(field, v, opts.cut, opts.max) : v;
}

/** The routing key when the body carries a well-formed one, read before parsing to find the integration. */
export function pagerDutyRoutingKey(body: unknown): string | null {
  const key = isObj(body) ? own(body, 'routing_key') : undefined;
  return typeof key === 'string' && key.length === ROUTING_KEY_LENGTH ? key : null;
}

// Alertmanager's structured custom_details list the firing alerts; the labels they all share are
// lifted so the catalog's matchers can route an Alertmanager-via-PagerDuty alert.
function sharedFiringLabels(details: unknown): [string, string][] {
  const firing = isObj(details) ? own(details, 'firing') : undefined;
  if (!Array.isArray(firing) || firing.length === 0 || firing.length > ALERT_LIMITS.alerts) return [];
  const maps = firing.map((f) => new Map(lenientEntries(isObj(f) ? own(f, 'labels') : undefined)));
  const [first, ...rest] = maps;
  return [...(first ?? [])].filter(([k, v]) => rest.every((m) => m.get(k) === v));
}

const DETAILS = 'payload.custom_details';
const detailText = (name: string, v: unknown, cut: string[]) =>
  fitText(name, scrub(typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v))), cut);

// custom_details is free-form: a string (older Alertmanager), an object, or any JSON; kept as
// annotations (one is the summary), cut to their limits and said so rather than refused.
function detailEntries(details: unknown, cut: string[]): [string, string][] {
  if (details === undefined || details === null) return [];
  if (!isObj(details)) return [['details', detailText(DETAILS, details, cut)]];
  const all = Object.keys(details);
  const usable = all.filter((k) => k.length > ALERT_LIMITS.key || keyProblem(k) === null);
  const n = all.length - usable.length;
  if (n > 0) cut.push(`${DETAILS}: ${n} ${n === 1 ? 'key' : 'keys'} dropped (empty, or with control characters or unpaired surrogates)`);
  const keys = keptKeys(DETAILS, usable, cut, ANNOTATION_PRIORITY, ALERT_LIMITS.labels - 1);
  return keys.map((k) => [k, detailText(`${DETAILS}.${k}`, own(details, k), cut)]);
}

function firstLink(body: Obj): string | null {
  const links = own(body, 'links');
  const hrefs = Array.isArray(links) ? links.slice(0, 50).map((l) => (isObj(l) ? own(l, 'href') : undefined)) : [];
  return [own(body, 'client_url'), ...hrefs].map(asLink).find((h) => h !== null) ?? null;
}

function triggerAlert(body: Obj, payload: Obj, ctx: PagerDutyContext, is: Issues) {
  const cut: string[] = [];
  const field = (key: string, opts: { required?: boolean; max: number }) =>
    pdString(payload, key, `payload.${key}`, is, { ...opts, cut });
  const summary = field('summary', { required: true, max: ALERT_LIMITS.summary });
  const source = field('source', { required: true, max: ALERT_LIMITS.summary });
  const severity = field('severity', { required: true, max: ALERT_LIMITS.shortText });
  const [component, group, klass] = ['component', 'group', 'class'].map(
    (k) => field(k, { max: ALERT_LIMITS.value }) ?? null,
  );
  const stamp = own(payload, 'timestamp');
  const given =
    stamp === undefined || stamp === null
      ? null
      : (senderTime(stamp, 'body.payload.timestamp', new Issues()) ?? is.add('body.payload.timestamp', BAD_TIMESTAMP));
  if (summary === undefined || source === undefined || severity === undefined || given === undefined) {
    return undefined;
  }
  const times = alertTimes({ startsAt: given, endsAt: null }, 'firing', ctx.receivedAt, {
    startsAt: 'payload.timestamp',
    endsAt: 'endsAt',
  });

  const details = own(payload, 'custom_details');
  const fields = { source, component: component ?? null, group: group ?? null, class: klass ?? null, severity };
  const labels = mapOf([
    ...Object.entries(fields).flatMap(([k, v]) => (v === null ? [] : [[k, v] as const])),
    ...sharedFiringLabels(details),
  ]);
  const annotations = mapOf([...detailEntries(details, cut), ['summary', summary]]);
  const named = asText(isObj(details) ? own(details, 'service') : undefined, ALERT_LIMITS.shortText);
  const alert: Omit<NormalizedAlert, 'dedupKey'> = {
    source: 'pagerduty',
    status: 'firing',
    service: named ?? serviceOf(labels),
    summary,
    severity: severityOf(severity),
    signal: signalOf(labels, annotations, `${klass ?? ''} ${summary}`),
    labels,
    annotations: marked(annotations, cut, times.notes),
    startsAt: times.startsAt,
    endsAt: null,
    generatorURL: firstLink(body),
    receivedAt: ctx.receivedAt,
    ...parseMarks(cut, times.startsAtUnset),
  };
  return alert;
}

/**
 * A PagerDuty Events API v2 event (`POST /v2/enqueue`), as PagerDuty itself and Alertmanager's
 * `pagerduty_configs` send it. Any severity word is accepted (see severityOf). A resolve ignores its
 * payload and an acknowledge stores nothing: neither ever creates an alert. Error messages use
 * PagerDuty's wording so `pagerDutyInvalid(messages)` answers as PagerDuty would.
 */
export function parsePagerDutyEvent(body: unknown, ctx: PagerDutyContext): PagerDutyEvent {
  const fail = (errors: FieldError[]): never => {
    throw validationError(errors, 'The PagerDuty event is not valid.');
  };
  if (!isObj(body)) return fail([{ path: 'body', message: "'event' must be a JSON object" }]);
  const is = new Issues();
  const routingKey = pdString(body, 'routing_key', 'routing_key', is, { required: true, max: 1_000 });
  if (routingKey !== undefined && routingKey.length !== ROUTING_KEY_LENGTH) {
    is.add('body.routing_key', "Length of 'routing_key' is incorrect (should be 32 characters)");
  }
  const rawAction = own(body, 'event_action');
  const action = PAGERDUTY_ACTIONS.find((a) => a === rawAction);
  if (action === undefined) {
    is.add(
      'body.event_action',
      rawAction === undefined || rawAction === null || rawAction === ''
        ? missing('event_action')
        : `'event_action' is invalid (must be one of: ${PAGERDUTY_ACTIONS.join(', ')})`,
    );
  }
  const given = pdString(body, 'dedup_key', 'dedup_key', is, {
    required: action !== undefined && action !== 'trigger',
    max: ALERT_LIMITS.dedupKey,
  });
  const payload = own(body, 'payload');
  let trigger: Omit<NormalizedAlert, 'dedupKey'> | undefined;
  if (action === 'trigger') {
    if (payload === undefined || payload === null) is.add('body.payload', missing('payload'));
    else if (!isObj(payload)) is.add('body.payload', "'payload' must be an object");
    else trigger = triggerAlert(body, payload, ctx, is);
  }
  is.throwIfAny('The PagerDuty event is not valid.');
  if (routingKey === undefined || action === undefined) return fail([{ path: 'body', message: 'is not valid' }]);

  const dedupKey = given ?? ctx.newId();
  const alertKey = `pd:${ctx.integrationId}:${dedupKey}`;
  const base = { routingKey, dedupKey, alertKey };
  switch (action) {
    case 'acknowledge':
      return { ...base, action };
    case 'resolve': {
      const { receivedAt } = ctx;
      const alert: AlertResolution = {
        source: 'pagerduty',
        dedupKey: alertKey,
        status: 'resolved',
        endsAt: receivedAt,
        receivedAt,
      };
      return { ...base, action, alert };
    }
    case 'trigger':
      if (trigger === undefined) return fail([{ path: 'body.payload', message: 'is not valid' }]);
      return { ...base, action, alert: { ...trigger, dedupKey: alertKey } };
  }
}

/**
 * PagerDuty's 202 body for an accepted event; `truncated`, what was cut to fit the limits, is added only
 * when something was (PagerDuty's clients read `status` and `dedup_key` and ignore other fields).
 */
export const pagerDutyAccepted = (dedupKey: string, truncated: readonly string[] = []) => ({
  status: 'success' as const,
  message: 'Event processed' as const,
  dedup_key: dedupKey,
  ...(truncated.length > 0 && { truncated }),
});

/** PagerDuty's 400 body for an event that breaks its rules; `errors` are the validation messages. */
export const pagerDutyInvalid = (errors: string[]) =>
  ({ status: 'invalid event', message: 'Event object is invalid', errors }) as const;

/** PagerDuty's 400 body for a request body that is not JSON at all. */
export const pagerDutyUnrecognized = () =>
  ({
    status: 'Unrecognized object',
    message: 'Event object format is unrecognized',
    errors: ['JSON parse error'],
  }) as const;
