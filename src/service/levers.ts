import { createHmac } from 'node:crypto';
import { fillTemplate, type TemplateValues } from '../domain/catalog/lever-template.js';
import { rankLevers } from '../domain/catalog/queries.js';
import type { Catalog, Lever, WebhookLeverAction } from '../domain/catalog/types.js';
import type { Deploy } from '../domain/deploys/types.js';
import { isEgressRefused, notFound, validationError } from '../domain/errors.js';
import type { DecideMitigation } from '../domain/incident/commands.js';
import { decide } from '../domain/incident/decide.js';
import type { Execution, Incident, Mitigation } from '../domain/incident/state.js';
import { formatIncidentId } from '../domain/incident/types.js';
import { getCatalog } from './catalog.js';
import type { ServiceDeps } from './deps.js';
import { type CommandOptions, type CommandResult, executeCommand } from './execute-command.js';
import type { Egress, OutboundRequest, OutboundResponse } from './ports.js';

/** A webhook lever gives up after this long unless its catalog entry says otherwise. */
export const DEFAULT_LEVER_TIMEOUT_MS = 10_000;

/** The release boundary a lever acts on: the deploy of the lever's service before impact, and the version before it. */
export interface LeverBoundary {
  service: string;
  environment: string;
  version: string | null;
  previousVersion: string | null;
  commitSha: string | null;
  deploy: string;
}

/** One lever offered on an incident, as `GET …/levers` answers it: no secret, no header value, no URL query. */
export interface OfferedLever {
  service: string;
  name: string;
  kind: Lever['kind'];
  failClosed: boolean;
  preservesData: boolean;
  action:
    | { type: 'webhook'; method: string; url: string; headers: string[]; signed: boolean; timeoutMs: number }
    | { type: 'manual'; instructions: string };
  boundary: LeverBoundary | null;
  /** The incident's pulls of this lever, oldest first. */
  pulls: { mitigationId: string; state: Execution['state']; at: string }[];
}

/** The request a webhook lever makes, as a dry run answers it. */
export interface LeverRequest {
  method: OutboundRequest['method'];
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
}

export interface PullInput {
  lever: string;
  rationale: string;
  failOpenReason?: string;
  action?: string;
}

export type PullResult =
  | ({ dryRun: false } & CommandResult)
  | { dryRun: true; service: string; lever: string; mitigationId: string; request: LeverRequest };

interface Found {
  lever: Lever;
  service: string;
}

/** A URL as shown outside the catalog: no credentials, no query (either may hold a secret). */
export function shownUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const u = new URL(url);
  return `${u.origin}${u.pathname}${u.search ? '?…' : ''}`;
}

/** The incident's services' levers from the catalog, ranked together (fail-closed, data-preserving, kind). */
function leversOf(catalog: Catalog | null, incident: Incident): Found[] {
  if (!catalog) return [];
  const owner = new Map<Lever, string>();
  for (const name of incident.services) {
    const service = catalog.services.find((s) => s.name === name);
    for (const lever of service?.levers ?? []) owner.set(lever, name);
  }
  return rankLevers({ levers: [...owner.keys()] }).map((lever) => ({ lever, service: owner.get(lever)! }));
}

/** The deploy a rollback returns from: the incident's release boundary when it is the lever's service's. */
async function boundaryFor(deps: Pick<ServiceDeps, 'store'>, incident: Incident, service: string): Promise<LeverBoundary | null> {
  const b: Deploy | null = incident.releaseBoundary;
  if (!b || b.service !== service) return null;
  let previousVersion = b.previousVersion;
  if (previousVersion === null) {
    // The sender did not say what it replaced: the service's last succeeded deploy before it did.
    const before = await deps.store.listDeploys({ services: [service], until: b.startedAt, limit: 50 });
    const earlier = before
      .filter((d) => d.externalId !== b.externalId && d.status === 'succeeded' && d.environment === b.environment && d.startedAt < b.startedAt)
      .sort((x, y) => y.startedAt.localeCompare(x.startedAt))[0];
    previousVersion = earlier?.version ?? null;
  }
  return {
    service,
    environment: b.environment,
    version: b.version,
    previousVersion,
    commitSha: b.commitSha,
    deploy: b.externalId,
  };
}

async function loadOrThrow(deps: Pick<ServiceDeps, 'store'>, number: number) {
  const loaded = await deps.store.loadIncident(number);
  if (!loaded) throw notFound(`Incident ${formatIncidentId(number)} does not exist.`);
  return loaded;
}

function presentAction(action: Lever['action']): OfferedLever['action'] {
  if (action.type === 'manual') return action;
  return {
    type: 'webhook',
    method: action.method,
    url: shownUrl(action.url),
    headers: Object.keys(action.headers ?? {}),
    signed: action.secret !== undefined,
    timeoutMs: action.timeoutMs ?? DEFAULT_LEVER_TIMEOUT_MS,
  };
}

/** The levers of an incident's services, ranked, each with its release boundary and the incident's pulls of it. */
export async function listLevers(deps: Pick<ServiceDeps, 'store'>, number: number): Promise<OfferedLever[]> {
  const { state } = await loadOrThrow(deps, number);
  const { catalog } = await getCatalog(deps);
  const out: OfferedLever[] = [];
  for (const { lever, service } of leversOf(catalog, state)) {
    out.push({
      service,
      name: lever.name,
      kind: lever.kind,
      failClosed: lever.failClosed,
      preservesData: lever.preservesData,
      action: presentAction(lever.action),
      boundary: await boundaryFor(deps, state, service),
      pulls: state.mitigations
        .filter((m) => m.execution && m.lever === lever.name)
        .map((m) => ({ mitigationId: m.id, state: m.execution!.state, at: m.execution!.at })),
    });
  }
  return out;
}

/** The values a body template's `{{…}}` fields take for this pull. */
function templateValues(
  incident: Incident,
  found: Found,
  mitigation: Pick<Mitigation, 'id' | 'rationale' | 'decidedBy'>,
  boundary: LeverBoundary | null,
): TemplateValues {
  return {
    'incident.id': incident.id,
    'incident.number': incident.number,
    'incident.title': incident.title,
    'incident.severity': incident.severity,
    'incident.status': incident.status,
    'incident.commander': incident.roles.commander,
    'service.name': found.service,
    'lever.name': found.lever.name,
    'lever.kind': found.lever.kind,
    'mitigation.id': mitigation.id,
    'mitigation.rationale': mitigation.rationale,
    'mitigation.decidedBy': mitigation.decidedBy,
    'boundary.service': boundary?.service ?? null,
    'boundary.environment': boundary?.environment ?? null,
    'boundary.version': boundary?.version ?? null,
    'boundary.previousVersion': boundary?.previousVersion ?? null,
    'boundary.commitSha': boundary?.commitSha ?? null,
    'boundary.deploy': boundary?.deploy ?? null,
  };
}

/**
 * Standard Webhooks signature headers: `v1,` and the base64 HMAC-SHA256 of `id.timestamp.body`, keyed
 * with the secret's base64 part (after `whsec_`).
 */
export function signatureHeaders(secret: string, id: string, timestamp: number, body: string): Record<string, string> {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const signature = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${signature}` };
}

/** The request a webhook lever makes for this pull: templated body, catalog headers, signature when it has a secret. */
function buildRequest(action: WebhookLeverAction, values: TemplateValues, id: string, now: string): LeverRequest {
  const body = JSON.stringify(action.body === undefined ? defaultBody(values) : fillTemplate(action.body, values));
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    'user-agent': 'Firebreak',
    ...action.headers,
    ...(action.secret !== undefined && signatureHeaders(action.secret, id, Math.floor(Date.parse(now) / 1000), body)),
  };
  return { method: action.method, url: action.url, headers, body, timeoutMs: action.timeoutMs ?? DEFAULT_LEVER_TIMEOUT_MS };
}

/** The body of a webhook lever without a template: what was pulled, on which incident, at which boundary. */
function defaultBody(v: TemplateValues) {
  return {
    incident: { id: v['incident.id'], title: v['incident.title'], severity: v['incident.severity'], status: v['incident.status'] },
    service: v['service.name'],
    lever: { name: v['lever.name'], kind: v['lever.kind'] },
    mitigation: { id: v['mitigation.id'], rationale: v['mitigation.rationale'], decidedBy: v['mitigation.decidedBy'] },
    boundary: { version: v['boundary.version'], previousVersion: v['boundary.previousVersion'], environment: v['boundary.environment'] },
  };
}

/** A request as a dry run shows it: the catalog's header values and the URL's query are secrets, so masked. */
function redacted(req: LeverRequest, action: WebhookLeverAction): LeverRequest {
  const given = new Set(Object.keys(action.headers ?? {}));
  const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, given.has(k) ? '…' : v]));
  return { ...req, url: shownUrl(req.url), headers };
}

/** The webhook id of a pull, stable for the pull so a receiver can drop a duplicate. */
const webhookId = (incident: Incident, mitigationId: string) => `msg_${incident.id}.${mitigationId}`;

type Outcome = Omit<Extract<Parameters<typeof executeCommand>[3], { type: 'RecordLeverOutcome' }>, 'type'>;

/** Calls the webhook through the egress guard and says what became of it; never throws. */
async function call(egress: Egress, req: LeverRequest): Promise<Outcome> {
  const request = { method: req.method, url: shownUrl(req.url) };
  let res: OutboundResponse;
  try {
    res = await egress.send(req);
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    return { mitigationId: '', state: isEgressRefused(err) ? 'refused' : 'failed', request, reason: reason.slice(0, 500) };
  }
  const ok = res.status >= 200 && res.status < 300;
  return {
    mitigationId: '',
    state: ok ? 'succeeded' : 'failed',
    request,
    status: res.status,
    ...(res.excerpt !== '' && { excerpt: res.excerpt }),
    ...(!ok && { reason: res.status >= 300 && res.status < 400 ? 'redirect not followed' : `answered ${res.status}` }),
  };
}

/**
 * Pulls a catalog lever on an incident: records the decision (who, why, the lever's fail mode) and runs
 * it. A webhook lever's decision commits first (execution `pending`), the call is made outside any
 * transaction through the egress guard, and its outcome (`succeeded`, `failed`, `refused`) is appended
 * after; a manual lever waits for a human's confirmation. A retry with the same Idempotency-Key answers
 * the first pull and calls nothing. A dry run decides (so gates apply) and answers the request it would
 * make, recording and sending nothing.
 */
export async function pullLever(
  deps: ServiceDeps,
  number: number,
  actor: string,
  input: PullInput & { dryRun?: boolean },
  opts: CommandOptions = {},
): Promise<PullResult> {
  const loaded = await loadOrThrow(deps, number);
  const offered = leversOf((await getCatalog(deps)).catalog, loaded.state);
  const found = offered.find((o) => o.lever.name === input.lever);
  if (!found) {
    const names = offered.map((o) => o.lever.name);
    throw validationError([
      {
        path: 'body.lever',
        message: `no lever ${input.lever} on ${loaded.state.id}'s services${names.length ? ` (offered: ${names.join(', ')})` : ' (none offered)'}`,
      },
    ]);
  }
  const { lever } = found;
  const cmd: Omit<DecideMitigation, 'actor'> = {
    type: 'DecideMitigation',
    kind: lever.kind,
    action: input.action ?? `Pull ${lever.name} on ${found.service}`,
    rationale: input.rationale,
    lever: lever.name,
    failClosed: lever.failClosed,
    ...(input.failOpenReason !== undefined && { failOpenReason: input.failOpenReason }),
    execute: true,
    leverType: lever.action.type,
  };

  if (input.dryRun) {
    const now = deps.clock.now();
    decide({ ...cmd, actor }, loaded.state, now); // the gates (fail-open reason) answer a dry run too
    const mitigationId = `M${loaded.state.mitigations.length + 1}`;
    if (lever.action.type !== 'webhook') {
      throw validationError([{ path: 'body.dryRun', message: `${lever.name} is a manual lever: there is no request to show` }]);
    }
    const boundary = await boundaryFor(deps, loaded.state, found.service);
    const values = templateValues(loaded.state, found, { id: mitigationId, rationale: input.rationale, decidedBy: actor }, boundary);
    const req = buildRequest(lever.action, values, webhookId(loaded.state, mitigationId), now);
    return { dryRun: true, service: found.service, lever: lever.name, mitigationId, request: redacted(req, lever.action) };
  }

  const decided = await executeCommand(deps, number, actor, cmd, opts);
  if (decided.replayed || lever.action.type !== 'webhook') return { dryRun: false, ...decided };

  const mitigation = decided.incident.mitigations.at(-1)!;
  const boundary = await boundaryFor(deps, decided.incident, found.service);
  const values = templateValues(decided.incident, found, mitigation, boundary);
  const req = buildRequest(lever.action, values, webhookId(decided.incident, mitigation.id), deps.clock.now());
  const outcome = await call(deps.egress, req);
  if (outcome.state !== 'succeeded') {
    deps.log.warn({ incident: decided.incident.id, mitigation: mitigation.id, lever: lever.name, state: outcome.state, reason: outcome.reason }, 'lever webhook not done');
  }
  const recorded = await executeCommand(deps, number, actor, { type: 'RecordLeverOutcome', ...outcome, mitigationId: mitigation.id });
  return { dryRun: false, ...recorded };
}

/** A human says a pulled manual lever is done or failed. */
export function confirmLever(
  deps: ServiceDeps,
  number: number,
  actor: string,
  input: { mitigationId: string; outcome: 'done' | 'failed'; note?: string },
  opts: CommandOptions = {},
): Promise<CommandResult> {
  return executeCommand(deps, number, actor, { type: 'ConfirmLever', ...input }, opts);
}
