import { Type, type Static, type TSchema } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isFirebreakError, notFound, validationError } from '../../domain/errors.js';
import { parseActionId } from '../../domain/incident/types.js';
import { executeCommand, type CommandInput } from '../../service/execute-command.js';
import { callerOf } from '../auth.js';
import type { RouteContext, Routes } from '../context.js';
import { counted } from '../metrics.js';
import { ifMatchVersion, incidentNumber, sendIncident } from '../present.js';
import {
  ActionBody,
  ActionParams,
  ActionPatchBody,
  AnswerBody,
  CommandHeaders,
  CommsBody,
  EvidenceBody,
  GuardrailBody,
  ImpactBody,
  IncidentParams,
  MitigationBody,
  NoQuery,
  NoteBody,
  PostmortemAssignBody,
  PostmortemBody,
  PostmortemStateBody,
  QuestionActionBody,
  QuestionBody,
  QuestionParams,
  RoleBody,
  SeverityBody,
  StatusBody,
  UpdateBody,
  WaiverBody,
} from '../schemas.js';
import type { Config } from '../../config.js';
import { validatorCompiler } from '../validation.js';

/** A mitigation decision as a history records it: kind and action named (a history never pulls a lever). */
const RecordedMitigationBody = Type.Composite(
  [Type.Required(Type.Pick(MitigationBody, ['kind', 'action'])), Type.Omit(MitigationBody, ['kind', 'action', 'execute', 'dryRun'])],
  { additionalProperties: false },
);

interface CommandRoute<B extends TSchema> {
  method: 'POST' | 'PUT' | 'DELETE';
  path: string;
  summary: string;
  body: B;
  input: (body: Static<B>, params: { qid?: string }, config: Config) => CommandInput;
}

const route = <B extends TSchema>(r: CommandRoute<B>) => r as unknown as CommandRoute<TSchema>;

/** Every command under /api/v1/incidents/{id}: a schema and how its body becomes a command. */
const COMMANDS = [
  route({ method: 'POST', path: '/severity', summary: 'Change the severity', body: SeverityBody,
    input: (b) => ({ type: 'ChangeSeverity', ...b }) }),
  route({ method: 'PUT', path: '/impact', summary: 'State the impact', body: ImpactBody,
    input: (b) => ({ type: 'StateImpact', ...b }) }),
  route({ method: 'POST', path: '/roles', summary: 'Assign a role', body: RoleBody,
    input: (b) => ({ type: 'AssignRole', ...b }) }),
  route({ method: 'DELETE', path: '/roles', summary: 'Unassign a role', body: RoleBody,
    input: (b) => ({ type: 'UnassignRole', ...b }) }),
  route({ method: 'PUT', path: '/comms', summary: 'Set the communication plan', body: CommsBody,
    input: (b) => ({ type: 'SetCommsPlan', ...b }) }),
  route({ method: 'POST', path: '/updates', summary: 'Post a status update', body: UpdateBody,
    input: (b) => ({ type: 'PostUpdate', ...b }) }),
  route({ method: 'POST', path: '/notes', summary: 'Add a note to the timeline', body: NoteBody,
    input: (b) => ({ type: 'AddNote', ...b }) }),
  route({ method: 'POST', path: '/evidence', summary: 'Attach evidence', body: EvidenceBody,
    input: (b) => ({ type: 'AddEvidence', ...b }) }),
  route({ method: 'POST', path: '/questions', summary: 'Record an open question', body: QuestionBody,
    input: (b) => ({ type: 'AskQuestion', ...b }) }),
  route({ method: 'POST', path: '/questions/:qid/answer', summary: 'Answer an open question', body: AnswerBody,
    input: (b, p) => ({ type: 'AnswerQuestion', questionId: p.qid ?? '', ...b }) }),
  route({ method: 'POST', path: '/guardrails', summary: 'Add a temporary guardrail', body: GuardrailBody,
    input: (b) => ({ type: 'AddGuardrail', ...b }) }),
  route({ method: 'POST', path: '/status', summary: 'Move the status through its gate', body: StatusBody,
    input: (b, _p, config) => ({ type: 'ChangeStatus', ...b, ...strictOf(b, config) }) }),
  route({ method: 'PUT', path: '/postmortem', summary: 'Write the postmortem', body: PostmortemBody,
    input: (b) => ({ type: 'WritePostmortem', ...b }) }),
  route({ method: 'POST', path: '/postmortem/assign', summary: "Set the postmortem's author and reviewers", body: PostmortemAssignBody,
    input: (b) => ({ type: 'AssignPostmortem', ...b }) }),
  route({ method: 'POST', path: '/postmortem/state', summary: 'Submit, send back or publish the postmortem', body: PostmortemStateBody,
    input: (b, _p, config) => ({ type: 'ChangePostmortemState', ...b, ...strictOf(b, config) }) }),
  route({ method: 'POST', path: '/postmortem/waivers', summary: 'Waive a blameless-check warning with a reason', body: WaiverBody,
    input: (b) => ({ type: 'WaiveBlameWarning', ...b }) }),
  route({ method: 'POST', path: '/actions', summary: 'Add an action item', body: ActionBody,
    input: (b) => ({ type: 'AddActionItem', ...b }) }),
  route({ method: 'POST', path: '/questions/:qid/action', summary: 'Turn an open question into an action item', body: QuestionActionBody,
    input: (b, p) => ({ type: 'AddActionItem', ...b, title: b.title ?? '', fromQuestion: p.qid ?? '' }) }),
];

interface Callable {
  method: string;
  pattern: RegExp;
  check: (value: unknown) => { value?: unknown; error?: Error };
  input: (body: never, params: { qid?: string; aid?: string }, config: Config) => CommandInput;
}

const pattern = (path: string) => new RegExp(`^${path.replace(/:(\w+)/g, '(?<$1>[^/]+)')}$`);
const body = (schema: TSchema) => validatorCompiler({ schema, httpPart: 'body' } as Parameters<typeof validatorCompiler>[0]);

/**
 * The incident commands an imported history may hold, by the method and path of their route under
 * /api/v1/incidents/{id}, each validated by its route's schema: every command route, a mitigation
 * decision (recorded: a history never pulls a lever), and `PATCH /actions/A<k>` for the incident's own items.
 */
const CALLABLE: Callable[] = [
  ...COMMANDS.map((c): Callable => ({ method: c.method, pattern: pattern(c.path), check: body(c.body), input: c.input as Callable['input'] })),
  {
    method: 'POST',
    pattern: pattern('/mitigations'),
    check: body(RecordedMitigationBody),
    input: ((b: Static<typeof RecordedMitigationBody>) => ({ type: 'DecideMitigation', ...b })) as Callable['input'],
  },
  {
    method: 'PATCH',
    pattern: pattern('/actions/:aid'),
    check: body(ActionPatchBody),
    input: ((b: Static<typeof ActionPatchBody>, p: { aid?: string }) => actionPatchInput(p.aid ?? '', b)) as Callable['input'],
  },
];

/** The command one step of an imported history names, validated as its route would; paths under `at`. */
export function importedCommand(at: string, method: string, path: string, value: unknown, config: Config): CommandInput {
  for (const c of CALLABLE) {
    const m = c.method === method ? c.pattern.exec(path) : null;
    if (!m) continue;
    const checked = c.check(value ?? {});
    if (checked.error) {
      const errors = isFirebreakError(checked.error) ? (checked.error.details?.errors ?? []) : [];
      throw validationError(errors.map((e) => ({ ...e, path: e.path.replace(/^body/, `${at}.body`) })));
    }
    return c.input(checked.value as never, m.groups ?? {}, config);
  }
  throw validationError([{ path: `${at}.path`, message: `${method} ${path} is not a command a history can hold` }]);
}

/** A PATCH of an action item: its status alone, or an edit (with the status, if named). */
function actionPatchInput(actionId: string, patch: Static<typeof ActionPatchBody>): CommandInput {
  const { status, ...changes } = patch;
  return Object.keys(changes).length === 0 && status !== undefined
    ? { type: 'ChangeActionItemStatus', actionId, status }
    : { type: 'EditActionItem', actionId, changes, ...(status !== undefined && { status }) };
}

/** Strict blameless checking: always when the server is strict; a request may ask for it, never turn it off. */
function strictOf(b: { strict?: boolean }, config: Config): { strict?: true } {
  return config.postmortems.strict || b.strict === true ? { strict: true } : {};
}

type Headers = Static<typeof CommandHeaders>;

/** Runs one command for a route and answers the incident (also used by routes/levers.ts). */
export async function run(ctx: RouteContext, req: FastifyRequest, reply: FastifyReply, number: number, input: CommandInput) {
  const caller = callerOf(req);
  const headers = req.headers as Headers;
  const result = await counted(ctx.metrics, input.type, () =>
    executeCommand(ctx.deps, number, caller.actor, input, {
      idempotencyKey: headers['idempotency-key'],
      scope: caller.id,
      expectedVersion: ifMatchVersion(headers['if-match']),
    }),
  );
  return sendIncident(reply, result);
}

/** The incident commands: validate, run one command, answer the new state with its version. */
export const commandRoutes: Routes = (ctx) => async (app) => {
  for (const c of COMMANDS) {
    const params = c.path.includes(':qid') ? QuestionParams : IncidentParams;
    app.route({
      method: c.method,
      url: `/api/v1/incidents/:id${c.path}`,
      schema: { tags: ['commands'], summary: c.summary, params, querystring: NoQuery, headers: CommandHeaders, body: c.body },
      onRequest: ctx.auth.requireRole('responder'),
      handler: async (req, reply) => {
        const p = req.params as { id: string; qid?: string };
        return run(ctx, req, reply, incidentNumber(p.id), c.input(req.body, p, ctx.deps.config));
      },
    });
  }

  app.patch(
    '/api/v1/actions/:actionId',
    {
      schema: {
        tags: ['commands'],
        summary: 'Change an action item: its status, title, owner, deadline, priority, kind or ticket link',
        params: ActionParams,
        querystring: NoQuery,
        headers: CommandHeaders,
        body: ActionPatchBody,
      },
      onRequest: ctx.auth.requireRole('responder'),
    },
    async (req, reply) => {
      const action = parseActionId(req.params.actionId);
      if (!action) throw notFound(`Action item ${req.params.actionId} does not exist.`);
      return run(ctx, req, reply, action.incident, actionPatchInput(action.id, req.body));
    },
  );
};
