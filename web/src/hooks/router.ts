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
