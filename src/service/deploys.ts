import { canonicalService, findService, serviceForRepository } from '../domain/catalog/index.js';
import type { Catalog } from '../domain/catalog/types.js';
import { mergeDeploy } from '../domain/deploys/index.js';
import type { Deploy, ResolveService } from '../domain/deploys/types.js';
import { LIMITS } from '../domain/limits.js';
import { catalogInTx, retryConflicts } from './catalog.js';
import type { ServiceDeps } from './deps.js';
import { verifySignature } from './integrations.js';
import type { DeployRecord, IntegrationRecord } from './ports.js';
import { plainDeploy, refreshBoundaries } from './release-boundary.js';

/** What recording a deploy amounted to. */
export type RecordedDeploy =
  | { outcome: 'created' | 'updated'; deploy: DeployRecord; incidentsUpdated: number[] }
  /** A GitHub delivery seen before: nothing was recorded. */
  | { outcome: 'duplicate' };

export interface RecordDeployOptions {
  /** A sender's delivery id (GitHub `X-GitHub-Delivery`): recorded with the deploy, so a redelivery records nothing. */
  delivery?: { id: string; integrationId: string };
}

/** Services whose incidents a deploy of `service` can explain: it, and those that depend on it. */
const touchedBy = (catalog: Catalog | null, service: string) => [
  service,
  ...(catalog?.services ?? []).filter((s) => s.dependsOn.includes(service)).map((s) => s.name),
];

/**
 * Records one report of a deploy in one transaction: merged into what is known of the same deploy
 * (same source and external id), then the release boundary and suspects of every open incident it
 * can touch are recomputed, so a deploy that arrives after the declaration still shows up.
 */
export async function recordDeploy(
  deps: ServiceDeps,
  deploy: Deploy,
  actor: string,
  opts: RecordDeployOptions = {},
): Promise<RecordedDeploy> {
  const result = await retryConflicts(() =>
    deps.store.transaction(async (tx): Promise<RecordedDeploy> => {
      const now = deps.clock.now();
      if (opts.delivery && !(await tx.recordDelivery(opts.delivery.id, opts.delivery.integrationId, now))) {
        return { outcome: 'duplicate' };
      }
      const previous = await tx.findDeploy(deploy.source, deploy.externalId);
      const merged = previous ? mergeDeploy(plainDeploy(previous), deploy) : deploy;
      const record: DeployRecord = {
        ...merged,
        id: previous?.id ?? deps.ids.next(),
        receivedAt: previous?.receivedAt ?? now,
        updatedAt: now,
      };
      await tx.saveDeploy(record);
      const catalog = await catalogInTx(tx);
      const services = new Set([...touchedBy(catalog, record.service), ...(previous ? touchedBy(catalog, previous.service) : [])]);
      const incidentsUpdated = await refreshBoundaries(tx, await tx.openIncidentsFor([...services]), catalog, now);
      tx.notify({ kind: 'deploys' });
      return { outcome: previous ? 'updated' : 'created', deploy: record, incidentsUpdated };
    }),
  );
  if (result.outcome !== 'duplicate') {
    const { id, service, status } = result.deploy;
    deps.log.info({ deployId: id, service, status, actor, incidents: result.incidentsUpdated }, `deploy ${result.outcome}`);
  }
  return result;
}

/** Deploys newest first (by start), optionally of one service and since a time. */
export async function listDeploys(
  deps: Pick<ServiceDeps, 'store'>,
  filter: { service?: string; since?: string; limit?: number },
): Promise<DeployRecord[]> {
  return deps.store.listDeploys({
    services: filter.service === undefined ? undefined : [canonicalService(filter.service)],
    since: filter.since === undefined ? undefined : new Date(filter.since).toISOString(),
    limit: Math.min(filter.limit ?? LIMITS.defaultPageSize, LIMITS.pageSize),
  });
}

/**
 * How a sender's identifier names a service: a catalog service of that name, or the service whose
 * GitHub repository (`owner/name`) it is. Nothing without a catalog.
 */
export function serviceResolver(catalog: Catalog | null): ResolveService {
  return (key) => {
    if (catalog === null) return null;
    return findService(catalog, key)?.name ?? serviceForRepository(catalog, key);
  };
}

/**
 * The live GitHub integration whose secret signed these exact bytes (`X-Hub-Signature-256`), or
 * undefined. Every live one is tried, each comparison in constant time.
 */
export async function githubIntegrationForSignature(
  deps: Pick<ServiceDeps, 'store'>,
  body: Buffer,
  signatureHex: string,
): Promise<IntegrationRecord | undefined> {
  const live = (await deps.store.listIntegrations()).filter(
    (i) => i.type === 'github' && i.revokedAt === null && i.secretHash !== null,
  );
  return live.find((i) => verifySignature(i.secretHash!, body, signatureHex));
}
