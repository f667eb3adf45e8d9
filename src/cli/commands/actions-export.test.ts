import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Command } from 'commander';
import type { CliIo, RunState } from '../context.js';
import { runCli } from '../test-cli.js';
import { registerActionsExportCommand } from './actions-export.js';

const MD = '# INC-7 — Checkout errors: follow-ups\n\nIncident: [INC-7](https://fb.example/incidents/INC-7) · 1 action item: 1 open, 0 in progress, 0 done\n';
const JIRA = [
  {
    fields: {
      project: { key: 'OPS' },
      issuetype: { name: 'Bug' },
      summary: 'Alert on checkout 5xx \u202eabove 2%',
      description: { version: 1, type: 'doc', content: [{ type: 'paragraph', content: [{ type: 'text', text: 'Follow-up INC-7-A1' }] }] },
      priority: { name: 'High' },
      duedate: '2026-12-04',
      labels: ['firebreak', 'INC-7', 'monitoring'],
    },
  },
];
const json = (body: unknown) => ({ text: JSON.stringify(body), type: 'application/json; charset=utf-8' });

describe('firebreak actions export', () => {
  it('asks for Markdown by default and prints it', async () => {
    const r = await runCli(['actions', 'export', 'INC-7'], [{ text: MD }]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.sent.length, 1);
    assert.equal(r.last?.method, 'GET');
    assert.equal(r.last?.path, '/api/v1/incidents/INC-7/actions/export');
    assert.deepEqual(r.last?.query, { format: 'md' });
    assert.equal(r.last?.headers.authorization, 'Bearer tok-123');
    assert.equal(r.stdout, MD);
    assert.equal(r.stderr, '');
  });

  it('passes the tracker parameters and prints the bodies as JSON, terminal controls escaped', async () => {
    const r = await runCli(['actions', 'export', '7', '--format', 'jira', '--project', 'OPS', '--issue-type', 'Bug'], [json(JIRA)]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.last?.path, '/api/v1/incidents/7/actions/export');
    assert.deepEqual(r.last?.query, { format: 'jira', project: 'OPS', issueType: 'Bug' });
    assert.deepEqual(JSON.parse(r.stdout), JIRA);
    assert.equal(r.stdout.includes('\u202e'), false);
    assert.ok(r.stdout.includes('\\u202e'));

    const linear = await runCli(['actions', 'export', 'INC-7', '--format', 'linear', '--team', 'c0ffee00-0000-4000-8000-000000000001'], [json([])]);
    assert.equal(linear.code, 0, linear.stderr);
    assert.deepEqual(linear.last?.query, { format: 'linear', team: 'c0ffee00-0000-4000-8000-000000000001' });
    const github = await runCli(['actions', 'export', 'INC-7', '--format', 'github'], [json([])]);
    assert.deepEqual(github.last?.query, { format: 'github' });
    assert.equal(github.stdout, '[]\n');
  });

  it('writes the export as served to --output and says so', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'fb-actions-'));
    try {
      const file = join(dir, 'INC-7-actions-jira.json');
      const served = JSON.stringify(JIRA);
      const r = await runCli(['actions', 'export', 'INC-7', '--format', 'jira', '--project', 'OPS', '--output', file], [json(JIRA)]);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(await readFile(file, 'utf8'), served);
      assert.equal(r.stdout, `wrote 1 jira request body to ${file}\n`);

      const csvFile = join(dir, 'actions.csv');
      const csv = 'id,title\r\nINC-7-A1,"a, b"\r\n';
      const c = await runCli(['actions', 'export', 'INC-7', '--format', 'csv', '--output', csvFile, '--json'], [{ text: csv, type: 'text/csv' }]);
      assert.equal(c.code, 0, c.stderr);
      assert.equal(await readFile(csvFile, 'utf8'), csv);
      assert.deepEqual(JSON.parse(c.stdout), { file: csvFile, format: 'csv' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('refuses a missing or misplaced tracker flag in one line, exit 2, before any request', async () => {
    const cases: [string[], string][] = [
      [['--format', 'jira'], 'firebreak: --format jira needs --project KEY\n'],
      [['--format', 'linear'], 'firebreak: --format linear needs --team ID\n'],
      [['--project', 'OPS'], 'firebreak: --project is only for --format jira\n'],
      [['--format', 'github', '--issue-type', 'Bug'], 'firebreak: --issue-type is only for --format jira\n'],
      [['--format', 'jira', '--project', 'OPS', '--team', 'x'], 'firebreak: --team is only for --format linear\n'],
    ];
    for (const [flags, stderr] of cases) {
      const r = await runCli(['actions', 'export', 'INC-7', ...flags], [{ text: MD }]);
      assert.equal(r.code, 2, flags.join(' '));
      assert.equal(r.stderr, stderr);
      assert.equal(r.sent.length, 0);
      assert.equal(r.stdout, '');
    }
    const bad = await runCli(['actions', 'export', 'INC-7', '--format', 'pdf'], [{ text: MD }]);
    assert.equal(bad.code, 2);
    assert.equal(bad.stderr.trim().split('\n').length, 1);
    assert.match(bad.stderr, /^firebreak: option '--format <format>' argument 'pdf' is invalid\. Allowed choices are md, csv, jira, linear, github\./);
    const none = await runCli(['actions', 'export'], [{ text: MD }]);
    assert.equal(none.code, 2);
    assert.match(none.stderr, /^firebreak: missing required argument 'id'\n$/);
  });

  it("names the user's flags in the server's refusals and maps not found to exit 5", async () => {
    const invalid = {
      status: 400,
      json: {
        type: 'https://firebreak.dev/problems/validation', title: 'Bad Request', status: 400, detail: 'The request is not valid.',
        code: 'validation', errors: [{ path: 'query.project', message: 'must be a Jira project key: upper-case letters, digits and _, starting with a letter, like OPS' }],
      },
    };
    const r = await runCli(['actions', 'export', 'INC-7', '--format', 'jira', '--project', 'ops'], [invalid]);
    assert.equal(r.code, 3);
    assert.equal(
      r.stderr,
      'firebreak: The request is not valid: --project must be a Jira project key: upper-case letters, digits and _, starting with a letter, like OPS\n',
    );
    const missing = {
      status: 404,
      json: { type: 'https://firebreak.dev/problems/not_found', title: 'Not Found', status: 404, detail: 'Incident INC-99 does not exist.', code: 'not_found' },
    };
    const m = await runCli(['actions', 'export', 'INC-99'], [missing]);
    assert.equal(m.code, 5);
    assert.equal(m.stderr, 'firebreak: Incident INC-99 does not exist\n');
  });

  it('keeps terminal controls in Markdown from reaching the terminal', async () => {
    const r = await runCli(['actions', 'export', 'INC-7'], [{ text: '# INC-7 \u001b[31mred\u001b[0m\n' }]);
    assert.equal(r.code, 0);
    assert.equal(r.stdout.includes('\u001b'), false);
  });

  it('joins an actions command that already exists instead of adding a second one', () => {
    const io = {} as CliIo;
    const state: RunState = { json: false, tokenGiven: false };
    const program = new Command('firebreak');
    const existing = program.command('actions').description('list action items across incidents');
    registerActionsExportCommand(program, io, state);
    assert.equal(program.commands.filter((c) => c.name() === 'actions').length, 1);
    assert.deepEqual(existing.commands.map((c) => c.name()), ['export']);

    const fresh = new Command('firebreak');
    registerActionsExportCommand(fresh, io, state);
    assert.deepEqual(fresh.commands.map((c) => [c.name(), c.commands.map((s) => s.name())]), [['actions', ['export']]]);
  });
});
