/** The closed set of error codes every layer speaks; http/problem.ts maps them to RFC 9457. */
export type ErrorCode =
  | 'validation'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'gate_unmet'
  | 'too_large'
  | 'rate_limited'
  | 'internal';

/** One field that failed validation: `path` is a dotted/bracketed location such as `body.services[2]`. */
export interface FieldError {
  path: string;
  message: string;
}

/** One criterion of a gate that is not met yet. */
export interface Unmet {
  code: string;
  message: string;
}

export interface ErrorDetails {
  errors?: FieldError[];
  unmet?: Unmet[];
  [key: string]: unknown;
}

/** The one error type Firebreak throws on purpose. */
export class FirebreakError extends Error {
  readonly code: ErrorCode;
  readonly details?: ErrorDetails;

  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'FirebreakError';
    this.code = code;
    this.details = details;
  }
}

export const validationError = (errors: FieldError[], message = 'The request is not valid.') =>
  new FirebreakError('validation', message, { errors });

export const gateUnmet = (message: string, unmet: Unmet[]) =>
  new FirebreakError('gate_unmet', message, { unmet });

export const notFound = (message: string) => new FirebreakError('not_found', message);
export const forbidden = (message: string) => new FirebreakError('forbidden', message);
export const conflict = (message: string, details?: ErrorDetails) =>
  new FirebreakError('conflict', message, details);

export function isFirebreakError(err: unknown, code?: ErrorCode): err is FirebreakError {
  return err instanceof FirebreakError && (code === undefined || err.code === code);
}

/**
 * An outbound call the egress guard refused before connecting: the host, the address it resolved to, and
 * why ("refused 169.254.169.254: link-local/cloud metadata address (allow with FIREBREAK_EGRESS_ALLOW)").
 */
export class EgressRefusedError extends Error {
  readonly host: string;
  readonly address: string | null;
  readonly reason: string;

  constructor(host: string, address: string | null, reason: string) {
    const who = address === null || address === host ? host : `${host} (${address})`;
    super(`refused ${who}: ${reason}`);
    this.name = 'EgressRefusedError';
    this.host = host;
    this.address = address;
    this.reason = reason;
  }
}

export const isEgressRefused = (err: unknown): err is EgressRefusedError => err instanceof EgressRefusedError;
