import { validationError } from '../errors.js';
import { LIMITS } from '../limits.js';
import {
  array,
  type Check,
  isObj,
  isoTime,
  link,
  type Obj,
  object,
  oneOf,
  opt,
  own,
  parseOrThrow,
  refine,
  str,
  url,
  unsafe,
} from '../catalog/check.js';
import { CATALOG_LIMITS } from '../catalog/limits.js';
import { service as serviceField, SERVICE_NAME_MAX, serviceName } from '../catalog/names.js';
import { type ConfigDelta, DEPLOY_STATUSES, type Deploy, type ResolveService } from './types.js';

/** A config value as senders write it: text, a number or a boolean, kept as text; null when absent. */
const configValue: Check<string | null> = (v, path, is) =>
  typeof v === 'number' || typeof v === 'boolean' ? String(v) : str(LIMITS.reason)(v, path, is);

const deltaFields = object({ key: str(CATALOG_LIMITS.configKey), from: opt(configValue), to: opt(configValue) });
const configDelta: Check<ConfigDelta> = (v, path, is) => {
  const d = deltaFields(v, path, is);
  if (d === undefined || !isObj(v)) return undefined;
  const given = (k: string) => own(v, k) !== undefined && own(v, k) !== null;
  return given('from') || given('to') ? d : is.add(path, 'give from, to or both');
};

const text = (max: number) => opt(str(max));

const firebreakDeploy = object({
  externalId: text(CATALOG_LIMITS.externalId),
  service: serviceField(),
  environment: opt(str(CATALOG_LIMITS.environment), 'production'),
  version: text(CATALOG_LIMITS.version),
  commitSha: opt(
    str(CATALOG_LIMITS.commitSha, { pattern: /^[0-9a-f]{7,64}$/i, hint: 'expected a commit SHA: 7 to 64 hex digits' }),
  ),
  status: oneOf(DEPLOY_STATUSES),
  startedAt: isoTime(),
  finishedAt: opt(isoTime()),
  actor: text(LIMITS.person),
  url: opt(url()),
  previousVersion: text(CATALOG_LIMITS.version),
  configDeltas: opt(array(configDelta, CATALOG_LIMITS.configDeltas, { unique: 'key' }), []),
});

const firebreakRules = refine(firebreakDeploy, (d) => {
  if (d.finishedAt !== null && d.finishedAt < d.startedAt) {
    return { path: 'finishedAt', message: 'must not be before startedAt' };
  }
  if (d.version === null && d.configDeltas.length === 0) {
    return {
      path: 'version',
      message: 'is required: give the version deployed, or the configDeltas of a config change',
    };
  }
  return null;
});

/**
 * Firebreak's own deploy JSON (strict: unknown fields are refused). `startedAt` defaults to
 * `receivedAt` when given; `externalId` defaults to a stable `firebreak:<service>:<environment>:<startedAt>`.
 */
export function parseFirebreakDeploy(body: unknown, receivedAt?: string): Deploy {
  const filled =
    isObj(body) && own(body, 'startedAt') === undefined && receivedAt ? { ...body, startedAt: receivedAt } : body;
  const d = parseOrThrow(firebreakRules, filled, 'body', 'The deploy is not valid.');
  return {
    ...d,
    externalId: d.externalId ?? `firebreak:${d.service}:${d.environment}:${d.startedAt}`,
    source: 'firebreak',
  };
}

/**
 * A short text read leniently from a peer's free-form object: strings and numbers, else null. Text that
 * cannot be stored (`unsafe`) reads as missing, like an over-long one.
 */
export function detail(o: unknown, keys: readonly string[], max: number = LIMITS.shortText): string | null {
  if (!isObj(o)) return null;
  for (const key of keys) {
    const v = own(o, key);
    const s = typeof v === 'number' && Number.isFinite(v) ? String(v) : typeof v === 'string' ? v.trim() : '';
    if (s !== '' && s.length <= max && unsafe(s) === null) return s;
  }
  return null;
}

const pagerDutyChange = object(
  {
    routing_key: str(64),
    payload: object(
      {
        summary: str(CATALOG_LIMITS.summary),
        source: opt(str(255)),
        timestamp: opt(isoTime()),
        custom_details: opt((v, path, is) => (isObj(v) ? v : is.add(path, 'expected an object')) as Obj | undefined),
      },
      false,
    ),
    links: opt(array(object({ href: opt(link) }, false), 50), []),
  },
  false,
);

/**
 * A PagerDuty Change Event (`POST /v2/change/enqueue`) as a succeeded deploy. The service is
 * `custom_details.service`, else `resolveService(payload.source)`; a change Firebreak cannot place
 * is refused, so the sending pipeline's log shows why. `receivedAt` stands in for a missing timestamp.
 */
export function parsePagerDutyChange(body: unknown, resolveService: ResolveService, receivedAt: string): Deploy {
  const e = parseOrThrow(pagerDutyChange, body, 'body', 'The change event is not valid.');
  const details = e.payload.custom_details;
  const named = detail(details, ['service'], SERVICE_NAME_MAX);
  const resolved = named ?? (e.payload.source ? resolveService(e.payload.source) : null);
  const service = resolved === null ? null : serviceName(resolved);
  if (service === null) {
    const source = e.payload.source ? ` or map payload.source ${JSON.stringify(e.payload.source)} to a service` : '';
    throw validationError(
      [{ path: 'body.payload.custom_details.service', message: `is required: name the service here${source}` }],
      'The change event names no known service.',
    );
  }
  const at = e.payload.timestamp ?? receivedAt;
  return {
    // No routing key in the id: it is the sender's credential.
    externalId: `pagerduty:${service}:${at}:${e.payload.summary}`,
    source: 'pagerduty',
    service,
    environment: detail(details, ['environment', 'env'], CATALOG_LIMITS.environment) ?? 'production',
    version: detail(details, ['version'], CATALOG_LIMITS.version),
    commitSha: detail(details, ['sha', 'commit', 'commitSha', 'commit_sha'], CATALOG_LIMITS.commitSha),
    status: 'succeeded',
    startedAt: at,
    finishedAt: at,
    actor: detail(details, ['actor', 'user', 'author'], LIMITS.person),
    url: e.links.map((l) => l.href).find((h) => h !== null) ?? null,
    previousVersion: detail(details, ['previousVersion', 'previous_version'], CATALOG_LIMITS.version),
    configDeltas: [],
  };
}

/** Deploy-level view of one more report about the same deploy: a late "started" never undoes an outcome. */
export function mergeDeploy(previous: Deploy, update: Deploy): Deploy {
  const keepOutcome = update.status === 'started' && previous.status !== 'started';
  const pick = <K extends keyof Deploy>(k: K) => update[k] ?? previous[k];
  return {
    ...update,
    status: keepOutcome ? previous.status : update.status,
    startedAt: previous.startedAt < update.startedAt ? previous.startedAt : update.startedAt,
    finishedAt: keepOutcome ? previous.finishedAt : pick('finishedAt'),
    version: pick('version'),
    commitSha: pick('commitSha'),
    actor: pick('actor'),
    url: pick('url'),
    previousVersion: pick('previousVersion'),
    configDeltas: update.configDeltas.length ? update.configDeltas : previous.configDeltas,
  };
}
