import { readdirSync, readFileSync } from 'node:fs';
export interface LoadResult {
  count: number;
  seconds: number;
  perSecond: number;
  p50: number;
  p99: number;
}

/** The q-quantile of numbers already sorted ascending (0 for none). */
export const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

/** The median of numbers in any order. */
export const median = (xs: number[]) => quantile([...xs].sort((a, b) => a - b), 0.5);

/** Runs `total` calls of `op(i)` with `concurrency` in flight; latencies in milliseconds. */
export async function load(total: number, concurrency: number, op: (i: number) => Promise<unknown>): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  const started = performance.now();
  const worker = async () => {
    for (let i = next++; i < total; i = next++) {
      const t = performance.now();
      await op(i);
      latencies.push(performance.now() - t);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  latencies.sort((a, b) => a - b);
  return { count: total, seconds, perSecond: total / seconds, p50: quantile(latencies, 0.5), p99: quantile(latencies, 0.99) };
}

export function table(rows: Record<string, string | number>[]): string {
  const first = rows[0];
  if (!first) return '';
  const cols = Object.keys(first);
  const cell = (v: string | number | undefined) => (typeof v === 'number' ? fmt(v) : (v ?? ''));
  const widths = cols.map((c) => Math.max(c.length, ...rows.map((r) => cell(r[c]).length)));
  const line = (vals: string[]) => `| ${vals.map((v, i) => v.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(cols), line(widths.map((w) => '-'.repeat(w))), ...rows.map((r) => line(cols.map((c) => cell(r[c]))))].join('\n');
}

const fmt = (n: number) => (Number.isInteger(n) ? String(n) : n >= 100 ? n.toFixed(0) : n.toFixed(2));

const CLOCK_TICKS = 100; // USER_HZ: the unit of /proc/<pid>/stat's times on Linux

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces and parentheses), or undefined for a process gone. */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** CPU seconds (user + system, every thread) these processes have used so far, from /proc; 0 for one gone. */
export function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    const f = statFields(pid);
    if (f) ticks += Number(f[11]) + Number(f[12]);
  }
  return ticks / CLOCK_TICKS;
}

/**
 * CPU seconds PostgreSQL has used so far: every live `postgres` process, plus what the postmaster's
 * children that ended have used (the postmaster reaps them), so a backend that comes or goes between two
 * readings is counted for the time it ran.
 */
export function postgresCpuSeconds(): number {
  const all = readdirSync('/proc')
    .filter((d) => /^\d+$/.test(d))
    .map(Number)
    .filter((pid) => {
      try {
        return readFileSync(`/proc/${pid}/comm`, 'utf8').trim() === 'postgres';
      } catch {
        return false;
      }
    });
  const pids = new Set(all);
  let ticks = 0;
  for (const pid of all) {
    const f = statFields(pid);
    if (!f) continue;
    ticks += Number(f[11]) + Number(f[12]);
    // The postmaster: a postgres process whose parent is not one; its reaped children's time is in cutime + cstime.
    if (!pids.has(Number(f[1]))) ticks += Number(f[13]) + Number(f[14]);
  }
  return ticks / CLOCK_TICKS;
}
