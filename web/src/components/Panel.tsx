import { useEffect, type ReactNode, type RefObject } from 'react';

/**
 * A titled side panel with an optional count, as the room and the service page lay them out. The region is named by
 * `label`, the title unless given.
 */
export function Panel({
  title,
  label = title,
  count,
  children,
  id,
}: {
  title: string;
  label?: string;
  count?: number;
  children: ReactNode;
  id: string;
}) {
  return (
    <section className="panel side" aria-label={label} id={id}>
      <h2>
        {title}
        {count !== undefined && <span className="count">{count}</span>}
      </h2>
      {children}
    </section>
  );
}

/** Opens the dialog modally while the component is mounted, and closes it when it goes. */
export function useModal(ref: RefObject<HTMLDialogElement | null>): void {
  useEffect(() => {
    const d = ref.current;
    if (d && !d.open) d.showModal();
    return () => d?.close();
  }, [ref]);
}
