import type { ErrorCode, FieldError, Unmet } from '../domain/errors.js';

/** An RFC 9457 problem body as the Firebreak API sends it. */
export interface Problem {
  type?: string;
  title?: string;
  status?: number;
  detail?: string;
  code?: ErrorCode | string;
  requestId?: string;
  errors?: FieldError[];
  unmet?: Unmet[];
  currentVersion?: number;
  [key: string]: unknown;
}

const CODE_BY_STATUS: Record<number, ErrorCode> = {
  400: 'validation',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  409: 'conflict',
  413: 'too_large',
  422: 'gate_unmet',
};

/** The server answered with an error status; carries the problem body. */
export class ClientError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly errors: FieldError[];
  readonly unmet: Unmet[];
  readonly currentVersion: number | undefined;
  readonly requestId: string | undefined;
  readonly problem: Problem;

  constructor(status: number, problem: Problem) {
    const detail = problem.detail ?? problem.title ?? `HTTP ${status}`;
    super(detail);
    this.name = 'ClientError';
    this.status = status;
    this.code = typeof problem.code === 'string' ? problem.code : (CODE_BY_STATUS[status] ?? 'internal');
    this.detail = detail;
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.unmet = Array.isArray(problem.unmet) ? problem.unmet : [];
    this.currentVersion = typeof problem.currentVersion === 'number' ? problem.currentVersion : undefined;
    this.requestId = typeof problem.requestId === 'string' ? problem.requestId : undefined;
    this.problem = problem;
  }
}

/** No answer at all: connection refused, DNS failure, reset or timeout. */
export class ServerUnreachableError extends Error {
  readonly baseUrl: string;
  readonly reason: string;

  constructor(baseUrl: string, cause: unknown) {
    const reason = describeNetworkFailure(cause);
    super(`cannot reach the Firebreak server at ${baseUrl} (${reason})`, { cause });
    this.name = 'ServerUnreachableError';
    this.baseUrl = baseUrl;
    this.reason = reason;
  }
}

/** Undici hides the socket error under `cause`; the code (ECONNREFUSED…) is what a human needs. */
function describeNetworkFailure(err: unknown): string {
  let e: unknown = err;
  let message = err instanceof Error ? err.message : String(err);
  for (let depth = 0; depth < 4 && e instanceof Error; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && code.startsWith('E')) return code;
    if (e.name === 'TimeoutError') return 'timed out';
    message = e.message || message;
    e = e.cause;
  }
  return message;
}

/** True for a ClientError, optionally with the given problem code. */
export const isClientError = (err: unknown, code?: string): err is ClientError =>
  err instanceof ClientError && (code === undefined || err.code === code);
