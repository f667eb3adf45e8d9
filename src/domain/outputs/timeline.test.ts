import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IncidentEventType, StoredEvent } from '../incident/events.js';
import { renderTimelineCsv, renderTimelineMarkdown, timelineEntries, timelineEntry } from './index.js';
import { story, storyUpTo } from './story.fixture.js';

const XSS = '<img src=x onerror=alert(1)>';

const link = (i: number, status: 'firing' | 'resolved' = 'firing') => ({
  alertId: `al-${i}`,
  dedupKey: `pod-${i}`,
  summary: `5xx above 5% on pod-${i}`,
  status,
  source: 'alertmanager',
});
const batch = (n: number, status: 'firing' | 'resolved' = 'firing') => Array.from({ length: n }, (_, i) => link(i, status));

function everyEventType() {
  const s = storyUpTo('postmortem').run(
    { type: 'AddNote', body: 'see https://logs.example/q?id=1 for details' },
    { type: 'PostUpdate', audience: 'external', body: 'We are investigating checkout errors' },
    { type: 'UnassignRole', role: 'responder', person: 'li' },
    { type: 'ChangeActionItemStatus', actionId: 'INC-7-A1', status: 'done' },
    { type: 'EditActionItem', actionId: 'INC-7-A2', changes: { owner: 'sam', ticketUrl: 'https://tracker.example/T-1' } },
    { type: 'ChangeStatus', to: 'investigating', reason: 'errors are back' },
    { type: 'AddGuardrail', what: 'rate limit checkout', why: 'protect payments', owner: 'li' },
    { type: 'ChangeStatus', to: 'resolved', override: { reason: 'customer-facing fix verified by hand' } },
  );
  const at = '2026-11-27T12:00:00.000Z';
  const base = { at, actor: 'alertmanager', incident: 7 };
  const n = s.events.length;
  const deploy = {
    externalId: 'gh-145988746',
    source: 'github' as const,
    service: 'checkout',
    environment: 'production',
    version: 'v1.42',
    commitSha: 'f95f852',
    status: 'succeeded' as const,
    startedAt: '2026-11-27T11:40:00.000Z',
    finishedAt: '2026-11-27T11:48:00.000Z',
    actor: 'ana',
    url: 'https://ci.example/run/220',
    previousVersion: 'v1.41',
    configDeltas: [],
  };
  const alerts: StoredEvent[] = [
    {
      ...base,
      seq: n + 1,
      type: 'AlertLinked',
      data: {
        alertId: 'al-1',
        dedupKey: 'checkout-5xx',
        summary: 'Checkout 5xx > 5%',
        status: 'firing',
        source: 'alertmanager',
      },
    },
    { ...base, seq: n + 2, type: 'AlertStatusChanged', data: { alertId: 'al-1', status: 'resolved' } },
    { ...base, seq: n + 3, type: 'AlertsCleared', data: { count: 1 } },
    { ...base, seq: n + 4, type: 'AlertsRecorded', data: { linked: batch(2), changed: [{ ...link(0), status: 'firing' }] } },
    {
      ...base,
      seq: n + 5,
      type: 'ReleaseBoundaryChanged',
      data: {
        boundary: deploy,
        suspects: [{ deploy, minutesBeforeImpact: 12, relation: 'affected', via: [], configDeltas: [] }],
      },
    },
    {
      ...base,
      seq: n + 6,
      type: 'CommanderSuggested',
      data: { person: 'ana', team: 'payments', service: 'checkout', reason: 'on call for payments (weekly rotation), which owns checkout' },
    },
    {
      ...base,
      seq: n + 7,
      type: 'TimerFired',
      data: {
        kind: 'ack',
        timerId: 'INC-1.ack.1',
        dueAt: '2026-03-01T10:05:00.000Z',
        message: 'No incident commander on INC-1 (SEV1) 5 min after it was declared: the acknowledgement target is 5 min. Take command or assign a commander.',
      },
    },
    {
      ...base,
      seq: n + 8,
      type: 'LeverExecuted',
      data: {
        mitigationId: 'M1',
        lever: 'rollback',
        state: 'succeeded',
        request: { method: 'POST', url: 'https://ci.example/rollback' },
        status: 202,
        excerpt: '{"queued":true}',
      },
    },
    { ...base, seq: n + 10, type: 'PostmortemDrafted', data: { summary: 's', impact: 'i', whys: [], rootCause: '', contributingFactors: [], wentWell: [], wentPoorly: [], lessons: [], author: 'ana' } },
    { ...base, seq: n + 11, type: 'BlameWarningWaived', data: { field: 'rootCause', phrase: 'human error', reason: 'quoting the vendor report' } },
    { ...base, seq: n + 9, type: 'LeverConfirmed', data: { mitigationId: 'M2', lever: 'drain', outcome: 'done', note: 'drained eu-1' } },
  ];
  return [...s.events, ...alerts];
}

describe('timelineEntry', () => {
  const events = everyEventType();
  const entries = timelineEntries(events);

  it('summarises every event type on one line', () => {
    const byType = new Map(entries.map((e) => [e.type, e]));
    const all: Record<IncidentEventType, true> = {
      IncidentDeclared: true,
      ImpactStated: true,
      SeverityChanged: true,
      RoleAssigned: true,
      CommanderSuggested: true,
      RoleUnassigned: true,
      CommsPlanSet: true,
      UpdatePosted: true,
      NoteAdded: true,
      EvidenceAdded: true,
      MitigationDecided: true,
      LeverExecuted: true,
      LeverConfirmed: true,
      QuestionAsked: true,
      QuestionAnswered: true,
      GuardrailAdded: true,
      GateOverridden: true,
      StatusChanged: true,
      PostmortemWritten: true,
      PostmortemDrafted: true,
      PostmortemAssigned: true,
      PostmortemStateChanged: true,
      BlameWarningWaived: true,
      ActionItemAdded: true,
      ActionItemEdited: true,
      ActionItemStatusChanged: true,
      AlertLinked: true,
      AlertStatusChanged: true,
      AlertsRecorded: true,
      AlertsCleared: true,
      ReleaseBoundaryChanged: true,
      TimerFired: true,
    };
    for (const type of Object.keys(all)) {
      const entry = byType.get(type as IncidentEventType);
      assert.ok(entry, `no entry for ${type}`);
      assert.ok(entry.summary.length > 10, `${type} has a summary`);
      assert.doesNotMatch(entry.summary, /[\r\n]|undefined|null|\[object/, `${type}: ${entry.summary}`);
    }
  });

  it('reads like a person wrote it', () => {
    const summaries = entries.map((e) => e.summary);
    assert.ok(summaries.includes('Severity set to SEV2: checkout errors for 30% of users'));
    assert.ok(summaries.includes('Evidence E1 (metric): p99 latency dashboard'));
    assert.ok(summaries.includes('Status investigating → mitigated'));
    assert.ok(summaries.includes('Re-opened: status resolved → investigating (errors are back)'));
    assert.ok(summaries.includes('Status investigating → resolved (override: customer-facing fix verified by hand)'));
    assert.ok(summaries.includes('li assigned as technical responder'));
    assert.ok(
      summaries.some((x) =>
        x.startsWith('Mitigation M1 (rollback via "rollback", fail-closed): Roll back checkout to v41'),
      ),
    );
  });

  it('carries evidence URLs and URLs written in text as links', () => {
    const evidence = entries.find((e) => e.type === 'EvidenceAdded');
    assert.deepEqual(evidence?.links, ['https://grafana.example/d/checkout']);
    const note = entries.find((e) => e.type === 'NoteAdded');
    assert.deepEqual(note?.links, ['https://logs.example/q?id=1']);
  });

  it('never links a non-http URL but keeps it visible', () => {
    const s = story().run(
      { type: 'DeclareIncident', number: 7, title: 't', impact: 'i' },
      { type: 'AddEvidence', kind: 'log', title: 'raw log', url: 'javascript:alert(1)' },
    );
    const entry = timelineEntry(s.events.at(-1)!);
    assert.deepEqual(entry.links, []);
    assert.match(entry.summary, /javascript:alert\(1\)/);
  });

  it('renders an ingest batch as one short line: counts and the first few summaries', () => {
    const base = { at: '2026-11-27T12:00:00.000Z', actor: 'integration:prom', incident: 7, seq: 9 };
    const line = (linked: ReturnType<typeof batch>, changed: ReturnType<typeof batch> = []) =>
      timelineEntry({ ...base, type: 'AlertsRecorded', data: { linked, changed } }).summary;
    const storm = line([...batch(1_990), ...batch(10, 'resolved')], batch(1_200, 'resolved'));
    assert.equal(
      storm,
      'Linked 2,000 alerts (1,990 firing, 10 resolved): 5xx above 5% on pod-0; 5xx above 5% on pod-1; 5xx above 5% on pod-2; and 1,997 more' +
        ' · 1,200 changed status (1,200 resolved): 5xx above 5% on pod-0; 5xx above 5% on pod-1; 5xx above 5% on pod-2; and 1,197 more',
    );
    assert.ok(line(batch(20_000).map((a) => ({ ...a, summary: 'x'.repeat(1_000) }))).length < 400, 'long summaries are cut');
    assert.equal(line(batch(1)), 'Alert linked (alertmanager, firing): 5xx above 5% on pod-0 [pod-0]');
    assert.equal(line([], batch(1, 'resolved')), 'Alert resolved: 5xx above 5% on pod-0 [pod-0]');
    assert.equal(line([], batch(2)), '2 changed status (2 firing again): 5xx above 5% on pod-0; 5xx above 5% on pod-1');
    const s = storyUpTo('investigate');
    const events = [...s.events, { ...base, seq: s.events.length + 1, type: 'AlertsRecorded' as const, data: { linked: batch(2_000), changed: [] } }];
    const md = renderTimelineMarkdown(s.state, events).split('\n').filter((l) => l.includes('Linked 2,000 alerts'));
    const csv = renderTimelineCsv(s.state, events).split('\r\n').filter((l) => l.includes('Linked 2,000 alerts'));
    assert.deepEqual([md.length, csv.length], [1, 1]);
  });

  it('still renders the one-alert events recorded before batches', () => {
    const base = { at: '2026-11-27T12:00:00.000Z', actor: 'integration:prom', incident: 7 };
    const entries = timelineEntries([
      { ...base, seq: 1, type: 'AlertLinked', data: link(1) },
      { ...base, seq: 2, type: 'AlertStatusChanged', data: { alertId: 'al-1', status: 'resolved' } },
    ]);
    assert.deepEqual(entries.map((e) => e.summary), ['Alert linked (alertmanager, firing): 5xx above 5% on pod-1 [pod-1]', 'Alert al-1 resolved']);
  });

  it('collapses multi-line text to one line', () => {
    const s = story().run(
      { type: 'DeclareIncident', number: 7, title: 't', impact: 'i' },
      { type: 'AddNote', body: 'one\r\ntwo\nthree' },
    );
    assert.equal(timelineEntry(s.events.at(-1)!).summary, 'Note: one two three');
  });
});

describe('renderTimelineMarkdown', () => {
  it('renders a heading and one table row per event with UTC times and Markdown links', () => {
    const s = storyUpTo('investigate');
    const md = renderTimelineMarkdown(s.state, s.events);
    const lines = md.trimEnd().split('\n');
    assert.equal(lines[0], '# INC-7 — Checkout errors: timeline');
    assert.ok(lines.includes('| Time (UTC) | Actor | Event | Details |'));
    assert.equal(lines.filter((l) => l.startsWith('| 2026-11-27 ')).length, s.events.length);
    assert.match(md, /\| 2026-11-27 10:00:00Z \| ana \| IncidentDeclared \|/);
    assert.match(md, /\[https:\/\/grafana\.example\/d\/checkout\]\(https:\/\/grafana\.example\/d\/checkout\)/);
  });

  it('escapes pipes, newlines, backticks and HTML so untrusted text cannot break the table', () => {
    const s = story().run(
      { type: 'DeclareIncident', number: 7, title: `a | b ${XSS}`, impact: 'i' },
      { type: 'AddNote', body: `col | split\n| --- |\n\`code\` ${XSS} [x](javascript:alert(1))` },
    );
    const md = renderTimelineMarkdown(s.state, s.events);
    assert.ok(!md.includes('<img'), md);
    assert.ok(md.includes('&lt;img src=x onerror=alert(1)&gt;'));
    assert.ok(md.startsWith('# INC-7 — a \\| b &lt;img'));
    const row = md.split('\n').find((l) => l.includes('Note:'));
    assert.ok(row);
    assert.equal(row.split(/(?<!\\)\|/).length, 6, `four cells: ${row}`);
    assert.ok(row.includes('\\`code\\`'));
    assert.ok(row.includes('\\[x\\](javascript:alert(1))'), 'link syntax is escaped, not rendered');
    assert.doesNotMatch(md, /(?<!\\)\]\(javascript:/);
  });
});

describe('renderTimelineCsv', () => {
  it('is RFC 4180 with a header, CRLF line ends and doubled quotes', () => {
    const s = story().run(
      { type: 'DeclareIncident', number: 7, title: 't', impact: 'i' },
      { type: 'AddNote', body: 'he said "roll back", then left' },
    );
    const csv = renderTimelineCsv(s.state, s.events);
    const records = csv.split('\r\n');
    assert.equal(records[0], 'seq,at,actor,type,summary,links');
    assert.equal(records.at(-1), '', 'ends with CRLF');
    assert.ok(!/[^\r]\n/.test(csv), 'no bare LF');
    assert.equal(records[1]?.split(',')[0], '1');
    assert.ok(records.includes('3,2026-11-27T10:01:00.000Z,ana,NoteAdded,"Note: he said ""roll back"", then left",'));
  });

  it('defuses spreadsheet formulas in every cell', () => {
    const s = story().run(
      { type: 'DeclareIncident', number: 7, title: 't', impact: 'i' },
      { type: 'AssignRole', role: 'responder', person: '=HYPERLINK("http://evil.example","x")', actor: '+cmd|calc' },
      { type: 'AssignRole', role: 'scribe', person: 'x', actor: '@SUM(A1)' },
      { type: 'AssignRole', role: 'comms', person: 'y', actor: '-2+3' },
      { type: 'AssignRole', role: 'commander', person: 'z', actor: '\tTAB' },
    );
    const csv = renderTimelineCsv(s.state, s.events);
    const cells = csv
      .split('\r\n')
      .slice(1, -1)
      .map((r) => r.split(',')[2]);
    assert.deepEqual(cells.slice(-4), ["'+cmd|calc", "'@SUM(A1)", "'-2+3", "'\tTAB"]);
    const responder = timelineEntries(s.events).find((e) => e.type === 'RoleAssigned' && e.summary.startsWith('='));
    assert.ok(responder);
    assert.ok(csv.includes(`"'${responder.summary.replace(/"/g, '""')}"`));
  });
});
