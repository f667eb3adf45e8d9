import { createHash, createHmac } from 'node:crypto';
import { createTransport } from 'nodemailer';
import type { Config } from '../config.js';
import { isEgressRefused } from '../domain/errors.js';
import { findService, ownerOf } from '../domain/catalog/queries.js';
import type { Catalog } from '../domain/catalog/types.js';
import {
  emailThread,
  formatEmail,
  formatMattermost,
  formatNtfy,
  formatSlack,
  formatTeams,
  formatStatuspage,
  formatWebhook,
  isPublicMessage,
  mayChangePublic,
  notificationsFor,
  publicNotificationsFor,
  type FormatContext,
  type Notification,
  type StatuspageContext,
} from '../domain/notifications/index.js';
import type { StatusPageSettings } from '../domain/status/types.js';
import type { ServiceDeps } from './deps.js';
import type { Draft } from './incident-log.js';
import { openTarget, targetKey, type OpenTarget } from './notification-targets.js';
import type {
  DeliveryFilter,
  DeliveryRecord,
  DeliveryState,
  DeliveryUpdate,
  Egress,
  NotificationMessageRecord,
  NotificationTargetRecord,
  NotificationTargetType,
  OutboundRequest,
  StoreTx,
} from './ports.js';

/**
 * Writes the messages a draft's events are worth, in the draft's own transaction: they commit with
 * the events or not at all (the transactional outbox). Called once, from `appendDraft`. Besides the
 * teams' messages, events that change what the public status page shows of the incident write the
 * subscribers' messages, compared against the public services of the catalog in force.
 */
export async function enqueueNotifications(tx: Pick<StoreTx, 'enqueueNotificationMessages' | 'currentCatalog'>, draft: Draft): Promise<void> {
  const row = (id: string, seq: number, message: NotificationMessageRecord['message']): NotificationMessageRecord => ({
    id,
    incident: draft.number,
    seq,
    severity: draft.state.severity,
    services: [...draft.state.services],
    message,
    createdAt: message.at,
  });
  const rows = notificationsFor(draft.base, draft.events, draft.state).map((n) => row(`${draft.number}-${n.seq}`, n.seq, n));
  if (mayChangePublic(draft.events)) {
    const record = await tx.currentCatalog();
    const catalog = record ? { services: record.catalog.services, systems: record.catalog.systems, appliedAt: record.appliedAt } : null;
    for (const p of publicNotificationsFor(draft.base, draft.events, draft.state, catalog)) {
      const suffix = p.change === null ? 'incident' : `c-${p.change.component}`;
      rows.push(row(`${draft.number}-${p.seq}-${suffix}`, p.seq, p));
    }
  }
  if (rows.length > 0) await tx.enqueueNotificationMessages(rows);
}

export interface OutboxOptions {
  publicUrl?: string;
  /** Target names SEV1 and SEV2 incidents also go to. */
  defaults?: readonly string[];
  secretKey?: Buffer;
  smtp?: { url: string; from: string };
  /** The public status page's settings: what subscriber bodies call the page and link to. */
  status?: StatusPageSettings;
  /** In [0, 1): the jitter's source (tests pass their own). */
  random?: () => number;
  /** Deliveries claimed per run. */
  batch?: number;
  leaseMs?: number;
  timeoutMs?: number;
  /** The pause between runs that found nothing to do. */
  intervalMs?: number;
  maxAttempts?: number;
  baseDelayMs?: number;
  maxDelayMs?: number;
}

/** The worker's options from the configuration. */
export function outboxOptions(config: Pick<Config, 'publicUrl' | 'notifications' | 'status'>): OutboxOptions {
  const n = config.notifications;
  const { title, url, supportUrl, defaultIncidentTitle } = config.status;
  return {
    ...(config.publicUrl !== undefined && { publicUrl: config.publicUrl }),
    status: { title, url, supportUrl, defaultIncidentTitle },
    defaults: n.defaults,
    ...(n.secretKey && { secretKey: n.secretKey }),
    ...(n.smtpUrl !== undefined && { smtp: { url: n.smtpUrl, from: n.mailFrom } }),
  };
}

/** One finished attempt, for metrics. */
export interface DeliveryOutcome {
  target: string;
  type: NotificationTargetType;
  outcome: 'sent' | 'retry' | 'failed' | 'refused';
}

export interface RunResult {
  routed: number;
  attempted: number;
  sent: number;
  retrying: number;
  failed: number;
  refused: number;
}

const DEFAULTS = {
  batch: 50,
  leaseMs: 60_000,
  timeoutMs: 10_000,
  intervalMs: 1_000,
  maxAttempts: 20,
  baseDelayMs: 5_000,
  maxDelayMs: 10 * 60_000,
};

const MAJOR = new Set(['SEV1', 'SEV2']);
const hash = (s: string) => createHash('sha256').update(s).digest('hex').slice(0, 16);
const addMs = (iso: string, ms: number) => new Date(Date.parse(iso) + ms).toISOString();

/** A failed attempt: whether another could succeed, and what to record (never a secret). */
class AttemptError extends Error {
  constructor(
    message: string,
    readonly retry: boolean,
  ) {
    super(message);
  }
}

/** The delay before attempt `attempts + 1`: exponential, capped, with "equal jitter" (half fixed, half random). */
export function backoffMs(attempts: number, random: number, base: number, max: number): number {
  const delay = Math.min(max, base * 2 ** Math.max(0, attempts - 1));
  return Math.round(delay / 2 + (random * delay) / 2);
}

/**
 * The outbox worker: routes written messages to their targets, then delivers due deliveries, each
 * claimed under a lease, retrying with back-off. `runOnce` is one pass (tests drive it); `start` runs
 * passes until `stop`.
 */
export class OutboxWorker {
  readonly owner: string;
  private readonly o: typeof DEFAULTS & OutboxOptions;
  private readonly random: () => number;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private stopped = true;
  private again = false;
  private unsubscribe: (() => void) | undefined;
  private readonly observers: ((o: DeliveryOutcome) => void)[] = [];
  private key: Buffer | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    options: OutboxOptions = {},
  ) {
    this.o = { ...DEFAULTS, ...options };
    this.random = options.random ?? Math.random;
    this.owner = `outbox-${deps.ids.next()}`;
  }

  /** Hears every finished attempt (metrics). */
  observe(fn: (o: DeliveryOutcome) => void): void {
    this.observers.push(fn);
  }

  private get ctx(): FormatContext {
    return { publicUrl: this.o.publicUrl ?? null };
  }

  /** The page subscribers read: its own address, else Firebreak's /status. */
  private get statusCtx(): StatuspageContext {
    const s = this.o.status;
    const url = s?.url ?? (this.o.publicUrl ? `${this.o.publicUrl}/status` : null);
    return {
      title: s?.title ?? 'Status',
      url: url === null ? null : url.replace(/\/+$/, ''),
      defaultIncidentTitle: s?.defaultIncidentTitle ?? 'We are investigating an issue',
    };
  }

  /** One pass: route every unrouted message (in pages), then claim and deliver one batch. */
  async runOnce(): Promise<RunResult> {
    const result: RunResult = { routed: 0, attempted: 0, sent: 0, retrying: 0, failed: 0, refused: 0 };
    result.routed = await this.route();
    const now = this.deps.clock.now();
    const claimed = await this.deps.store.claimDeliveries({
      now,
      until: addMs(now, this.o.leaseMs),
      owner: this.owner,
      limit: this.o.batch,
    });
    result.attempted = claimed.length;
    const outcomes = await Promise.all(claimed.map((d) => this.deliver(d)));
    for (const o of outcomes) {
      if (o === 'sent') result.sent++;
      else if (o === 'retry') result.retrying++;
      else if (o === 'failed') result.failed++;
      else if (o === 'refused') result.refused++;
    }
    return result;
  }

  /** Runs passes until stopped: at once after a busy pass or a new commit, else every intervalMs. */
  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.unsubscribe = this.deps.store.onChange((c) => {
      if (c.kind === 'incident') this.kick();
    });
    this.schedule(0);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
    await this.running?.catch(() => undefined);
  }

  private kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const run = this.runOnce().then(
        (r) => r.attempted >= this.o.batch || r.routed > 0,
        (err: unknown) => {
          this.deps.log.error({ err: err instanceof Error ? err.message : String(err) }, 'outbox pass failed');
          return false;
        },
      );
      this.running = run;
      void run.then((busy) => {
        this.running = undefined;
        const again = this.again || busy;
        this.again = false;
        this.schedule(again ? 0 : this.o.intervalMs);
      });
    }, ms);
    this.timer.unref();
  }

  private async secretKey(): Promise<Buffer> {
    return (this.key ??= await targetKey(this.deps.store, this.o.secretKey));
  }

  /** Turns messages into deliveries: the owning teams' targets of the incident's services, and the defaults for SEV1/SEV2. */
  private async route(): Promise<number> {
    const store = this.deps.store;
    let routed = 0;
    let catalog: Catalog | undefined | null = null;
    // Targets by name, and the status page subscribers, looked up once per pass.
    const known = new Map<string, NotificationTargetRecord | null>();
    let subscribers: NotificationTargetRecord[] | undefined;
    for (;;) {
      const messages = await store.unroutedMessages(100);
      if (messages.length === 0) return routed;
      if (catalog === null) catalog = (await store.currentCatalog())?.catalog;
      const batch = [];
      for (const m of messages) {
        if (isPublicMessage(m.message)) {
          subscribers ??= (await store.listNotificationTargets()).filter((t) => t.type === 'statuspage');
          batch.push({ messageId: m.id, deliveries: subscribers.map((t) => this.row(m, t.id, { id: t.id, name: t.name, type: t.type, inline: null })) });
        } else batch.push({ messageId: m.id, deliveries: await this.deliveriesFor(m, catalog, known) });
      }
      await store.routeMessages(batch, this.deps.clock.now());
      routed += messages.length;
      if (messages.length < 100) return routed;
    }
  }

  private async deliveriesFor(
    m: NotificationMessageRecord,
    catalog: Catalog | undefined,
    known: Map<string, NotificationTargetRecord | null>,
  ): Promise<DeliveryRecord[]> {
    const names = new Set<string>();
    const inline = new Map<string, { type: NotificationTargetType; url?: string; address?: string; name: string }>();
    for (const name of m.services) {
      const service = catalog && findService(catalog, name);
      const team = service && ownerOf(catalog, service).team;
      for (const n of team?.notify ?? []) {
        if ('target' in n) names.add(n.target);
        else {
          const where = 'url' in n ? n.url : n.address;
          const key = `inline-${hash(`${n.type}\n${where}`)}`;
          inline.set(key, { type: n.type, ...('url' in n ? { url: n.url } : { address: n.address }), name: `${team?.name}/${n.type}` });
        }
      }
    }
    if (m.severity !== null && MAJOR.has(m.severity)) for (const d of this.o.defaults ?? []) names.add(d);
    const missing = [...names].filter((n) => !known.has(n));
    if (missing.length > 0) {
      const got = await this.deps.store.findNotificationTargetsByName(missing);
      for (const n of missing) known.set(n, got.find((t) => t.name === n) ?? null);
    }
    const row = (...args: DeliveryRowArgs) => this.row(m, ...args);
    const out: DeliveryRecord[] = [];
    for (const name of names) {
      const t = known.get(name);
      // A subscriber's webhook gets the public messages only, whatever a team's notify list says.
      if (t?.type === 'statuspage') continue;
      if (t) out.push(row(t.id, { id: t.id, name: t.name, type: t.type, inline: null }));
      else {
        this.deps.log.warn({ target: name, incident: m.incident }, 'notification target not registered');
        out.push(
          row(`missing-${hash(name)}`, { id: null, name, type: 'webhook', inline: null }, 'failed', `no notification target is named ${name}`),
        );
      }
    }
    for (const [key, t] of inline) {
      out.push(row(key, { id: null, name: t.name, type: t.type, inline: t.url !== undefined ? { url: t.url } : { address: t.address } }));
    }
    return out;
  }

  private row(m: NotificationMessageRecord, ...[targetKey, t, state = 'pending', lastError = null]: DeliveryRowArgs): DeliveryRecord {
    return {
      id: `msg_${m.id}_${targetKey}`,
      messageId: m.id,
      incident: m.incident,
      event: m.message.event,
      message: m.message,
      targetKey,
      targetId: t.id,
      targetName: t.name,
      targetType: t.type,
      targetInline: t.inline,
      state,
      attempts: 0,
      nextAttemptAt: this.deps.clock.now(),
      lastError,
      deliveredAt: null,
      createdAt: m.createdAt,
    };
  }

  /** One attempt at one claimed delivery; records its outcome. */
  private async deliver(d: DeliveryRecord): Promise<DeliveryOutcome['outcome'] | 'lost'> {
    const attempts = d.attempts + 1;
    let update: DeliveryUpdate;
    let outcome: DeliveryOutcome['outcome'];
    try {
      const target = await this.targetOf(d);
      await this.send(d, target);
      outcome = 'sent';
      update = { state: 'sent', attempts, nextAttemptAt: d.nextAttemptAt, lastError: null, deliveredAt: this.deps.clock.now() };
    } catch (err) {
      const now = this.deps.clock.now();
      const message = err instanceof Error ? err.message : String(err);
      if (isEgressRefused(err)) {
        outcome = 'refused';
        update = { state: 'refused', attempts, nextAttemptAt: now, lastError: message, deliveredAt: null };
      } else if (err instanceof AttemptError && !err.retry) {
        outcome = 'failed';
        update = { state: 'failed', attempts, nextAttemptAt: now, lastError: message, deliveredAt: null };
      } else if (attempts >= this.o.maxAttempts) {
        outcome = 'failed';
        update = { state: 'failed', attempts, nextAttemptAt: now, lastError: `gave up after ${attempts} attempts: ${message}`, deliveredAt: null };
      } else {
        outcome = 'retry';
        const next = addMs(now, backoffMs(attempts, this.random(), this.o.baseDelayMs, this.o.maxDelayMs));
        update = { state: 'pending', attempts, nextAttemptAt: next, lastError: message, deliveredAt: null };
      }
      const level = outcome === 'retry' ? 'warn' : 'error';
      this.deps.log[level](
        { delivery: d.id, incident: d.incident, target: d.targetName, type: d.targetType, attempts, error: update.lastError, nextAttemptAt: update.nextAttemptAt },
        outcome === 'retry' ? 'notification delivery failed; will retry' : `notification ${outcome}`,
      );
    }
    if (!(await this.deps.store.finishDelivery(d.id, this.owner, update))) return 'lost';
    for (const fn of this.observers) fn({ target: d.targetName, type: d.targetType, outcome });
    return outcome;
  }

  private async targetOf(d: DeliveryRecord): Promise<OpenTarget> {
    if (d.targetId === null) {
      return { id: d.targetKey, name: d.targetName, type: d.targetType, url: d.targetInline?.url ?? null, address: d.targetInline?.address ?? null, token: null, secret: null };
    }
    const record = await this.deps.store.findNotificationTarget(d.targetId);
    if (!record) throw new AttemptError(`the target ${d.targetName} was deleted`, false);
    return openTarget(await this.secretKey(), record);
  }

  private async send(d: DeliveryRecord, t: OpenTarget): Promise<void> {
    const m = d.message;
    // Routing keeps the two apart; a row that mixes them (a target re-registered under another type) is never sent.
    if (isPublicMessage(m) !== (t.type === 'statuspage')) throw new AttemptError(`the target ${t.name} does not take this message`, false);
    if (t.type === 'email') return this.sendMail(d, m as Notification, t);
    if (!t.url) throw new AttemptError(`the target ${t.name} has no url`, false);
    const json = (body: unknown): Pick<OutboundRequest, 'body' | 'headers'> => ({
      body: JSON.stringify(body),
      headers: { 'content-type': 'application/json' },
    });
    const sign = (r: Pick<OutboundRequest, 'body' | 'headers'>) => {
      const timestamp = String(Math.floor(Date.parse(this.deps.clock.now()) / 1000));
      r.headers['webhook-id'] = d.id;
      r.headers['webhook-timestamp'] = timestamp;
      if (t.secret) r.headers['webhook-signature'] = signWebhook(t.secret, d.id, timestamp, r.body ?? '');
    };
    let req: Pick<OutboundRequest, 'body' | 'headers'>;
    const n = m as Notification;
    switch (t.type) {
      case 'slack':
        req = json(formatSlack(n, this.ctx));
        break;
      case 'mattermost':
        req = json(formatMattermost(n, this.ctx));
        break;
      case 'teams':
        req = json(formatTeams(n, this.ctx));
        break;
      case 'ntfy': {
        const { body, headers } = formatNtfy(n, this.ctx);
        req = { body, headers: { 'content-type': 'text/plain; charset=utf-8', ...headers, ...(t.token && { authorization: `Bearer ${t.token}` }) } };
        break;
      }
      case 'webhook':
        req = json(formatWebhook(n, this.ctx));
        sign(req);
        break;
      case 'statuspage':
        if (!isPublicMessage(m)) throw new AttemptError(`the target ${t.name} does not take this message`, false);
        req = json(formatStatuspage(m, this.statusCtx));
        sign(req);
        break;
    }
    // Every target gets the delivery id, so any receiver can drop a redelivery.
    req.headers['webhook-id'] ??= d.id;
    let res;
    try {
      res = await this.deps.egress.send({ url: t.url, method: 'POST', headers: req.headers, body: req.body, timeoutMs: this.o.timeoutMs });
    } catch (err) {
      if (isEgressRefused(err)) throw err;
      throw new AttemptError(redact(err instanceof Error ? err.message : String(err), t.url), true);
    }
    if (res.status >= 200 && res.status < 300) return;
    const retry = res.status >= 500 || res.status === 408 || res.status === 429;
    throw new AttemptError(`HTTP ${res.status}${res.excerpt ? `: ${redact(res.excerpt, t.url).slice(0, 200)}` : ''}`, retry);
  }

  private async sendMail(d: DeliveryRecord, n: Notification, t: OpenTarget): Promise<void> {
    const smtp = this.o.smtp;
    if (!smtp) throw new AttemptError('FIREBREAK_SMTP_URL is not set', false);
    if (!t.address) throw new AttemptError(`the target ${t.name} has no address`, false);
    const { transport } = await smtpTransport(this.deps.egress, smtp.url, this.o.timeoutMs);
    const mail = formatEmail(n, this.ctx);
    const domain = (smtp.from.match(/@([^>\s]+)/)?.[1] ?? 'firebreak.local').toLowerCase();
    const thread = emailThread(n, { delivery: d.id, target: t.id }, domain);
    try {
      await transport.sendMail({
        from: smtp.from,
        to: t.address,
        subject: thread.isRoot ? mail.subject : `Re: ${mail.subject}`,
        text: mail.text,
        html: mail.html,
        messageId: thread.messageId,
        ...(!thread.isRoot && { inReplyTo: thread.root, references: [thread.root] }),
        headers: { 'X-Firebreak-Delivery': d.id },
      });
    } catch (err) {
      const e = err as { responseCode?: number; message?: string };
      const permanent = typeof e.responseCode === 'number' && e.responseCode >= 500 && e.responseCode < 600;
      throw new AttemptError(`SMTP: ${redact(e.message ?? String(err), smtp.url)}`, !permanent);
    } finally {
      transport.close();
    }
  }
}

type DeliveryRowArgs = [
  targetKey: string,
  t: { id: string | null; name: string; type: NotificationTargetType; inline: DeliveryRecord['targetInline'] },
  state?: DeliveryState,
  lastError?: string | null,
];

/** Standard Webhooks: `v1,` + base64 HMAC-SHA256 over `id.timestamp.body` with the secret's bytes after `whsec_`. */
export function signWebhook(secret: string, id: string, timestamp: string, body: string): string {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  return `v1,${createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest('base64')}`;
}

/**
 * A nodemailer transport to the relay of `smtpUrl` (`smtp://` on 587 or `smtps://` on 465 unless a port is
 * given, its user and password as auth): the host is resolved through the egress guard and connected to by
 * address, with TLS still checked against the name. Targets and contact methods both send mail through it.
 */
export async function smtpTransport(egress: Pick<Egress, 'resolve'>, smtpUrl: string, timeoutMs: number) {
  const url = new URL(smtpUrl);
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const address = await egress.resolve(host);
  const secure = url.protocol === 'smtps:';
  const transport = createTransport({
    host: address,
    port: url.port ? Number(url.port) : secure ? 465 : 587,
    secure,
    name: 'firebreak',
    tls: { servername: host },
    connectionTimeout: timeoutMs,
    greetingTimeout: timeoutMs,
    socketTimeout: timeoutMs,
    ...(url.username && { auth: { user: decodeURIComponent(url.username), pass: decodeURIComponent(url.password) } }),
  });
  return { transport, url };
}

/** A message without the target's URL (its path or query may be a secret) or credentials. */
function redact(message: string, rawUrl: string): string {
  let out = message;
  try {
    const u = new URL(rawUrl);
    for (const piece of [rawUrl, u.href, `${u.pathname}${u.search}`, u.password, u.username]) {
      if (piece && piece.length > 1) out = out.split(piece).join('…');
    }
  } catch {
    // not a URL: nothing to take out
  }
  return out;
}

export interface DeliveryView {
  id: string;
  incident: string;
  target: string;
  targetType: NotificationTargetType;
  event: string;
  state: DeliveryState;
  attempts: number;
  nextAttemptAt: string | null;
  lastError: string | null;
  deliveredAt: string | null;
  createdAt: string;
}

const cursorOf = (d: DeliveryRecord) => Buffer.from(JSON.stringify([d.createdAt, d.id])).toString('base64url');

/** Reads a cursor from `listNotifications`; undefined when it is not one. */
export function parseDeliveryCursor(raw: string): { createdAt: string; id: string } | undefined {
  try {
    const v = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as unknown;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return { createdAt: v[0], id: v[1] };
  } catch {
    // fall through
  }
  return undefined;
}

/** Delivery state, newest first: what went where, and what is still pending or failed and why. */
export async function listNotifications(
  deps: ServiceDeps,
  filter: Omit<DeliveryFilter, 'limit'> & { limit: number },
): Promise<{ items: DeliveryView[]; nextCursor: string | null }> {
  const rows = await deps.store.listDeliveries({ ...filter, limit: filter.limit + 1 });
  const page = rows.slice(0, filter.limit);
  const last = page.at(-1);
  return {
    items: page.map((d) => ({
      id: d.id,
      incident: `INC-${d.incident}`,
      target: d.targetName,
      targetType: d.targetType,
      event: d.event,
      state: d.state,
      attempts: d.attempts,
      nextAttemptAt: d.state === 'pending' ? d.nextAttemptAt : null,
      lastError: d.lastError,
      deliveredAt: d.deliveredAt,
      createdAt: d.createdAt,
    })),
    nextCursor: rows.length > filter.limit && last ? cursorOf(last) : null,
  };
}
