import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { DEFAULT_AUTO_DECLARE } from './domain/alerts/rules.js';
import { ALERT_SEVERITIES, type AlertSeverity } from './domain/alerts/types.js';
import { validationError, type FieldError } from './domain/errors.js';
import { LIMITS } from './domain/limits.js';
import type { StatusPageSettings } from './domain/status/types.js';
import { DEFAULT_TIMER_RULES, parseSeverityDurations, type SeverityDurations, type TimerRules } from './domain/timers/rules.js';

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Everything the server reads from its environment, parsed once at start. */
export interface Config {
  port: number;
  host: string;
  /** The SQLite file, used when no databaseUrl is given. */
  sqlitePath: string;
  databaseUrl?: string;
  adminToken?: string;
  /** The origin users reach the server at, without a trailing slash. */
  publicUrl?: string;
  /** Hosts that lever webhooks and notifications may reach even when private or loopback. */
  egressAllow: string[];
  /** Serve HTTPS with this certificate (chain) and private key, both PEM, read at start. */
  tls?: { cert: Buffer; key: Buffer };
  /** The proxies whose X-Forwarded-For (and -Host, -Proto) is believed: addresses or CIDR ranges, or a hop count. */
  trustProxy?: string[] | number;
  logLevel: LogLevel;
  /** What alerts do on their own. */
  alerts: {
    /** An alert this severe or worse declares an incident… */
    autoDeclareSeverity: AlertSeverity;
    /** …on a service of this tier or more critical; 0 turns auto-declaration off. */
    autoDeclareMaxTier: number;
    /** Alerts of one service within this window form one group (one incident at most). */
    groupMinutes: number;
  };
  /** Notifications (docs/INTEGRATIONS.md, docs/OPERATIONS.md "The outbox"). */
  notifications: {
    /** Target names every SEV1 and SEV2 incident also notifies (FIREBREAK_NOTIFY_DEFAULT). */
    defaults: string[];
    /** 32 bytes that encrypt target tokens and secrets at rest; absent: a key kept in the database. */
    secretKey?: Buffer;
    /** smtp:// or smtps:// URL of the mail relay for `email` targets. */
    smtpUrl?: string;
    /** The From of notification mail. */
    mailFrom: string;
  };
  /** Timers (docs/OPERATIONS.md "Timers"): how long each nudge waits per severity, and how often runners look. */
  timers: TimerRules & { pollSeconds: number };
  /** The public status page (docs/STATUS-PAGE.md). */
  status: StatusPageSettings & {
    /** A folder the whole public page is rewritten into after each change, for a static host. */
    exportDir?: string;
  };
  /** Retention (docs/OPERATIONS.md "Retention"): resolved unlinked alerts, finished deliveries, GitHub deliveries and idempotency keys older than this are pruned. */
  retention: { alertsDays: number };
  /** Postmortems (docs/POSTMORTEMS.md). */
  postmortems: {
    /** Publishing and closing need every blameless-check warning fixed or waived (FIREBREAK_POSTMORTEM_STRICT). */
    strict: boolean;
  };
  /** Sign-in throttling, counted in each process's memory; a limit of 0 is no limit. */
  signIn: {
    /** Failed sign-ins for one username within the window, after which that username is refused… */
    usernameFailures: number;
    /** …and from one client address (IPv6: its /64). */
    addressFailures: number;
    windowMinutes: number;
  };
}

const HOST_NAME = /^(?=.{1,253}$)[a-z0-9_]([a-z0-9_-]{0,62})(\.[a-z0-9_]([a-z0-9_-]{0,62}))*\.?$/i;
const IP_LITERAL = /^\[?[0-9a-f:.]+\]?$/i;

const isHost = (h: string) => HOST_NAME.test(h) || (h.includes(':') && IP_LITERAL.test(h));

const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An address, a CIDR range, or one of proxy-addr's names for ranges. */
function isProxy(p: string): boolean {
  if (PROXY_NAMES.includes(p)) return true;
  const [address = '', prefix, ...rest] = p.split('/');
  const family = isIP(address);
  if (family === 0 || rest.length > 0) return false;
  return prefix === undefined || (/^[0-9]{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128));
}

/** Parses the environment; throws one validation error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined>): Config {
  const errors: FieldError[] = [];
  const bad = (path: string, message: string) => errors.push({ path, message });
  const get = (name: string) => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };

  let port = 7070;
  const rawPort = get('PORT');
  if (rawPort !== undefined) {
    port = /^[0-9]{1,5}$/.test(rawPort) ? Number(rawPort) : NaN;
    if (!(port >= 1 && port <= 65_535)) bad('PORT', 'must be an integer from 1 to 65535');
  }

  const host = get('HOST') ?? '127.0.0.1';
  if (!isHost(host)) bad('HOST', 'must be a host name or an IP address');

  const sqlitePath = get('FIREBREAK_DB') ?? './data/firebreak.db';

  const databaseUrl = get('DATABASE_URL');
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\/\S+$/.test(databaseUrl)) {
    bad('DATABASE_URL', 'must start with postgres:// or postgresql://');
  }

  const adminToken = get('FIREBREAK_ADMIN_TOKEN');
  if (adminToken !== undefined && (adminToken.length < 24 || adminToken.length > 512 || /\s/.test(adminToken))) {
    bad('FIREBREAK_ADMIN_TOKEN', 'must be 24 to 512 characters without spaces');
  }

  const httpUrl = (name: string) => {
    const raw = get(name);
    if (raw === undefined) return undefined;
    const url = URL.canParse(raw) ? new URL(raw) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || url.username || url.password) {
      bad(name, 'must be an http:// or https:// URL');
      return undefined;
    }
    return url.href.replace(/\/+$/, '');
  };
  const publicUrl = httpUrl('FIREBREAK_PUBLIC_URL');

  const statusText = (name: string, fallback: string) => {
    const v = get(name) ?? fallback;
    if (v.length > LIMITS.title || /[\r\n\t]/.test(v)) bad(name, `must be 1 to ${LIMITS.title} characters on one line`);
    return v;
  };
  const status = {
    title: statusText('FIREBREAK_STATUS_TITLE', 'Status'),
    url: httpUrl('FIREBREAK_STATUS_URL') ?? null,
    supportUrl: httpUrl('FIREBREAK_STATUS_SUPPORT_URL') ?? null,
    defaultIncidentTitle: statusText('FIREBREAK_STATUS_DEFAULT_TITLE', 'We are investigating an issue'),
    ...(get('FIREBREAK_STATUS_EXPORT_DIR') !== undefined && { exportDir: get('FIREBREAK_STATUS_EXPORT_DIR')! }),
  };

  const egressAllow = (get('FIREBREAK_EGRESS_ALLOW') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
  const badHosts = egressAllow.filter((h) => !isHost(h));
  if (badHosts.length > 0) {
    bad('FIREBREAK_EGRESS_ALLOW', `must be a comma-separated list of hosts (not: ${badHosts.join(', ')})`);
  }

  // HTTPS: both PEM files or neither, read and checked here, so a bad one stops the start naming its variable.
  let tls: { cert: Buffer; key: Buffer } | undefined;
  const certPath = get('FIREBREAK_TLS_CERT');
  const keyPath = get('FIREBREAK_TLS_KEY');
  if (certPath === undefined && keyPath !== undefined) bad('FIREBREAK_TLS_CERT', 'must be set too when FIREBREAK_TLS_KEY is (both or neither)');
  if (keyPath === undefined && certPath !== undefined) bad('FIREBREAK_TLS_KEY', 'must be set too when FIREBREAK_TLS_CERT is (both or neither)');
  if (certPath !== undefined && keyPath !== undefined) {
    const read = (name: string, path: string) => {
      try {
        return readFileSync(path);
      } catch (err) {
        bad(name, `cannot be read: ${path} (${(err as NodeJS.ErrnoException).code ?? 'error'})`);
        return undefined;
      }
    };
    const cert = read('FIREBREAK_TLS_CERT', certPath);
    const key = read('FIREBREAK_TLS_KEY', keyPath);
    let x509: X509Certificate | undefined;
    let privateKey: KeyObject | undefined;
    if (cert) {
      try {
        if (!cert.includes('-----BEGIN CERTIFICATE-----')) throw new Error('not PEM');
        x509 = new X509Certificate(cert);
      } catch {
        bad('FIREBREAK_TLS_CERT', `must be a PEM certificate (-----BEGIN CERTIFICATE-----): ${certPath}`);
      }
    }
    if (key) {
      try {
        if (!key.includes('-----BEGIN ')) throw new Error('not PEM');
        privateKey = createPrivateKey(key);
      } catch {
        bad('FIREBREAK_TLS_KEY', `must be an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----): ${keyPath}`);
      }
    }
    if (x509 && privateKey) {
      if (x509.checkPrivateKey(privateKey)) tls = { cert: cert!, key: key! };
      else bad('FIREBREAK_TLS_KEY', `is not the private key of the certificate in FIREBREAK_TLS_CERT: ${keyPath}`);
    }
  }

  let trustProxy: string[] | number | undefined;
  const rawTrustProxy = get('FIREBREAK_TRUST_PROXY');
  if (rawTrustProxy !== undefined) {
    const proxies = rawTrustProxy.split(',').map((p) => p.trim().toLowerCase()).filter((p) => p !== '');
    const hops = /^[0-9]{1,2}$/.test(rawTrustProxy) ? Number(rawTrustProxy) : undefined;
    if (hops !== undefined) {
      if (hops >= 1 && hops <= 10) trustProxy = hops;
      else bad('FIREBREAK_TRUST_PROXY', 'must be a hop count from 1 to 10, or a comma-separated list of proxy addresses or CIDR ranges');
    } else if (proxies.every(isProxy)) {
      trustProxy = proxies;
    } else {
      const wrong = proxies.filter((p) => !isProxy(p)).join(', ');
      bad('FIREBREAK_TRUST_PROXY', `must be a hop count from 1 to 10, or a comma-separated list of proxy addresses or CIDR ranges (not: ${wrong})`);
    }
  }

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    bad('LOG_LEVEL', `must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const autoDeclareSeverity = (get('FIREBREAK_AUTO_DECLARE_SEVERITY') ?? DEFAULT_AUTO_DECLARE.minSeverity).toLowerCase();
  if (!(ALERT_SEVERITIES as readonly string[]).includes(autoDeclareSeverity)) {
    bad('FIREBREAK_AUTO_DECLARE_SEVERITY', `must be one of ${ALERT_SEVERITIES.join(', ')}`);
  }
  const wholeNumber = (name: string, fallback: number, min: number, max: number) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = /^[0-9]{1,6}$/.test(raw) ? Number(raw) : NaN;
    if (!(n >= min && n <= max)) bad(name, `must be a whole number from ${min} to ${max}`);
    return n;
  };
  const autoDeclareMaxTier = wholeNumber('FIREBREAK_AUTO_DECLARE_MAX_TIER', DEFAULT_AUTO_DECLARE.maxTier, 0, 4);
  const groupMinutes = wholeNumber('FIREBREAK_ALERT_GROUP_MINUTES', 5, 1, 1_440);
  const usernameFailures = wholeNumber('FIREBREAK_SIGNIN_USERNAME_FAILURES', 10, 0, 10_000);
  const addressFailures = wholeNumber('FIREBREAK_SIGNIN_ADDRESS_FAILURES', 50, 0, 100_000);
  const windowMinutes = wholeNumber('FIREBREAK_SIGNIN_WINDOW_MINUTES', 15, 1, 1_440);
  const durations = (name: string, fallback: SeverityDurations) => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const r = parseSeverityDurations(raw, fallback);
    if (!r.ok) bad(name, r.error);
    return r.ok ? r.value : fallback;
  };
  const timers = {
    ack: durations('FIREBREAK_ACK_TARGETS', DEFAULT_TIMER_RULES.ack),
    containFirst: durations('FIREBREAK_CONTAIN_FIRST', DEFAULT_TIMER_RULES.containFirst),
    commsLead: durations('FIREBREAK_COMMS_LEAD_TARGETS', DEFAULT_TIMER_RULES.commsLead),
    pollSeconds: wholeNumber('FIREBREAK_TIMER_POLL_SECONDS', 5, 1, 3_600),
  };

  const notifyDefaults = (get('FIREBREAK_NOTIFY_DEFAULT') ?? '').split(',').map((n) => n.trim()).filter((n) => n !== '');
  if (notifyDefaults.some((n) => n.length > 100 || /[\s]/.test(n))) {
    bad('FIREBREAK_NOTIFY_DEFAULT', 'must be a comma-separated list of notification target names');
  }
  let secretKey: Buffer | undefined;
  const rawSecretKey = get('FIREBREAK_SECRET_KEY');
  if (rawSecretKey !== undefined) {
    secretKey = /^[0-9a-f]{64}$/i.test(rawSecretKey) ? Buffer.from(rawSecretKey, 'hex') : Buffer.from(rawSecretKey, 'base64');
    if (secretKey.length !== 32 || !/^([0-9a-f]{64}|[A-Za-z0-9+/]{43}=?)$/i.test(rawSecretKey)) {
      bad('FIREBREAK_SECRET_KEY', 'must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)');
    }
  }
  const smtpUrl = get('FIREBREAK_SMTP_URL');
  if (smtpUrl !== undefined && !(URL.canParse(smtpUrl) && ['smtp:', 'smtps:'].includes(new URL(smtpUrl).protocol))) {
    bad('FIREBREAK_SMTP_URL', 'must be an smtp:// or smtps:// URL');
  }
  const mailFrom = get('FIREBREAK_MAIL_FROM') ?? 'Firebreak <firebreak@localhost>';
  if (!/^[^\r\n]*@[^\r\n]*$/.test(mailFrom)) bad('FIREBREAK_MAIL_FROM', 'must be a mail address, optionally with a name: Firebreak <firebreak@example.com>');

  const retention = { alertsDays: wholeNumber('FIREBREAK_RETAIN_ALERTS_DAYS', 30, 1, 36_500) };

  const rawStrict = get('FIREBREAK_POSTMORTEM_STRICT') ?? 'false';
  if (rawStrict !== 'true' && rawStrict !== 'false') bad('FIREBREAK_POSTMORTEM_STRICT', 'must be true or false');

  if (errors.length > 0) throw validationError(errors, 'The configuration is not valid.');
  return {
    port,
    host,
    sqlitePath,
    ...(databaseUrl !== undefined && { databaseUrl }),
    ...(adminToken !== undefined && { adminToken }),
    ...(publicUrl !== undefined && { publicUrl }),
    egressAllow,
    ...(tls !== undefined && { tls }),
    ...(trustProxy !== undefined && { trustProxy }),
    logLevel: logLevel as LogLevel,
    alerts: { autoDeclareSeverity: autoDeclareSeverity as AlertSeverity, autoDeclareMaxTier, groupMinutes },
    timers,
    signIn: { usernameFailures, addressFailures, windowMinutes },
    status,
    postmortems: { strict: rawStrict === 'true' },
    retention,
    notifications: {
      defaults: notifyDefaults,
      ...(secretKey !== undefined && { secretKey }),
      ...(smtpUrl !== undefined && { smtpUrl }),
      mailFrom,
    },
  };
}
