import type { ReactNode } from 'react';

export const isHttpUrl = (u: string | null | undefined): u is string => typeof u === 'string' && /^https?:\/\//i.test(u);

/** A link from untrusted data: an anchor only for http(s), opened apart from the page; otherwise the text. */
export function ExternalLink({ url, children, className }: { url: string | null | undefined; children?: ReactNode; className?: string }) {
  if (!url) return <span className="muted">—</span>;
  if (!isHttpUrl(url)) return <span className={className}>{url}</span>;
  return (
    <a href={url} target="_blank" rel="noopener noreferrer nofollow" className={className} title={url}>
      {children ?? url}
    </a>
  );
}
