import { Type } from '@sinclair/typebox';
import type { FastifyRequest } from 'fastify';
import { pagerDutyAccepted, pagerDutyRoutingKey, parsePagerDutyEvent } from '../../domain/alerts/index.js';
import { ALERT_STATUSES } from '../../domain/alerts/types.js';
import { canonicalService } from '../../domain/catalog/names.js';
import { FirebreakError, notFound } from '../../domain/errors.js';
import { formatIncidentId } from '../../domain/incident/types.js';
import { LIMITS } from '../../domain/limits.js';
import { type AlertFormat, attachAlert, createAlertIngestor, ingestOptions, type AlertOutcome } from '../../service/alerts.js';
import { integrationActor, integrationForRoutingKey, verifySignature } from '../../service/integrations.js';
import type { AlertRecord } from '../../service/ports.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { incidentNumber, sendIncident } from '../present.js';
import { IncidentParams, oneOf, ServiceName } from '../schemas.js';
import { pagerDutyErrors, sendPagerDuty } from '../pagerduty.js';
import { heartbeatRoutes } from './heartbeats.js';
import { opsgenieRoutes } from './opsgenie.js';
import { countAlerts } from '../metrics.js';
import { bodyJson, keepRawBodies } from '../raw-body.js';
import { requireSender } from '../sender.js';

const strict = { additionalProperties: false } as const;

const AlertsQuery = Type.Object(
  {
    status: Type.Optional(oneOf(ALERT_STATUSES)),
    service: Type.Optional(ServiceName),
    dedupKey: Type.Optional(Type.String({ maxLength: 255 })),
    incident: Type.Optional(Type.String({ maxLength: 64, description: '`INC-<n>`, `<n>`, or `none` for unlinked alerts' })),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: LIMITS.pageSize })),
    cursor: Type.Optional(Type.String({ pattern: '^[0-9]{1,15}$' })),
  },
  strict,
);
const AlertParams = Type.Object({ id: Type.String({ maxLength: 100 }) }, strict);
const AttachBody = Type.Object({ alertId: Type.String({ minLength: 1, maxLength: 100 }) }, strict);

/** Grafana's replay window for a timestamped signature. */
const SIGNATURE_MAX_AGE_S = 300;

const presentAlert = (a: AlertRecord) => ({
  id: a.id,
  source: a.source,
  dedupKey: a.dedupKey,
  status: a.status,
  service: a.routedService,
  senderService: a.service,
  summary: a.summary,
  severity: a.severity,
  signal: a.signal,
  labels: { ...a.labels },
  annotations: { ...a.annotations },
  startsAt: a.startsAt,
  endsAt: a.endsAt,
  generatorURL: a.generatorURL,
  receivedAt: a.receivedAt,
  firstReceivedAt: a.firstReceivedAt,
  occurrences: a.occurrences,
  incident: a.incident === null ? null : formatIncidentId(a.incident),
});

const presentOutcome = (o: AlertOutcome) => ({
  dedupKey: o.dedupKey,
  id: o.id,
  outcome: o.outcome,
  incident: o.incident === null ? null : formatIncidentId(o.incident),
  declared: o.declared,
  truncated: o.truncated,
});

/** Alertmanager's and Grafana's answer: how many alerts were stored, and, when any was cut, what was. */
function webhookAnswer(outcomes: readonly AlertOutcome[]) {
  const truncated = outcomes.flatMap((o, index) =>
    o.truncated.length > 0 ? [{ index, dedupKey: o.dedupKey, truncated: o.truncated }] : [],
  );
  const rejected = outcomes.flatMap((o, index) =>
    o.rejected ? [{ index, ...(o.dedupKey && { dedupKey: o.dedupKey }), errors: o.rejected }] : [],
  );
  return {
    status: 'success',
    alerts: outcomes.length - rejected.length,
    ...(truncated.length > 0 && { truncated }),
    ...(rejected.length > 0 && { rejected }),
  };
}

/**
 * Alerts in: Alertmanager and Grafana webhooks, PagerDuty Events API v2, Opsgenie Alert API v2, Firebreak JSON;
 * and the inbox out. Every 2xx is answered only after the alerts are committed.
 */
export const alertRoutes: Routes =
  ({ deps, auth, metrics }) =>
  async (app) => {
    const options = ingestOptions(deps.config);
    const ingestor = deps.startAlertIngestor ? await deps.startAlertIngestor(options) : createAlertIngestor(deps, options);
    app.addHook('onClose', async () => ingestor.close());
    // A ping that ends a heartbeat's miss resolves its alert through this same ingestor.
    await app.register(heartbeatRoutes({ deps, auth, metrics }, (submission) => ingestor.ingest(submission)));

    // The body is parsed where the alerts are committed: on the alert worker's thread, when there is one.
    const ingest = async (req: FastifyRequest, format: AlertFormat, body: Buffer) => {
      const outcomes = await ingestor.ingestRaw({
        format,
        body,
        integrationId: req.integration?.id ?? null,
        actor: callerOf(req).actor,
        receivedAt: deps.clock.now(),
      });
      countAlerts(metrics, format, outcomes);
      return outcomes;
    };

    app.get(
      '/api/v1/alerts',
      {
        schema: { tags: ['alerts'], summary: 'The alert inbox, newest first', querystring: AlertsQuery },
        onRequest: auth.requireRole('viewer'),
      },
      async (req) => {
        const q = req.query;
        const limit = q.limit ?? LIMITS.defaultPageSize;
        const incident = q.incident === undefined ? undefined : q.incident === 'none' ? 'none' : incidentNumber(q.incident);
        const items = await deps.store.listAlerts({
          status: q.status,
          service: q.service === undefined ? undefined : canonicalService(q.service),
          dedupKey: q.dedupKey,
          incident,
          before: q.cursor === undefined ? undefined : Number(q.cursor),
          limit: limit + 1,
        });
        const page = items.slice(0, limit);
        const last = page.at(-1);
        return { items: page.map(presentAlert), nextCursor: items.length > limit && last ? String(last.position) : null };
      },
    );

    app.get(
      '/api/v1/alerts/:id',
      {
        schema: { tags: ['alerts'], summary: 'One alert', params: AlertParams },
        onRequest: auth.requireRole('viewer'),
      },
      async (req) => {
        const alert = await deps.store.getAlert(req.params.id);
        if (!alert) throw notFound(`Alert ${req.params.id} does not exist.`);
        return presentAlert(alert);
      },
    );

    app.post(
      '/api/v1/incidents/:id/alerts',
      {
        schema: {
          tags: ['alerts'],
          summary: 'Attach an alert from the inbox to an open incident',
          params: IncidentParams,
          body: AttachBody,
        },
        onRequest: auth.requireRole('responder'),
      },
      async (req, reply) => {
        const result = await attachAlert(deps, incidentNumber(req.params.id), req.body.alertId, callerOf(req).actor);
        return sendIncident(reply, result);
      },
    );

    // The senders' endpoints take raw bytes: Grafana signatures cover them, PagerDuty wants its own 400s.
    await app.register(async (senders) => {
      keepRawBodies(senders, ['application/json']);

      senders.post(
        '/api/v1/alerts',
        {
          schema: { tags: ['alerts'], summary: 'Firebreak JSON alerts: one, or a batch of up to 1,000' },
          onRequest: requireSender(deps, ['generic']),
        },
        async (req, reply) => {
          const outcomes = await ingest(req, 'firebreak', req.body as Buffer);
          return reply.code(202).send({ items: outcomes.map(presentOutcome) });
        },
      );

      senders.post(
        '/api/v1/integrations/alertmanager',
        {
          schema: { tags: ['integrations'], summary: 'Prometheus Alertmanager webhook_configs (payload version 4)' },
          onRequest: requireSender(deps, ['alertmanager']),
        },
        async (req) => {
          return webhookAnswer(await ingest(req, 'alertmanager', req.body as Buffer));
        },
      );

      const grafana = async (req: FastifyRequest) => {
        const raw = req.body as Buffer;
        const secretHash = req.integration?.secretHash;
        if (secretHash) verifyGrafanaSignature(req, raw, secretHash, deps.clock.now());
        return webhookAnswer(await ingest(req, 'grafana', raw));
      };
      const grafanaOpts = {
        schema: { tags: ['integrations'], summary: 'Grafana alerting webhook contact point (POST or PUT)' },
        onRequest: requireSender(deps, ['grafana']),
      };
      senders.post('/api/v1/integrations/grafana', grafanaOpts, grafana);
      senders.put('/api/v1/integrations/grafana', grafanaOpts, grafana);

      // PagerDuty Events API v2: authenticated by the routing key in the body, answered in PagerDuty's own bodies.
      senders.post(
        '/v2/enqueue',
        {
          schema: { tags: ['integrations'], summary: 'PagerDuty Events API v2 compatible' },
          errorHandler: pagerDutyErrors((e) => e.message),
        },
        async (req, reply) => {
          const body = bodyJson(req.body);
          const key = pagerDutyRoutingKey(body);
          const integration = key === null ? undefined : await integrationForRoutingKey(deps, key);
          if (key !== null && !integration) throw new FirebreakError('unauthorized', 'Invalid routing key');
          const event = parsePagerDutyEvent(body, {
            receivedAt: deps.clock.now(),
            newId: () => deps.ids.next(),
            // A malformed key fails parsing before this is used.
            integrationId: integration?.id ?? '',
          });
          if (!integration) throw new FirebreakError('unauthorized', 'Invalid routing key');
          if (event.action !== 'acknowledge') {
            const outcomes = await ingestor.ingest({ items: [event.alert], integrationId: integration.id, actor: integrationActor(integration) });
            countAlerts(metrics, 'pagerduty', outcomes);
          }
          const truncated = event.action === 'trigger' ? event.alert.truncated : undefined;
          return sendPagerDuty(reply, 202, pagerDutyAccepted(event.dedupKey, truncated));
        },
      );

      // Opsgenie Alert API v2: authenticated by `Authorization: GenieKey`, answered in Opsgenie's own bodies.
      await senders.register(opsgenieRoutes({ deps, metrics, ingestor }));
    });
  };

/**
 * Grafana's optional HMAC: hex HMAC-SHA256 of the body in X-Grafana-Alerting-Signature, or of
 * `<timestamp>:<body>` when X-Grafana-Alerting-Timestamp is sent (then it must be recent).
 */
function verifyGrafanaSignature(req: FastifyRequest, raw: Buffer, secretHash: string, now: string) {
  const signature = req.headers['x-grafana-alerting-signature'];
  const timestamp = req.headers['x-grafana-alerting-timestamp'];
  const refuse = (why: string) => new FirebreakError('unauthorized', `The Grafana signature ${why}.`);
  if (typeof signature !== 'string') throw refuse('header X-Grafana-Alerting-Signature is missing');
  let signed = raw;
  if (timestamp !== undefined) {
    const ts = typeof timestamp === 'string' && /^[0-9]{1,12}$/.test(timestamp) ? Number(timestamp) : NaN;
    if (Number.isNaN(ts) || Math.abs(Date.parse(now) / 1000 - ts) > SIGNATURE_MAX_AGE_S) {
      throw refuse('timestamp is missing, malformed or older than 5 minutes');
    }
    signed = Buffer.concat([Buffer.from(`${timestamp}:`), raw]);
  }
  if (!verifySignature(secretHash, signed, signature.trim())) throw refuse('does not match');
}
