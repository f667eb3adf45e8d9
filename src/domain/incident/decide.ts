import type { AlertLink, IncidentCommand } from './commands.js';
import type { IncidentEvent } from './events.js';
import { apply, type Incident } from './state.js';
import { postmortemGate, TRANSITIONS, unmetGates } from './gates.js';
import type { ActionItemFields } from './events.js';
import { draftText } from '../postmortem/draft.js';
import { sameWarning, unwaivedWarnings } from '../postmortem/blameless.js';
import { triage } from './triage.js';
import { formatActionId } from './types.js';
import { LIMITS } from '../limits.js';
import { FirebreakError, forbidden, gateUnmet, notFound, validationError } from '../errors.js';

/** Commands still accepted once an incident is closed: follow-up work goes on after the postmortem. */
// A lever's outcome is recorded whatever happened meanwhile: the call was made.
const AFTER_CLOSE = new Set<IncidentCommand['type']>([
  'AddNote',
  'AddActionItem',
  'EditActionItem',
  'ChangeActionItemStatus',
  'RecordLeverOutcome',
]);

/** A guardrail's removal is due this many days after it was added (editable like any deadline). */
export const GUARDRAIL_REMOVAL_DAYS = 14;

const FUTURE_TOLERANCE_MS = 5 * 60_000;

function assertNotFuture(path: string, at: string | undefined, now: string) {
  if (at !== undefined && Date.parse(at) > Date.parse(now) + FUTURE_TOLERANCE_MS) {
    throw validationError([{ path, message: 'must not be in the future' }]);
  }
}

/** Only an external update speaks to the public page: an internal one naming public fields is refused. */
function refusePublicFields(cmd: Extract<IncidentCommand, { type: 'PostUpdate' }>) {
  const named = (['title', 'publicStatus', 'components'] as const).filter((k) => cmd[k] !== undefined);
  if (named.length === 0) return;
  throw validationError(
    named.map((k) => ({ path: `body.${k}`, message: 'only an external update sets what the public status page says' })),
    'An internal update cannot change the public status page.',
  );
}

function assertNever(x: never): never {
  throw new Error(`unhandled command ${JSON.stringify(x)}`);
}

/** Command in, events out, nothing written. Throws FirebreakError for a refused command. */
export function decide(cmd: IncidentCommand, s: Incident, now: string): IncidentEvent[] {
  const base = { at: now, actor: cmd.actor } as const;

  if (cmd.type === 'DeclareIncident') return declare(cmd, s, now);
  if (s.status === 'new') throw notFound(`Incident ${s.id} does not exist.`);
  if (s.status === 'closed' && !AFTER_CLOSE.has(cmd.type)) {
    throw gateUnmet(`${s.id} is closed.`, [
      { code: 'incident_closed', message: 'A closed incident takes only notes and action items.' },
    ]);
  }

  switch (cmd.type) {
    case 'ChangeSeverity':
      if (cmd.severity === s.severity) {
        throw validationError([{ path: 'body.severity', message: `the incident is already ${cmd.severity}` }]);
      }
      if (!cmd.reason.trim()) {
        throw validationError([{ path: 'body.reason', message: 'a severity change needs a reason' }]);
      }
      return [{ ...base, type: 'SeverityChanged', data: { from: s.severity, to: cmd.severity, reason: cmd.reason } }];

    case 'StateImpact': {
      assertNotFuture('body.startedAt', cmd.startedAt, now);
      const { type: _t, actor: _a, ...data } = cmd;
      return [{ ...base, type: 'ImpactStated', data }];
    }

    case 'AssignRole': {
      const { role, person } = cmd;
      const holds = role === 'responder' ? s.roles.responders.includes(person) : s.roles[role] === person;
      return holds ? [] : [{ ...base, type: 'RoleAssigned', data: { role, person } }];
    }

    case 'SuggestCommander': {
      // A commander named at declaration needs no suggestion; one is recorded once.
      if (s.roles.commander !== null || (s.suggestedCommander ?? null) !== null) return [];
      const { person, team, service, reason } = cmd;
      return [{ ...base, type: 'CommanderSuggested', data: { person, team, service, reason } }];
    }

    case 'UnassignRole': {
      const { role, person } = cmd;
      const holds = role === 'responder' ? s.roles.responders.includes(person) : s.roles[role] === person;
      if (!holds) throw notFound(`${person} does not hold the ${role} role on ${s.id}.`);
      return [{ ...base, type: 'RoleUnassigned', data: { role, person } }];
    }

    case 'SetCommsPlan': {
      const { type: _t, actor: _a, ...data } = cmd;
      return [{ ...base, type: 'CommsPlanSet', data }];
    }

    case 'PostUpdate': {
      const { type: _t, actor: _a, ...data } = cmd;
      if (cmd.audience === 'internal') refusePublicFields(cmd);
      return [{ ...base, type: 'UpdatePosted', data }];
    }

    case 'AddNote':
      return [{ ...base, type: 'NoteAdded', data: { body: cmd.body } }];

    case 'AddEvidence': {
      const { type: _t, actor: _a, ...data } = cmd;
      return [{ ...base, type: 'EvidenceAdded', data: { id: `E${s.evidence.length + 1}`, ...data } }];
    }

    case 'DecideMitigation': {
      const touchesBoundary = s.impact.boundary?.unsupportedFlow || s.impact.boundary?.coexistenceSeam;
      if (cmd.kind !== 'none' && cmd.failClosed === false && touchesBoundary && !cmd.failOpenReason?.trim()) {
        throw gateUnmet('A fail-open lever on this incident needs an explicit reason.', [
          {
            code: 'fail_open_reason_missing',
            message:
              'The incident touches an unsupported flow or a coexistence seam: say why failing open is safe (failOpenReason), or choose a fail-closed lever.',
          },
        ]);
      }
      return [
        {
          ...base,
          type: 'MitigationDecided',
          data: {
            id: `M${s.mitigations.length + 1}`,
            kind: cmd.kind,
            action: cmd.action,
            rationale: cmd.rationale,
            ...(cmd.lever !== undefined && { lever: cmd.lever }),
            failClosed: cmd.kind === 'none' ? null : (cmd.failClosed ?? null),
            ...(cmd.failOpenReason !== undefined && { failOpenReason: cmd.failOpenReason }),
            execute: cmd.execute ?? false,
            ...(cmd.leverType !== undefined && cmd.lever !== undefined && { leverType: cmd.leverType }),
          },
        },
      ];
    }

    case 'RecordLeverOutcome': {
      const m = s.mitigations.find((x) => x.id === cmd.mitigationId);
      if (!m?.execution || m.execution.type !== 'webhook') throw notFound(`Lever pull ${cmd.mitigationId} does not exist on ${s.id}.`);
      if (m.execution.state !== 'pending') {
        throw new FirebreakError('conflict', `Lever pull ${m.id} is ${m.execution.state} already.`);
      }
      const { type: _t, actor: _a, ...data } = cmd;
      return [{ ...base, type: 'LeverExecuted', data: { ...data, lever: m.execution.lever } }];
    }

    case 'ConfirmLever': {
      const id = cmd.mitigationId.toUpperCase();
      const m = s.mitigations.find((x) => x.id === id);
      if (!m) throw notFound(`Mitigation ${cmd.mitigationId} does not exist on ${s.id}.`);
      if (m.execution?.type !== 'manual') {
        throw new FirebreakError('conflict', `Mitigation ${m.id} is not a pulled manual lever: there is nothing to confirm.`);
      }
      if (m.execution.state !== 'awaiting_confirmation') {
        throw new FirebreakError('conflict', `Lever pull ${m.id} is ${m.execution.state.replace('_', ' ')} already.`);
      }
      const note = cmd.note?.trim();
      return [
        {
          ...base,
          type: 'LeverConfirmed',
          data: { mitigationId: m.id, lever: m.execution.lever, outcome: cmd.outcome, ...(note && { note }) },
        },
      ];
    }

    case 'AskQuestion':
      return [{ ...base, type: 'QuestionAsked', data: { id: `Q${s.questions.length + 1}`, question: cmd.question } }];

    case 'AnswerQuestion': {
      const q = s.questions.find((x) => x.id === cmd.questionId.toUpperCase());
      if (!q) throw notFound(`Question ${cmd.questionId} does not exist on ${s.id}.`);
      // A blank answer would block re-answering, yet the closed gate would still count the question as open.
      if (!cmd.answer.trim()) throw validationError([{ path: 'body.answer', message: 'an answer cannot be blank' }]);
      if (q.answer !== null) {
        throw validationError([{ path: 'params.qid', message: `question ${q.id} is already answered` }]);
      }
      return [{ ...base, type: 'QuestionAnswered', data: { id: q.id, answer: cmd.answer } }];
    }

    case 'AddGuardrail': {
      const { type: _t, actor: _a, ...data } = cmd;
      const id = `G${s.guardrails.length + 1}`;
      const until = data.removalCondition?.trim() ? ` once ${data.removalCondition.trim()}` : '';
      return [
        { ...base, type: 'GuardrailAdded', data: { id, ...data } },
        {
          ...base,
          type: 'ActionItemAdded',
          data: {
            id: formatActionId(s.number, s.actions.length + 1),
            title: `Remove guardrail ${id} (${data.what.trim()})${until}`,
            owner: data.owner,
            dueAt: new Date(Date.parse(now) + GUARDRAIL_REMOVAL_DAYS * 86_400_000).toISOString(),
            priority: 'P2',
            kind: 'guardrail-removal',
            fromGuardrail: id,
          },
        },
      ];
    }

    case 'ChangeStatus':
      return changeStatus(cmd, s, now);

    case 'WritePostmortem':
      refusePublished(s);
      return [
        {
          ...base,
          type: 'PostmortemWritten',
          data: {
            summary: cmd.summary,
            impact: cmd.impact,
            whys: cmd.whys,
            rootCause: cmd.rootCause,
            contributingFactors: cmd.contributingFactors ?? [],
            wentWell: cmd.wentWell ?? [],
            wentPoorly: cmd.wentPoorly ?? [],
            lessons: cmd.lessons ?? [],
          },
        },
      ];

    case 'AssignPostmortem':
      return assignPostmortem(cmd, s, base);

    case 'ChangePostmortemState':
      return changePostmortemState(cmd, s, base);

    case 'WaiveBlameWarning': {
      const pm = postmortemOf(s);
      refusePublished(s);
      const reason = cmd.reason.trim();
      if (!reason) throw validationError([{ path: 'body.reason', message: 'a waiver needs a reason' }]);
      const warned = unwaivedWarnings(s).some((w) => sameWarning(w, cmd));
      const waived = pm.waivers.some((w) => sameWarning(w, cmd));
      if (!warned && !waived) {
        throw notFound(`The postmortem of ${s.id} has no warning for "${cmd.phrase}" in ${cmd.field}.`);
      }
      return [{ ...base, type: 'BlameWarningWaived', data: { field: cmd.field, phrase: cmd.phrase, reason } }];
    }

    case 'AddActionItem': {
      if (Number.isNaN(Date.parse(cmd.dueAt))) {
        throw validationError([{ path: 'body.dueAt', message: 'must be an ISO-8601 date-time' }]);
      }
      const fromQuestion = cmd.fromQuestion?.toUpperCase();
      if (fromQuestion !== undefined && !s.questions.some((q) => q.id === fromQuestion)) {
        throw validationError([{ path: 'body.fromQuestion', message: `question ${cmd.fromQuestion} does not exist` }]);
      }
      const question = s.questions.find((q) => q.id === fromQuestion);
      const data = {
        id: formatActionId(s.number, s.actions.length + 1),
        title: cmd.title.trim() || question?.question.slice(0, LIMITS.title) || cmd.title,
        owner: cmd.owner,
        dueAt: new Date(cmd.dueAt).toISOString(),
        priority: cmd.priority,
        ...(fromQuestion !== undefined && { fromQuestion }),
        ...(cmd.kind !== undefined && { kind: cmd.kind }),
        ...(cmd.ticketUrl !== undefined && { ticketUrl: cmd.ticketUrl }),
      };
      return [{ ...base, type: 'ActionItemAdded', data }];
    }

    case 'EditActionItem': {
      const a = actionOf(s, cmd.actionId);
      const wanted: ActionItemFields = { ...cmd.changes };
      if (wanted.dueAt !== undefined) {
        if (Number.isNaN(Date.parse(wanted.dueAt))) {
          throw validationError([{ path: 'body.dueAt', message: 'must be an ISO-8601 date-time' }]);
        }
        wanted.dueAt = new Date(wanted.dueAt).toISOString();
      }
      if (Object.keys(wanted).length === 0 && cmd.status === undefined) {
        throw validationError([{ path: 'body', message: 'name at least one of status, title, owner, dueAt, priority, kind, ticketUrl' }]);
      }
      const changes: Record<string, unknown> = {};
      const previous: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(wanted) as [keyof ActionItemFields, unknown][]) {
        if (v === undefined || a[k] === v) continue;
        changes[k] = v;
        previous[k] = a[k];
      }
      const events: IncidentEvent[] = [];
      if (Object.keys(changes).length > 0) events.push({ ...base, type: 'ActionItemEdited', data: { id: a.id, changes, previous } });
      if (cmd.status !== undefined && cmd.status !== a.status) {
        events.push({ ...base, type: 'ActionItemStatusChanged', data: { id: a.id, from: a.status, to: cmd.status } });
      }
      return events;
    }

    case 'ChangeActionItemStatus': {
      const a = actionOf(s, cmd.actionId);
      if (a.status === cmd.status) return [];
      return [{ ...base, type: 'ActionItemStatusChanged', data: { id: a.id, from: a.status, to: cmd.status } }];
    }

    case 'RecordAlerts':
      return recordAlerts(cmd, s, base);

    case 'SetReleaseBoundary': {
      const { boundary, suspects } = cmd;
      const same = JSON.stringify({ b: s.releaseBoundary, s: s.suspects }) === JSON.stringify({ b: boundary, s: suspects });
      return same ? [] : [{ ...base, type: 'ReleaseBoundaryChanged', data: { boundary, suspects } }];
    }

    default:
      return assertNever(cmd);
  }
}

/**
 * Links alerts new to the incident and records status changes of known ones (`cmd.known`), as one
 * AlertsRecorded event: each alert once, with the last status it was given. When the last firing
 * alert resolves, "alerts cleared" is recorded once as recovery evidence; a later firing starts the
 * count again.
 */
function recordAlerts(
  cmd: Extract<IncidentCommand, { type: 'RecordAlerts' }>,
  s: Incident,
  base: { at: string; actor: string },
): IncidentEvent[] {
  const last = new Map<string, AlertLink>();
  for (const a of cmd.alerts) last.set(a.alertId, a);
  const linked: AlertLink[] = [];
  const changed: AlertLink[] = [];
  let firing = s.alertCounts.firing;
  for (const a of last.values()) {
    const known = cmd.known.get(a.alertId);
    if (known === a.status) continue;
    const link = { alertId: a.alertId, dedupKey: a.dedupKey, summary: a.summary, status: a.status, source: a.source };
    (known === undefined ? linked : changed).push(link);
    if (a.status === 'firing') firing++;
    else if (known === 'firing') firing--;
  }
  if (linked.length === 0 && changed.length === 0) return [];
  const events: IncidentEvent[] = [{ ...base, type: 'AlertsRecorded', data: { linked, changed } }];
  const { firing: wasFiring, total } = s.alertCounts;
  if (firing === 0 && (wasFiring > 0 || total === 0)) {
    events.push({ ...base, type: 'AlertsCleared', data: { count: total + linked.length } });
  }
  return events;
}

function actionOf(s: Incident, id: string) {
  const a = s.actions.find((x) => x.id.toUpperCase() === id.toUpperCase());
  if (!a) throw notFound(`Action item ${id} does not exist.`);
  return a;
}

function postmortemOf(s: Incident) {
  if (!s.postmortem) {
    throw new FirebreakError('conflict', `${s.id} has no postmortem yet: a draft is made when it resolves (or write one).`);
  }
  return s.postmortem;
}

function refusePublished(s: Incident) {
  if (s.postmortem?.state === 'published') {
    throw new FirebreakError('conflict', `The postmortem of ${s.id} is published: it no longer changes.`);
  }
}

type Base = { at: string; actor: string };

function assignPostmortem(cmd: Extract<IncidentCommand, { type: 'AssignPostmortem' }>, s: Incident, base: Base): IncidentEvent[] {
  const pm = postmortemOf(s);
  refusePublished(s);
  if (cmd.author === undefined && cmd.reviewers === undefined) {
    throw validationError([{ path: 'body', message: 'name an author, reviewers, or both' }]);
  }
  const author = cmd.author?.trim() ?? pm.author;
  const reviewers = cmd.reviewers === undefined ? undefined : [...new Set(cmd.reviewers.map((r) => r.trim()))];
  if (author === '') throw validationError([{ path: 'body.author', message: 'cannot be blank' }]);
  if (reviewers?.some((r) => r === '')) throw validationError([{ path: 'body.reviewers', message: 'a reviewer cannot be blank' }]);
  if ((reviewers ?? pm.reviewers).includes(author)) {
    throw validationError([{ path: cmd.reviewers ? 'body.reviewers' : 'body.author', message: `${author} writes the postmortem and cannot review it` }]);
  }
  if (pm.state === 'in_review' && reviewers?.length === 0) {
    throw validationError([{ path: 'body.reviewers', message: 'a postmortem in review needs a reviewer' }]);
  }
  const data = {
    ...(author !== pm.author && { author }),
    ...(reviewers && JSON.stringify(reviewers) !== JSON.stringify(pm.reviewers) && { reviewers }),
  };
  return Object.keys(data).length === 0 ? [] : [{ ...base, type: 'PostmortemAssigned', data }];
}

function changePostmortemState(
  cmd: Extract<IncidentCommand, { type: 'ChangePostmortemState' }>,
  s: Incident,
  base: Base,
): IncidentEvent[] {
  const pm = postmortemOf(s);
  const from = pm.state;
  const reason = cmd.reason?.trim();
  const moved = (): IncidentEvent[] => [
    { ...base, type: 'PostmortemStateChanged', data: { from, to: cmd.to, ...(reason && { reason }) } },
  ];
  if (from === cmd.to) throw new FirebreakError('conflict', `The postmortem of ${s.id} is ${from.replace('_', ' ')} already.`);
  refusePublished(s);
  if (cmd.to === 'in_review') {
    if (pm.reviewers.length === 0) {
      throw gateUnmet('The postmortem cannot go to review yet.', [
        { code: 'reviewer_missing', message: 'Assign at least one reviewer (not the author).' },
      ]);
    }
    return moved();
  }
  if (cmd.to === 'draft') {
    if (!reason) throw validationError([{ path: 'body.reason', message: 'say what should change (or why it is withdrawn)' }]);
    if (cmd.actor !== pm.author && !pm.reviewers.includes(cmd.actor)) {
      throw forbidden('Only the author or a reviewer can send a postmortem back to draft.');
    }
    return moved();
  }
  // to published
  if (from !== 'in_review') throw new FirebreakError('conflict', 'A postmortem is published from review: submit it first.');
  if (!pm.reviewers.includes(cmd.actor)) throw forbidden(`Only a reviewer (${pm.reviewers.join(', ')}) can publish the postmortem.`);
  const unmet = [
    ...(s.status === 'resolved' ? [] : [{ code: 'incident_unresolved', message: `The incident is ${s.status}: resolve it first.` }]),
    ...postmortemGate(s, cmd.strict === true),
  ];
  if (unmet.length > 0) throw gateUnmet('The postmortem cannot be published yet.', unmet);
  return moved();
}

function declare(cmd: Extract<IncidentCommand, { type: 'DeclareIncident' }>, s: Incident, now: string): IncidentEvent[] {
  if (s.status !== 'new') throw new FirebreakError('conflict', `Incident ${s.id} already exists.`);
  const base = { at: now, actor: cmd.actor } as const;
  assertNotFuture('body.startedAt', cmd.startedAt, now);
  assertNotFuture('body.detectedAt', cmd.detectedAt, now);

  const auto = cmd.auto ?? false;
  const statement = cmd.impact?.trim() ? cmd.impact : auto ? 'impact unconfirmed' : '';
  const unmet = unmetGates({ ...s, title: cmd.title, impact: { ...s.impact, statement } }, 'investigating');
  if (unmet.length > 0) throw gateUnmet('The incident cannot be declared yet.', unmet);

  let severity = cmd.severity;
  let reason = cmd.severityReason?.trim() ? cmd.severityReason : undefined;
  if (cmd.impactFacts) {
    const t = triage(cmd.impactFacts);
    severity ??= t.severity;
    reason ??= `triage: ${t.reasons.join('; ')}`;
  }
  if (severity !== undefined && !reason?.trim()) {
    throw validationError([{ path: 'body.severityReason', message: 'a severity needs a reason (or impactFacts)' }]);
  }

  const detectedAt = cmd.detectedAt ?? now;
  const startedAt = cmd.startedAt ?? detectedAt;
  const facts = cmd.impactFacts;
  const events: IncidentEvent[] = [
    {
      ...base,
      type: 'IncidentDeclared',
      data: { number: cmd.number, title: cmd.title.trim(), services: cmd.services ?? [], startedAt, detectedAt, auto },
    },
    {
      ...base,
      type: 'ImpactStated',
      data: {
        statement,
        confirmed: auto ? false : (cmd.impactConfirmed ?? false),
        ...(facts?.dataLoss !== undefined && { dataLoss: facts.dataLoss }),
        ...(facts?.securityBreach !== undefined && { securityBreach: facts.securityBreach }),
        ...(cmd.boundary !== undefined && { boundary: cmd.boundary }),
      },
    },
  ];
  if (severity !== undefined && reason !== undefined) {
    events.push({ ...base, type: 'SeverityChanged', data: { from: null, to: severity, reason } });
  }
  if (cmd.commander) events.push({ ...base, type: 'RoleAssigned', data: { role: 'commander', person: cmd.commander } });
  return events;
}

function changeStatus(cmd: Extract<IncidentCommand, { type: 'ChangeStatus' }>, s: Incident, now: string): IncidentEvent[] {
  const base = { at: now, actor: cmd.actor } as const;
  const from = s.status;
  if (from === 'new') throw notFound(`Incident ${s.id} does not exist.`);
  if (!TRANSITIONS[from].includes(cmd.to)) {
    const allowed = TRANSITIONS[from];
    throw gateUnmet(`${s.id} cannot move from ${from} to ${cmd.to}.`, [
      {
        code: 'transition_not_allowed',
        message: `From ${from} the incident can move to ${allowed.length ? allowed.join(', ') : 'nothing'}.`,
      },
    ]);
  }
  const ctx = { reason: cmd.reason, noGuardrails: cmd.noGuardrails, alertsOverride: cmd.alertsOverride, strict: cmd.strict };
  const unmet = unmetGates(s, cmd.to, ctx);
  const events: IncidentEvent[] = [];
  if (unmet.length > 0) {
    if (!cmd.override) throw gateUnmet(`${s.id} cannot move to ${cmd.to} yet.`, unmet);
    if (s.roles.commander === null || s.roles.commander !== cmd.actor) {
      throw forbidden('Only the incident commander can override a gate.');
    }
    if (!cmd.override.reason.trim()) {
      throw validationError([{ path: 'body.override.reason', message: 'an override needs a reason' }]);
    }
    events.push({ ...base, type: 'GateOverridden', data: { to: cmd.to, reason: cmd.override.reason, unmet } });
  }
  events.push({
    ...base,
    type: 'StatusChanged',
    data: {
      from,
      to: cmd.to,
      ...(cmd.reason !== undefined && { reason: cmd.reason }),
      ...(cmd.noGuardrails !== undefined && { noGuardrails: cmd.noGuardrails }),
      ...(cmd.alertsOverride !== undefined && { alertsOverride: cmd.alertsOverride }),
    },
  });
  if (cmd.to === 'resolved' && s.postmortem === null) {
    const resolved = events.reduce(apply, s);
    events.push({ ...base, type: 'PostmortemDrafted', data: { ...draftText(resolved), author: s.roles.commander ?? cmd.actor } });
  }
  if (cmd.to === 'investigating' && s.postmortem && s.postmortem.state !== 'draft') {
    events.push({
      ...base,
      type: 'PostmortemStateChanged',
      data: { from: s.postmortem.state, to: 'draft', reason: 'the incident was re-opened' },
    });
  }
  return events;
}
