import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Cmd, type Ev, ev, given, readyToResolve } from './test-kit.js';

const resolve: Cmd = { type: 'ChangeStatus', to: 'resolved' };
const assign = (d: { author?: string; reviewers?: string[] }, actor?: string): Cmd => ({ type: 'AssignPostmortem', ...d, ...(actor && { actor }) });
const move = (to: 'draft' | 'in_review' | 'published', extra: { reason?: string; strict?: boolean; actor?: string } = {}): Cmd => ({
  type: 'ChangePostmortemState',
  to,
  ...extra,
});
const drafted: Ev = {
  type: 'PostmortemDrafted',
  data: { summary: 's', impact: 'i', whys: [], rootCause: '', contributingFactors: [], wentWell: [], wentPoorly: [], lessons: [], author: 'ana' },
};
/** Resolved with a drafted postmortem (author ana). */
const resolvedDraft = (): Ev[] => [...readyToResolve(), ev.status('investigating', 'resolved'), drafted];
const reviewers = (...names: string[]): Ev => ({ type: 'PostmortemAssigned', data: { reviewers: names } });
const state = (from: string, to: string): Ev => ({ type: 'PostmortemStateChanged', data: { from, to } } as Ev);
/** In review by sam, every publish criterion met. */
const inReview = (): Ev[] => [...resolvedDraft(), ev.postmortem(), ev.action(), reviewers('sam'), state('draft', 'in_review')];

describe('the postmortem draft', () => {
  it('is made when the incident first resolves, pre-filled and written by the commander', () => {
    const events = given(...readyToResolve(), ev.role('commander', 'kim')).when({ ...resolve, actor: 'li' }).events();
    const draft = events.find((e) => e.type === 'PostmortemDrafted');
    assert.ok(draft && draft.type === 'PostmortemDrafted');
    assert.equal(draft.data.author, 'kim');
    assert.equal(draft.data.impact, 'Shoppers cannot pay');
    assert.match(draft.data.summary, /^SEV2 incident on checkout: Checkout fails\. Contained by Roll back \(rollback, fail-closed\)\./);
    assert.deepEqual(draft.data.whys, []);
    assert.equal(draft.data.rootCause, '');
  });

  it('is not made again when a postmortem exists, and a resolve after a re-open keeps it', () => {
    const events = given(...readyToResolve(), ev.postmortem()).when(resolve).events();
    assert.deepEqual(events.map((e) => e.type), ['StatusChanged']);
  });

  it('projects as a draft with no reviewers; a first write without a draft starts one by its writer', () => {
    const pm = given(...resolvedDraft()).state().postmortem;
    assert.equal(pm?.state, 'draft');
    assert.equal(pm?.author, 'ana');
    assert.deepEqual(pm?.reviewers, []);
    const written = given(...readyToResolve(), { ...ev.postmortem(), actor: 'li' }).state().postmortem;
    assert.equal(written?.state, 'draft');
    assert.equal(written?.author, 'li');
    assert.equal(written?.updatedBy, 'li');
  });

  it('goes back to draft when the incident re-opens after review', () => {
    given(...inReview())
      .when({ type: 'ChangeStatus', to: 'investigating', reason: 'errors are back' })
      .thenMoves([{ type: 'StatusChanged', data: { from: 'resolved', to: 'investigating', reason: 'errors are back' } }]);
    const s = given(...inReview()).when({ type: 'ChangeStatus', to: 'investigating', reason: 'errors are back' }).state();
    assert.equal(s.postmortem?.state, 'draft');
    assert.equal(s.postmortem?.submittedAt, null);
  });
});

describe('AssignPostmortem', () => {
  it('sets the author and the reviewers, each only when it changes', () => {
    given(...resolvedDraft())
      .when(assign({ author: 'li', reviewers: ['sam', 'kim', 'sam'] }))
      .then([{ type: 'PostmortemAssigned', data: { author: 'li', reviewers: ['sam', 'kim'] } }]);
    given(...resolvedDraft(), reviewers('sam')).when(assign({ author: 'ana', reviewers: ['sam'] })).thenNothing();
  });

  it('refuses the author as a reviewer, blanks, an empty body, no postmortem, and a published one', () => {
    given(...resolvedDraft()).when(assign({ reviewers: ['ana'] })).thenThrows('validation', { errors: ['body.reviewers'] });
    given(...resolvedDraft(), reviewers('sam')).when(assign({ author: 'sam' })).thenThrows('validation', { errors: ['body.author'] });
    given(...resolvedDraft()).when(assign({ reviewers: [' '] })).thenThrows('validation', { errors: ['body.reviewers'] });
    given(...resolvedDraft()).when(assign({})).thenThrows('validation', { errors: ['body'] });
    given(...readyToResolve()).when(assign({ reviewers: ['sam'] })).thenThrows('conflict');
    given(...inReview(), state('in_review', 'published')).when(assign({ reviewers: ['kim'] })).thenThrows('conflict');
  });

  it('keeps a postmortem in review reviewed', () => {
    given(...inReview()).when(assign({ reviewers: [] })).thenThrows('validation', { errors: ['body.reviewers'] });
  });
});

describe('ChangePostmortemState', () => {
  it('submits a draft for review once it has a reviewer', () => {
    given(...resolvedDraft()).when(move('in_review')).thenThrows('gate_unmet', { unmet: ['reviewer_missing'] });
    const s = given(...resolvedDraft(), reviewers('sam'))
      .when(move('in_review'))
      .then([{ type: 'PostmortemStateChanged', data: { from: 'draft', to: 'in_review' } }]);
    assert.equal(s.postmortem?.state, 'in_review');
    assert.ok(s.postmortem?.submittedAt);
  });

  it('is published by a reviewer once every publish criterion holds', () => {
    given(...inReview()).when(move('published')).thenThrows('forbidden');
    const s = given(...inReview())
      .when(move('published', { actor: 'sam' }))
      .then([{ type: 'PostmortemStateChanged', data: { from: 'in_review', to: 'published' } }]);
    assert.equal(s.postmortem?.state, 'published');
    assert.equal(s.postmortem?.publishedBy, 'sam');
  });

  it('refuses to publish with the close gate criteria unmet, and only from review while resolved', () => {
    given(...resolvedDraft(), reviewers('sam'), state('draft', 'in_review'))
      .when(move('published', { actor: 'sam' }))
      .thenThrows('gate_unmet', { unmet: ['whys_missing', 'root_cause_missing', 'went_well_missing', 'went_poorly_missing', 'action_items_missing'] });
    given(...resolvedDraft(), ev.postmortem(), ev.action(), reviewers('sam'))
      .when(move('published', { actor: 'sam' }))
      .thenThrows('conflict');
    given(...inReview(), ev.status('resolved', 'investigating', { reason: 'regression' }))
      .when(move('published', { actor: 'sam' }))
      .thenThrows('gate_unmet', { unmet: ['incident_unresolved'] });
  });

  it('in strict mode, refuses to publish until each blameless warning is fixed or waived', () => {
    const blameful = ev.postmortem({ rootCause: 'careless deploy by the on-call' });
    const waive: Ev = { type: 'BlameWarningWaived', data: { field: 'rootCause', phrase: 'careless', reason: 'a quote from the vendor' } };
    given(...inReview(), blameful).when(move('published', { actor: 'sam', strict: true })).thenThrows('gate_unmet', { unmet: ['blameful_language'] });
    given(...inReview(), blameful)
      .when(move('published', { actor: 'sam' }))
      .then([{ type: 'PostmortemStateChanged', data: { from: 'in_review', to: 'published' } }]);
    given(...inReview(), blameful, waive)
      .when(move('published', { actor: 'sam', strict: true }))
      .then([{ type: 'PostmortemStateChanged', data: { from: 'in_review', to: 'published' } }]);
  });

  it('sends a postmortem back to draft with a reason, by the author or a reviewer', () => {
    given(...inReview()).when(move('draft')).thenThrows('validation', { errors: ['body.reason'] });
    given(...inReview()).when(move('draft', { reason: 'the timeline misses the rollback', actor: 'kim' })).thenThrows('forbidden');
    given(...inReview())
      .when(move('draft', { reason: 'the timeline misses the rollback', actor: 'sam' }))
      .then([{ type: 'PostmortemStateChanged', data: { from: 'in_review', to: 'draft', reason: 'the timeline misses the rollback' } }]);
  });

  it('refuses a move to the state it is in, and any move or edit once published', () => {
    given(...resolvedDraft()).when(move('draft', { reason: 'x' })).thenThrows('conflict');
    const published = [...inReview(), state('in_review', 'published')];
    given(...published).when(move('draft', { reason: 'typo' })).thenThrows('conflict');
    given(...published).when({ type: 'WritePostmortem', summary: 's', impact: 'i', whys: ['w'], rootCause: 'r' }).thenThrows('conflict');
  });
});

describe('WaiveBlameWarning', () => {
  const blameful = () => [...resolvedDraft(), ev.postmortem({ rootCause: 'human error in the runbook step' })];

  it('waives a warning the check reports, with a reason', () => {
    const s = given(...blameful())
      .when({ type: 'WaiveBlameWarning', field: 'rootCause', phrase: 'Human error', reason: ' the runbook title says so ' })
      .then([{ type: 'BlameWarningWaived', data: { field: 'rootCause', phrase: 'Human error', reason: 'the runbook title says so' } }]);
    assert.deepEqual(s.postmortem?.waivers.map((w) => [w.field, w.phrase, w.by]), [['rootCause', 'Human error', 'ana']]);
  });

  it('keeps one waiver per warning, whatever the case of its phrase', () => {
    const first: Ev = { type: 'BlameWarningWaived', data: { field: 'rootCause', phrase: 'Human error', reason: 'quoted' } };
    const s = given(...blameful(), first)
      .when({ type: 'WaiveBlameWarning', field: 'rootCause', phrase: 'human error', reason: 'the runbook title' })
      .state();
    assert.deepEqual(s.postmortem?.waivers.map((w) => [w.phrase, w.reason]), [['human error', 'the runbook title']]);
  });

  it('refuses a warning that is not there, a blank reason, and no postmortem', () => {
    given(...blameful())
      .when({ type: 'WaiveBlameWarning', field: 'summary', phrase: 'human error', reason: 'x' })
      .thenThrows('not_found');
    given(...blameful())
      .when({ type: 'WaiveBlameWarning', field: 'rootCause', phrase: 'human error', reason: '  ' })
      .thenThrows('validation', { errors: ['body.reason'] });
    given(...readyToResolve())
      .when({ type: 'WaiveBlameWarning', field: 'rootCause', phrase: 'human error', reason: 'x' })
      .thenThrows('conflict');
  });
});

describe('action items', () => {
  it('are added with a kind and a ticket link', () => {
    given(...resolvedDraft())
      .when({ type: 'AddActionItem', title: 'Alert on config drift', owner: 'li', dueAt: '2026-12-10', priority: 'P2', kind: 'monitoring', ticketUrl: 'https://tracker.example/T-9' })
      .then([
        {
          type: 'ActionItemAdded',
          data: { id: 'INC-7-A1', title: 'Alert on config drift', owner: 'li', dueAt: '2026-12-10T00:00:00.000Z', priority: 'P2', kind: 'monitoring', ticketUrl: 'https://tracker.example/T-9' },
        },
      ]);
  });

  it('are edited field by field, each edit one event with what it replaced', () => {
    given(...resolvedDraft(), ev.action())
      .when({ type: 'EditActionItem', actionId: 'inc-7-a1', changes: { owner: 'sam', dueAt: '2026-12-20', title: 'Check the schema' } })
      .then([
        {
          type: 'ActionItemEdited',
          data: { id: 'INC-7-A1', changes: { owner: 'sam', dueAt: '2026-12-20T00:00:00.000Z' }, previous: { owner: 'li', dueAt: '2026-11-27T10:00:00.000Z' } },
        },
      ]);
    given(...resolvedDraft(), ev.action()).when({ type: 'EditActionItem', actionId: 'INC-7-A1', changes: { owner: 'li' } }).thenNothing();
  });

  it('refuse an edit naming nothing, a bad deadline, an unknown item; an edit after close is taken', () => {
    given(...resolvedDraft(), ev.action()).when({ type: 'EditActionItem', actionId: 'INC-7-A1', changes: {} }).thenThrows('validation', { errors: ['body'] });
    given(...resolvedDraft(), ev.action())
      .when({ type: 'EditActionItem', actionId: 'INC-7-A1', changes: { dueAt: 'soon' } })
      .thenThrows('validation', { errors: ['body.dueAt'] });
    given(...resolvedDraft()).when({ type: 'EditActionItem', actionId: 'INC-7-A9', changes: { owner: 'x' } }).thenThrows('not_found');
    const closed = [...inReview(), state('in_review', 'published'), ev.status('resolved', 'closed')];
    given(...closed)
      .when({ type: 'EditActionItem', actionId: 'INC-7-A1', changes: { ticketUrl: 'https://tracker.example/T-1' } })
      .then([{ type: 'ActionItemEdited', data: { id: 'INC-7-A1', changes: { ticketUrl: 'https://tracker.example/T-1' }, previous: { ticketUrl: null } } }]);
  });
});

describe('action items from questions and combined edits', () => {
  it('turns an open question into an action item titled by the question', () => {
    given(...resolvedDraft(), ev.question('Q1', 'Why did the cache miss?'))
      .when({ type: 'AddActionItem', title: '', owner: 'li', dueAt: '2026-12-10T00:00:00Z', priority: 'P2', fromQuestion: 'q1' })
      .then([
        {
          type: 'ActionItemAdded',
          data: { id: 'INC-7-A1', title: 'Why did the cache miss?', owner: 'li', dueAt: '2026-12-10T00:00:00.000Z', priority: 'P2', fromQuestion: 'Q1' },
        },
      ]);
  });

  it('edits and moves the status in one step', () => {
    given(...resolvedDraft(), ev.action())
      .when({ type: 'EditActionItem', actionId: 'INC-7-A1', changes: { owner: 'sam' }, status: 'done' })
      .then([
        { type: 'ActionItemEdited', data: { id: 'INC-7-A1', changes: { owner: 'sam' }, previous: { owner: 'li' } } },
        { type: 'ActionItemStatusChanged', data: { id: 'INC-7-A1', from: 'open', to: 'done' } },
      ]);
  });
});
