import { Type, type StringOptions, type TLiteral, type TUnion } from '@sinclair/typebox';
import {
  ACTION_KINDS,
  ACTION_STATUSES,
  AUDIENCES,
  EVIDENCE_KINDS,
  MITIGATION_KINDS,
  POSTMORTEM_STATES,
  PRIORITIES,
  ROLES,
  SEVERITIES,
  STATUSES,
} from '../domain/incident/types.js';
import { CATALOG_LIMITS } from '../domain/catalog/limits.js';
import { ENTITY_NAME_SOURCE, NAMESPACE_SOURCE, SERVICE_NAME_MAX, SERVICE_NAME_RULE, SERVICE_NAME_SOURCE } from '../domain/catalog/names.js';
import { LIMITS } from '../domain/limits.js';
import { COMPONENT_STATES, SETTABLE_PUBLIC_STATUSES } from '../domain/status/types.js';
import { PRINCIPAL_ROLES } from '../service/auth.js';

type Enum<T extends readonly string[]> = TUnion<TLiteral<T[number]>[]>;

/** A string enum from one of the domain's constant lists. */
export const oneOf = <T extends readonly string[]>(values: T, opts: { description?: string } = {}): Enum<T> =>
  Type.Union(
    values.map((v) => Type.Literal(v)),
    opts,
  ) as unknown as Enum<T>;

/** A required text: at least one character, at most `max`. */
const text = (max: number, opts: StringOptions = {}) => Type.String({ minLength: 1, maxLength: max, ...opts });
/** An optional text, only bounded. */
const maybe = (max: number, opts: StringOptions = {}) => Type.Optional(Type.String({ maxLength: max, ...opts }));
const list = (itemMax: number, maxItems: number) => Type.Array(text(itemMax), { maxItems });
const strict = { additionalProperties: false } as const;

export const commaList = (values: readonly string[]) => {
  const one = `(${values.join('|')})`;
  return Type.String({
    maxLength: 200,
    pattern: `^${one}(,${one})*$`,
    'x-message': `must be a comma-separated list of ${values.join(', ')}`,
  });
};

export const DateTime = Type.String({ format: 'date-time', maxLength: 40 });
/** A service: `name` or `namespace/name`, the catalog's one rule; `default/checkout` is `checkout`. */
export const ServiceName = Type.String({
  minLength: 1,
  maxLength: SERVICE_NAME_MAX,
  pattern: SERVICE_NAME_SOURCE,
  'x-message': `must be ${SERVICE_NAME_RULE}`,
});
/** The two segments of `/services/{namespace}/{name}`. */
export const NamespaceSegment = Type.String({
  minLength: 1,
  maxLength: CATALOG_LIMITS.name,
  pattern: NAMESPACE_SOURCE,
  'x-message': 'must be a namespace: letters and digits, in runs separated by -',
});
export const NameSegment = Type.String({
  minLength: 1,
  maxLength: CATALOG_LIMITS.name,
  pattern: ENTITY_NAME_SOURCE,
  'x-message': 'must be a name: letters and digits, in runs separated by - _ or .',
});
export const Url = Type.String({ format: 'uri', maxLength: LIMITS.url });
export const Severity = oneOf(SEVERITIES);
export const Status = oneOf(STATUSES);
export const Role = oneOf(ROLES);
export const PrincipalRole = oneOf(PRINCIPAL_ROLES);

export const Boundary = Type.Object(
  { unsupportedFlow: Type.Boolean(), coexistenceSeam: Type.Boolean(), rolloutBoundary: Type.Boolean() },
  strict,
);

export const ImpactFacts = Type.Object(
  {
    serviceDown: Type.Optional(Type.Boolean()),
    dataLoss: Type.Optional(Type.Boolean()),
    securityBreach: Type.Optional(Type.Boolean()),
    majorFeatureBroken: Type.Optional(Type.Boolean()),
    significantUserImpact: Type.Optional(Type.Boolean()),
    workaroundExists: Type.Optional(Type.Boolean()),
    cosmetic: Type.Optional(Type.Boolean()),
  },
  strict,
);

// --- params, query, headers

/** For routes that take no query parameters: any parameter is refused. */
export const NoQuery = Type.Object({}, strict);

export const IncidentParams = Type.Object({ id: Type.String({ maxLength: 64 }) }, strict);
export const QuestionParams = Type.Object({ id: Type.String({ maxLength: 64 }), qid: Type.String({ maxLength: 20 }) }, strict);
export const ActionParams = Type.Object({ actionId: Type.String({ maxLength: 64 }) }, strict);
export const TokenParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, strict);

const Cursor = Type.String({ pattern: '^[0-9]{1,10}$', 'x-message': 'must be a cursor from an earlier answer' });
const Limit = Type.Integer({ minimum: 1, maximum: LIMITS.pageSize });

export const ListQuery = Type.Object(
  {
    status: Type.Optional(commaList(STATUSES)),
    severity: Type.Optional(commaList(SEVERITIES)),
    service: Type.Optional(ServiceName),
    cursor: Type.Optional(Cursor),
    limit: Type.Optional(Limit),
  },
  strict,
);
export const TimelineQuery = Type.Object(
  { format: Type.Optional(oneOf(['json', 'md', 'csv'] as const)), cursor: Type.Optional(Cursor), limit: Type.Optional(Limit) },
  strict,
);
export const PostmortemQuery = Type.Object({ format: Type.Optional(oneOf(['json', 'md', 'html'] as const)) }, strict);
export const PlaybookQuery = Type.Object({ format: Type.Optional(oneOf(['json', 'md'] as const)) }, strict);

const IdempotencyKey = Type.String({
  minLength: 1,
  maxLength: LIMITS.idempotencyKey,
  pattern: '^[\\x21-\\x7e]+$',
  'x-message': `must be 1 to ${LIMITS.idempotencyKey} printable ASCII characters`,
});
const IfMatch = Type.String({
  maxLength: 20,
  pattern: '^(W/)?"?[0-9]{1,10}"?$',
  'x-message': 'must be the version number the change is based on, like 12 or "12"',
});

export const DeclareHeaders = Type.Object({ 'idempotency-key': Type.Optional(IdempotencyKey) });
export const CommandHeaders = Type.Object({
  'idempotency-key': Type.Optional(IdempotencyKey),
  'if-match': Type.Optional(IfMatch),
});

// --- incident bodies

export const DeclareBody = Type.Object(
  {
    title: text(LIMITS.title),
    impact: text(LIMITS.text),
    impactConfirmed: Type.Optional(Type.Boolean()),
    services: Type.Optional(Type.Array(ServiceName, { maxItems: LIMITS.services })),
    severity: Type.Optional(Severity),
    severityReason: maybe(LIMITS.reason),
    impactFacts: Type.Optional(ImpactFacts),
    boundary: Type.Optional(Boundary),
    startedAt: Type.Optional(DateTime),
    detectedAt: Type.Optional(DateTime),
    commander: Type.Optional(text(LIMITS.person)),
  },
  strict,
);

export const SeverityBody = Type.Object({ severity: Severity, reason: text(LIMITS.reason) }, strict);

export const ImpactBody = Type.Object(
  {
    statement: text(LIMITS.text),
    confirmed: Type.Boolean(),
    usersAffected: Type.Optional(Type.Integer({ minimum: 0 })),
    dataLoss: Type.Optional(Type.Boolean()),
    securityBreach: Type.Optional(Type.Boolean()),
    boundary: Type.Optional(Boundary),
    startedAt: Type.Optional(DateTime),
  },
  strict,
);

export const RoleBody = Type.Object({ role: Role, person: text(LIMITS.person) }, strict);

export const CommsBody = Type.Object(
  {
    channel: text(LIMITS.shortText),
    decisionOwner: text(LIMITS.person),
    cadenceMinutes: Type.Integer({ minimum: LIMITS.cadenceMinutes.min, maximum: LIMITS.cadenceMinutes.max }),
    externalTrigger: text(LIMITS.reason),
  },
  strict,
);

/** A status update; an external one may also set the public page's title, status and component states. */
export const UpdateBody = Type.Object(
  {
    audience: oneOf(AUDIENCES),
    body: text(LIMITS.text),
    title: Type.Optional(text(LIMITS.title, { description: 'The incident\'s public name (external updates only).' })),
    publicStatus: Type.Optional(oneOf(SETTABLE_PUBLIC_STATUSES, { description: 'The public status while the incident is open.' })),
    components: Type.Optional(
      Type.Record(ServiceName, oneOf(COMPONENT_STATES), {
        maxProperties: LIMITS.services,
        description: 'Public component states by service name.',
      }),
    ),
  },
  strict,
);
export const NoteBody = Type.Object({ body: text(LIMITS.text) }, strict);

export const EvidenceBody = Type.Object(
  { kind: oneOf(EVIDENCE_KINDS), title: text(LIMITS.title), url: Type.Optional(Url), text: maybe(LIMITS.text) },
  strict,
);

/**
 * A mitigation decision. With `lever` and `execute: true` it pulls the catalog lever (kind and fail mode
 * come from the catalog, `action` is optional); otherwise `kind` and `action` are required.
 */
export const MitigationBody = Type.Object(
  {
    kind: Type.Optional(oneOf(MITIGATION_KINDS)),
    action: Type.Optional(text(LIMITS.reason)),
    rationale: text(LIMITS.reason),
    lever: maybe(LIMITS.name),
    failClosed: Type.Optional(Type.Boolean()),
    failOpenReason: maybe(LIMITS.reason),
    execute: Type.Optional(Type.Boolean()),
    dryRun: Type.Optional(Type.Boolean({ description: 'answer the request a webhook lever would make; record and send nothing' })),
  },
  strict,
);

export const MitigationParams = Type.Object({ id: Type.String({ maxLength: 64 }), mid: Type.String({ maxLength: 20 }) }, strict);
export const ConfirmBody = Type.Object(
  { outcome: oneOf(['done', 'failed'] as const), note: maybe(LIMITS.reason) },
  strict,
);

export const QuestionBody = Type.Object({ question: text(LIMITS.reason) }, strict);
export const AnswerBody = Type.Object({ answer: text(LIMITS.text) }, strict);

export const GuardrailBody = Type.Object(
  { what: text(LIMITS.reason), why: text(LIMITS.reason), removalCondition: maybe(LIMITS.reason), owner: text(LIMITS.person) },
  strict,
);

export const StatusBody = Type.Object(
  {
    to: Status,
    reason: maybe(LIMITS.reason),
    noGuardrails: Type.Optional(Type.Boolean()),
    alertsOverride: maybe(LIMITS.reason),
    override: Type.Optional(Type.Object({ reason: text(LIMITS.reason) }, strict)),
    strict: Type.Optional(Type.Boolean({ description: 'closing also needs every blameless warning fixed or waived' })),
  },
  strict,
);

export const PostmortemBody = Type.Object(
  {
    summary: text(LIMITS.text),
    impact: text(LIMITS.text),
    whys: list(LIMITS.reason, LIMITS.whys),
    rootCause: text(LIMITS.text),
    contributingFactors: Type.Optional(list(LIMITS.reason, LIMITS.listItems)),
    wentWell: Type.Optional(list(LIMITS.reason, LIMITS.listItems)),
    wentPoorly: Type.Optional(list(LIMITS.reason, LIMITS.listItems)),
    lessons: Type.Optional(list(LIMITS.reason, LIMITS.listItems)),
  },
  strict,
);

/** A ticket in a tracker: an http(s) link only, since it is shown as a link. */
const TicketUrl = Type.String({
  format: 'uri',
  maxLength: LIMITS.url,
  pattern: '^https?://',
  'x-message': 'must be an http:// or https:// URL',
});
const ActionKind = oneOf(ACTION_KINDS);

export const ActionBody = Type.Object(
  {
    title: text(LIMITS.title),
    owner: text(LIMITS.person),
    dueAt: DateTime,
    priority: oneOf(PRIORITIES),
    fromQuestion: Type.Optional(Type.String({ maxLength: 20, pattern: '^[Qq][0-9]{1,6}$', 'x-message': 'must be a question id like Q1' })),
    kind: Type.Optional(ActionKind),
    ticketUrl: Type.Optional(TicketUrl),
  },
  strict,
);

/** An open question turned into an action item: the title defaults to the question. */
export const QuestionActionBody = Type.Object(
  {
    title: Type.Optional(text(LIMITS.title)),
    owner: text(LIMITS.person),
    dueAt: DateTime,
    priority: oneOf(PRIORITIES),
    kind: Type.Optional(ActionKind),
    ticketUrl: Type.Optional(TicketUrl),
  },
  strict,
);

/** A status change and/or edits of an action item; at least one field (checked by the domain). */
export const ActionPatchBody = Type.Object(
  {
    status: Type.Optional(oneOf(ACTION_STATUSES)),
    title: Type.Optional(text(LIMITS.title)),
    owner: Type.Optional(text(LIMITS.person)),
    dueAt: Type.Optional(DateTime),
    priority: Type.Optional(oneOf(PRIORITIES)),
    kind: Type.Optional(ActionKind),
    ticketUrl: Type.Optional(Type.Union([TicketUrl, Type.Null()])),
  },
  strict,
);

export const PostmortemAssignBody = Type.Object(
  {
    author: Type.Optional(text(LIMITS.person)),
    reviewers: Type.Optional(Type.Array(text(LIMITS.person), { maxItems: 10 })),
  },
  strict,
);

export const PostmortemStateBody = Type.Object(
  {
    to: oneOf(POSTMORTEM_STATES),
    reason: maybe(LIMITS.reason),
    strict: Type.Optional(Type.Boolean({ description: 'publishing also needs every blameless warning fixed or waived' })),
  },
  strict,
);

export const WaiverBody = Type.Object(
  {
    field: Type.String({
      minLength: 1,
      maxLength: 40,
      pattern: '^(summary|impact|rootCause|(whys|contributingFactors|wentWell|wentPoorly|lessons)\\[[0-9]{1,3}\\])$',
      'x-message': 'must be a postmortem field as the warning names it, like rootCause or whys[2]',
    }),
    phrase: text(LIMITS.shortText),
    reason: text(LIMITS.reason),
  },
  strict,
);

const overdueFlag = Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only overdue ones; false: only those not' });

export const PostmortemListQuery = Type.Object(
  {
    state: Type.Optional(commaList([...POSTMORTEM_STATES, 'missing'])),
    overdue: Type.Optional(overdueFlag),
    before: Type.Optional(Type.Integer({ minimum: 1 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize })),
  },
  strict,
);

export const ActionListQuery = Type.Object(
  {
    owner: Type.Optional(text(LIMITS.person)),
    state: Type.Optional(commaList(ACTION_STATUSES)),
    kind: Type.Optional(commaList(ACTION_KINDS)),
    incident: Type.Optional(Type.String({ maxLength: 64 })),
    overdue: Type.Optional(overdueFlag),
    cursor: Type.Optional(Type.String({ maxLength: 200 })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize })),
  },
  strict,
);

// --- administration

export const TokenBody = Type.Object({ name: text(LIMITS.name), role: PrincipalRole }, strict);
export const UserBody = Type.Object(
  {
    username: Type.String({
      minLength: 1,
      maxLength: LIMITS.username,
      pattern: '^[a-z0-9._-]+$',
      'x-message': 'must be lowercase letters, digits, ".", "_" or "-"',
    }),
    password: Type.String({ minLength: LIMITS.password.min, maxLength: LIMITS.password.max }),
    role: PrincipalRole,
  },
  strict,
);
export const SignInBody = Type.Object(
  { username: text(LIMITS.username), password: text(LIMITS.password.max) },
  strict,
);
