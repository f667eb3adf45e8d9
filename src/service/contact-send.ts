import { isEgressRefused } from '../domain/errors.js';
import { cut, escapeSlack, oneLine } from '../domain/notifications/escape.js';
import type { ServiceDeps } from './deps.js';
import { signWebhook, smtpTransport } from './outbox.js';
import { httpGateway, type PhoneProvider } from './phone-provider.js';
import type { ContactMethodType } from './ports.js';

/** A contact method with its configuration decrypted, for sending. */
export interface OpenContactMethod {
  id: string;
  person: string;
  type: ContactMethodType;
  label: string;
  url: string | null;
  token: string | null;
  address: string | null;
  to: string | null;
  secret: string | null;
}

/** A message to one person: a title and plain text. */
export interface ContactMessage {
  /** The message's identity (a receiver drops a redelivery by it). */
  id: string;
  /** The Standard Webhooks `type` of a webhook's payload. */
  event: string;
  title: string;
  text: string;
  /** What a webhook's `data` carries besides the text. */
  data: Record<string, unknown>;
}

export interface SendOptions {
  smtp?: { url: string; from: string };
  timeoutMs?: number;
  /** The SMS and voice provider; the generic HTTP gateway unless given. */
  phone?: PhoneProvider;
}

/** How a send went: `refused` is the egress guard's refusal, `failed` anything else; never a secret in `error`. */
export interface SendOutcome {
  outcome: 'sent' | 'failed' | 'refused';
  error: string | null;
}

/** Sends one message to one contact method through the egress guard; answers the outcome, never throws. */
export async function sendToContact(
  deps: Pick<ServiceDeps, 'egress' | 'clock'>,
  m: OpenContactMethod,
  msg: ContactMessage,
  opts: SendOptions = {},
): Promise<SendOutcome> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const secrets = [m.url, m.token, m.secret].filter((s): s is string => s !== null);
  try {
    await send(deps, m, msg, { ...opts, timeoutMs });
    return { outcome: 'sent', error: null };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    return { outcome: isEgressRefused(err) ? 'refused' : 'failed', error: cut(redact(message, secrets), 300) };
  }
}

async function send(deps: Pick<ServiceDeps, 'egress' | 'clock'>, m: OpenContactMethod, msg: ContactMessage, opts: SendOptions & { timeoutMs: number }) {
  if (m.type === 'email') return sendMail(deps, m, msg, opts);
  if (m.url === null) throw new Error('the contact method has no url');
  if (m.type === 'sms' || m.type === 'voice') {
    if (m.to === null) throw new Error('the contact method has no number');
    const phone = opts.phone ?? httpGateway(deps.egress, opts.timeoutMs);
    return phone.send({ url: m.url, token: m.token, to: m.to }, { channel: m.type, body: `${msg.title}: ${msg.text}` });
  }
  const headers: Record<string, string> = { 'webhook-id': msg.id };
  let body: string;
  switch (m.type) {
    case 'ntfy':
      // The same publish as an ntfy target's: plain text, a Title, Priority and Tags, an optional bearer token.
      body = cut(msg.text, 4000);
      Object.assign(headers, {
        'content-type': 'text/plain; charset=utf-8',
        Title: oneLine(msg.title).replace(/[^\x20-\x7e]/g, '?'),
        Priority: '3',
        Tags: msg.event,
        ...(m.token !== null && { authorization: `Bearer ${m.token}` }),
      });
      break;
    case 'slack':
      headers['content-type'] = 'application/json';
      body = JSON.stringify({
        text: `${escapeSlack(oneLine(msg.title))}: ${escapeSlack(msg.text)}`,
        blocks: [{ type: 'section', text: { type: 'mrkdwn', text: cut(`*${escapeSlack(oneLine(msg.title))}*\n${escapeSlack(msg.text)}`, 3000) } }],
      });
      break;
    case 'webhook': {
      headers['content-type'] = 'application/json';
      // One reading of the clock: the signed header and the payload's timestamp must not straddle a second.
      const now = deps.clock.now();
      const timestamp = String(Math.floor(Date.parse(now) / 1000));
      body = JSON.stringify({ type: msg.event, timestamp: now, data: { ...msg.data, title: msg.title, text: msg.text } });
      headers['webhook-timestamp'] = timestamp;
      if (m.secret !== null) headers['webhook-signature'] = signWebhook(m.secret, msg.id, timestamp, body);
      break;
    }
  }
  const res = await deps.egress.send({ url: m.url, method: 'POST', headers, body, timeoutMs: opts.timeoutMs });
  if (res.status < 200 || res.status >= 300) throw new Error(`HTTP ${res.status}`);
}

async function sendMail(deps: Pick<ServiceDeps, 'egress'>, m: OpenContactMethod, msg: ContactMessage, opts: SendOptions & { timeoutMs: number }) {
  const smtp = opts.smtp;
  if (!smtp) throw new Error('FIREBREAK_SMTP_URL is not set');
  if (m.address === null) throw new Error('the contact method has no address');
  const { transport, url } = await smtpTransport(deps.egress, smtp.url, opts.timeoutMs);
  try {
    await transport.sendMail({
      from: smtp.from,
      to: m.address,
      subject: cut(oneLine(msg.title), 200),
      text: msg.text,
      headers: { 'X-Firebreak-Message': msg.id },
    });
  } catch (err) {
    throw new Error(`SMTP: ${redact(err instanceof Error ? err.message : String(err), [smtp.url, decodeURIComponent(url.password)])}`, { cause: err });
  } finally {
    transport.close();
  }
}

/** A message without any of `secrets`, nor a URL's path, query or credentials. */
function redact(message: string, secrets: readonly string[]): string {
  let out = message;
  for (const s of secrets) {
    const pieces = [s];
    if (URL.canParse(s)) {
      const u = new URL(s);
      pieces.push(u.href, `${u.pathname}${u.search}`, u.password, u.username);
    }
    for (const piece of pieces) if (piece && piece.length > 1) out = out.split(piece).join('…');
  }
  return out;
}
