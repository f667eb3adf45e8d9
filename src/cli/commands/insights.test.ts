import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Insights } from '../../client/index.js';
import { runCli, type Answer } from '../test-cli.js';

const ANSWER: Insights = {
  window: { from: '2026-10-07T09:00:00.000Z', to: '2026-11-06T09:00:00.000Z', days: 30 },
  filters: { service: null, severity: [] },
  incidents: {
    total: 3,
    bySeverity: { SEV1: 1, SEV2: 1, SEV3: 1, SEV4: 0, unset: 0 },
    byStatus: { investigating: 0, mitigated: 0, resolved: 1, closed: 1, cancelled: 1 },
    autoDeclared: 0,
  },
  mttd: { median: 13, p90: 18.6, mean: 13, samples: 2 },
  mtta: { median: 2.5, p90: 4.5, mean: 2.5, samples: 2 },
  timeToMitigate: { median: null, p90: null, mean: null, samples: 0 },
  mttr: { median: 90, p90: 2880, mean: 1530, samples: 2 },
  changeFailureRate: { failures: 1, deploys: 4, rate: 0.25 },
  dora: {
    changeFailureRate: { failures: 1, deploys: 4, rate: 0.25 },
    timeToRestore: { median: 60, p90: 60, mean: 60, samples: 1 },
  },
  postmortems: { due: 2, onTime: 1, late: 0, overdue: 1, pending: 0, punctuality: 0.5, skipped: 0 },
  actionItems: { open: 2, overdue: 1, done: 1, doneOnTime: 1 },
  nudges: {
    total: 3,
    byKind: { ack: 1, update_cadence: 2, contain_first: 0, comms_lead: 0, postmortem_due: 0, postmortem_overdue: 0, action_due: 0 },
  },
  responders: [
    { person: 'ana', incidents: 2, commander: 2, share: 0.667 },
    { person: 'bo\u001b[31m', incidents: 1, commander: 0, share: 0.333 },
  ],
  overrides: {
    count: 1,
    items: [{ incident: 'INC-3', to: 'resolved', reason: 'reconciled by hand', by: 'ana', at: '2026-11-03T10:40:00.000Z' }],
  },
  trend: [{ week: '2026-W45', incidents: 2, mttaMinutes: 2.5, mttrMinutes: 90 }],
  warnings: [{ code: 'commander_is_sole_responder', message: 'INC-3: ana is commander and the only responder on a SEV1.' }],
};

/** The shared scripted-fetch harness, answering ANSWER unless told otherwise. */
const cli = (argv: string[], answer: Answer = { json: ANSWER }) => runCli(argv, [answer]);

describe('firebreak insights', () => {
  it('asks for the window given and prints a readable summary', async () => {
    const r = await cli(['insights', '--days', '30']);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.sent[0]?.path, '/api/v1/insights');
    assert.deepEqual(r.sent[0]?.query, { days: '30' });
    assert.equal(
      r.stdout,
      [
        'Insights 2026-10-07T09:00:00.000Z → 2026-11-06T09:00:00.000Z (30 days)',
        '',
        'Incidents            3 (SEV1 1 · SEV2 1 · SEV3 1 · SEV4 0 · unset 0), 0 auto-declared',
        '                     investigating 0 · mitigated 0 · resolved 1 · closed 1 · cancelled 1',
        '',
        'METRIC            MEDIAN  P90    MEAN   SAMPLES',
        'MTTD              13m     18.6m  13m    2',
        'MTTA              2.5m    4.5m   2.5m   2',
        'time to mitigate  -       -      -      0',
        'MTTR              1h30m   2d0h   1d1h   2',
        'time to restore   1h00m   1h00m  1h00m  1',
        '',
        'Change failure rate  25% (failures 1 ÷ succeeded deploys 4)',
        'Postmortems          50% on time: 2 due · 1 on time · 0 late · 1 overdue · 0 pending · 0 skipped',
        'Action items         2 open · 1 overdue · 1 done (1 on time)',
        'Nudges               3 (ack 1 · update_cadence 2)',
        'Gate overrides       1',
        '  INC-3 → resolved by ana: reconciled by hand',
        '',
        'RESPONDER  INCIDENTS  COMMANDER  SHARE',
        'ana        2          2          66.7%',
        'bo [31m    1          0          33.3%',
        '',
        'Warnings',
        '  - INC-3: ana is commander and the only responder on a SEV1.',
        '',
      ].join('\n'),
    );
  });

  it('sends from and to; --json prints the answer unchanged', async () => {
    const r = await cli(['insights', '--from', '2026-11-01T00:00:00Z', '--to', '2026-11-08T00:00:00Z', '--json']);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.sent[0]?.query, { from: '2026-11-01T00:00:00Z', to: '2026-11-08T00:00:00Z' });
    assert.deepEqual(JSON.parse(r.stdout), ANSWER);
  });

  it('sends --service and --severity (comma-separated or repeated) and names them in the summary', async () => {
    const answer = { ...ANSWER, filters: { service: 'checkout', severity: ['SEV1', 'SEV2'] } };
    const r = await cli(['insights', '--service', 'checkout', '--severity', 'sev1', '--severity', 'SEV2'], { json: answer });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.sent[0]?.query, { service: 'checkout', severity: 'SEV1,SEV2' });
    assert.equal(
      r.stdout.split('\n')[0],
      'Insights 2026-10-07T09:00:00.000Z → 2026-11-06T09:00:00.000Z (30 days), only service checkout, SEV1,SEV2',
    );
  });

  it('refuses --days with --from (exit 2, no request) and maps a 400 to exit 3', async () => {
    const both = await cli(['insights', '--days', '7', '--from', '2026-11-01T00:00:00Z']);
    assert.equal(both.code, 2);
    assert.equal(both.sent.length, 0);
    assert.equal(both.stderr, 'firebreak: give --days or --from with --to, not both.\n');

    const problem = {
      type: 'https://firebreak.dev/problems/validation', title: 'Bad Request', status: 400, code: 'validation',
      detail: 'The request is not valid.', errors: [{ path: 'query.days', message: 'must be at most 365' }],
    };
    const bad = await cli(['insights', '--days', '400'], { status: 400, json: problem });
    assert.equal(bad.code, 3);
    assert.equal(bad.stderr, 'firebreak: The request is not valid: --days must be at most 365\n');
  });
});
