import { escapeHtml as esc, safeHttpUrl } from '../outputs/escape.js';
import {
  PUBLIC_STATUS_LABELS,
  publicTime,
  type ComponentState,
  type ComponentView,
  type GroupView,
  type HistoryDay,
  type MaintenanceStatus,
  type PublicImpact,
  type PublicIncident,
  type PublicMaintenance,
  type PublicStatus,
  type PublicUpdate,
  type StatusPageView,
} from './types.js';

/**
 * `root` prefixes every link and asset: `/status/` when served, `./` (index) or `../../`
 * (incidents/{id}/index.html) in a static export.
 */
export interface StatusHtmlOptions {
  root: string;
}

const STATE_LABEL: Record<ComponentState, string> = {
  operational: 'Operational',
  under_maintenance: 'Under maintenance',
  degraded_performance: 'Degraded performance',
  partial_outage: 'Partial outage',
  major_outage: 'Major outage',
};

const STATUS_LABEL = PUBLIC_STATUS_LABELS;

const IMPACT_LABEL: Record<PublicImpact, string> = {
  none: 'No impact',
  minor: 'Minor impact',
  major: 'Major impact',
  critical: 'Critical impact',
};

const MAINTENANCE_LABEL: Record<MaintenanceStatus, string> = {
  scheduled: 'Scheduled',
  in_progress: 'In progress',
  completed: 'Completed',
};

// One glyph per state, so a state never reads by colour alone (the label says it in words too).
const ICON_PATH: Record<ComponentState, string> = {
  operational: 'M6.5 11.2 3.3 8l-1.1 1.1 4.3 4.3 8-8-1.1-1.1z',
  under_maintenance: 'M8 1.5a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zm.75 3v3.19l2.28 2.28-1.06 1.06L7.25 8.31V4.5z',
  degraded_performance: 'M2 7h12v2H2z',
  partial_outage: 'M8 1.5 15 14H1zm-.75 4.5v4h1.5V6zm0 5v1.5h1.5V11z',
  major_outage: 'm4.2 3.1 3.8 3.8 3.8-3.8 1.1 1.1L9.1 8l3.8 3.8-1.1 1.1L8 9.1l-3.8 3.8-1.1-1.1L6.9 8 3.1 4.2z',
};

const IMPACT_STATE: Record<PublicImpact, ComponentState> = {
  none: 'operational',
  minor: 'degraded_performance',
  major: 'partial_outage',
  critical: 'major_outage',
};

const icon = (state: ComponentState): string =>
  `<svg class="icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false"><path fill="currentColor" fill-rule="evenodd" d="${ICON_PATH[state]}"/></svg>`;

const FAVICON_COLOUR: Record<PublicImpact, string> = { none: '1a7f37', minor: 'bf8700', major: 'bc4c00', critical: 'cf222e' };
const favicon = (impact: PublicImpact): string =>
  `data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Ccircle cx='8' cy='8' r='7' fill='%23${FAVICON_COLOUR[impact]}'/%3E%3C/svg%3E`;

const parsed = (iso: string): Date | null => {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? null : new Date(ms);
};

/** `2026-05-01 10:05 UTC` in a `<time>`; text that is not a date is shown as it is. */
function time(iso: string): string {
  const t = publicTime(iso);
  return t ? `<time datetime="${t.iso}">${t.text}</time>` : esc(iso);
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
function day(date: string): string {
  const d = parsed(`${date}T00:00:00Z`);
  if (!d) return esc(date);
  const s = d.toISOString().slice(0, 10);
  return `<time datetime="${s}">${WEEKDAYS[d.getUTCDay()]} ${s}</time>`;
}

/** `Acme` → `Acme status`; a name that already says so (`Status`, `Acme status`) is kept as it is. */
const statusTitle = (name: string) => (/\bstatus$/i.test(name.trim()) ? name : `${name} status`);

/** Escaped text with its line breaks kept. */
const multiline = (s: string): string => esc(s).replace(/\r\n|\r|\n/g, '<br>\n');

const stateLabel = (state: ComponentState): string =>
  `<span class="state state-${state}">${icon(state)}<span>${STATE_LABEL[state]}</span></span>`;

const statusBadge = (status: PublicStatus): string => `<span class="badge status-${status}">${STATUS_LABEL[status]}</span>`;

const impactBadge = (impact: PublicImpact): string => `<span class="impact impact-${impact}">${IMPACT_LABEL[impact]}</span>`;

const permalink = (root: string, id: string): string => esc(`${root}incidents/${encodeURIComponent(id)}/`);

const names = (view: StatusPageView, ids: readonly string[]): string[] => {
  const byId = new Map(view.components.map((c) => [c.id, c.name]));
  return ids.map((id) => byId.get(id) ?? id);
};

const affects = (view: StatusPageView, ids: readonly string[]): string =>
  ids.length === 0 ? '' : `<p class="affects"><span class="label">Affects</span> ${names(view, ids).map(esc).join(', ')}</p>`;

const isOpen = (i: PublicIncident): boolean => i.status !== 'resolved' && i.status !== 'postmortem';

const newestFirst = (updates: readonly PublicUpdate[]): PublicUpdate[] =>
  [...updates].sort((a, b) => (a.createdAt < b.createdAt ? 1 : a.createdAt > b.createdAt ? -1 : 0));

function update(u: PublicUpdate): string {
  const changes =
    u.affectedComponents.length === 0
      ? ''
      : `<ul class="changes">${u.affectedComponents
          .map((c) => `<li>${esc(c.name)}: ${STATE_LABEL[c.oldStatus]} → ${STATE_LABEL[c.newStatus]}</li>`)
          .join('')}</ul>`;
  return `<li class="update"><p class="update-head"><strong class="update-status">${STATUS_LABEL[u.status]}</strong> ${time(u.createdAt)}</p>
<p class="update-body">${multiline(u.body)}</p>${changes}</li>`;
}

const updates = (list: readonly PublicUpdate[]): string =>
  list.length === 0 ? '' : `<ol class="updates">\n${newestFirst(list).map(update).join('\n')}\n</ol>`;

function openIncident(view: StatusPageView, i: PublicIncident, root: string): string {
  return `<article class="incident card incident-impact-${i.impact}" id="incident-${esc(i.id)}">
<h3 class="incident-name"><a href="${permalink(root, i.id)}">${esc(i.name)}</a></h3>
<p class="meta">${statusBadge(i.status)} ${impactBadge(i.impact)} <span class="since">Since ${time(i.startedAt)}</span></p>
${affects(view, i.components)}
${updates(i.updates)}
</article>`;
}

function maintenance(view: StatusPageView, m: PublicMaintenance): string {
  return `<article class="maintenance card">
<h3 class="maintenance-name">${esc(m.name)}</h3>
<p class="meta"><span class="badge maintenance-${m.status}">${MAINTENANCE_LABEL[m.status]}</span> <span class="window">${time(m.scheduledFor)} – ${time(m.scheduledUntil)}</span></p>
${affects(view, m.components)}
${m.body ? `<p class="update-body">${multiline(m.body)}</p>` : ''}
</article>`;
}

function component(c: ComponentView): string {
  const desc = c.description ? `<span class="desc">${esc(c.description)}</span>` : '';
  return `<li class="component"><span class="component-text"><span class="name">${esc(c.name)}</span>${desc}</span>${stateLabel(c.status)}</li>`;
}

function group(g: GroupView, members: readonly ComponentView[]): string {
  return `<li class="group"><div class="group-head"><span class="name">${esc(g.name)}</span>${stateLabel(g.status)}</div>
<ul class="group-components">${members.map(component).join('\n')}</ul></li>`;
}

function components(view: StatusPageView): string {
  const byPosition = <T extends { position: number }>(a: T, b: T) => a.position - b.position;
  const groupIds = new Set(view.groups.map((g) => g.id));
  const rows: { position: number; html: string }[] = [];
  for (const g of view.groups) {
    const members = view.components.filter((c) => c.group === g.id).sort(byPosition);
    rows.push({ position: g.position, html: group(g, members) });
  }
  for (const c of view.components) {
    if (c.group === null || !groupIds.has(c.group)) rows.push({ position: c.position, html: component(c) });
  }
  if (rows.length === 0) return '';
  rows.sort(byPosition);
  return `<section class="section" aria-labelledby="h-components">
<h2 id="h-components">Components</h2>
<ul class="components">
${rows.map((r) => r.html).join('\n')}
</ul>
</section>`;
}

function historyDay(d: HistoryDay, root: string): string {
  const body =
    d.incidents.length === 0
      ? '<p class="none">No incidents reported</p>'
      : `<ul class="day-incidents">${d.incidents
          .map(
            (i) =>
              `<li><a href="${permalink(root, i.id)}">${esc(i.name)}</a> ${impactBadge(i.impact)} ${statusBadge(i.status)}</li>`,
          )
          .join('')}</ul>`;
  return `<li class="day"><h3 class="day-date">${day(d.date)}</h3>${body}</li>`;
}

function pastIncident(i: PublicIncident, root: string): string {
  const last = newestFirst(i.updates)[0];
  return `<li class="past"><a href="${permalink(root, i.id)}">${esc(i.name)}</a>
<p class="meta">${statusBadge(i.status)} ${impactBadge(i.impact)} ${time(i.startedAt)}${i.resolvedAt ? ` – ${time(i.resolvedAt)}` : ''}</p>${
    last ? `<p class="excerpt">${multiline(last.body)}</p>` : ''
  }</li>`;
}

function shell(view: StatusPageView, root: string, title: string, main: string, canonical: string | null): string {
  const name = esc(view.page.name);
  const support = view.page.supportUrl ? safeHttpUrl(view.page.supportUrl) : null;
  const r = esc(root);
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light dark">
<meta name="referrer" content="strict-origin-when-cross-origin">
<title>${esc(title)}</title>
<link rel="icon" href="${favicon(view.indicator)}">
<link rel="stylesheet" href="${r}status.css">
<link rel="alternate" type="application/rss+xml" title="${name} incident history (RSS)" href="${r}history.rss">
<link rel="alternate" type="application/atom+xml" title="${name} incident history (Atom)" href="${r}history.atom">
${canonical ? `<link rel="canonical" href="${canonical}">\n` : ''}</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><div class="wrap header-row">
<a class="brand" href="${r}">${name}</a>
<nav class="header-links" aria-label="Subscribe"><a href="${r}history.rss">RSS</a> <a href="${r}history.atom">Atom</a></nav>
</div></header>
<main id="main" class="wrap">
${main}
</main>
<footer class="site-footer"><div class="wrap">
<p class="footer-links">${support ? `<a href="${support}" rel="noopener">Support</a> · ` : ''}<a href="${r}history.rss">RSS feed</a> · <a href="${r}history.atom">Atom feed</a> · <a href="${r}api/v2/summary.json">JSON</a></p>
<p class="powered">Powered by Firebreak · Generated ${time(view.generatedAt)}</p>
</div></footer>
</body>
</html>
`;
}

function banner(view: StatusPageView): string {
  const state = IMPACT_STATE[view.indicator];
  return `<section class="banner banner-${view.indicator}" aria-labelledby="h-status">
${icon(state)}
<div class="banner-text"><h1 id="h-status">${esc(view.description)}</h1>
<p class="updated">Last updated ${time(view.page.updatedAt)}</p></div>
</section>`;
}

const section = (id: string, title: string, body: string): string =>
  `<section class="section" aria-labelledby="${id}">
<h2 id="${id}">${title}</h2>
${body}
</section>`;

/** The public status page (index): banner, current incidents, maintenance, components, past incidents, 14 days. */
export function renderStatusPage(view: StatusPageView, opts: StatusHtmlOptions): string {
  const { root } = opts;
  const open = view.incidents.filter(isOpen);
  const past = view.incidents.filter((i) => !isOpen(i));
  const active = view.maintenances.filter((m) => m.status === 'in_progress');
  const upcoming = view.maintenances.filter((m) => m.status === 'scheduled');
  const parts = [banner(view)];
  if (open.length > 0) {
    parts.push(section('h-current', 'Current incidents', open.map((i) => openIncident(view, i, root)).join('\n')));
  }
  if (active.length > 0) {
    parts.push(section('h-maintenance-now', 'Maintenance in progress', active.map((m) => maintenance(view, m)).join('\n')));
  }
  parts.push(components(view));
  if (upcoming.length > 0) {
    parts.push(section('h-maintenance-next', 'Scheduled maintenance', upcoming.map((m) => maintenance(view, m)).join('\n')));
  }
  if (past.length > 0) {
    parts.push(section('h-past', 'Past incidents', `<ul class="past-list">\n${past.map((i) => pastIncident(i, root)).join('\n')}\n</ul>`));
  }
  parts.push(
    section(
      'h-history',
      `Last ${view.history.length} days`,
      `<ol class="history">\n${view.history.map((d) => historyDay(d, root)).join('\n')}\n</ol>`,
    ),
  );
  const pageUrl = view.page.url ? safeHttpUrl(view.page.url) : null;
  return shell(view, root, statusTitle(view.page.name), parts.filter(Boolean).join('\n'), pageUrl);
}

/** One incident's permalink page, or undefined when the view holds no incident with that id. */
export function renderIncidentPage(view: StatusPageView, incidentId: string, opts: StatusHtmlOptions): string | undefined {
  const i = view.incidents.find((x) => x.id === incidentId);
  if (!i) return undefined;
  const r = esc(opts.root);
  const times = [
    `<div><dt>Started</dt><dd>${time(i.startedAt)}</dd></div>`,
    i.monitoringAt ? `<div><dt>Monitoring since</dt><dd>${time(i.monitoringAt)}</dd></div>` : '',
    i.resolvedAt ? `<div><dt>Resolved</dt><dd>${time(i.resolvedAt)}</dd></div>` : '',
    `<div><dt>Last update</dt><dd>${time(i.updatedAt)}</dd></div>`,
  ].join('');
  const main = `<p class="back"><a href="${r}">← ${esc(statusTitle(view.page.name))}</a></p>
<article class="incident incident-page" id="incident-${esc(i.id)}">
<h1 class="incident-title">${esc(i.name)}</h1>
<p class="meta">${statusBadge(i.status)} ${impactBadge(i.impact)}</p>
${affects(view, i.components)}
<dl class="times">${times}</dl>
${section('h-updates', 'Updates', i.updates.length === 0 ? '<p class="none">No updates yet</p>' : updates(i.updates))}
</article>`;
  return shell(view, opts.root, `${i.name} · ${statusTitle(view.page.name)}`, main, null);
}

/** The stylesheet both pages link as `${root}status.css`: the only styling (the CSP allows no inline style). */
export const STATUS_CSS = `:root {
  color-scheme: light dark;
  --bg: #f6f8fa;
  --card: #ffffff;
  --text: #1f2328;
  --muted: #59636e;
  --border: #d1d9e0;
  --link: #0550ae;
  --ok: #1a7f37;
  --ok-bg: #dafbe1;
  --maint: #0550ae;
  --maint-bg: #ddf4ff;
  --minor: #7d4e00;
  --minor-bg: #fff8c5;
  --partial-fg: #953800;
  --partial-bg: #fff1e5;
  --major: #a40e26;
  --major-bg: #ffebe9;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
  line-height: 1.5;
}
@media (prefers-color-scheme: dark) {
  :root {
    --bg: #0d1117;
    --card: #151b23;
    --text: #e6edf3;
    --muted: #9198a1;
    --border: #3d444d;
    --link: #4493f8;
    --ok: #3fb950;
    --ok-bg: #12261e;
    --maint: #58a6ff;
    --maint-bg: #121d2f;
    --minor: #d29922;
    --minor-bg: #272115;
    --partial-fg: #f0883e;
    --partial-bg: #2b1d13;
    --major: #ff7b72;
    --major-bg: #2d1517;
  }
}
*, *::before, *::after { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; text-size-adjust: 100%; }
body { margin: 0; background: var(--bg); color: var(--text); font-size: 1rem; overflow-wrap: anywhere; }
a { color: var(--link); text-underline-offset: 0.15em; }
a:focus-visible { outline: 2px solid var(--link); outline-offset: 2px; border-radius: 2px; }
h1, h2, h3 { line-height: 1.25; margin: 0; }
p { margin: 0; }
ul, ol { margin: 0; padding: 0; list-style: none; }
.wrap { width: 100%; max-width: 52rem; margin: 0 auto; padding-inline: 1rem; }
.skip { position: absolute; left: -9999px; }
.skip:focus { position: static; display: block; padding: 0.5rem 1rem; }
.site-header { background: var(--card); border-bottom: 1px solid var(--border); }
.header-row { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; padding-top: 0.9rem; padding-bottom: 0.9rem; }
.brand { font-size: 1.25rem; font-weight: 650; color: var(--text); text-decoration: none; min-width: 0; }
.header-links { display: flex; gap: 0.75rem; font-size: 0.9rem; }
main { padding-block: 1.5rem 2.5rem; }
.icon { flex: none; width: 1.1em; height: 1.1em; vertical-align: -0.15em; }
.banner { display: flex; align-items: flex-start; gap: 0.75rem; padding: 1rem 1.25rem; border-radius: 8px; border: 1px solid; border-left-width: 6px; margin-bottom: 1.75rem; }
.banner .icon { width: 1.75rem; height: 1.75rem; margin-top: 0.05rem; }
.banner h1 { font-size: 1.4rem; }
.banner .updated { color: var(--muted); font-size: 0.875rem; margin-top: 0.2rem; }
.banner-none { background: var(--ok-bg); border-color: var(--ok); }
.banner-none .icon { color: var(--ok); }
.banner-minor { background: var(--minor-bg); border-color: var(--minor); }
.banner-minor .icon { color: var(--minor); }
.banner-major { background: var(--partial-bg); border-color: var(--partial-fg); }
.banner-major .icon { color: var(--partial-fg); }
.banner-critical { background: var(--major-bg); border-color: var(--major); }
.banner-critical .icon { color: var(--major); }
.section { margin-top: 1.75rem; }
.section > h2 { font-size: 1.1rem; margin-bottom: 0.75rem; }
.card { background: var(--card); border: 1px solid var(--border); border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 0.75rem; }
.incident.card { border-left: 6px solid var(--border); }
.incident.incident-impact-minor { border-left-color: var(--minor); }
.incident.incident-impact-major { border-left-color: var(--partial-fg); }
.incident.incident-impact-critical { border-left-color: var(--major); }
.maintenance.card { border-left: 6px solid var(--maint); }
.incident-name, .maintenance-name { font-size: 1.05rem; }
.incident-name a { color: var(--text); }
.meta { display: flex; flex-wrap: wrap; align-items: center; gap: 0.35rem 0.6rem; margin-top: 0.4rem; color: var(--muted); font-size: 0.875rem; }
.badge, .impact { display: inline-block; padding: 0.05rem 0.5rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600; border: 1px solid var(--border); color: var(--text); }
.status-investigating, .status-identified { background: var(--partial-bg); border-color: var(--partial-fg); color: var(--partial-fg); }
.status-monitoring { background: var(--maint-bg); border-color: var(--maint); color: var(--maint); }
.status-resolved, .status-postmortem { background: var(--ok-bg); border-color: var(--ok); color: var(--ok); }
.maintenance-in_progress, .maintenance-scheduled { background: var(--maint-bg); border-color: var(--maint); color: var(--maint); }
.impact { font-weight: 500; }
.impact-minor { color: var(--minor); border-color: var(--minor); }
.impact-major { color: var(--partial-fg); border-color: var(--partial-fg); }
.impact-critical { color: var(--major); border-color: var(--major); }
.affects { margin-top: 0.5rem; font-size: 0.9rem; }
.label { color: var(--muted); font-weight: 600; margin-right: 0.25rem; }
.updates { margin-top: 0.75rem; border-left: 2px solid var(--border); padding-left: 1rem; }
.update + .update { margin-top: 0.9rem; }
.update-head { display: flex; flex-wrap: wrap; gap: 0.25rem 0.6rem; align-items: baseline; }
.update-head time { color: var(--muted); font-size: 0.85rem; }
.update-body { margin-top: 0.2rem; }
.maintenance .update-body { margin-top: 0.5rem; }
.changes { margin-top: 0.3rem; color: var(--muted); font-size: 0.85rem; }
.components { background: var(--card); border: 1px solid var(--border); border-radius: 8px; }
.components > li + li { border-top: 1px solid var(--border); }
.component, .group-head { display: flex; align-items: center; justify-content: space-between; gap: 0.5rem 1rem; padding: 0.75rem 1.25rem; }
.group-head { font-weight: 650; }
.group-components .component { padding-left: 2.25rem; border-top: 1px solid var(--border); }
.component-text { display: flex; flex-direction: column; min-width: 0; }
.desc { color: var(--muted); font-size: 0.85rem; }
.state { display: inline-flex; align-items: center; gap: 0.35rem; flex: none; font-size: 0.875rem; font-weight: 600; text-align: right; }
.state-operational { color: var(--ok); }
.state-under_maintenance { color: var(--maint); }
.state-degraded_performance { color: var(--minor); }
.state-partial_outage { color: var(--partial-fg); }
.state-major_outage { color: var(--major); }
.past-list > li { padding: 0.75rem 0; border-bottom: 1px solid var(--border); }
.past-list a { font-weight: 600; }
.excerpt { margin-top: 0.3rem; color: var(--muted); font-size: 0.9rem; }
.history { border-top: 1px solid var(--border); }
.day { display: grid; grid-template-columns: 9rem minmax(0, 1fr); gap: 0.25rem 1rem; padding: 0.6rem 0; border-bottom: 1px solid var(--border); }
.day-date { font-size: 0.9rem; font-weight: 600; }
.day-incidents li + li { margin-top: 0.35rem; }
.day-incidents .badge, .day-incidents .impact { margin-left: 0.25rem; }
.none { color: var(--muted); }
.back { margin-bottom: 1rem; }
.incident-page .incident-title { font-size: 1.5rem; }
.times { display: flex; flex-wrap: wrap; gap: 0.5rem 1.5rem; margin: 0.75rem 0 0; font-size: 0.9rem; }
.times dt { color: var(--muted); font-size: 0.8rem; }
.times dd { margin: 0; }
.site-footer { border-top: 1px solid var(--border); padding: 1.25rem 0 2rem; color: var(--muted); font-size: 0.875rem; }
.site-footer p + p { margin-top: 0.35rem; }
@media (max-width: 32rem) {
  .wrap { padding-inline: 0.75rem; }
  .banner { padding: 0.9rem 1rem; }
  .banner h1 { font-size: 1.2rem; }
  .card { padding: 0.9rem 1rem; }
  .component, .group-head { padding: 0.7rem 1rem; }
  .group-components .component { padding-left: 1.5rem; }
  .day { grid-template-columns: minmax(0, 1fr); }
}
@media print {
  .skip, .header-links { display: none; }
  body { background: #fff; color: #000; }
}
`;
