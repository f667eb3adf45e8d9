import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EXAMPLE_CATALOG_YAML } from '../catalog/catalog.fixture.js';
import { parseCatalogYaml, renderServicePlaybook, validateCatalog } from '../catalog/index.js';
import { incidentChecklist } from '../incident/checklist.js';
import { parseCsv } from './csv.test-kit.js';
import {
  postmortemReport,
  renderChecklistMarkdown,
  renderPostmortemHtml,
  renderPostmortemMarkdown,
  renderTimelineCsv,
  renderTimelineMarkdown,
} from './index.js';
import { markdownStructure, tableRows } from './markdown.test-kit.js';
import { storyUpTo } from './story.fixture.js';

/**
 * Every output of one realistic incident — the checkout story taken through all seven steps, with a
 * re-open, an override, a second guardrail, an edited follow-up and a published postmortem — read back
 * by a Markdown parser and a CSV reader: their structure, not their exact text or timestamps.
 */
function realistic() {
  return storyUpTo('postmortem').run(
    { type: 'AddNote', body: 'Error rate back to baseline; watching for an hour' },
    { type: 'EditActionItem', actionId: 'INC-7-A2', changes: { owner: 'sam', ticketUrl: 'https://tracker.example/OPS-12' } },
    { type: 'AddActionItem', title: 'Alert on pricing config drift', owner: 'li', dueAt: '2026-12-10T00:00:00Z', priority: 'P2', kind: 'monitoring' },
    { type: 'ChangeStatus', to: 'closed' },
  );
}

const UTC = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ$/;

describe('golden outputs of a realistic incident', () => {
  const s = realistic();

  it('the incident timeline in Markdown: a title and one table row per event, in order, with UTC times', () => {
    const doc = markdownStructure(renderTimelineMarkdown(s.state, s.events));
    assert.deepEqual(doc.headings, [{ level: 1, text: 'INC-7 — Checkout errors: timeline' }]);
    const rows = tableRows(doc, ['Time (UTC)', 'Actor', 'Event', 'Details']);
    assert.equal(rows.length, s.events.length);
    assert.deepEqual(rows.map((r) => r.Event), s.events.map((e) => e.type));
    for (const r of rows) assert.match(r['Time (UTC)'] ?? '', UTC);
    assert.ok(rows.some((r) => r.Event === 'PostmortemStateChanged' && r.Details === 'Postmortem in review → published'));
    assert.ok(rows.some((r) => r.Event === 'ActionItemEdited' && r.Details?.startsWith('Action INC-7-A2 edited: owner li → sam;')));
  });

  it('the incident timeline in CSV: a header and one record per event, the same types in the same order', () => {
    const [head, ...records] = parseCsv(renderTimelineCsv(s.state, s.events));
    assert.deepEqual(head?.slice(0, 4), ['seq', 'at', 'actor', 'type']);
    assert.equal(records.length, s.events.length);
    assert.deepEqual(records.map((r) => r[3]), s.events.map((e) => e.type));
  });

  it('the postmortem report in Markdown: every section in order, the action items and guardrails as tables', () => {
    const report = postmortemReport(s.state, s.events);
    const doc = markdownStructure(renderPostmortemMarkdown(report));
    assert.deepEqual(
      doc.headings.map((h) => `${h.level} ${h.text}`),
      [
        '1 Postmortem: INC-7 — Checkout errors',
        ...['Summary', 'Impact', 'Timeline', '5 Whys and root cause', 'Contributing factors', 'What went well', 'What went poorly', 'Action items', 'Lessons', 'Open questions', 'Guardrails', 'Gate overrides'].map((h) => `2 ${h}`),
      ],
    );
    const actions = tableRows(doc, ['Action', 'Kind', 'Owner', 'Deadline', 'Priority', 'Status']);
    assert.deepEqual(
      actions.map((a) => [a.Kind, a.Owner, a.Priority, a.Status]),
      [
        ['guardrail-removal', 'li', 'P2', 'open'],
        ['fix', 'sam', 'P1', 'open'],
        ['monitoring', 'li', 'P2', 'open'],
      ],
    );
    for (const a of actions) assert.match(a.Deadline ?? '', UTC);
    assert.equal(tableRows(doc, ['Guardrail', 'Why', 'Removal condition', 'Owner']).length, 1);
    const timeline = tableRows(doc, ['Time (UTC)', 'Actor', 'Event']);
    assert.equal(timeline.length, s.events.filter((e) => e.type !== 'NoteAdded').length, 'notes stay in the full timeline');
    assert.ok(doc.listItems.includes('Why? pricing_v2 defaulted on'));
    assert.equal(report.status, 'complete');
    assert.equal(report.state, 'published');
    assert.deepEqual(report.missing, []);
  });

  it('the postmortem report in HTML: the same sections as the Markdown, in order', () => {
    const report = postmortemReport(s.state, s.events);
    const md = markdownStructure(renderPostmortemMarkdown(report)).headings.filter((h) => h.level === 2).map((h) => h.text);
    const html = [...renderPostmortemHtml(report).matchAll(/<h2>([^<]*)<\/h2>/g)].map((m) => m[1]);
    assert.deepEqual(html, md);
  });

  it('the response checklist: seven steps with their task lists, every one done once closed', () => {
    const doc = markdownStructure(renderChecklistMarkdown(s.state, incidentChecklist(s.state)));
    const steps = doc.headings.filter((h) => h.level === 2 && /^\d\./.test(h.text));
    assert.equal(steps.length, 7);
    for (const h of steps) assert.match(h.text, / ✓$/, h.text);
    assert.ok(doc.listItems.includes('[x] Reviewed and published'));
  });

  it('the service playbook: a title, every section, the levers as a list', () => {
    const catalog = validateCatalog(parseCatalogYaml(EXAMPLE_CATALOG_YAML));
    const doc = markdownStructure(renderServicePlaybook(catalog, 'checkout', '2026-01-13T10:00:00Z'));
    assert.equal(doc.headings[0]?.text, 'Incident playbook: Checkout');
    assert.ok(doc.headings.some((h) => h.level === 2 && h.text === 'Levers (fail-closed first)'));
    assert.ok(doc.listItems.length > 10);
  });
});
