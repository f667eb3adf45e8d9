import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ev, given, readyToResolve, type Ev } from '../incident/test-kit.js';
import { timerMessage } from './fire.js';
import { DEFAULT_TIMER_RULES } from './rules.js';

describe('timerMessage for the postmortem reminders', () => {
  const job = (kind: 'postmortem_due' | 'postmortem_overdue') => ({ kind, key: kind, dueAt: '2026-11-29T10:00:00.000Z' });
  const resolved = [...readyToResolve(), ev.status('investigating', 'resolved')];
  const message = (kind: 'postmortem_due' | 'postmortem_overdue', ...more: Ev[]) =>
    timerMessage(job(kind), given(...resolved, ...more).state(), DEFAULT_TIMER_RULES, '2026-11-29T10:09:00.000Z');

  it('says who holds a postmortem that is not published yet', () => {
    assert.equal(message('postmortem_due'), 'The postmortem of INC-7 is due: it was resolved 2 d ago and no postmortem is written.');
    assert.equal(
      message('postmortem_due', ev.postmortem()),
      'The postmortem of INC-7 is due: it was resolved 2 d ago and it is still a draft (author ana, no reviewer yet).',
    );
    const review: Ev[] = [
      ev.postmortem(),
      { type: 'PostmortemAssigned', data: { reviewers: ['sam', 'kim'] } },
      { type: 'PostmortemStateChanged', data: { from: 'draft', to: 'in_review' } },
    ];
    assert.equal(
      message('postmortem_overdue', ...review),
      'The postmortem of INC-7 is overdue by 1 d and it waits for review by sam, kim: finish the review and publish it, then close the incident.',
    );
  });
});
