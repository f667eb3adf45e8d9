import { type FieldError, validationError } from '../errors.js';
import { type Check, int, isObj, Issues, link, object, oneOf, opt, own, parseOrThrow, str } from '../catalog/check.js';
import {
  ALERT_LIMITS,
  ANNOTATION_PRIORITY,
  batch,
  emptyMap,
  fitText,
  LABEL_PRIORITY,
  lenientText,
  mapOf,
  marked,
  parseMarks,
  stringMap,
} from './check.js';
import { serviceOf, severityOf, signalOf, summaryOf } from './classify.js';
import { alertTimes, lenientSenderTime } from './times.js';
import { ALERT_STATUSES, type NormalizedAlert, type ParseContext, type ParsedBatch, type RejectedAlert } from './types.js';

/** A webhook group: its alerts in order, an alert that could not be kept rejected in its place. */
export type WebhookBatch = ParsedBatch<NormalizedAlert | RejectedAlert>;

// A fingerprint and a status are an alert's identity: without them it is rejected, alone. The rest is
// cut to fit the limits, or dropped when it cannot be kept, and said so on the alert: a refused webhook
// is every alert of its group lost, since neither peer retries a 4xx.
const alertFields = {
  status: oneOf(ALERT_STATUSES),
  labels: stringMap('labels', LABEL_PRIORITY, { dropInvalid: true }),
  annotations: opt(stringMap('annotations', ANNOTATION_PRIORITY, { dropInvalid: true })),
  startsAt: lenientSenderTime,
  endsAt: opt(lenientSenderTime),
  generatorURL: opt(link),
  fingerprint: str(64, { pattern: /^[0-9a-f]+$/i, hint: 'expected a hex fingerprint' }),
};

// Grafana's per-alert extras, all optional and read leniently (a bad link is left out, a long
// valueString cut): useful links for the responder.
const GRAFANA_EXTRAS = ['dashboardURL', 'panelURL', 'silenceURL', 'imageURL', 'valueString', 'ruleUID'] as const;
const grafanaFields = {
  ...alertFields,
  dashboardURL: opt(link),
  panelURL: opt(link),
  silenceURL: opt(link),
  imageURL: opt(link),
  valueString: opt(lenientText(Number.POSITIVE_INFINITY)),
  ruleUID: opt(lenientText(ALERT_LIMITS.shortText)),
};

/** One alert of a group as checked on its own: kept (with what had to be dropped) or rejected. */
type Checked<T> =
  | { ok: true; value: T; dropped: string[] }
  | { ok: false; errors: FieldError[]; fingerprint: string | null };

const fingerprintOf = (v: unknown) => {
  const f = isObj(v) ? own(v, 'fingerprint') : undefined;
  return typeof f === 'string' && /^[0-9a-f]{1,64}$/i.test(f) ? f.toLowerCase() : null;
};

// Each alert gets its own issues, so one that cannot be kept costs only itself. Its required fields
// valid, an optional field that was not (annotations not an object) is left out and said so.
const eachAlert =
  <T>(alert: Check<T>): Check<Checked<T>> =>
  (v, path) => {
    const mine = new Issues();
    const value = alert(v, path, mine);
    if (value === undefined) return { ok: false, errors: mine.list, fingerprint: fingerprintOf(v) };
    const dropped = mine.list.map((e) => `${e.path.slice(path.length + 1) || 'alert'}: dropped (${e.message})`);
    return { ok: true, value, dropped };
  };

const envelope = <T>(alert: Check<T>) =>
  object(
    {
      groupKey: str(ALERT_LIMITS.groupKey),
      status: opt(oneOf(ALERT_STATUSES)),
      // Grafana Cloud sends an empty receiver for contact-point tests and some routes.
      receiver: opt(lenientText(ALERT_LIMITS.shortText)),
      externalURL: opt(link),
      truncatedAlerts: opt(int(0, Number.MAX_SAFE_INTEGER), 0),
      alerts: batch(eachAlert(alert)),
    },
    false,
  );

const PEERS = {
  alertmanager: { version: '4', name: 'Alertmanager', a: 'an Alertmanager', other: 'grafana', prefix: 'am' },
  grafana: { version: '1', name: 'Grafana', a: 'a Grafana', other: 'alertmanager', prefix: 'grafana' },
} as const;
type Peer = keyof typeof PEERS;

// A payload of another version is refused on that one field: its other fields mean other things.
function checkVersion(body: unknown, peer: Peer): void {
  const { version, name, a, other } = PEERS[peer];
  if (!isObj(body)) throw validationError([{ path: 'body', message: 'expected an object' }], `Not ${a} webhook.`);
  const got = own(body, 'version');
  if (got === version) return;
  const theirs = PEERS[other].name;
  const hint =
    got === PEERS[other].version ? ` (that is the ${theirs} payload version: send it to the ${theirs} integration)` : '';
  const message =
    got === undefined || got === null
      ? `is required: ${name} webhooks carry version "${version}"`
      : `expected "${version}" (${name} webhook payload version ${version}), got ${JSON.stringify(got)}${hint}`;
  throw validationError([{ path: 'body.version', message }], `Unsupported ${name} webhook version.`);
}

const amAlert = object(alertFields, false);
const grafanaAlert = object(grafanaFields, false);
type Parsed<C> = C extends Check<infer T> ? T : never;
type WebhookAlert = Parsed<typeof amAlert> & Partial<Parsed<typeof grafanaAlert>>;
const ENVELOPES = { alertmanager: envelope<WebhookAlert>(amAlert), grafana: envelope<WebhookAlert>(grafanaAlert) };

function normalize(peer: Peer, a: WebhookAlert, dropped: readonly string[], ctx: ParseContext): NormalizedAlert {
  const labels = a.labels.map;
  const given = a.annotations?.map ?? emptyMap();
  const cut = [...dropped, ...a.labels.cut, ...(a.annotations?.cut ?? [])];
  const extras = GRAFANA_EXTRAS.flatMap((k) => {
    const v = a[k];
    return typeof v === 'string' && !Object.hasOwn(given, k) ? [[k, fitText(k, v, cut)] as const] : [];
  });
  const annotations = extras.length ? mapOf([...Object.entries(given), ...extras]) : given;
  const times = alertTimes({ startsAt: a.startsAt, endsAt: a.endsAt }, a.status, ctx.receivedAt);
  const fingerprint = a.fingerprint.toLowerCase();
  return {
    source: peer,
    dedupKey: `${PEERS[peer].prefix}:${fingerprint}`,
    status: a.status,
    service: serviceOf(labels),
    summary: summaryOf(annotations, labels, `alert ${fingerprint}`),
    severity: severityOf(labels.severity),
    signal: signalOf(labels, annotations),
    labels,
    annotations: marked(annotations, cut, times.notes),
    startsAt: times.startsAt,
    endsAt: times.endsAt,
    generatorURL: a.generatorURL,
    receivedAt: ctx.receivedAt,
    ...parseMarks(cut, times.startsAtUnset),
  };
}

function parseWebhook(peer: Peer, body: unknown, ctx: ParseContext): WebhookBatch {
  checkVersion(body, peer);
  const message = `The ${PEERS[peer].name} webhook is not valid.`;
  const p = parseOrThrow(ENVELOPES[peer], body, 'body', message);
  // With no alert to keep, the sender hears why; otherwise the rejected ones are answered one by one.
  if (p.alerts.length > 0 && p.alerts.every((a) => !a.ok)) {
    throw validationError(p.alerts.flatMap((a) => (a.ok ? [] : a.errors)), message);
  }
  const { prefix } = PEERS[peer];
  return {
    alerts: p.alerts.map((a) =>
      a.ok
        ? normalize(peer, a.value, a.dropped, ctx)
        : { source: peer, dedupKey: a.fingerprint ? `${prefix}:${a.fingerprint}` : '', rejected: a.errors },
    ),
    group: {
      key: p.groupKey,
      receiver: p.receiver,
      status: p.status,
      truncatedAlerts: p.truncatedAlerts,
      externalURL: p.externalURL,
    },
  };
}

/**
 * An Alertmanager `webhook_configs` body (payload version "4"). Each alert's dedupKey is
 * `am:<fingerprint>`: Alertmanager's own hash of the label set, stable across re-sends and HA peers.
 * Fields Firebreak does not read (notification_reason, routeLabels, future ones) are ignored.
 */
export const parseAlertmanager = (body: unknown, ctx: ParseContext): WebhookBatch =>
  parseWebhook('alertmanager', body, ctx);

/**
 * A Grafana webhook contact point body (version "1"): the Alertmanager skeleton plus Grafana's extras;
 * dashboard, panel, silence and image links, valueString and ruleUID land in annotations unless the
 * alert already has an annotation of that name. dedupKey is `grafana:<fingerprint>`.
 */
export const parseGrafana = (body: unknown, ctx: ParseContext): WebhookBatch => parseWebhook('grafana', body, ctx);
