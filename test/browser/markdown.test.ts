import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMarkdown } from '../../web/src/components/markdown-render.js';

// The web UI's one Markdown renderer (web/src/components/Markdown.tsx) must never produce live markup.
describe('web Markdown renderer', () => {
  it('escapes raw HTML instead of passing it through', () => {
    const html = renderMarkdown('<img src=x onerror=alert(1)>\n\n<script>alert(2)</script> <b onmouseover=alert(3)>b</b>');
    assert.doesNotMatch(html, /<img|<script|<b /);
    assert.match(html, /&lt;img src=x onerror=alert\(1\)&gt;/);
    assert.match(html, /&lt;script&gt;alert\(2\)&lt;\/script&gt;/);
  });

  it('keeps http(s) and mailto links, opened apart, and leaves every other scheme as text', () => {
    const html = renderMarkdown(
      '[ok](https://wiki.example/a) [mail](mailto:oncall@example.com) [js](javascript:alert(1)) [data](data:text/html,x) [vb](vbscript:x) [rel](/admin) <javascript:alert(2)>',
    );
    assert.match(html, /<a href="https:\/\/wiki\.example\/a" target="_blank" rel="noopener noreferrer nofollow">ok<\/a>/);
    assert.match(html, /<a href="mailto:oncall@example.com"/);
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(hrefs, ['https://wiki.example/a', 'mailto:oncall@example.com']);
  });

  it('renders no images and no inline styles (the CSP refuses both)', () => {
    const html = renderMarkdown('![x](https://evil.example/p.png)\n\n| a | b |\n|:--|--:|\n| 1 | 2 |\n');
    assert.doesNotMatch(html, /<img/);
    assert.doesNotMatch(html, /style=/);
    assert.match(html, /<th class="align-left">a<\/th>/);
    assert.match(html, /<td class="align-right">2<\/td>/);
  });

  it('renders the playbook structure: headings, lists, tables, emphasis', () => {
    const html = renderMarkdown('# Playbook\n\n- **Owner:** payments\n\n| S | I |\n|---|---|\n| SEV1 | down |\n');
    assert.match(html, /<h1>Playbook<\/h1>/);
    assert.match(html, /<li><strong>Owner:<\/strong> payments<\/li>/);
    assert.match(html, /<td>SEV1<\/td>/);
  });
});
