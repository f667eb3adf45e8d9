import { cut, escapeMd, oneLine } from './escape.js';
import { headline, roomUrl, type FormatContext, type Notification } from './types.js';

/** A Microsoft Teams Workflows webhook message carrying one Adaptive Card 1.2. */
export function formatTeams(n: Notification, ctx: FormatContext): unknown {
  const url = roomUrl(ctx, n);
  const body: unknown[] = [
    { type: 'TextBlock', text: cut(escapeMd(oneLine(headline(n))), 500), weight: 'Bolder', size: 'Medium', wrap: true },
    { type: 'TextBlock', text: cut(escapeMd(oneLine(n.summary)), 2000), wrap: true },
  ];
  if (n.detail) body.push({ type: 'TextBlock', text: cut(n.detail.split('\n').map((l) => escapeMd(oneLine(l))).join('\n\n'), 5000), wrap: true });
  if (n.fields.length > 0) {
    body.push({ type: 'FactSet', facts: n.fields.map((f) => ({ title: escapeMd(oneLine(f.label)), value: escapeMd(oneLine(f.value)) })) });
  }
  body.push({ type: 'TextBlock', text: escapeMd(`${n.event} by ${oneLine(n.actor)} at ${n.at}`), isSubtle: true, size: 'Small', wrap: true });
  const content: Record<string, unknown> = {
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    type: 'AdaptiveCard',
    version: '1.2',
    body,
  };
  if (url) content.actions = [{ type: 'Action.OpenUrl', title: `Open ${n.incident.id}`, url }];
  return {
    type: 'message',
    attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', contentUrl: null, content }],
  };
}
