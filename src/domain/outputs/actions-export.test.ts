import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt, { type Token } from 'markdown-it';
import type { Incident } from '../incident/state.js';
import {
  actionExportFilename,
  exportActions,
  githubIssueBodies,
  incidentUrl,
  jiraIssueBodies,
  LINEAR_ISSUE_CREATE,
  linearIssueRequests,
  renderActionsCsv,
  renderActionsMarkdown,
} from './index.js';
import { parseCsv } from './csv.test-kit.js';
import { markdownStructure } from './markdown.test-kit.js';
import { storyUpTo } from './story.fixture.js';

const PUBLIC = 'https://fb.example';
const URL7 = 'https://fb.example/incidents/INC-7';
const FORMULA = '=HYPERLINK("https://evil.example","click") | rollback, steps';
const HOSTILE = '<img src=x onerror=alert(1)> `code` | **bold** [x](javascript:alert(1))';

/**
 * The checkout story through its postmortem (A1 removes guardrail G1, A2 is the config review), plus a
 * monitoring item from Q1, a runbook already filed with a formula-like title, and a tech-debt item with
 * hostile text; A2 is done. A1, A3 and A5 are still to be filed.
 */
function checkoutFollowUps(): Incident {
  return storyUpTo('postmortem').run(
    {
      type: 'AddActionItem',
      title: 'Alert on checkout 5xx above 2%',
      owner: 'sam',
      dueAt: '2026-12-01T17:00:00Z',
      priority: 'P0',
      kind: 'monitoring',
      fromQuestion: 'Q1',
    },
    {
      type: 'AddActionItem',
      title: FORMULA,
      owner: '@everyone',
      dueAt: '2026-12-10T09:00:00+02:00',
      priority: 'P3',
      kind: 'runbook',
      ticketUrl: 'https://tracker.example/OPS-12',
    },
    { type: 'AddActionItem', title: HOSTILE, owner: 'li`s team', dueAt: '2026-12-20T23:30:00-05:00', priority: 'P2', kind: 'tech-debt' },
    { type: 'ChangeActionItemStatus', actionId: 'INC-7-A2', status: 'done' },
  ).state;
}

const md = new MarkdownIt();

/** The text an inline token shows a reader (entities and escapes decoded). */
const inlineText = (t: Token | undefined): string =>
  (t?.children ?? []).map((c) => (c.type === 'text' || c.type === 'code_inline' ? c.content : '')).join('');

const links = (tokens: Token[]) =>
  tokens.flatMap((t) => t.children ?? []).filter((c) => c.type === 'link_open').map((c) => c.attrGet('href'));


// ---------------------------------------------------------------- an ADF validator for what Jira takes

type Node = { type?: unknown; text?: unknown; marks?: unknown; content?: unknown; attrs?: unknown; version?: unknown };
const BLOCKS: Record<string, string[]> = {
  doc: ['paragraph', 'bulletList'],
  bulletList: ['listItem'],
  listItem: ['paragraph'],
  paragraph: ['text'],
};

/** Throws unless `node` is an ADF document Jira Cloud accepts, built of paragraphs, lists and text; answers its plain text. */
function adfText(node: Node, parent = 'root'): string {
  const type = String(node.type);
  if (parent === 'root') {
    assert.equal(type, 'doc');
    assert.equal(node.version, 1);
  } else {
    assert.ok(BLOCKS[parent]?.includes(type), `${type} inside ${parent}`);
  }
  if (type === 'text') {
    assert.equal(typeof node.text, 'string');
    assert.ok((node.text as string).length > 0, 'an ADF text node may not be empty');
    assert.deepEqual(Object.keys(node).filter((k) => !['type', 'text', 'marks'].includes(k)), []);
    for (const m of (node.marks as Node[] | undefined) ?? []) {
      if (m.type === 'link') {
        const href = (m.attrs as { href?: unknown }).href;
        assert.match(String(href), /^https:\/\//);
      } else assert.equal(m.type, 'strong');
    }
    return node.text as string;
  }
  assert.ok(Array.isArray(node.content), `${type} needs content`);
  if (type !== 'paragraph') assert.ok((node.content as unknown[]).length > 0, `${type} needs at least one child`);
  const inner = (node.content as Node[]).map((c) => adfText(c, type));
  return type === 'paragraph' ? `${inner.join('')}\n` : inner.join('');
}

const adfLinks = (node: Node): string[] => [
  ...((node.marks as Node[] | undefined) ?? []).flatMap((m) => (m.type === 'link' ? [String((m.attrs as { href: string }).href)] : [])),
  ...((node.content as Node[] | undefined) ?? []).flatMap(adfLinks),
];

describe('action items export', () => {
  const incident = checkoutFollowUps();
  const url = incidentUrl(incident, PUBLIC);

  it('links back to the incident: the public URL when set, else its path', () => {
    assert.equal(url, URL7);
    assert.equal(incidentUrl(incident, 'https://fb.example/'), URL7);
    assert.equal(incidentUrl(incident, null), '/incidents/INC-7');
  });

  it('has the story it claims: five items, kinds, a ticket link, a guardrail removal, one done', () => {
    assert.deepEqual(
      incident.actions.map((a) => [a.id, a.kind, a.status, a.ticketUrl !== null]),
      [
        ['INC-7-A1', 'guardrail-removal', 'open', false],
        ['INC-7-A2', 'fix', 'done', false],
        ['INC-7-A3', 'monitoring', 'open', false],
        ['INC-7-A4', 'runbook', 'open', true],
        ['INC-7-A5', 'tech-debt', 'open', false],
      ],
    );
  });

  describe('md', () => {
    const text = renderActionsMarkdown(incident, { incidentUrl: url });
    const tokens = md.parse(text, {});

    it('is a heading with the incident, a link line back to it, and one table row per item', () => {
      const doc = markdownStructure(text);
      assert.deepEqual(doc.headings, [{ level: 1, text: 'INC-7 — Checkout errors: follow-ups' }]);
      const para = tokens.findIndex((t) => t.type === 'paragraph_open');
      assert.ok(para > tokens.findIndex((t) => t.type === 'heading_open'));
      assert.deepEqual(links([tokens[para + 1]!]), [URL7]);
      assert.equal(inlineText(tokens[para + 1]), 'Incident: INC-7 · 5 action items: 4 open, 0 in progress, 1 done');
      assert.equal(doc.tables.length, 1);
      assert.deepEqual(doc.tables[0]!.head, ['ID', 'Action', 'Kind', 'Owner', 'Due', 'Priority', 'Status', 'Ticket']);
      assert.equal(doc.tables[0]!.rows.length, incident.actions.length);
      for (const r of doc.tables[0]!.rows) assert.equal(r.length, 8);
      assert.deepEqual(doc.tables[0]!.rows.map((r) => r[0]), incident.actions.map((a) => a.id));
    });

    it('shows untrusted text exactly as written: no HTML, no formatting, no link but the ticket', () => {
      assert.equal(tokens.some((t) => t.type.startsWith('html') || t.children?.some((c) => c.type.startsWith('html'))), false);
      const inTable = tokens.slice(tokens.findIndex((t) => t.type === 'table_open'));
      assert.deepEqual(links(inTable), ['https://tracker.example/OPS-12']);
      assert.equal(inTable.flatMap((t) => t.children ?? []).some((c) => ['strong_open', 'em_open'].includes(c.type)), false);
      const rows: Record<string, string[]> = Object.fromEntries(markdownStructure(text).tables[0]!.rows.map((r) => [r[0], r]));
      assert.equal(rows['INC-7-A5']?.[1], HOSTILE);
      assert.equal(rows['INC-7-A5']?.[3], 'li`s team');
      assert.equal(rows['INC-7-A4']?.[1], FORMULA);
      assert.equal(rows['INC-7-A4']?.[3], '@everyone');
      assert.equal(rows['INC-7-A4']?.[7], 'https://tracker.example/OPS-12');
      assert.deepEqual(Object.values(rows).map((r) => r[6]), ['open', 'done', 'open', 'open', 'open']);
      assert.equal(rows['INC-7-A3']?.[4], '2026-12-01 17:00:00Z');
      assert.equal(rows['INC-7-A1']?.[2], 'guardrail-removal');
    });

    it('links to the path when no public URL is set', () => {
      const relative = md.parse(renderActionsMarkdown(incident, { incidentUrl: incidentUrl(incident, null) }), {});
      assert.deepEqual(links(relative.filter((t) => t.type === 'inline').slice(1, 2)), ['/incidents/INC-7']);
    });

    it('says so when there are no items', () => {
      const empty = storyUpTo('declare').state;
      const tokensEmpty = md.parse(renderActionsMarkdown(empty, { incidentUrl: '/incidents/INC-7' }), {});
      assert.equal(tokensEmpty.some((t) => t.type === 'table_open'), false);
      assert.match(renderActionsMarkdown(empty, { incidentUrl: '/incidents/INC-7' }), /No action items yet\./);
    });
  });

  describe('csv', () => {
    const text = renderActionsCsv(incident, { incidentUrl: url });
    const rows = parseCsv(text);

    it('is RFC 4180 with a header row and one record per item, CRLF throughout', () => {
      assert.equal(text.replaceAll('\r\n', '').includes('\n'), false);
      assert.deepEqual(rows[0], [
        'id', 'title', 'kind', 'owner', 'dueAt', 'priority', 'status', 'ticketUrl', 'fromQuestion', 'fromGuardrail',
        'createdAt', 'doneAt', 'incident', 'incidentUrl',
      ]);
      assert.equal(rows.length, 1 + incident.actions.length);
      for (const r of rows) assert.equal(r.length, 14);
      const byId = Object.fromEntries(rows.slice(1).map((r) => [r[0], r]));
      assert.deepEqual(byId['INC-7-A3']?.slice(2, 10), ['monitoring', 'sam', '2026-12-01T17:00:00.000Z', 'P0', 'open', '', 'Q1', '']);
      assert.equal(byId['INC-7-A1']?.[9], 'G1');
      assert.equal(byId['INC-7-A4']?.[7], 'https://tracker.example/OPS-12');
      assert.match(byId['INC-7-A2']?.[11] ?? '', /^\d{4}-\d\d-\d\dT/);
      assert.equal(byId['INC-7-A5']?.[1], HOSTILE);
      for (const r of rows.slice(1)) assert.deepEqual(r.slice(12), ['INC-7', URL7]);
      for (const r of rows.slice(1)) assert.ok(!Number.isNaN(Date.parse(r[10]!)));
    });

    it('defuses spreadsheet formulas with a leading apostrophe', () => {
      const a4 = rows.find((r) => r[0] === 'INC-7-A4')!;
      assert.equal(a4[1], `'${FORMULA}`);
      for (const r of rows) for (const cell of r) assert.doesNotMatch(cell, /^[=+\-@]/);
    });
  });

  describe('jira', () => {
    const bodies = jiraIssueBodies(incident, { incidentUrl: url, project: 'OPS' });

    it('answers one create-issue body per follow-up not done and not filed yet', () => {
      assert.equal(bodies.length, 3);
      assert.deepEqual(
        bodies.map((b) => b.fields.labels),
        [
          ['firebreak', 'INC-7', 'guardrail-removal'],
          ['firebreak', 'INC-7', 'monitoring'],
          ['firebreak', 'INC-7', 'tech-debt'],
        ],
      );
    });

    it('fills every field Jira Cloud REST v3 needs, priorities mapped, due dates as days', () => {
      for (const b of bodies) {
        assert.deepEqual(Object.keys(b), ['fields']);
        assert.deepEqual(Object.keys(b.fields).sort(), ['description', 'duedate', 'issuetype', 'labels', 'priority', 'project', 'summary']);
        assert.deepEqual(b.fields.project, { key: 'OPS' });
        assert.deepEqual(b.fields.issuetype, { name: 'Task' });
        assert.ok(b.fields.summary.length > 0 && b.fields.summary.length <= 255);
        assert.doesNotMatch(b.fields.summary, /[\r\n]/);
        assert.match(b.fields.duedate, /^\d{4}-\d\d-\d\d$/);
        for (const l of b.fields.labels) assert.doesNotMatch(l, /\s/);
        assert.equal('assignee' in b.fields, false);
      }
      assert.deepEqual(bodies.map((b) => b.fields.priority.name), ['Medium', 'Highest', 'Medium']);
      assert.deepEqual(bodies.map((b) => b.fields.duedate), [incident.actions[0]!.dueAt.slice(0, 10), '2026-12-01', '2026-12-21']);
      assert.equal(bodies[2]!.fields.summary, HOSTILE);
      assert.deepEqual(
        ['P0', 'P1', 'P2', 'P3'].map((p) =>
          jiraIssueBodies({ ...incident, actions: [{ ...incident.actions[0]!, priority: p as 'P0' }] }, { incidentUrl: url, project: 'OPS' })[0]!
            .fields.priority.name,
        ),
        ['Highest', 'High', 'Medium', 'Low'],
      );
      assert.equal(jiraIssueBodies(incident, { incidentUrl: url, project: 'OPS', issueType: 'Bug' })[0]!.fields.issuetype.name, 'Bug');
    });

    it('describes each in valid ADF: a link back, the owner, the question or guardrail it comes from', () => {
      const texts = bodies.map((b) => adfText(b.fields.description as unknown as Node));
      for (const b of bodies) assert.deepEqual(adfLinks(b.fields.description as unknown as Node), [URL7]);
      assert.match(texts[0]!, /^Follow-up INC-7-A1 of incident INC-7 — Checkout errors\.\n/);
      assert.match(texts[0]!, /\nOwner: li \(in Firebreak\)\n/);
      assert.match(texts[0]!, /\nRemoves guardrail G1: pricing_v2 off; remove when fix shipped in v43\n/);
      assert.match(texts[1]!, /\nFrom question Q1: Did v42 change the pricing config\?\n/);
      assert.match(texts[1]!, /\nDue: 2026-12-01\n/);
      assert.match(texts[2]!, /\nOwner: li`s team \(in Firebreak\)\n/);
    });

    it('states the incident path in text, not as a link, without a public URL', () => {
      const [b] = jiraIssueBodies(incident, { incidentUrl: '/incidents/INC-7', project: 'OPS' });
      const node = b!.fields.description as unknown as Node;
      assert.deepEqual(adfLinks(node), []);
      assert.match(adfText(node), /\/incidents\/INC-7 on the Firebreak server/);
    });
  });

  describe('linear', () => {
    const TEAM = '9cfb482a-81e3-4154-b5b9-2c805e70a02d';
    const requests = linearIssueRequests(incident, { incidentUrl: url, team: TEAM });

    it('answers one issueCreate GraphQL request per follow-up to file, postable as it is', () => {
      assert.equal(requests.length, 3);
      for (const r of requests) {
        assert.deepEqual(Object.keys(r).sort(), ['query', 'variables']);
        assert.equal(r.query, LINEAR_ISSUE_CREATE);
        assert.match(r.query, /^mutation IssueCreate\(\$input: IssueCreateInput!\) \{ issueCreate\(input: \$input\)/);
        assert.deepEqual(Object.keys(r.variables), ['input']);
        const input = r.variables.input;
        assert.deepEqual(Object.keys(input).sort(), ['description', 'dueDate', 'priority', 'teamId', 'title']);
        assert.equal(input.teamId, TEAM);
        assert.match(input.dueDate, /^\d{4}-\d\d-\d\d$/);
        assert.ok(input.title.length > 0);
      }
      assert.deepEqual(requests.map((r) => r.variables.input.priority), [3, 1, 3]);
    });

    it('describes each in Markdown linking back, the owner in a code span so no one is mentioned', () => {
      for (const r of requests) {
        const tokens = md.parse(r.variables.input.description, {});
        assert.deepEqual(links(tokens), [URL7]);
        assert.equal(tokens.some((t) => t.type.startsWith('html') || t.children?.some((c) => c.type.startsWith('html'))), false);
      }
      const tokens = md.parse(requests[2]!.variables.input.description, {});
      const code = tokens.flatMap((t) => t.children ?? []).filter((c) => c.type === 'code_inline').map((c) => c.content);
      assert.deepEqual(code, ['li`s team']);
      assert.match(requests[1]!.variables.input.description, /From question Q1/);
    });
  });

  describe('github', () => {
    const bodies = githubIssueBodies(incident, { incidentUrl: url });

    it('answers create-issue bodies: title, Markdown body, labels, and no assignees', () => {
      assert.equal(bodies.length, 3);
      for (const b of bodies) {
        assert.deepEqual(Object.keys(b).sort(), ['body', 'labels', 'title']);
        const tokens = md.parse(b.body, {});
        assert.deepEqual(links(tokens), [URL7]);
        const items = tokens.filter((t) => t.type === 'inline').map(inlineText);
        assert.ok(items.some((s) => /^Owner: .+ \(in Firebreak\)$/.test(s)), items.join(' / '));
        assert.ok(items.some((s) => /^Priority: P[0-3]$/.test(s)));
      }
      assert.deepEqual(bodies.map((b) => b.title), [incident.actions[0]!.title, 'Alert on checkout 5xx above 2%', HOSTILE]);
      assert.deepEqual(bodies[1]!.labels, ['firebreak', 'INC-7', 'monitoring']);
    });
  });

  it('exportActions picks the format; a Jira export needs a project and a Linear one a team', () => {
    assert.equal(exportActions(incident, 'md', { publicUrl: PUBLIC }).format, 'md');
    const jira = exportActions(incident, 'jira', { publicUrl: null, project: 'OPS' });
    assert.ok(jira.format === 'jira' && jira.bodies.length === 3);
    assert.throws(() => exportActions(incident, 'jira', { publicUrl: null }));
    assert.throws(() => exportActions(incident, 'linear', { publicUrl: null }));
    assert.deepEqual(
      (['md', 'csv', 'jira', 'linear', 'github'] as const).map((f) => actionExportFilename(incident, f)),
      ['INC-7-actions.md', 'INC-7-actions.csv', 'INC-7-actions-jira.json', 'INC-7-actions-linear.json', 'INC-7-actions-github.json'],
    );
  });
});
