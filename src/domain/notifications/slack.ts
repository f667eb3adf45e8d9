import { cut, escapeSlack, oneLine } from './escape.js';
import { headline, roomUrl, type FormatContext, type Notification } from './types.js';

/** A Slack incoming-webhook payload: Block Kit `blocks`, and `text` a complete fallback (notifications, screen readers). */
export function formatSlack(n: Notification, ctx: FormatContext): { text: string; blocks: unknown[] } {
  const url = roomUrl(ctx, n);
  const e = (s: string) => escapeSlack(s);
  const title = `*${e(oneLine(headline(n)))}*`;
  const fallback = [
    `${e(oneLine(headline(n)))}: ${e(oneLine(n.summary))}`,
    ...(n.detail ? [e(n.detail)] : []),
    ...n.fields.map((f) => `${e(f.label)}: ${e(oneLine(f.value))}`),
    ...(url ? [url] : []),
  ].join('\n');
  const blocks: unknown[] = [
    { type: 'section', text: { type: 'mrkdwn', text: cut(`${url ? `<${url}|${title}>` : title}\n${e(oneLine(n.summary))}`, 3000) } },
  ];
  if (n.detail) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: cut(e(n.detail), 3000) } });
  if (n.fields.length > 0) {
    blocks.push({
      type: 'section',
      fields: n.fields.slice(0, 10).map((f) => ({ type: 'mrkdwn', text: cut(`*${e(f.label)}*\n${e(oneLine(f.value))}`, 2000) })),
    });
  }
  blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text: cut(`${e(n.event)} by ${e(oneLine(n.actor))} at ${n.at}`, 3000) }] });
  return { text: cut(fallback, 40_000), blocks };
}
