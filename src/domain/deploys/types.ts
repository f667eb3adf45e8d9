/** The states of a deploy. */
export const DEPLOY_STATUSES = ['started', 'succeeded', 'failed', 'rolled_back'] as const;
/** One of DEPLOY_STATUSES. */
export type DeployStatus = (typeof DEPLOY_STATUSES)[number];

/** Where a deploy record came from. */
export type DeploySource = 'firebreak' | 'github' | 'pagerduty';

/** One configuration value that changed with a deploy; null means absent before or after. */
export interface ConfigDelta {
  key: string;
  from: string | null;
  to: string | null;
}

/** A deploy or config change; records with the same `externalId` are updates of one deploy. */
export interface Deploy {
  externalId: string;
  source: DeploySource;
  service: string;
  environment: string;
  version: string | null;
  commitSha: string | null;
  status: DeployStatus;
  startedAt: string;
  finishedAt: string | null;
  actor: string | null;
  url: string | null;
  previousVersion: string | null;
  configDeltas: ConfigDelta[];
}

/** What a sender's payload amounts to: a deploy record, or a well-formed event Firebreak deliberately skips. */
export type DeployParse = { kind: 'deploy'; deploy: Deploy } | { kind: 'ignored'; reason: string };

/** Maps a sender's identifier (a GitHub `owner/name`, a PagerDuty `payload.source`) to a catalog service. */
export type ResolveService = (key: string) => string | null;
