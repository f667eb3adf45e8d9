export * from './types.js';
export { notificationsFor } from './select.js';
export { formatSlack } from './slack.js';
export { formatMattermost } from './mattermost.js';
export { formatTeams } from './teams.js';
export { formatNtfy, NTFY_PRIORITY } from './ntfy.js';
export { formatWebhook } from './webhook.js';
export { formatEmail, emailThread } from './email.js';
export { escapeSlack, escapeMd } from './escape.js';
export {
  formatStatuspage,
  mayChangePublic,
  publicNotificationsFor,
  STATUSPAGE_WEBHOOK_DOCS,
  type PublicCatalog,
  type PublicNotification,
  type StatuspageComponentBody,
  type StatuspageContext,
  type StatuspageIncidentBody,
} from './statuspage.js';
