import assert from 'node:assert/strict';
import type { AlertLink, DeclareIncident, IncidentCommand } from './commands.js';
import { decide } from './decide.js';
import type { IncidentEvent } from './events.js';
import { apply, type Incident, initialIncident } from './state.js';
import type { Role, Severity, Status } from './types.js';
import { type ErrorCode, FirebreakError } from '../errors.js';

type Loose<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> & { [P in K & keyof T]?: T[P] } : never;
export type Cmd = Loose<IncidentCommand, 'actor'>;
/** A command or event with `actor` (and `at`) optional: they default to `ana` and the step's clock. */
export type Ev = Loose<IncidentEvent, 'at' | 'actor'>;
type Data<T extends IncidentEvent['type']> = Extract<IncidentEvent, { type: T }>['data'];

export const NUMBER = 7;
export const ACTOR = 'ana';
export const T0 = '2026-11-27T10:00:00.000Z';
/** The clock of given step `n` (0 = the first), one minute apart; `when` runs at `at(steps.length)`. */
export const at = (n: number) => new Date(Date.parse(T0) + n * 60_000).toISOString();

/** A declare command that meets the declare gate; `extra` replaces any field. */
export const declare = (extra: Partial<Omit<DeclareIncident, 'type'>> = {}): Cmd => ({
  type: 'DeclareIncident', number: NUMBER, title: 'Checkout fails',
  impact: 'Shoppers cannot pay for their orders', ...extra,
});

const mk = <T extends IncidentEvent['type']>(type: T, defaults: Data<T>) => (d: Partial<Data<T>> = {}): Ev =>
  ({ type, data: { ...defaults, ...d } }) as Ev;

/** An alert as ingestion hands it to the incident. */
export const link = (alertId: string, status: AlertLink['status'] = 'firing'): AlertLink => ({
  alertId, dedupKey: `dk-${alertId}`, summary: `5xx on ${alertId}`, status, source: 'am',
});
/** RecordAlerts for these alerts, `known` being the statuses the incident recorded for those it linked already. */
export const recordAlerts = (alerts: AlertLink[], known: Record<string, AlertLink['status']> = {}): Cmd =>
  ({ type: 'RecordAlerts', alerts, known: new Map(Object.entries(known)) });

/** Event builders with plausible defaults; the argument replaces any data field. */
export const ev = {
  declared: mk('IncidentDeclared', {
    number: NUMBER, title: 'Checkout fails', services: ['checkout'], startedAt: T0, detectedAt: T0, auto: false,
  }),
  impact: mk('ImpactStated', { statement: 'Shoppers cannot pay', confirmed: true }),
  severity: (to: Severity, from: Severity | null = null, reason = 'a third of checkouts fail'): Ev =>
    ({ type: 'SeverityChanged', data: { from, to, reason } }),
  role: (role: Role, person: string): Ev => ({ type: 'RoleAssigned', data: { role, person } }),
  comms: mk('CommsPlanSet', { channel: '#inc-7', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'any' }),
  evidence: mk('EvidenceAdded', { id: 'E1', kind: 'metric', title: 'checkout 5xx rate' }),
  mitigation: mk('MitigationDecided', {
    id: 'M1', kind: 'rollback', action: 'Roll back', rationale: 'v42 came first', failClosed: true, execute: false,
  }),
  question: (id = 'Q1', question = 'Was the cache hit?'): Ev => ({ type: 'QuestionAsked', data: { id, question } }),
  answer: (id = 'Q1', answer = 'No'): Ev => ({ type: 'QuestionAnswered', data: { id, answer } }),
  guardrail: mk('GuardrailAdded', {
    id: 'G1', what: 'pricing_v2 stays off', why: 'v2 broke checkout', removalCondition: 'the fix ships', owner: 'li',
  }),
  status: (from: Status, to: Status, d: Partial<Data<'StatusChanged'>> = {}): Ev =>
    ({ type: 'StatusChanged', data: { from, to, ...d } }),
  postmortem: mk('PostmortemWritten', {
    summary: 'v42 broke checkout', impact: '30% failed', whys: ['no default currency'], rootCause: 'lax schema',
    contributingFactors: [], wentWell: ['fast rollback'], wentPoorly: ['late alert'], lessons: [],
  }),
  /** The postmortem published (apply folds it whatever came before; decide's rules are tested in postmortem.test.ts). */
  published: mk('PostmortemStateChanged', { from: 'in_review', to: 'published' }),
  action: mk('ActionItemAdded', { id: 'INC-7-A1', title: 'Check the schema', owner: 'li', dueAt: T0, priority: 'P1' }),
  /** The one-alert link recorded before batches: old logs hold it, apply still folds it. */
  alert: (alertId: string, status: 'firing' | 'resolved' = 'firing'): Ev =>
    ({ type: 'AlertLinked', data: { alertId, dedupKey: `dk-${alertId}`, summary: '5xx', status, source: 'am' } }),
  recorded: (linked: AlertLink[], changed: AlertLink[] = []): Ev => ({ type: 'AlertsRecorded', data: { linked, changed } }),
  note: mk('NoteAdded', { body: 'looking at the deploy' }),
};

/** A declared incident with a confirmed impact statement. */
export const declared = (): Ev[] => [ev.declared(), ev.impact()];
/** Declared, and every criterion of the resolved gate met (commander ana, comms li). */
export const readyToResolve = (): Ev[] => [
  ...declared(), ev.severity('SEV2'), ev.mitigation(), ev.role('commander', 'ana'), ev.role('comms', 'li'),
  ev.comms(), ev.evidence(), ev.guardrail(),
];
/** Resolved, and every criterion of the closed gate met. */
export const readyToClose = (): Ev[] =>
  [...readyToResolve(), ev.status('investigating', 'resolved'), ev.postmortem(), ev.action(), ev.published()];

const isEvent = (x: Cmd | Ev): x is Ev => 'data' in x;
const toCommand = (c: Cmd) => ({ actor: ACTOR, ...c }) as IncidentCommand;
const toEvent = (e: Ev, now: string, actor = ACTOR) => ({ at: now, actor, ...e }) as IncidentEvent;

/** What a refusal must carry: the exact unmet criterion codes and/or validation error paths, in order. */
export type Refusal = { unmet?: string[]; errors?: string[] };

/** An incident built from events (commands also work: run through decide), then one command under test. */
export function given(...steps: (Cmd | Ev)[]) {
  let state: Incident = initialIncident(NUMBER);
  const log: IncidentEvent[] = [];
  steps.forEach((step, n) => {
    for (const e of isEvent(step) ? [toEvent(step, at(n))] : decide(toCommand(step), state, at(n))) {
      state = apply(state, e);
      log.push(e);
    }
  });
  const now = at(steps.length);
  return {
    state: () => state,
    events: () => [...log],
    now,
    when(command: Cmd) {
      const cmd = toCommand(command);
      const run = () => decide(cmd, state, now);
      return {
        /** Deep-equals the emitted events (`at`/`actor` default to the command's); returns the new state. */
        then(expected: Ev[]): Incident {
          const emitted = run();
          assert.deepEqual(emitted, expected.map((e) => toEvent(e, now, cmd.actor)));
          return emitted.reduce(apply, state);
        },
        /** Like `then`, for the status events alone (StatusChanged, GateOverridden): a resolve also drafts a postmortem. */
        thenMoves(expected: Ev[]): Incident {
          const emitted = run();
          const moves = emitted.filter((e) => e.type === 'StatusChanged' || e.type === 'GateOverridden');
          assert.deepEqual(moves, expected.map((e) => toEvent(e, now, cmd.actor)));
          return emitted.reduce(apply, state);
        },
        thenNothing: (): Incident => (assert.deepEqual(run(), []), state),
        thenThrows(code: ErrorCode, refusal: Refusal = {}): FirebreakError {
          const caught = ((): unknown => { try { run(); } catch (err) { return err; } })();
          assert.ok(caught instanceof FirebreakError, `expected a FirebreakError ${code}, got ${String(caught)}`);
          assert.equal(caught.code, code, caught.message);
          if (refusal.unmet) assert.deepEqual(caught.details?.unmet?.map((u) => u.code), refusal.unmet);
          if (refusal.errors) assert.deepEqual(caught.details?.errors?.map((e) => e.path), refusal.errors);
          return caught;
        },
        state: (): Incident => run().reduce(apply, state),
        events: run,
      };
    },
  };
}
