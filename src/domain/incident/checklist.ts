import type { Unmet } from '../errors.js';
import { nextStatus, unmetGates } from './gates.js';
import type { Incident } from './state.js';
import type { Status } from './types.js';

/** The seven steps, in order. */
export const CHECKLIST_STEPS = [
  'confirm',
  'triage',
  'assemble',
  'mitigate',
  'investigate',
  'verify',
  'postmortem',
] as const;
/** The key of one of the seven steps. */
export type ChecklistStepKey = (typeof CHECKLIST_STEPS)[number];

/** One thing a step needs, and whether the incident has it. */
export interface ChecklistItem {
  label: string;
  done: boolean;
}

/** One of the seven steps, with what is done and what is still missing. */
export interface ChecklistStep {
  n: number;
  key: ChecklistStepKey;
  title: string;
  done: boolean;
  items: ChecklistItem[];
  missing: string[];
}

/** Where to read the incident playbook of one of the incident's services. */
export interface ServicePlaybookLink {
  service: string;
  /** The service's page in the web UI (`/catalog/<name>`), which shows its playbook. */
  url: string;
  /** The same playbook as Markdown from the API (`/api/v1/services/<name>/playbook`). */
  markdown: string;
}

/** The live seven-step checklist of one incident. */
export interface Checklist {
  incident: string;
  title: string;
  status: Incident['status'];
  severity: Incident['severity'];
  steps: ChecklistStep[];
  current: ChecklistStepKey | null;
  nextGate: { to: Status; unmet: Unmet[] } | null;
  postmortemDueAt: string | null;
  /** One link per affected service, in the incident's order. */
  playbooks: ServicePlaybookLink[];
}

interface Check {
  label: string;
  done: boolean;
  todo: string;
}

const TITLES: Record<ChecklistStepKey, string> = {
  confirm: 'Confirm the incident and its boundary',
  triage: 'Triage severity by current user impact',
  assemble: 'Assemble the team and the communication cadence',
  mitigate: 'Mitigate first, preferring fail-closed containment',
  investigate: 'Investigate with evidence, not guesses',
  verify: 'Verify recovery and hand off',
  postmortem: 'Blameless postmortem within 48 hours',
};

const blank = (s: string | null | undefined) => s === null || s === undefined || s.trim() === '';
const check = (done: boolean, label: string, todo: string): Check => ({ done, label, todo });

function confirm(s: Incident): Check[] {
  const b = s.impact.boundary;
  const flagged = b
    ? [
        b.unsupportedFlow && 'unsupported flow',
        b.coexistenceSeam && 'coexistence seam',
        b.rolloutBoundary && 'rollout boundary',
      ].filter((x) => typeof x === 'string')
    : [];
  return [
    check(
      !blank(s.impact.statement) && s.impact.confirmed,
      s.impact.statement ? `Impact statement confirmed: ${s.impact.statement}` : 'Impact statement confirmed',
      'Confirm the impact statement: which user-facing behaviour fails, checked against evidence.',
    ),
    check(
      s.milestones.startedAt !== null,
      s.milestones.startedAt ? `Impact start recorded: ${s.milestones.startedAt}` : 'Impact start recorded',
      'Record when the impact started (relative to the last deploy).',
    ),
    check(
      b !== null,
      b ? `Boundary flags reviewed: ${flagged.length ? flagged.join(', ') : 'none apply'}` : 'Boundary flags reviewed',
      'Review the boundary: unsupported flow, coexistence seam, rollout boundary.',
    ),
    check(
      s.services.length > 0,
      s.services.length ? `Affected services named: ${s.services.join(', ')}` : 'Affected services named',
      'Name the affected services.',
    ),
  ];
}

function triageStep(s: Incident): Check[] {
  const last = s.severityHistory.at(-1);
  const ok = s.severity !== null && last !== undefined && !blank(last.reason);
  return [
    check(
      ok,
      ok && last ? `Severity ${last.to}: ${last.reason}` : 'Severity set with a reason',
      'Set the severity (SEV1–SEV4) from current user impact, with a reason.',
    ),
  ];
}

function assemble(s: Incident): Check[] {
  const { commander, responders, comms } = s.roles;
  const others = responders.filter((r) => r !== commander);
  return [
    check(
      commander !== null,
      commander ? `Incident commander: ${commander}` : 'Incident commander assigned',
      'Assign an incident commander (coordinates, does not debug).',
    ),
    check(
      others.length > 0,
      others.length ? `Technical responders: ${others.join(', ')}` : 'A technical responder other than the commander',
      'Assign at least one technical responder other than the commander.',
    ),
    check(
      comms !== null,
      comms ? `Communications lead: ${comms}` : 'Communications lead assigned',
      'Assign a communications lead.',
    ),
    check(
      s.comms !== null,
      s.comms
        ? `Comms plan: ${s.comms.channel}, decisions by ${s.comms.decisionOwner}, every ${s.comms.cadenceMinutes} min`
        : 'Comms plan: channel, decision owner, cadence, external trigger',
      'Set the communication plan: channel, decision owner, update cadence, external-update trigger.',
    ),
  ];
}

function mitigate(s: Incident): Check[] {
  const decided = s.mitigations.filter((m) => !blank(m.rationale));
  const levers = decided.filter((m) => m.kind !== 'none');
  const closed = levers.filter((m) => m.failClosed === true);
  const names = decided.map(
    (m) => `${m.id} ${m.kind === 'none' ? 'none needed' : (m.lever ?? m.kind)}${m.failClosed ? ' (fail-closed)' : ''}`,
  );
  // Fail-closed is preferred, not required: it is reported in the label, not counted as missing.
  const preference =
    levers.length === 0
      ? ''
      : closed.length
        ? '; fail-closed in place'
        : '; none fail-closed, prefer a fail-closed lever';
  return [
    check(
      decided.length > 0,
      decided.length ? `Containment decided: ${names.join(', ')}${preference}` : 'Containment decision recorded',
      'Record a containment decision: a lever (fail-closed first) or "none" with a reason.',
    ),
  ];
}

function investigate(s: Incident): Check[] {
  const open = s.questions.filter((q) => blank(q.answer));
  return [
    check(
      s.evidence.length > 0,
      s.evidence.length
        ? `Evidence attached: ${s.evidence.length}`
        : 'Evidence attached (logs, metrics, traces, deploys, config)',
      'Attach at least one piece of evidence.',
    ),
    check(
      open.length === 0,
      s.questions.length === 0
        ? 'No open questions'
        : `Open questions answered: ${s.questions.length - open.length}/${s.questions.length}`,
      `Answer the open questions (${open.map((q) => q.id).join(', ')}); stay in the safer mode until then.`,
    ),
  ];
}

function verify(s: Incident): Check[] {
  const resolved = s.status === 'resolved' || s.status === 'closed';
  const { firing, total } = s.alertCounts;
  const alertsOk = firing === 0 || !blank(s.alertsOverride);
  const withoutRemoval = s.guardrails.filter((g) => blank(g.removalCondition));
  const guardrailsOk = (s.guardrails.length > 0 || s.noGuardrails) && withoutRemoval.length === 0;
  const alertLabel =
    firing === 0
      ? `Linked alerts cleared${total ? ` (${total})` : ''}`
      : alertsOk
        ? `Linked alerts overridden: ${s.alertsOverride}`
        : `Linked alerts cleared (${firing} firing)`;
  const guardrailLabel =
    s.guardrails.length > 0
      ? `Guardrails documented: ${s.guardrails.length}${withoutRemoval.length ? `, ${withoutRemoval.length} without a removal condition` : ''}`
      : s.noGuardrails
        ? 'Guardrails reviewed: none needed'
        : 'Guardrails reviewed (each with a removal condition, or none needed)';
  return [
    check(resolved, 'Recovery verified: incident resolved', 'Verify recovery and resolve the incident.'),
    check(alertsOk, alertLabel, `Wait for the ${firing} firing alert(s) to clear, or give an override reason.`),
    check(
      guardrailsOk,
      guardrailLabel,
      withoutRemoval.length
        ? `Give a removal condition for ${withoutRemoval.map((g) => g.id).join(', ')}.`
        : 'Document each temporary guardrail with a removal condition, or say there are none.',
    ),
  ];
}

const POSTMORTEM_ITEMS: readonly { label: string; codes: readonly string[] }[] = [
  { label: 'Summary written', codes: ['postmortem_summary_missing'] },
  { label: 'Impact described', codes: ['postmortem_impact_missing'] },
  { label: '5 Whys worked through', codes: ['whys_missing'] },
  { label: 'Root cause named', codes: ['root_cause_missing'] },
  { label: 'At least one thing that went well', codes: ['went_well_missing'] },
  { label: 'At least one thing that went poorly', codes: ['went_poorly_missing'] },
  {
    label: 'Action items, each with an owner and a deadline',
    codes: ['action_items_missing', 'action_item_incomplete'],
  },
  { label: 'Open questions answered or turned into action items', codes: ['question_open'] },
  { label: 'Reviewed and published', codes: ['postmortem_unpublished'] },
];

function step(n: number, key: ChecklistStepKey, checks: Check[]): ChecklistStep {
  const missing = checks.filter((c) => !c.done).map((c) => c.todo);
  return {
    n,
    key,
    title: TITLES[key],
    done: missing.length === 0,
    items: checks.map(({ label, done }) => ({ label, done })),
    missing,
  };
}

// encodeURIComponent leaves ! ' ( ) * alone; encoded too, a path is safe inside a Markdown link.
const pathSegment = (s: string) =>
  encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** Root-relative links to each service's playbook: the UI page first, the Markdown route beside it. */
export function servicePlaybookLinks(services: readonly string[]): ServicePlaybookLink[] {
  return [...new Set(services)].map((service) => ({
    service,
    url: `/catalog/${pathSegment(service)}`,
    markdown: `/api/v1/services/${pathSegment(service)}/playbook`,
  }));
}

/** Derives the seven-step checklist from the incident's state alone. */
export function incidentChecklist(s: Incident): Checklist {
  const pmUnmet = unmetGates(s, 'closed');
  const postmortem: ChecklistStep = {
    n: 7,
    key: 'postmortem',
    title: TITLES.postmortem,
    done: pmUnmet.length === 0,
    items: POSTMORTEM_ITEMS.map(({ label, codes }) => ({ label, done: !pmUnmet.some((u) => codes.includes(u.code)) })),
    missing: pmUnmet.map((u) => u.message),
  };
  const steps = [
    step(1, 'confirm', confirm(s)),
    step(2, 'triage', triageStep(s)),
    step(3, 'assemble', assemble(s)),
    step(4, 'mitigate', mitigate(s)),
    step(5, 'investigate', investigate(s)),
    step(6, 'verify', verify(s)),
    postmortem,
  ];
  const to = nextStatus(s);
  return {
    incident: s.id,
    title: s.title,
    status: s.status,
    severity: s.severity,
    steps,
    current: steps.find((x) => !x.done)?.key ?? null,
    nextGate: to ? { to, unmet: unmetGates(s, to) } : null,
    postmortemDueAt: s.postmortemDueAt,
    playbooks: servicePlaybookLinks(s.services),
  };
}
