import type { Severity } from '../incident/types.js';
import { cut, oneLine } from './escape.js';
import { headline, plainText, roomUrl, type FormatContext, type Notification } from './types.js';

/** ntfy priorities (1 min … 5 max) by severity; no severity is the default, 3. */
export const NTFY_PRIORITY: Record<Severity, number> = { SEV1: 5, SEV2: 4, SEV3: 3, SEV4: 2 };

/** A header value ntfy reads: one line; non-ASCII as an RFC 2047 encoded word, which ntfy decodes. */
function headerValue(s: string): string {
  const line = oneLine(s);
  return /^[\x20-\x7e]*$/.test(line) ? line : `=?UTF-8?B?${Buffer.from(line, 'utf8').toString('base64')}?=`;
}

/** An ntfy publish: the plain-text body and the headers (Title, Priority, Tags, Click back to the room). */
export function formatNtfy(n: Notification, ctx: FormatContext): { body: string; headers: Record<string, string> } {
  const url = roomUrl(ctx, n);
  const headers: Record<string, string> = {
    Title: headerValue(cut(headline(n), 250)),
    Priority: String(n.incident.severity ? NTFY_PRIORITY[n.incident.severity] : 3),
    Tags: n.kind,
  };
  if (url) headers.Click = url;
  return { body: cut(plainText(n, { publicUrl: null }), 4000), headers };
}
