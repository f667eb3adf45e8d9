import { cut, escapeMd, oneLine } from './escape.js';
import { headline, roomUrl, type FormatContext, type Notification } from './types.js';

const COLORS: Record<string, string> = { SEV1: '#d32f2f', SEV2: '#f57c00', SEV3: '#fbc02d', SEV4: '#1976d2' };

/**
 * A Mattermost incoming-webhook payload: Markdown `text` (Mattermost ignores Block Kit) plus one
 * Slack-style attachment with the fields.
 */
export function formatMattermost(n: Notification, ctx: FormatContext): { text: string; attachments: unknown[] } {
  const url = roomUrl(ctx, n);
  const head = escapeMd(oneLine(headline(n)));
  const text = [
    `**${url ? `[${head}](${url})` : head}**: ${escapeMd(oneLine(n.summary))}`,
    ...(n.detail ? ['', ...n.detail.split('\n').map((l) => escapeMd(oneLine(l)))] : []),
  ].join('\n');
  const attachment: Record<string, unknown> = {
    fallback: cut(`${oneLine(headline(n))}: ${oneLine(n.summary)}`, 3000),
    color: (n.incident.severity && COLORS[n.incident.severity]) || '#757575',
    title: cut(oneLine(headline(n)), 250),
    text: escapeMd(oneLine(n.summary)),
    fields: n.fields.map((f) => ({ short: true, title: oneLine(f.label), value: escapeMd(oneLine(f.value)) })),
    footer: `${n.event} · ${oneLine(n.actor)}`,
  };
  if (url) attachment.title_link = url;
  return { text: cut(text, 16_000), attachments: [attachment] };
}
