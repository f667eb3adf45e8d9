import { useMemo } from 'react';
import { renderMarkdown } from './markdown-render.js';

/** Sanitised Markdown (markdown-render.ts); the only component allowed to set inner HTML. */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => renderMarkdown(source), [source]);
  return <div className={`markdown${className ? ` ${className}` : ''}`} dangerouslySetInnerHTML={{ __html: html }} />;
}

export default Markdown;
