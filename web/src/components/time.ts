/** `3 d 4 h`, `2 h 5 m`, `12 m`, `40 s`: two units at most, for ages and timers. */
export function duration(ms: number): string {
  const s = Math.max(0, Math.floor(Math.abs(ms) / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3_600);
  const m = Math.floor((s % 3_600) / 60);
  if (d > 0) return `${d} d ${h} h`;
  if (h > 0) return `${h} h ${m} m`;
  if (m > 0) return `${m} m`;
  return `${s} s`;
}

/** `2026-03-01 10:05 UTC`: responders across time zones read the same clock. */
export function utc(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '—';
  return `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `10:05:12` UTC, for dense timeline rows. */
export const clock = (iso: string) => new Date(iso).toISOString().slice(11, 19);
