import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CommanderError } from 'commander';
import { ClientError, ServerUnreachableError, type Problem } from '../client/index.js';
import { ActionFailedError, EXIT_CODES, UsageError, errorMessage, exitCodeFor } from './exit-codes.js';

const problem = (status: number, code: string, extra: Partial<Problem> = {}) =>
  new ClientError(status, { status, code, detail: 'Something happened.', requestId: 'req-9', ...extra });

describe('exitCodeFor', () => {
  const cases: [string, unknown, number][] = [
    ['validation', problem(400, 'validation'), 3],
    ['too_large', problem(413, 'too_large'), 3],
    ['unauthorized', problem(401, 'unauthorized'), 4],
    ['forbidden', problem(403, 'forbidden'), 4],
    ['not_found', problem(404, 'not_found'), 5],
    ['conflict', problem(409, 'conflict'), 6],
    ['gate_unmet', problem(422, 'gate_unmet'), 7],
    ['internal', problem(500, 'internal'), 1],
    ['a problem without a code falls back to its status', new ClientError(404, { title: 'Not Found' }), 5],
    ['a 502 from a proxy', new ClientError(502, { title: 'Bad Gateway' }), 1],
    ['unreachable', new ServerUnreachableError('http://x', new Error('boom')), 8],
    ['usage', new UsageError('nope'), 2],
    ['a lever that did not act', new ActionFailedError('M1 is recorded, but the lever did not act'), 9],
    ['commander usage error', new CommanderError(1, 'commander.missingArgument', 'x'), 2],
    ['commander help', new CommanderError(0, 'commander.helpDisplayed', '(help)'), 0],
    ['anything else', new Error('bug'), 1],
  ];
  for (const [name, err, code] of cases) {
    it(`${name} → ${code}`, () => assert.equal(exitCodeFor(err), code));
  }

  it('exports the documented table', () => {
    assert.deepEqual(EXIT_CODES, {
      ok: 0,
      unexpected: 1,
      usage: 2,
      validation: 3,
      unauthorized: 4,
      notFound: 5,
      conflict: 6,
      gateUnmet: 7,
      unreachable: 8,
      actionFailed: 9,
    });
  });
});

describe('errorMessage', () => {
  it('a refused gate: the first line names every unmet code, then one indented line each', () => {
    const err = problem(422, 'gate_unmet', {
      detail: 'INC-3 cannot move to resolved yet.',
      unmet: [
        { code: 'severity_missing', message: 'Set the severity (SEV1–SEV4) with a reason.' },
        { code: 'evidence_missing', message: 'Attach at least one piece of evidence.' },
      ],
    });
    assert.equal(
      errorMessage(err),
      [
        'firebreak: INC-3 cannot move to resolved yet: severity_missing, evidence_missing',
        '  severity_missing: Set the severity (SEV1–SEV4) with a reason.',
        '  evidence_missing: Attach at least one piece of evidence.',
      ].join('\n'),
    );
  });

  it('a validation error is one line with every field, named by the flag the command declared for it', () => {
    const err = problem(400, 'validation', {
      detail: 'The request is not valid.',
      errors: [
        { path: 'body.severity', message: 'must be one of SEV1, SEV2, SEV3, SEV4' },
        { path: 'body.reason', message: 'must not be empty' },
        { path: 'headers.if-match', message: 'must be the version number' },
      ],
    });
    assert.equal(
      errorMessage(err, { fields: { 'body.severity': '<severity>', 'body.reason': '--reason' } }),
      'firebreak: The request is not valid: <severity> must be one of SEV1, SEV2, SEV3, SEV4; --reason must not be empty; headers.if-match must be the version number',
    );
    assert.equal(
      errorMessage(err),
      'firebreak: The request is not valid: severity must be one of SEV1, SEV2, SEV3, SEV4; reason must not be empty; headers.if-match must be the version number',
    );
  });

  it('nested and listed fields keep their place after the flag; camelCase API names in messages become flags', () => {
    const fields = { 'body.services': '--service', 'body.severityReason': '--reason', 'body.impactFacts': '--fact', body: '--file' };
    const err = problem(400, 'validation', {
      detail: 'The request is not valid.',
      errors: [
        { path: 'body.services[2]', message: 'must be a name' },
        { path: 'body.severityReason', message: 'a severity needs a reason (or impactFacts)' },
        { path: 'body.whys[1]', message: 'must not be empty' },
      ],
    });
    assert.equal(
      errorMessage(err, { fields }),
      'firebreak: The request is not valid: --service[2] must be a name; --reason a severity needs a reason (or --fact); --file whys[1] must not be empty',
    );
  });

  it("a refused gate's hints name the command's flags: `noGuardrails: true` is --no-guardrails", () => {
    const err = problem(422, 'gate_unmet', {
      detail: 'INC-3 cannot move to resolved yet.',
      unmet: [
        { code: 'alerts_firing', message: '2 linked alert(s) still firing: wait for them to clear or give alertsOverride with a reason.' },
        { code: 'guardrails_unreviewed', message: 'Review guardrails: add each temporary guardrail, or say there are none (noGuardrails: true).' },
      ],
    });
    const fields = { 'body.reason': '--reason', 'body.noGuardrails': '--no-guardrails', 'body.alertsOverride': '--alerts-override' };
    assert.equal(
      errorMessage(err, { fields }),
      [
        'firebreak: INC-3 cannot move to resolved yet: alerts_firing, guardrails_unreviewed',
        '  alerts_firing: 2 linked alert(s) still firing: wait for them to clear or give --alerts-override with a reason.',
        '  guardrails_unreviewed: Review guardrails: add each temporary guardrail, or say there are none (--no-guardrails).',
      ].join('\n'),
    );
  });

  it('a conflict names the current version unless the detail already does', () => {
    assert.equal(
      errorMessage(problem(409, 'conflict', { detail: 'Stale.', currentVersion: 7 })),
      'firebreak: Stale (current version 7)',
    );
    const said = problem(409, 'conflict', { detail: 'INC-3 is at version 7, not 5: reload and retry.', currentVersion: 7 });
    assert.equal(errorMessage(said), 'firebreak: INC-3 is at version 7, not 5: reload and retry');
  });

  it('a 401 hints at the token only when none was given', () => {
    const err = problem(401, 'unauthorized', { detail: 'Authentication required.' });
    assert.equal(errorMessage(err), 'firebreak: Authentication required (set FIREBREAK_TOKEN or --token)');
    assert.equal(errorMessage(err, { tokenGiven: true }), 'firebreak: Authentication required');
  });

  it('not found, forbidden and internal errors are the detail; a 500 adds the request id', () => {
    assert.equal(errorMessage(problem(404, 'not_found', { detail: 'Incident INC-99 does not exist.' })), 'firebreak: Incident INC-99 does not exist');
    assert.equal(errorMessage(problem(403, 'forbidden', { detail: 'Admins only.' })), 'firebreak: Admins only');
    assert.equal(errorMessage(problem(500, 'internal', { detail: 'Internal error' })), 'firebreak: Internal error (request req-9)');
  });

  it('unreachable, usage and unexpected errors are one line, never a stack', () => {
    const down = new ServerUnreachableError('http://127.0.0.1:7070', Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }));
    assert.equal(
      errorMessage(down),
      'firebreak: cannot reach the Firebreak server at http://127.0.0.1:7070 (ECONNREFUSED): is it running? (set FIREBREAK_URL or --url)',
    );
    assert.equal(errorMessage(new UsageError('bad')), 'firebreak: bad');
    const bug = errorMessage(new TypeError('x is not a function\n    at foo (bar.ts:1:1)'));
    assert.equal(bug, 'firebreak: unexpected error: x is not a function     at foo (bar.ts:1:1)');
    assert.ok(!bug.includes('\n'));
  });

  it('server text cannot smuggle escapes or extra lines into the first line', () => {
    const err = problem(404, 'not_found', { detail: 'Incident \u001b[2J\nINC-1 does not exist.' });
    assert.equal(errorMessage(err), 'firebreak: Incident  [2J INC-1 does not exist');
  });
});
