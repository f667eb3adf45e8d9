import type { Egress, Store } from './ports.js';

export interface Clock {
  /** Now as an ISO-8601 UTC string. */
  now(): string;
}

export interface Ids {
  /** A new random, URL-safe identifier. */
  next(): string;
}

/** The logging surface the service and http layers need; pino satisfies it. */
export interface Log {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface ServiceDeps {
  store: Store;
  clock: Clock;
  ids: Ids;
  log: Log;
  /** Every outbound HTTP call (levers, notifications) and SMTP address resolution goes through it. */
  egress: Egress;
}
