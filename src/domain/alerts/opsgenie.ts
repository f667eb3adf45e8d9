import { type FieldError, validationError } from '../errors.js';
import { asLink, at, isObj, Issues, type Obj, own, scrub, unsafe } from '../catalog/check.js';
import {
  ALERT_LIMITS,
  clip,
  count,
  emptyMap,
  fitText,
  keptKeys,
  keyProblem,
  LABEL_PRIORITY,
  mapOf,
  marked,
  parseMarks,
} from './check.js';
import { serviceOf, signalOf } from './classify.js';
import type { AlertResolution, AlertSeverity, NormalizedAlert, ParseContext, StringMap } from './types.js';

/** Opsgenie's alert priorities, most urgent first; a create without one is P3. */
export const OPSGENIE_PRIORITIES = ['P1', 'P2', 'P3', 'P4', 'P5'] as const;
/** One of OPSGENIE_PRIORITIES. */
export type OpsgeniePriority = (typeof OPSGENIE_PRIORITIES)[number];

/** The Firebreak severity of each Opsgenie priority. */
export const OPSGENIE_SEVERITY: Readonly<Record<OpsgeniePriority, AlertSeverity>> = {
  P1: 'critical',
  P2: 'critical',
  P3: 'error',
  P4: 'warning',
  P5: 'info',
};

/** Who an Opsgenie alert is routed to (`responders`) or shown to (`visibleTo`). */
export const OPSGENIE_RESPONDER_TYPES = ['team', 'user', 'escalation', 'schedule'] as const;
/** One of OPSGENIE_RESPONDER_TYPES. */
export type OpsgenieResponderType = (typeof OPSGENIE_RESPONDER_TYPES)[number];

/** How a close or acknowledge names its alert (`identifierType`); Firebreak refuses `tiny`. */
export const OPSGENIE_IDENTIFIER_TYPES = ['id', 'alias', 'tiny'] as const;
/** One of OPSGENIE_IDENTIFIER_TYPES. */
export type OpsgenieIdentifierType = (typeof OPSGENIE_IDENTIFIER_TYPES)[number];

/** Opsgenie's documented limits, in characters or items. Past them a value is cut and said so; an alias is refused. */
export const OPSGENIE_LIMITS = {
  message: 130,
  alias: 512,
  description: 15_000,
  responders: 50,
  visibleTo: 50,
  actions: 10,
  action: 50,
  tags: 20,
  tag: 50,
  details: 8_000,
  entity: 512,
  source: 100,
  user: 100,
  note: 25_000,
} as const;

/**
 * The messages Firebreak answers with, keyed by field like Opsgenie's 422 `errors`. `unprocessable`,
 * `emptyMessage`, `priority` and `teamId` are Opsgenie's own words; the others follow their style.
 */
export const OPSGENIE_MESSAGES = {
  unprocessable: 'Request body is not processable. Please check the errors.',
  body: 'should be a JSON object',
  emptyMessage: 'Message can not be empty.',
  priority: `should be one of [ ${OPSGENIE_PRIORITIES.join(', ')} ]`,
  teamId: 'id or name should be provided',
  userId: 'id or username should be provided',
  responderType: `should be one of [ ${OPSGENIE_RESPONDER_TYPES.join(', ')} ]`,
  visibleToType: 'should be one of [ team, user ]',
  aliasTooLong: `Alias can not be longer than ${OPSGENIE_LIMITS.alias} characters.`,
  identifier: 'Identifier can not be empty.',
  identifierTooLong: `Identifier can not be longer than ${OPSGENIE_LIMITS.alias} characters.`,
  identifierType: `should be one of [ ${OPSGENIE_IDENTIFIER_TYPES.join(', ')} ]`,
  tiny: 'tiny ids are not supported: close or acknowledge by id or alias',
  notString: 'should be a string',
  notList: 'should be a list',
  notObject: 'should be an object',
} as const;

const M = OPSGENIE_MESSAGES;

/** What an Opsgenie request needs from outside. */
export interface OpsgenieContext extends ParseContext {
  /** A fresh id, for a create without an alias (Opsgenie assigns one too). */
  newId: () => string;
  /** The Firebreak integration the API key authenticated as; it scopes the alias. */
  integrationId: string;
}

/** A responder or visibleTo entry as sent; at least `id`, or `name` (`username` for a user). */
export interface OpsgenieResponder {
  type: OpsgenieResponderType;
  id: string | null;
  name: string | null;
  username: string | null;
}

/** A create request: the alert, and what Opsgenie keeps beside it that the alert does not hold. */
export interface OpsgenieCreate {
  /** The alias, given or generated: the alert's key within its integration. */
  alias: string;
  alertKey: string;
  alert: NormalizedAlert;
  priority: OpsgeniePriority;
  responders: OpsgenieResponder[];
  visibleTo: OpsgenieResponder[];
  actions: string[];
  tags: string[];
  user: string | null;
  note: string | null;
}

/** The alert a close or acknowledge names: by alias (its key is known) or by Firebreak's stored alert id. */
export type OpsgenieTarget =
  | { identifierType: 'alias'; alias: string; alertKey: string }
  | { identifierType: 'id'; id: string };

interface ActionBase {
  target: OpsgenieTarget;
  user: string | null;
  source: string | null;
  note: string | null;
  /** What was cut from user, source or note to fit the limits, in words. */
  truncated: string[];
  receivedAt: string;
}

/** A close request: by alias, the resolution of the alias's alert; by id, none yet (see parseOpsgenieClose). */
export type OpsgenieClose = ActionBase & { action: 'close'; alert: AlertResolution | null };
/** An acknowledge request (`POST /v2/alerts/:identifier/acknowledge`); Firebreak stores nothing for it. */
export type OpsgenieAcknowledge = ActionBase & { action: 'acknowledge' };

/** A close or acknowledge as the HTTP layer hands it over: the path's identifier, the query's type, the body. */
export interface OpsgenieActionInput {
  identifier: unknown;
  identifierType?: unknown;
  body?: unknown;
}

/** `og:<integrationId>:<alias>`: aliases apply per integration, as Opsgenie's per account. */
export const opsgenieAlertKey = (integrationId: string, alias: string) => `og:${integrationId}:${alias}`;

const absent = (v: unknown) => v === undefined || v === null;
const blank = (v: unknown) => absent(v) || (typeof v === 'string' && v.trim() === '');

interface TextOptions {
  max: number;
  cut: string[];
  /** Refused past `max` instead of cut (an identity). */
  tooLong?: string;
}

/** A string field: null when missing or blank, undefined when refused, else the value (cut to `max`). */
function textField(o: Obj, key: string, is: Issues, opts: TextOptions): string | null | undefined {
  const v = own(o, key);
  const path = `body.${key}`;
  if (blank(v)) return null;
  if (typeof v !== 'string') return is.add(path, M.notString);
  const bad = unsafe(v);
  if (bad) return is.add(path, bad);
  if (v.length > opts.max && opts.tooLong) return is.add(path, opts.tooLong);
  return fitText(key, v, opts.cut, opts.max);
}

// Opsgenie's 130 counts code points, as Alertmanager cuts it (in runes): what it cut fits as sent.
function fitMessage(message: string, cut: string[]): string {
  const points = Array.from(message);
  if (points.length <= OPSGENIE_LIMITS.message) return message;
  cut.push(`message: cut to ${OPSGENIE_LIMITS.message} characters`);
  return `${points.slice(0, OPSGENIE_LIMITS.message - 1).join('')}…`;
}

function readMessage(body: Obj, is: Issues, cut: string[]): string | undefined {
  const v = own(body, 'message');
  if (blank(v)) return is.add('body.message', M.emptyMessage);
  if (typeof v !== 'string') return is.add('body.message', M.notString);
  const bad = unsafe(v);
  return bad ? is.add('body.message', bad) : fitMessage(v, cut);
}

function readPriority(body: Obj, is: Issues): OpsgeniePriority | undefined {
  const v = own(body, 'priority');
  if (blank(v)) return 'P3';
  return OPSGENIE_PRIORITIES.find((p) => p === v) ?? is.add('body.priority', M.priority);
}

type ListKey = 'responders' | 'visibleTo' | 'actions' | 'tags';
type TextKey = 'description' | 'entity' | 'source' | 'user' | 'note';

/**
 * A list field, each item read by `item` (null: left out); [] when missing, undefined when refused.
 * Past `max` kept items the rest is dropped unread, so a huge list costs no more than its count.
 */
function listField<T>(
  body: Obj,
  key: string,
  max: number,
  is: Issues,
  cut: string[],
  item: (v: unknown, path: string) => T | null | undefined,
): T[] | undefined {
  const v = own(body, key);
  if (absent(v)) return [];
  if (!Array.isArray(v)) return is.add(`body.${key}`, M.notList);
  const before = is.count;
  const kept: T[] = [];
  let dropped = 0;
  v.forEach((x, i) => {
    if (kept.length < max) {
      const value = item(x, at(`body.${key}`, i));
      if (value !== null && value !== undefined) kept.push(value);
    } else if (!blank(x)) dropped++;
  });
  if (is.count > before) return undefined;
  if (dropped > 0) {
    cut.push(`${key}: ${count(dropped)} of ${count(kept.length + dropped)} dropped (limit ${count(max)})`);
  }
  return kept;
}

/** A list item that is a string, cut to `max`; blank items are left out (null). */
const stringItem =
  (is: Issues, cut: string[], max: number) =>
  (v: unknown, path: string): string | null | undefined => {
    if (blank(v)) return null;
    if (typeof v !== 'string') return is.add(path, M.notString);
    const bad = unsafe(v);
    if (bad) return is.add(path, bad);
    return fitText(path.slice('body.'.length), v.trim(), cut, max);
  };

const responderItem =
  (is: Issues, cut: string[], types: readonly OpsgenieResponderType[], typeMessage: string) =>
  (v: unknown, path: string): OpsgenieResponder | undefined => {
    if (!isObj(v)) return is.add(path, M.notObject);
    const rawType = own(v, 'type');
    const type = types.find((t) => t === rawType);
    if (type === undefined) return is.add(at(path, 'type'), typeMessage);
    const field = (key: 'id' | 'name' | 'username'): string | null | undefined => {
      const x = own(v, key);
      if (blank(x)) return null;
      if (typeof x !== 'string') return is.add(at(path, key), M.notString);
      const bad = unsafe(x);
      if (bad) return is.add(at(path, key), bad);
      return fitText(at(path, key).slice('body.'.length), x.trim(), cut, ALERT_LIMITS.shortText);
    };
    const [id, name, username] = [field('id'), field('name'), field('username')];
    if (id === undefined || name === undefined || username === undefined) return undefined;
    const named = type === 'user' ? username : name;
    if (id === null && named === null) return is.add(path, type === 'user' ? M.userId : M.teamId);
    return { type, id, name, username };
  };

const DROPPED_KEYS = 'empty, or with control characters or unpaired surrogates';

// details are Opsgenie's string map; as labels, catalog matchers such as `service=checkout` read
// them. Past Opsgenie's 8,000 characters in all, the keys Firebreak reads first are kept first.
function detailLabels(body: Obj, is: Issues, cut: string[]): StringMap | undefined {
  const v = own(body, 'details');
  if (absent(v)) return emptyMap();
  if (!isObj(v)) return is.add('body.details', M.notObject);
  const values = new Map<string, string>();
  for (const k of Object.keys(v)) {
    const value = own(v, k);
    if (typeof value === 'string') values.set(k, scrub(value));
    else is.add(at('body.details', k), M.notString);
  }
  if (values.size < Object.keys(v).length) return undefined;
  const all = [...values.keys()];
  const usable = all.filter((k) => k.length > ALERT_LIMITS.key || keyProblem(k) === null);
  const bad = all.length - usable.length;
  if (bad > 0) cut.push(`details: ${count(bad)} ${bad === 1 ? 'key' : 'keys'} dropped (${DROPPED_KEYS})`);
  const keys = keptKeys('details', usable, cut, LABEL_PRIORITY);
  const present = new Set(keys);
  const kept = new Set<string>();
  let used = 0;
  for (const k of [...LABEL_PRIORITY.filter((p) => present.has(p)), ...keys]) {
    const size = k.length + Math.min(values.get(k)?.length ?? 0, ALERT_LIMITS.value);
    if (kept.has(k) || used + size > OPSGENIE_LIMITS.details) continue;
    used += size;
    kept.add(k);
  }
  const labels = mapOf(
    keys.filter((k) => kept.has(k)).map((k) => [k, fitText(at('details', k), values.get(k) ?? '', cut)] as const),
  );
  const over = keys.length - kept.size;
  if (over > 0) {
    const budget = count(OPSGENIE_LIMITS.details);
    cut.push(`details: ${count(over)} of ${count(keys.length)} dropped (over ${budget} characters in all)`);
  }
  return labels;
}

const responderList = (rs: readonly OpsgenieResponder[]) =>
  clip(rs.map((r) => `${r.type}:${r.name ?? r.username ?? r.id ?? ''}`).join(', '), ALERT_LIMITS.value);

/**
 * An Opsgenie Alert API v2 create (`POST /v2/alerts`), as Opsgenie's clients and Alertmanager's
 * `opsgenie_configs` send it. `details` become labels; description, entity, source, tags (joined by
 * `, `), priority, responders, user and note become annotations. Opsgenie gives no start time:
 * receivedAt stands in and a repeat keeps the stored one. Errors are keyed and worded as Opsgenie's
 * 422 `errors`, so `opsgenieUnprocessable` answers as Opsgenie would.
 */
export function parseOpsgenieCreate(body: unknown, ctx: OpsgenieContext): OpsgenieCreate {
  const fail = (errors: FieldError[]): never => {
    throw validationError(errors, M.unprocessable);
  };
  if (!isObj(body)) return fail([{ path: 'body', message: M.body }]);
  const is = new Issues();
  const cut: string[] = [];
  const text = (key: TextKey) =>
    textField(body, key, is, { max: Math.min(OPSGENIE_LIMITS[key], ALERT_LIMITS.value), cut });

  const message = readMessage(body, is, cut);
  const given = textField(body, 'alias', is, { max: OPSGENIE_LIMITS.alias, cut, tooLong: M.aliasTooLong });
  const description = text('description');
  const list = <T>(key: ListKey, item: (v: unknown, path: string) => T | null | undefined) =>
    listField(body, key, OPSGENIE_LIMITS[key], is, cut, item);
  const responders = list('responders', responderItem(is, cut, OPSGENIE_RESPONDER_TYPES, M.responderType));
  const visibleTo = list('visibleTo', responderItem(is, cut, ['team', 'user'], M.visibleToType));
  const actions = list('actions', stringItem(is, cut, OPSGENIE_LIMITS.action));
  const tags = list('tags', stringItem(is, cut, OPSGENIE_LIMITS.tag));
  const labels = detailLabels(body, is, cut);
  const entity = text('entity');
  const rawSource = own(body, 'source');
  const source = text('source');
  const priority = readPriority(body, is);
  const user = text('user');
  const note = text('note');
  is.throwIfAny(M.unprocessable);
  if (
    message === undefined ||
    given === undefined ||
    description === undefined ||
    responders === undefined ||
    visibleTo === undefined ||
    actions === undefined ||
    tags === undefined ||
    labels === undefined ||
    entity === undefined ||
    source === undefined ||
    priority === undefined ||
    user === undefined ||
    note === undefined
  ) {
    return fail([{ path: 'body', message: 'is not valid' }]);
  }

  const alias = given ?? ctx.newId();
  const alertKey = opsgenieAlertKey(ctx.integrationId, alias);
  const fields: [string, string | null][] = [
    ['summary', message],
    ['description', description],
    ['entity', entity],
    ['source', source],
    ['tags', tags.length > 0 ? tags.join(', ') : null],
    ['priority', priority],
    ['responders', responders.length > 0 ? responderList(responders) : null],
    ['user', user],
    ['note', note],
  ];
  const annotations = mapOf(fields.flatMap(([k, v]) => (v === null ? [] : [[k, v] as const])));
  const alert: NormalizedAlert = {
    source: 'opsgenie',
    dedupKey: alertKey,
    status: 'firing',
    service: serviceOf(labels),
    summary: message,
    severity: OPSGENIE_SEVERITY[priority],
    signal: signalOf(labels, annotations, message),
    labels,
    annotations: marked(annotations, cut, []),
    startsAt: ctx.receivedAt,
    endsAt: null,
    generatorURL: asLink(rawSource),
    receivedAt: ctx.receivedAt,
    ...parseMarks(cut, true),
  };
  return { alias, alertKey, alert, priority, responders, visibleTo, actions, tags, user, note };
}

function readTarget(input: OpsgenieActionInput, ctx: OpsgenieContext, is: Issues): OpsgenieTarget | undefined {
  const rawType = input.identifierType;
  const type = blank(rawType) ? 'id' : OPSGENIE_IDENTIFIER_TYPES.find((t) => t === rawType);
  if (type === undefined) is.add('query.identifierType', M.identifierType);
  else if (type === 'tiny') is.add('query.identifierType', M.tiny);
  const v = input.identifier;
  const bad = typeof v === 'string' ? unsafe(v) : null;
  if (blank(v) || typeof v !== 'string') return is.add('params.identifier', M.identifier);
  if (v.length > OPSGENIE_LIMITS.alias) return is.add('params.identifier', M.identifierTooLong);
  if (bad) return is.add('params.identifier', bad);
  if (type === undefined || type === 'tiny') return undefined;
  return type === 'alias'
    ? { identifierType: 'alias', alias: v, alertKey: opsgenieAlertKey(ctx.integrationId, v) }
    : { identifierType: 'id', id: v };
}

function parseAction<A extends 'close' | 'acknowledge'>(action: A, input: OpsgenieActionInput, ctx: OpsgenieContext) {
  const is = new Issues();
  const target = readTarget(input, ctx, is);
  const body = absent(input.body) ? {} : input.body;
  const truncated: string[] = [];
  const text = (o: Obj, key: 'user' | 'source' | 'note') =>
    textField(o, key, is, { max: Math.min(OPSGENIE_LIMITS[key], ALERT_LIMITS.value), cut: truncated });
  const [user, source, note] = isObj(body)
    ? [text(body, 'user'), text(body, 'source'), text(body, 'note')]
    : [is.add('body', M.body), undefined, undefined];
  is.throwIfAny(M.unprocessable);
  if (target === undefined || user === undefined || source === undefined || note === undefined) {
    throw validationError([{ path: 'body', message: 'is not valid' }], M.unprocessable);
  }
  const { receivedAt } = ctx;
  return { action, target, user, source, note, truncated, receivedAt };
}

/** The resolution of the alert keyed `alertKey`, closed at `receivedAt`. */
export const opsgenieResolution = (alertKey: string, receivedAt: string): AlertResolution => ({
  source: 'opsgenie',
  dedupKey: alertKey,
  status: 'resolved',
  endsAt: receivedAt,
  receivedAt,
});

/**
 * A close (`POST /v2/alerts/:identifier/close`), as Alertmanager sends it on resolve (by alias). By
 * alias it carries the resolution; by id `alert` is null and the caller resolves the stored alert the
 * id names with opsgenieResolution, once it has checked that alert is this integration's.
 */
export function parseOpsgenieClose(input: OpsgenieActionInput, ctx: OpsgenieContext): OpsgenieClose {
  const close = parseAction('close', input, ctx);
  const { target } = close;
  const alert = target.identifierType === 'alias' ? opsgenieResolution(target.alertKey, close.receivedAt) : null;
  return { ...close, alert };
}

/** An acknowledge (`POST /v2/alerts/:identifier/acknowledge`); it changes no stored alert. */
export const parseOpsgenieAcknowledge = (input: OpsgenieActionInput, ctx: OpsgenieContext): OpsgenieAcknowledge =>
  parseAction('acknowledge', input, ctx);

/** Opsgenie's 202 body for an accepted create, close or acknowledge. */
export const opsgenieAccepted = (requestId: string, took = 0) =>
  ({ result: 'Request will be processed', took, requestId }) as const;

/**
 * Opsgenie's 422 body for a request it cannot process: each error keyed by its field as Opsgenie
 * keys them (`message`, `responders[0]`), without Firebreak's `body.` prefix; the first error per field.
 */
export function opsgenieUnprocessable(errors: readonly FieldError[], requestId: string, took = 0) {
  const byField = emptyMap();
  for (const { path, message } of errors) {
    const field = path.replace(/^(body|query|params)\.?/, '') || 'body';
    if (!Object.hasOwn(byField, field)) byField[field] = message;
  }
  return { message: M.unprocessable, errors: byField, took, requestId };
}
