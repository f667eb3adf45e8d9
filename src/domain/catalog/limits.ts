/** Size limits of the service catalog and deploy inputs; the general ones stay in ../limits.ts. */
export const CATALOG_LIMITS = {
  documents: 2_000,
  name: 63,
  errors: 1_000,
  dependsOn: 100,
  flows: 100,
  coexistence: 50,
  alertMatchers: 20,
  levers: 30,
  leverHeaders: 20,
  leverHeaderValue: 1_000,
  leverBody: 10_000,
  leverTimeoutMs: { min: 100, max: 30_000 },
  members: 500,
  notify: 20,
  labelValue: 200,
  regex: 200,
  email: 254,
  repository: 140,
  configDeltas: 100,
  configKey: 200,
  version: 200,
  environment: 100,
  commitSha: 64,
  externalId: 1_200,
  summary: 1_024,
} as const;

/** Backstage's entity-name rule: 1–63 characters, [a-zA-Z0-9] runs separated by `-`, `_` or `.`. */
export const NAME_PATTERN = /^[a-zA-Z0-9]+(?:[-_.][a-zA-Z0-9]+)*$/;
