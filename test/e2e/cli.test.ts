import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../../src/store/test-adapters.js';
import { runCli, type CliResult } from './run-cli.js';
import { freePort, startServerProcess, type ServerProcess } from './server.js';

// The seven-step story through a real server process, once per storage engine.
for (const adapter of adapters()) describe(`firebreak CLI against a real server on ${adapter.name}`, { timeout: 180_000 }, () => {
  let server: ServerProcess;
  let dropDatabase = async () => {};
  let dir: string;
  let id = '';
  let env: Record<string, string>;

  const fb = (...args: string[]) => runCli(args, env);
  const ok = async (...args: string[]) => {
    const r = await fb(...args);
    assert.equal(r.code, 0, `firebreak ${args.join(' ')} exited ${r.code}\n${r.stderr}\nserver:\n${server.output()}`);
    assert.equal(r.stderr, '');
    return r;
  };
  const failed = (r: CliResult, code: number) => {
    assert.equal(r.code, code, `expected exit ${code}, got ${r.code}: ${r.stderr}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /^firebreak: \S/);
    assert.ok(!r.stderr.includes('    at '), 'no stack traces');
  };

  before(async () => {
    let engineEnv: Record<string, string> = {};
    if (adapter.name === 'postgres') {
      const db = await adapter.database();
      dropDatabase = () => db.drop();
      engineEnv = { DATABASE_URL: db.location };
    }
    server = await startServerProcess(engineEnv);
    env = { FIREBREAK_URL: server.url, FIREBREAK_TOKEN: server.adminToken };
    dir = mkdtempSync(join(tmpdir(), 'firebreak-cli-'));
  });

  after(async () => {
    await server?.stop();
    await dropDatabase();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('1. declares the incident and its boundary', async () => {
    const r = await ok(
      'declare', 'Checkout fails for all users',
      '--impact', 'Checkout answers 500 for every user',
      '--service', 'checkout', '--coexistence-seam', '--started-at', '-15m', '--json',
    );
    const inc = JSON.parse(r.stdout);
    const sinceStart = Date.now() - Date.parse(inc.milestones.startedAt);
    assert.ok(sinceStart >= 15 * 60_000 && sinceStart < 16 * 60_000, inc.milestones.startedAt);
    assert.match(inc.id, /^INC-\d+$/);
    assert.equal(inc.status, 'investigating');
    assert.equal(inc.impact.confirmed, false);
    assert.deepEqual(inc.impact.boundary, { unsupportedFlow: false, coexistenceSeam: true, rolloutBoundary: false });
    id = inc.id;

    const ls = await ok('ls');
    assert.match(ls.stdout, /^ID\s+SEV\s+STATUS\s+TITLE\s+COMMANDER\s+AGE$/m);
    assert.match(ls.stdout, new RegExp(`^${id}\\s+-\\s+investigating\\s+Checkout fails for all users\\s+-\\s+\\d+s$`, 'm'));
  });

  it('2. triages the severity by user impact', async () => {
    const t = await ok('triage', '--major-feature-broken', '--significant-user-impact');
    assert.match(t.stdout, /^SEV2\n/);
    const r = await ok('severity', id, 'SEV2', '--reason', 'payments fail for every user');
    assert.equal(r.stdout, `${id}: severity SEV2  [investigating · SEV2 · v3]\n`);
  });

  it('3. assembles the team and the cadence', async () => {
    await ok('assign', id, 'commander', 'ana');
    await ok('assign', id, 'responder', 'li');
    await ok('assign', id, 'comms', 'bo');
    const r = await ok('comms', id, '--channel', '#inc-checkout', '--decision-owner', 'ana', '--cadence', '30',
      '--external-trigger', 'customer-visible for more than 15 minutes');
    assert.match(r.stdout, /comms plan set: #inc-checkout, every 30 min/);
  });

  it('4. mitigates first, fail-closed', async () => {
    const r = await ok('mitigate', id, 'rollback', '--lever', 'rollback', '--fail-closed',
      '--action', 'Roll checkout back to v41', '--rationale', 'v42 shipped 5 minutes before impact started');
    assert.match(r.stdout, /mitigation M1 recorded/);
    const m = await ok('status', id, 'mitigated');
    assert.match(m.stdout, /now mitigated/);
  });

  it('5. investigates with evidence and records open questions', async () => {
    const e = await ok('evidence', id, 'metric', 'Checkout 5xx at 40%', '--url', 'https://grafana.example/d/checkout');
    assert.match(e.stdout, /evidence E1 added/);
    const q = await ok('question', id, 'Did the v42 migration run twice?');
    assert.match(q.stdout, /question Q1 asked/);
    const a = await ok('question', id, '--answer', 'Q1', 'No: it ran once, the pricing flag was the trigger');
    assert.match(a.stdout, /question Q1 answered/);
    await ok('note', id, 'Paged the payments team');
    await ok('update', id, 'Checkout is failing; rollback in progress', '--external');
  });

  it('6. verifies recovery: the gate refuses with every unmet criterion, then passes', async () => {
    const g = await ok('guardrail', id, '--what', 'pricing_v2 flag forced off', '--why', 'v2 totals were wrong',
      '--owner', 'li', '--removal-condition', 'pricing fix v43 deployed and verified');
    assert.match(g.stdout, /guardrail G1 added/);

    const refused = await fb('status', id, 'resolved');
    assert.equal(refused.code, 7, refused.stderr);
    assert.equal(refused.stdout, '');
    const [first, ...rest] = refused.stderr.trimEnd().split('\n');
    assert.equal(first, `firebreak: ${id} cannot move to resolved yet: impact_unconfirmed`);
    assert.match(rest.join('\n'), /^ {2}impact_unconfirmed: /);

    const shown = await ok('show', id);
    assert.match(shown.stdout, /next gate {2}resolved: impact_unconfirmed/);

    await ok('impact', id, 'Checkout answered 500 for every user for 25 minutes', '--confirmed');
    const r = await ok('status', id, 'resolved');
    assert.match(r.stdout, /now resolved/);
  });

  it('7. writes the postmortem from a file, adds an action item, has it reviewed and published, and closes', async () => {
    const file = join(dir, 'pm.yaml');
    writeFileSync(
      file,
      [
        'summary: A pricing change made checkout fail for every user for 25 minutes.',
        'impact: All checkouts failed between 10:05 and 10:30 UTC.',
        'whys:',
        '  - Checkout answered 500',
        '  - The pricing service returned totals checkout could not parse',
        '  - pricing_v2 shipped with a new number format',
        '  - The contract test did not cover the format',
        'rootCause: No contract test between checkout and pricing for number formats.',
        'wentWell: [Rollback took 3 minutes]',
        'wentPoorly: [The flag was not in the runbook]',
        'lessons: [Contract tests for every cross-service format]',
        '',
      ].join('\n'),
    );
    const w = await ok('postmortem', id, '--file', file);
    assert.match(w.stdout, /postmortem written/);

    const blocked = await fb('status', id, 'closed');
    assert.equal(blocked.code, 7);
    assert.match(blocked.stderr, new RegExp(`^firebreak: ${id} cannot move to closed yet: action_items_missing, postmortem_unpublished\n`));

    const a = await ok('action', id, 'Add a checkout↔pricing contract test', '--owner', 'li', '--due', '+14d', '--priority', 'P1', '--kind', 'fix');
    assert.match(a.stdout, new RegExp(`action item ${id}-A2 added`), 'A1 is the guardrail removal');
    await ok('action', 'set', `${id}-A2`, 'in_progress');
    const edited = await ok('action', 'edit', `${id}-A1`, '--due', '+7d', '--ticket', 'https://tracker.example/PRC-9');
    assert.match(edited.stdout, new RegExp(`action item ${id}-A1 edited`));

    const report = await ok('postmortem', id);
    assert.match(report.stdout, /No contract test between checkout and pricing/);

    const reviewer = JSON.parse((await ok('token', 'create', 'e2e-reviewer', '--role', 'responder', '--json')).stdout);
    await ok('postmortem', 'assign', id, '--reviewer', 'token:e2e-reviewer');
    const submitted = await ok('postmortem', 'submit', id);
    assert.match(submitted.stdout, /postmortem in review \(author [^;]+; reviewers token:e2e-reviewer\)/);
    const notReviewer = await fb('postmortem', 'publish', id);
    failed(notReviewer, 4);
    const published = await runCli(['postmortem', 'publish', id], { FIREBREAK_URL: server.url, FIREBREAK_TOKEN: reviewer.token });
    assert.equal(published.code, 0, published.stderr);
    assert.match(published.stdout, /postmortem published/);

    const due = await ok('actions', '--incident', id, '--json');
    assert.deepEqual(JSON.parse(due.stdout).items.map((x: { id: string; kind: string }) => [x.id, x.kind]), [
      [`${id}-A1`, 'guardrail-removal'],
      [`${id}-A2`, 'fix'],
    ]);
    const list = await ok('postmortems', '--state', 'published');
    assert.match(list.stdout, new RegExp(`${id} +published`));

    const c = await ok('status', id, 'closed');
    assert.match(c.stdout, /now closed/);
  });

  it('exports the timeline as Markdown and CSV, and the state as JSON', async () => {
    const md = await ok('timeline', id);
    assert.match(md.stdout, new RegExp(id));
    assert.match(md.stdout, /Checkout fails for all users/);
    const csv = await ok('timeline', id, '--format', 'csv');
    const lines = csv.stdout.trim().split(/\r?\n/);
    assert.ok(lines.length > 20, `expected a row per event, got ${lines.length}`);
    assert.match(lines[0]!, /,/);

    const json = await ok('show', id, '--json');
    const inc = JSON.parse(json.stdout);
    assert.equal(inc.id, id);
    assert.equal(inc.status, 'closed');
    assert.equal(inc.severity, 'SEV2');
    assert.deepEqual(inc.roles, { commander: 'ana', responders: ['li'], comms: 'bo', scribe: null });
    assert.equal(inc.actions[1].status, 'in_progress');
    assert.equal(inc.actions[0].ticketUrl, 'https://tracker.example/PRC-9');
    const untilDue = Date.parse(inc.actions[1].dueAt) - Date.now();
    assert.ok(untilDue > 13.9 * 86_400_000 && untilDue <= 14 * 86_400_000, inc.actions[1].dueAt);
    assert.equal(inc.questions[0].answer, 'No: it ran once, the pricing flag was the trigger');

    const playbook = await ok('playbook', id);
    assert.ok(playbook.stdout.length > 0);
  });

  it('deploy record takes times relative to now', async () => {
    const r = await ok('deploy', 'record', '--service', 'checkout', '--version', 'v1.42', '--previous-version', 'v1.41',
      '--environment', 'production', '--started-at', '-20m', '--finished-at', '-12m', '--json');
    const d = JSON.parse(r.stdout);
    assert.equal(Date.parse(d.finishedAt) - Date.parse(d.startedAt), 8 * 60_000);
    const sinceStart = Date.now() - Date.parse(d.startedAt);
    assert.ok(sinceStart >= 20 * 60_000 && sinceStart < 21 * 60_000, d.startedAt);

    const bad = await fb('deploy', 'record', '--service', 'checkout', '--version', 'v1.43', '--environment', 'production', '--started-at', '20 minutes ago');
    failed(bad, 2);
    assert.equal(bad.stderr, "firebreak: option '--started-at <time>' argument '20 minutes ago' is invalid. expected an ISO-8601 date-time with a time zone, now, or a relative time such as -15m or +7d.\n");
  });

  it('alerts: ls, show, attach to an open incident; an unknown alert or a closed incident is refused and changes nothing', async () => {
    const sent = await fetch(`${server.url}/api/v1/alerts`, {
      method: 'POST',
      headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ dedupKey: 'e2e-search-latency', status: 'firing', summary: 'Search p95 above 2 s', severity: 'warning', service: 'search' }),
    });
    assert.equal(sent.status, 202, await sent.clone().text());
    const alertId = ((await sent.json()) as { items: { id: string }[] }).items[0]!.id;

    const page = JSON.parse((await ok('alerts', 'ls', '--status', 'firing', '--json')).stdout);
    const listed = page.items.find((a: { id: string }) => a.id === alertId);
    assert.equal(listed?.incident, null);
    assert.equal(listed?.status, 'firing');
    const table = await ok('alerts', 'ls', '--inbox');
    assert.match(table.stdout, new RegExp(`^${alertId}\\s+warning\\s+firing\\s+unrouted \\(sent as search\\)\\s+-\\s+1×\\s+\\d+s\\s+Search p95 above 2 s$`, 'm'));

    const shown = await ok('alerts', 'show', alertId);
    assert.match(shown.stdout, new RegExp(`^${alertId}  Search p95 above 2 s\n  status    firing\n`));

    const closed = await fb('alerts', 'attach', alertId, id);
    failed(closed, 7);
    assert.equal(closed.stderr, `firebreak: ${id} is closed: incident_not_open\n  incident_not_open: Alerts are attached to investigating or mitigated incidents only.\n`);
    const missing = await fb('alerts', 'attach', 'no-such-alert', id);
    failed(missing, 5);
    assert.equal(missing.stderr, 'firebreak: Alert no-such-alert does not exist\n');
    assert.equal(JSON.parse((await ok('alerts', 'show', alertId, '--json')).stdout).incident, null);

    const open = JSON.parse((await ok('declare', 'Search is slow', '--impact', 'Search takes 2 s or more', '--json')).stdout);
    const attached = await ok('alerts', 'attach', alertId, open.id);
    assert.match(attached.stdout, new RegExp(`^${open.id}: alert ${alertId} attached  \\[investigating · no severity · v\\d+\\]\n$`));
    assert.equal(JSON.parse((await ok('alerts', 'show', alertId, '--json')).stdout).incident, open.id);
  });

  it('a stale --if-match is a conflict (exit 6)', async () => {
    const r = await fb('note', id, 'late note', '--if-match', '1');
    failed(r, 6);
  });

  it('an unknown incident → exit 5', async () => {
    const r = await fb('show', 'INC-999999');
    failed(r, 5);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
  });

  it('a bad severity → exit 3 with one line naming the field', async () => {
    const r = await fb('severity', id.replace('INC-', ''), 'SEV9', '--reason', 'x');
    failed(r, 3);
    assert.equal(r.stderr.split('\n').length, 2, r.stderr);
    assert.match(r.stderr, /severity/);
  });

  it('no token → exit 4; a viewer token cannot write → exit 4', async () => {
    const anonymous = await runCli(['ls'], { FIREBREAK_URL: server.url });
    failed(anonymous, 4);
    assert.match(anonymous.stderr, /FIREBREAK_TOKEN/);

    const created = await ok('token', 'create', 'e2e-viewer', '--role', 'viewer', '--json');
    const viewer = JSON.parse(created.stdout);
    assert.equal(viewer.role, 'viewer');
    const asViewer = { FIREBREAK_URL: server.url, FIREBREAK_TOKEN: viewer.token };
    assert.equal((await runCli(['show', id], asViewer)).code, 0);
    failed(await runCli(['note', id, 'x'], asViewer), 4);

    const tokens = await ok('token', 'ls');
    assert.match(tokens.stdout, /e2e-viewer\s+viewer/);
    await ok('token', 'revoke', viewer.id);
    failed(await runCli(['show', id], asViewer), 4);
  });

  it('creates a user with the password on stdin', async () => {
    const r = await runCli(['user', 'create', 'e2e-ana', '--role', 'responder', '--password-stdin'], env, 'a long enough password\n');
    assert.equal(r.code, 0, r.stderr);
    const users = await ok('user', 'ls');
    assert.match(users.stdout, /e2e-ana\s+responder/);
  });

  it('server down → exit 8', async () => {
    const port = await freePort();
    const r = await runCli(['ls'], { FIREBREAK_URL: `http://127.0.0.1:${port}`, FIREBREAK_TOKEN: 'x'.repeat(32) });
    failed(r, 8);
    assert.match(r.stderr, /ECONNREFUSED/);
  });
});
