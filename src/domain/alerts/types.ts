/** Where a normalised alert came from. */
export const ALERT_SOURCES = ['alertmanager', 'grafana', 'pagerduty', 'opsgenie', 'firebreak'] as const;
/** One of ALERT_SOURCES. */
export type AlertSource = (typeof ALERT_SOURCES)[number];

/** Whether an alert is firing or has resolved. */
export const ALERT_STATUSES = ['firing', 'resolved'] as const;
/** One of ALERT_STATUSES. */
export type AlertStatus = (typeof ALERT_STATUSES)[number];

/** Alert severities, most severe first (the order is used for comparisons). */
export const ALERT_SEVERITIES = ['critical', 'error', 'warning', 'info'] as const;
/** One of ALERT_SEVERITIES. */
export type AlertSeverity = (typeof ALERT_SEVERITIES)[number];

/** What kind of symptom an alert measures. */
export const ALERT_SIGNALS = ['error_rate', 'latency', 'saturation', 'business', 'other'] as const;
/** One of ALERT_SIGNALS. */
export type AlertSignal = (typeof ALERT_SIGNALS)[number];

/** A string map with no prototype: `__proto__` and `constructor` are plain keys in it. */
export type StringMap = Record<string, string>;

/** The normalised alert; every time is ISO-8601 UTC. */
export interface NormalizedAlert {
  source: AlertSource;
  /** Unique across sources: `am:`, `grafana:`, `pd:` prefixes; Firebreak keys are the sender's own. */
  dedupKey: string;
  status: AlertStatus;
  /** The service the sender named (a `service` label); the catalog's matchers decide the routed service. */
  service: string | null;
  summary: string;
  severity: AlertSeverity;
  signal: AlertSignal;
  labels: StringMap;
  annotations: StringMap;
  startsAt: string;
  endsAt: string | null;
  generatorURL: string | null;
  receivedAt: string;
  /** What the parser cut to fit ALERT_LIMITS, as the `firebreak.truncated` annotation says; never stored. */
  truncated?: string[];
  /** The sender gave no usable startsAt and receivedAt stands in, so a repeat keeps the stored one; never stored. */
  startsAtUnset?: boolean;
}

/** A resolve that carries no description of the alert (PagerDuty `resolve`); it never creates an alert. */
export interface AlertResolution {
  source: AlertSource;
  dedupKey: string;
  status: 'resolved';
  endsAt: string;
  receivedAt: string;
}

/** A stored alert: the latest normalised facts plus how many times it has fired. */
export interface StoredAlert extends NormalizedAlert {
  occurrences: number;
}

/** One Alertmanager or Grafana notification group. */
export interface AlertGroup {
  key: string;
  receiver: string | null;
  status: AlertStatus | null;
  truncatedAlerts: number;
  externalURL: string | null;
}

/**
 * An alert of a webhook group that has no identity Firebreak can keep (no usable fingerprint or
 * status): it is answered as rejected, and the rest of its group is kept.
 */
export interface RejectedAlert {
  source: AlertSource;
  /** The key it would have had, or '' when its fingerprint is unusable. */
  dedupKey: string;
  rejected: { path: string; message: string }[];
}

/** What a body amounts to: its alerts in the sender's order (a webhook's rejected ones in their place). */
export interface ParsedBatch<A = NormalizedAlert> {
  alerts: A[];
  group?: AlertGroup;
}

/** What every parser needs from outside: the time the request arrived. */
export interface ParseContext {
  receivedAt: string;
}
