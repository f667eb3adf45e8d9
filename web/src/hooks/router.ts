import { useEffect, useState } from 'react';

const subscribers = new Set<(path: string) => void>();

/** Client-side navigation: the server answers every UI path with the same page. */
export function navigate(to: string, replace = false): void {
  if (to === window.location.pathname + window.location.search) return;
  if (replace) window.history.replaceState(null, '', to);
  else window.history.pushState(null, '', to);
  window.scrollTo(0, 0);
  subscribers.forEach((s) => s(to));
}

/** Shows `params` in the address bar (empty ones left out) without a history entry: a page's filters, to share or reload. */
export function replaceQuery(path: string, params: Record<string, string | undefined>): void {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const qs = q.toString();
  window.history.replaceState(null, '', qs ? `${path}?${qs}` : path);
}

window.addEventListener('popstate', () => subscribers.forEach((s) => s(window.location.pathname)));

/** The current path, updated on navigate() and back/forward. */
export function usePath(): string {
  const [path, setPath] = useState(window.location.pathname);
  useEffect(() => {
    const s = () => setPath(window.location.pathname);
    subscribers.add(s);
    return () => {
      subscribers.delete(s);
    };
  }, []);
  return path;
}
