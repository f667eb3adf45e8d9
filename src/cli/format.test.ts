import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialIncident } from '../domain/incident/state.js';
import { incidentView } from '../domain/incident/view.js';
import type { IncidentSummary } from '../client/index.js';
import {
  cleanLine,
  cleanText,
  formatAge,
  formatIncident,
  formatIncidentTable,
  formatMinutes,
  formatTable,
} from './format.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

const summary = (over: Partial<IncidentSummary>): IncidentSummary => ({
  id: 'INC-1',
  number: 1,
  title: 'Checkout fails',
  status: 'investigating',
  severity: 'SEV2',
  services: ['checkout'],
  commander: 'ana',
  declaredAt: '2026-03-01T11:48:00.000Z',
  startedAt: null,
  updatedAt: '2026-03-01T11:50:00.000Z',
  version: 3,
  ...over,
});

describe('formatTable', () => {
  it('pads every column to its widest cell and trims line ends', () => {
    const out = formatTable(['A', 'BB', 'C'], [['xxx', 'y', ''], ['z', 'wwww', 'v']]);
    assert.equal(out, ['A    BB    C', 'xxx  y', 'z    wwww  v'].join('\n'));
  });
});

describe('formatAge', () => {
  it('is compact at every scale', () => {
    assert.equal(formatAge('2026-03-01T11:59:15.000Z', NOW), '45s');
    assert.equal(formatAge('2026-03-01T11:48:00.000Z', NOW), '12m');
    assert.equal(formatAge('2026-03-01T08:55:00.000Z', NOW), '3h05m');
    assert.equal(formatAge('2026-02-27T08:00:00.000Z', NOW), '2d4h');
    assert.equal(formatAge(null, NOW), '-');
    assert.equal(formatAge('not a date', NOW), '-');
  });
});

describe('formatMinutes', () => {
  it('reads as minutes, hours or days', () => {
    assert.deepEqual([null, 0, 2.5, 59.9, 60, 90.4, 1439, 1440, 3000].map(formatMinutes), [
      '-', '0m', '2.5m', '59.9m', '1h00m', '1h30m', '23h59m', '1d0h', '2d2h',
    ]);
  });
});

describe('formatIncidentTable', () => {
  it('shows ID, SEV, STATUS, TITLE, COMMANDER and AGE aligned', () => {
    const out = formatIncidentTable(
      [
        summary({ id: 'INC-12', number: 12 }),
        summary({ id: 'INC-3', number: 3, severity: null, status: 'resolved', title: 'Search is slow', commander: null, declaredAt: '2026-02-28T12:00:00.000Z' }),
      ],
      NOW,
    );
    assert.equal(
      out,
      [
        'ID      SEV   STATUS         TITLE           COMMANDER  AGE',
        'INC-12  SEV2  investigating  Checkout fails  ana        12m',
        'INC-3   -     resolved       Search is slow  -          1d0h',
      ].join('\n'),
    );
  });

  it('says so when there is nothing to list', () => {
    assert.equal(formatIncidentTable([], NOW), 'No incidents.');
  });

  it('truncates long titles and neutralises terminal escapes in untrusted text', () => {
    const out = formatIncidentTable([summary({ title: `\u001b[31mred\u001b[0m ${'x'.repeat(80)}` })], NOW);
    assert.ok(!out.includes('\u001b'));
    assert.ok(out.includes('…'));
  });
});

describe('clean', () => {
  it('keeps newlines in text but never control characters or bidi overrides', () => {
    assert.equal(cleanText('a\nb\u001b[2Jc\u202e'), 'a\nb\uFFFD[2Jc\uFFFD');
    assert.equal(cleanLine('a\nb\tc'), 'a b c');
  });
});

describe('formatIncident', () => {
  it('shows the essentials and the next gate with what is unmet', () => {
    const inc = incidentView({
      ...initialIncident(7),
      title: 'Checkout fails',
      status: 'investigating',
      severity: 'SEV2',
      severityHistory: [{ from: null, to: 'SEV2', reason: 'payments failing', at: NOW.toISOString(), actor: 'ana' }],
      version: 5,
      services: ['checkout'],
      impact: { ...initialIncident(7).impact, statement: 'Checkout answers 500', confirmed: true },
      milestones: { ...initialIncident(7).milestones, declaredAt: '2026-03-01T11:30:00.000Z' },
      roles: { commander: 'ana', responders: ['li'], comms: null, scribe: null },
    });
    const out = formatIncident(inc, NOW);
    const lines = out.split('\n');
    assert.equal(lines[0], 'INC-7  Checkout fails');
    assert.ok(out.includes('  status     investigating'));
    assert.ok(out.includes('  severity   SEV2 (payments failing)'));
    assert.ok(out.includes('  impact     Checkout answers 500 (confirmed)'));
    assert.ok(out.includes('  roles      commander ana · responders li · comms - · scribe -'));
    assert.ok(out.includes('  declared   2026-03-01T11:30:00.000Z (30m ago)'));
    assert.ok(out.includes('  next gate  mitigated: mitigation_missing'));
    assert.ok(out.includes('    - Record at least one mitigation decision with its rationale.'));
    assert.ok(out.includes('  counts     mitigations 0 · evidence 0 · questions 0 open/0'));
    assert.ok(out.endsWith('  version    5'));
  });

  it('names the status command\'s flags in the next gate, not the API fields', () => {
    const inc = incidentView({ ...initialIncident(8), status: 'mitigated', version: 9, title: 'Checkout fails' });
    const out = formatIncident({ ...inc, nextGate: { to: 'resolved', unmet: [
      { code: 'guardrails_unreviewed', message: 'Review guardrails: add each temporary guardrail, or say there are none (noGuardrails: true).' },
      { code: 'alerts_firing', message: '2 linked alert(s) still firing: wait for them to clear or give alertsOverride with a reason.' },
    ] } }, NOW);
    assert.ok(out.includes('    - Review guardrails: add each temporary guardrail, or say there are none (--no-guardrails).'), out);
    assert.ok(out.includes('    - 2 linked alert(s) still firing: wait for them to clear or give --alerts-override with a reason.'), out);
  });
});
