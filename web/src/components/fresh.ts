/**
 * Records each row's mark in `seen` and answers the keys whose mark changed or that are new: the rows a live
 * refresh highlights. None on the first load (nothing seen yet), so a page does not open with every row lit.
 */
export function changedRows<T, K>(seen: Map<K, unknown>, rows: readonly T[], key: (row: T) => K, mark: (row: T) => unknown): Set<K> {
  const first = seen.size === 0;
  const changed = new Set<K>();
  for (const row of rows) {
    const k = key(row);
    const m = mark(row);
    if (!first && seen.get(k) !== m) changed.add(k);
    seen.set(k, m);
  }
  return changed;
}
