import { InvalidArgumentError } from 'commander';

const UNIT_MS: Record<string, number> = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const RELATIVE = /^([+-])((?:\d+[smhd])+)$/;
const ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2})$/i;

export const TIME_HELP = 'ISO-8601 (2026-03-01T09:40:00Z), now, or relative: -15m, +7d (s, m, h, d)';

/**
 * A time flag's value as the ISO-8601 instant the server takes: an absolute time passes through as
 * typed; `now`, `-15m`, `+7d`, `-1h30m` are resolved against `now`.
 */
export function resolveTime(value: string, now: Date): string {
  const v = value.trim();
  if (v.toLowerCase() === 'now') return now.toISOString();
  const rel = RELATIVE.exec(v.toLowerCase());
  if (rel) {
    let ms = 0;
    for (const [, n, unit] of rel[2]!.matchAll(/(\d+)([smhd])/g)) ms += Number(n) * UNIT_MS[unit!]!;
    const at = new Date(now.getTime() + (rel[1] === '-' ? -ms : ms));
    if (Number.isFinite(at.getTime())) return at.toISOString();
  } else if (ISO.test(v) && Number.isFinite(Date.parse(v))) {
    return v;
  }
  throw new InvalidArgumentError('expected an ISO-8601 date-time with a time zone, now, or a relative time such as -15m or +7d.');
}

/** The commander parser every time flag uses, resolving against the CLI's clock. */
export const timeParser = (clock: () => Date) => (value: string) => resolveTime(value, clock());
