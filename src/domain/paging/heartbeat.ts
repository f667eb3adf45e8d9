/** The severities a heartbeat's miss may be raised with. */
export const HEARTBEAT_SEVERITIES = ['critical', 'error', 'warning'] as const;
export type HeartbeatSeverity = (typeof HEARTBEAT_SEVERITIES)[number];

/** A heartbeat's state: waiting for its first ping, up, or missed (its alert raised). */
export type HeartbeatState = 'waiting' | 'up' | 'missed';

/** A heartbeat as answered (service/heartbeats.ts) and as the client reads it: never its token or hash. */
export interface HeartbeatView {
  name: string;
  service: string;
  severity: HeartbeatSeverity;
  /** `5m`, `1h30m`, `1d`. */
  interval: string;
  grace: string;
  state: HeartbeatState;
  createdAt: string;
  createdBy: string;
  lastPingAt: string | null;
  dueAt: string;
  missedAt: string | null;
}

/** What creating a heartbeat takes; the grace defaults to `1m`, the severity to critical. */
export interface HeartbeatInput {
  name: string;
  service: string;
  interval: string;
  grace?: string;
  severity?: HeartbeatSeverity;
}
