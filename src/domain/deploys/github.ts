import { type Check, int, isObj, isoTime, link, object, opt, parseOrThrow, str } from '../catalog/check.js';
import { CATALOG_LIMITS } from '../catalog/limits.js';
import { SERVICE_NAME_MAX, serviceName } from '../catalog/names.js';
import { LIMITS } from '../limits.js';
import { detail } from './parse.js';
import type { DeployParse, DeployStatus, ResolveService } from './types.js';

/** Webhook `deployment_status.state` → deploy status; `inactive` (a superseded deploy) is skipped. */
const STATES = new Map<string, DeployStatus | null>([
  ['pending', 'started'],
  ['queued', 'started'],
  ['in_progress', 'started'],
  ['waiting', 'started'],
  ['success', 'succeeded'],
  ['failure', 'failed'],
  ['error', 'failed'],
  ['inactive', null],
]);

const state: Check<string> = (v, path, is) =>
  typeof v === 'string' && STATES.has(v) ? v : is.add(path, `expected one of ${[...STATES.keys()].join(', ')}`);

const account = object({ login: str(LIMITS.person) }, false);
const id = int(1, Number.MAX_SAFE_INTEGER);

// Liberal: only the fields Firebreak reads are checked; GitHub adds fields from version to version.
const deployment = object(
  {
    id,
    sha: str(CATALOG_LIMITS.commitSha),
    ref: str(255),
    environment: str(CATALOG_LIMITS.environment),
    created_at: isoTime(),
    creator: opt(account),
    payload: opt((v) => v),
  },
  false,
);
const common = {
  action: str(50),
  deployment,
  repository: object({ full_name: str(CATALOG_LIMITS.repository) }, false),
  sender: opt(account),
  workflow_run: opt(object({ html_url: opt(link) }, false)),
};
const deploymentEvent = object(common, false);
const statusEvent = object(
  {
    ...common,
    deployment_status: object(
      {
        id,
        state,
        environment: opt(str(CATALOG_LIMITS.environment)),
        created_at: isoTime(),
        target_url: opt(link),
        log_url: opt(link),
        environment_url: opt(link),
      },
      false,
    ),
  },
  false,
);

/**
 * A GitHub `deployment` or `deployment_status` webhook as a deploy update, keyed
 * `github:<owner/name>:<deployment id>`. The service is `deployment.payload.service` (monorepos),
 * else `resolveService(repository.full_name)`; a repository mapped to no service is skipped, not
 * refused, because organisation-wide hooks send every repository's deploys.
 */
export function parseGithubDeployment(event: string, payload: unknown, resolveService: ResolveService): DeployParse {
  if (event !== 'deployment' && event !== 'deployment_status') {
    return { kind: 'ignored', reason: `GitHub event ${JSON.stringify(event.slice(0, 50))} is not a deployment event` };
  }
  const message = 'The GitHub deployment webhook is not valid.';
  const e =
    event === 'deployment'
      ? { ...parseOrThrow(deploymentEvent, payload, 'body', message), deployment_status: null }
      : parseOrThrow(statusEvent, payload, 'body', message);
  if (e.action !== 'created') return { kind: 'ignored', reason: `action ${JSON.stringify(e.action)} is not handled` };

  const d = e.deployment;
  const repo = e.repository.full_name;
  const named = isObj(d.payload) ? detail(d.payload, ['service'], SERVICE_NAME_MAX) : null;
  const service = (named === null ? null : serviceName(named)) ?? resolveService(repo);
  if (service === null) return { kind: 'ignored', reason: `repository ${repo} maps to no service in the catalog` };

  const s = e.deployment_status;
  const status = s ? STATES.get(s.state) : 'started';
  if (status === null || status === undefined) {
    return { kind: 'ignored', reason: `deployment state ${s?.state} is not a deploy outcome` };
  }
  const finished = status === 'succeeded' || status === 'failed';
  return {
    kind: 'deploy',
    deploy: {
      externalId: `github:${repo}:${d.id}`,
      source: 'github',
      service,
      environment: s?.environment ?? d.environment,
      version: detail(d.payload, ['version'], CATALOG_LIMITS.version) ?? d.ref,
      commitSha: d.sha,
      status,
      startedAt: d.created_at,
      finishedAt: finished && s ? s.created_at : null,
      actor: d.creator?.login ?? e.sender?.login ?? null,
      url: (s && (s.target_url ?? s.log_url ?? s.environment_url)) ?? e.workflow_run?.html_url ?? null,
      previousVersion: null,
      configDeltas: [],
    },
  };
}
