import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import MarkdownIt from 'markdown-it';
import { renderChecklistMarkdown } from '../outputs/index.js';
import { markdownStructure } from '../outputs/markdown.test-kit.js';
import { SEVEN_STEPS, story, storyUpTo, WRITE_POSTMORTEM } from '../outputs/story.fixture.js';
import { CHECKLIST_STEPS, type Checklist, incidentChecklist } from './checklist.js';

const done = (c: Checklist) => c.steps.filter((s) => s.done).map((s) => s.key);
const stepOf = (c: Checklist, key: string) => {
  const s = c.steps.find((x) => x.key === key);
  assert.ok(s, key);
  return s;
};

describe('incidentChecklist', () => {
  it('has the seven steps, numbered in order', () => {
    const c = incidentChecklist(storyUpTo('declare').state);
    assert.deepEqual(
      c.steps.map((s) => [s.n, s.key]),
      CHECKLIST_STEPS.map((k, i) => [i + 1, k]),
    );
    assert.equal(c.incident, 'INC-7');
  });

  it('advances step by step through the seven-step story', () => {
    const s = story();
    const seen: [string, string | null, string[]][] = [];
    for (const [stage, steps] of Object.entries(SEVEN_STEPS)) {
      s.run(...steps);
      const c = incidentChecklist(s.state);
      seen.push([stage, c.current, done(c)]);
    }
    assert.deepEqual(seen, [
      ['declare', 'confirm', []],
      ['confirm', 'triage', ['confirm']],
      ['triage', 'assemble', ['confirm', 'triage']],
      ['assemble', 'mitigate', ['confirm', 'triage', 'assemble']],
      ['mitigate', 'investigate', ['confirm', 'triage', 'assemble', 'mitigate']],
      ['investigate', 'verify', ['confirm', 'triage', 'assemble', 'mitigate', 'investigate']],
      ['verify', 'postmortem', ['confirm', 'triage', 'assemble', 'mitigate', 'investigate', 'verify']],
      ['postmortem', null, [...CHECKLIST_STEPS]],
    ]);
  });

  it('says what is missing in each step while the incident is new', () => {
    const c = incidentChecklist(storyUpTo('declare').state);
    const confirm = stepOf(c, 'confirm');
    assert.deepEqual(
      confirm.items.map((i) => i.done),
      [false, true, false, true],
    );
    assert.equal(confirm.missing.length, 2);
    assert.match(confirm.missing[0] ?? '', /Confirm the impact statement/);
    assert.match(stepOf(c, 'triage').missing[0] ?? '', /severity/);
    assert.equal(stepOf(c, 'assemble').missing.length, 4);
    assert.equal(stepOf(c, 'postmortem').missing.length, 8);
    assert.deepEqual(c.nextGate, {
      to: 'mitigated',
      unmet: [{ code: 'mitigation_missing', message: 'Record at least one mitigation decision with its rationale.' }],
    });
  });

  it('does not count the commander as a technical responder', () => {
    const s = storyUpTo('triage').run(
      { type: 'AssignRole', role: 'commander', person: 'ana' },
      { type: 'AssignRole', role: 'responder', person: 'ana' },
    );
    const assemble = stepOf(incidentChecklist(s.state), 'assemble');
    assert.equal(assemble.items[1]?.done, false);
    assert.ok(assemble.missing.includes('Assign at least one technical responder other than the commander.'));
  });

  it('counts an explicit "none" as a containment decision and reports fail-closed levers', () => {
    const none = storyUpTo('assemble').run({
      type: 'DecideMitigation',
      kind: 'none',
      action: 'nothing to contain',
      rationale: 'cosmetic only',
    });
    const step = stepOf(incidentChecklist(none.state), 'mitigate');
    assert.equal(step.done, true);
    assert.match(step.items[0]?.label ?? '', /M1 none needed/);

    const open = storyUpTo('triage').run({
      type: 'DecideMitigation',
      kind: 'scale',
      action: 'add pods',
      rationale: 'absorb load',
      failClosed: false,
      failOpenReason: 'scaling cannot corrupt orders',
    });
    assert.match(stepOf(incidentChecklist(open.state), 'mitigate').items[0]?.label ?? '', /none fail-closed/);
    const closed = storyUpTo('mitigate');
    assert.match(
      stepOf(incidentChecklist(closed.state), 'mitigate').items[0]?.label ?? '',
      /M1 rollback \(fail-closed\); fail-closed in place/,
    );
  });

  it('keeps investigate open while a question is unanswered', () => {
    const s = storyUpTo('mitigate').run(
      { type: 'AddEvidence', kind: 'log', title: '5xx in checkout logs' },
      { type: 'AskQuestion', question: 'Is the v1/v2 dual-write consistent?' },
    );
    const step = stepOf(incidentChecklist(s.state), 'investigate');
    assert.equal(step.done, false);
    assert.deepEqual(
      step.items.map((i) => [i.label, i.done]),
      [
        ['Evidence attached: 1', true],
        ['Open questions answered: 0/1', false],
      ],
    );
  });

  it('needs a removal condition on every guardrail, and firing alerts cleared or overridden', () => {
    const s = storyUpTo('investigate').run(
      { type: 'AddGuardrail', what: 'rate limit', why: 'protect payments', owner: 'li' },
      { type: 'ChangeStatus', to: 'resolved', override: { reason: 'fix verified by hand' } },
    );
    const verify = stepOf(incidentChecklist(s.state), 'verify');
    assert.deepEqual(
      verify.items.map((i) => i.done),
      [true, true, false],
    );
    assert.deepEqual(verify.missing, ['Give a removal condition for G1.']);

    const none = storyUpTo('investigate').run({ type: 'ChangeStatus', to: 'resolved', noGuardrails: true });
    const v2 = stepOf(incidentChecklist(none.state), 'verify');
    assert.equal(v2.done, true);
    assert.equal(v2.items[2]?.label, 'Guardrails reviewed: none needed');
  });

  it('turns the closed gate into the postmortem step and points at the next gate', () => {
    const draft = storyUpTo('verify').run({ ...WRITE_POSTMORTEM, wentPoorly: [] });
    const c = incidentChecklist(draft.state);
    const pm = stepOf(c, 'postmortem');
    assert.deepEqual(
      pm.items.filter((i) => !i.done).map((i) => i.label),
      ['At least one thing that went poorly', 'Action items, each with an owner and a deadline', 'Reviewed and published'],
    );
    assert.equal(c.nextGate?.to, 'closed');
    assert.deepEqual(
      c.nextGate?.unmet.map((u) => u.code),
      ['went_poorly_missing', 'action_items_missing', 'postmortem_unpublished'],
    );
    assert.equal(c.postmortemDueAt, '2026-11-29T10:13:00.000Z');

    const closed = storyUpTo('postmortem').run({ type: 'ChangeStatus', to: 'closed' });
    assert.equal(incidentChecklist(closed.state).nextGate, null);
    assert.equal(incidentChecklist(closed.state).current, null);
  });
});

describe('renderChecklistMarkdown', () => {
  it('renders task lists, marks the current step and lists the next gate', () => {
    const s = storyUpTo('assemble');
    const md = renderChecklistMarkdown(s.state, incidentChecklist(s.state));
    assert.match(md, /^# INC-7 — Checkout errors: response checklist\n/);
    assert.match(md, /## 3\. Assemble the team and the communication cadence ✓\n\n- \[x\] Incident commander: ana/);
    assert.match(
      md,
      /## 4\. Mitigate first, preferring fail-closed containment \(current\)\n\n- \[ \] Containment decision recorded/,
    );
    assert.match(md, /## Next gate: mitigated\n\n- Record at least one mitigation decision with its rationale\.\n$/);
  });

  it('escapes untrusted labels', () => {
    const s = story().run({
      type: 'DeclareIncident',
      number: 7,
      title: 't',
      impact: 'i',
      services: ['<script>alert(1)</script>', 'a|b'],
    });
    const md = renderChecklistMarkdown(s.state, incidentChecklist(s.state));
    assert.ok(!md.includes('<script'));
    assert.match(md, /Affected services named: &lt;script&gt;alert\(1\)&lt;\/script&gt;, a\\\|b/);
  });
});

describe('the checklist links its services’ playbooks', () => {
  const declared = (services: string[]) =>
    story().run({ type: 'DeclareIncident', number: 7, title: 't', impact: 'i', services }).state;
  const links = (md: string) =>
    new MarkdownIt()
      .parse(md, {})
      .flatMap((t) => t.children ?? [])
      .filter((t) => t.type === 'link_open')
      .map((t) => t.attrGet('href'));

  it('gives each service its UI page and its Markdown playbook route, in the JSON', () => {
    const c = incidentChecklist(declared(['checkout', 'payments/ledger', 'checkout']));
    assert.deepEqual(c.playbooks, [
      { service: 'checkout', url: '/catalog/checkout', markdown: '/api/v1/services/checkout/playbook' },
      {
        service: 'payments/ledger',
        url: '/catalog/payments%2Fledger',
        markdown: '/api/v1/services/payments%2Fledger/playbook',
      },
    ]);
    assert.deepEqual(incidentChecklist(declared([])).playbooks, []);
  });

  it('lists them as links in the Markdown, before the steps', () => {
    const s = declared(['checkout', 'payments/ledger']);
    const md = renderChecklistMarkdown(s, incidentChecklist(s));
    const headings = markdownStructure(md).headings.map((h) => h.text);
    assert.deepEqual(headings.slice(0, 3), ['INC-7 — t: response checklist', 'Service playbooks', '1. Confirm the incident and its boundary (current)']);
    assert.deepEqual(links(md), [
      '/catalog/checkout',
      '/api/v1/services/checkout/playbook',
      '/catalog/payments%2Fledger',
      '/api/v1/services/payments%2Fledger/playbook',
    ]);
    assert.match(md, /^- \[checkout\]\(\/catalog\/checkout\) \(\[Markdown\]\(\/api\/v1\/services\/checkout\/playbook\)\)$/m);
  });

  it('has no playbook section without services, and encodes hostile names into plain paths', () => {
    const none = declared([]);
    assert.doesNotMatch(renderChecklistMarkdown(none, incidentChecklist(none)), /Service playbooks/);
    const s = declared(['<script>alert(1)</script>', 'a|b']);
    const md = renderChecklistMarkdown(s, incidentChecklist(s));
    assert.ok(!md.includes('<script'));
    assert.deepEqual(links(md), [
      '/catalog/%3Cscript%3Ealert%281%29%3C%2Fscript%3E',
      '/api/v1/services/%3Cscript%3Ealert%281%29%3C%2Fscript%3E/playbook',
      '/catalog/a%7Cb',
      '/api/v1/services/a%7Cb/playbook',
    ]);
  });
});
