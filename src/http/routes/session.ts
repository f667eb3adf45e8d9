import { conflict } from '../../domain/errors.js';
import { signIn, signOut } from '../../service/auth.js';
import { assertSameSite, callerOf, SESSION_COOKIE } from '../auth.js';
import type { Routes } from '../context.js';
import { NoQuery, SignInBody } from '../schemas.js';
import { signInThrottle } from '../signin-throttle.js';

/** Web sign-in and sign-out with the session cookie. */
export const sessionRoutes: Routes =
  ({ deps, auth, metrics }) =>
  async (app) => {
    const throttle = await signInThrottle(app, deps, metrics);

    app.post(
      '/api/v1/session',
      { schema: { tags: ['session'], summary: 'Sign in; sets the fb_session cookie (429 after too many failures)', security: [], querystring: NoQuery, body: SignInBody } },
      async (req, reply) => {
        assertSameSite(req, deps.config);
        const { username, password } = req.body;
        const { sessionToken, user } = await throttle.attempt(req, username, () => signIn(deps, username, password));
        auth.setSessionCookie(reply, sessionToken);
        reply.header('cache-control', 'no-store');
        return { username: user.username, role: user.role };
      },
    );

    app.get(
      '/api/v1/session',
      { schema: { tags: ['session'], summary: 'Who is calling', querystring: NoQuery }, onRequest: auth.requireRole('viewer') },
      async (req) => {
        const caller = callerOf(req);
        return { username: caller.actor, role: caller.role, kind: caller.kind };
      },
    );

    app.delete(
      '/api/v1/session',
      { schema: { tags: ['session'], summary: 'Sign out (a cookie session; a bearer token gets 409)', querystring: NoQuery }, onRequest: auth.requireRole('viewer') },
      async (req, reply) => {
        const caller = callerOf(req);
        if (caller.kind === 'token') {
          throw conflict(
            `A bearer token has no session to end; it stays valid until an admin revokes it with DELETE /api/v1/tokens/${caller.id}.`,
          );
        }
        const token = req.cookies[SESSION_COOKIE];
        if (token) await signOut(deps, token);
        auth.clearSessionCookie(reply);
        return reply.code(204).send();
      },
    );
  };
