import { array, at, type Check, int, isObj, isoTime, Issues, object, opt, own, str, url } from '../catalog/check.js';
import { qualifiedName } from '../catalog/names.js';
import { LIMITS } from '../limits.js';
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

/** An ISO-8601 instant as milliseconds, or the validation error a caller's input deserves. */
export function instant(v: string, path: string, message: string): number {
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
