import { validationError } from '../errors.js';
import { type Check, object, oneOf, opt, parseOrThrow, refine, str, url } from '../catalog/check.js';
import { service } from '../catalog/names.js';
import { ALERT_LIMITS, ANNOTATION_PRIORITY, batch, emptyMap, fitText, LABEL_PRIORITY, marked, parseMarks, stringMap } from './check.js';
import { serviceOf, signalOf } from './classify.js';
import { alertTimes, senderTime } from './times.js';
import {
  ALERT_SEVERITIES,
  ALERT_SIGNALS,
  ALERT_STATUSES,
  type NormalizedAlert,
  type ParseContext,
  type ParsedBatch,
} from './types.js';

// The integrations' and heartbeats' prefixes: a Firebreak key may not pose as (or resolve) their alerts.
const RESERVED = /^(?:am|grafana|pd|og|hb):/i;

// Strict (unknown fields refused), but an over-long summary or map is cut to the limits with the
// marker annotation, as for every sender.
const fields = object({
  dedupKey: str(ALERT_LIMITS.dedupKey),
  status: oneOf(ALERT_STATUSES),
  service: opt(service()),
  summary: str(Number.POSITIVE_INFINITY),
  severity: oneOf(ALERT_SEVERITIES),
  signal: opt(oneOf(ALERT_SIGNALS)),
  labels: opt(stringMap('labels', LABEL_PRIORITY)),
  annotations: opt(stringMap('annotations', ANNOTATION_PRIORITY)),
  startsAt: opt(senderTime),
  endsAt: opt(senderTime),
  generatorURL: opt(url()),
});

const alert = refine(fields, (a) => {
  if (RESERVED.test(a.dedupKey)) {
    return { path: 'dedupKey', message: 'must not start with am:, grafana:, pd:, og: or hb: (reserved for the integrations and heartbeats)' };
  }
  if (a.endsAt !== null && a.startsAt !== null && a.endsAt.at < a.startsAt.at) {
    return { path: 'endsAt', message: 'must not be before startsAt' };
  }
  return null;
});
type FirebreakAlert = typeof alert extends Check<infer T> ? T : never;
const alerts = batch(alert, { unique: 'dedupKey' });

function normalize(a: FirebreakAlert, ctx: ParseContext): NormalizedAlert {
  const labels = a.labels?.map ?? emptyMap();
  const given = a.annotations?.map ?? emptyMap();
  const cut = [...(a.labels?.cut ?? []), ...(a.annotations?.cut ?? [])];
  const summary = fitText('summary', a.summary, cut, ALERT_LIMITS.summary);
  const times = alertTimes({ startsAt: a.startsAt, endsAt: a.endsAt }, a.status, ctx.receivedAt);
  return {
    source: 'firebreak',
    dedupKey: a.dedupKey,
    status: a.status,
    service: a.service ?? serviceOf(labels),
    summary,
    severity: a.severity,
    signal: a.signal ?? signalOf(labels, given, summary),
    labels,
    annotations: marked(given, cut, times.notes),
    startsAt: times.startsAt,
    endsAt: times.endsAt,
    generatorURL: a.generatorURL,
    receivedAt: ctx.receivedAt,
    ...parseMarks(cut, times.startsAtUnset),
  };
}

/**
 * Firebreak's own alert JSON (`POST /api/v1/alerts`): one alert or a list of at most 1,000, strict
 * (unknown fields refused). The dedupKey is kept as the sender wrote it, so the sender can look it up.
 */
export function parseFirebreakAlerts(body: unknown, ctx: ParseContext): ParsedBatch {
  if (Array.isArray(body) && body.length === 0) {
    throw validationError([{ path: 'body', message: 'an empty batch has no alerts' }], 'The alerts are not valid.');
  }
  const check = Array.isArray(body) ? alerts : alert;
  const parsed = parseOrThrow<FirebreakAlert | FirebreakAlert[]>(check, body, 'body', 'The alerts are not valid.');
  return { alerts: (Array.isArray(parsed) ? parsed : [parsed]).map((a) => normalize(a, ctx)) };
}
