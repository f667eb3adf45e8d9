/** The service catalog: validation, routing, on-call, levers and the per-service playbook. */
export type * from './types.js';
export { TIERS, FAIL_MODES, ROTATIONS, WEBHOOK_METHODS } from './types.js';
export { CATALOG_LIMITS, NAME_PATTERN } from './limits.js';
export { validateCatalog, matcherRegex } from './validate.js';
export { parseCatalogYaml } from './yaml.js';
export {
  onCallNow,
  onCallFor,
  ownerOf,
  rankLevers,
  routeAlert,
  serviceForRepository,
  findService,
  findTeam,
  upgradeCatalog,
} from './queries.js';
export {
  canonicalService,
  ENTITY_NAME_SOURCE,
  NAMESPACE_SOURCE,
  serviceName,
  SERVICE_NAME_HINT,
  SERVICE_NAME_MAX,
  SERVICE_NAME_RULE,
  SERVICE_NAME_SOURCE,
} from './names.js';
export { renderServicePlaybook } from './playbook.js';
