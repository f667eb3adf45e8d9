import { type Check, str } from './check.js';
import { CATALOG_LIMITS, NAME_PATTERN } from './limits.js';

/** Backstage's namespace when an entity or a reference names none. */
export const DEFAULT_NAMESPACE = 'default';

const NAME = '[A-Za-z0-9]+(?:[-_.][A-Za-z0-9]+)*';
// Backstage namespaces are DNS labels; references are case-insensitive, so any case is read and lower-cased.
const NAMESPACE = '[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*';
const PART = `[^/]{1,${CATALOG_LIMITS.name}}`;
/** A namespace alone (1–63 characters), as an API path segment gives it. */
export const NAMESPACE_SOURCE = `^${NAMESPACE}$`;
/** An entity name alone (1–63 characters, Backstage's rule). */
export const ENTITY_NAME_SOURCE = `^${NAME}$`;
const NAMESPACE_PATTERN = new RegExp(NAMESPACE_SOURCE);

/**
 * The one rule for a service name wherever one is written (API paths, filters, bodies, CLI arguments,
 * catalog references): `name` or `namespace/name`, each part 1–63 characters by Backstage's rules.
 */
export const SERVICE_NAME_SOURCE = `^(?=(?:${PART}/)?${PART}$)(?:${NAMESPACE}/)?${NAME}$`;
const SERVICE_NAME_PATTERN = new RegExp(SERVICE_NAME_SOURCE);
/** The longest service name: namespace, slash, name. */
export const SERVICE_NAME_MAX = 2 * CATALOG_LIMITS.name + 1;
/** The service name rule in words. */
export const SERVICE_NAME_RULE =
  'a service name or namespace/name: 1–63 letters and digits each, in runs separated by - _ or . (only - in a namespace)';
/** The message for a service name that breaks the rule. */
export const SERVICE_NAME_HINT = `expected ${SERVICE_NAME_RULE}`;

/** An entity's name as Firebreak keeps it: `checkout` in the default namespace, `payments/checkout` in any other. */
export function canonicalName(namespace: string, name: string): string {
  const ns = namespace.toLowerCase();
  return ns === DEFAULT_NAMESPACE ? name : `${ns}/${name}`;
}

/** The canonical service name of `written` (`default/checkout` is `checkout`), or null when it breaks the rule. */
export function serviceName(written: string): string | null {
  if (!SERVICE_NAME_PATTERN.test(written)) return null;
  const slash = written.indexOf('/');
  return slash < 0 ? written : canonicalName(written.slice(0, slash), written.slice(slash + 1));
}

/** serviceName for a lookup: a name that breaks the rule is kept as given, and simply finds nothing. */
export const canonicalService = (written: string): string => serviceName(written) ?? written;

/** A service name as a checked field, answered canonical. */
export const service = (): Check<string> => {
  const text = str(SERVICE_NAME_MAX);
  return (v, path, is) => {
    const s = text(v, path, is);
    return s === undefined ? undefined : (serviceName(s) ?? is.add(path, SERVICE_NAME_HINT));
  };
};

/** A schedule, team or escalation policy named as the catalog keeps it (`name` or `namespace/name`), answered canonical. */
export const qualifiedName = (): Check<string> => {
  const text = str(SERVICE_NAME_MAX);
  return (v, path, is) => {
    const s = text(v, path, is);
    return s === undefined ? undefined : (serviceName(s) ?? is.add(path, 'expected a name or namespace/name'));
  };
};

/** A Backstage entity reference as written: kind and namespace are null when left out. */
export interface WrittenRef {
  kind: string | null;
  namespace: string | null;
  name: string;
}

const REF = /^(?:([A-Za-z][A-Za-z0-9]*):)?(?:([^:/]+)\/)?([^:/]+)$/;

/** `[kind:][namespace/]name`, kind and namespace lower-cased; null when any part breaks Backstage's rules. */
export function parseRef(written: string): WrittenRef | null {
  const m = REF.exec(written);
  const [, kind, namespace, name] = m ?? [];
  if (name === undefined || name.length > CATALOG_LIMITS.name || !NAME_PATTERN.test(name)) return null;
  if (namespace !== undefined && (namespace.length > CATALOG_LIMITS.name || !NAMESPACE_PATTERN.test(namespace))) {
    return null;
  }
  return { kind: kind?.toLowerCase() ?? null, namespace: namespace?.toLowerCase() ?? null, name };
}

/** The canonical name a reference points at, its namespace defaulting to the referring entity's. */
export const refName = (r: WrittenRef, namespace: string): string => canonicalName(r.namespace ?? namespace, r.name);

/** A namespace as `metadata.namespace` gives it, lower-cased. */
export const namespace = (): Check<string> => {
  const text = str(CATALOG_LIMITS.name, {
    pattern: NAMESPACE_PATTERN,
    hint: 'expected 1–63 letters and digits, in runs separated by -',
  });
  return (v, path, is) => text(v, path, is)?.toLowerCase();
};
