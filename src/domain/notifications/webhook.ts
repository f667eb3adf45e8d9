import { roomUrl, type FormatContext, type Notification } from './types.js';

/**
 * The generic webhook's JSON, shaped as Standard Webhooks suggests: `type`, `timestamp`, `data`. It is
 * JSON, so nothing needs escaping; receivers escape for wherever they show it.
 */
export function formatWebhook(n: Notification, ctx: FormatContext): { type: string; timestamp: string; data: unknown } {
  return {
    type: `incident.${n.kind}`,
    timestamp: n.at,
    data: {
      incident: { ...n.incident, url: roomUrl(ctx, n) },
      event: n.event,
      seq: n.seq,
      actor: n.actor,
      summary: n.summary,
      detail: n.detail,
      fields: n.fields,
    },
  };
}
