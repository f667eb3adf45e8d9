import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humanDuration, postmortemReport, renderPostmortemHtml, renderPostmortemMarkdown } from './index.js';
import { markdownStructure, tableRows } from './markdown.test-kit.js';
import { ADD_ACTION_ITEM, PUBLISH_POSTMORTEM, story, storyUpTo, WRITE_POSTMORTEM } from './story.fixture.js';

const XSS = '<img src=x onerror=alert(1)>';
const SCRIPT = '<script>alert(1)</script>';

const SECTION_ORDER = [
  'Summary',
  'Impact',
  'Timeline',
  '5 Whys and root cause',
  'Contributing factors',
  'What went well',
  'What went poorly',
  'Action items',
  'Lessons',
  'Open questions',
  'Guardrails',
  'Gate overrides',
];

const report = (s: ReturnType<typeof story>) => postmortemReport(s.state, s.events);

describe('postmortemReport', () => {
  it('moves from missing to a pre-filled draft, to complete, to published as the criteria are met', () => {
    const before = report(storyUpTo('investigate'));
    assert.equal(before.status, 'missing');
    assert.equal(before.state, null);
    assert.equal(before.author, null);
    assert.equal(before.missing.length, 8);

    const s = storyUpTo('verify');
    const drafted = report(s);
    assert.equal(drafted.status, 'draft');
    assert.equal(drafted.state, 'draft');
    assert.equal(drafted.author, 'ana', 'the commander writes it');
    assert.equal(drafted.summary, 'SEV2 incident on checkout: Checkout errors. Contained by Roll back checkout to v41 (rollback, fail-closed). Impact detected after 5 min, acknowledged after 3 min, mitigated after 13 min, resolved after 18 min.');
    assert.equal(drafted.impact, drafted.impactStatement);
    assert.deepEqual(
      drafted.missing.map((u) => u.code),
      ['whys_missing', 'root_cause_missing', 'went_well_missing', 'went_poorly_missing', 'action_items_missing', 'postmortem_unpublished'],
    );

    s.run(WRITE_POSTMORTEM);
    assert.deepEqual(
      report(s).missing.map((u) => u.code),
      ['action_items_missing', 'postmortem_unpublished'],
      'the guardrail removal item alone is no follow-up',
    );

    s.run(ADD_ACTION_ITEM);
    const complete = report(s);
    assert.equal(complete.status, 'complete');
    assert.deepEqual(complete.missing.map((u) => u.code), ['postmortem_unpublished']);

    s.run(...PUBLISH_POSTMORTEM);
    const published = report(s);
    assert.equal(published.state, 'published');
    assert.equal(published.publishedBy, 'sam');
    assert.deepEqual(published.reviewers, ['sam']);
    assert.deepEqual(published.missing, []);
  });

  it('carries the blameless template fields', () => {
    const s = storyUpTo('postmortem').run({ type: 'AddNote', body: 'coffee break' });
    const r = report(s);
    assert.equal(r.title, 'Checkout errors');
    assert.equal(r.date, '2026-11-27');
    assert.equal(r.severity, 'SEV2');
    assert.deepEqual(r.duration, {
      startedAt: '2026-11-27T09:55:00.000Z',
      resolvedAt: '2026-11-27T10:13:00.000Z',
      minutes: 18,
      text: '18 min',
    });
    assert.equal(r.author, 'ana');
    assert.equal(r.commander, 'ana');
    assert.equal(r.rootCause, 'Config defaults ship without a review step');
    assert.deepEqual(r.actionItems, [
      {
        id: 'INC-7-A1',
        action: 'Remove guardrail G1 (pricing_v2 off) once fix shipped in v43',
        owner: 'li',
        deadline: '2026-12-11T10:12:00.000Z',
        priority: 'P2',
        status: 'open',
        kind: 'guardrail-removal',
        ticketUrl: null,
      },
      {
        id: 'INC-7-A2',
        action: 'Add config review to the deploy pipeline',
        owner: 'li',
        deadline: '2026-12-04T00:00:00.000Z',
        priority: 'P1',
        status: 'open',
        kind: 'fix',
        ticketUrl: null,
      },
    ]);
    assert.deepEqual(r.openQuestions, [
      {
        id: 'Q1',
        question: 'Did v42 change the pricing config?',
        answer: 'Yes, pricing_v2 default flipped',
        actionItem: null,
      },
    ]);
    assert.equal(r.guardrails[0]?.removalCondition, 'fix shipped in v43');
    assert.equal(r.postmortemDueAt, '2026-11-29T10:13:00.000Z');
    assert.ok(r.timeline.length > 10);
    assert.ok(!r.timeline.some((t) => t.type === 'NoteAdded'), 'notes stay in the full timeline only');
    assert.deepEqual(r.warnings, []);
  });

  it('has no duration before resolution and after a re-open', () => {
    assert.equal(report(storyUpTo('mitigate')).duration, null);
    const reopened = storyUpTo('verify').run({ type: 'ChangeStatus', to: 'investigating', reason: 'regression' });
    assert.equal(report(reopened).duration, null);
  });

  it('records gate overrides and blameful language', () => {
    const s = storyUpTo('investigate').run(
      { type: 'AddGuardrail', what: 'rate limit', why: 'protect payments', owner: 'li' },
      { type: 'ChangeStatus', to: 'resolved', override: { reason: 'verified by hand' } },
      { ...WRITE_POSTMORTEM, rootCause: "It was li's fault: human error" },
    );
    const r = report(s);
    assert.equal(r.gateOverrides.length, 1);
    assert.equal(r.gateOverrides[0]?.to, 'resolved');
    assert.equal(r.gateOverrides[0]?.by, 'ana');
    assert.deepEqual(
      r.gateOverrides[0]?.unmet.map((u) => u.code),
      ['guardrail_removal_condition_missing'],
    );
    assert.deepEqual(
      r.warnings.map((w) => [w.field, w.phrase]),
      [
        ['rootCause', 'human error'],
        ['rootCause', "li's fault"],
        ['rootCause', 'li'],
      ],
    );
  });
});

describe('humanDuration', () => {
  it('reads like a person would say it', () => {
    assert.equal(humanDuration(0), '0 min');
    assert.equal(humanDuration(45), '45 min');
    assert.equal(humanDuration(120), '2 h');
    assert.equal(humanDuration(1_565), '1 d 2 h 5 min');
  });
});

describe('renderPostmortemMarkdown', () => {
  it('follows the blameless template section order with an action items table', () => {
    const md = renderPostmortemMarkdown(report(storyUpTo('postmortem')));
    const headings = md
      .split('\n')
      .filter((l) => l.startsWith('## '))
      .map((l) => l.slice(3));
    assert.deepEqual(headings, SECTION_ORDER);
    assert.match(md, /^# Postmortem: INC-7 — Checkout errors\n/);
    for (const field of [
      'Date:** 2026-11-27',
      'Severity:** SEV2',
      'Duration:** 18 min',
      'Author:** ana',
      'Commander:** ana',
    ]) {
      assert.ok(md.includes(field), field);
    }
    const doc = markdownStructure(md);
    assert.deepEqual(
      doc.headings.map((h) => [h.level, h.text]),
      [[1, 'Postmortem: INC-7 — Checkout errors'], ...SECTION_ORDER.map((t) => [2, t])],
    );
    const actions = tableRows(doc, ['Action', 'Kind', 'Owner', 'Deadline', 'Priority', 'Status']);
    assert.deepEqual(
      actions.map((a) => [a.Action, a.Kind, a.Owner, a.Priority, a.Status]),
      [
        ['Remove guardrail G1 (pricing_v2 off) once fix shipped in v43 (INC-7-A1)', 'guardrail-removal', 'li', 'P2', 'open'],
        ['Add config review to the deploy pipeline (INC-7-A2)', 'fix', 'li', 'P1', 'open'],
      ],
    );
    assert.match(actions[1]?.Deadline ?? '', /^2026-12-04 00:00:00Z$/);
    assert.ok(doc.listItems.includes('Why? Checkout returned 500s'));
    assert.ok(md.includes('Review:** published by sam on'));
  });

  it('lists what is missing on a draft and shows overrides', () => {
    const s = storyUpTo('investigate').run(
      { type: 'AddGuardrail', what: 'rate limit', why: 'protect payments', owner: 'li' },
      { type: 'ChangeStatus', to: 'resolved', override: { reason: 'verified by hand' } },
    );
    const r = report(s);
    const md = renderPostmortemMarkdown(r);
    assert.ok(md.includes(`- **Postmortem:** draft, ${r.missing.length} criteria missing before close`));
    assert.ok(r.wentPoorly.some((x) => x.startsWith('The resolved gate was overridden (verified by hand)')), 'the draft names the override');
    assert.ok(md.includes('## Missing before close'));
    assert.match(md, /\| 2026-11-27 \d\d:\d\d:00Z \| ana \| resolved \| verified by hand \| Guardrail G1/);
  });

  it('escapes untrusted text', () => {
    const s = storyUpTo('verify').run({ ...WRITE_POSTMORTEM, summary: `${XSS}\n# not a heading`, wentWell: ['a | b'] });
    const md = renderPostmortemMarkdown(report(s));
    assert.ok(!md.includes('<img'));
    assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;  \n\\# not a heading'));
    assert.ok(md.includes('- a \\| b'));
  });
});

describe('renderPostmortemHtml', () => {
  const hostile = () =>
    story().run(
      { type: 'DeclareIncident', number: 7, title: `${SCRIPT} checkout`, impact: XSS, services: ['checkout'] },
      { type: 'AssignRole', role: 'commander', person: `"><svg onload=alert(1)>` },
      { type: 'AddEvidence', kind: 'log', title: XSS, url: 'javascript:alert(1)' },
      { type: 'AddEvidence', kind: 'log', title: 'logs', url: 'https://logs.example/?q="><script>alert(1)</script>' },
      { type: 'AddNote', body: SCRIPT },
      {
        type: 'WritePostmortem',
        summary: `${SCRIPT}\nsecond line`,
        impact: XSS,
        whys: [SCRIPT],
        rootCause: `<a href="javascript:alert(1)">x</a>`,
        wentWell: [XSS],
        wentPoorly: ["' onmouseover='alert(1)"],
        lessons: ['<iframe src=https://evil.example>'],
      },
      { type: 'AddActionItem', title: XSS, owner: SCRIPT, dueAt: '2026-12-04T00:00:00Z', priority: 'P1' },
    );

  it('is a complete standalone document with inline CSS and no scripts or external resources', () => {
    const html = renderPostmortemHtml(report(storyUpTo('postmortem')));
    assert.match(html, /^<!doctype html>\n<html lang="en">/);
    assert.match(html, /<\/html>\n$/);
    assert.match(html, /<style>[^<]*@media print/);
    assert.doesNotMatch(html, /<script|<link|<img|<iframe|\ssrc=|@import|url\(/i);
    const h2 = [...html.matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(h2, SECTION_ORDER);
    assert.ok(
      html.includes(
        '<th scope="col">Action</th><th scope="col">Kind</th><th scope="col">Owner</th><th scope="col">Deadline</th><th scope="col">Priority</th><th scope="col">Status</th>',
      ),
    );
    assert.ok(html.includes('<a href="https://grafana.example/d/checkout" rel="noopener noreferrer nofollow">'));
  });

  it('escapes every interpolated value', () => {
    const html = renderPostmortemHtml(report(hostile()));
    assert.doesNotMatch(html, /<script|<img|<svg|<iframe|<a href="javascript/i);
    assert.doesNotMatch(html, /href="(?!https?:)/, 'only http(s) links');
    assert.doesNotMatch(html, /' onmouseover=/);
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(html.includes('&quot;&gt;&lt;svg onload=alert(1)&gt;'));
    assert.ok(html.includes('&lt;script&gt;alert(1)&lt;/script&gt;<br>\nsecond line'));
    const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(links, ['https://logs.example/?q=%22%3E%3Cscript%3Ealert%281%29%3C/script%3E']);
  });

  it('escapes the same hostile input in Markdown', () => {
    const md = renderPostmortemMarkdown(report(hostile()));
    assert.doesNotMatch(md, /<script|<img|<svg|<iframe|<a /i);
    assert.doesNotMatch(md, /(?<!\\)\]\((?!https?:)/, 'only http(s) links');
  });
});
