import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { selfSignedCert, type SelfSigned } from '../test/support/tls-cert.js';
import { loadConfig } from './config.js';
import { isFirebreakError } from './domain/errors.js';
import { DEFAULT_TIMER_RULES } from './domain/timers/rules.js';

function errorsOf(env: Record<string, string | undefined>) {
  try {
    loadConfig(env);
  } catch (err) {
    assert.ok(isFirebreakError(err, 'validation'));
    return err.details?.errors;
  }
  assert.fail('expected a validation error');
}

describe('loadConfig', () => {
  it('uses the documented defaults', () => {
    assert.deepEqual(loadConfig({}), {
      port: 7070,
      host: '127.0.0.1',
      sqlitePath: './data/firebreak.db',
      egressAllow: [],
      logLevel: 'info',
      alerts: { autoDeclareSeverity: 'critical', autoDeclareMaxTier: 2, groupMinutes: 5 },
      timers: { ...DEFAULT_TIMER_RULES, pollSeconds: 5 },
      signIn: { usernameFailures: 10, addressFailures: 50, windowMinutes: 15 },
      status: { title: 'Status', url: null, supportUrl: null, defaultIncidentTitle: 'We are investigating an issue' },
      postmortems: { strict: false },
      retention: { alertsDays: 30 },
      notifications: { defaults: [], mailFrom: 'Firebreak <firebreak@localhost>' },
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      PORT: '8080',
      HOST: '0.0.0.0',
      FIREBREAK_DB: '/var/lib/firebreak/db.sqlite',
      DATABASE_URL: 'postgresql://fb:secret@db:5432/firebreak',
      FIREBREAK_ADMIN_TOKEN: 'x'.repeat(24),
      FIREBREAK_PUBLIC_URL: 'https://firebreak.example.com/',
      FIREBREAK_EGRESS_ALLOW: ' hooks.internal , 10.0.0.5,,ci.example ',
      LOG_LEVEL: 'DEBUG',
      FIREBREAK_AUTO_DECLARE_SEVERITY: 'Error',
      FIREBREAK_AUTO_DECLARE_MAX_TIER: '0',
      FIREBREAK_ALERT_GROUP_MINUTES: '15',
      FIREBREAK_TRUST_PROXY: ' 10.0.0.0/8, LOOPBACK ,fd00::1 ',
      FIREBREAK_SIGNIN_USERNAME_FAILURES: '5',
      FIREBREAK_SIGNIN_ADDRESS_FAILURES: '0',
      FIREBREAK_SIGNIN_WINDOW_MINUTES: '60',
      FIREBREAK_ACK_TARGETS: 'SEV1=2m, sev2=1h',
      FIREBREAK_CONTAIN_FIRST: 'SEV4=2d',
      FIREBREAK_COMMS_LEAD_TARGETS: 'SEV1=off,SEV3=90s',
      FIREBREAK_TIMER_POLL_SECONDS: '30',
      FIREBREAK_NOTIFY_DEFAULT: ' ops-slack, ,oncall-mail',
      FIREBREAK_SECRET_KEY: 'ab'.repeat(32),
      FIREBREAK_SMTP_URL: 'smtp://fb:pw@relay.example:587',
      FIREBREAK_MAIL_FROM: 'Firebreak <fb@example.com>',
      FIREBREAK_STATUS_TITLE: ' Acme status ',
      FIREBREAK_POSTMORTEM_STRICT: 'true',
      FIREBREAK_STATUS_URL: 'https://status.example.com/',
      FIREBREAK_STATUS_SUPPORT_URL: 'https://example.com/support',
      FIREBREAK_STATUS_DEFAULT_TITLE: 'Something is wrong',
      FIREBREAK_STATUS_EXPORT_DIR: '/srv/status',
      FIREBREAK_RETAIN_ALERTS_DAYS: '90',
    });
    assert.deepEqual(config, {
      port: 8080,
      host: '0.0.0.0',
      sqlitePath: '/var/lib/firebreak/db.sqlite',
      databaseUrl: 'postgresql://fb:secret@db:5432/firebreak',
      adminToken: 'x'.repeat(24),
      publicUrl: 'https://firebreak.example.com',
      egressAllow: ['hooks.internal', '10.0.0.5', 'ci.example'],
      trustProxy: ['10.0.0.0/8', 'loopback', 'fd00::1'],
      logLevel: 'debug',
      alerts: { autoDeclareSeverity: 'error', autoDeclareMaxTier: 0, groupMinutes: 15 },
      timers: {
        ack: { SEV1: 120_000, SEV2: 3_600_000, SEV3: 4 * 3_600_000, SEV4: 24 * 3_600_000 },
        containFirst: { SEV1: 15 * 60_000, SEV2: 30 * 60_000, SEV3: 4 * 3_600_000, SEV4: 2 * 86_400_000 },
        commsLead: { SEV1: null, SEV2: 30 * 60_000, SEV3: 90_000, SEV4: null },
        pollSeconds: 30,
      },
      signIn: { usernameFailures: 5, addressFailures: 0, windowMinutes: 60 },
      status: {
        title: 'Acme status',
        url: 'https://status.example.com',
        supportUrl: 'https://example.com/support',
        defaultIncidentTitle: 'Something is wrong',
        exportDir: '/srv/status',
      },
      postmortems: { strict: true },
      retention: { alertsDays: 90 },
      notifications: {
        defaults: ['ops-slack', 'oncall-mail'],
        secretKey: Buffer.from('ab'.repeat(32), 'hex'),
        smtpUrl: 'smtp://fb:pw@relay.example:587',
        mailFrom: 'Firebreak <fb@example.com>',
      },
    });
    assert.deepEqual(loadConfig({ FIREBREAK_SECRET_KEY: Buffer.alloc(32, 7).toString('base64') }).notifications.secretKey, Buffer.alloc(32, 7));
  });

  it('refuses bad notification variables, one line each', () => {
    assert.deepEqual(
      errorsOf({
        FIREBREAK_NOTIFY_DEFAULT: 'ops slack',
        FIREBREAK_SECRET_KEY: 'short',
        FIREBREAK_SMTP_URL: 'http://relay.example',
        FIREBREAK_MAIL_FROM: 'nobody',
      }),
      [
        { path: 'FIREBREAK_NOTIFY_DEFAULT', message: 'must be a comma-separated list of notification target names' },
        { path: 'FIREBREAK_SECRET_KEY', message: 'must be 32 bytes as 64 hex digits or base64 (openssl rand -hex 32)' },
        { path: 'FIREBREAK_SMTP_URL', message: 'must be an smtp:// or smtps:// URL' },
        { path: 'FIREBREAK_MAIL_FROM', message: 'must be a mail address, optionally with a name: Firebreak <firebreak@example.com>' },
      ],
    );
  });

  it('refuses bad status page variables, one line each', () => {
    assert.deepEqual(
      errorsOf({
        FIREBREAK_STATUS_TITLE: 'two\nlines',
        FIREBREAK_STATUS_URL: 'ftp://status.example.com',
        FIREBREAK_STATUS_SUPPORT_URL: 'https://user:pw@example.com',
        FIREBREAK_STATUS_DEFAULT_TITLE: 'x'.repeat(201),
      }),
      [
        { path: 'FIREBREAK_STATUS_TITLE', message: 'must be 1 to 200 characters on one line' },
        { path: 'FIREBREAK_STATUS_URL', message: 'must be an http:// or https:// URL' },
        { path: 'FIREBREAK_STATUS_SUPPORT_URL', message: 'must be an http:// or https:// URL' },
        { path: 'FIREBREAK_STATUS_DEFAULT_TITLE', message: 'must be 1 to 200 characters on one line' },
      ],
    );
  });

  it('refuses a strict postmortem setting that is not true or false', () => {
    assert.deepEqual(errorsOf({ FIREBREAK_POSTMORTEM_STRICT: 'yes' }), [
      { path: 'FIREBREAK_POSTMORTEM_STRICT', message: 'must be true or false' },
    ]);
  });

  it('treats empty variables as unset', () => {
    assert.equal(loadConfig({ PORT: '', DATABASE_URL: ' ' }).port, 7070);
    assert.equal(loadConfig({ DATABASE_URL: '' }).databaseUrl, undefined);
  });

  it('lists one error per bad variable', () => {
    assert.deepEqual(
      errorsOf({
        PORT: '70000',
        HOST: 'not a host',
        DATABASE_URL: 'mysql://db',
        FIREBREAK_ADMIN_TOKEN: 'short',
        FIREBREAK_PUBLIC_URL: 'ftp://example.com',
        FIREBREAK_EGRESS_ALLOW: 'ok.example,http://bad/',
        LOG_LEVEL: 'loud',
        FIREBREAK_AUTO_DECLARE_SEVERITY: 'sev1',
        FIREBREAK_AUTO_DECLARE_MAX_TIER: '5',
        FIREBREAK_ALERT_GROUP_MINUTES: '0',
        FIREBREAK_TRUST_PROXY: '10.0.0.1,proxy.internal,10.0.0.0/33',
        FIREBREAK_SIGNIN_USERNAME_FAILURES: 'ten',
        FIREBREAK_SIGNIN_ADDRESS_FAILURES: '-1',
        FIREBREAK_SIGNIN_WINDOW_MINUTES: '0',
      }),
      [
        { path: 'PORT', message: 'must be an integer from 1 to 65535' },
        { path: 'HOST', message: 'must be a host name or an IP address' },
        { path: 'DATABASE_URL', message: 'must start with postgres:// or postgresql://' },
        { path: 'FIREBREAK_ADMIN_TOKEN', message: 'must be 24 to 512 characters without spaces' },
        { path: 'FIREBREAK_PUBLIC_URL', message: 'must be an http:// or https:// URL' },
        { path: 'FIREBREAK_EGRESS_ALLOW', message: 'must be a comma-separated list of hosts (not: http://bad/)' },
        {
          path: 'FIREBREAK_TRUST_PROXY',
          message: 'must be a hop count from 1 to 10, or a comma-separated list of proxy addresses or CIDR ranges (not: proxy.internal, 10.0.0.0/33)',
        },
        { path: 'LOG_LEVEL', message: 'must be one of fatal, error, warn, info, debug, trace, silent' },
        { path: 'FIREBREAK_AUTO_DECLARE_SEVERITY', message: 'must be one of critical, error, warning, info' },
        { path: 'FIREBREAK_AUTO_DECLARE_MAX_TIER', message: 'must be a whole number from 0 to 4' },
        { path: 'FIREBREAK_ALERT_GROUP_MINUTES', message: 'must be a whole number from 1 to 1440' },
        { path: 'FIREBREAK_SIGNIN_USERNAME_FAILURES', message: 'must be a whole number from 0 to 10000' },
        { path: 'FIREBREAK_SIGNIN_ADDRESS_FAILURES', message: 'must be a whole number from 0 to 100000' },
        { path: 'FIREBREAK_SIGNIN_WINDOW_MINUTES', message: 'must be a whole number from 1 to 1440' },
      ],
    );
  });

  it('refuses FIREBREAK_RETAIN_ALERTS_DAYS outside 1 to 36500 days', () => {
    for (const days of ['0', '-3', '7d', '36501']) {
      assert.deepEqual(errorsOf({ FIREBREAK_RETAIN_ALERTS_DAYS: days }), [
        { path: 'FIREBREAK_RETAIN_ALERTS_DAYS', message: 'must be a whole number from 1 to 36500' },
      ]);
    }
  });

  for (const port of ['0', '-1', '1.5', 'abc', '65536', '99999']) {
    it(`refuses PORT=${port}`, () => {
      assert.deepEqual(errorsOf({ PORT: port }), [{ path: 'PORT', message: 'must be an integer from 1 to 65535' }]);
    });
  }

  it('takes a hop count of trusted proxies, 1 to 10', () => {
    assert.equal(loadConfig({ FIREBREAK_TRUST_PROXY: '2' }).trustProxy, 2);
    assert.deepEqual(errorsOf({ FIREBREAK_TRUST_PROXY: '0' }), [
      { path: 'FIREBREAK_TRUST_PROXY', message: 'must be a hop count from 1 to 10, or a comma-separated list of proxy addresses or CIDR ranges' },
    ]);
  });

  it('accepts the port range ends and IPv6 hosts', () => {
    assert.equal(loadConfig({ PORT: '1' }).port, 1);
    assert.equal(loadConfig({ PORT: '65535' }).port, 65_535);
    assert.equal(loadConfig({ HOST: '::' }).host, '::');
    assert.equal(loadConfig({ DATABASE_URL: 'postgres://localhost/fb' }).databaseUrl, 'postgres://localhost/fb');
  });
});

describe('loadConfig: timer durations', () => {
  const LIST = 'must be a comma-separated list like SEV1=5m,SEV2=30m,SEV3=4h,SEV4=off (units s, m, h, d)';
  for (const [value, message] of [
    ['SEV1=5x', `${LIST} (not: SEV1=5x)`],
    ['SEV5=5m,SEV1=0m', `${LIST} (not: SEV5=5m, SEV1=0m)`],
    ['5m', `${LIST} (not: 5m)`],
    ['SEV1=5m,sev1=10m', 'names SEV1 twice'],
    ['SEV2=366d', 'allows at most 365d (not: SEV2=366d)'],
  ] as const) {
    it(`refuses FIREBREAK_ACK_TARGETS=${value}`, () => {
      assert.deepEqual(errorsOf({ FIREBREAK_ACK_TARGETS: value }), [{ path: 'FIREBREAK_ACK_TARGETS', message }]);
    });
  }

  it('refuses each list by its own name', () => {
    assert.deepEqual(errorsOf({ FIREBREAK_CONTAIN_FIRST: 'SEV1=soon', FIREBREAK_COMMS_LEAD_TARGETS: 'SEV1=1w' }), [
      { path: 'FIREBREAK_CONTAIN_FIRST', message: `${LIST} (not: SEV1=soon)` },
      { path: 'FIREBREAK_COMMS_LEAD_TARGETS', message: `${LIST} (not: SEV1=1w)` },
    ]);
  });

  describe('HTTPS', () => {
    let pair: SelfSigned;
    let other: SelfSigned;
    before(() => {
      pair = selfSignedCert();
      other = selfSignedCert('other');
      writeFileSync(join(pair.dir, 'not-pem.txt'), 'hello\n');
      writeFileSync(join(pair.dir, 'encrypted.pem'), '-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n');
    });
    after(() => {
      pair.remove();
      other.remove();
    });

    it('reads the certificate and key files when both are set', () => {
      const config = loadConfig({ FIREBREAK_TLS_CERT: ` ${pair.certPath} `, FIREBREAK_TLS_KEY: pair.keyPath });
      assert.equal(config.tls?.cert.toString(), pair.cert);
      assert.match(config.tls?.key.toString() ?? '', /^-----BEGIN PRIVATE KEY-----\n/);
      assert.equal(loadConfig({}).tls, undefined);
      assert.equal(loadConfig({ FIREBREAK_TLS_CERT: '', FIREBREAK_TLS_KEY: ' ' }).tls, undefined);
    });

    it('refuses one without the other', () => {
      assert.deepEqual(errorsOf({ FIREBREAK_TLS_CERT: pair.certPath }), [
        { path: 'FIREBREAK_TLS_KEY', message: 'must be set too when FIREBREAK_TLS_CERT is (both or neither)' },
      ]);
      assert.deepEqual(errorsOf({ FIREBREAK_TLS_KEY: pair.keyPath }), [
        { path: 'FIREBREAK_TLS_CERT', message: 'must be set too when FIREBREAK_TLS_KEY is (both or neither)' },
      ]);
    });

    it('refuses files it cannot read, naming each variable', () => {
      const missing = join(pair.dir, 'missing.pem');
      assert.deepEqual(errorsOf({ FIREBREAK_TLS_CERT: missing, FIREBREAK_TLS_KEY: pair.dir }), [
        { path: 'FIREBREAK_TLS_CERT', message: `cannot be read: ${missing} (ENOENT)` },
        { path: 'FIREBREAK_TLS_KEY', message: `cannot be read: ${pair.dir} (EISDIR)` },
      ]);
    });

    it('refuses what is not a PEM certificate or an unencrypted PEM key', () => {
      const notPem = join(pair.dir, 'not-pem.txt');
      const encrypted = join(pair.dir, 'encrypted.pem');
      assert.deepEqual(errorsOf({ FIREBREAK_TLS_CERT: notPem, FIREBREAK_TLS_KEY: encrypted }), [
        { path: 'FIREBREAK_TLS_CERT', message: `must be a PEM certificate (-----BEGIN CERTIFICATE-----): ${notPem}` },
        { path: 'FIREBREAK_TLS_KEY', message: `must be an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----): ${encrypted}` },
      ]);
      // Swapped: the key file given as the certificate and the other way round.
      assert.deepEqual(errorsOf({ FIREBREAK_TLS_CERT: pair.keyPath, FIREBREAK_TLS_KEY: pair.certPath }), [
        { path: 'FIREBREAK_TLS_CERT', message: `must be a PEM certificate (-----BEGIN CERTIFICATE-----): ${pair.keyPath}` },
        { path: 'FIREBREAK_TLS_KEY', message: `must be an unencrypted PEM private key (-----BEGIN PRIVATE KEY-----): ${pair.certPath}` },
      ]);
    });

    it('refuses a key that is not the certificate\'s', () => {
      assert.deepEqual(errorsOf({ FIREBREAK_TLS_CERT: pair.certPath, FIREBREAK_TLS_KEY: other.keyPath }), [
        { path: 'FIREBREAK_TLS_KEY', message: `is not the private key of the certificate in FIREBREAK_TLS_CERT: ${other.keyPath}` },
      ]);
    });

    it('stops the start with one line, no stack trace', () => {
      const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
        env: { PATH: process.env.PATH, FIREBREAK_TLS_CERT: join(pair.dir, 'not-pem.txt'), FIREBREAK_TLS_KEY: pair.keyPath },
        encoding: 'utf8',
        timeout: 30_000,
      });
      assert.equal(run.status, 78);
      assert.equal(run.stderr, `firebreak: config: FIREBREAK_TLS_CERT must be a PEM certificate (-----BEGIN CERTIFICATE-----): ${join(pair.dir, 'not-pem.txt')}\n`);
    });
  });

  it('stops the start with one line naming the variable', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      env: { PATH: process.env.PATH, FIREBREAK_CONTAIN_FIRST: 'SEV1=15m,SEV2=half an hour' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    assert.equal(run.status, 78);
    assert.equal(run.stderr, `firebreak: config: FIREBREAK_CONTAIN_FIRST ${LIST} (not: SEV2=half an hour)\n`);
  });
});
