import { escapeHtml, escapeMarkdown, safeHttpUrl, splitUrls } from './escape.js';

/** Plain text, or a link; every span is untrusted and escaped by the renderer. */
export type Span = string | Readonly<{ href: string; text: string }>;
/** A run of spans, or one plain string. */
export type Rich = string | readonly Span[];

/** The few block shapes the Markdown and HTML outputs share. */
export type Block =
  | { kind: 'p'; text: Rich }
  | { kind: 'list'; ordered?: boolean; items: Rich[] }
  | { kind: 'tasks'; items: readonly { label: string; done: boolean }[] }
  | { kind: 'table'; head: string[]; rows: Rich[][] }
  | { kind: 'fields'; fields: [string, Rich][] };

/** A titled (or untitled, leading) group of blocks. */
export interface Section {
  title?: string;
  blocks: Block[];
}

/** A small document both renderers understand, so Markdown and HTML never drift apart. */
export interface Doc {
  title: string;
  sections: Section[];
}

/** A link span for http(s) URLs; anything else stays visible as plain text. */
export const link = (url: string, text: string = url): Span => (safeHttpUrl(url) ? { href: url, text } : text);

// A path on this server: root-relative (not `//host` or `/\\host`), URL-safe characters only, no parentheses.
const PATH = /^\/(?![/\\])[A-Za-z0-9\-._~%!$&*+,;=:@/]*(?:\?[A-Za-z0-9\-._~%!$&*+,;=:@/?]*)?$/;
const safePath = (href: string): string | null => (PATH.test(href) ? href : null);
const safeHref = (href: string): string | null => safeHttpUrl(href) ?? safePath(href);

/** A link span to a path on this server (`/catalog/checkout`); anything else stays visible as plain text. */
export const pathLink = (path: string, text: string = path): Span => (safePath(path) ? { href: path, text } : text);

/** Free text with the http(s) URLs inside it turned into links. */
export const linkify = (text: string): Span[] =>
  splitUrls(text).map((part) => ('url' in part ? { href: part.url, text: part.raw } : part.text));

/** A paragraph block. */
export const p = (text: Rich): Block => ({ kind: 'p', text });
/** A bulleted or numbered list block. */
export const list = (items: Rich[], ordered = false): Block => ({ kind: 'list', items, ordered });

const spans = (r: Rich): readonly Span[] => (typeof r === 'string' ? [r] : r);

function assertNever(x: never): never {
  throw new Error(`unhandled block ${JSON.stringify(x)}`);
}

// Renderers re-check hrefs so a Span built by hand can never smuggle a javascript: URL.
function mdInline(r: Rich, startsBlock = false): string {
  return spans(r)
    .map((s, i) => {
      const first = startsBlock && i === 0;
      if (typeof s === 'string') return escapeMarkdown(s, first);
      const href = safeHref(s.href);
      return href ? `[${escapeMarkdown(s.text, false)}](${href})` : escapeMarkdown(s.text, first);
    })
    .join('');
}

const paragraphs = (s: string) => s.split(/\r?\n\s*\r?\n|\r\s*\r/).filter((x) => x.trim() !== '');

function mdBlock(b: Block): string {
  switch (b.kind) {
    case 'p':
      return typeof b.text === 'string'
        ? paragraphs(b.text)
            .map((para) =>
              para
                .split(/\r\n|\r|\n/)
                .map((l) => escapeMarkdown(l.trim()))
                .join('  \n'),
            )
            .join('\n\n')
        : mdInline(b.text, true);
    case 'list':
      return b.items.map((it, i) => `${b.ordered ? `${i + 1}.` : '-'} ${mdInline(it, true)}`).join('\n');
    case 'tasks':
      return b.items.map((it) => `- [${it.done ? 'x' : ' '}] ${escapeMarkdown(it.label)}`).join('\n');
    case 'table': {
      const row = (cells: Rich[]) => `| ${cells.map((c) => mdInline(c) || ' ').join(' | ')} |`;
      return [row(b.head), `|${b.head.map(() => '---').join('|')}|`, ...b.rows.map(row)].join('\n');
    }
    case 'fields':
      return b.fields.map(([k, v]) => `- **${escapeMarkdown(k, false)}:** ${mdInline(v)}`).join('\n');
    default:
      return assertNever(b);
  }
}

/** GitHub-flavoured Markdown with every untrusted value escaped. */
export function renderMarkdownDoc(doc: Doc): string {
  const parts = [`# ${escapeMarkdown(doc.title, false)}`];
  for (const s of doc.sections) {
    if (s.title !== undefined) parts.push(`## ${escapeMarkdown(s.title, false)}`);
    parts.push(...s.blocks.map(mdBlock));
  }
  return `${parts.join('\n\n')}\n`;
}

function htmlInline(r: Rich): string {
  return spans(r)
    .map((s) => {
      if (typeof s === 'string') return escapeHtml(s);
      const href = safeHref(s.href);
      return href
        ? `<a href="${escapeHtml(href)}" rel="noopener noreferrer nofollow">${escapeHtml(s.text)}</a>`
        : escapeHtml(s.text);
    })
    .join('');
}

function htmlBlock(b: Block): string {
  switch (b.kind) {
    case 'p':
      return typeof b.text === 'string'
        ? paragraphs(b.text)
            .map((para) => `<p>${escapeHtml(para.trim()).replace(/\r\n|\r|\n/g, '<br>\n')}</p>`)
            .join('\n')
        : `<p>${htmlInline(b.text)}</p>`;
    case 'list': {
      const tag = b.ordered ? 'ol' : 'ul';
      return `<${tag}>\n${b.items.map((it) => `<li>${htmlInline(it)}</li>`).join('\n')}\n</${tag}>`;
    }
    case 'tasks':
      return `<ul class="tasks">\n${b.items
        .map(
          (it) =>
            `<li class="${it.done ? 'done' : 'todo'}">${it.done ? '&#9745;' : '&#9744;'} ${escapeHtml(it.label)}</li>`,
        )
        .join('\n')}\n</ul>`;
    case 'table': {
      const head = b.head.map((h) => `<th scope="col">${escapeHtml(h)}</th>`).join('');
      const rows = b.rows.map((r) => `<tr>${r.map((c) => `<td>${htmlInline(c)}</td>`).join('')}</tr>`).join('\n');
      return `<table>\n<thead><tr>${head}</tr></thead>\n<tbody>\n${rows}\n</tbody>\n</table>`;
    }
    case 'fields':
      return `<dl>\n${b.fields.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${htmlInline(v)}</dd>`).join('\n')}\n</dl>`;
    default:
      return assertNever(b);
  }
}

const CSS = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff;margin:0}
main{max-width:60rem;margin:0 auto;padding:2rem 1.5rem}
h1{font-size:1.6rem;margin:0 0 1rem}h2{font-size:1.2rem;margin:2rem 0 .5rem;border-bottom:1px solid #ddd;padding-bottom:.2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ccc;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f3f3f3}dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}dt{font-weight:600}dd{margin:0}
ul.tasks{list-style:none;padding-left:0}li.todo{color:#8a1f11}a{color:#0645ad;overflow-wrap:anywhere}
@media print{body{font-size:11pt}main{max-width:none;padding:0}h2{break-after:avoid}tr,li{break-inside:avoid}a{color:inherit}}
`.trim();

/** A complete standalone HTML page: inline CSS, no scripts, nothing loaded from elsewhere. */
export function renderHtmlDoc(doc: Doc): string {
  const body = doc.sections
    .map((s) => {
      const title = s.title === undefined ? '' : `<h2>${escapeHtml(s.title)}</h2>\n`;
      return `<section>\n${title}${s.blocks.map(htmlBlock).join('\n')}\n</section>`;
    })
    .join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${CSS}</style>`,
    '</head>',
    '<body>',
    '<main>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    body,
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
