import { createHash, randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { FirebreakError, isFirebreakError, notFound, validationError, type FieldError } from '../domain/errors.js';
import { LIMITS } from '../domain/limits.js';
import type { ServiceDeps } from './deps.js';
import type { Principal, TokenRecord, UserRecord } from './ports.js';
import { SYSTEM_ACTOR } from './release-boundary.js';

export const PRINCIPAL_ROLES = ['admin', 'responder', 'viewer', 'ingest'] as const satisfies readonly Principal[];

/** Who is calling: a bearer token or a signed-in user, with the role that decides what they may do. */
export interface Caller {
  id: string;
  kind: 'token' | 'user';
  name: string;
  role: Principal;
  /** The name recorded on events: the username, or `token:<name>`. */
  actor: string;
}

export interface TokenView {
  id: string;
  name: string;
  role: Principal;
  createdAt: string;
  revokedAt: string | null;
}

export interface UserView {
  id: string;
  username: string;
  role: Principal;
  createdAt: string;
}

export const SESSION_HOURS = 12;
export const USERNAME_PATTERN = /^[a-z0-9._-]{1,64}$/;
/** Usernames that read as Firebreak itself, or as the `token:` and `integration:` actors, on a timeline. */
export const RESERVED_USERNAMES = [SYSTEM_ACTOR, 'system', 'token', 'integration'] as const;
const BOOTSTRAP_NAME = 'bootstrap-admin';
const MAX_SECRET_LENGTH = 512;

const SCRYPT = { N: 16_384, r: 8, p: 1, keyLength: 32, saltBytes: 16 } as const;

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const secret = (prefix: string) => prefix + randomBytes(32).toString('base64url');
const unauthorized = (message: string) => new FirebreakError('unauthorized', message);

function scryptAsync(password: string, salt: Buffer, keyLength: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keyLength, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** Hashes a password as `scrypt$N$r$p$salt$hash` (base64url salt and hash). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(SCRYPT.saltBytes);
  const { N, r, p } = SCRYPT;
  const key = await scryptAsync(password, salt, SCRYPT.keyLength, { N, r, p });
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

/** True when the password matches the encoded hash; compares in constant time. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$');
  if (scheme !== 'scrypt' || !n || !r || !p || salt === undefined || hash === undefined) return false;
  const expected = Buffer.from(hash, 'base64url');
  const opts = { N: Number(n), r: Number(r), p: Number(p), maxmem: 64 * 1024 * 1024 };
  const actual = await scryptAsync(password, Buffer.from(salt, 'base64url'), expected.length || SCRYPT.keyLength, opts);
  return expected.length === actual.length && timingSafeEqual(expected, actual);
}

// Unknown users are checked against this hash so a wrong username costs as much as a wrong password.
const DUMMY_HASH = `scrypt$${SCRYPT.N}$${SCRYPT.r}$${SCRYPT.p}$${'A'.repeat(22)}$${'A'.repeat(43)}`;

const tokenView = (t: TokenRecord): TokenView => ({
  id: t.id,
  name: t.name,
  role: t.role,
  createdAt: t.createdAt,
  revokedAt: t.revokedAt,
});

const userView = (u: UserRecord): UserView => ({ id: u.id, username: u.username, role: u.role, createdAt: u.createdAt });

function assertRole(role: string, errors: FieldError[]): void {
  if (!(PRINCIPAL_ROLES as readonly string[]).includes(role)) {
    errors.push({ path: 'body.role', message: `must be one of ${PRINCIPAL_ROLES.join(', ')}` });
  }
}

/** Creates a bearer token; the secret is in the answer only, the store keeps its sha256. */
export async function createToken(
  deps: ServiceDeps,
  input: { name: string; role: Principal },
  presetSecret?: string,
): Promise<TokenView & { token: string }> {
  const errors: FieldError[] = [];
  const name = input.name.trim();
  if (name === '' || name.length > LIMITS.name) {
    errors.push({ path: 'body.name', message: `must be 1 to ${LIMITS.name} characters` });
  }
  assertRole(input.role, errors);
  if (errors.length > 0) throw validationError(errors);
  const token = presetSecret ?? secret('fb_');
  const record: TokenRecord = {
    id: deps.ids.next(),
    name,
    role: input.role,
    hash: sha256(token),
    createdAt: deps.clock.now(),
    revokedAt: null,
  };
  await deps.store.createToken(record);
  deps.log.info({ tokenId: record.id, name, role: record.role }, 'token created');
  return { ...tokenView(record), token };
}

/** The caller a bearer token stands for; undefined when it is unknown or revoked. */
export async function authenticateBearer(deps: ServiceDeps, token: string): Promise<Caller | undefined> {
  if (token.length === 0 || token.length > MAX_SECRET_LENGTH) return undefined;
  const t = await deps.store.findTokenByHash(sha256(token));
  if (!t || t.revokedAt !== null) return undefined;
  return { id: t.id, kind: 'token', name: t.name, role: t.role, actor: `token:${t.name}` };
}

/** Every token, without secrets or hashes. */
export async function listTokens(deps: ServiceDeps): Promise<TokenView[]> {
  return (await deps.store.listTokens()).map(tokenView);
}

/** Revokes a live token; not_found when there is none with that id. */
export async function revokeToken(deps: ServiceDeps, id: string): Promise<void> {
  if (!(await deps.store.revokeToken(id, deps.clock.now()))) throw notFound(`Token ${id} does not exist.`);
  deps.log.info({ tokenId: id }, 'token revoked');
}

/** Creates a user who signs in with a password; conflict when the username is taken. */
export async function createUser(
  deps: ServiceDeps,
  input: { username: string; password: string; role: Principal },
): Promise<UserView> {
  const errors: FieldError[] = [];
  if (!USERNAME_PATTERN.test(input.username)) {
    errors.push({ path: 'body.username', message: 'must be 1 to 64 of a-z, 0-9, ".", "_" and "-"' });
  } else if ((RESERVED_USERNAMES as readonly string[]).includes(input.username)) {
    errors.push({ path: 'body.username', message: `is reserved for Firebreak itself (${RESERVED_USERNAMES.join(', ')})` });
  }
  const { min, max } = LIMITS.password;
  if (input.password.length < min || input.password.length > max) {
    errors.push({ path: 'body.password', message: `must be ${min} to ${max} characters` });
  }
  assertRole(input.role, errors);
  if (errors.length > 0) throw validationError(errors);
  const record: UserRecord = {
    id: deps.ids.next(),
    username: input.username,
    role: input.role,
    passwordHash: await hashPassword(input.password),
    createdAt: deps.clock.now(),
    disabledAt: null,
  };
  await deps.store.createUser(record);
  deps.log.info({ userId: record.id, username: record.username, role: record.role }, 'user created');
  return userView(record);
}

/** Every user, without password hashes. */
export async function listUsers(deps: ServiceDeps): Promise<UserView[]> {
  return (await deps.store.listUsers()).map(userView);
}

/** Checks a password and opens a 12-hour session; the same error for a wrong user or password. */
export async function signIn(
  deps: ServiceDeps,
  username: string,
  password: string,
): Promise<{ sessionToken: string; user: UserView; expiresAt: string }> {
  const user = USERNAME_PATTERN.test(username) ? await deps.store.findUserByUsername(username) : undefined;
  const live = user !== undefined && user.disabledAt === null;
  const ok = await verifyPassword(password.slice(0, LIMITS.password.max), live ? user.passwordHash : DUMMY_HASH);
  if (!live || !ok) throw unauthorized('Wrong username or password.');
  const sessionToken = secret('fbs_');
  const createdAt = deps.clock.now();
  const expiresAt = new Date(Date.parse(createdAt) + SESSION_HOURS * 3_600_000).toISOString();
  await deps.store.createSession({ idHash: sha256(sessionToken), userId: user.id, createdAt, expiresAt });
  deps.log.info({ userId: user.id, username: user.username }, 'signed in');
  return { sessionToken, user: userView(user), expiresAt };
}

/** True when a user has this name: what logs may show of a refused sign-in, never text typed in its place. */
export async function isUsername(deps: ServiceDeps, username: string): Promise<boolean> {
  return USERNAME_PATTERN.test(username) && (await deps.store.findUserByUsername(username)) !== undefined;
}

/** The signed-in user a session cookie stands for; undefined when unknown, expired or disabled. */
export async function resolveSession(deps: ServiceDeps, sessionToken: string): Promise<Caller | undefined> {
  if (sessionToken.length === 0 || sessionToken.length > MAX_SECRET_LENGTH) return undefined;
  const idHash = sha256(sessionToken);
  const session = await deps.store.findSession(idHash);
  if (!session) return undefined;
  if (Date.parse(session.expiresAt) <= Date.parse(deps.clock.now())) {
    await deps.store.deleteSession(idHash);
    return undefined;
  }
  const user = await deps.store.findUserById(session.userId);
  if (!user || user.disabledAt !== null) return undefined;
  return { id: user.id, kind: 'user', name: user.username, role: user.role, actor: user.username };
}

/** Ends a session; unknown sessions are ignored. */
export async function signOut(deps: ServiceDeps, sessionToken: string): Promise<void> {
  if (sessionToken.length === 0 || sessionToken.length > MAX_SECRET_LENGTH) return;
  await deps.store.deleteSession(sha256(sessionToken));
}

/**
 * Makes sure someone can administer the server. With a token from the environment, that token exists;
 * otherwise, when there is no admin at all, a new admin token is created and its secret returned once.
 */
export async function ensureAdmin(deps: ServiceDeps, adminTokenFromEnv?: string): Promise<string | undefined> {
  if (adminTokenFromEnv !== undefined) {
    await adoptAdminToken(deps, adminTokenFromEnv);
    return undefined;
  }
  if (await deps.store.hasAdmin()) return undefined;
  return (await createToken(deps, { name: BOOTSTRAP_NAME, role: 'admin' })).token;
}

const MAX_BOOTSTRAP_NAMES = 100;

/**
 * The token from the environment exists as a live admin token afterwards. Live token names are unique,
 * so a changed secret takes the first free name of bootstrap-admin, bootstrap-admin-2, …; a conflict is
 * another instance starting with the same secret (then it exists) or a name taken meanwhile (try the next).
 */
async function adoptAdminToken(deps: ServiceDeps, adminToken: string): Promise<void> {
  for (let n = 1; n <= MAX_BOOTSTRAP_NAMES; n++) {
    const existing = await deps.store.findTokenByHash(sha256(adminToken));
    if (existing) {
      if (existing.revokedAt === null && existing.role === 'admin') return;
      throw new FirebreakError(
        'conflict',
        'FIREBREAK_ADMIN_TOKEN names a token that is revoked or not an admin token; choose another secret.',
      );
    }
    const name = n === 1 ? BOOTSTRAP_NAME : `${BOOTSTRAP_NAME}-${n}`;
    const taken = (await deps.store.listTokens()).some((t) => t.name === name && t.revokedAt === null);
    if (taken) continue;
    try {
      await createToken(deps, { name, role: 'admin' }, adminToken);
      return;
    } catch (err) {
      if (!isFirebreakError(err, 'conflict')) throw err;
    }
  }
  throw new FirebreakError('conflict', `FIREBREAK_ADMIN_TOKEN: no free token name from ${BOOTSTRAP_NAME} to ${BOOTSTRAP_NAME}-${MAX_BOOTSTRAP_NAMES}.`);
}
