/** Deploys and config changes: the senders' parsers, the release boundary and suspect deploys. */
export type * from './types.js';
export { DEPLOY_STATUSES } from './types.js';
export { parseFirebreakDeploy, parsePagerDutyChange, mergeDeploy } from './parse.js';
export { parseGithubDeployment } from './github.js';
export { releaseBoundary, suspectDeploys, type SuspectDeploy } from './suspects.js';
