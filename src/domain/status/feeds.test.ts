import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as xmljs from 'xml-js';
import { escapeHtml } from '../outputs/escape.js';
import { renderAtom, renderRss } from './feeds.js';
import type { StatusPageView } from './types.js';
import { richView } from './view.fixture.js';

type El = xmljs.Element;

/** The document's root element, parsed strictly (sax in strict mode throws on malformed XML). */
function parse(xml: string): El {
  // eslint-disable-next-line no-control-regex
  assert.doesNotMatch(xml, /[\u0000-\u0008\u000B\u000C\u000E-\u001F]/, 'no character XML 1.0 refuses');
  const doc = xmljs.xml2js(xml, { compact: false }) as El;
  const root = (doc.elements ?? []).find((e) => e.type === 'element');
  assert.ok(root, 'a root element');
  return root;
}

const kids = (el: El, name: string): El[] => (el.elements ?? []).filter((e) => e.type === 'element' && e.name === name);
const kid = (el: El, name: string): El => {
  const found = kids(el, name);
  assert.equal(found.length, 1, `one <${name}> in <${el.name}>`);
  return found[0]!;
};
const text = (el: El): string => (el.elements ?? []).map((e) => String(e.text ?? e.cdata ?? '')).join('');

const HOSTILE = '<script>window.__pwned=1</script>" onmouseover="x';

function hostileView(): StatusPageView {
  const v = richView();
  v.page.name = `Acme ${HOSTILE}\u0000\u001b`;
  v.incidents[0]!.name = `Errors ]]> ${HOSTILE}\u0007`;
  v.incidents[0]!.updates[0]!.body = `Body ]]><x> ${HOSTILE}\nsecond line\u000b`;
  v.components[0]!.name = `Checkout ${HOSTILE}`;
  return v;
}

describe('status feeds: RSS', () => {
  const view = richView();
  const rss = renderRss(view, { root: '/status/', selfUrl: 'https://status.acme.test/status/history.rss' });

  it('is RSS 2.0 with one item per public incident, newest first, titles as escaped HTML', () => {
    const root = parse(rss);
    assert.equal(root.name, 'rss');
    assert.equal(root.attributes?.version, '2.0');
    const channel = kid(root, 'channel');
    assert.equal(text(kid(channel, 'title')), 'Acme &lt;Status&gt; status');
    assert.equal(text(kid(channel, 'link')), 'https://status.acme.test/status/');
    const items = kids(channel, 'item');
    assert.equal(items.length, view.incidents.length);
    assert.deepEqual(
      items.map((i) => text(kid(i, 'title'))),
      view.incidents.map((i) => escapeHtml(i.name)),
    );
    const first = items[0]!;
    assert.equal(text(kid(first, 'link')), 'https://status.acme.test/status/incidents/42/');
    assert.equal(text(kid(first, 'guid')), 'https://status.acme.test/incidents/42');
    assert.equal(kid(first, 'guid').attributes?.isPermaLink, 'false');
    assert.equal(text(kid(first, 'pubDate')), 'Fri, 01 May 2026 10:00:00 GMT');
    const atomSelf = kid(channel, 'atom:link');
    assert.equal(atomSelf.attributes?.href, 'https://status.acme.test/status/history.rss');
  });

  it('carries every update, newest first, as escaped text with its line breaks', () => {
    const content = text(kid(kids(kid(parse(rss), 'channel'), 'item')[0]!, 'content:encoded'));
    const newer = content.indexOf('<strong>Identified</strong> - Rolling back v1.42 &amp; watching &quot;error rates&quot;.');
    const older = content.indexOf('<strong>Investigating</strong> - Some payments fail.<br>We are looking into it.');
    assert.ok(newer >= 0 && older > newer, content);
    assert.ok(content.includes('<small>2026-05-01 10:05 UTC</small>'));
    assert.ok(content.includes('Affected components: Checkout &amp; Payments'));
  });

  it('renders the same ids however the page is reached', () => {
    const guids = (xml: string) => kids(kid(parse(xml), 'channel'), 'item').map((i) => text(kid(i, 'guid')));
    const served = guids(rss);
    assert.deepEqual(guids(renderRss(view, { root: './' })), served);
    assert.deepEqual(guids(renderRss(view, { root: './', selfUrl: 'http://127.0.0.1:7070/status/history.rss' })), served);
  });

  it('resolves links from the page URL when it does not know its own', () => {
    const items = kids(kid(parse(renderRss(view, { root: './' })), 'channel'), 'item');
    assert.equal(text(kid(items[0]!, 'link')), 'https://status.acme.test/incidents/42/');
  });

  it('falls back to URNs without any absolute address, and never writes "undefined"', () => {
    const v = richView();
    v.page.url = 'javascript:alert(1)';
    const xml = renderRss(v, { root: './' });
    assert.ok(!xml.includes('undefined') && !xml.includes('javascript:'));
    const channel = kid(parse(xml), 'channel');
    assert.equal(text(kid(channel, 'link')), 'urn:firebreak:status');
    assert.equal(text(kid(kids(channel, 'item')[0]!, 'guid')), 'urn:firebreak:status:incidents:42');
  });

  it('lists a completed maintenance as an item of its own', () => {
    const v = richView();
    v.maintenances[1] = { ...v.maintenances[1]!, status: 'completed', updatedAt: '2026-05-03T02:30:00.000Z' };
    const items = kids(kid(parse(renderRss(v, { root: './' })), 'channel'), 'item');
    assert.equal(items.length, 3);
    assert.equal(text(kid(items[0]!, 'title')), 'Maintenance: Database upgrade');
    assert.equal(text(kid(items[0]!, 'guid')), 'https://status.acme.test/maintenances/m-2');
  });
});

describe('status feeds: Atom', () => {
  const view = richView();
  const atom = renderAtom(view, { root: '/status/', selfUrl: 'https://status.acme.test/status/history.atom' });

  it('is Atom 1.0 with one entry per public incident, newest first', () => {
    const root = parse(atom);
    assert.equal(root.name, 'feed');
    assert.equal(root.attributes?.xmlns, 'http://www.w3.org/2005/Atom');
    assert.equal(text(kid(root, 'id')), 'https://status.acme.test');
    assert.equal(text(kid(root, 'title')), 'Acme <Status> status', 'a text title: XML escaping is enough');
    assert.equal(kid(root, 'title').attributes?.type, undefined);
    assert.equal(text(kid(root, 'updated')), '2026-05-01T10:05:00.000Z');
    const links = kids(root, 'link').map((l) => [l.attributes?.rel, l.attributes?.href]);
    assert.deepEqual(links, [
      ['alternate', 'https://status.acme.test/status/'],
      ['self', 'https://status.acme.test/status/history.atom'],
    ]);
    const entries = kids(root, 'entry');
    assert.equal(entries.length, view.incidents.length);
    for (const [n, e] of entries.entries()) {
      const incident = view.incidents[n]!;
      assert.equal(kid(e, 'title').attributes?.type, 'html');
      assert.equal(text(kid(e, 'title')), escapeHtml(incident.name));
      assert.equal(text(kid(e, 'id')), `https://status.acme.test/incidents/${incident.id}`);
      assert.equal(text(kid(e, 'updated')), incident.updatedAt);
      assert.equal(kid(e, 'link').attributes?.href, `https://status.acme.test/status/incidents/${incident.id}/`);
      assert.equal(kid(e, 'content').attributes?.type, 'html');
    }
    assert.ok(text(kid(entries[0]!, 'content')).includes('Some payments fail.<br>We are looking into it.'));
  });
});

describe('status feeds: untrusted text', () => {
  const v = hostileView();
  for (const [name, xml] of [
    ['RSS', renderRss(v, { root: './' })],
    ['Atom', renderAtom(v, { root: './' })],
  ] as const) {
    it(`${name}: parses, and every HTML field holds the markup escaped`, () => {
      const root = parse(xml);
      const entries = name === 'RSS' ? kids(kid(root, 'channel'), 'item') : kids(root, 'entry');
      assert.equal(entries.length, 2);
      const html = entries.flatMap((e) =>
        (e.elements ?? []).filter((c) => ['title', 'description', 'content:encoded', 'summary', 'content'].includes(String(c.name))).map(text),
      );
      for (const field of html) assert.doesNotMatch(field, /<script|<x>|onmouseover="/, field);
      assert.equal(text(kid(entries[0]!, 'title')), escapeHtml(`Errors ]]> ${HOSTILE}`));
      assert.ok(html.some((f) => f.includes(`Body ]]&gt;&lt;x&gt; ${escapeHtml(HOSTILE)}<br>second line`)));
      assert.ok(html.some((f) => f.includes(`Affected components: Checkout ${escapeHtml(HOSTILE)}`)));
      assert.doesNotMatch(xml, /<script/);
    });
  }

  it('RSS: the channel title is escaped too, since readers differ on whether it is HTML', () => {
    const channel = kid(parse(renderRss(v, { root: './' })), 'channel');
    assert.equal(text(kid(channel, 'title')), `Acme ${escapeHtml(HOSTILE)} status`);
  });
});
