import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { notFound, validationError, type FieldError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import type { Caller } from './auth.js';
import type { ServiceDeps } from './deps.js';
import { INTEGRATION_TYPES, type IntegrationRecord, type IntegrationType } from './ports.js';

/**
 * HMAC-SHA256 replaces a key longer than its 64-byte block by the key's SHA-256, so for such a key
 * HMAC(key, m) = HMAC(sha256(key), m). Secrets of at least this many bytes can therefore be stored as
 * their hash, as every other credential is, and still verify GitHub's and Grafana's signatures.
 */
export const MIN_SECRET_BYTES = 65;
const MAX_CREDENTIAL_LENGTH = 512;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

export interface IntegrationView {
  id: string;
  type: IntegrationType;
  name: string;
  createdAt: string;
  revokedAt: string | null;
}

/** What creating an integration answers: the credential the sender needs, shown this once. */
export interface CreatedIntegration extends IntegrationView {
  token?: string;
  routingKey?: string;
  apiKey?: string;
  secret?: string;
}

const view = (i: IntegrationRecord): IntegrationView => ({
  id: i.id,
  type: i.type,
  name: i.name,
  createdAt: i.createdAt,
  revokedAt: i.revokedAt,
});

/**
 * Creates a sender's credentials: a bearer token for Alertmanager, Grafana and generic
 * senders, a 32-character routing key for PagerDuty senders, an API key for Opsgenie senders, an HMAC
 * secret for GitHub (given, or generated). Grafana may also be given a secret, and then must sign every request.
 */
export async function createIntegration(
  deps: ServiceDeps,
  input: { type: IntegrationType; name: string; secret?: string },
): Promise<CreatedIntegration> {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (name === '' || name.length > LIMITS.name) {
    errors.push({ path: 'body.name', message: `must be 1 to ${LIMITS.name} characters` });
  }
  if (!(INTEGRATION_TYPES as readonly string[]).includes(input.type)) {
    errors.push({ path: 'body.type', message: `expected one of ${INTEGRATION_TYPES.join(', ')}` });
  }
  const takesSecret = input.type === 'github' || input.type === 'grafana';
  if (input.secret !== undefined) {
    const bytes = Buffer.byteLength(input.secret);
    if (!takesSecret) {
      errors.push({ path: 'body.secret', message: 'only github and grafana integrations take a secret' });
    } else if (bytes < MIN_SECRET_BYTES || bytes > MAX_CREDENTIAL_LENGTH) {
      errors.push({
        path: 'body.secret',
        message: `must be ${MIN_SECRET_BYTES} to ${MAX_CREDENTIAL_LENGTH} bytes, so that only its hash is stored; or omit it to have one generated`,
      });
    }
  }
  if (errors.length > 0) throw validationError(errors);

  const token = ['pagerduty', 'opsgenie', 'github'].includes(input.type) ? undefined : `fbi_${randomBytes(32).toString('base64url')}`;
  const routingKey = input.type === 'pagerduty' ? randomBytes(16).toString('hex') : undefined;
  // Shaped as Opsgenie's keys are (a UUID, 122 random bits), for senders that check the shape.
  const apiKey = input.type === 'opsgenie' ? randomUUID() : undefined;
  const secret = input.type === 'github' ? (input.secret ?? randomBytes(48).toString('hex')) : input.secret;
  const bearer = token ?? apiKey;
  const record: IntegrationRecord = {
    id: deps.ids.next(),
    type: input.type,
    name,
    tokenHash: bearer === undefined ? null : sha256(bearer),
    routingKeyHash: routingKey === undefined ? null : sha256(routingKey),
    secretHash: secret === undefined ? null : sha256(secret),
    createdAt: deps.clock.now(),
    revokedAt: null,
  };
  await deps.store.createIntegration(record);
  deps.log.info({ integrationId: record.id, type: record.type, name }, 'integration created');
  return {
    ...view(record),
    ...(token !== undefined && { token }),
    ...(routingKey !== undefined && { routingKey }),
    ...(apiKey !== undefined && { apiKey }),
    ...(secret !== undefined && { secret }),
  };
}

export async function listIntegrations(deps: ServiceDeps): Promise<IntegrationView[]> {
  return (await deps.store.listIntegrations()).map(view);
}

export async function revokeIntegration(deps: ServiceDeps, id: string): Promise<void> {
  known.get(deps.store)?.clear();
  if (!(await deps.store.revokeIntegration(id, deps.clock.now()))) {
    throw notFound(`Integration ${id} does not exist or is already revoked.`);
  }
  deps.log.info({ integrationId: id }, 'integration revoked');
}

/**
 * Live integrations recently seen, by token hash: a sender posts many times a second, and the lookup
 * was a fifth of a webhook's cost. Only hits are kept, for KNOWN_FOR_MS; a revocation clears this
 * instance's entries at once, and reaches other instances within KNOWN_FOR_MS.
 */
const KNOWN_FOR_MS = 2_000;
const KNOWN_MAX = 1_000;
const known = new WeakMap<object, Map<string, { integration: IntegrationRecord; until: number }>>();

/** A live integration of one of `types` whose bearer token this is. */
export async function integrationForToken(
  deps: ServiceDeps,
  types: readonly IntegrationType[],
  token: string,
): Promise<IntegrationRecord | undefined> {
  if (token.length === 0 || token.length > MAX_CREDENTIAL_LENGTH) return undefined;
  const hash = sha256(token);
  let cache = known.get(deps.store);
  if (!cache) known.set(deps.store, (cache = new Map()));
  const now = Date.now();
  const hit = cache.get(hash);
  let found = hit && hit.until > now ? hit.integration : undefined;
  if (!found) {
    found = await deps.store.findIntegrationBy('tokenHash', hash);
    if (found) {
      if (cache.size >= KNOWN_MAX) cache.clear();
      cache.set(hash, { integration: found, until: now + KNOWN_FOR_MS });
    }
  }
  return found && types.includes(found.type) ? found : undefined;
}

/** The live PagerDuty integration of a routing key. */
export async function integrationForRoutingKey(
  deps: ServiceDeps,
  routingKey: string,
): Promise<IntegrationRecord | undefined> {
  if (routingKey.length === 0 || routingKey.length > MAX_CREDENTIAL_LENGTH) return undefined;
  const found = await deps.store.findIntegrationBy('routingKeyHash', sha256(routingKey));
  return found?.type === 'pagerduty' ? found : undefined;
}

/** The live Opsgenie integration of an API key (`Authorization: GenieKey <apiKey>`); stored like a token. */
export const integrationForApiKey = (deps: ServiceDeps, apiKey: string) => integrationForToken(deps, ['opsgenie'], apiKey);

/**
 * True when `signatureHex` is HMAC-SHA256 of `body` under the secret whose SHA-256 is `secretHash`
 * (see MIN_SECRET_BYTES); compared in constant time, and false for anything that is not 64 hex digits.
 */
export function verifySignature(secretHash: string, body: Buffer, signatureHex: string): boolean {
  if (!/^[0-9a-f]{64}$/i.test(signatureHex)) return false;
  const expected = createHmac('sha256', Buffer.from(secretHash, 'hex')).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(signatureHex, 'hex'));
}

/** The actor recorded on what a sender does: `integration:<name>`. */
export const integrationActor = (i: Pick<IntegrationRecord, 'name'>) => `integration:${i.name}`;

/** A sender as a caller: integrations act with the ingest role. */
export const integrationCaller = (i: IntegrationRecord): Caller => ({
  id: i.id,
  kind: 'token',
  name: i.name,
  role: 'ingest',
  actor: integrationActor(i),
});
