import { ALERT_LIMITS, clip, oneLine } from './check.js';
import { ALERT_SIGNALS, type AlertSeverity, type AlertSignal, type StringMap } from './types.js';

const words = (s: AlertSeverity, list: string[]) => list.map((w) => [w, s] as const);

// Words senders put in a severity field, after lower-casing and dropping everything but letters and
// digits ("SEV-2" → "sev2"). A Map, so an untrusted word such as "constructor" finds nothing.
const SEVERITY_WORDS = new Map<string, AlertSeverity>([
  ...words('critical', ['critical', 'crit', 'fatal', 'emergency', 'page', 'p0', 'p1', 'sev0', 'sev1']),
  ...words('error', ['error', 'err', 'high', 'major', 'p2', 'sev2']),
  ...words('warning', ['warning', 'warn', 'medium', 'moderate', 'minor', 'p3', 'sev3']),
  ...words('info', ['info', 'informational', 'notice', 'low', 'none', 'p4', 'p5', 'sev4', 'sev5']),
]);

/**
 * A sender's severity word as one of ours. Missing or unknown words count as `error`, PagerDuty's and
 * Alertmanager's own default: never silently downgraded to a warning nobody reads, never upgraded to
 * a `critical` that would auto-declare an incident on a word we do not understand.
 */
export function severityOf(word: string | undefined): AlertSeverity {
  const key = (word ?? '').toLowerCase().replace(/[^a-z0-9]/g, '');
  return SEVERITY_WORDS.get(key) ?? 'error';
}

// Tried in order: "HighErrorLatency" is latency, a symptom users feel before an error count.
const SIGNAL_HINTS: readonly [AlertSignal, RegExp][] = [
  ['latency', /latency|p9\d|slow|duration|response.?time/i],
  ['error_rate', /error|5xx|fail/i],
  ['saturation', /cpu|memory|disk|saturat|queue|oom|throttl/i],
];

/**
 * The signal an alert measures: a `signal` label or annotation naming one of ALERT_SIGNALS, else a
 * guess from the alert name (`labels.alertname`, else `fallbackName`); `business` only when declared.
 */
export function signalOf(labels: StringMap, annotations: StringMap, fallbackName = ''): AlertSignal {
  const declared = (labels.signal ?? annotations.signal ?? '').trim().toLowerCase().replace(/-/g, '_');
  const known = ALERT_SIGNALS.find((s) => s === declared);
  if (known) return known;
  const name = labels.alertname ?? fallbackName;
  return SIGNAL_HINTS.find(([, re]) => re.test(name))?.[0] ?? 'other';
}

/** The first non-blank of `summary`, `description`, `alertname`, `fallback`, on one line and clipped. */
export function summaryOf(annotations: StringMap, labels: StringMap, fallback: string): string {
  for (const candidate of [annotations.summary, annotations.description, labels.alertname]) {
    const line = candidate ? oneLine(candidate) : '';
    if (line !== '') return clip(line, ALERT_LIMITS.summary);
  }
  return clip(oneLine(fallback) || fallback, ALERT_LIMITS.summary);
}

/** The `service` label, trimmed, or null. */
export const serviceOf = (labels: StringMap): string | null => labels.service?.trim() || null;
