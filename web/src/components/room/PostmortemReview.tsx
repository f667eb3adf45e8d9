import { useState, type FormEvent } from 'react';
import { api, LIMITS, type Act, type Incident, type PostmortemState } from '../../api/client.js';
import { useNow } from '../../hooks/now.js';
import { useSubmit } from '../../hooks/submit.js';
import { Link } from '../Link.js';
import { Panel } from '../Panel.js';
import { ProblemView } from '../ProblemView.js';
import { duration, utc } from '../time.js';

const STATE_WORDS: Record<PostmortemState, string> = { draft: 'draft', in_review: 'in review', published: 'published' };

/** Where the postmortem's review stands, as text (never colour alone). */
export function PostmortemStateBadge({ state }: { state: PostmortemState | null }) {
  return (
    <span className={`status pm-state pm-state-${state ?? 'missing'}`} data-pm-state={state ?? 'missing'}>
      {state ? STATE_WORDS[state] : 'not started'}
    </span>
  );
}

/** Due, and overdue while it is not published and the incident still waits for it. */
function postmortemOverdue(incident: Incident, now: number): boolean {
  const due = incident.postmortemDueAt ? Date.parse(incident.postmortemDueAt) : NaN;
  const waiting = incident.postmortem?.state !== 'published' && incident.status !== 'closed' && incident.status !== 'cancelled';
  return waiting && !Number.isNaN(due) && due < now;
}

const people = (s: string) => [...new Set(s.split(',').map((x) => x.trim()).filter(Boolean))];

/**
 * The postmortem's review: its state, author, reviewers and due time, the assignment, and the moves the state
 * allows (submit for review, send back with a reason, publish). The server decides who may; its refusal, with every
 * unmet criterion of a gate, shows here.
 */
export function PostmortemReview({ incident, canAct, act, me, editorLink = false }: { incident: Incident; canAct: boolean; act: Act; me: string; editorLink?: boolean }) {
  const pm = incident.postmortem;
  const now = useNow(30_000);
  const [author, setAuthor] = useState(pm?.author ?? '');
  const [reviewers, setReviewers] = useState((pm?.reviewers ?? []).join(', '));
  const [shown, setShown] = useState(JSON.stringify([pm?.author, pm?.reviewers]));
  const [reason, setReason] = useState('');
  const { busy, problem, submit } = useSubmit();
  // What the server holds changed (a save, another person): the inputs follow it.
  const held = JSON.stringify([pm?.author, pm?.reviewers]);
  if (held !== shown) {
    setShown(held);
    setAuthor(pm?.author ?? '');
    setReviewers((pm?.reviewers ?? []).join(', '));
  }

  if (!pm) {
    return (
      <Panel title="Postmortem review" id="review">
        <p className="muted small">
          No postmortem yet: a draft is made from the log when the incident resolves.{' '}
          {editorLink && <Link to={`/incidents/${incident.id}/postmortem`}>Write one now</Link>}
        </p>
      </Panel>
    );
  }

  const published = pm.state === 'published';
  const overdue = postmortemOverdue(incident, now);
  const due = incident.postmortemDueAt ? Date.parse(incident.postmortemDueAt) : NaN;

  const handleAssign = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      const a = author.trim();
      const r = people(reviewers);
      await act(
        api.assignPostmortem(incident.id, {
          ...(a !== pm.author && { author: a }),
          ...(JSON.stringify(r) !== JSON.stringify(pm.reviewers) && { reviewers: r }),
        }),
      );
    });
  };
  const move = (to: PostmortemState, why?: string) =>
    void submit(async () => {
      await act(api.changePostmortemState(incident.id, { to, ...(why && { reason: why }) }));
      setReason('');
    });
  const handleSendBack = (e: FormEvent) => {
    e.preventDefault();
    move('draft', reason.trim());
  };
  const unchanged = author.trim() === pm.author && JSON.stringify(people(reviewers)) === JSON.stringify(pm.reviewers);

  return (
    <Panel title="Postmortem review" id="review">
      <div className="pm-review-line">
        <PostmortemStateBadge state={pm.state} />
        <span>
          <span className="k">author</span> <span data-pm="author">{pm.author}</span>
        </span>
        <span>
          <span className="k">reviewers</span>{' '}
          <span data-pm="reviewers">{pm.reviewers.length ? pm.reviewers.join(', ') : <span className="warn-text">none yet</span>}</span>
        </span>
        {!Number.isNaN(due) && (
          <span className={`timer${overdue ? ' overdue' : ''}`} data-pm="due">
            <span className="k">due</span> {utc(incident.postmortemDueAt)}
            {!published && incident.status !== 'closed' && (
              <strong> · {overdue ? `overdue by ${duration(now - due)}` : `in ${duration(due - now)}`}</strong>
            )}
          </span>
        )}
        {editorLink && (
          <span className="pm-links">
            <Link to={`/incidents/${incident.id}/postmortem`}>{published ? 'Read the postmortem' : 'Edit the postmortem'}</Link>
            <Link to={`/incidents/${incident.id}/postmortem/print`}>Printable page</Link>
          </span>
        )}
      </div>
      {published && (
        <p className="ok-text small" data-pm="published">
          Published by {pm.publishedBy ?? 'unknown'}, {utc(pm.publishedAt)}. It no longer changes.
        </p>
      )}
      {pm.state === 'in_review' && (
        <p className="small">
          In review since {utc(pm.submittedAt)}: a reviewer ({pm.reviewers.join(', ')}) publishes it or sends it back.
        </p>
      )}
      {canAct && !published && (
        <div className="stack pm-review-forms">
          <form className="row wrap" aria-label="Assign the postmortem" onSubmit={handleAssign}>
            <label className="field">
              <span>Author</span>
              <input name="author" required maxLength={LIMITS.person} value={author} onChange={(e) => setAuthor(e.target.value)} />
            </label>
            <label className="field grow">
              <span>Reviewers (comma-separated; not the author)</span>
              <input name="reviewers" maxLength={LIMITS.person * 10} value={reviewers} onChange={(e) => setReviewers(e.target.value)} />
            </label>
            <button type="submit" disabled={busy || unchanged}>
              Save author and reviewers
            </button>
          </form>
          <div className="row wrap">
            {pm.state === 'draft' && (
              <>
                <button type="button" className="primary" disabled={busy || pm.reviewers.length === 0} onClick={() => move('in_review')}>
                  Submit for review
                </button>
                {pm.reviewers.length === 0 && <span className="small warn-text">Assign a reviewer first.</span>}
              </>
            )}
            {pm.state === 'in_review' && (
              <button type="button" className={pm.reviewers.includes(me) ? 'primary' : undefined} disabled={busy} onClick={() => move('published')}>
                Publish
              </button>
            )}
          </div>
          {pm.state === 'in_review' && (
            <form className="row wrap" aria-label="Send back" onSubmit={handleSendBack}>
              <label className="field grow">
                <span>What should change (sends it back to draft)</span>
                <input name="reason" required maxLength={LIMITS.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              <button type="submit" disabled={busy}>
                Send back
              </button>
            </form>
          )}
        </div>
      )}
      <ProblemView problem={problem} />
    </Panel>
  );
}
