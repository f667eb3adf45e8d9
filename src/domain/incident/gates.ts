import type { Unmet } from '../errors.js';
import { unwaivedWarnings } from '../postmortem/blameless.js';
import type { Incident } from './state.js';
import type { Status } from './types.js';

/** The moves the status machine allows, whatever the gates say. */
export const TRANSITIONS: Record<Incident['status'], readonly Status[]> = {
  new: [],
  investigating: ['mitigated', 'resolved', 'cancelled'],
  mitigated: ['resolved', 'investigating', 'cancelled'],
  resolved: ['closed', 'investigating'],
  cancelled: ['investigating'],
  closed: [],
};

/** What a status change may bring with it that the gates look at. */
export interface GateContext {
  reason?: string;
  noGuardrails?: boolean;
  alertsOverride?: string;
  /** Blameless-check warnings must be fixed or waived (FIREBREAK_POSTMORTEM_STRICT, or asked per request). */
  strict?: boolean;
}

const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === '';

const need = (ok: boolean, code: string, message: string): Unmet[] => (ok ? [] : [{ code, message }]);

function declaredGate(s: Pick<Incident, 'title' | 'impact'>): Unmet[] {
  return [
    ...need(!blank(s.title), 'title_missing', 'Give the incident a title.'),
    ...need(!blank(s.impact.statement), 'impact_missing', 'State the user-facing impact (what fails, for whom).'),
  ];
}

function mitigatedGate(s: Incident): Unmet[] {
  const ok = s.mitigations.some((m) => m.kind !== 'none' && !blank(m.rationale));
  return need(ok, 'mitigation_missing', 'Record at least one mitigation decision with its rationale.');
}

function resolvedGate(s: Incident, ctx: GateContext): Unmet[] {
  const firing = s.alertCounts.firing;
  const guardrailsReviewed = s.guardrails.length > 0 || ctx.noGuardrails === true || s.noGuardrails;
  return [
    ...need(s.severity !== null, 'severity_missing', 'Set the severity (SEV1–SEV4) with a reason.'),
    ...need(
      !blank(s.impact.statement) && s.impact.confirmed,
      'impact_unconfirmed',
      'Confirm the impact statement: what users saw, checked against evidence.',
    ),
    ...need(
      s.mitigations.some((m) => !blank(m.rationale)),
      'containment_missing',
      'Record the containment decision (rollback, fail-closed, fallback, or "none" with a reason).',
    ),
    ...need(s.roles.commander !== null, 'commander_missing', 'Assign an incident commander.'),
    ...need(s.roles.comms !== null, 'comms_owner_missing', 'Assign a communications lead.'),
    ...need(s.comms !== null, 'cadence_missing', 'Set the communication plan: channel, decision owner, cadence.'),
    ...need(s.evidence.length > 0, 'evidence_missing', 'Attach at least one piece of evidence.'),
    ...need(
      firing === 0 || !blank(ctx.alertsOverride),
      'alerts_firing',
      `${firing} linked alert(s) still firing: wait for them to clear or give alertsOverride with a reason.`,
    ),
    ...need(
      guardrailsReviewed,
      'guardrails_unreviewed',
      'Review guardrails: add each temporary guardrail, or say there are none (noGuardrails: true).',
    ),
    ...s.guardrails
      .filter((g) => blank(g.removalCondition))
      .map((g) => ({
        code: 'guardrail_removal_condition_missing',
        message: `Guardrail ${g.id} ("${g.what}") needs a removal condition.`,
      })),
  ];
}

/**
 * What a postmortem needs before it is published (and so before the incident closes): the narrative,
 * owned action items beyond guardrail removals, every open question answered or tracked, and in strict
 * mode no blameless-check warning left unwaived.
 */
export function postmortemGate(s: Incident, strict = false): Unmet[] {
  const pm = s.postmortem;
  const answeredOrTracked = (qid: string, answer: string | null) =>
    !blank(answer) || s.actions.some((a) => a.fromQuestion === qid);
  return [
    ...need(pm !== null && !blank(pm.summary), 'postmortem_summary_missing', 'Write the postmortem summary.'),
    ...need(pm !== null && !blank(pm.impact), 'postmortem_impact_missing', 'Describe the impact in the postmortem.'),
    ...need(
      pm !== null && pm.whys.some((w) => !blank(w)),
      'whys_missing',
      'Work through the 5 Whys in the postmortem.',
    ),
    ...need(pm !== null && !blank(pm.rootCause), 'root_cause_missing', 'Name the root cause the 5 Whys led to.'),
    ...need(
      pm !== null && pm.wentWell.some((w) => !blank(w)),
      'went_well_missing',
      'Name at least one thing that went well.',
    ),
    ...need(
      pm !== null && pm.wentPoorly.some((w) => !blank(w)),
      'went_poorly_missing',
      'Name at least one thing that went poorly.',
    ),
    ...need(
      s.actions.some((a) => a.kind !== 'guardrail-removal'),
      'action_items_missing',
      'Add at least one action item (besides guardrail removals) with an owner and a deadline.',
    ),
    ...s.actions
      .filter((a) => blank(a.owner) || blank(a.dueAt))
      .map((a) => ({ code: 'action_item_incomplete', message: `Action item ${a.id} needs an owner and a deadline.` })),
    ...s.questions
      .filter((q) => !answeredOrTracked(q.id, q.answer))
      .map((q) => ({
        code: 'question_open',
        message: `Question ${q.id} ("${q.question}") is open: answer it or turn it into an action item.`,
      })),
    ...(strict ? unwaivedWarnings(s) : []).map((w) => ({
      code: 'blameful_language',
      message: `${w.field}: "${w.phrase}" — ${w.suggestion} Reword it, or waive it with a reason.`,
    })),
  ];
}

function closedGate(s: Incident, strict = false): Unmet[] {
  return [
    ...postmortemGate(s, strict),
    ...need(
      s.postmortem?.state === 'published',
      'postmortem_unpublished',
      'Publish the postmortem: submit it for review, and a reviewer publishes it.',
    ),
  ];
}

/** Every unmet criterion for moving `s` to `to`, in a stable order; empty when the gate is met. */
export function unmetGates(s: Incident, to: Status, ctx: GateContext = {}): Unmet[] {
  switch (to) {
    case 'investigating': {
      const reopen = s.status !== 'new';
      return [
        ...declaredGate(s),
        ...need(!reopen || !blank(ctx.reason), 'reason_missing', 'Say why the incident is re-opened (regression).'),
      ];
    }
    case 'mitigated':
      return mitigatedGate(s);
    case 'resolved':
      return resolvedGate(s, ctx);
    case 'closed':
      return closedGate(s, ctx.strict);
    case 'cancelled':
      return need(!blank(ctx.reason), 'reason_missing', 'Say why the incident is cancelled (for example, a false alarm).');
  }
}

/** The gate for the next status on the happy path, for checklists and the UI. */
export function nextStatus(s: Incident): Status | null {
  switch (s.status) {
    case 'investigating':
      return 'mitigated';
    case 'mitigated':
      return 'resolved';
    case 'resolved':
      return 'closed';
    default:
      return null;
  }
}
