// Who an escalation step pages, resolved against the catalog at an instant. Apart from escalation.ts,
// which the catalog's validation imports: this reads the catalog's own queries.
import { Issues } from '../catalog/check.js';
import { onCallNow } from '../catalog/queries.js';
import type { Catalog } from '../catalog/types.js';
import { instant } from './escalation.js';
import { oncallAt } from './schedule.js';
import type { EscalationPolicy, EscalationTarget } from './types.js';

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
