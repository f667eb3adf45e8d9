import { useMemo, useRef } from 'react';

/**
 * Numbers the runs of a load, so an answer that arrives after a newer run started (a filter changed while
 * a live refresh was in flight) is dropped instead of replacing the newer rows.
 */
export function useRuns(): { start(): number; current(): number; isLatest(run: number): boolean } {
  const n = useRef(0);
  return useMemo(() => ({ start: () => ++n.current, current: () => n.current, isLatest: (run: number) => run === n.current }), []);
}
