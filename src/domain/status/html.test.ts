import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapeHtml } from '../outputs/escape.js';
import { STATUS_CSS, renderIncidentPage, renderStatusPage } from './html.js';
import type { StatusPageView } from './types.js';
import { richView } from './view.fixture.js';

const BREAKER = '" onmouseover="window.__pwned=1" x="';
const IMG = "<img src=x onerror='window.__pwned=1'>";
const SCRIPT = '</p><script>window.__pwned=1</script>';

/** The rich view with hostile text in every untrusted field, and settings URLs that must not become links. */
function hostileView(): StatusPageView {
  const v = richView();
  v.page.name = `Acme ${BREAKER}`;
  v.page.url = 'javascript:window.__pwned=1';
  v.page.supportUrl = 'data:text/html,<script>window.__pwned=1</script>';
  v.description = `Outage ${IMG}`;
  v.groups[0]!.name = `Store ${SCRIPT}`;
  v.components[0]!.name = `Checkout ${BREAKER}`;
  v.components[1]!.description = `Search ${IMG}`;
  v.components[2]!.name = `API ${SCRIPT}`;
  v.incidents[0]!.name = `Errors ${BREAKER}`;
  v.incidents[0]!.updates[0]!.body = `Line one ${IMG}\nLine two ${SCRIPT}`;
  v.incidents[0]!.updates[0]!.affectedComponents[0]!.name = `Checkout ${IMG}`;
  v.incidents[1]!.updates[0]!.body = `Past ${SCRIPT}`;
  v.maintenances[0]!.name = `Rebuild ${IMG}`;
  v.maintenances[1]!.body = `Read-only ${BREAKER}`;
  v.history[0]!.incidents[0]!.name = `Errors ${BREAKER}`;
  return v;
}

const ATTRIBUTES = new Set([
  'lang', 'charset', 'name', 'content', 'rel', 'href', 'type', 'title', 'class', 'id', 'aria-labelledby', 'aria-label',
  'aria-hidden', 'focusable', 'viewbox', 'width', 'height', 'fill', 'fill-rule', 'd', 'datetime',
]);

/**
 * Every tag in the document, read with a grammar strict enough that an escaping slip (a quote ending an
 * attribute early, a `<` starting a tag) makes a tag that does not parse or an attribute not on the list.
 */
function tags(html: string): { name: string; attrs: [string, string][] }[] {
  const out: { name: string; attrs: [string, string][] }[] = [];
  for (const m of html.matchAll(/<(?!!doctype)([^>]*)>/gi)) {
    const raw = m[1]!;
    if (raw.startsWith('/')) {
      assert.match(raw, /^\/[a-z][a-z0-9]*$/, `closing tag <${raw}>`);
      continue;
    }
    const t = /^([a-z][a-z0-9]*)((?:\s+[a-z][a-z-]*(?:="[^"<>]*")?)*)\s*\/?$/i.exec(raw);
    assert.ok(t, `tag does not parse: <${raw}>`);
    const attrs = [...t[2]!.matchAll(/([a-z][a-z-]*)(?:="([^"]*)")?/gi)].map((a) => [a[1]!.toLowerCase(), a[2] ?? ''] as [string, string]);
    for (const [a] of attrs) assert.ok(ATTRIBUTES.has(a), `unexpected attribute ${a} in <${raw}>`);
    out.push({ name: t[1]!.toLowerCase(), attrs });
  }
  return out;
}

const links = (html: string): string[] =>
  tags(html).flatMap((t) => t.attrs.filter(([a]) => a === 'href' || a === 'src').map(([, v]) => v.replace(/&amp;/g, '&')));

const count = (html: string, needle: string) => html.split(needle).length - 1;

describe('status page HTML', () => {
  const view = richView();
  const page = renderStatusPage(view, { root: '/status/' });

  it('shows the banner, every group and component with its state in words', () => {
    assert.match(page, /<h1 id="h-status">Partial System Outage<\/h1>/);
    assert.match(page, /class="banner banner-major"/);
    assert.ok(page.includes('<a class="brand" href="/status/">Acme &lt;Status&gt;</a>'));
    for (const g of view.groups) assert.ok(page.includes(`<span class="name">${escapeHtml(g.name)}</span>`), g.name);
    for (const c of view.components) assert.ok(page.includes(`<span class="name">${escapeHtml(c.name)}</span>`), c.name);
    assert.ok(page.includes('Paying for an order'));
    assert.equal(count(page, '<span>Partial outage</span>'), 2, 'the group shows its worst state, and checkout its own');
    assert.equal(count(page, '<span>Under maintenance</span>'), 1);
    assert.equal(count(page, '<span>Operational</span>'), 1);
    // Grouped components sit inside their group, the ungrouped one after it.
    const group = page.indexOf('class="group"');
    const search = page.indexOf('>Search</span>');
    const api = page.indexOf('>Public API</span>');
    assert.ok(group < search && search < api && page.lastIndexOf('</ul></li>', api) > search);
  });

  it('lists the open incident with every update newest first, line breaks kept, and its components', () => {
    const open = view.incidents[0]!;
    const current = page.slice(page.indexOf('id="h-current"'), page.indexOf('id="h-maintenance-now"'));
    assert.ok(current.includes(`<a href="/status/incidents/42/">${escapeHtml(open.name)}</a>`));
    assert.ok(current.includes('<span class="badge status-identified">Identified</span>'));
    assert.ok(current.includes('Major impact'));
    assert.ok(current.includes('<span class="label">Affects</span> Checkout &amp; Payments'));
    const newer = current.indexOf(escapeHtml(open.updates[0]!.body));
    const older = current.indexOf('Some payments fail.<br>\nWe are looking into it.');
    assert.ok(newer > 0 && older > newer, 'newest update first, line break kept');
    assert.ok(current.includes('<time datetime="2026-05-01T10:05:00.000Z">2026-05-01 10:05 UTC</time>'));
    assert.ok(current.includes('Checkout &amp; Payments: Operational → Major outage'));
    assert.ok(!current.includes('Slow search'), 'a resolved incident is not current');
  });

  it('puts updates newest first even when the view lists them oldest first', () => {
    const v = richView();
    v.incidents[0]!.updates.reverse();
    const html = renderStatusPage(v, { root: './' });
    assert.ok(html.indexOf('Rolling back') < html.indexOf('Some payments fail'));
  });

  it('shows maintenance in progress and scheduled, past incidents, and 14 history days', () => {
    const now = page.slice(page.indexOf('id="h-maintenance-now"'), page.indexOf('id="h-components"'));
    assert.ok(now.includes('Search index rebuild') && now.includes('In progress') && now.includes('Results may be stale'));
    const next = page.slice(page.indexOf('id="h-maintenance-next"'));
    assert.ok(next.includes('Database upgrade') && next.includes('Scheduled'));
    assert.ok(next.includes('<time datetime="2026-05-03T02:00:00.000Z">2026-05-03 02:00 UTC</time>'));
    const past = page.slice(page.indexOf('id="h-past"'), page.indexOf('id="h-history"'));
    assert.ok(past.includes('<a href="/status/incidents/40/">Slow search</a>') && past.includes('Resolved'));
    const history = page.slice(page.indexOf('id="h-history"'));
    assert.match(history, /^id="h-history">Last 14 days<\/h2>/);
    assert.equal(count(history, '<li class="day">'), 14);
    assert.equal(count(history, 'No incidents reported'), 12);
    assert.ok(history.indexOf('datetime="2026-05-01"') < history.indexOf('datetime="2026-04-18"'), 'newest day first');
    assert.ok(history.includes('<time datetime="2026-05-01">Fri 2026-05-01</time>'));
  });

  it('shows no empty sections on a calm page', () => {
    const v = richView();
    v.indicator = 'none';
    v.description = 'All Systems Operational';
    v.incidents = [];
    v.maintenances = [];
    v.history = v.history.map((d) => ({ ...d, incidents: [] }));
    const html = renderStatusPage(v, { root: './' });
    assert.match(html, /class="banner banner-none"/);
    for (const id of ['h-current', 'h-maintenance-now', 'h-maintenance-next', 'h-past']) assert.ok(!html.includes(id), id);
    assert.equal(count(html, 'No incidents reported'), 14);
  });

  it('has a footer with support, feeds and JSON, and the alternate feed links', () => {
    const footer = page.slice(page.indexOf('<footer'));
    assert.ok(footer.includes('<a href="https://acme.test/support" rel="noopener">Support</a>'));
    for (const href of ['/status/history.rss', '/status/history.atom', '/status/api/v2/summary.json']) {
      assert.ok(footer.includes(`href="${href}"`), href);
    }
    assert.ok(footer.includes('Powered by Firebreak'));
    assert.ok(page.includes('<link rel="alternate" type="application/rss+xml" title="Acme &lt;Status&gt; incident history (RSS)" href="/status/history.rss">'));
    assert.ok(page.includes('<link rel="alternate" type="application/atom+xml" title="Acme &lt;Status&gt; incident history (Atom)" href="/status/history.atom">'));
    assert.ok(page.includes('<link rel="stylesheet" href="/status/status.css">'));
    assert.match(page, /<meta name="viewport" content="width=device-width, initial-scale=1">/);
  });

  it('renders an incident with no updates yet, a maintenance without a body and an empty group', () => {
    const v = richView();
    v.incidents[0]!.updates = [];
    v.maintenances[0]!.body = '';
    v.groups.push({ ...v.groups[0]!, id: 'empty', name: 'Empty group', components: [], position: 9 });
    const html = renderStatusPage(v, { root: './' });
    tags(html);
    assert.ok(html.includes('<span class="name">Empty group</span>'));
    assert.equal(count(html, '<li class="update">'), 0);
    assert.ok(renderIncidentPage(v, '42', { root: './' })!.includes('<p class="none">No updates yet</p>'));
  });

  it('leaves out the support link when there is none', () => {
    const v = richView();
    v.page.supportUrl = null;
    assert.ok(!renderStatusPage(v, { root: './' }).includes('Support'));
  });

  it('has no script, no inline style and nothing from another origin', () => {
    for (const html of [page, renderIncidentPage(view, '42', { root: '/status/' })!]) {
      assert.doesNotMatch(html, /<script|<style|\sstyle=|\son[a-z]+=/i);
      const own = ['https://status.acme.test/', 'https://acme.test/support'];
      for (const href of links(html)) {
        assert.ok(href.startsWith('/status/') || href.startsWith('#') || href.startsWith('data:') || own.includes(href), href);
      }
      // The only other absolute URL is the SVG namespace inside the data: favicon, which is never fetched.
      const absolute = [...html.matchAll(/https?:\/\/[^\s"'<>)]+/g)].map((m) => m[0]);
      for (const url of absolute) assert.ok(own.includes(url) || url === 'http://www.w3.org/2000/svg', url);
    }
  });

  it('prefixes every link and asset with the root it is given', () => {
    for (const [root, html] of [
      ['./', renderStatusPage(view, { root: './' })],
      ['/status/', page],
      ['../../', renderIncidentPage(view, '42', { root: '../../' })!],
    ] as const) {
      const local = links(html).filter((h) => !/^(https?:|data:|#)/.test(h));
      assert.ok(local.length >= 5, root);
      for (const href of local) assert.ok(href.startsWith(root), `${root}: ${href}`);
      assert.ok(html.includes(`href="${root}status.css"`) && html.includes(`href="${root}history.atom"`));
    }
    assert.ok(renderStatusPage(view, { root: './' }).includes('href="./incidents/42/"'));
  });

  it('keeps the pages valid and their stylesheet free of anything fetched from elsewhere', () => {
    assert.doesNotMatch(STATUS_CSS, /@import|url\(|https?:/);
    assert.match(STATUS_CSS, /prefers-color-scheme: dark/);
    assert.ok(tags(page).length > 50);
  });
});

describe('status page HTML: untrusted text', () => {
  const v = hostileView();
  const pages = [renderStatusPage(v, { root: './' }), renderIncidentPage(v, '42', { root: '../../' })!];

  it('escapes every untrusted string so no tag or attribute comes from it', () => {
    for (const html of pages) {
      assert.doesNotMatch(html, /<script|<img|onmouseover="|onerror='/i);
      tags(html); // every tag parses and has only our attributes
    }
    const [index, incident] = pages as [string, string];
    for (const s of [
      `Acme ${BREAKER}`,
      `Outage ${IMG}`,
      `Store ${SCRIPT}`,
      `Checkout ${BREAKER}`,
      `Search ${IMG}`,
      `API ${SCRIPT}`,
      `Errors ${BREAKER}`,
      `Line one ${IMG}`,
      `Line two ${SCRIPT}`,
      `Checkout ${IMG}`,
      `Past ${SCRIPT}`,
      `Rebuild ${IMG}`,
      `Read-only ${BREAKER}`,
    ]) {
      assert.ok(index.includes(escapeHtml(s)), s);
    }
    assert.ok(incident.includes(`<h1 class="incident-title">${escapeHtml(`Errors ${BREAKER}`)}</h1>`));
    assert.ok(index.includes(`title="${escapeHtml(`Acme ${BREAKER}`)} incident history (RSS)"`), 'attribute context');
  });

  it('links a settings URL only when it is http(s)', () => {
    for (const html of pages) {
      assert.ok(!html.includes('javascript:') && !html.includes('data:text'), 'neither URL appears');
      assert.ok(!html.includes('rel="canonical"') && !html.includes('>Support<'));
    }
  });

  it('says "status" once: a page named Status or Acme status is not "Status status"', () => {
    const titled = (name: string) => {
      const v = richView();
      return /<title>([^<]*)<\/title>/.exec(renderStatusPage({ ...v, page: { ...v.page, name } }, { root: './' }))?.[1];
    };
    assert.equal(titled('Status'), 'Status');
    assert.equal(titled('Acme status'), 'Acme status');
    assert.equal(titled('Acme'), 'Acme status');
  });

  it('has a tag reader that would catch an escaping slip', () => {
    assert.throws(() => tags(`<a href="x" onmouseover="y">`), /unexpected attribute onmouseover/);
    assert.throws(() => tags(`<a href="x"" y>`), /does not parse/);
  });

  it('escapes the fixture markup', () => {
    const html = renderStatusPage(richView(), { root: './' });
    assert.ok(html.includes('Checkout errors &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('<title>Acme &lt;Status&gt; status</title>'));
    assert.ok(html.includes('Rolling back v1.42 &amp; watching &quot;error rates&quot;.'));
  });
});

describe('incident permalink page', () => {
  const view = richView();

  it("shows the incident's name, status, impact, components and every update, with a way back", () => {
    const html = renderIncidentPage(view, '42', { root: '../../' })!;
    assert.ok(html.includes('<title>Checkout errors &lt;script&gt;alert(1)&lt;/script&gt; · Acme &lt;Status&gt; status</title>'));
    assert.ok(html.includes('<h1 class="incident-title">Checkout errors &lt;script&gt;alert(1)&lt;/script&gt;</h1>'));
    assert.ok(html.includes('<span class="badge status-identified">Identified</span>') && html.includes('Major impact'));
    assert.ok(html.includes('<span class="label">Affects</span> Checkout &amp; Payments'));
    assert.equal(count(html, '<li class="update">'), 2);
    assert.ok(html.indexOf('Rolling back') < html.indexOf('Some payments fail.<br>'));
    assert.ok(html.includes('<p class="back"><a href="../../">← Acme &lt;Status&gt; status</a></p>'));
    assert.ok(html.includes('<dt>Started</dt><dd><time datetime="2026-05-01T09:58:00.000Z">2026-05-01 09:58 UTC</time></dd>'));
  });

  it('shows when a resolved incident was monitored and resolved', () => {
    const html = renderIncidentPage(view, '40', { root: '/status/' })!;
    assert.ok(html.includes('<dt>Resolved</dt><dd><time datetime="2026-04-28T09:30:00.000Z">2026-04-28 09:30 UTC</time></dd>'));
    assert.ok(html.includes('<dt>Monitoring since</dt>'));
    assert.ok(html.includes('<span class="badge status-resolved">Resolved</span>'));
  });

  it('is undefined for an incident the view does not hold', () => {
    assert.equal(renderIncidentPage(view, '7', { root: './' }), undefined);
  });
});
