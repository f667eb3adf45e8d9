import { SEVERITIES, type Severity } from '../incident/types.js';

/** A duration per severity in milliseconds; null: that severity gets no such timer. */
export type SeverityDurations = Readonly<Record<Severity, number | null>>;

/** How long each nudge waits, per severity (the configuration's FIREBREAK_*_TARGETS lists). */
export interface TimerRules {
  /** No commander yet this long after the declaration (FIREBREAK_ACK_TARGETS). */
  ack: SeverityDurations;
  /** No mitigation this long after the declaration, impact confirmed or SEV1/SEV2 (FIREBREAK_CONTAIN_FIRST). */
  containFirst: SeverityDurations;
  /** No communications lead this long (FIREBREAK_COMMS_LEAD_TARGETS). */
  commsLead: SeverityDurations;
}

const UNIT_MS = { s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
/** The longest duration a list may name: a year. */
const MAX_MS = 365 * UNIT_MS.d;

export const DEFAULT_ACK_TARGETS = 'SEV1=5m,SEV2=30m,SEV3=4h,SEV4=24h';
export const DEFAULT_CONTAIN_FIRST = 'SEV1=15m,SEV2=30m,SEV3=4h,SEV4=off';
export const DEFAULT_COMMS_LEAD_TARGETS = 'SEV1=10m,SEV2=30m,SEV3=off,SEV4=off';

/**
 * Parses `SEV1=5m,SEV2=30m,SEV3=4h,SEV4=off` (units s, m, h, d; `off` for none) over `defaults`:
 * severities the list leaves out keep their default. Answers the durations, or why the list is wrong.
 */
export function parseSeverityDurations(
  text: string,
  defaults: SeverityDurations,
): { ok: true; value: SeverityDurations } | { ok: false; error: string } {
  const value: Record<Severity, number | null> = { ...defaults };
  const seen = new Set<string>();
  const wrong: string[] = [];
  for (const raw of text.split(',')) {
    const item = raw.trim();
    if (item === '') continue;
    const m = /^(SEV[1-4])\s*=\s*(?:(off)|([1-9][0-9]{0,5})([smhd]))$/i.exec(item);
    const severity = m?.[1]?.toUpperCase() as Severity | undefined;
    if (!m || !severity) {
      wrong.push(item);
      continue;
    }
    if (seen.has(severity)) return { ok: false, error: `names ${severity} twice` };
    seen.add(severity);
    if (m[2]) {
      value[severity] = null;
      continue;
    }
    const ms = Number(m[3]) * UNIT_MS[m[4]!.toLowerCase() as keyof typeof UNIT_MS];
    if (ms > MAX_MS) return { ok: false, error: `allows at most 365d (not: ${item})` };
    value[severity] = ms;
  }
  if (wrong.length > 0) {
    return {
      ok: false,
      error: `must be a comma-separated list like SEV1=5m,SEV2=30m,SEV3=4h,SEV4=off (units s, m, h, d) (not: ${wrong.join(', ')})`,
    };
  }
  return { ok: true, value };
}

function parsedDefault(text: string): SeverityDurations {
  const empty = Object.fromEntries(SEVERITIES.map((s) => [s, null])) as Record<Severity, null>;
  const r = parseSeverityDurations(text, empty);
  if (!r.ok) throw new Error(`bad default ${text}: ${r.error}`);
  return r.value;
}

export const DEFAULT_TIMER_RULES: TimerRules = {
  ack: parsedDefault(DEFAULT_ACK_TARGETS),
  containFirst: parsedDefault(DEFAULT_CONTAIN_FIRST),
  commsLead: parsedDefault(DEFAULT_COMMS_LEAD_TARGETS),
};

/** `5 min`, `4 h`, `1 h 30 min`, `2 d`, `45 s`: a duration as a message says it. */
export function formatDuration(ms: number): string {
  const parts: string[] = [];
  let rest = Math.round(ms / 1_000);
  for (const [unit, secs] of [
    ['d', 86_400],
    ['h', 3_600],
    ['min', 60],
    ['s', 1],
  ] as const) {
    const n = Math.floor(rest / secs);
    if (n > 0) parts.push(`${n} ${unit}`);
    rest -= n * secs;
  }
  return parts.length ? parts.join(' ') : '0 s';
}
