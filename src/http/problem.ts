import type { FastifyReply, FastifyRequest } from 'fastify';
import { FirebreakError, isFirebreakError, validationError, type ErrorCode } from '../domain/errors.js';

export const PROBLEM_TYPE = 'application/problem+json; charset=utf-8';

const STATUS: Record<ErrorCode, { status: number; title: string }> = {
  validation: { status: 400, title: 'Bad Request' },
  unauthorized: { status: 401, title: 'Unauthorized' },
  forbidden: { status: 403, title: 'Forbidden' },
  not_found: { status: 404, title: 'Not Found' },
  conflict: { status: 409, title: 'Conflict' },
  too_large: { status: 413, title: 'Content Too Large' },
  gate_unmet: { status: 422, title: 'Unprocessable Content' },
  rate_limited: { status: 429, title: 'Too Many Requests' },
  internal: { status: 500, title: 'Internal Server Error' },
};

/** An RFC 9457 problem body as Firebreak sends it. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  requestId: string;
  errors?: { path: string; message: string }[];
  unmet?: { code: string; message: string }[];
  currentVersion?: number;
}

interface FastifyishError {
  code?: unknown;
  statusCode?: unknown;
}

/** Turns what Fastify itself refuses (bad JSON, size, media type) into our errors; undefined for anything else. */
function fromFastify(err: FastifyishError): FirebreakError | undefined {
  switch (err.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new FirebreakError('too_large', 'The request body is too large.');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return validationError([{ path: 'headers.content-type', message: 'must be application/json' }]);
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return validationError([{ path: 'body', message: 'must be a JSON object' }]);
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
      return validationError([{ path: 'body', message: 'is not valid JSON' }]);
  }
  if (typeof err.code === 'string' && err.code.startsWith('FST_') && err.statusCode === 413) {
    return new FirebreakError('too_large', 'The request is too large.');
  }
  if (typeof err.code === 'string' && err.code.startsWith('FST_') && err.statusCode === 400) {
    return validationError([{ path: 'request', message: 'could not be read' }]);
  }
  return undefined;
}

/** The one mapping from an error to a problem body; anything unexpected becomes a bare 500. */
export function toProblem(err: unknown, requestId: string): Problem {
  const known = isFirebreakError(err) ? err : fromFastify((err ?? {}) as FastifyishError);
  if (!known || known.code === 'internal') {
    const { status, title } = STATUS.internal;
    return { type: typeUri('internal'), title, status, detail: 'Internal error', code: 'internal', requestId };
  }
  const { status, title } = STATUS[known.code];
  const problem: Problem = { type: typeUri(known.code), title, status, detail: known.message, code: known.code, requestId };
  const d = known.details;
  if (known.code === 'validation') problem.errors = d?.errors ?? [];
  if (known.code === 'gate_unmet') problem.unmet = d?.unmet ?? [];
  if (known.code === 'conflict' && typeof d?.currentVersion === 'number') problem.currentVersion = d.currentVersion;
  return problem;
}

const typeUri = (code: ErrorCode) => `https://firebreak.dev/problems/${code}`;

/** Fastify's error handler: answers the problem and logs unexpected errors once. */
export function sendProblem(err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply {
  const problem = toProblem(err, req.id);
  if (problem.status >= 500) req.log.error({ err }, 'request failed');
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer');
  const retryAfter = isFirebreakError(err, 'rate_limited') ? err.details?.retryAfterSeconds : undefined;
  if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
  return reply.code(problem.status).type(PROBLEM_TYPE).send(problem);
}
