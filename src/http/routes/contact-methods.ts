import { Type } from '@sinclair/typebox';
import { LIMITS } from '../../domain/limits.js';
import { CONTACT_LIMITS } from '../../domain/paging/contacts.js';
import {
  addContactMethod,
  assertMayManage,
  contactOptions,
  deleteContactMethod,
  listContactMethods,
  listNotificationRules,
  resendVerification,
  setNotificationRules,
  verifyContactMethod,
} from '../../service/contact-methods.js';
import { CONTACT_METHOD_TYPES } from '../../service/ports.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { NoQuery, oneOf } from '../schemas.js';

const strict = { additionalProperties: false } as const;
const tags = ['people'];

// A person is a catalog name (`ana`, `payments/li`, written `payments%2Fli` in a path) or a Firebreak username.
const Person = Type.String({
  minLength: 1,
  maxLength: CONTACT_LIMITS.person,
  pattern: '^[A-Za-z0-9][A-Za-z0-9._@-]*(/[A-Za-z0-9][A-Za-z0-9._@-]*)?$',
  'x-message': 'must be a person: a catalog name (name or namespace/name) or a Firebreak username',
});
const PersonParams = Type.Object({ person: Person }, strict);
const MethodParams = Type.Object({ person: Person, id: Type.String({ minLength: 1, maxLength: 100 }) }, strict);
const MethodBody = Type.Object(
  {
    type: oneOf(CONTACT_METHOD_TYPES),
    label: Type.Optional(Type.String({ minLength: 1, maxLength: CONTACT_LIMITS.label })),
    url: Type.Optional(Type.String({ minLength: 1, maxLength: LIMITS.url })),
    address: Type.Optional(Type.String({ minLength: 1, maxLength: 320 })),
    token: Type.Optional(Type.String({ minLength: 1, maxLength: CONTACT_LIMITS.token })),
    to: Type.Optional(Type.String({ minLength: 1, maxLength: 20 })),
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
  },
  strict,
);
const VerifyBody = Type.Object(
  { code: Type.String({ maxLength: 6, pattern: '^[0-9]{6}$', 'x-message': 'must be the 6 digits sent' }) },
  strict,
);
/** Resend takes no body; one sent must be an empty object, so a misplaced field is refused rather than ignored. */
const NoBody = Type.Object({}, strict);
const RulesBody = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          contactMethod: Type.String({ minLength: 1, maxLength: 100 }),
          delayMinutes: Type.Integer({ minimum: 0, maximum: CONTACT_LIMITS.maxDelayMinutes }),
        },
        strict,
      ),
      { maxItems: CONTACT_LIMITS.rules },
    ),
  },
  strict,
);

/** People's contact methods and notification rules: an admin's, or the signed-in person's own (docs/API.md). */
export const contactMethodRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const signedIn = auth.requireRole('viewer');
    const d = { ...deps, contact: contactOptions(deps.config) };
    const base = '/api/v1/people/:person';

    app.post(
      `${base}/contact-methods`,
      {
        schema: { tags, summary: 'Add a contact method and send it a verification code', params: PersonParams, querystring: NoQuery, body: MethodBody },
        onRequest: signedIn,
      },
      async (req, reply) => {
        assertMayManage(callerOf(req), req.params.person);
        const added = await addContactMethod(d, req.params.person, req.body);
        reply.code(201).header('cache-control', 'no-store');
        return added;
      },
    );

    app.get(
      `${base}/contact-methods`,
      { schema: { tags, summary: "A person's contact methods, masked", params: PersonParams, querystring: NoQuery }, onRequest: signedIn },
      async (req) => {
        assertMayManage(callerOf(req), req.params.person);
        return { items: await listContactMethods(d, req.params.person) };
      },
    );

    app.post(
      `${base}/contact-methods/:id/verify`,
      {
        schema: { tags, summary: 'Enter the code a contact method was sent', params: MethodParams, querystring: NoQuery, body: VerifyBody },
        onRequest: signedIn,
      },
      async (req) => {
        assertMayManage(callerOf(req), req.params.person);
        return verifyContactMethod(d, req.params.person, req.params.id, req.body.code);
      },
    );

    app.post(
      `${base}/contact-methods/:id/resend`,
      {
        schema: { tags, summary: 'Send a contact method a new verification code', params: MethodParams, querystring: NoQuery, body: NoBody },
        onRequest: signedIn,
        // Fastify checks a missing body as null: none sent is the empty one.
        preValidation: async (req) => {
          req.body ??= {};
        },
      },
      async (req) => {
        assertMayManage(callerOf(req), req.params.person);
        return resendVerification(d, req.params.person, req.params.id);
      },
    );

    app.delete(
      `${base}/contact-methods/:id`,
      { schema: { tags, summary: 'Delete a contact method and the rules that name it', params: MethodParams, querystring: NoQuery }, onRequest: signedIn },
      async (req, reply) => {
        assertMayManage(callerOf(req), req.params.person);
        await deleteContactMethod(d, req.params.person, req.params.id);
        return reply.code(204).send();
      },
    );

    app.put(
      `${base}/notification-rules`,
      {
        schema: { tags, summary: "Replace a person's notification rules (verified methods only)", params: PersonParams, querystring: NoQuery, body: RulesBody },
        onRequest: signedIn,
      },
      async (req) => {
        assertMayManage(callerOf(req), req.params.person);
        return { items: await setNotificationRules(d, req.params.person, req.body.rules) };
      },
    );

    app.get(
      `${base}/notification-rules`,
      { schema: { tags, summary: "A person's notification rules by delay", params: PersonParams, querystring: NoQuery }, onRequest: signedIn },
      async (req) => {
        assertMayManage(callerOf(req), req.params.person);
        return { items: await listNotificationRules(d, req.params.person) };
      },
    );
  };
