import type { Unmet } from '../errors.js';
import type { StoredEvent } from '../incident/events.js';
import { postmortemGate, unmetGates } from '../incident/gates.js';
import type { Incident, Milestones } from '../incident/state.js';
import type { ActionKind, ActionStatus, PostmortemState, Priority, Severity, Status } from '../incident/types.js';
import type { BlameWaiver } from '../incident/state.js';
import { type BlameWarning, unwaivedWarnings } from '../postmortem/blameless.js';
import { humanDuration } from '../postmortem/draft.js';

export { humanDuration } from '../postmortem/draft.js';
export { incidentPeople } from '../postmortem/blameless.js';
import {
  type Block,
  type Doc,
  link,
  list,
  p,
  type Rich,
  renderHtmlDoc,
  renderMarkdownDoc,
  type Section,
} from './document.js';
import { formatUtc } from './escape.js';
import { entryDetails, type TimelineEntry, timelineEntries } from './timeline.js';

/** 'missing' before any postmortem is drafted or written, 'complete' when the publish criteria hold. */
export type PostmortemStatus = 'missing' | 'draft' | 'complete';

/** The blameless postmortem as JSON; the Markdown and HTML renderers read only this. */
export interface PostmortemReport {
  incident: string;
  title: string;
  date: string | null;
  severity: Severity | null;
  incidentStatus: Incident['status'];
  duration: { startedAt: string; resolvedAt: string; minutes: number; text: string } | null;
  author: string | null;
  /** Where the review stands; null before a postmortem exists. */
  state: PostmortemState | null;
  reviewers: string[];
  publishedAt: string | null;
  publishedBy: string | null;
  commander: string | null;
  summary: string | null;
  impact: string | null;
  impactStatement: string | null;
  timeline: TimelineEntry[];
  whys: string[];
  rootCause: string | null;
  contributingFactors: string[];
  wentWell: string[];
  wentPoorly: string[];
  actionItems: {
    id: string;
    action: string;
    owner: string;
    deadline: string;
    priority: Priority;
    status: ActionStatus;
    kind: ActionKind;
    ticketUrl: string | null;
  }[];
  lessons: string[];
  openQuestions: { id: string; question: string; answer: string | null; actionItem: string | null }[];
  guardrails: { id: string; what: string; why: string; removalCondition: string | null; owner: string }[];
  noGuardrails: boolean;
  gateOverrides: { to: Status; reason: string; by: string; at: string; unmet: Unmet[] }[];
  milestones: Milestones;
  postmortemDueAt: string | null;
  status: PostmortemStatus;
  /** Every criterion the close gate still misses (publishing included). */
  missing: Unmet[];
  /** Blameless-check warnings not waived. */
  warnings: BlameWarning[];
  waivers: BlameWaiver[];
}

function duration(m: Milestones): PostmortemReport['duration'] {
  if (!m.startedAt || !m.resolvedAt) return null;
  const minutes = Math.max(0, Math.round((Date.parse(m.resolvedAt) - Date.parse(m.startedAt)) / 60_000));
  if (Number.isNaN(minutes)) return null;
  return { startedAt: m.startedAt, resolvedAt: m.resolvedAt, minutes, text: humanDuration(minutes) };
}

/** Builds the report from the state and its log; status is 'complete' exactly when the publish criteria hold. */
export function postmortemReport(incident: Incident, events: StoredEvent[]): PostmortemReport {
  const s = incident;
  const pm = s.postmortem;
  const missing = unmetGates(s, 'closed');
  const startedAt = s.milestones.startedAt ?? s.milestones.declaredAt;
  return {
    incident: s.id,
    title: s.title,
    date: startedAt ? startedAt.slice(0, 10) : null,
    severity: s.severity,
    incidentStatus: s.status,
    duration: duration(s.milestones),
    author: pm?.author ?? null,
    state: pm?.state ?? null,
    reviewers: pm?.reviewers ?? [],
    publishedAt: pm?.publishedAt ?? null,
    publishedBy: pm?.publishedBy ?? null,
    commander: s.roles.commander,
    summary: pm?.summary || null,
    impact: pm?.impact || null,
    impactStatement: s.impact.statement,
    // Notes are working chatter; the report keeps the decisions, and the full log stays in incident-timeline.
    timeline: timelineEntries(events).filter((t) => t.type !== 'NoteAdded'),
    whys: pm?.whys ?? [],
    rootCause: pm?.rootCause || null,
    contributingFactors: pm?.contributingFactors ?? [],
    wentWell: pm?.wentWell ?? [],
    wentPoorly: pm?.wentPoorly ?? [],
    actionItems: s.actions.map((a) => ({
      id: a.id,
      action: a.title,
      owner: a.owner,
      deadline: a.dueAt,
      priority: a.priority,
      status: a.status,
      kind: a.kind ?? 'fix',
      ticketUrl: a.ticketUrl ?? null,
    })),
    lessons: pm?.lessons ?? [],
    openQuestions: s.questions.map((q) => ({
      id: q.id,
      question: q.question,
      answer: q.answer,
      actionItem: s.actions.find((a) => a.fromQuestion === q.id)?.id ?? null,
    })),
    guardrails: s.guardrails.map(({ id, what, why, removalCondition, owner }) => ({
      id,
      what,
      why,
      removalCondition,
      owner,
    })),
    noGuardrails: s.noGuardrails,
    gateOverrides: s.overrides.map(({ to, reason, by, at, unmet }) => ({ to, reason, by, at, unmet })),
    milestones: s.milestones,
    postmortemDueAt: s.postmortemDueAt,
    status: pm === null ? 'missing' : postmortemGate(s).length === 0 ? 'complete' : 'draft',
    missing,
    warnings: unwaivedWarnings(s),
    waivers: pm?.waivers ?? [],
  };
}

const NONE = 'None recorded.';
const items = (xs: readonly string[], ordered = false): Block => (xs.length ? list([...xs], ordered) : p(NONE));
const text = (x: string | null, placeholder = 'Not written yet.'): Block => p(x ?? placeholder);
const table = (head: string[], rows: Rich[][], empty: string): Block =>
  rows.length ? { kind: 'table', head, rows } : p(empty);

const STATUS_TEXT: Record<PostmortemStatus, string> = {
  missing: 'not started',
  draft: 'draft',
  complete: 'complete',
};

function postmortemDoc(r: PostmortemReport): Doc {
  const dur = r.duration
    ? `${r.duration.text} (${formatUtc(r.duration.startedAt)} → ${formatUtc(r.duration.resolvedAt)})`
    : 'not resolved';
  const review =
    r.state === 'published'
      ? `published by ${r.publishedBy ?? 'unknown'} on ${formatUtc(r.publishedAt ?? '')}`
      : r.state === 'in_review'
        ? `in review by ${r.reviewers.join(', ')}`
        : r.state === 'draft'
          ? `draft${r.reviewers.length ? `; reviewers ${r.reviewers.join(', ')}` : '; no reviewer yet'}`
          : 'not started';
  const statusText = r.missing.length
    ? `${STATUS_TEXT[r.status]}, ${r.missing.length} criteria missing before close`
    : STATUS_TEXT[r.status];
  const header: Section = {
    blocks: [
      {
        kind: 'fields',
        fields: [
          ['Incident', r.incident],
          ['Date', r.date ?? 'unknown'],
          ['Severity', r.severity ?? 'not set'],
          ['Duration', dur],
          ['Author', r.author ?? 'not written yet'],
          ['Commander', r.commander ?? 'not assigned'],
          ['Postmortem', statusText],
          ['Review', review],
          ...(r.postmortemDueAt ? [['Due', formatUtc(r.postmortemDueAt)] as [string, Rich]] : []),
        ],
      },
      p('Blameless: this report describes how the system and the response behaved, not who is at fault.'),
    ],
  };
  const impact: Block[] = [text(r.impact)];
  if (r.impactStatement && r.impactStatement !== r.impact)
    impact.push(p(`Impact statement during the incident: ${r.impactStatement}`));

  const whys: Block[] = [
    items(
      r.whys.map((w) => `Why? ${w}`),
      true,
    ),
    { kind: 'fields', fields: [['Root cause', r.rootCause ?? 'not named yet']] },
  ];

  const questions = r.openQuestions.map(
    (q) =>
      `${q.id}: ${q.question} — ${q.answer !== null ? `answered: ${q.answer}` : q.actionItem ? `tracked by ${q.actionItem}` : 'open'}`,
  );
  const guardrails = r.guardrails.length
    ? table(
        ['Guardrail', 'Why', 'Removal condition', 'Owner'],
        r.guardrails.map((g) => [`${g.id}: ${g.what}`, g.why, g.removalCondition ?? 'missing', g.owner]),
        NONE,
      )
    : p(r.noGuardrails ? 'Reviewed: no temporary guardrails needed.' : NONE);

  const sections: Section[] = [
    header,
    { title: 'Summary', blocks: [text(r.summary)] },
    { title: 'Impact', blocks: impact },
    {
      title: 'Timeline',
      blocks: [
        table(
          ['Time (UTC)', 'Actor', 'Event'],
          r.timeline.map((t) => [formatUtc(t.at), t.actor, entryDetails(t)]),
          'No events.',
        ),
      ],
    },
    { title: '5 Whys and root cause', blocks: whys },
    { title: 'Contributing factors', blocks: [items(r.contributingFactors)] },
    { title: 'What went well', blocks: [items(r.wentWell)] },
    { title: 'What went poorly', blocks: [items(r.wentPoorly)] },
    {
      title: 'Action items',
      blocks: [
        table(
          ['Action', 'Kind', 'Owner', 'Deadline', 'Priority', 'Status'],
          r.actionItems.map((a) => [
            a.ticketUrl ? [`${a.action} (${a.id}, `, link(a.ticketUrl, 'ticket'), ')'] : `${a.action} (${a.id})`,
            a.kind,
            a.owner,
            formatUtc(a.deadline),
            a.priority,
            a.status.replace('_', ' '),
          ]),
          'No action items yet: the incident cannot close without at least one.',
        ),
      ],
    },
    { title: 'Lessons', blocks: [items(r.lessons)] },
    { title: 'Open questions', blocks: [items(questions)] },
    { title: 'Guardrails', blocks: [guardrails] },
    {
      title: 'Gate overrides',
      blocks: [
        table(
          ['Time (UTC)', 'By', 'Gate', 'Reason', 'Unmet criteria'],
          r.gateOverrides.map((o) => [formatUtc(o.at), o.by, o.to, o.reason, o.unmet.map((u) => u.message).join(' ')]),
          'None: every gate was met.',
        ),
      ],
    },
  ];
  if (r.missing.length)
    sections.push({ title: 'Missing before close', blocks: [list(r.missing.map((u) => u.message))] });
  if (r.warnings.length) {
    sections.push({
      title: 'Blameless language review',
      blocks: [list(r.warnings.map((w) => `${w.field}: "${w.phrase}" in “${w.excerpt}” — ${w.suggestion}`))],
    });
  }
  if (r.waivers.length) {
    sections.push({
      title: 'Blameless warnings waived',
      blocks: [list(r.waivers.map((w) => `${w.field}: "${w.phrase}" — waived by ${w.by}: ${w.reason}`))],
    });
  }
  return { title: `Postmortem: ${r.incident} — ${r.title}`, sections };
}

/** The blameless postmortem as Markdown, sections in the blameless template order. */
export const renderPostmortemMarkdown = (r: PostmortemReport): string => renderMarkdownDoc(postmortemDoc(r));

/** The blameless postmortem as a standalone, print-friendly HTML page. */
export const renderPostmortemHtml = (r: PostmortemReport): string => renderHtmlDoc(postmortemDoc(r));
