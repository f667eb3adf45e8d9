import MarkdownIt from 'markdown-it';

// The one place the UI turns text into HTML (STYLE.md "Web"). Raw HTML in the source is escaped
// (`html: false`), only http(s) and mailto links survive (others stay text), images are off (the CSP
// would block remote ones anyway), and every link opens apart from the page.
const md = new MarkdownIt({ html: false, linkify: true, typographer: false });
md.disable(['image']);
md.validateLink = (url: string) => /^(https?:|mailto:)/i.test(url.trim());

// Table alignment arrives as a style attribute, which the CSP (style-src 'self') would refuse: use a class.
md.core.ruler.push('align_class', (state) => {
  for (const token of state.tokens) {
    const style = token.attrGet('style');
    if (style === null) continue;
    token.attrs = (token.attrs ?? []).filter(([name]) => name !== 'style');
    const align = /text-align:(left|right|center)/.exec(String(style));
    if (align) token.attrJoin('class', `align-${align[1]}`);
  }
});

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  token.attrSet('target', '_blank');
  token.attrSet('rel', 'noopener noreferrer nofollow');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** Markdown to sanitised HTML: no raw HTML, no images, links only to http(s) and mailto. */
export const renderMarkdown = (source: string): string => md.render(source);
