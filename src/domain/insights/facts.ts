import type { IncidentEventType } from '../incident/events.js';
import type { ActionItem, Incident } from '../incident/state.js';
import type { PostmortemState, Status } from '../incident/types.js';
import { incidentWarnings } from '../incident/view.js';

const DAY = 86_400_000;

/** An instant in milliseconds, or null when the time is missing or unreadable. */
const ms = (iso: string | null | undefined): number | null => {
  if (!iso) return null;
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : null;
};

/**
 * Milliseconds from one milestone to another; null when either is missing or the end comes first (an
 * impact start moved after the milestone), so such an incident is no sample at all.
 */
export function msBetween(start: string | null, end: string | null): number | null {
  const a = ms(start);
  const b = ms(end);
  return a === null || b === null || b < a ? null : b - a;
}

/** The ISO-8601 week of a time, `2026-W47` (weeks start on Monday; week 1 holds the year's first Thursday). */
export function isoWeek(iso: string): string {
  const d = new Date(iso);
  const day = (d.getUTCDay() + 6) % 7;
  const thursday = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - day + 3);
  const year = new Date(thursday).getUTCFullYear();
  const week = Math.floor((thursday - Date.UTC(year, 0, 1)) / (7 * DAY)) + 1;
  return `${year}-W${String(week).padStart(2, '0')}`;
}

/** The people who count as responding to an incident: commander, responders and comms lead, each once. */
export function respondersOf(s: Incident): { person: string; commander: boolean }[] {
  const { commander, responders, comms } = s.roles;
  const people = new Set([commander, ...responders, comms].filter((p): p is string => p !== null));
  return [...people].map((person) => ({ person, commander: person === commander }));
}

/** A gate override as insights list it. */
export interface OverrideFact {
  to: Status;
  reason: string;
  by: string;
  at: string;
}

/**
 * What insights and the cross-incident lists read about one incident, as plain numbers and text: the
 * read model a store keeps beside the projection and rewrites with every append.
 */
export interface IncidentFacts {
  /** `declaredAt` as an instant (ms); the projection's `declared_at` stays the text. */
  declaredMs: number;
  /** The ISO week it was declared in. */
  week: string;
  auto: boolean;
  /** detected − started, acknowledged − declared, mitigated − started, resolved − started; ms. */
  ttdMs: number | null;
  ttaMs: number | null;
  ttmMs: number | null;
  ttrMs: number | null;
  /** At least one suspect deploy of a service the incident names. */
  changeFailure: boolean;
  postmortemState: PostmortemState | null;
  postmortemAuthor: string | null;
  postmortemReviewers: string[];
  resolvedAt: string | null;
  postmortemDueAt: string | null;
  postmortemDueMs: number | null;
  publishedAt: string | null;
  closedAt: string | null;
  /**
   * When the postmortem was complete: published, or (for incidents from before publishing existed, and
   * those closed by a gate override) when the incident closed, whichever came first; null while neither.
   */
  postmortemDoneMs: number | null;
  /** Closed without its postmortem ever being published. */
  postmortemSkipped: boolean;
  overrides: OverrideFact[];
  /** The incident view's commander-is-sole-responder warning, a closed incident read as resolved; null without one. */
  soleResponderWarning: string | null;
  people: { person: string; commander: boolean }[];
  actions: ActionItem[];
}

/** The read model of one incident state. Pure; shared by both engines. */
export function incidentFacts(s: Incident): IncidentFacts {
  const m = s.milestones;
  const declaredAt = m.declaredAt ?? s.lastEventAt ?? new Date(0).toISOString();
  const pm = s.postmortem;
  const publishedAt = pm?.publishedAt ?? null;
  const done = [ms(publishedAt), ms(m.closedAt)].filter((t): t is number => t !== null);
  // The view's rule, applied to finished incidents too: the view leaves those out because it nudges a
  // live response, while insights look back.
  const live = s.status === 'closed' ? { ...s, status: 'resolved' as const } : s;
  const sole = incidentWarnings(live).find((w) => w.code === 'commander_is_sole_responder');
  return {
    declaredMs: ms(declaredAt) ?? 0,
    week: isoWeek(declaredAt),
    auto: s.auto,
    ttdMs: msBetween(m.startedAt, m.detectedAt),
    ttaMs: msBetween(m.declaredAt, m.acknowledgedAt),
    ttmMs: msBetween(m.startedAt, m.mitigatedAt),
    ttrMs: msBetween(m.startedAt, m.resolvedAt),
    changeFailure: s.suspects.some((d) => d.relation === 'affected'),
    postmortemState: pm?.state ?? null,
    postmortemAuthor: pm?.author ?? null,
    postmortemReviewers: pm?.reviewers ?? [],
    resolvedAt: m.resolvedAt,
    postmortemDueAt: s.postmortemDueAt,
    postmortemDueMs: ms(s.postmortemDueAt),
    publishedAt,
    closedAt: m.closedAt,
    postmortemDoneMs: done.length > 0 ? Math.min(...done) : null,
    postmortemSkipped: s.status === 'closed' && publishedAt === null,
    overrides: s.overrides.map((o) => ({ to: o.to, reason: o.reason, by: o.by, at: o.at })),
    soleResponderWarning: sole ? `${s.id}: ${sole.message}` : null,
    people: respondersOf(s),
    actions: s.actions,
  };
}

/**
 * Which parts of the read model an event can change: the incident's facts row, its people rows, its
 * action item rows. An append rewrites only those, so an alert batch or a note costs nothing here. Every
 * event type must answer (the compiler checks), so a new one cannot be forgotten; when unsure, say yes.
 */
const TOUCHES: Record<IncidentEventType, { row?: true; people?: true; actions?: true }> = {
  IncidentDeclared: { row: true, people: true, actions: true },
  ImpactStated: { row: true },
  SeverityChanged: { row: true },
  RoleAssigned: { row: true, people: true },
  RoleUnassigned: { row: true, people: true },
  CommanderSuggested: {},
  CommsPlanSet: {},
  UpdatePosted: {},
  NoteAdded: {},
  EvidenceAdded: {},
  MitigationDecided: {},
  LeverExecuted: {},
  LeverConfirmed: {},
  QuestionAsked: {},
  QuestionAnswered: {},
  GuardrailAdded: {},
  GateOverridden: { row: true },
  StatusChanged: { row: true },
  PostmortemWritten: { row: true },
  PostmortemDrafted: { row: true },
  PostmortemAssigned: { row: true },
  PostmortemStateChanged: { row: true },
  BlameWarningWaived: {},
  ActionItemAdded: { actions: true },
  ActionItemEdited: { actions: true },
  ActionItemStatusChanged: { actions: true },
  AlertLinked: {},
  AlertStatusChanged: {},
  AlertsRecorded: {},
  AlertsCleared: {},
  ReleaseBoundaryChanged: { row: true },
  TimerFired: {},
};

/** Which parts of the read model these events can change. */
export function factsTouched(types: readonly IncidentEventType[]): { row: boolean; people: boolean; actions: boolean } {
  const r = { row: false, people: false, actions: false };
  for (const t of types) {
    const touch = TOUCHES[t];
    r.row ||= touch.row === true;
    r.people ||= touch.people === true;
    r.actions ||= touch.actions === true;
  }
  return r;
}
