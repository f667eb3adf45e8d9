import { LEVER_KINDS } from '../incident/types.js';
import { LIMITS } from '../limits.js';
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
  str,
  tagged,
  text,
  url,
} from './check.js';
import { CATALOG_LIMITS, NAME_PATTERN } from './limits.js';
import {
  type AlertMatcher,
  type Catalog,
  FAIL_MODES,
  type IgnoredEntity,
  type Member,
  ROTATIONS,
  type Service,
  type System,
  type Team,
  type Tier,
  WEBHOOK_METHODS,
  type WebhookMethod,
} from './types.js';

/*
 * Error paths: a document whose envelope (apiVersion, kind) is not understood is `documents[i]`;
 * every other one is addressed by its index among the entities of its kind, in file order:
 * `services[k]` (Service, Component), `teams[k]` (Team, Group), `systems[k]` (System).
 */

const MESSAGE = 'The catalog is not valid.';
const FIREBREAK = 'firebreak/v1';

type Role = 'service' | 'team' | 'system' | 'user' | 'ignore';
const BACKSTAGE_KINDS = new Map<string, Role>([
  ['Component', 'service'],
  ['Group', 'team'],
  ['System', 'system'],
  ['User', 'user'],
  ...['API', 'Resource', 'Domain', 'Location', 'Template'].map((k) => [k, 'ignore'] as [string, Role]),
]);
const API_VERSIONS = new Map<string, Map<string, Role>>([
  [
    FIREBREAK,
    new Map<string, Role>([
      ['Service', 'service'],
      ['Team', 'team'],
    ]),
  ],
  ['backstage.io/v1alpha1', BACKSTAGE_KINDS],
  ['backstage.io/v1beta1', BACKSTAGE_KINDS],
  ['scaffolder.backstage.io/v1beta3', new Map<string, Role>([['Template', 'ignore']])],
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

const lever = object({
  name: name(),
  kind: oneOf(LEVER_KINDS),
  failClosed: opt(bool(), false),
  preservesData: opt(bool(), false),
  action: tagged('type', {
    webhook: object({
      type: oneOf(['webhook']),
      url: url(),
      method: opt(oneOf(WEBHOOK_METHODS), 'POST' as WebhookMethod),
    }),
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
};

const TEAM_EXTRAS = {
  onCall: opt(
    object({
      rotation: oneOf(ROTATIONS),
      startsAt: isoTime(),
      order: array(person, CATALOG_LIMITS.members, { min: 1 }),
    }),
  ),
  notify: opt(
    array(
      tagged('type', {
        slack: object({ type: oneOf(['slack']), url: url() }),
        webhook: object({ type: oneOf(['webhook']), url: url() }),
        email: object({ type: oneOf(['email']), address: email }),
      }),
      CATALOG_LIMITS.notify,
    ),
    [],
  ),
};

const serviceExtras = object(SERVICE_EXTRAS);
const teamExtras = object(TEAM_EXTRAS);
const SERVICE_DEFAULTS = defaultsOf(serviceExtras);
const TEAM_DEFAULTS = defaultsOf(teamExtras);

/** `[kind:][namespace/]name` → name; Backstage refs such as `group:default/payments` or `resource:orders-db`. */
const ref: Check<string> = (v, path, is) => {
  const s = str(255)(v, path, is);
  if (s === undefined) return undefined;
  const m = /^(?:[A-Za-z][A-Za-z0-9]*:)?(?:[^:/]+\/)?([^:/]+)$/.exec(s);
  return m?.[1] !== undefined && m[1].length <= CATALOG_LIMITS.name && NAME_PATTERN.test(m[1])
    ? m[1]
    : is.add(path, 'expected an entity reference like group:default/payments or a name');
};

const SLUG = 'github.com/project-slug';
const annotations: Check<string | null> = (v, path, is) => {
  if (!isObj(v)) return is.add(path, 'expected an object');
  const slug = own(v, SLUG);
  return slug === undefined || slug === null ? null : repository(slug, at(path, SLUG), is);
};

const NATIVE_ENVELOPE = ['apiVersion', 'kind', 'metadata', 'spec'];
const nativeMetadata = object({
  name: name(),
  title: opt(text(LIMITS.title)),
  description: opt(text(LIMITS.text)),
});
const backstageMetadata = object(
  { name: name(), title: opt(text(LIMITS.title)), description: opt(text(LIMITS.text)), annotations: opt(annotations) },
  false,
);

const nativeService = object({
  owner: name(),
  system: opt(name()),
  lifecycle: opt(name()),
  repository: opt(repository),
  dependsOn: opt(array(name(), CATALOG_LIMITS.dependsOn), []),
  ...SERVICE_EXTRAS,
});
const backstageComponent = object(
  {
    owner: ref,
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
const backstageSystem = object({ owner: ref }, false);

interface Entry<T> {
  path: string;
  doc: Readonly<Record<string, unknown>>;
  name: string | null;
  value: T | null;
}

interface Parsed {
  services: Entry<Service>[];
  teams: Entry<Team>[];
  systems: Entry<System>[];
  users: { name: string; email: string | null; memberOf: string[] }[];
  ignored: IgnoredEntity[];
}

function envelope<M>(
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
  return { meta, spec: own(doc, 'spec') ?? {} };
}

type ServiceFields = Omit<Service, 'name' | 'title' | 'description' | 'external' | 'source'>;

function toService(
  meta: { name: string; title: string | null; description: string | null },
  f: ServiceFields,
  source: Service['source'],
): Service {
  return {
    name: meta.name,
    title: meta.title ?? meta.name,
    description: meta.description,
    owner: f.owner,
    tier: f.tier,
    public: f.public,
    system: f.system,
    lifecycle: f.lifecycle,
    repository: f.repository,
    dependsOn: [...new Set(f.dependsOn)],
    external: [],
    slo: f.slo,
    flows: f.flows,
    unsupportedFlows: f.unsupportedFlows,
    coexistence: f.coexistence,
    alertMatchers: f.alertMatchers,
    runbook: f.runbook,
    levers: f.levers,
    source,
  };
}

function readService(doc: Readonly<Record<string, unknown>>, native: boolean, acc: Parsed, is: Issues) {
  const path = `services[${acc.services.length}]`;
  const entry: Entry<Service> = { path, doc, name: null, value: null };
  acc.services.push(entry);
  if (native) {
    const { meta, spec } = envelope(doc, path, true, nativeMetadata, is);
    const s = nativeService(spec, `${path}.spec`, is);
    entry.name = meta?.name ?? null;
    if (meta && s) entry.value = toService(meta, s, 'firebreak');
    return;
  }
  const { meta, spec } = envelope(doc, path, false, backstageMetadata, is);
  const s = backstageComponent(spec, `${path}.spec`, is);
  entry.name = meta?.name ?? null;
  if (meta && s) entry.value = toService(meta, { ...s, ...s.firebreak, repository: meta.annotations }, 'backstage');
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
  const members = [...new Set(s.members)].map((m): Member => ({ name: m, email: null }));
  entry.value = { name: meta.name, title: meta.title ?? meta.name, members, ...s.firebreak, source };
}

function readSystem(doc: Readonly<Record<string, unknown>>, acc: Parsed, is: Issues) {
  const path = `systems[${acc.systems.length}]`;
  const entry: Entry<System> = { path, doc, name: null, value: null };
  acc.systems.push(entry);
  const { meta, spec } = envelope(doc, path, false, backstageMetadata, is);
  const s = backstageSystem(spec, `${path}.spec`, is);
  entry.name = meta?.name ?? null;
  if (meta && s) entry.value = { name: meta.name, owner: s.owner };
}

/** Raw `a.b.c` under an object, own properties only. */
function rawAt(o: unknown, keys: readonly string[]): unknown {
  return keys.reduce<unknown>((v, k) => (isObj(v) ? own(v, k) : undefined), o);
}

// Backstage users are read leniently and only to learn team membership (User.spec.memberOf).
function readUser(doc: Readonly<Record<string, unknown>>, acc: Parsed) {
  const quiet = new Issues();
  const userName = name()(rawAt(doc, ['metadata', 'name']), '', quiet);
  if (userName === undefined) return;
  const mail = email(rawAt(doc, ['spec', 'profile', 'email']), '', quiet) ?? null;
  const refs = rawAt(doc, ['spec', 'memberOf']);
  const memberOf = (Array.isArray(refs) ? refs : []).flatMap((r: unknown) => ref(r, '', quiet) ?? []);
  acc.users.push({ name: userName, email: mail, memberOf });
}

function readDocument(doc: unknown, i: number, acc: Parsed, is: Issues) {
  const path = `documents[${i}]`;
  if (!isObj(doc)) return is.add(path, 'expected an object (one catalog entity)');
  const apiVersion = own(doc, 'apiVersion');
  const kind = own(doc, 'kind');
  const kinds = typeof apiVersion === 'string' ? API_VERSIONS.get(apiVersion) : undefined;
  if (kinds === undefined || typeof apiVersion !== 'string') {
    const expected = `expected one of ${[...API_VERSIONS.keys()].join(', ')}`;
    return is.add(at(path, 'apiVersion'), apiVersion === undefined ? 'is required' : expected);
  }
  const role = typeof kind === 'string' ? kinds.get(kind) : undefined;
  if (role === undefined || typeof kind !== 'string') {
    const expected = `expected one of ${[...kinds.keys()].join(', ')} for ${apiVersion}`;
    return is.add(at(path, 'kind'), kind === undefined ? 'is required' : expected);
  }
  const native = apiVersion === FIREBREAK;
  switch (role) {
    case 'service':
      return readService(doc, native, acc, is);
    case 'team':
      return readTeam(doc, native, acc, is);
    case 'system':
      return readSystem(doc, acc, is);
    case 'user':
      return readUser(doc, acc);
    case 'ignore': {
      const n = rawAt(doc, ['metadata', 'name']);
      acc.ignored.push({ document: i, apiVersion, kind, name: typeof n === 'string' ? n.slice(0, LIMITS.name) : null });
    }
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

function crossCheck(acc: Parsed, is: Issues) {
  uniqueNames(acc.services, is);
  uniqueNames(acc.teams, is);
  uniqueNames(acc.systems, is);
  const teamNames = new Set(acc.teams.flatMap((t) => (t.name === null ? [] : [t.name])));
  const serviceNames = new Set(acc.services.flatMap((s) => (s.name === null ? [] : [s.name])));

  for (const { path, value } of acc.services) {
    if (value === null) continue;
    if (!teamNames.has(value.owner)) {
      is.add(`${path}.spec.owner`, `${JSON.stringify(value.owner)} names no Team in the catalog`);
    }
    value.external = value.dependsOn.filter((d) => !serviceNames.has(d));
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
    order.forEach((who, j) => {
      if (typeof who === 'string' && !byName.has(who)) {
        const where = `${entry.path}.${extras.join('.')}.order[${j}]`;
        is.add(where, `${JSON.stringify(who)} is not a member of team ${team.name}`);
      }
    });
  }
}

/** Validates a whole catalog (parsed YAML/JSON documents) and throws one validation error listing every problem. */
export function validateCatalog(documents: readonly unknown[]): Catalog {
  const is = new Issues();
  if (documents.length > CATALOG_LIMITS.documents) {
    is.add('documents', `expected at most ${CATALOG_LIMITS.documents.toLocaleString('en-US')} documents`);
    is.throwIfAny(MESSAGE);
  }
  const acc: Parsed = { services: [], teams: [], systems: [], users: [], ignored: [] };
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
    ignored: acc.ignored,
  };
}
