import { escapeHtml } from '../outputs/escape.js';
import { cut, oneLine } from './escape.js';
import { headline, plainText, roomUrl, type FormatContext, type Notification } from './types.js';

/** A mail: one subject per incident (so clients thread it), a text part and an HTML part. */
export function formatEmail(n: Notification, ctx: FormatContext): { subject: string; text: string; html: string } {
  const url = roomUrl(ctx, n);
  const h = (s: string) => escapeHtml(s);
  const html = [
    '<!doctype html><html><body>',
    `<p><strong>${h(oneLine(headline(n)))}</strong></p>`,
    `<p>${h(oneLine(n.summary))}</p>`,
    ...(n.detail ? [`<p>${n.detail.split('\n').map((l) => h(oneLine(l))).join('<br>')}</p>`] : []),
    ...(n.fields.length > 0
      ? ['<table>', ...n.fields.map((f) => `<tr><th align="left">${h(oneLine(f.label))}</th><td>${h(oneLine(f.value))}</td></tr>`), '</table>']
      : []),
    ...(url ? [`<p><a href="${h(url)}">Open ${h(n.incident.id)}</a></p>`] : []),
    '</body></html>',
  ].join('\n');
  return { subject: cut(oneLine(`${n.incident.id}: ${n.incident.title}`), 200), text: plainText(n, ctx), html };
}

/**
 * The mail thread of one incident at one target: the thread's root Message-ID (the declaration's
 * message), and this message's own. Both are derived, so nothing about a thread is stored.
 */
export function emailThread(
  n: Notification,
  ids: { delivery: string; target: string },
  domain: string,
): { messageId: string; root: string; isRoot: boolean } {
  const root = `<${n.incident.id.toLowerCase()}.${ids.target}@${domain}>`;
  const isRoot = n.kind === 'declared';
  return { root, isRoot, messageId: isRoot ? root : `<${ids.delivery}@${domain}>` };
}
