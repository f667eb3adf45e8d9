import { canonicalService } from '../domain/catalog/names.js';
import type { IncidentCommand } from '../domain/incident/commands.js';
import { FirebreakError, isFirebreakError, validationError, type FieldError } from '../domain/errors.js';
import { formatActionId } from '../domain/incident/types.js';
import { backfillTimers } from '../domain/timers/plan.js';
import { DEFAULT_TIMER_RULES } from '../domain/timers/rules.js';
import { suggestCommanderOn } from './commander-suggestion.js';
import type { ServiceDeps } from './deps.js';
import { fingerprintOf, keyRecord, replayOrNull, type CommandInput, type CommandResult, type DeclareInput } from './execute-command.js';
import { checkPublicComponents } from './status-page.js';
import { decideOn, newDraft } from './incident-log.js';
import type { StoreTx } from './ports.js';
import { settleBoundary } from './release-boundary.js';

/**
 * One step of an imported incident's history: who did what, when. An action item is named by its local
 * id (`A2`): the incident's number is not known before the import.
 */
export interface ImportStep {
  at: string;
  actor: string;
  input: CommandInput;
}

export interface ImportInput {
  declare: { at: string; actor: string; input: DeclareInput };
  steps: ImportStep[];
}

/** Steps an import may hold: a long incident's history, bounded so one transaction stays short. */
export const IMPORT_MAX_STEPS = 2_000;

/**
 * Every `at` must be a real time, not after now, and the history in order: each step at or after the one
 * before it (the declaration first). Answers the errors, one per step out of line.
 */
function checkTimes(input: ImportInput, now: string): FieldError[] {
  const errors: FieldError[] = [];
  const nowMs = Date.parse(now);
  let last = -Infinity;
  const check = (path: string, at: string) => {
    const t = Date.parse(at);
    if (t > nowMs) errors.push({ path, message: 'must not be in the future' });
    else if (t < last) errors.push({ path, message: 'must not be before the step ahead of it' });
    // A step out of line is reported alone: the ones after it are held to the last step in line.
    else last = t;
  };
  check('body.declare.at', input.declare.at);
  input.steps.forEach((s, i) => check(`body.steps[${i}].at`, s.at));
  return errors;
}

/**
 * Records an incident that happened before Firebreak saw it (history from another tool, or a demo): the
 * declaration and every step decided at its own time, through the same gates as live commands, in one
 * transaction. Nothing is notified (it is history); only timers still ahead are scheduled, as for an
 * incident recorded before timers existed. A step refused by the domain refuses the whole import, its
 * error naming the step.
 */
export async function importIncident(deps: ServiceDeps, input: ImportInput, opts: { idempotencyKey?: string; scope?: string } = {}): Promise<CommandResult> {
  const now = deps.clock.now();
  const timeErrors = checkTimes(input, now);
  if (timeErrors.length > 0) throw validationError(timeErrors);
  const fingerprint = fingerprintOf({ import: input });
  return deps.store.transaction(async (tx) => {
    const replay = await replayOrNull(tx, opts, fingerprint);
    if (replay) return replay;
    const number = await tx.nextIncidentNumber();
    const draft = newDraft(number);
    const d = input.declare;
    const services = d.input.services && { services: [...new Set(d.input.services.map(canonicalService))] };
    decideOn(draft, { ...d.input, ...services, type: 'DeclareIncident', number, actor: d.actor }, d.at);
    await suggestCommanderOn(tx, draft, d.at);
    await settleBoundary(tx, draft, d.at);
    for (const [i, step] of input.steps.entries()) {
      const cmd = { ...withActionId(step.input, number), actor: step.actor } as IncidentCommand;
      try {
        decideOn(draft, await checkPublicComponents(tx, cmd), step.at);
      } catch (err) {
        throw stepError(err, i);
      }
      await settleBoundary(tx, draft, step.at);
    }
    await appendHistory(tx, draft, now);
    const { state } = draft;
    if (opts.idempotencyKey) await tx.saveIdempotency(keyRecord(opts, fingerprint, number, state.version, now));
    return { incident: state, version: state.version, replayed: false };
  });
}

/** An action item named by its local id (`A2`) as the incident's own (`INC-7-A2`). */
function withActionId(input: CommandInput, number: number): CommandInput {
  if (input.type !== 'EditActionItem' && input.type !== 'ChangeActionItemStatus') return input;
  const local = /^A([1-9][0-9]{0,5})$/i.exec(input.actionId);
  return local ? { ...input, actionId: formatActionId(number, Number(local[1])) } : input;
}

/** A domain refusal of step i, said of the step, its paths moved under it (`body.to` → `body.steps[3].body.to`). */
function stepError(err: unknown, i: number): unknown {
  if (!isFirebreakError(err)) return err;
  const errors = err.details?.errors?.map((x) => ({ ...x, path: x.path.replace(/^body/, `body.steps[${i}].body`) }));
  return new FirebreakError(err.code, `Step ${i}: ${err.message}`, { ...err.details, ...(errors && { errors }) });
}

/** Appends an imported history: no notifications, and only the timers its final state still wants ahead of now. */
async function appendHistory(tx: StoreTx, draft: ReturnType<typeof newDraft>, now: string): Promise<void> {
  await tx.append(draft.number, draft.events, 0, draft.state);
  const jobs = backfillTimers(draft.state, tx.timerRules ?? DEFAULT_TIMER_RULES, now);
  if (jobs.length > 0) await tx.saveTimers(draft.number, draft.state.version, jobs, now);
}
