import type { AlertLinkData, IncidentEventType, StoredEvent } from '../incident/events.js';
import type { Incident } from '../incident/state.js';
import type { Role } from '../incident/types.js';
import type { TimerKind } from '../timers/plan.js';
import { type Doc, link, linkify, renderMarkdownDoc, type Rich, type Span } from './document.js';
import { csvDocument, formatUtc, oneLine, safeHttpUrl, urlsIn } from './escape.js';

/** One row of the incident timeline: who did what, when, and the links it carries. */
export interface TimelineEntry {
  seq: number;
  at: string;
  actor: string;
  type: IncidentEventType;
  summary: string;
  links: string[];
}

const ROLE_NAMES: Record<Role, string> = {
  commander: 'incident commander',
  responder: 'technical responder',
  comms: 'communications lead',
  scribe: 'scribe',
};

/** How a timer's firing is headed on the timeline. */
const TIMER_NAMES: Record<TimerKind, string> = {
  ack: 'Acknowledgement target missed',
  update_cadence: 'Update cadence reminder',
  contain_first: 'Contain first',
  comms_lead: 'No communications lead',
  postmortem_due: 'Postmortem due',
  postmortem_overdue: 'Postmortem overdue',
  action_due: 'Action item past due',
};

const q = (s: string) => `"${s}"`;
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function assertNever(x: never): never {
  throw new Error(`unhandled event ${JSON.stringify(x)}`);
}

/** The one-line summary and the links of one event; `links` holds only http(s) URLs. */
function describe(e: StoredEvent): { summary: string; links: string[] } {
  switch (e.type) {
    case 'IncidentDeclared': {
      const { title, services, auto, startedAt } = e.data;
      const where = services.length ? ` affecting ${services.join(', ')}` : '';
      return {
        summary: `${auto ? 'Auto-declared' : 'Declared'} ${q(title)}${where}; impact started ${formatUtc(startedAt)}`,
        links: [],
      };
    }
    case 'ImpactStated': {
      const d = e.data;
      const flags = d.boundary
        ? Object.entries({
            'unsupported flow': d.boundary.unsupportedFlow,
            'coexistence seam': d.boundary.coexistenceSeam,
            'rollout boundary': d.boundary.rolloutBoundary,
          })
            .filter(([, on]) => on)
            .map(([name]) => name)
        : null;
      const extra = [
        d.usersAffected !== undefined ? `${d.usersAffected} users affected` : null,
        d.dataLoss ? 'data loss' : null,
        d.securityBreach ? 'security breach' : null,
        flags ? `boundary: ${flags.length ? flags.join(', ') : 'none flagged'}` : null,
        d.startedAt ? `started ${formatUtc(d.startedAt)}` : null,
      ].filter((x) => x !== null);
      const head = d.confirmed ? 'Impact confirmed' : 'Impact stated (unconfirmed)';
      return { summary: `${head}: ${d.statement}${extra.length ? ` (${extra.join('; ')})` : ''}`, links: [] };
    }
    case 'SeverityChanged': {
      const { from, to, reason } = e.data;
      return { summary: `${from ? `Severity ${from} → ${to}` : `Severity set to ${to}`}: ${reason}`, links: [] };
    }
    case 'RoleAssigned':
      return { summary: `${e.data.person} assigned as ${ROLE_NAMES[e.data.role]}`, links: [] };
    case 'CommanderSuggested': {
      const { person, reason } = e.data;
      return { summary: `${person} suggested as ${ROLE_NAMES.commander}: ${reason}`, links: [] };
    }
    case 'RoleUnassigned':
      return { summary: `${e.data.person} left the ${ROLE_NAMES[e.data.role]} role`, links: [] };
    case 'CommsPlanSet': {
      const c = e.data;
      return {
        summary: `Comms plan: channel ${c.channel}, decisions by ${c.decisionOwner}, updates every ${c.cadenceMinutes} min; external update when ${c.externalTrigger}`,
        links: [],
      };
    }
    case 'UpdatePosted':
      return {
        summary: `${e.data.audience === 'external' ? 'External' : 'Internal'} update: ${e.data.body}`,
        links: [],
      };
    case 'NoteAdded':
      return { summary: `Note: ${e.data.body}`, links: [] };
    case 'EvidenceAdded': {
      const { id, kind, title, url, text } = e.data;
      const href = url === undefined ? null : safeHttpUrl(url);
      const unlinked = url !== undefined && href === null ? ` (${url})` : '';
      return {
        summary: `Evidence ${id} (${kind}): ${title}${text ? ` — ${text}` : ''}${unlinked}`,
        links: href ? [href] : [],
      };
    }
    case 'MitigationDecided': {
      const m = e.data;
      if (m.kind === 'none') {
        return { summary: `Containment decision ${m.id}: none needed — ${m.action}; ${m.rationale}`, links: [] };
      }
      const mode =
        m.failClosed === true ? 'fail-closed' : m.failClosed === false ? 'fail-open' : 'fail mode not stated';
      const lever = m.lever ? ` via ${q(m.lever)}` : '';
      const why = m.failOpenReason ? `; fail-open because ${m.failOpenReason}` : '';
      const run = m.execute ? ' [execution requested]' : '';
      return {
        summary: `Mitigation ${m.id} (${m.kind}${lever}, ${mode}): ${m.action} — ${m.rationale}${why}${run}`,
        links: [],
      };
    }
    case 'LeverExecuted': {
      const d = e.data;
      const call = `${d.request.method} ${d.request.url}`;
      const answer = d.status !== undefined ? ` → ${d.status}${d.excerpt ? `: ${d.excerpt.slice(0, 200)}` : ''}` : '';
      const why = d.reason ? ` (${d.reason})` : '';
      const head =
        d.state === 'succeeded' ? 'called' : d.state === 'refused' ? 'refused by the egress guard, not called' : 'call failed';
      return { summary: `Lever ${q(d.lever)} of ${d.mitigationId} ${head}: ${call}${answer}${why}`, links: [] };
    }
    case 'LeverConfirmed': {
      const d = e.data;
      const note = d.note ? ` — ${d.note}` : '';
      return { summary: `Lever ${q(d.lever)} of ${d.mitigationId} confirmed ${d.outcome === 'done' ? 'done' : 'failed'}${note}`, links: [] };
    }
    case 'QuestionAsked':
      return { summary: `Open question ${e.data.id}: ${e.data.question}`, links: [] };
    case 'QuestionAnswered':
      return { summary: `Question ${e.data.id} answered: ${e.data.answer}`, links: [] };
    case 'GuardrailAdded': {
      const g = e.data;
      const removal = g.removalCondition ? `remove when ${g.removalCondition}` : 'no removal condition yet';
      return { summary: `Guardrail ${g.id}: ${g.what} (why: ${g.why}; ${removal}; owner ${g.owner})`, links: [] };
    }
    case 'GateOverridden': {
      const { to, reason, unmet } = e.data;
      const codes = unmet.map((u) => u.code).join(', ');
      return {
        summary: `Gate to ${to} overridden: ${reason} (${plural(unmet.length, 'unmet criterion', 'unmet criteria')}${codes ? `: ${codes}` : ''})`,
        links: [],
      };
    }
    case 'StatusChanged': {
      const { from, to, reason, noGuardrails, alertsOverride } = e.data;
      const head = to === 'investigating' ? `Re-opened: status ${from} → ${to}` : `Status ${from} → ${to}`;
      const extra = [
        reason ? reason : null,
        noGuardrails ? 'no guardrails needed' : null,
        alertsOverride ? `alerts override: ${alertsOverride}` : null,
      ].filter((x) => x !== null);
      return { summary: `${head}${extra.length ? ` (${extra.join('; ')})` : ''}`, links: [] };
    }
    case 'PostmortemWritten': {
      const pm = e.data;
      return {
        summary: `Postmortem written: ${plural(pm.whys.length, 'why', 'whys')}; root cause: ${pm.rootCause || '(none yet)'}`,
        links: [],
      };
    }
    case 'PostmortemDrafted':
      return { summary: `Postmortem drafted from the log; author ${e.data.author}`, links: [] };
    case 'PostmortemAssigned': {
      const { author, reviewers } = e.data;
      const parts = [
        author !== undefined ? `author ${author}` : null,
        reviewers !== undefined ? `reviewers ${reviewers.length ? reviewers.join(', ') : '(none)'}` : null,
      ].filter((x) => x !== null);
      return { summary: `Postmortem assigned: ${parts.join('; ')}`, links: [] };
    }
    case 'PostmortemStateChanged': {
      const { from, to, reason } = e.data;
      const words = (x: string) => x.replace('_', ' ');
      return { summary: `Postmortem ${words(from)} → ${words(to)}${reason ? ` (${reason})` : ''}`, links: [] };
    }
    case 'BlameWarningWaived':
      return { summary: `Blameless warning waived in ${e.data.field} ("${e.data.phrase}"): ${e.data.reason}`, links: [] };
    case 'ActionItemAdded': {
      const a = e.data;
      const from = a.fromQuestion ? `, from ${a.fromQuestion}` : a.fromGuardrail ? `, for ${a.fromGuardrail}` : '';
      const kind = a.kind && a.kind !== 'fix' ? `${a.kind}, ` : '';
      return {
        summary: `Action ${a.id} (${kind}${a.priority}, owner ${a.owner}, due ${formatUtc(a.dueAt)}${from}): ${a.title}`,
        links: a.ticketUrl ? [a.ticketUrl] : [],
      };
    }
    case 'ActionItemEdited': {
      const { id, changes, previous } = e.data;
      const shown = (k: string, v: unknown) => (v === null || v === undefined ? '(none)' : k === 'dueAt' ? formatUtc(String(v)) : String(v));
      const parts = Object.keys(changes).map(
        (k) => `${k} ${shown(k, previous[k as keyof typeof previous])} → ${shown(k, changes[k as keyof typeof changes])}`,
      );
      return { summary: `Action ${id} edited: ${parts.join('; ')}`, links: changes.ticketUrl ? [changes.ticketUrl] : [] };
    }
    case 'ActionItemStatusChanged':
      return { summary: `Action ${e.data.id} ${e.data.from} → ${e.data.to}`, links: [] };
    case 'AlertLinked': {
      const a = e.data;
      return { summary: `Alert linked (${a.source}, ${a.status}): ${a.summary} [${a.dedupKey}]`, links: [] };
    }
    case 'AlertStatusChanged':
      return { summary: `Alert ${e.data.alertId} ${e.data.status}`, links: [] };
    case 'AlertsRecorded':
      return { summary: alertsRecorded(e.data), links: [] };
    case 'AlertsCleared':
      return { summary: `All ${plural(e.data.count, 'linked alert')} cleared (recovery evidence)`, links: [] };
    case 'ReleaseBoundaryChanged': {
      const b = e.data.boundary;
      const head = b
        ? `Release boundary: ${b.service} ${b.version ?? b.commitSha ?? b.externalId} in ${b.environment} (${b.source} deploy ${b.externalId})`
        : 'No release boundary: no succeeded deploy of an affected service before impact';
      const n = e.data.suspects.length;
      const closest = e.data.suspects[0];
      const tail = closest
        ? `; ${plural(n, 'suspect deploy')}, closest ${closest.deploy.service} ${closest.deploy.version ?? closest.deploy.externalId} ${closest.minutesBeforeImpact} min before impact`
        : '; no suspect deploys';
      const links = [b?.url, ...e.data.suspects.map((x) => x.deploy.url)].filter((u): u is string => !!u);
      return { summary: head + tail, links: [...new Set(links)] };
    }
    case 'TimerFired':
      return { summary: `${TIMER_NAMES[e.data.kind]}: ${e.data.message}`, links: [] };
    default:
      return assertNever(e);
  }
}

/** How many alerts a batch line names before "and N more": the line stays short whatever the batch. */
const NAMED_ALERTS = 3;
const SUMMARY_CHARS = 80;

const thousands = (n: number) => String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
const clip = (s: string) => (s.length > SUMMARY_CHARS ? `${s.slice(0, SUMMARY_CHARS - 1)}…` : s);

function named(alerts: readonly AlertLinkData[]): string {
  const shown = alerts.slice(0, NAMED_ALERTS).map((a) => clip(a.summary));
  const more = alerts.length - shown.length;
  return `${shown.join('; ')}${more > 0 ? `; and ${thousands(more)} more` : ''}`;
}

function byStatus(alerts: readonly AlertLinkData[], firingWord: string): string {
  const firing = alerts.filter((a) => a.status === 'firing').length;
  const resolved = alerts.length - firing;
  return [firing && `${thousands(firing)} ${firingWord}`, resolved && `${thousands(resolved)} resolved`].filter(Boolean).join(', ');
}

/** One ingest batch on one line: a single alert as before batches, else counts and the first few summaries. */
function alertsRecorded({ linked, changed }: { linked: AlertLinkData[]; changed: AlertLinkData[] }): string {
  const [one] = linked.length + changed.length === 1 ? [...linked, ...changed] : [];
  if (one && linked.length) return `Alert linked (${one.source}, ${one.status}): ${one.summary} [${one.dedupKey}]`;
  if (one) return `Alert ${one.status === 'firing' ? 'firing again' : 'resolved'}: ${one.summary} [${one.dedupKey}]`;
  const parts = [];
  if (linked.length) {
    parts.push(`Linked ${thousands(linked.length)} alert${linked.length === 1 ? '' : 's'} (${byStatus(linked, 'firing')}): ${named(linked)}`);
  }
  if (changed.length) {
    parts.push(`${thousands(changed.length)} changed status (${byStatus(changed, 'firing again')}): ${named(changed)}`);
  }
  return parts.join(' · ');
}

/** One human line per event, exhaustive over every event type; `prev` lets a status change name the override before it. */
export function timelineEntry(e: StoredEvent, prev?: StoredEvent): TimelineEntry {
  const d = describe(e);
  let summary = d.summary;
  if (e.type === 'StatusChanged' && prev?.type === 'GateOverridden' && prev.data.to === e.data.to) {
    summary += ` (override: ${prev.data.reason})`;
  }
  const links = [...new Set([...d.links, ...urlsIn(summary)])];
  return { seq: e.seq, at: e.at, actor: e.actor, type: e.type, summary: oneLine(summary), links };
}

/** The entries of a whole log, in order. */
export const timelineEntries = (events: readonly StoredEvent[]): TimelineEntry[] =>
  events.map((e, i) => timelineEntry(e, i > 0 ? events[i - 1] : undefined));

/** The Details cell: the summary with its URLs linked, then the links it does not already show. */
export function entryDetails(t: TimelineEntry): Rich {
  const inline = urlsIn(t.summary);
  const extra = t.links.filter((u) => !inline.includes(u));
  return [...linkify(t.summary), ...extra.flatMap((u): Span[] => [' ', link(u)])];
}

/** The incident's full timeline as a Markdown table, times in UTC. */
export function renderTimelineMarkdown(incident: Incident, events: StoredEvent[]): string {
  const doc: Doc = {
    title: `${incident.id} — ${incident.title}: timeline`,
    sections: [
      {
        blocks: [
          {
            kind: 'table',
            head: ['Time (UTC)', 'Actor', 'Event', 'Details'],
            rows: timelineEntries(events).map((t) => [formatUtc(t.at), t.actor, t.type, entryDetails(t)]),
          },
        ],
      },
    ],
  };
  return renderMarkdownDoc(doc);
}

/** The incident's full timeline as RFC 4180 CSV, safe to open in a spreadsheet. */
export function renderTimelineCsv(_incident: Incident, events: StoredEvent[]): string {
  const rows = timelineEntries(events).map((t) => [t.seq, t.at, t.actor, t.type, t.summary, t.links.join(' ')]);
  return csvDocument([['seq', 'at', 'actor', 'type', 'summary', 'links'], ...rows]);
}
