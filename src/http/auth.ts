import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Config } from '../config.js';
import { FirebreakError, forbidden } from '../domain/errors.js';
import { authenticateBearer, resolveSession, SESSION_HOURS, type Caller } from '../service/auth.js';
import type { ServiceDeps } from '../service/deps.js';
import type { Principal } from '../service/ports.js';
import { mediaType } from './raw-body.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by requireRole: who is calling. */
    caller?: Caller;
  }
}

export const SESSION_COOKIE = 'fb_session';

export type RequiredRole = 'viewer' | 'responder' | 'admin' | 'ingest';

const RANK: Record<Exclude<Principal, 'ingest'>, number> = { viewer: 1, responder: 2, admin: 3 };
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** admin ⊇ responder ⊇ viewer; ingest is its own lane, open to ingest and admin only. */
export function allows(role: Principal, required: RequiredRole): boolean {
  if (required === 'ingest') return role === 'ingest' || role === 'admin';
  return role !== 'ingest' && RANK[role] >= RANK[required];
}

/** The caller requireRole attached; a route without requireRole has none. */
export function callerOf(req: FastifyRequest): Caller {
  if (!req.caller) throw new FirebreakError('internal', 'route without requireRole asked for its caller');
  return req.caller;
}

const refused = () => forbidden('cross-site request refused');

function originOf(value: string): string | undefined {
  return URL.canParse(value) ? new URL(value).origin : undefined;
}

/** The origin browsers use for this server: the public URL when configured, else the Host header. */
function ownOrigin(req: FastifyRequest, config: Config): string | undefined {
  return originOf(config.publicUrl ?? `${req.protocol}://${req.host}`);
}

/**
 * A cross-site form or image can carry the cookie but cannot send JSON or a same-site Origin,
 * so requiring both makes cookie sessions CSRF-safe without a token.
 */
export function assertSameSite(req: FastifyRequest, config: Config, requireJson = true): void {
  if (!UNSAFE_METHODS.has(req.method)) return;
  if (req.headers['sec-fetch-site'] === 'cross-site') throw refused();
  const origin = req.headers.origin;
  if (origin !== undefined && (originOf(origin) === undefined || originOf(origin) !== ownOrigin(req, config))) {
    throw refused();
  }
  if (!requireJson) return;
  const type = mediaType(req.headers['content-type']);
  const length = req.headers['content-length'];
  const hasBody = (length !== undefined && length !== '0') || req.headers['transfer-encoding'] !== undefined;
  if (req.method === 'DELETE' && !hasBody && type === '') return;
  if (type !== 'application/json') throw refused();
}

export interface Auth {
  /** An onRequest hook: 401 without valid credentials, 403 when the role is too small or the request cross-site. */
  requireRole(role: RequiredRole): (req: FastifyRequest, reply: FastifyReply) => Promise<void>;
  /** Sets the session cookie. */
  setSessionCookie(reply: FastifyReply, token: string): void;
  clearSessionCookie(reply: FastifyReply): void;
}

/** The token of an `Authorization: Bearer <token>` header; undefined when absent or malformed. */
export const bearerToken = (req: FastifyRequest) => /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '')?.[1];

/** Bearer tokens first; the session cookie only when there is no Authorization header. */
async function identify(deps: ServiceDeps, req: FastifyRequest): Promise<{ caller?: Caller; viaCookie: boolean }> {
  if (req.headers.authorization !== undefined) {
    const token = bearerToken(req);
    return { caller: token ? await authenticateBearer(deps, token) : undefined, viaCookie: false };
  }
  const session = req.cookies[SESSION_COOKIE];
  if (session) return { caller: await resolveSession(deps, session), viaCookie: true };
  return { viaCookie: false };
}

/** Builds the auth hooks for one app. */
export function createAuth(deps: ServiceDeps & { config: Config }): Auth {
  const secure = deps.config.publicUrl?.startsWith('https:') ?? false;
  return {
    requireRole: (role) => async (req) => {
      const { caller, viaCookie } = await identify(deps, req);
      if (!caller) throw new FirebreakError('unauthorized', 'Sign in or send a valid bearer token.');
      if (viaCookie) assertSameSite(req, deps.config);
      if (!allows(caller.role, role)) {
        throw forbidden(`This needs the ${role} role; you have ${caller.role}.`);
      }
      req.caller = caller;
    },
    setSessionCookie: (reply, token) =>
      void reply.setCookie(SESSION_COOKIE, token, {
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
        secure,
        maxAge: SESSION_HOURS * 3600,
      }),
    clearSessionCookie: (reply) =>
      void reply.clearCookie(SESSION_COOKIE, { httpOnly: true, sameSite: 'strict', path: '/', secure }),
  };
}
