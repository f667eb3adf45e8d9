import type { Severity } from '../incident/types.js';
import type { PublicNotification } from './statuspage.js';

/** The events worth a message, as the message names them. */
export const NOTIFICATION_KINDS = [
  'declared',
  'severity_changed',
  'role_assigned',
  'status_changed',
  'external_update',
  'timer_fired',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

/** The incident as a message shows it (after the events of its transaction). */
export interface NotifiedIncident {
  id: string;
  number: number;
  title: string;
  severity: Severity | null;
  status: string;
  services: string[];
  commander: string | null;
}

/**
 * One message about one event, in plain text: every string here may hold untrusted text (titles, reasons,
 * update bodies), and each formatter escapes it for its own format.
 */
export interface Notification {
  kind: NotificationKind;
  /** The event's type and its seq in the incident's log: together the message's identity. */
  event: string;
  seq: number;
  at: string;
  actor: string;
  incident: NotifiedIncident;
  /** One line saying what happened, without the incident's id and title. */
  summary: string;
  /** Longer text (an update's body, a timer's message), or null. */
  detail: string | null;
  fields: { label: string; value: string }[];
}

/** What formatting needs besides the message: where the room is. */
export interface FormatContext {
  /** FIREBREAK_PUBLIC_URL without a trailing slash, or null when unset (then no links). */
  publicUrl: string | null;
}

/** The room's URL, or null without a public URL. */
export const roomUrl = (ctx: FormatContext, n: Notification): string | null =>
  ctx.publicUrl === null ? null : `${ctx.publicUrl}/incidents/${n.incident.id}`;

/** `[SEV1] INC-4 Checkout fails`: the incident as a headline, plain text. */
export const headline = (n: Notification): string =>
  `${n.incident.severity ? `[${n.incident.severity}] ` : ''}${n.incident.id} ${n.incident.title}`;

/** The complete message as plain text (Slack's fallback, ntfy's body, the mail's text part). */
export function plainText(n: Notification, ctx: FormatContext): string {
  const lines = [`${headline(n)}: ${n.summary}`];
  if (n.detail) lines.push('', n.detail);
  if (n.fields.length > 0) lines.push('', ...n.fields.map((f) => `${f.label}: ${f.value}`));
  const url = roomUrl(ctx, n);
  if (url) lines.push('', url);
  return lines.join('\n');
}

/** A row of the outbox: a message for the teams' targets, or one for status page subscribers. */
export type OutboxMessage = Notification | PublicNotification;

/** Whether an outbox message is for status page subscribers (never for a team's targets). */
export const isPublicMessage = (m: OutboxMessage): m is PublicNotification =>
  m.kind === 'public_incident' || m.kind === 'public_component';
