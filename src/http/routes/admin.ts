import { createToken, createUser, listTokens, listUsers, revokeToken } from '../../service/auth.js';
import type { Routes } from '../context.js';
import { NoQuery, TokenBody, TokenParams, UserBody } from '../schemas.js';

/** Bearer tokens and users: admin only. */
export const adminRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const admin = auth.requireRole('admin');

    app.post(
      '/api/v1/tokens',
      { schema: { tags: ['admin'], summary: 'Create a bearer token (its secret is shown once)', querystring: NoQuery, body: TokenBody }, onRequest: admin },
      async (req, reply) => {
        const created = await createToken(deps, req.body);
        reply.code(201).header('cache-control', 'no-store');
        return { id: created.id, name: created.name, role: created.role, token: created.token };
      },
    );

    app.get('/api/v1/tokens', { schema: { tags: ['admin'], summary: 'List tokens', querystring: NoQuery }, onRequest: admin }, async () => ({
      items: await listTokens(deps),
    }));

    app.delete(
      '/api/v1/tokens/:id',
      { schema: { tags: ['admin'], summary: 'Revoke a token', params: TokenParams, querystring: NoQuery }, onRequest: admin },
      async (req, reply) => {
        await revokeToken(deps, req.params.id);
        return reply.code(204).send();
      },
    );

    app.post(
      '/api/v1/users',
      { schema: { tags: ['admin'], summary: 'Create a user who signs in with a password', querystring: NoQuery, body: UserBody }, onRequest: admin },
      async (req, reply) => {
        const user = await createUser(deps, req.body);
        reply.code(201);
        return { id: user.id, username: user.username, role: user.role };
      },
    );

    app.get('/api/v1/users', { schema: { tags: ['admin'], summary: 'List users', querystring: NoQuery }, onRequest: admin }, async () => ({
      items: await listUsers(deps),
    }));
  };
