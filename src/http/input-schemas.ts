import { Type } from '@sinclair/typebox';
import { LIMITS } from '../domain/limits.js';
import { INTEGRATION_TYPES } from '../service/ports.js';
import { DateTime, NameSegment, NamespaceSegment, oneOf, ServiceName } from './schemas.js';

const strict = { additionalProperties: false } as const;

export const ServiceParams = Type.Object({ name: ServiceName }, strict);
export const NamespacedServiceParams = Type.Object({ namespace: NamespaceSegment, name: NameSegment }, strict);
export const IntegrationParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 100 }) }, strict);

export const IntegrationBody = Type.Object(
  {
    type: oneOf(INTEGRATION_TYPES),
    name: Type.String({ minLength: 1, maxLength: LIMITS.name }),
    secret: Type.Optional(Type.String({ minLength: 1, maxLength: 512 })),
  },
  strict,
);

export const DeployQuery = Type.Object(
  {
    service: Type.Optional(ServiceName),
    since: Type.Optional(DateTime),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize })),
  },
  strict,
);

const HeaderText = (max: number) => Type.String({ maxLength: max });

/** GitHub's webhook headers Firebreak reads; GitHub sends many more, all allowed. */
export const GithubHeaders = Type.Object({
  'x-github-event': Type.Optional(HeaderText(100)),
  'x-github-delivery': Type.Optional(HeaderText(100)),
  'x-hub-signature-256': Type.Optional(HeaderText(200)),
});

/** For documentation only: these routes read the raw body themselves. */
export const RAW_JSON_BODY = 'The raw JSON body, read as UTF-8 and checked by the sender-specific parser.';
