import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderHtmlDoc, renderMarkdownDoc } from './document.js';
import { csvCell, escapeHtml, escapeMarkdown, formatUtc, safeHttpUrl, urlsIn } from './escape.js';

describe('escaping helpers', () => {
  it('escapeHtml leaves no markup or attribute breakout', () => {
    assert.equal(
      escapeHtml(`<a href="x" onclick='y'>&</a>`),
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('escapeMarkdown keeps text literal and on one line', () => {
    assert.equal(
      escapeMarkdown('a | b\n`c` *d* _e_ [f](g) <h> & ~i~ \\'),
      'a \\| b \\`c\\` \\*d\\* \\_e\\_ \\[f\\](g) &lt;h&gt; &amp; \\~i\\~ \\\\',
    );
    assert.equal(escapeMarkdown('# heading'), '\\# heading');
    assert.equal(escapeMarkdown('- item'), '\\- item');
    assert.equal(escapeMarkdown('12. item'), '12\\. item');
    assert.equal(escapeMarkdown('# title', false), '# title');
  });

  it('csvCell quotes per RFC 4180 and defuses formulas', () => {
    assert.equal(csvCell('plain'), 'plain');
    assert.equal(csvCell(42), '42');
    assert.equal(csvCell('a,b'), '"a,b"');
    assert.equal(csvCell('say "hi"'), '"say ""hi"""');
    assert.equal(csvCell('two\r\nlines'), '"two\r\nlines"');
    for (const bad of ['=1+1', '+1', '-1', '@SUM(A1)', '\tx', '\rx'])
      assert.equal(csvCell(bad).replace(/^"/, '')[0], "'", bad);
    assert.equal(csvCell('=HYPERLINK("http://x")'), `"'=HYPERLINK(""http://x"")"`);
  });

  it('safeHttpUrl accepts http(s) only and encodes link-breaking characters', () => {
    assert.equal(safeHttpUrl('https://grafana.example/d/x?a=1'), 'https://grafana.example/d/x?a=1');
    assert.equal(safeHttpUrl(' HTTP://Example.com'), 'http://example.com/');
    assert.equal(safeHttpUrl('https://x.example/a_(b)|"c"'), 'https://x.example/a_%28b%29%7C%22c%22');
    for (const bad of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,<script>',
      'ftp://x.example',
      '//x.example',
      'not a url',
      'vbscript:x',
    ]) {
      assert.equal(safeHttpUrl(bad), null, bad);
    }
  });

  it('urlsIn finds URLs in prose without trailing punctuation', () => {
    assert.deepEqual(
      urlsIn('see https://a.example/x, and (http://b.example/y). javascript:alert(1) https://a.example/x'),
      ['https://a.example/x', 'http://b.example/y'],
    );
  });

  it('formatUtc prints UTC to the second', () => {
    assert.equal(formatUtc('2026-11-27T10:04:05.123Z'), '2026-11-27 10:04:05Z');
    assert.equal(formatUtc('2026-11-27T12:04:05+02:00'), '2026-11-27 10:04:05Z');
    assert.equal(formatUtc('soon'), 'soon');
  });
});

describe('document renderers', () => {
  const doc = {
    title: 'T <b>',
    sections: [
      {
        title: 'S',
        blocks: [
          { kind: 'table' as const, head: ['A'], rows: [[[{ href: 'javascript:alert(1)', text: 'click' }]]] },
          { kind: 'p' as const, text: [{ href: 'https://ok.example/', text: '<b>ok</b>' }] },
        ],
      },
    ],
  };

  it('never turns a hand-built non-http span into a link', () => {
    const md = renderMarkdownDoc(doc);
    const html = renderHtmlDoc(doc);
    assert.ok(!md.includes('javascript:') && !html.includes('javascript:'));
    assert.ok(md.includes('[&lt;b&gt;ok&lt;/b&gt;](https://ok.example/)'));
    assert.ok(
      html.includes('<a href="https://ok.example/" rel="noopener noreferrer nofollow">&lt;b&gt;ok&lt;/b&gt;</a>'),
    );
    assert.ok(html.includes('<title>T &lt;b&gt;</title>'));
  });
});
