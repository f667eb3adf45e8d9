import {
  findService,
  onCallFor,
  onCallNow,
  ownerOf,
  rankLevers,
  renderServicePlaybook,
} from '../../domain/catalog/index.js';
import type { Catalog, Lever, NotifyTarget, Service, Team } from '../../domain/catalog/types.js';
import { notFound, validationError } from '../../domain/errors.js';
import { applyCatalog, CATALOG_MEDIA_TYPES, catalogStatus, getCatalog, type CatalogFormat } from '../../service/catalog.js';
import { callerOf } from '../auth.js';
import type { Routes } from '../context.js';
import { NamespacedServiceParams, ServiceParams } from '../input-schemas.js';
import { bodyText, keepRawBodies, mediaType } from '../raw-body.js';
import { NoQuery } from '../schemas.js';

const MARKDOWN = 'text/markdown; charset=utf-8';

/** `https://hooks.slack.com/services/T0/B0/XXX` → `https://hooks.slack.com/…`: the path is the secret. */
function maskUrl(url: string): string {
  return URL.canParse(url) ? `${new URL(url).origin}/…` : '…';
}

const maskTarget = (t: NotifyTarget): NotifyTarget => ('url' in t ? { ...t, url: maskUrl(t.url) } : t);

/** A lever webhook without credentials or query, header values or secret: what to call, not how to authenticate. */
function presentLever(l: Lever): Lever {
  if (l.action.type !== 'webhook' || !URL.canParse(l.action.url)) return l;
  const u = new URL(l.action.url);
  const shown = `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
  const { headers, secret, ...action } = l.action;
  return {
    ...l,
    action: {
      ...action,
      url: shown,
      ...(headers && { headers: Object.fromEntries(Object.keys(headers).map((k) => [k, '…'])) }),
      ...(secret !== undefined && { secret: 'whsec_…' }),
    },
  };
}

const presentTeam = (t: Team, now: string) => ({ ...t, notify: t.notify.map(maskTarget), onCallNow: onCallNow(t, now) });

const serviceSummary = (s: Service, owner: ReturnType<typeof ownerOf>, now: string) => ({
  name: s.name,
  title: s.title,
  owner: s.owner,
  tier: s.tier,
  public: s.public,
  system: s.system,
  lifecycle: s.lifecycle,
  repository: s.repository,
  dependsOn: s.dependsOn,
  runbook: s.runbook,
  onCallNow: onCallFor(owner, now),
});

const EMPTY: Catalog = { services: [], teams: [], systems: [], users: [], schedules: [], escalationPolicies: [], ignored: [], warnings: [] };

/** `/services/payments/checkout` names the service `payments/checkout`, as `/services/payments%2Fcheckout` does. */
const namespaced = (p: { namespace: string; name: string }) => `${p.namespace}/${p.name}`;

function formatOf(contentType: string | undefined): CatalogFormat {
  const type = mediaType(contentType);
  if ((CATALOG_MEDIA_TYPES.json as readonly string[]).includes(type)) return 'json';
  if ((CATALOG_MEDIA_TYPES.yaml as readonly string[]).includes(type)) return 'yaml';
  throw validationError([
    { path: 'headers.content-type', message: `must be one of ${[...CATALOG_MEDIA_TYPES.yaml, ...CATALOG_MEDIA_TYPES.json].join(', ')}` },
  ]);
}

/** The service catalog: apply it whole, read services, teams and per-service playbooks. */
export const catalogRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    // '*' too, so a wrong media type is refused below naming the ones this route reads.
    keepRawBodies(app, [...CATALOG_MEDIA_TYPES.yaml, ...CATALOG_MEDIA_TYPES.json, '*']);
    const viewer = auth.requireRole('viewer');

    const catalogOrEmpty = async () => (await getCatalog(deps)).catalog ?? EMPTY;

    app.put(
      '/api/v1/catalog',
      {
        schema: {
          tags: ['catalog'],
          summary: 'Apply the service catalog (YAML or JSON), validated whole and applied atomically',
          description:
            'Body: multi-document YAML (application/yaml, application/x-yaml, text/yaml) of firebreak/v1 Service and Team documents and Backstage entities; or JSON (application/json): one document, an array of documents, or {"items": [...]}.',
          querystring: NoQuery,
        },
        onRequest: auth.requireRole('admin'),
      },
      async (req) => {
        const format = formatOf(req.headers['content-type']);
        return applyCatalog(deps, { text: bodyText(req.body), format }, callerOf(req).actor);
      },
    );

    app.get(
      '/api/v1/catalog',
      { schema: { tags: ['catalog'], summary: 'The catalog version in force', querystring: NoQuery }, onRequest: viewer },
      async () => catalogStatus(deps),
    );

    app.get(
      '/api/v1/services',
      { schema: { tags: ['catalog'], summary: 'Services with owner, tier and who is on call now', querystring: NoQuery }, onRequest: viewer },
      async () => {
        const catalog = await catalogOrEmpty();
        const now = deps.clock.now();
        return { items: catalog.services.map((s) => serviceSummary(s, ownerOf(catalog, s), now)) };
      },
    );

    const serviceDetail = async (name: string) => {
      const catalog = await catalogOrEmpty();
      const service = findService(catalog, name);
      if (!service) throw notFound(`No service named ${JSON.stringify(name)} in the catalog.`);
      const owner = ownerOf(catalog, service);
      const now = deps.clock.now();
      return {
        ...serviceSummary(service, owner, now),
        service: { ...service, levers: service.levers.map(presentLever) },
        team: owner.team ? presentTeam(owner.team, now) : null,
        person: owner.person,
        levers: rankLevers(service).map(presentLever),
        warnings: service.warnings,
      };
    };
    const playbook = async (name: string) => renderServicePlaybook(await catalogOrEmpty(), name, deps.clock.now());
    const detailSchema = { tags: ['catalog'], summary: 'One service, its team or owner, who is on call, its levers ranked', querystring: NoQuery };
    const playbookSchema = { tags: ['catalog'], summary: 'The incident playbook of a service (Markdown)', querystring: NoQuery };

    app.get('/api/v1/services/:name', { schema: { ...detailSchema, params: ServiceParams }, onRequest: viewer }, async (req) =>
      serviceDetail(req.params.name),
    );
    app.get(
      '/api/v1/services/:namespace/:name',
      { schema: { ...detailSchema, params: NamespacedServiceParams }, onRequest: viewer },
      async (req) => serviceDetail(namespaced(req.params)),
    );
    app.get(
      '/api/v1/services/:name/playbook',
      { schema: { ...playbookSchema, params: ServiceParams }, onRequest: viewer },
      async (req, reply) => reply.type(MARKDOWN).send(await playbook(req.params.name)),
    );
    app.get(
      '/api/v1/services/:namespace/:name/playbook',
      { schema: { ...playbookSchema, params: NamespacedServiceParams }, onRequest: viewer },
      async (req, reply) => reply.type(MARKDOWN).send(await playbook(namespaced(req.params))),
    );

    app.get(
      '/api/v1/teams',
      { schema: { tags: ['catalog'], summary: 'Teams, members and who is on call now', querystring: NoQuery }, onRequest: viewer },
      async () => {
        const catalog = await catalogOrEmpty();
        const now = deps.clock.now();
        return { items: catalog.teams.map((t) => presentTeam(t, now)) };
      },
    );
  };
