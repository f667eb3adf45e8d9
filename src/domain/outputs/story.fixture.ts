import type { IncidentCommand } from '../incident/commands.js';
import { decide } from '../incident/decide.js';
import type { StoredEvent } from '../incident/events.js';
import { apply, type Incident, initialIncident } from '../incident/state.js';

type Without<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
/** A command without its actor; the story fills in `ana` unless one is given. */
export type Step = Without<IncidentCommand, 'actor'> & { actor?: string };

/** Test helper: runs commands through decide + apply, one minute apart, keeping the stored log. */
export function story(number = 7, start = '2026-11-27T10:00:00.000Z') {
  let state: Incident = initialIncident(number);
  let clock = Date.parse(start);
  const events: StoredEvent[] = [];
  const self = {
    get state() {
      return state;
    },
    events,
    run(...steps: Step[]) {
      for (const step of steps) {
        const now = new Date(clock).toISOString();
        clock += 60_000;
        const cmd = { actor: 'ana', ...step } as IncidentCommand;
        for (const e of decide(cmd, state, now)) {
          state = apply(state, e);
          events.push({ ...e, incident: number, seq: events.length + 1 });
        }
      }
      return self;
    },
  };
  return self;
}

/** A complete postmortem for the checkout story. */
export const WRITE_POSTMORTEM = {
  type: 'WritePostmortem',
  summary: 'A config default in v42 broke checkout for 30% of users.',
  impact: '30% of checkouts failed for 40 minutes.',
  whys: ['Checkout returned 500s', 'pricing_v2 defaulted on', 'The config diff was not reviewed'],
  rootCause: 'Config defaults ship without a review step',
  wentWell: ['Rollback took 3 minutes'],
  wentPoorly: ['Detection took 10 minutes'],
  lessons: ['Review config defaults like code'],
} satisfies Step;

/** The action item that completes the checkout story's postmortem. */
export const ADD_ACTION_ITEM = {
  type: 'AddActionItem',
  title: 'Add config review to the deploy pipeline',
  owner: 'li',
  dueAt: '2026-12-04T00:00:00Z',
  priority: 'P1',
} satisfies Step;

/** Review and publish the story's postmortem: ana wrote it, sam reviews and publishes. */
export const PUBLISH_POSTMORTEM = [
  { type: 'AssignPostmortem', reviewers: ['sam'] },
  { type: 'ChangePostmortemState', to: 'in_review' },
  { type: 'ChangePostmortemState', to: 'published', actor: 'sam' },
] satisfies Step[];

/** The seven steps as command batches, in order, for one checkout incident. */
export const SEVEN_STEPS = {
  declare: [
    {
      type: 'DeclareIncident',
      number: 7,
      title: 'Checkout errors',
      services: ['checkout'],
      impact: 'Checkout fails for 30% of users',
      startedAt: '2026-11-27T09:55:00.000Z',
    },
  ],
  confirm: [
    {
      type: 'StateImpact',
      statement: 'Checkout fails for 30% of users',
      confirmed: true,
      boundary: { unsupportedFlow: false, coexistenceSeam: true, rolloutBoundary: false },
    },
  ],
  triage: [{ type: 'ChangeSeverity', severity: 'SEV2', reason: 'checkout errors for 30% of users' }],
  assemble: [
    { type: 'AssignRole', role: 'commander', person: 'ana' },
    { type: 'AssignRole', role: 'responder', person: 'li' },
    { type: 'AssignRole', role: 'comms', person: 'sam' },
    {
      type: 'SetCommsPlan',
      channel: '#inc-7',
      decisionOwner: 'ana',
      cadenceMinutes: 30,
      externalTrigger: 'impact over 15 min',
    },
  ],
  mitigate: [
    {
      type: 'DecideMitigation',
      kind: 'rollback',
      lever: 'rollback',
      action: 'Roll back checkout to v41',
      rationale: 'v42 shipped 5 min before impact',
      failClosed: true,
    },
    { type: 'ChangeStatus', to: 'mitigated' },
  ],
  investigate: [
    { type: 'AddEvidence', kind: 'metric', title: 'p99 latency dashboard', url: 'https://grafana.example/d/checkout' },
    { type: 'AskQuestion', question: 'Did v42 change the pricing config?' },
    { type: 'AnswerQuestion', questionId: 'Q1', answer: 'Yes, pricing_v2 default flipped' },
  ],
  verify: [
    {
      type: 'AddGuardrail',
      what: 'pricing_v2 off',
      why: 'unsafe default',
      removalCondition: 'fix shipped in v43',
      owner: 'li',
    },
    { type: 'ChangeStatus', to: 'resolved' },
  ],
  postmortem: [WRITE_POSTMORTEM, ADD_ACTION_ITEM, ...PUBLISH_POSTMORTEM],
} satisfies Record<string, Step[]>;

/** An incident taken through every step up to and including `last`. */
export function storyUpTo(last: keyof typeof SEVEN_STEPS) {
  const s = story();
  for (const [key, steps] of Object.entries(SEVEN_STEPS)) {
    s.run(...steps);
    if (key === last) break;
  }
  return s;
}
