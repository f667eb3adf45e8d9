import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { markdownStructure } from '../domain/outputs/markdown.test-kit.js';
import { executeCommand } from '../service/execute-command.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { invalidRequest, problem, problemOf, testApp, useTestApp, type TestApp } from './test-app.js';

const PUBLIC_URL = 'https://fb.example';
const TEAM = '9cfb482a-81e3-4154-b5b9-2c805e70a02d';
const md = new MarkdownIt();

const hrefs = (markdown: string) =>
  md
    .parse(markdown, {})
    .flatMap((t) => t.children ?? [])
    .filter((c) => c.type === 'link_open')
    .map((c) => c.attrGet('href'));

/** Every link mark in an ADF document. */
const adfHrefs = (node: { marks?: { type: string; attrs?: { href: string } }[]; content?: unknown[] }): string[] => [
  ...(node.marks ?? []).flatMap((m) => (m.type === 'link' && m.attrs ? [m.attrs.href] : [])),
  ...(node.content ?? []).flatMap((c) => adfHrefs(c as never)),
];

/** Parses RFC 4180 CSV (CRLF records, quoted fields). */
function csvRecords(text: string): string[][] {
  const records: string[][] = [];
  const re = /("(?:[^"]|"")*"|[^,"\r\n]*)(,|\r\n)/gy;
  let row: string[] = [];
  for (let m = re.exec(text); m; m = re.exec(text)) {
    const f = m[1]!;
    row.push(f.startsWith('"') ? f.slice(1, -1).replaceAll('""', '"') : f);
    if (m[2] === '\r\n') {
      records.push(row);
      row = [];
    }
    if (re.lastIndex === text.length) break;
  }
  assert.equal(re.lastIndex, text.length, 'the whole body is CSV records');
  return records;
}

for (const adapter of adapters()) {
  describe(`action items export over HTTP (${adapter.name})`, () => {
    let store: Store;
    let t: TestApp;
    let id = '';
    let number = 0;
    useTestApp(
      () => adapter.create(),
      (s, app) => {
        store = s;
        t = app;
      },
      () => ({ env: { FIREBREAK_PUBLIC_URL: PUBLIC_URL } }),
    );

    const get = (query: string, as: 'viewer' | 'responder' | 'ingest' | 'anonymous' = 'viewer', incident = id) =>
      t.call('GET', `/api/v1/incidents/${incident}/actions/export${query}`, { as });

    it('sets up an incident with a guardrail and follow-ups of several kinds', async () => {
      ({ id, number } = await t.declare({ title: 'Checkout fails for card payments', services: ['checkout'] }));
      const ok = async (path: string, body: unknown) => {
        const res = await t.call('POST', `/api/v1/incidents/${id}${path}`, { body });
        assert.ok(res.statusCode < 300, `${path}: ${res.statusCode} ${res.body}`);
      };
      await ok('/questions', { question: 'Did the migration run twice?' });
      await ok('/guardrails', { what: 'pricing_v2 off', why: 'unsafe default', removalCondition: 'v43 ships', owner: 'li' });
      const add = (input: Record<string, unknown>) =>
        executeCommand(t.deps, number, 'ana', {
          type: 'AddActionItem',
          owner: 'sam',
          dueAt: '2026-12-01T17:00:00Z',
          priority: 'P1',
          ...input,
        } as never);
      await add({ title: 'Alert on checkout 5xx above 2%', kind: 'monitoring', fromQuestion: 'Q1', priority: 'P0' });
      await add({ title: '=cmd|"/c calc"!A1 runbook', kind: 'runbook', ticketUrl: 'https://tracker.example/OPS-12' });
      await add({ title: 'Add a checkout/pricing contract test', owner: 'li', priority: 'P3' });
      await executeCommand(t.deps, number, 'ana', { type: 'ChangeActionItemStatus', actionId: `${id}-A4`, status: 'done' });
    });

    it('md (the default): a document with a heading, a link back, and the table of every item', async () => {
      for (const query of ['', '?format=md']) {
        const res = await get(query);
        assert.equal(res.statusCode, 200, res.body);
        assert.equal(res.headers['content-type'], 'text/markdown; charset=utf-8');
        assert.equal(res.headers['content-disposition'], `attachment; filename="${id}-actions.md"`);
        const doc = markdownStructure(res.body);
        assert.deepEqual(doc.headings, [{ level: 1, text: `${id} — Checkout fails for card payments: follow-ups` }]);
        assert.deepEqual(doc.tables[0]?.head, ['ID', 'Action', 'Kind', 'Owner', 'Due', 'Priority', 'Status', 'Ticket']);
        assert.deepEqual(
          doc.tables[0]?.rows.map((r) => [r[0], r[2], r[6]]),
          [
            [`${id}-A1`, 'guardrail-removal', 'open'],
            [`${id}-A2`, 'monitoring', 'open'],
            [`${id}-A3`, 'runbook', 'open'],
            [`${id}-A4`, 'fix', 'done'],
          ],
        );
        assert.deepEqual(hrefs(res.body), [`${PUBLIC_URL}/incidents/${id}`, 'https://tracker.example/OPS-12']);
      }
    });

    it('csv: RFC 4180 with a header and every item, formulas defused', async () => {
      const res = await get('?format=csv');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'text/csv; charset=utf-8');
      assert.equal(res.headers['content-disposition'], `attachment; filename="${id}-actions.csv"`);
      const records = csvRecords(res.body);
      assert.equal(records[0]?.[0], 'id');
      assert.equal(records.length, 5);
      assert.equal(records[3]?.[1], `'=cmd|"/c calc"!A1 runbook`);
      assert.deepEqual(records[1]?.slice(-2), [id, `${PUBLIC_URL}/incidents/${id}`]);
    });

    it('jira: create-issue bodies for the items still to file, in the project and issue type asked for', async () => {
      const res = await get('?format=jira&project=OPS');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-type'], 'application/json; charset=utf-8');
      assert.equal(res.headers['content-disposition'], `attachment; filename="${id}-actions-jira.json"`);
      const bodies = res.json();
      assert.deepEqual(
        bodies.map((b: { fields: Record<string, unknown> }) => [b.fields.summary, b.fields.priority, b.fields.labels, b.fields.issuetype]),
        [
          ['Remove guardrail G1 (pricing_v2 off) once v43 ships', { name: 'Medium' }, ['firebreak', id, 'guardrail-removal'], { name: 'Task' }],
          ['Alert on checkout 5xx above 2%', { name: 'Highest' }, ['firebreak', id, 'monitoring'], { name: 'Task' }],
        ],
      );
      for (const b of bodies) {
        assert.deepEqual(b.fields.project, { key: 'OPS' });
        assert.equal(b.fields.description.type, 'doc');
        assert.equal(b.fields.description.version, 1);
        assert.deepEqual(adfHrefs(b.fields.description), [`${PUBLIC_URL}/incidents/${id}`]);
        assert.match(b.fields.duedate, /^\d{4}-\d\d-\d\d$/);
      }
      const bug = await get('?format=jira&project=OPS&issueType=Bug');
      assert.deepEqual(bug.json()[0].fields.issuetype, { name: 'Bug' });
    });

    it('linear: issueCreate requests for the team asked for', async () => {
      const res = await get(`?format=linear&team=${TEAM}`);
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-disposition'], `attachment; filename="${id}-actions-linear.json"`);
      const requests = res.json();
      assert.equal(requests.length, 2);
      for (const r of requests) {
        assert.match(r.query, /^mutation IssueCreate\(\$input: IssueCreateInput!\)/);
        assert.equal(r.variables.input.teamId, TEAM);
        assert.deepEqual(hrefs(r.variables.input.description), [`${PUBLIC_URL}/incidents/${id}`]);
      }
      assert.deepEqual(requests.map((r: { variables: { input: { priority: number } } }) => r.variables.input.priority), [3, 1]);
    });

    it('github: create-issue bodies with labels and no assignees', async () => {
      const res = await get('?format=github');
      assert.equal(res.statusCode, 200, res.body);
      assert.equal(res.headers['content-disposition'], `attachment; filename="${id}-actions-github.json"`);
      const bodies = res.json();
      assert.deepEqual(
        bodies.map((b: Record<string, unknown>) => [Object.keys(b).sort(), b.labels]),
        [
          [['body', 'labels', 'title'], ['firebreak', id, 'guardrail-removal']],
          [['body', 'labels', 'title'], ['firebreak', id, 'monitoring']],
        ],
      );
    });

    it('refuses a bad format or a missing or misplaced tracker parameter, naming the field', async () => {
      const cases: [string, { path: string; message: string }[]][] = [
        ['?format=pdf', [{ path: 'query.format', message: 'must be one of md, csv, jira, linear, github' }]],
        ['?format=jira', [{ path: 'query.project', message: 'is required with format=jira' }]],
        ['?format=jira&issueType=Bug', [{ path: 'query.project', message: 'is required with format=jira' }]],
        ['?format=linear', [{ path: 'query.team', message: 'is required with format=linear' }]],
        ['?project=OPS', [{ path: 'query.project', message: 'is only for format=jira' }]],
        ['?format=github&issueType=Bug', [{ path: 'query.issueType', message: 'is only for format=jira' }]],
        [
          `?format=jira&team=${TEAM}`,
          [
            { path: 'query.project', message: 'is required with format=jira' },
            { path: 'query.team', message: 'is only for format=linear' },
          ],
        ],
        [
          '?format=jira&project=ops',
          [{ path: 'query.project', message: 'must be a Jira project key: upper-case letters, digits and _, starting with a letter, like OPS' }],
        ],
        ['?format=jira&project=OPS&issueType=%20Bug', [{ path: 'query.issueType', message: 'must be a Jira issue type name, like Task or Bug' }]],
        ['?format=linear&team=ENG', [{ path: 'query.team', message: "must be a Linear team id (a UUID, not the team's key)" }]],
        ['?format=md&limit=5', [{ path: 'query.limit', message: 'is not allowed' }]],
      ];
      for (const [query, errors] of cases) {
        const res = await get(query);
        assert.equal(res.statusCode, 400, query);
        assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
        assert.deepEqual(problemOf(res), invalidRequest(errors), query);
      }
    });

    it('answers 404 for an unknown incident, in every format', async () => {
      for (const query of ['', '?format=csv', '?format=jira&project=OPS', `?format=linear&team=${TEAM}`, '?format=github']) {
        const res = await get(query, 'viewer', 'INC-99999');
        assert.equal(res.statusCode, 404);
        assert.deepEqual(problemOf(res), problem(404, 'not_found', 'Incident INC-99999 does not exist.'));
      }
      const bad = await get('', 'viewer', 'nope');
      assert.deepEqual(problemOf(bad), problem(404, 'not_found', 'Incident nope does not exist.'));
    });

    it('needs the viewer role', async () => {
      assert.equal((await get('', 'anonymous')).statusCode, 401);
      const ingest = await get('', 'ingest');
      assert.equal(ingest.statusCode, 403);
      assert.deepEqual(problemOf(ingest), problem(403, 'forbidden', 'This needs the viewer role; you have ingest.'));
      assert.equal((await get('', 'responder')).statusCode, 200);
    });

    it('links to the incident path when no public URL is set', async () => {
      const bare = await testApp(store);
      try {
        const res = await bare.call('GET', `/api/v1/incidents/${id}/actions/export`, { as: 'viewer' });
        assert.deepEqual(hrefs(res.body), [`/incidents/${id}`, 'https://tracker.example/OPS-12']);
        const jira = await bare.call('GET', `/api/v1/incidents/${id}/actions/export?format=jira&project=OPS`, { as: 'viewer' });
        assert.deepEqual(adfHrefs(jira.json()[0].fields.description), []);
        assert.match(JSON.stringify(jira.json()[0].fields.description), new RegExp(`/incidents/${id} on the Firebreak server`));
      } finally {
        await bare.app.close();
      }
    });
  });
}
