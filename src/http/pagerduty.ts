import type { FastifyReply, FastifyRequest } from 'fastify';
import { pagerDutyInvalid, pagerDutyUnrecognized } from '../domain/alerts/pagerduty.js';
import type { FieldError } from '../domain/errors.js';
import { toProblem } from './problem.js';

/** What a PagerDuty-compatible endpoint answers: PagerDuty's own shapes, never problem+json. */
export interface PagerDutyAnswer {
  status: string;
  message: string;
  errors?: readonly string[];
  dedup_key?: string;
  truncated?: readonly string[];
}

/** PagerDuty's clients (`@pagerduty/pdjs` among them) read a JSON body on every answer, errors included. */
export function sendPagerDuty(reply: FastifyReply, status: number, body: PagerDutyAnswer): FastifyReply {
  return reply.code(status).type('application/json; charset=utf-8').send(body);
}

/**
 * A route error handler answering every failure as PagerDuty would: a body that cannot be read
 * (not JSON, not UTF-8, another media type) is "Unrecognized object"; a bad or unknown routing key
 * and invalid fields are "invalid event" with `errors` worded by `describe`; too large is 413.
 */
export function pagerDutyErrors(describe: (e: FieldError) => string) {
  return (err: unknown, req: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const p = toProblem(err, req.id);
    if (p.status >= 500) {
      req.log.error({ err }, 'request failed');
      return sendPagerDuty(reply, 500, { status: 'error', message: 'Internal error', errors: [`request ${req.id}`] });
    }
    if (p.status === 413) return sendPagerDuty(reply, 413, pagerDutyInvalid(['Event object is too large']));
    const errors = p.errors ?? [];
    const unreadable = errors.some(
      (e) => e.path === 'headers.content-type' || (e.path === 'body' && UNREADABLE.has(e.message)),
    );
    if (p.status === 400 && unreadable) return sendPagerDuty(reply, 400, pagerDutyUnrecognized());
    // PagerDuty answers a wrong routing key as an invalid event, not as an authentication failure.
    const status = p.status === 401 || p.status === 403 ? 400 : p.status;
    return sendPagerDuty(reply, status, pagerDutyInvalid(errors.length ? errors.map(describe) : [p.detail]));
  };
}

/** What bodyJson (domain/body.ts) says of a body that is not JSON at all. */
const UNREADABLE = new Set(['is required', 'is not valid UTF-8', 'is not valid JSON']);
