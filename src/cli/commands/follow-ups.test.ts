import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli } from '../test-cli.js';

/** A usage error: exit 2, one line on stderr, nothing sent to the server. */
async function refused(argv: string[], line: string) {
  const r = await runCli(argv, []);
  assert.equal(r.code, 2, r.stderr);
  assert.equal(r.stderr, `firebreak: ${line}\n`);
  assert.equal(r.stdout, '');
  assert.equal(r.sent.length, 0);
}

describe('postmortem and action item commands refuse what they cannot send', () => {
  it('action edit naming nothing to change', async () => {
    await refused(['action', 'edit', 'INC-7-A1'], 'name at least one of --title, --owner, --due, --priority, --kind, --ticket, --no-ticket');
  });

  it('action from-question without an owner or a deadline', async () => {
    await refused(['action', 'from-question', 'INC-7', 'Q1', '--due', '+7d'], "required option '--owner <name>' not specified");
    await refused(['action', 'from-question', 'INC-7', 'Q1', '--owner', 'li'], "required option '--due <time>' not specified");
  });

  it('postmortem assign naming no one, return and waive without a reason', async () => {
    await refused(['postmortem', 'assign', 'INC-7'], 'name --author, --reviewer, or both');
    await refused(['postmortem', 'return', 'INC-7'], "required option '--reason <text>' not specified");
    await refused(['postmortem', 'waive', 'INC-7', 'rootCause', 'human error'], "required option '--reason <text>' not specified");
  });

  it('sends postmortem publish --strict as strict, and the list filters as comma lists', async () => {
    const inc = { id: 'INC-7', postmortem: { state: 'published', author: 'ana', reviewers: ['sam'] }, postmortemWarnings: [], actions: [], version: 30, status: 'resolved', title: 't' };
    const r = await runCli(['postmortem', 'publish', 'INC-7', '--strict'], [{ json: inc }]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.last?.body, { to: 'published', strict: true });
    const l = await runCli(['actions', '--state', 'open,in-progress,', '--kind', 'fix', '--kind', 'runbook', '--overdue'], [{ json: { items: [], nextCursor: null } }]);
    assert.equal(l.code, 0, l.stderr);
    assert.deepEqual(l.last?.query, { state: 'open,in_progress', kind: 'fix,runbook', overdue: 'true' });
    assert.equal(l.stdout, 'No action items.\n');
  });
});
