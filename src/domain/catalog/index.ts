/** The service catalog: validation, routing, on-call, levers and the per-service playbook. */
export type * from './types.js';
export { TIERS, FAIL_MODES, ROTATIONS, WEBHOOK_METHODS } from './types.js';
export { CATALOG_LIMITS, NAME_PATTERN } from './limits.js';
export { validateCatalog, matcherRegex } from './validate.js';
export { parseCatalogYaml } from './yaml.js';
export { onCallNow, rankLevers, routeAlert, serviceForRepository, findService, findTeam } from './queries.js';
export { renderServicePlaybook } from './playbook.js';
