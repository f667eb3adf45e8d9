import type { MouseEvent, ReactNode } from 'react';
import { navigate } from '../hooks/router.js';

/** An in-app link: a real href (open in new tab works), navigated without a reload. */
export function Link({ to, children, className, current }: { to: string; children: ReactNode; className?: string; current?: boolean }) {
  const handleClick = (e: MouseEvent<HTMLAnchorElement>) => {
    if (e.button !== 0 || e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return;
    e.preventDefault();
    navigate(to);
  };
  return (
    <a href={to} className={className} onClick={handleClick} aria-current={current ? 'page' : undefined}>
      {children}
    </a>
  );
}
