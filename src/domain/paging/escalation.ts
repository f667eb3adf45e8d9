import { array, at, type Check, int, isObj, isoTime, Issues, object, opt, own, str, url } from '../catalog/check.js';
import { onCallNow } from '../catalog/queries.js';
import { qualifiedName } from '../catalog/names.js';
import type { Catalog } from '../catalog/types.js';
import { LIMITS } from '../limits.js';
import { oncallAt } from './schedule.js';
import type { EscalationPolicy, EscalationStep, EscalationTarget } from './types.js';

export type { EscalationPolicy, EscalationStep, EscalationTarget } from './types.js';

/** Size limits of one escalation policy. */
export const ESCALATION_LIMITS = {
  steps: { min: 1, max: 10 },
  targets: { min: 1, max: 10 },
  waitMinutes: { min: 1, max: 1440 },
  repeat: { min: 0, max: 5 },
} as const;

const TARGET_KINDS = ['person', 'schedule', 'team'] as const;

const entityName = qualifiedName();
const TARGET_CHECKS: Record<(typeof TARGET_KINDS)[number], Check<string>> = {
  person: str(LIMITS.person),
  schedule: entityName,
  team: entityName,
};

const target: Check<EscalationTarget> = (v, path, is) => {
  if (!isObj(v)) return is.add(path, 'expected an object');
  for (const key of Object.keys(v)) {
    if (!(TARGET_KINDS as readonly string[]).includes(key)) is.add(at(path, key), 'is not allowed');
  }
  const given = TARGET_KINDS.filter((k) => own(v, k) !== undefined && own(v, k) !== null);
  const kind = given[0];
  if (given.length !== 1 || kind === undefined) return is.add(path, 'give exactly one of person, schedule or team');
  const value = TARGET_CHECKS[kind](own(v, kind), at(path, kind), is);
  return value === undefined ? undefined : ({ [kind]: value } as EscalationTarget);
};

const stepFields = object({
  targets: array(target, ESCALATION_LIMITS.targets.max, { min: ESCALATION_LIMITS.targets.min }),
  waitMinutes: int(ESCALATION_LIMITS.waitMinutes.min, ESCALATION_LIMITS.waitMinutes.max),
  webhook: opt(url()),
});
const step: Check<EscalationStep> = (v, path, is) => {
  const s = stepFields(v, path, is);
  if (s === undefined) return undefined;
  return { targets: s.targets, waitMinutes: s.waitMinutes, ...(s.webhook !== null && { webhook: s.webhook }) };
};

/** A policy without its name: the `spec` of a catalog EscalationPolicy. `repeat` is 0 when not given. */
export const escalationSpec: Check<Omit<EscalationPolicy, 'name'>> = object({
  steps: array(step, ESCALATION_LIMITS.steps.max, { min: ESCALATION_LIMITS.steps.min }),
  repeat: opt(int(ESCALATION_LIMITS.repeat.min, ESCALATION_LIMITS.repeat.max), 0),
});

const MINUTE = 60_000;

function instant(v: string, path: string, message: string): number {
  const is = new Issues();
  const t = isoTime()(v, path, is);
  is.throwIfAny(message);
  return Date.parse(t ?? '');
}

/**
 * When each step runs if nobody acknowledges: step 0 at `startedAt`, each next one `waitMinutes` of the
 * previous later, the list again from step 0 for each repeat; `endsAt` is when the last step's wait is over.
 */
export function escalationTimeline(
  policy: EscalationPolicy,
  startedAt: string,
): { runs: { step: number; round: number; at: string }[]; endsAt: string } {
  let t = instant(startedAt, 'startedAt', 'The escalation start is not valid.');
  const runs: { step: number; round: number; at: string }[] = [];
  for (let round = 0; round <= policy.repeat; round++) {
    policy.steps.forEach((s, i) => {
      runs.push({ step: i, round, at: new Date(t).toISOString() });
      t += s.waitMinutes * MINUTE;
    });
  }
  return { runs, endsAt: new Date(t).toISOString() };
}

/**
 * Who step `stepIndex` pages at `at`: each person once, in target order. A schedule pages whoever it has
 * on call and a team its rotation's person now (as the catalog answers onCallNow); targets that page nobody are listed with why.
 */
export function pageTargetsAt(
  policy: EscalationPolicy,
  stepIndex: number,
  catalog: Pick<Catalog, 'schedules' | 'teams'>,
  at: string,
): { people: string[]; unresolved: { target: EscalationTarget; why: string }[] } {
  const s = policy.steps[stepIndex];
  if (s === undefined) {
    const is = new Issues();
    is.add('stepIndex', `expected a step from 0 to ${policy.steps.length - 1}`);
    is.throwIfAny('The escalation step is not valid.');
  }
  instant(at, 'at', 'The instant is not valid.');
  const people = new Set<string>();
  const unresolved: { target: EscalationTarget; why: string }[] = [];
  for (const t of s?.targets ?? []) {
    const who = resolveTarget(t, catalog, at);
    if ('person' in who) people.add(who.person);
    else unresolved.push({ target: t, why: who.why });
  }
  return { people: [...people], unresolved };
}

function resolveTarget(
  t: EscalationTarget,
  catalog: Pick<Catalog, 'schedules' | 'teams'>,
  at: string,
): { person: string } | { why: string } {
  if ('person' in t) return { person: t.person };
  if ('schedule' in t) {
    const schedule = catalog.schedules.find((x) => x.name === t.schedule);
    if (!schedule) return { why: 'no such schedule in the catalog' };
    const person = oncallAt(schedule, at)?.person;
    return person === undefined ? { why: 'nobody is on call' } : { person };
  }
  const team = catalog.teams.find((x) => x.name === t.team);
  if (!team) return { why: 'no such team in the catalog' };
  const person = onCallNow(team, at);
  return person === null ? { why: 'nobody is on call' } : { person };
}
