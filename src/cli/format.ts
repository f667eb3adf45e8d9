import type { IncidentAnswer, IncidentSummary, TokenInfo, UserInfo } from '../client/index.js';
import { STATUS_GATE_FLAGS, withFlagNames } from './fields.js';

// C0/C1 controls (ANSI escapes) and bidi overrides: untrusted text must not drive the terminal.
const UNSAFE = /(?![\t\n\r])[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;
const UNSAFE_INLINE = /[\p{Cc}\u2028\u2029\u202a-\u202e\u2066-\u2069]/gu;

/** Multi-line text made safe for a terminal; newlines and tabs survive. */
export const cleanText = (s: string) => s.replace(UNSAFE, '\uFFFD');

/** One-line text made safe for a terminal: every control character becomes a space. */
export const cleanLine = (s: string) => s.replace(UNSAFE_INLINE, ' ');

/** At most `max` characters, an ellipsis marking the cut. */
export const truncate = (s: string, max: number) => (s.length <= max ? s : `${s.slice(0, max - 1)}…`);

/** Columns padded to their widest cell, two spaces apart, no trailing blanks. */
export function formatTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const cells = [headers, ...rows].map((r) => headers.map((_, i) => cleanLine(r[i] ?? '')));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}

/** Minutes as people read them: `2.5m`, `45m`, `1h30m`, `2d4h`; `-` without samples. */
export function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '-';
  if (minutes < 60) return `${minutes}m`;
  const whole = Math.round(minutes);
  const hours = Math.floor(whole / 60);
  if (hours < 24) return `${hours}h${String(whole % 60).padStart(2, '0')}m`;
  return `${Math.floor(hours / 24)}d${hours % 24}h`;
}

/** Compact elapsed time: `45s`, `12m`, `3h05m`, `2d4h`. */
export function formatAge(fromIso: string | null | undefined, now: Date): string {
  if (!fromIso) return '-';
  const ms = now.getTime() - Date.parse(fromIso);
  if (!Number.isFinite(ms)) return '-';
  const s = Math.max(0, Math.floor(ms / 1000));
  return s < 60 ? `${s}s` : formatMinutes(Math.floor(s / 60));
}

/** The `ls` table: ID, SEV, STATUS, TITLE, COMMANDER, AGE. */
export function formatIncidentTable(rows: readonly IncidentSummary[], now: Date): string {
  if (rows.length === 0) return 'No incidents.';
  return formatTable(
    ['ID', 'SEV', 'STATUS', 'TITLE', 'COMMANDER', 'AGE'],
    rows.map((r) => [
      r.id,
      r.severity ?? '-',
      r.status,
      truncate(r.title, 60),
      r.commander ?? '-',
      formatAge(r.declaredAt, now),
    ]),
  );
}

const orDash = (s: string | null | undefined) => (s === null || s === undefined || s === '' ? '-' : s);

function countsLine(inc: IncidentAnswer): string {
  const openQuestions = inc.questions.filter((q) => q.answer === null).length;
  const openActions = inc.actions.filter((a) => a.status !== 'done').length;
  return [
    `mitigations ${inc.mitigations.length}`,
    `evidence ${inc.evidence.length}`,
    `questions ${openQuestions} open/${inc.questions.length}`,
    `guardrails ${inc.guardrails.length}`,
    `updates ${inc.updates.length}`,
    `notes ${inc.noteCount}`,
    `actions ${openActions} open/${inc.actions.length}`,
    `alerts ${inc.alertCounts.firing} firing/${inc.alertCounts.total}`,
  ].join(' · ');
}

/** The `show` block: what a responder needs to see at a glance. */
export function formatIncident(inc: IncidentAnswer, now: Date): string {
  const m = inc.milestones;
  const sev = inc.severityHistory.at(-1);
  const impact = inc.impact.statement
    ? `${inc.impact.statement} (${inc.impact.confirmed ? 'confirmed' : 'unconfirmed'})`
    : '-';
  const boundary = inc.impact.boundary;
  const flags = boundary
    ? [
        boundary.unsupportedFlow && 'unsupported flow',
        boundary.coexistenceSeam && 'coexistence seam',
        boundary.rolloutBoundary && 'rollout boundary',
      ].filter(Boolean)
    : [];
  const r = inc.roles;
  const roles = [
    `commander ${orDash(r.commander)}`,
    `responders ${r.responders.length ? r.responders.join(', ') : '-'}`,
    `comms ${orDash(r.comms)}`,
    `scribe ${orDash(r.scribe)}`,
  ].join(' · ');
  const comms = inc.comms
    ? `${inc.comms.channel}, decision owner ${inc.comms.decisionOwner}, every ${inc.comms.cadenceMinutes} min; external when: ${inc.comms.externalTrigger}`
    : '-';
  const fields: [string, string][] = [
    ['status', inc.status],
    ['severity', inc.severity ? `${inc.severity}${sev ? ` (${sev.reason})` : ''}` : '-'],
    ['impact', impact],
    ...(flags.length ? [['boundary', flags.join(', ')] as [string, string]] : []),
    ['services', inc.services.length ? inc.services.join(', ') : '-'],
    ['roles', roles],
    ...(inc.suggestedCommander && r.commander === null
      ? [['suggested', `commander ${inc.suggestedCommander.person}: ${inc.suggestedCommander.reason} (assign ${inc.id} commander --suggested)`] as [string, string]]
      : []),
    ['comms', comms],
    ['declared', m.declaredAt ? `${m.declaredAt} (${formatAge(m.declaredAt, now)} ago)` : '-'],
    ...(m.mitigatedAt ? [['mitigated', m.mitigatedAt] as [string, string]] : []),
    ...(m.resolvedAt ? [['resolved', m.resolvedAt] as [string, string]] : []),
    ...(inc.postmortemDueAt ? [['pm due', inc.postmortemDueAt] as [string, string]] : []),
    ...(m.closedAt ? [['closed', m.closedAt] as [string, string]] : []),
    ['counts', countsLine(inc)],
  ];
  const gate = inc.nextGate;
  if (gate) {
    fields.push(['next gate', gate.unmet.length ? `${gate.to}: ${gate.unmet.map((u) => u.code).join(', ')}` : `${gate.to}: ready`]);
  }
  const lines = [`${inc.id}  ${cleanLine(inc.title)}`, ...fields.map(([k, v]) => `  ${k.padEnd(10)} ${cleanLine(v)}`)];
  for (const u of gate?.unmet ?? []) lines.push(`    - ${cleanLine(withFlagNames(u.message, STATUS_GATE_FLAGS))}`);
  for (const w of inc.warnings ?? []) lines.push(`  warning    ${cleanLine(w.message)}`);
  lines.push(`  version    ${inc.version}`);
  return lines.join('\n');
}

/** One line after a successful command: what changed and where the incident stands. */
export function formatChange(inc: IncidentAnswer, what: string): string {
  return `${inc.id}: ${cleanLine(what)}  [${inc.status} · ${inc.severity ?? 'no severity'} · v${inc.version}]`;
}

/** The `token ls` table. */
export function formatTokenTable(rows: readonly TokenInfo[]): string {
  if (rows.length === 0) return 'No tokens.';
  return formatTable(
    ['ID', 'NAME', 'ROLE', 'CREATED', 'REVOKED'],
    rows.map((t) => [t.id, t.name, t.role, t.createdAt, orDash(t.revokedAt)]),
  );
}

/** The `user ls` table. */
export function formatUserTable(rows: readonly UserInfo[]): string {
  if (rows.length === 0) return 'No users.';
  return formatTable(
    ['ID', 'USERNAME', 'ROLE', 'CREATED'],
    rows.map((u) => [u.id, u.username, u.role, u.createdAt]),
  );
}
