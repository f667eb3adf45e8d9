import { FirebreakError, validationError } from '../../domain/errors.js';
import { isObj, own } from '../../domain/catalog/check.js';
import { parseFirebreakDeploy, parseGithubDeployment, parsePagerDutyChange } from '../../domain/deploys/index.js';
import { getCatalog } from '../../service/catalog.js';
import {
  githubIntegrationForSignature,
  listDeploys,
  recordDeploy,
  serviceResolver,
  type RecordedDeploy,
} from '../../service/deploys.js';
import { integrationActor, integrationForRoutingKey } from '../../service/integrations.js';
import { getIncidentOrThrow } from '../../service/queries.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { DeployQuery, GithubHeaders, RAW_JSON_BODY } from '../input-schemas.js';
import { incidentNumber } from '../present.js';
import { bodyJson, keepRawBodies } from '../raw-body.js';
import { requireSender } from '../sender.js';
import { IncidentParams, NoQuery } from '../schemas.js';
import { pagerDutyErrors, sendPagerDuty } from '../pagerduty.js';

const unauthorized = (message: string) => new FirebreakError('unauthorized', message);

/** 201 for a deploy seen the first time, 200 for one more report of a known one. */
const statusOf = (r: Exclude<RecordedDeploy, { outcome: 'duplicate' }>) => (r.outcome === 'created' ? 201 : 200);

/** Deploys and config changes: Firebreak JSON, GitHub deployment webhooks, PagerDuty Change Events. */
export const deploysRoutes: Routes =
  ({ deps, auth, metrics }) =>
  async (app) => {
    keepRawBodies(app, ['application/json']);
    const record = async (source: string, ...args: Parameters<typeof recordDeploy>) => {
      const result = await recordDeploy(...args);
      metrics.deploys.inc({ source, outcome: result.outcome });
      return result;
    };
    // An API token with the ingest (or admin) role, or a generic integration's token; never a cookie.
    const ingestOrGeneric = requireSender(deps, ['generic']);

    app.post(
      '/api/v1/deploys',
      {
        schema: { tags: ['deploys'], summary: 'Record a deploy or config change (Firebreak JSON)', description: RAW_JSON_BODY, querystring: NoQuery },
        onRequest: ingestOrGeneric,
      },
      async (req, reply) => {
        const deploy = parseFirebreakDeploy(bodyJson(req.body), deps.clock.now());
        const result = await record('firebreak', deps, deploy, callerOf(req).actor);
        if (result.outcome === 'duplicate') throw new FirebreakError('internal', 'a deploy without a delivery id was a duplicate');
        reply.code(statusOf(result));
        return result.deploy;
      },
    );

    app.post(
      '/api/v1/integrations/github',
      {
        schema: {
          tags: ['deploys'],
          summary: 'GitHub deployment and deployment_status webhooks, signed with X-Hub-Signature-256',
          description: RAW_JSON_BODY,
          headers: GithubHeaders,
          security: [],
        },
      },
      async (req, reply) => {
        const signature = /^sha256=([0-9a-f]{64})$/i.exec(req.headers['x-hub-signature-256'] ?? '')?.[1];
        if (signature === undefined) throw unauthorized('X-Hub-Signature-256 is missing or is not sha256=<64 hex digits>.');
        const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const integration = await githubIntegrationForSignature(deps, raw, signature);
        if (!integration) throw unauthorized('X-Hub-Signature-256 does not match the secret of any live GitHub integration.');

        const event = req.headers['x-github-event'] ?? '';
        if (event === 'ping') return { status: 'ok', event };
        const payload = bodyJson(raw);
        const parsed = parseGithubDeployment(event, payload, serviceResolver((await getCatalog(deps)).catalog));
        if (parsed.kind === 'ignored') return reply.code(202).send({ status: 'ignored', reason: parsed.reason });
        const delivery = req.headers['x-github-delivery'];
        if (!delivery) throw validationError([{ path: 'headers.x-github-delivery', message: 'is required' }]);
        const result = await record('github', deps, parsed.deploy, integrationActor(integration), {
          delivery: { id: delivery, integrationId: integration.id },
        });
        if (result.outcome === 'duplicate') return { status: 'duplicate', delivery };
        reply.code(statusOf(result));
        return { status: result.outcome, deploy: result.deploy };
      },
    );

    app.post(
      '/v2/change/enqueue',
      {
        schema: {
          tags: ['deploys'],
          summary: 'PagerDuty Change Events compatible: a change event as a succeeded deploy',
          description: `${RAW_JSON_BODY} Authenticated by its routing_key; every answer is PagerDuty-style JSON.`,
          security: [],
        },
        errorHandler: pagerDutyErrors((e) => `${e.path} ${e.message}`),
      },
      async (req, reply) => {
        const body = bodyJson(req.body);
        // The error handler answers these as PagerDuty does: 400 "invalid event", the message as its one error.
        const key = isObj(body) ? own(body, 'routing_key') : undefined;
        if (typeof key !== 'string' || key.trim() === '') throw unauthorized("'routing_key' is missing or blank");
        const integration = await integrationForRoutingKey(deps, key);
        if (!integration) throw unauthorized('Invalid routing key');
        const now = deps.clock.now();
        const deploy = parsePagerDutyChange(body, serviceResolver((await getCatalog(deps)).catalog), now);
        await record('pagerduty', deps, deploy, integrationActor(integration));
        return sendPagerDuty(reply, 202, { status: 'success', message: 'Change event processed' });
      },
    );

    app.get(
      '/api/v1/deploys',
      { schema: { tags: ['deploys'], summary: 'Deploys, newest first', querystring: DeployQuery }, onRequest: auth.requireRole('viewer') },
      async (req) => ({ items: await listDeploys(deps, req.query) }),
    );

    app.get(
      '/api/v1/incidents/:id/suspects',
      {
        schema: { tags: ['incidents'], summary: 'The release boundary and suspect deploys of an incident', params: IncidentParams, querystring: NoQuery },
        onRequest: auth.requireRole('viewer'),
      },
      async (req) => {
        const { state } = await getIncidentOrThrow(deps, incidentNumber(req.params.id));
        return { id: state.id, releaseBoundary: state.releaseBoundary, suspects: state.suspects };
      },
    );
  };
