/** How often a rotation hands over: every `every` units. */
export const ROTATION_UNITS = ['hour', 'day', 'week', 'month'] as const;
/** One of ROTATION_UNITS. */
export type RotationUnit = (typeof ROTATION_UNITS)[number];

/** Days of the week as restrictions name them, Monday first (ISO weekday 1–7). */
export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
/** One of WEEKDAYS. */
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * When a layer is on call at all, in the schedule's time zone: on these days, from `from` to `to`
 * (`HH:MM`, 24 h). `to` at or before `from` runs past midnight into the next day.
 */
export interface Restriction {
  days: Weekday[];
  from: string;
  to: string;
}

/**
 * One rotation: `members` take turns, each for `every` `unit`s, the first one's turn starting at
 * `start` (a local date-time `YYYY-MM-DDTHH:MM` in the schedule's time zone, which is also the
 * handoff time). Outside its restrictions the layer has nobody.
 */
export interface ScheduleLayer {
  name: string;
  start: string;
  unit: RotationUnit;
  every: number;
  members: string[];
  /** Empty: on call around the clock. */
  restrictions: Restriction[];
}

/** One person covering a span of the final schedule, whoever it was (UTC instants). */
export interface ScheduleOverride {
  id: string;
  person: string;
  startAt: string;
  endAt: string;
}

/**
 * Layers of rotations in an IANA time zone. Where several layers have someone on call, the layer
 * listed last wins (as stacked layers read top-down in the UI: the last is on top); overrides win
 * over every layer.
 */
export interface Schedule {
  name: string;
  timeZone: string;
  layers: ScheduleLayer[];
  overrides: ScheduleOverride[];
}

/** A span of the final schedule with one person on call; `[startAt, endAt)` in UTC. */
export interface Shift {
  person: string;
  startAt: string;
  endAt: string;
  /** The layer whose turn this is, or the override that put the person there. */
  source: { kind: 'layer'; layer: string } | { kind: 'override'; id: string };
}

/** Who a step pages: a person by name, whoever a schedule has on call, or a team's on-call person. */
export type EscalationTarget = { person: string } | { schedule: string } | { team: string };

/** One step: page every target, then wait `waitMinutes` for an acknowledgement before the next step. */
export interface EscalationStep {
  targets: EscalationTarget[];
  waitMinutes: number;
  /** An http(s) URL called when the step runs; left out when not given. */
  webhook?: string;
}

/** Steps run in order until someone acknowledges; after the last, the whole list runs `repeat` more times. */
export interface EscalationPolicy {
  name: string;
  steps: EscalationStep[];
  repeat: number;
}
