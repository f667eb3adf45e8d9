import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FirebreakError } from '../errors.js';
import { EXAMPLE_CATALOG_YAML, MIXED_BACKSTAGE_CATALOG_YAML } from './catalog.fixture.js';
import { parseCatalogYaml, renderServicePlaybook, validateCatalog } from './index.js';

const NOW = '2026-01-13T10:00:00Z';

const SECTIONS = [
  'Dependencies',
  'SLOs',
  'Flows',
  'Unsupported flows',
  'Coexistence seams',
  'Alerts mapped to this service',
  'Levers (fail-closed first)',
  'Severity (by current user impact, never by the suspected cause)',
  'Roles and cadence',
  'Quality gates',
  'Team payments',
];

describe('renderServicePlaybook', () => {
  const catalog = validateCatalog(parseCatalogYaml(EXAMPLE_CATALOG_YAML));
  const md = renderServicePlaybook(catalog, 'checkout', NOW);

  it('has every part in order', () => {
    const headings = md
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3));
    assert.deepEqual(headings, SECTIONS);
    assert.ok(md.startsWith('# Incident playbook: Checkout\n'));
  });

  it('names the owner, who is on call now, tier, dependencies and SLOs', () => {
    for (const line of [
      '- **Owner:** payments',
      '- **On call now:** li (weekly rotation, as of 2026-01-13 10:00:00Z)',
      '- **Tier:** 1 (most critical)',
      '- **Runbook:** [https://wiki.example/checkout](https://wiki.example/checkout)',
      '- payments-api (outside the catalog)',
      '- **Availability:** 99.9 %',
      '- **Latency p95:** 300 ms',
      '- place-order',
      '- legacy-coupon-v1',
      '- orders v1/v2 dual-write — fails closed',
      '- service = "checkout"',
    ]) {
      assert.ok(md.includes(`${line}\n`), line);
    }
  });

  it('ranks levers fail-closed first and says how to pull each', () => {
    assert.ok(
      md.includes(
        '1. rollback (rollback; fail-closed, preserves data) — call POST https://ci.example/rollback (pulling it in the incident room records the decision; Firebreak does not call lever webhooks itself yet)\n' +
          '2. disable-new-pricing (feature-flag; fail-closed, may not preserve data) — pull by hand: Flip pricing\\_v2 off in the flag console\n',
      ),
    );
  });

  it('carries the severity table, roles, cadence and quality gates', () => {
    assert.ok(
      md.includes(
        '| SEV2 | Major feature broken, significant user impact | &lt; 30 min | payment processing failing |',
      ),
    );
    assert.ok(md.includes('- Incident Commander: owns coordination and decisions, not debugging.'));
    assert.ok(md.includes('| mitigated | At least one mitigation decision with its rationale. |'));
    assert.ok(md.includes('| closed | Postmortem complete:'));
  });

  it('never shows notification URLs or a lever URL query, which may hold secrets', () => {
    const withToken = validateCatalog(
      parseCatalogYaml(
        EXAMPLE_CATALOG_YAML.replace('https://ci.example/rollback', 'https://ci.example/rollback?token=s3cret'),
      ),
    );
    const out = renderServicePlaybook(withToken, 'checkout', NOW);
    assert.ok(!out.includes('s3cret'));
    assert.ok(!out.includes('hooks.slack.example'));
    assert.ok(out.includes('Notified through: slack.'));
  });

  it('escapes untrusted catalog text', () => {
    const hostile = validateCatalog([
      {
        apiVersion: 'firebreak/v1',
        kind: 'Service',
        metadata: {
          name: 'web',
          title: '<script>alert(1)</script>',
          description: '# Owned\n\n[click](javascript:alert(1))',
        },
        spec: {
          owner: 'core',
          unsupportedFlows: ['- not a list | cell'],
          coexistence: [{ name: '<img src=x onerror=alert(1)>', failMode: 'open' }],
          alertMatchers: [{ label: 'app', regex: 'a|b*' }],
          levers: [
            { name: 'flag', kind: 'feature-flag', action: { type: 'manual', instructions: '**now** `rm -rf`' } },
          ],
        },
      },
      { apiVersion: 'firebreak/v1', kind: 'Team', metadata: { name: 'core', title: '[x](https://evil.example)' } },
    ]);
    const out = renderServicePlaybook(hostile, 'web', NOW);
    assert.ok(!/<script|<img/i.test(out), 'no raw HTML');
    assert.ok(!/(?<!\\)\]\(javascript:/.test(out), 'no javascript: link');
    assert.ok(!/(?<!\\)\[x(?<!\\)\]\(https:\/\/evil/.test(out), 'no injected link');
    for (const escaped of [
      '# Incident playbook: &lt;script&gt;alert(1)&lt;/script&gt;',
      '\\# Owned',
      '\\[click\\](javascript:alert(1))',
      '- \\- not a list \\| cell',
      '- &lt;img src=x onerror=alert(1)&gt; — fails open',
      '- app =\\~ /a\\|b\\*/ (whole value)',
      'pull by hand: \\*\\*now\\*\\* \\`rm -rf\\`',
      '- **Owner:** \\[x\\](https://evil.example) (core)',
      '- **On call now:** no rotation set; page the team: no members listed',
    ]) {
      assert.ok(out.includes(escaped), escaped);
    }
  });

  it('refuses a service that is not in the catalog', () => {
    assert.throws(
      () => renderServicePlaybook(catalog, 'nope', NOW),
      (e: unknown) => e instanceof FirebreakError && e.code === 'not_found',
    );
  });
});

describe('renderServicePlaybook for a namespaced catalog', () => {
  const catalog = validateCatalog(parseCatalogYaml(MIXED_BACKSTAGE_CATALOG_YAML));

  it('names the person who owns a service as owner and on call', () => {
    const md = renderServicePlaybook(catalog, 'payments/ledger', NOW);
    assert.ok(md.startsWith('# Incident playbook: payments/ledger\n'), md);
    assert.ok(md.includes('- **Owner:** Jane Doe (jdoe)\n'), md);
    assert.ok(md.includes('- **On call now:** Jane Doe (jdoe), who owns the service: jdoe@example.com\n'), md);
    assert.ok(!md.includes('## Team'), md);
  });

  it('says what the catalog leaves open, and finds default/ services by their short name', () => {
    const md = renderServicePlaybook(catalog, 'default/search', NOW);
    assert.ok(md.includes('- **On call now:** unknown (the owning team is not in the catalog)\n'), md);
    assert.ok(md.includes('The catalog leaves this open:\n\n- "group:default/team-search" is not in this catalog: nobody is on call for search\n'), md);
  });
});
