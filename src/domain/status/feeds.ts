import { Feed, type Item } from 'feed';
import { escapeHtml, safeHttpUrl } from '../outputs/escape.js';
import { PUBLIC_STATUS_LABELS, publicTime, type PublicIncident, type PublicMaintenance, type PublicUpdate, type StatusPageView } from './types.js';

/**
 * `root` is the pages' prefix as seen from the feed (the feeds sit beside the index page); `selfUrl` is
 * the feed's own absolute address when the caller knows it (the request's URL).
 */
export interface StatusFeedOptions {
  root: string;
  selfUrl?: string;
}

// XML 1.0 refuses these characters even as references, so untrusted text loses them.
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const xmlText = (s: string): string => s.replace(XML_INVALID, '');

// The feed's titles, summaries and contents are HTML (Atom type="html", RSS CDATA that readers render):
// untrusted text goes in escaped, so a reader shows it and never parses it.
const html = (s: string): string => escapeHtml(xmlText(s));
const htmlLines = (s: string): string => html(s).replace(/\r\n|\r|\n/g, '<br>');

const STATUS_LABEL = PUBLIC_STATUS_LABELS;

const utc = (iso: string): string => publicTime(iso)?.text ?? iso;

const dateOf = (iso: string, fallback: string): Date => {
  const ms = Date.parse(iso);
  if (!Number.isNaN(ms)) return new Date(ms);
  const other = Date.parse(fallback);
  return new Date(Number.isNaN(other) ? 0 : other);
};

const FEED_URN = 'urn:firebreak:status';

const withSlash = (url: string): string => (url.endsWith('/') ? url : `${url}/`);

/** The page's configured address without a trailing slash, when it is http(s). */
const pageAddress = (view: StatusPageView): string | null => {
  const url = view.page.url ? safeHttpUrl(view.page.url) : null;
  return url ? url.replace(/\/+$/, '') : null;
};

/** The absolute address of `root` (the index page), or null when neither selfUrl nor the page's URL is known. */
function pagesBase(view: StatusPageView, opts: StatusFeedOptions): string | null {
  const self = opts.selfUrl ? safeHttpUrl(opts.selfUrl) : null;
  const page = pageAddress(view);
  const from = self ?? (page === null ? null : withSlash(page));
  if (from === null) return null;
  try {
    const url = new URL(opts.root, from);
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
  } catch {
    return null;
  }
}

/** Ids stay the same however the page is reached (root, selfUrl): they depend on the page's URL only. */
const entryId = (view: StatusPageView, kind: 'incidents' | 'maintenances', id: string): string => {
  const page = pageAddress(view);
  return page ? `${page}/${kind}/${encodeURIComponent(id)}` : `urn:firebreak:status:${kind}:${encodeURIComponent(id)}`;
};

const newestFirst = (updates: readonly PublicUpdate[]): PublicUpdate[] =>
  [...updates].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));

const componentNames = (view: StatusPageView, ids: readonly string[]): string[] => {
  const byId = new Map(view.components.map((c) => [c.id, c.name]));
  return ids.map((id) => byId.get(id) ?? id);
};

const updateHtml = (u: PublicUpdate): string =>
  `<p><small>${html(utc(u.createdAt))}</small><br><strong>${STATUS_LABEL[u.status]}</strong> - ${htmlLines(u.body)}</p>`;

function incidentItem(view: StatusPageView, i: PublicIncident, base: string | null): Item {
  const id = entryId(view, 'incidents', i.id);
  const updates = newestFirst(i.updates);
  const affected = componentNames(view, i.components);
  const content = [
    ...updates.map(updateHtml),
    affected.length > 0 ? `<p>Affected components: ${affected.map(html).join(', ')}</p>` : '',
  ].join('');
  const latest = updates[0];
  return {
    title: html(i.name),
    id,
    link: base ? new URL(`incidents/${encodeURIComponent(i.id)}/`, base).href : id,
    date: dateOf(i.updatedAt, view.generatedAt),
    published: dateOf(i.createdAt, i.updatedAt),
    description: latest ? `${STATUS_LABEL[latest.status]} - ${htmlLines(latest.body)}` : STATUS_LABEL[i.status],
    content: content || STATUS_LABEL[i.status],
  };
}

function maintenanceItem(view: StatusPageView, m: PublicMaintenance, base: string | null): Item {
  const id = entryId(view, 'maintenances', m.id);
  const affected = componentNames(view, m.components);
  const window = `${html(utc(m.scheduledFor))} – ${html(utc(m.scheduledUntil))}`;
  return {
    title: `Maintenance: ${html(m.name)}`,
    id,
    link: base ?? id,
    date: dateOf(m.updatedAt, view.generatedAt),
    published: dateOf(m.createdAt, m.updatedAt),
    description: `Completed maintenance, ${window}`,
    content: `<p><small>${window}</small><br><strong>Completed</strong> - ${htmlLines(m.body)}</p>${
      affected.length > 0 ? `<p>Affected components: ${affected.map(html).join(', ')}</p>` : ''
    }`,
  };
}

function build(view: StatusPageView, opts: StatusFeedOptions, format: 'rss' | 'atom', title: (s: string) => string): Feed {
  const base = pagesBase(view, opts);
  const self = opts.selfUrl ? safeHttpUrl(opts.selfUrl) : null;
  const name = xmlText(view.page.name);
  const feed = new Feed({
    title: title(`${name} status`),
    description: title(`Incidents and maintenance reported on the ${name} status page`),
    id: pageAddress(view) ?? FEED_URN,
    updated: dateOf(view.page.updatedAt, view.generatedAt),
    generator: 'Firebreak',
    language: 'en',
    author: { name },
    // feed 6 writes an RSS <link> of "undefined" when none is given; the channel's link is required anyway.
    link: base ?? FEED_URN,
    ...((self ?? base) && { feed: self ?? `${base}history.${format}` }),
  });
  const items = [
    ...view.incidents.map((i) => incidentItem(view, i, base)),
    ...view.maintenances.filter((m) => m.status === 'completed').map((m) => maintenanceItem(view, m, base)),
  ].sort((a, b) => b.date.getTime() - a.date.getTime());
  for (const item of items) feed.addItem(item);
  return feed;
}

/** RSS 2.0 of the page's incidents (and completed maintenances), newest first. */
export function renderRss(view: StatusPageView, opts: StatusFeedOptions): string {
  // RSS readers differ on whether a channel title is HTML; escaped, it is inert in both readings.
  return build(view, opts, 'rss', html).rss2();
}

/** Atom 1.0 of the page's incidents (and completed maintenances), newest first. */
export function renderAtom(view: StatusPageView, opts: StatusFeedOptions): string {
  // Atom's feed title is type="text": XML escaping (done by the library) is the whole job there.
  return build(view, opts, 'atom', (s) => s).atom1();
}
