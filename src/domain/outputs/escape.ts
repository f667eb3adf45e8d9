const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text safe for HTML element content and quoted attribute values. */
export const escapeHtml = (s: string): string => s.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);

/** Line breaks and other control characters become spaces, so untrusted text stays on one line. */
export const oneLine = (s: string): string => s.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');

/**
 * One line of untrusted text as literal Markdown: HTML-significant characters become entities
 * (no raw HTML survives), Markdown punctuation is backslash-escaped, and so is a leading block
 * marker (`#`, `-`, `1.`) unless the caller knows the text does not start a block.
 */
export function escapeMarkdown(s: string, startsBlock = true): string {
  const escaped = oneLine(s)
    .replace(/[&<>]/g, (c) => HTML_ENTITIES[c] ?? c)
    .replace(/[\\`*_[\]|~]/g, '\\$&');
  if (!startsBlock) return escaped;
  return escaped.replace(/^(\s*)([#+=-]|\d+(?=[.)]))/, (_m, space: string, marker: string) =>
    /\d/.test(marker) ? `${space}${marker}\\` : `${space}\\${marker}`,
  );
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** One RFC 4180 field; a leading apostrophe defuses spreadsheet formulas (CSV injection). */
export function csvCell(value: string | number): string {
  const s = String(value);
  const safe = FORMULA_START.test(s) ? `'${s}` : s;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** RFC 4180 document: CRLF after every record. */
export const csvDocument = (rows: readonly (readonly (string | number)[])[]): string =>
  rows.map((r) => r.map(csvCell).join(',') + '\r\n').join('');

const pctEncode = (c: string) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`;

/** The normalised URL when it is http(s), else null; characters that could end a Markdown link or an attribute are percent-encoded. */
export function safeHttpUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  return url.href.replace(/[()'"<>`\\|\s]/g, pctEncode);
}

const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;
const trimUrl = (u: string) => u.replace(/[.,;:!?)\]}]+$/, '');

/** Free text cut into plain pieces and the http(s) URLs written inside it (`url` normalised, `raw` as written). */
export function splitUrls(text: string): ({ text: string } | { url: string; raw: string })[] {
  const out: ({ text: string } | { url: string; raw: string })[] = [];
  let last = 0;
  for (const m of text.matchAll(URL_IN_TEXT)) {
    const raw = trimUrl(m[0]);
    const url = safeHttpUrl(raw);
    if (url === null) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ url, raw });
    last = m.index + raw.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** Every http(s) URL written inside free text, normalised and without duplicates. */
export const urlsIn = (text: string): string[] => [
  ...new Set(splitUrls(text).flatMap((part) => ('url' in part ? [part.url] : []))),
];

/** `2026-11-27 10:04:05Z`; text that is not a date comes back unchanged. */
export function formatUtc(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : `${new Date(ms).toISOString().slice(0, 19).replace('T', ' ')}Z`;
}
