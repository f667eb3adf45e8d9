import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { initialIncident, type Incident } from '../domain/incident/state.js';
import { incidentView } from '../domain/incident/view.js';
import type { CliIo } from './context.js';
import { runCli, type Answer } from './test-cli.js';

function incident(over: Partial<Incident> = {}) {
  const base = initialIncident(3);
  return incidentView({
    ...base,
    title: 'Checkout fails',
    status: 'investigating',
    version: 4,
    impact: { ...base.impact, statement: 'Checkout answers 500', confirmed: true },
    milestones: { ...base.milestones, declaredAt: '2026-03-01T11:00:00.000Z' },
    ...over,
  });
}

/** The shared scripted-fetch harness, answering one incident unless told otherwise. */
const cli = (argv: string[], answers: Answer[] = [{ json: incident() }], io: Partial<CliIo> = {}) => runCli(argv, answers, io);

describe('request mapping', () => {
  it('declare: every flag lands in the body, with a fresh Idempotency-Key and the token', async () => {
    const r = await cli([
      'declare', 'Checkout fails', '--impact', 'Checkout answers 500', '--confirmed',
      '--service', 'checkout', '--service', 'payments-api,orders-db', '--severity', 'sev2', '--reason', 'payments failing',
      '--fact', 'service-down', '--fact', 'dataLoss', '--unsupported-flow',
      '--started-at', '2026-03-01T10:55:00Z', '--commander', 'ana',
    ]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.last?.method, 'POST');
    assert.equal(r.last?.path, '/api/v1/incidents');
    assert.deepEqual(r.last?.body, {
      title: 'Checkout fails',
      impact: 'Checkout answers 500',
      impactConfirmed: true,
      services: ['checkout', 'payments-api', 'orders-db'],
      severity: 'SEV2',
      severityReason: 'payments failing',
      impactFacts: { serviceDown: true, dataLoss: true },
      boundary: { unsupportedFlow: true, coexistenceSeam: false, rolloutBoundary: false },
      startedAt: '2026-03-01T10:55:00Z',
      commander: 'ana',
    });
    assert.equal(r.last?.headers['idempotency-key'], 'key-1');
    assert.equal(r.last?.headers.authorization, 'Bearer tok-123');
    assert.equal(r.last?.headers['content-type'], 'application/json');
    assert.equal(r.stdout, 'INC-3: declared "Checkout fails"  [investigating · no severity · v4]\n');
  });

  it('declare: the minimum sends only title and impact; an unknown fact is a usage error', async () => {
    const r = await cli(['declare', 'x', '--impact', 'y']);
    assert.deepEqual(r.last?.body, { title: 'x', impact: 'y' });
    const bad = await cli(['declare', 'x', '--impact', 'y', '--fact', 'scary']);
    assert.equal(bad.code, 2);
    assert.equal(bad.sent.length, 0);
    assert.match(bad.stderr, /^firebreak: option '--fact <fact>' argument 'scary' is invalid/);
  });

  it('severity: --if-match and --idempotency-key become headers; the token flag wins over the env', async () => {
    const r = await cli(['severity', 'INC-3', 'SEV1', '--reason', 'data loss', '--if-match', '4', '--idempotency-key', 'k-9', '--token', 'other']);
    assert.equal(r.last?.path, '/api/v1/incidents/INC-3/severity');
    assert.deepEqual(r.last?.body, { severity: 'SEV1', reason: 'data loss' });
    assert.equal(r.last?.headers['if-match'], '4');
    assert.equal(r.last?.headers['idempotency-key'], 'k-9');
    assert.equal(r.last?.headers.authorization, 'Bearer other');
  });

  it('impact: boundary flags are sent only when one is given', async () => {
    const plain = await cli(['impact', '3', 'Checkout answers 500']);
    assert.deepEqual(plain.last?.body, { statement: 'Checkout answers 500', confirmed: false });
    assert.equal(plain.last?.method, 'PUT');
    const flagged = await cli(['impact', '3', 'x', '--confirmed', '--coexistence-seam', '--users-affected', '1200', '--data-loss']);
    assert.deepEqual(flagged.last?.body, {
      statement: 'x',
      confirmed: true,
      usersAffected: 1200,
      dataLoss: true,
      boundary: { unsupportedFlow: false, coexistenceSeam: true, rolloutBoundary: false },
    });
    const reviewed = await cli(['impact', '3', 'x', '--confirmed', '--boundary-reviewed']);
    assert.deepEqual(reviewed.last?.body, {
      statement: 'x',
      confirmed: true,
      boundary: { unsupportedFlow: false, coexistenceSeam: false, rolloutBoundary: false },
    });
  });

  it('assign and unassign', async () => {
    const a = await cli(['assign', '3', 'commander', 'ana']);
    assert.equal(a.last?.method, 'POST');
    assert.equal(a.last?.path, '/api/v1/incidents/3/roles');
    assert.deepEqual(a.last?.body, { role: 'commander', person: 'ana' });
    const u = await cli(['unassign', '3', 'responder', 'li']);
    assert.equal(u.last?.method, 'DELETE');
    assert.deepEqual(u.last?.body, { role: 'responder', person: 'li' });
  });

  it('comms, update, note and evidence', async () => {
    const c = await cli(['comms', '3', '--channel', '#inc-3', '--decision-owner', 'ana', '--cadence', '30', '--external-trigger', 'customer-visible for 15 min']);
    assert.equal(c.last?.method, 'PUT');
    assert.deepEqual(c.last?.body, { channel: '#inc-3', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'customer-visible for 15 min' });
    const u = await cli(['update', '3', 'Rolled back', '--external']);
    assert.deepEqual(u.last?.body, { audience: 'external', body: 'Rolled back' });
    const internal = await cli(['update', '3', 'Looking']);
    assert.deepEqual(internal.last?.body, { audience: 'internal', body: 'Looking' });
    const n = await cli(['note', '3', 'Paged the DBA']);
    assert.equal(n.last?.path, '/api/v1/incidents/3/notes');
    assert.deepEqual(n.last?.body, { body: 'Paged the DBA' });
    const e = await cli(['evidence', '3', 'metric', 'Error rate 40%', '--url', 'https://grafana.example/d/1']);
    assert.deepEqual(e.last?.body, { kind: 'metric', title: 'Error rate 40%', url: 'https://grafana.example/d/1' });
    assert.equal(e.last?.origin, 'http://fb.test:7070');
  });

  it('global options work before or after the command; evidence --url is the link, never the server', async () => {
    const after = await cli(['show', '3', '--url', 'http://other.test:1234', '--token', 't2']);
    assert.equal(after.last?.origin, 'http://other.test:1234');
    assert.equal(after.last?.headers.authorization, 'Bearer t2');
    const before = await cli(['--url', 'http://other.test:1234', 'evidence', '3', 'log', 'Trace', '--url', 'https://logs.example/q', '--json']);
    assert.equal(before.last?.origin, 'http://other.test:1234');
    assert.deepEqual(before.last?.body, { kind: 'log', title: 'Trace', url: 'https://logs.example/q' });
    assert.equal(JSON.parse(before.stdout).id, 'INC-3');
  });

  it('mitigate: fail-closed, fail-open and neither', async () => {
    const base = ['mitigate', '3', 'rollback', '--action', 'roll back to v41', '--rationale', 'v42 is the suspect'];
    const neither = await cli(base);
    assert.deepEqual(neither.last?.body, { kind: 'rollback', action: 'roll back to v41', rationale: 'v42 is the suspect' });
    const closed = await cli([...base, '--fail-closed', '--lever', 'rollback', '--execute']);
    assert.deepEqual(closed.last?.body, {
      kind: 'rollback', action: 'roll back to v41', rationale: 'v42 is the suspect', lever: 'rollback', failClosed: true, execute: true,
    });
    const open = await cli([...base, '--fail-open-reason', 'reads only']);
    assert.deepEqual(open.last?.body, { kind: 'rollback', action: 'roll back to v41', rationale: 'v42 is the suspect', failClosed: false, failOpenReason: 'reads only' });
    const both = await cli([...base, '--fail-open', '--fail-closed']);
    assert.equal(both.code, 2);
    assert.equal(both.sent.length, 0);
  });

  it('question asks, and answers with --answer', async () => {
    const q = await cli(['question', '3', 'Did the migration run twice?']);
    assert.equal(q.last?.path, '/api/v1/incidents/3/questions');
    assert.deepEqual(q.last?.body, { question: 'Did the migration run twice?' });
    const a = await cli(['question', '3', '--answer', 'q1', 'No, once']);
    assert.equal(a.last?.path, '/api/v1/incidents/3/questions/Q1/answer');
    assert.deepEqual(a.last?.body, { answer: 'No, once' });
  });

  it('guardrail and status', async () => {
    const g = await cli(['guardrail', '3', '--what', 'pricing_v2 off', '--why', 'wrong totals', '--owner', 'li', '--removal-condition', 'fix shipped']);
    assert.deepEqual(g.last?.body, { what: 'pricing_v2 off', why: 'wrong totals', owner: 'li', removalCondition: 'fix shipped' });
    const plain = await cli(['status', '3', 'mitigated']);
    assert.deepEqual(plain.last?.body, { to: 'mitigated' });
    const full = await cli(['status', '3', 'Resolved', '--no-guardrails', '--alerts-override', 'flapping', '--override', 'exec call', '--reason', 'r']);
    assert.deepEqual(full.last?.body, { to: 'resolved', reason: 'r', noGuardrails: true, alertsOverride: 'flapping', override: { reason: 'exec call' } });
  });

  it('postmortem --file reads JSON or YAML and PUTs it; without --file prints the report', async () => {
    const files: Record<string, string> = {
      'pm.json': '{"summary":"s","impact":"i","whys":["w"],"rootCause":"r"}',
      'pm.yaml': 'summary: s\nimpact: i\nwhys: [w1, w2]\nrootCause: r\nwentWell: [rollback was quick]\n',
    };
    const readFile = async (p: string) => files[p] ?? Promise.reject(new Error('ENOENT: no such file'));
    const j = await cli(['postmortem', '3', '--file', 'pm.json'], undefined, { readFile });
    assert.equal(j.last?.method, 'PUT');
    assert.deepEqual(j.last?.body, { summary: 's', impact: 'i', whys: ['w'], rootCause: 'r' });
    const y = await cli(['postmortem', '3', '--file', 'pm.yaml'], undefined, { readFile });
    assert.deepEqual(y.last?.body, { summary: 's', impact: 'i', whys: ['w1', 'w2'], rootCause: 'r', wentWell: ['rollback was quick'] });
    const missing = await cli(['postmortem', '3', '--file', 'nope.yaml'], undefined, { readFile });
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, 'firebreak: nope.yaml: ENOENT: no such file\n');
    const report = await cli(['postmortem', '3'], [{ text: '# Postmortem: INC-3\n' }]);
    assert.equal(report.last?.method, 'GET');
    assert.deepEqual(report.last?.query, { format: 'md' });
    assert.equal(report.stdout, '# Postmortem: INC-3\n');
    const html = await cli(['postmortem', '3', '--format', 'html'], [{ text: '<h1>x</h1>' }]);
    assert.deepEqual(html.last?.query, { format: 'html' });
  });

  it('action adds with a default priority; action set patches the item', async () => {
    const a = await cli(['action', '3', 'Add a canary', '--owner', 'li', '--due', '2026-03-15T00:00:00Z']);
    assert.deepEqual(a.last?.body, { title: 'Add a canary', owner: 'li', dueAt: '2026-03-15T00:00:00Z', priority: 'P2' });
    const missing = await cli(['action', '3', 'Add a canary', '--owner', 'li']);
    assert.equal(missing.code, 2);
    assert.equal(missing.sent.length, 0);
    const s = await cli(['action', 'set', 'inc-3-a1', 'in-progress', '--if-match', '9']);
    assert.equal(s.code, 0, s.stderr);
    assert.equal(s.last?.method, 'PATCH');
    assert.equal(s.last?.path, '/api/v1/actions/INC-3-A1');
    assert.deepEqual(s.last?.body, { status: 'in_progress' });
    assert.equal(s.last?.headers['if-match'], '9');
  });

  it('ls turns filters into the query and prints the table', async () => {
    const page = {
      items: [
        { id: 'INC-3', number: 3, title: 'Checkout fails', status: 'investigating', severity: 'SEV2', services: [], commander: 'ana',
          declaredAt: '2026-03-01T11:00:00.000Z', startedAt: null, updatedAt: '2026-03-01T11:00:00.000Z', version: 4 },
      ],
      nextCursor: '3',
    };
    const r = await cli(['ls', '--status', 'investigating,mitigated', '--severity', 'sev1', '--severity', 'sev2', '--service', 'checkout', '--limit', '20'], [{ json: page }]);
    assert.equal(r.last?.method, 'GET');
    assert.deepEqual(r.last?.query, { status: 'investigating,mitigated', severity: 'SEV1,SEV2', service: 'checkout', limit: '20' });
    assert.equal(r.last?.headers['idempotency-key'], undefined);
    assert.equal(
      r.stdout,
      [
        'ID     SEV   STATUS         TITLE           COMMANDER  AGE',
        'INC-3  SEV2  investigating  Checkout fails  ana        1h00m',
        '(more: firebreak ls --cursor 3)',
        '',
      ].join('\n'),
    );
    const bad = await cli(['ls', '--limit', 'many']);
    assert.equal(bad.code, 2);
  });

  it('--json prints the raw answer', async () => {
    const inc = incident();
    const r = await cli(['show', '3', '--json'], [{ json: inc }]);
    assert.deepEqual(JSON.parse(r.stdout), JSON.parse(JSON.stringify(inc)));
    const t = await cli(['--json', 'timeline', '3'], [{ json: { incident: { id: 'INC-3' }, events: [{ seq: 1 }], nextCursor: '1' } }, { json: { incident: { id: 'INC-3' }, events: [{ seq: 2 }], nextCursor: null } }]);
    assert.deepEqual(JSON.parse(t.stdout).events, [{ seq: 1 }, { seq: 2 }]);
    assert.deepEqual(t.sent.map((s) => s.query.cursor), [undefined, '1']);
  });

  it('timeline and playbook print the server text, csv on request', async () => {
    const r = await cli(['timeline', '3', '--format', 'csv'], [{ text: 'at,actor\n', type: 'text/csv' }]);
    assert.deepEqual(r.last?.query, { format: 'csv' });
    assert.equal(r.stdout, 'at,actor\n');
    const p = await cli(['playbook', 'INC-3'], [{ text: '# INC-3 checklist' }]);
    assert.equal(p.last?.path, '/api/v1/incidents/INC-3/playbook');
    assert.deepEqual(p.last?.query, { format: 'md' });
    assert.equal(p.stdout, '# INC-3 checklist\n');
  });

  it('triage sends the facts given', async () => {
    const r = await cli(['triage', '--service-down', '--workaround-exists'], [{ json: { severity: 'SEV1', reasons: ['service down'] } }]);
    assert.deepEqual(r.last?.body, { serviceDown: true, workaroundExists: true });
    assert.equal(r.stdout, 'SEV1\n  - service down\n');
  });

  it('token and user administration', async () => {
    const t = await cli(['token', 'create', 'ci', '--role', 'responder'], [{ status: 201, json: { id: 't1', name: 'ci', role: 'responder', token: 'fb_secret' } }]);
    assert.deepEqual(t.last?.body, { name: 'ci', role: 'responder' });
    assert.equal(t.stdout, 'fb_secret\n');
    assert.match(t.stderr, /shown only once/);
    const rv = await cli(['token', 'revoke', 't1'], [{ status: 204 }]);
    assert.equal(rv.last?.method, 'DELETE');
    assert.equal(rv.last?.path, '/api/v1/tokens/t1');
    assert.equal(rv.code, 0);
    const ls = await cli(['token', 'ls'], [{ json: { items: [{ id: 't1', name: 'ci', role: 'responder', createdAt: '2026-03-01T00:00:00Z', revokedAt: null }] } }]);
    assert.equal(ls.stdout, 'ID  NAME  ROLE       CREATED               REVOKED\nt1  ci    responder  2026-03-01T00:00:00Z  -\n');

    const created = { status: 201, json: { id: 'u1', username: 'ana', role: 'responder' } };
    const fromStdin = await cli(['user', 'create', 'ana', '--role', 'responder', '--password-stdin'], [created], {
      readStdin: async () => 'correct horse battery\n',
    });
    assert.deepEqual(fromStdin.last?.body, { username: 'ana', password: 'correct horse battery', role: 'responder' });
    const fromEnv = await cli(['user', 'create', 'ana', '--role', 'responder'], [created], {
      env: { FIREBREAK_TOKEN: 't', FIREBREAK_PASSWORD: 'from the env 123' },
    });
    assert.equal((fromEnv.last?.body as { password: string }).password, 'from the env 123');
    const none = await cli(['user', 'create', 'ana', '--role', 'responder']);
    assert.equal(none.code, 2);
    assert.equal(none.sent.length, 0);
  });
});

describe('errors and exit codes', () => {
  const problem = (status: number, code: string, extra = {}) => ({ status, json: { status, code, detail: 'Nope.', requestId: 'r1', ...extra } });

  const cases: [string, Answer, number][] = [
    ['validation', problem(400, 'validation', { errors: [{ path: 'body.severity', message: 'must be one of SEV1, SEV2, SEV3, SEV4' }] }), 3],
    ['unauthorized', problem(401, 'unauthorized'), 4],
    ['forbidden', problem(403, 'forbidden'), 4],
    ['not_found', problem(404, 'not_found'), 5],
    ['conflict', problem(409, 'conflict', { currentVersion: 5 }), 6],
    ['too_large', problem(413, 'too_large'), 3],
    ['gate_unmet', problem(422, 'gate_unmet', { unmet: [{ code: 'evidence_missing', message: 'Attach evidence.' }] }), 7],
    ['internal', problem(500, 'internal'), 1],
  ];
  for (const [name, answer, exit] of cases) {
    it(`${name} → exit ${exit}, first stderr line says it all, stdout empty`, async () => {
      const r = await cli(['severity', '3', 'SEV2', '--reason', 'r'], [answer]);
      assert.equal(r.code, exit);
      assert.equal(r.stdout, '');
      assert.match(r.stderr, /^firebreak: Nope/);
      if (name !== 'gate_unmet') assert.equal(r.stderr.split('\n').length, 2, r.stderr);
      assert.ok(!r.stderr.includes('    at '));
    });
  }

  it('a refused gate lists the unmet codes on the first line', async () => {
    const unmet = [
      { code: 'severity_missing', message: 'Set the severity.' },
      { code: 'evidence_missing', message: 'Attach evidence.' },
    ];
    const r = await cli(['status', 'INC-3', 'resolved'], [problem(422, 'gate_unmet', { detail: 'INC-3 cannot move to resolved yet.', unmet })]);
    assert.equal(r.code, 7);
    assert.equal(
      r.stderr,
      'firebreak: INC-3 cannot move to resolved yet: severity_missing, evidence_missing\n  severity_missing: Set the severity.\n  evidence_missing: Attach evidence.\n',
    );
  });

  it('with --json an error also prints the problem body on stdout', async () => {
    const r = await cli(['show', '99', '--json'], [problem(404, 'not_found', { detail: 'Incident INC-99 does not exist.' })]);
    assert.equal(r.code, 5);
    assert.equal(JSON.parse(r.stdout).code, 'not_found');
    assert.equal(r.stderr, 'firebreak: Incident INC-99 does not exist\n');
  });

  it('server unreachable → exit 8 after one retry with the same Idempotency-Key', async () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }) });
    const r = await cli(['note', '3', 'x'], [refused]);
    assert.equal(r.code, 8);
    assert.equal(r.sent.length, 2);
    assert.deepEqual(r.sent.map((s) => s.headers['idempotency-key']), ['key-1', 'key-1']);
    assert.equal(r.stderr, 'firebreak: cannot reach the Firebreak server at http://fb.test:7070 (ECONNREFUSED): is it running? (set FIREBREAK_URL or --url)\n');
  });

  it('a network blip or a 5xx is retried once with the same key, then succeeds', async () => {
    const blip = await cli(['note', '3', 'x'], [new TypeError('fetch failed'), { json: incident() }]);
    assert.equal(blip.code, 0);
    assert.equal(blip.sent.length, 2);
    const fivexx = await cli(['note', '3', 'x'], [{ status: 503, text: 'busy', type: 'text/plain' }, { json: incident() }]);
    assert.equal(fivexx.code, 0);
    assert.deepEqual(fivexx.sent.map((s) => s.headers['idempotency-key']), ['key-1', 'key-1']);
  });

  it('an admin call has no key, so it is not retried', async () => {
    const r = await cli(['token', 'create', 'ci', '--role', 'viewer'], [new TypeError('fetch failed')]);
    assert.equal(r.code, 8);
    assert.equal(r.sent.length, 1);
  });

  it('no token: the 401 line says where to put one', async () => {
    const r = await cli(['ls'], [problem(401, 'unauthorized', { detail: 'Authentication required.' })], { env: {} });
    assert.equal(r.code, 4);
    assert.equal(r.last?.headers.authorization, undefined);
    assert.equal(r.last?.path, '/api/v1/incidents');
    assert.equal(r.stderr, 'firebreak: Authentication required (set FIREBREAK_TOKEN or --token)\n');
  });

  it('the default URL is the local server', async () => {
    const r = await cli(['ls'], [{ json: { items: [], nextCursor: null } }], { env: {} });
    assert.equal(r.code, 0);
    assert.equal(r.stdout, 'No incidents.\n');
  });

  it('usage errors exit 2 with one line; help exits 0', async () => {
    const missing = await cli(['severity', '3', 'SEV2']);
    assert.equal(missing.code, 2);
    assert.equal(missing.stderr, "firebreak: required option '--reason <text>' not specified\n");
    const unknown = await cli(['sevrity']);
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /^firebreak: unknown command 'sevrity'/);
    const extra = await cli(['show', '3', '4']);
    assert.equal(extra.code, 2);
    const badUrl = await cli(['ls', '--url', 'ftp://x']);
    assert.equal(badUrl.code, 2);
    assert.equal(badUrl.stderr, 'firebreak: --url/FIREBREAK_URL: not an http(s) URL: ftp://x\n');
    const help = await cli(['--help']);
    assert.equal(help.code, 0);
    assert.match(help.stdout, /Usage: firebreak/);
    assert.equal(help.sent.length, 0);
  });

  it('serve hands the environment to the server runner', async () => {
    let got: unknown;
    const r = await cli(['serve'], [], {
      env: { PORT: '7071' },
      serve: async (env) => {
        got = env;
      },
    });
    assert.equal(r.code, 0);
    assert.deepEqual(got, { PORT: '7071' });
  });
});

describe('time flags: ISO-8601 or relative to the CLI clock (2026-03-01T12:00:00Z here)', () => {
  const deployed = { status: 201, json: { externalId: 'run-1', service: 'checkout', version: 'v2', environment: 'production', status: 'succeeded' } };

  it('every time flag takes -15m, +7d and now, as typed with a space or with =', async () => {
    const d = await cli(['declare', 'x', '--impact', 'y', '--started-at', '-15m', '--detected-at', 'now']);
    assert.equal(d.code, 0, d.stderr);
    assert.deepEqual(d.last?.body, { title: 'x', impact: 'y', startedAt: '2026-03-01T11:45:00.000Z', detectedAt: '2026-03-01T12:00:00.000Z' });
    const i = await cli(['impact', '3', 'x', '--started-at=-1h30m']);
    assert.deepEqual(i.last?.body, { statement: 'x', confirmed: false, startedAt: '2026-03-01T10:30:00.000Z' });
    const a = await cli(['action', '3', 'Add a canary', '--owner', 'li', '--due', '+7d']);
    assert.deepEqual(a.last?.body, { title: 'Add a canary', owner: 'li', dueAt: '2026-03-08T12:00:00.000Z', priority: 'P2' });
    const r = await cli(['deploy', 'record', '--service', 'checkout', '--version', 'v2', '--environment', 'production', '--external-id', 'run-1',
      '--started-at', '-20m', '--finished-at', '-12m'], [deployed]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.last?.body, {
      externalId: 'run-1', service: 'checkout', environment: 'production', version: 'v2', status: 'succeeded',
      startedAt: '2026-03-01T11:40:00.000Z', finishedAt: '2026-03-01T11:48:00.000Z',
    });
    const n = await cli(['insights', '--from', '-7d', '--to', 'now'], [{ json: {} }]);
    assert.deepEqual(n.last?.query, { from: '2026-02-22T12:00:00.000Z', to: '2026-03-01T12:00:00.000Z' });
  });

  it('a bad time is one line naming the flag, exit 2, nothing sent', async () => {
    const due = await cli(['action', '3', 'Add a canary', '--owner', 'li', '--due', 'tomorrow']);
    assert.deepEqual(
      [due.code, due.sent.length, due.stderr],
      [2, 0, "firebreak: option '--due <time>' argument 'tomorrow' is invalid. expected an ISO-8601 date-time with a time zone, now, or a relative time such as -15m or +7d.\n"],
    );
    const started = await cli(['deploy', 'record', '--service', 's', '--version', 'v', '--environment', 'e', '--started-at', '20m']);
    assert.deepEqual([started.code, started.sent.length], [2, 0]);
    assert.match(started.stderr, /^firebreak: option '--started-at <time>' argument '20m' is invalid\. /);
    const noDue = await cli(['action', '3', 'Add a canary', '--owner', 'li']);
    assert.equal(noDue.stderr, "firebreak: required option '--due <time>' not specified\n");
  });
});

describe('alerts', () => {
  const alert = {
    id: 'al-1', source: 'alertmanager', dedupKey: 'am:e16b', status: 'firing', service: 'checkout', senderService: 'checkout',
    summary: '5xx rate 30% on checkout', severity: 'critical', signal: 'error_rate', labels: { alertname: 'Checkout5xx' }, annotations: {},
    startsAt: '2026-03-01T11:48:00.000Z', endsAt: null, generatorURL: null, receivedAt: '2026-03-01T11:59:00.000Z',
    firstReceivedAt: '2026-03-01T11:48:00.000Z', occurrences: 2, incident: null,
  };

  it('alerts ls sends the filters and prints a table; --inbox is incident=none', async () => {
    const r = await cli(['alerts', 'ls', '--status', 'firing', '--service', 'checkout', '--incident', 'INC-3', '--limit', '5'], [{ json: { items: [alert], nextCursor: '9' } }]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.last?.method, r.last?.path, r.last?.query], ['GET', '/api/v1/alerts', { status: 'firing', service: 'checkout', incident: 'INC-3', limit: '5' }]);
    assert.equal(
      r.stdout,
      [
        'ID    SEVERITY  STATUS  SERVICE   INCIDENT  FIRED  SINCE  SUMMARY',
        'al-1  critical  firing  checkout  -         2×     12m    5xx rate 30% on checkout',
        '(more: the same command with --cursor 9)',
        '',
      ].join('\n'),
    );
    const inbox = await cli(['alerts', 'list', '--inbox', '--dedup-key', 'am:e16b'], [{ json: { items: [], nextCursor: null } }]);
    assert.deepEqual(inbox.last?.query, { incident: 'none', dedupKey: 'am:e16b' });
    assert.equal(inbox.stdout, 'No alerts.\n');
    const both = await cli(['alerts', 'ls', '--inbox', '--incident', '3']);
    assert.deepEqual([both.code, both.sent.length], [2, 0]);
  });

  it('alerts attach posts the alert id to the incident; declare needs a title unless --from-alert', async () => {
    const r = await cli(['alerts', 'attach', 'al-1', 'INC-3']);
    assert.deepEqual([r.last?.method, r.last?.path, r.last?.body], ['POST', '/api/v1/incidents/INC-3/alerts', { alertId: 'al-1' }]);
    assert.equal(r.stdout, 'INC-3: alert al-1 attached  [investigating · no severity · v4]\n');
    const untitled = await cli(['declare', '--impact', 'y']);
    assert.deepEqual([untitled.code, untitled.sent.length, untitled.stderr], [2, 0, "firebreak: missing required argument 'title'\n"]);
  });

  it('declare --from-alert reads the alert, declares with its title and service, links it, then notes it under its own key', async () => {
    const r = await cli(['declare', '--from-alert', 'al-1', '--impact', 'Checkout fails'], [{ json: alert }, { json: incident() }, { json: incident() }, { json: incident() }]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.sent.map((s) => [s.method, s.path]), [
      ['GET', '/api/v1/alerts/al-1'],
      ['POST', '/api/v1/incidents'],
      ['POST', '/api/v1/incidents/INC-3/alerts'],
      ['POST', '/api/v1/incidents/INC-3/notes'],
    ]);
    assert.deepEqual(r.sent[1]?.body, { title: '[checkout] 5xx rate 30% on checkout', impact: 'Checkout fails', services: ['checkout'] });
    assert.deepEqual(r.sent[2]?.body, { alertId: 'al-1' });
    assert.deepEqual(r.sent.map((s) => s.headers['idempotency-key']), [undefined, 'key-1', undefined, 'key-1:note']);
    assert.equal(
      (r.sent[3]?.body as { body: string }).body,
      'Declared from alert am:e16b (alertmanager, critical, firing, fired 2×, since 2026-03-01T11:48:00.000Z).\nSummary: 5xx rate 30% on checkout\nLabels: alertname=Checkout5xx',
    );
    assert.equal(r.stdout, 'INC-3: declared "Checkout fails" from alert al-1  [investigating · no severity · v4]\n');
  });
});
