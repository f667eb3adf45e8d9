import type { FieldError } from '../errors.js';
import { LEVER_KINDS } from '../incident/types.js';
import { LIMITS } from '../limits.js';
import { type EscalationPolicy, escalationSpec } from '../paging/escalation.js';
import { scheduleSpec } from '../paging/schedule.js';
import type { Schedule } from '../paging/types.js';
import {
  array,
  at,
  bool,
  type Check,
  defaultsOf,
  int,
  isObj,
  isoTime,
  Issues,
  name,
  num,
  object,
  oneOf,
  opt,
  own,
  refine,
  scrub,
  str,
  tagged,
  text,
  unsafe,
  url,
} from './check.js';
import { TEMPLATE_FIELDS, unknownPlaceholders } from './lever-template.js';
import { CATALOG_LIMITS } from './limits.js';
import { canonicalName, DEFAULT_NAMESPACE, namespace, parseRef, qualifiedName, refName, type WrittenRef } from './names.js';
import {
  type AlertMatcher,
  type Catalog,
  FAIL_MODES,
  type IgnoredEntity,
  type NotifyTarget,
  type Member,
  type Person,
  ROTATIONS,
  type Service,
  type System,
  type Team,
  type JsonValue,
  type Tier,
  WEBHOOK_METHODS,
  type WebhookLeverAction,
  type WebhookMethod,
} from './types.js';

/*
 * Error paths: a document whose envelope (apiVersion, kind) is not understood is `documents[i]`;
 * every other one is addressed by its index among the entities of its kind, in file order:
 * `services[k]` (Service, Component), `teams[k]` (Team, Group), `systems[k]` (System), `schedules[k]` (Schedule),
 * `escalationPolicies[k]` (EscalationPolicy).
 */

const MESSAGE = 'The catalog is not valid.';
const FIREBREAK = 'firebreak/v1';
const BACKSTAGE = ['backstage.io/v1alpha1', 'backstage.io/v1beta1'];

type Role = 'service' | 'team' | 'system' | 'user' | 'schedule' | 'escalation';
const NATIVE_KINDS = new Map<string, Role>([
  ['Service', 'service'],
  ['Team', 'team'],
  ['Schedule', 'schedule'],
  ['EscalationPolicy', 'escalation'],
]);
const BACKSTAGE_KINDS = new Map<string, Role>([
  ['Component', 'service'],
  ['Group', 'team'],
  ['System', 'system'],
  ['User', 'user'],
]);
// The kinds that become services or teams: under an apiVersion Firebreak cannot read they are refused, not skipped.
const STRICT_KINDS = new Map<string, readonly string[]>([
  ['Service', [FIREBREAK]],
  ['Team', [FIREBREAK]],
  ['Schedule', [FIREBREAK]],
  ['EscalationPolicy', [FIREBREAK]],
  ['Component', BACKSTAGE],
  ['Group', BACKSTAGE],
]);
const UNUSED_KINDS = new Map<string, string>([
  ['API', 'an API is not a service: the Component that provides it is'],
  ['Resource', "a Resource is not a service: a Component's dependsOn can name it"],
  ['Domain', 'Firebreak groups services by System, not Domain'],
  ['Location', 'a Location points at other files: apply the entities they hold'],
  ['Template', 'a software template is not part of the running architecture'],
]);

const REPOSITORY = /^[A-Za-z0-9](?:[A-Za-z0-9-]*)\/[A-Za-z0-9._-]+$/;
const repository = str(CATALOG_LIMITS.repository, {
  pattern: REPOSITORY,
  hint: 'expected a GitHub repository as owner/name',
});
const person = str(LIMITS.person);
const email = str(CATALOG_LIMITS.email, { pattern: /^[^\s@]+@[^\s@]+$/, hint: 'expected an email address' });

/** Compiles a catalog regex matcher the one way routing uses it: fully anchored, like Prometheus. */
export const matcherRegex = (source: string) => new RegExp(`^(?:${source})$`, 'u');

const regex: Check<string> = (v, path, is) => {
  const s = str(CATALOG_LIMITS.regex)(v, path, is);
  if (s === undefined) return undefined;
  try {
    matcherRegex(s);
    return s;
  } catch {
    return is.add(path, 'expected a valid regular expression');
  }
};

const matcherFields = object({
  label: str(LIMITS.name),
  value: opt(str(CATALOG_LIMITS.labelValue)),
  regex: opt(regex),
});
const alertMatcher: Check<AlertMatcher> = (v, path, is) => {
  const m = matcherFields(v, path, is);
  if (m === undefined || !isObj(v)) return undefined;
  const given = (k: string) => own(v, k) !== undefined && own(v, k) !== null;
  if (given('value') === given('regex')) return is.add(path, 'give exactly one of value (exact match) or regex');
  if (m.value !== null) return { label: m.label, value: m.value };
  return m.regex === null ? undefined : { label: m.label, regex: m.regex };
};

// Header names are HTTP tokens; these are set by Firebreak (length, signature) or by the connection.
const HEADER_NAME = /^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/;
const RESERVED_HEADERS = new Set([
  'host', 'content-length', 'transfer-encoding', 'connection', 'webhook-id', 'webhook-timestamp', 'webhook-signature',
]);
const leverHeaders: Check<Record<string, string>> = (v, path, is) => {
  if (!isObj(v)) return is.add(path, 'expected an object of header names to values');
  const entries = Object.entries(v);
  if (entries.length > CATALOG_LIMITS.leverHeaders) return is.add(path, `expected at most ${CATALOG_LIMITS.leverHeaders} headers`);
  const before = is.count;
  const out: Record<string, string> = {};
  for (const [key, value] of entries) {
    const where = at(path, key);
    if (!HEADER_NAME.test(key)) is.add(where, 'expected an HTTP header name');
    else if (RESERVED_HEADERS.has(key.toLowerCase())) is.add(where, 'is set by Firebreak and cannot be given');
    const checked = str(CATALOG_LIMITS.leverHeaderValue, { pattern: /^[^\r\n]*$/, hint: 'must be one line' })(value, where, is);
    if (checked !== undefined) out[key.toLowerCase()] = checked;
  }
  return is.count > before ? undefined : out;
};

/** Plain JSON (what YAML or JSON parsing of the catalog gives), at most CATALOG_LIMITS.leverBody characters written out. */
const isJson = (v: unknown, depth = 0): v is JsonValue =>
  depth <= 20 &&
  (v === null ||
    typeof v === 'boolean' ||
    typeof v === 'string' ||
    (typeof v === 'number' && Number.isFinite(v)) ||
    (Array.isArray(v) && v.every((x) => isJson(x, depth + 1))) ||
    (isObj(v) && Object.getPrototypeOf(v) === Object.prototype && Object.values(v).every((x) => isJson(x, depth + 1))));
const leverBody: Check<JsonValue> = (v, path, is) => {
  if (!isJson(v)) return is.add(path, 'expected a JSON value (object, array, string, number, boolean)');
  const written = JSON.stringify(v);
  if (written.length > CATALOG_LIMITS.leverBody) return is.add(path, `expected at most ${CATALOG_LIMITS.leverBody} characters as JSON`);
  const bad = unsafe(written);
  if (bad) return is.add(path, bad);
  const unknown = unknownPlaceholders(v);
  return unknown.length > 0
    ? is.add(path, `names unknown template fields (${unknown.join(', ')}): expected ${TEMPLATE_FIELDS.join(', ')}`)
    : v;
};

// Standard Webhooks secrets: `whsec_` and the base64 of 24 to 64 random bytes.
const leverSecret: Check<string> = (v, path, is) => {
  const s = str(200)(v, path, is);
  if (s === undefined) return undefined;
  const raw = /^whsec_[A-Za-z0-9+/]+={0,2}$/.test(s) ? Buffer.from(s.slice(6), 'base64').length : 0;
  return raw >= 24 && raw <= 64 ? s : is.add(path, 'expected a Standard Webhooks secret: whsec_ and the base64 of 24 to 64 random bytes');
};

const webhookFields = object({
  type: oneOf(['webhook']),
  url: url(),
  method: opt(oneOf(WEBHOOK_METHODS), 'POST' as WebhookMethod),
  headers: opt(leverHeaders),
  body: opt(leverBody),
  secret: opt(leverSecret),
  timeoutMs: opt(int(CATALOG_LIMITS.leverTimeoutMs.min, CATALOG_LIMITS.leverTimeoutMs.max)),
});
/** A webhook action; the optional fields are left out when not given, as earlier catalogs stored them. */
const webhookAction: Check<WebhookLeverAction> = (v, path, is) => {
  const w = webhookFields(v, path, is);
  if (w === undefined) return undefined;
  // A body given as JSON null reads as missing; a body is a template, so null has nothing to fill in.
  return {
    type: 'webhook',
    url: w.url,
    method: w.method,
    ...(w.headers !== null && { headers: w.headers }),
    ...(w.body !== null && { body: w.body }),
    ...(w.secret !== null && { secret: w.secret }),
    ...(w.timeoutMs !== null && { timeoutMs: w.timeoutMs }),
  };
};

const lever = object({
  name: name(),
  kind: oneOf(LEVER_KINDS),
  failClosed: opt(bool(), false),
  preservesData: opt(bool(), false),
  action: tagged('type', {
    webhook: webhookAction,
    manual: object({ type: oneOf(['manual']), instructions: text(LIMITS.text) }),
  }),
});

// Shared by firebreak/v1 Service specs and Backstage `spec.firebreak`.
const SERVICE_EXTRAS = {
  tier: opt(int(1, 4) as Check<Tier>, 3 as Tier),
  public: opt(bool(), false),
  slo: opt(object({ availability: opt(num(0, 100)), latencyP95Ms: opt(int(1, 3_600_000)) }), {
    availability: null,
    latencyP95Ms: null,
  }),
  flows: opt(
    array(object({ name: text(), userFacing: opt(bool(), true) }), CATALOG_LIMITS.flows, { unique: 'name' }),
    [],
  ),
  unsupportedFlows: opt(array(text(), CATALOG_LIMITS.flows), []),
  coexistence: opt(array(object({ name: text(), failMode: oneOf(FAIL_MODES) }), CATALOG_LIMITS.coexistence), []),
  alertMatchers: opt(array(alertMatcher, CATALOG_LIMITS.alertMatchers), []),
  runbook: opt(url()),
  levers: opt(array(lever, CATALOG_LIMITS.levers, { unique: 'name' }), []),
  escalationPolicy: opt(qualifiedName()),
};

const inlineNotify = tagged('type', {
  slack: object({ type: oneOf(['slack']), url: url() }),
  webhook: object({ type: oneOf(['webhook']), url: url() }),
  email: object({ type: oneOf(['email']), address: email }),
});
const namedNotify = object({ target: str(63, { pattern: /^[a-z0-9][a-z0-9._-]*$/, hint: 'expected a notification target name' }) });
/** A registered target by name (`{target: NAME}`), or one written inline (`{type, url|address}`). */
const notifyTarget: Check<NotifyTarget> = (v, path, is) =>
  isObj(v) && Object.hasOwn(v, 'target') ? namedNotify(v, path, is) : inlineNotify(v, path, is);

const TEAM_EXTRAS = {
  onCall: opt(
    object({
      rotation: oneOf(ROTATIONS),
      startsAt: isoTime(),
      order: array(person, CATALOG_LIMITS.members, { min: 1 }),
    }),
  ),
  notify: opt(array(notifyTarget, CATALOG_LIMITS.notify), []),
};

const serviceExtras = object(SERVICE_EXTRAS);
const teamExtras = object(TEAM_EXTRAS);
const SERVICE_DEFAULTS = defaultsOf(serviceExtras);
const TEAM_DEFAULTS = defaultsOf(teamExtras);

const REF_HINT = 'expected an entity reference like group:default/payments or a name';

/** A Backstage reference `[kind:][namespace/]name`, such as `group:default/payments` or `resource:orders-db`. */
const ref: Check<WrittenRef> = (v, path, is) => {
  const s = str(255)(v, path, is);
  if (s === undefined) return undefined;
  return parseRef(s) ?? is.add(path, REF_HINT);
};

/** An owner: a Group (the default kind, as in Backstage) or a User. */
const owner = refine(ref, (r) =>
  r.kind === null || r.kind === 'group' || r.kind === 'user'
    ? null
    : { message: `expected a Group or User reference, not ${r.kind}` },
);

const SLUG = 'github.com/project-slug';
const annotations: Check<string | null> = (v, path, is) => {
  if (!isObj(v)) return is.add(path, 'expected an object');
  const slug = own(v, SLUG);
  return slug === undefined || slug === null ? null : repository(slug, at(path, SLUG), is);
};

const NATIVE_ENVELOPE = ['apiVersion', 'kind', 'metadata', 'spec'];
const nativeMetadata = object({
  name: name(),
  namespace: opt(namespace(), DEFAULT_NAMESPACE),
  title: opt(text(LIMITS.title)),
  description: opt(text(LIMITS.text)),
});
const backstageMetadata = object(
  {
    name: name(),
    namespace: opt(namespace(), DEFAULT_NAMESPACE),
    title: opt(text(LIMITS.title)),
    description: opt(text(LIMITS.text)),
    annotations: opt(annotations),
  },
  false,
);
type Meta = { name: string; namespace: string; title: string | null; description: string | null };
// A schedule or escalation policy is only its name and spec: the paging model has no title or description to keep.
const scheduleMetadata = object({ name: name(), namespace: opt(namespace(), DEFAULT_NAMESPACE) });

const nativeService = object({
  owner,
  system: opt(ref),
  lifecycle: opt(name()),
  repository: opt(repository),
  dependsOn: opt(array(ref, CATALOG_LIMITS.dependsOn), []),
  ...SERVICE_EXTRAS,
});
const backstageComponent = object(
  {
    owner,
    system: opt(ref),
    lifecycle: opt(text(CATALOG_LIMITS.name)),
    dependsOn: opt(array(ref, CATALOG_LIMITS.dependsOn), []),
    firebreak: opt(serviceExtras, SERVICE_DEFAULTS),
  },
  false,
);
const member = object({ name: person, email: opt(email) });
const nativeTeam = object({
  members: opt(array(member, CATALOG_LIMITS.members, { unique: 'name' }), []),
  ...TEAM_EXTRAS,
});
const backstageGroup = object(
  { members: opt(array(ref, CATALOG_LIMITS.members), []), firebreak: opt(teamExtras, TEAM_DEFAULTS) },
  false,
);
const backstageSystem = object({ owner }, false);

interface Entry<T> {
  path: string;
  doc: Readonly<Record<string, unknown>>;
  /** Canonical: `payments/checkout`, or `checkout` in the default namespace. */
  name: string | null;
  value: T | null;
}

interface User extends Person {
  memberOf: string[];
}

interface Parsed {
  services: (Entry<Service> & { owner?: { ref: WrittenRef; written: string } })[];
  teams: Entry<Team>[];
  systems: Entry<System>[];
  schedules: Entry<Schedule>[];
  escalationPolicies: Entry<EscalationPolicy>[];
  users: User[];
  ignored: IgnoredEntity[];
  warnings: FieldError[];
}

function envelope<M extends Pick<Meta, 'name' | 'namespace'>>(
  doc: Readonly<Record<string, unknown>>,
  path: string,
  native: boolean,
  metadata: Check<M>,
  is: Issues,
): { meta: M | undefined; spec: unknown } {
  if (native) {
    for (const key of Object.keys(doc)) if (!NATIVE_ENVELOPE.includes(key)) is.add(at(path, key), 'is not allowed');
  }
  const raw = own(doc, 'metadata');
  const meta =
    raw === undefined || raw === null
      ? is.add(at(path, 'metadata'), 'is required')
      : metadata(raw, at(path, 'metadata'), is);
  return { meta: meta && { ...meta, name: canonicalName(meta.namespace, meta.name) }, spec: own(doc, 'spec') ?? {} };
}

/** How an owner reference reads before the catalog's teams and users are known: a team name, or `user:<name>`. */
const ownerName = (r: WrittenRef, ns: string) => (r.kind === 'user' ? `user:${refName(r, ns)}` : refName(r, ns));

type Derived = 'name' | 'title' | 'description' | 'external' | 'source' | 'owner' | 'system' | 'dependsOn' | 'warnings';
type ServiceFields = Omit<Service, Derived> & {
  owner: WrittenRef;
  system: WrittenRef | null;
  dependsOn: WrittenRef[];
};

function toService(meta: Meta, f: ServiceFields, source: Service['source']): Service {
  const ns = meta.namespace;
  return {
    name: meta.name,
    title: meta.title ?? meta.name,
    description: meta.description,
    owner: ownerName(f.owner, ns),
    tier: f.tier,
    public: f.public,
    system: f.system && refName(f.system, ns),
    lifecycle: f.lifecycle,
    repository: f.repository,
    dependsOn: [...new Set(f.dependsOn.map((d) => refName(d, ns)))],
    external: [],
    slo: f.slo,
    flows: f.flows,
    unsupportedFlows: f.unsupportedFlows,
    coexistence: f.coexistence,
    alertMatchers: f.alertMatchers,
    runbook: f.runbook,
    levers: f.levers,
    escalationPolicy: f.escalationPolicy,
    source,
    warnings: [],
  };
}

function readService(doc: Readonly<Record<string, unknown>>, native: boolean, acc: Parsed, is: Issues) {
  const path = `services[${acc.services.length}]`;
  const entry: Parsed['services'][number] = { path, doc, name: null, value: null };
  acc.services.push(entry);
  const keep = (meta: Meta | undefined, f: ServiceFields | undefined, spec: unknown) => {
    entry.name = meta?.name ?? null;
    if (!meta || !f) return;
    entry.value = toService(meta, f, native ? 'firebreak' : 'backstage');
    entry.owner = { ref: f.owner, written: String(rawAt(spec, ['owner'])) };
  };
  if (native) {
    const { meta, spec } = envelope(doc, path, true, nativeMetadata, is);
    return keep(meta, nativeService(spec, `${path}.spec`, is), spec);
  }
  const { meta, spec } = envelope(doc, path, false, backstageMetadata, is);
  const s = backstageComponent(spec, `${path}.spec`, is);
  keep(meta, s && meta && { ...s, ...s.firebreak, repository: meta.annotations }, spec);
}

function readTeam(doc: Readonly<Record<string, unknown>>, native: boolean, acc: Parsed, is: Issues) {
  const path = `teams[${acc.teams.length}]`;
  const entry: Entry<Team> = { path, doc, name: null, value: null };
  acc.teams.push(entry);
  const { meta, spec } = envelope(doc, path, native, native ? nativeMetadata : backstageMetadata, is);
  entry.name = meta?.name ?? null;
  const source = native ? 'firebreak' : 'backstage';
  if (native) {
    const s = nativeTeam(spec, `${path}.spec`, is);
    if (meta && s) entry.value = { name: meta.name, title: meta.title ?? meta.name, ...s, source };
    return;
  }
  const s = backstageGroup(spec, `${path}.spec`, is);
  if (!meta || !s) return;
  const ns = meta.namespace;
  const members = [...new Set(s.members.map((m) => refName(m, ns)))].map((m): Member => ({ name: m, email: null }));
  const displayName = text(LIMITS.title)(rawAt(spec, ['profile', 'displayName']), '', new Issues());
  const { onCall } = s.firebreak;
  entry.value = {
    name: meta.name,
    title: meta.title ?? displayName ?? meta.name,
    members,
    ...s.firebreak,
    onCall: onCall && { ...onCall, order: onCall.order.map((who) => memberName(who, ns)) },
    source,
  };
}

/** A Group's on-call entry as a user reference (`li`, `user:payments/li`) in the Group's namespace. */
function memberName(who: string, ns: string): string {
  const r = parseRef(who);
  return r ? refName(r, ns) : who;
}

function readSystem(doc: Readonly<Record<string, unknown>>, acc: Parsed, is: Issues) {
  const path = `systems[${acc.systems.length}]`;
  const entry: Entry<System> = { path, doc, name: null, value: null };
  acc.systems.push(entry);
  const { meta, spec } = envelope(doc, path, false, backstageMetadata, is);
  const s = backstageSystem(spec, `${path}.spec`, is);
  entry.name = meta?.name ?? null;
  if (meta && s) entry.value = { name: meta.name, owner: ownerName(s.owner, meta.namespace) };
}

/** A schedule or an escalation policy: a name and a spec the paging model checks. */
function readPagingEntity<T extends { name: string }>(
  entries: Entry<T>[],
  kind: 'schedules' | 'escalationPolicies',
  spec: (v: unknown, path: string, is: Issues) => Omit<T, 'name'> | undefined,
  doc: Readonly<Record<string, unknown>>,
  is: Issues,
) {
  const path = `${kind}[${entries.length}]`;
  const entry: Entry<T> = { path, doc, name: null, value: null };
  entries.push(entry);
  const { meta, spec: raw } = envelope(doc, path, true, scheduleMetadata, is);
  const s = spec(raw, `${path}.spec`, is);
  entry.name = meta?.name ?? null;
  if (meta && s) entry.value = { name: meta.name, ...s } as T;
}

/** Raw `a.b.c` under an object, own properties only. */
function rawAt(o: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((v, k) => (isObj(v) ? own(v, k) : undefined), o);
}

/** Text from an entity Firebreak only lists: cut and scrubbed, so the stored catalog can always hold it. */
const shown = (v: unknown) => (typeof v === 'string' ? scrub(v.slice(0, LIMITS.name)) : null);

function ignore(doc: Readonly<Record<string, unknown>>, i: number, acc: Parsed, reason: string) {
  const n = shown(rawAt(doc, ['metadata', 'name']));
  const ns = shown(rawAt(doc, ['metadata', 'namespace']));
  acc.ignored.push({
    document: i,
    apiVersion: shown(own(doc, 'apiVersion')) ?? '',
    kind: shown(own(doc, 'kind')) ?? '',
    name: n !== null && ns !== null && ns.toLowerCase() !== DEFAULT_NAMESPACE ? `${ns}/${n}` : n,
    reason,
  });
}

// Backstage users are read leniently, for membership (spec.memberOf), emails and display names.
function readUser(doc: Readonly<Record<string, unknown>>, i: number, acc: Parsed) {
  const quiet = new Issues();
  const userName = name()(rawAt(doc, ['metadata', 'name']), '', quiet);
  const rawNs = rawAt(doc, ['metadata', 'namespace']);
  const ns = rawNs === undefined || rawNs === null ? DEFAULT_NAMESPACE : namespace()(rawNs, '', quiet);
  if (userName === undefined || ns === undefined) {
    return ignore(doc, i, acc, 'metadata.name or metadata.namespace is not a valid entity name');
  }
  const canonical = canonicalName(ns, userName);
  if (acc.users.some((u) => u.name === canonical)) return ignore(doc, i, acc, `User ${canonical} is listed earlier`);
  const mail = email(rawAt(doc, ['spec', 'profile', 'email']), '', quiet) ?? null;
  const title = text(LIMITS.title)(rawAt(doc, ['spec', 'profile', 'displayName']), '', quiet) ?? canonical;
  const refs = rawAt(doc, ['spec', 'memberOf']);
  const memberOf = (Array.isArray(refs) ? refs : []).flatMap((r: unknown) => {
    const written = ref(r, '', quiet);
    return written ? [refName(written, ns)] : [];
  });
  acc.users.push({ name: canonical, title, email: mail, memberOf });
}

function readDocument(doc: unknown, i: number, acc: Parsed, is: Issues) {
  const path = `documents[${i}]`;
  if (!isObj(doc)) return is.add(path, 'expected an object (one catalog entity)');
  const apiVersion = own(doc, 'apiVersion');
  const kind = own(doc, 'kind');
  for (const [key, v] of [['apiVersion', apiVersion], ['kind', kind]] as const) {
    if (typeof v !== 'string' || v.trim() === '') {
      return is.add(at(path, key), v === undefined || v === null ? 'is required' : 'expected a non-empty string');
    }
  }
  const [version, k] = [apiVersion as string, kind as string];
  if (version.startsWith('firebreak/')) {
    if (version !== FIREBREAK) return is.add(at(path, 'apiVersion'), `expected ${FIREBREAK}`);
    const role = NATIVE_KINDS.get(k);
    if (role === undefined) {
      return is.add(at(path, 'kind'), `expected one of ${[...NATIVE_KINDS.keys()].join(', ')} for ${FIREBREAK}`);
    }
    if (role === 'schedule') return readPagingEntity(acc.schedules, 'schedules', scheduleSpec, doc, is);
    if (role === 'escalation') return readPagingEntity(acc.escalationPolicies, 'escalationPolicies', escalationSpec, doc, is);
    return role === 'service' ? readService(doc, true, acc, is) : readTeam(doc, true, acc, is);
  }
  const role = BACKSTAGE.includes(version) ? BACKSTAGE_KINDS.get(k) : undefined;
  if (role === undefined) {
    const versions = STRICT_KINDS.get(k);
    if (versions) return is.add(at(path, 'apiVersion'), `expected ${versions.join(' or ')} for ${k}`);
    const reason =
      UNUSED_KINDS.get(k) ??
      (BACKSTAGE_KINDS.has(k)
        ? `Firebreak reads ${k} entities of ${BACKSTAGE.join(' or ')}`
        : `Firebreak does not read ${shown(k)} entities`);
    return ignore(doc, i, acc, reason);
  }
  switch (role) {
    case 'service':
      return readService(doc, false, acc, is);
    case 'team':
      return readTeam(doc, false, acc, is);
    case 'system':
      return readSystem(doc, acc, is);
    case 'user':
      return readUser(doc, i, acc);
  }
}

function uniqueNames(entries: Entry<unknown>[], is: Issues) {
  const first = new Map<string, string>();
  for (const e of entries) {
    if (e.name === null) continue;
    const earlier = first.get(e.name);
    if (earlier === undefined) first.set(e.name, e.path);
    else is.add(`${e.path}.metadata.name`, `duplicate name ${JSON.stringify(e.name)} (first at ${earlier})`);
  }
}

/**
 * A Group owner must be a team of the catalog to have an on-call rotation; one that is not is applied
 * with a warning (the Group may live in another catalog). A reference without a kind that names no
 * Group but a User of the catalog is that person.
 */
function resolveOwners(acc: Parsed, teamNames: Set<string>) {
  const userNames = new Set(acc.users.map((u) => u.name));
  for (const { path, value, owner: written } of acc.services) {
    if (value === null || written === undefined) continue;
    if (value.owner.startsWith('user:') || teamNames.has(value.owner)) continue;
    if (written.ref.kind === null && userNames.has(value.owner)) {
      value.owner = `user:${value.owner}`;
      continue;
    }
    const warning = {
      path: `${path}.spec.owner`,
      message: `${JSON.stringify(written.written)} is not in this catalog: nobody is on call for ${value.name}`,
    };
    value.warnings.push(warning);
    acc.warnings.push(warning);
  }
}

function crossCheck(acc: Parsed, is: Issues) {
  uniqueNames(acc.services, is);
  uniqueNames(acc.teams, is);
  uniqueNames(acc.systems, is);
  uniqueNames(acc.schedules, is);
  uniqueNames(acc.escalationPolicies, is);
  const teamNames = new Set(acc.teams.flatMap((t) => (t.name === null ? [] : [t.name])));
  const serviceNames = new Set(acc.services.flatMap((s) => (s.name === null ? [] : [s.name])));
  resolveOwners(acc, teamNames);
  for (const { value } of acc.services) {
    if (value !== null) value.external = value.dependsOn.filter((d) => !serviceNames.has(d));
  }

  for (const entry of acc.teams) {
    const team = entry.value;
    if (team === null) continue;
    const byName = new Map(team.members.map((m) => [m.name, m]));
    for (const u of acc.users) {
      const known = byName.get(u.name);
      if (known) known.email ??= u.email;
      else if (u.memberOf.includes(team.name)) byName.set(u.name, { name: u.name, email: u.email });
    }
    team.members = [...byName.values()];
    // Raw indices, so a path still points at the right entry when an earlier one was invalid.
    const extras = team.source === 'firebreak' ? ['spec', 'onCall'] : ['spec', 'firebreak', 'onCall'];
    const order = rawAt(entry.doc, [...extras, 'order']);
    if (team.onCall === null || !Array.isArray(order)) continue;
    const ns = team.name.includes('/') ? team.name.slice(0, team.name.indexOf('/')) : DEFAULT_NAMESPACE;
    order.forEach((who, j) => {
      if (typeof who === 'string' && !byName.has(team.source === 'firebreak' ? who : memberName(who, ns))) {
        const where = `${entry.path}.${extras.join('.')}.order[${j}]`;
        is.add(where, `${JSON.stringify(who)} is not a member of team ${team.name}`);
      }
    });
  }
  const people = cataloguedPeople(acc);
  checkSchedulePeople(acc, people, is);
  checkEscalationTargets(acc, teamNames, people, is);
}

/** Everyone the catalog lists: team members and Users. */
const cataloguedPeople = (acc: Parsed) =>
  new Set([...acc.users.map((u) => u.name), ...acc.teams.flatMap((t) => t.value?.members.map((m) => m.name) ?? [])]);

const notListed = (who: string) => `${JSON.stringify(who)} is not a member of any team or a User of this catalog`;

/**
 * An escalation policy pages schedules, teams and people of the catalog (people by the schedules' rule);
 * a service's policy must be one of the catalog's. A valid entry's steps and targets keep their indices.
 */
function checkEscalationTargets(acc: Parsed, teamNames: Set<string>, people: Set<string>, is: Issues) {
  const scheduleNames = new Set(acc.schedules.flatMap((s) => (s.name === null ? [] : [s.name])));
  const policyNames = new Set(acc.escalationPolicies.flatMap((p) => (p.name === null ? [] : [p.name])));
  for (const { path, value } of acc.escalationPolicies) {
    value?.steps.forEach((step, i) =>
      step.targets.forEach((t, j) => {
        const where = `${path}.spec.steps[${i}].targets[${j}]`;
        if ('schedule' in t && !scheduleNames.has(t.schedule)) {
          is.add(`${where}.schedule`, `${JSON.stringify(t.schedule)} is not a schedule of this catalog`);
        } else if ('team' in t && !teamNames.has(t.team)) {
          is.add(`${where}.team`, `${JSON.stringify(t.team)} is not a team of this catalog`);
        } else if ('person' in t && people.size > 0 && !people.has(t.person)) {
          is.add(`${where}.person`, notListed(t.person));
        }
      }),
    );
  }
  for (const { path, value } of acc.services) {
    const policy = value?.escalationPolicy;
    if (value === null || policy === null || policy === undefined || policyNames.has(policy)) continue;
    const field = value.source === 'firebreak' ? 'spec.escalationPolicy' : 'spec.firebreak.escalationPolicy';
    is.add(`${path}.${field}`, `${JSON.stringify(policy)} is not an escalation policy of this catalog`);
  }
}

/**
 * Who a schedule puts on call must be someone the catalog lists (a team member or a User), as a team's
 * rotation must name its members; a catalog that lists nobody cannot be checked, and is taken as written.
 */
function checkSchedulePeople(acc: Parsed, people: Set<string>, is: Issues) {
  if (people.size === 0) return;
  const check = (who: string, where: string) => {
    if (!people.has(who)) is.add(where, notListed(who));
  };
  for (const { path, value } of acc.schedules) {
    value?.layers.forEach((layer, i) => layer.members.forEach((who, j) => check(who, `${path}.spec.layers[${i}].members[${j}]`)));
    value?.overrides.forEach((o, i) => check(o.person, `${path}.spec.overrides[${i}].person`));
  }
}

/**
 * Validates a whole catalog (parsed YAML/JSON documents) and throws one validation error listing every
 * problem. Entities Firebreak does not read are listed in `ignored`; what it applies with a caveat, in `warnings`.
 */
export function validateCatalog(documents: readonly unknown[]): Catalog {
  const is = new Issues();
  if (documents.length > CATALOG_LIMITS.documents) {
    is.add('documents', `expected at most ${CATALOG_LIMITS.documents.toLocaleString('en-US')} documents`);
    is.throwIfAny(MESSAGE);
  }
  const acc: Parsed = {
    services: [],
    teams: [],
    systems: [],
    schedules: [],
    escalationPolicies: [],
    users: [],
    ignored: [],
    warnings: [],
  };
  documents.forEach((doc, i) => {
    if (doc !== null && doc !== undefined) readDocument(doc, i, acc, is);
  });
  if (documents.every((d) => d === null || d === undefined)) is.add('documents', 'the catalog has no documents');
  crossCheck(acc, is);
  is.throwIfAny(MESSAGE);
  const values = <T>(entries: Entry<T>[]) => entries.flatMap((e) => (e.value === null ? [] : [e.value]));
  return {
    services: values(acc.services),
    teams: values(acc.teams),
    systems: values(acc.systems),
    users: acc.users.map(({ memberOf: _, ...p }) => p),
    schedules: values(acc.schedules),
    escalationPolicies: values(acc.escalationPolicies),
    ignored: acc.ignored,
    warnings: acc.warnings,
  };
}
