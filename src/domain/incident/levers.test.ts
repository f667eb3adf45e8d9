import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Cmd, type Ev, declared, given, readyToClose, ev } from './test-kit.js';

const pull = (leverType: 'webhook' | 'manual', lever = leverType === 'webhook' ? 'rollback' : 'drain'): Cmd => ({
  type: 'DecideMitigation',
  kind: leverType === 'webhook' ? 'rollback' : 'failover',
  action: `Pull ${lever} on checkout`,
  rationale: 'v42 is the suspect',
  lever,
  failClosed: true,
  execute: true,
  leverType,
});
const request = { method: 'POST', url: 'https://ci.example/rollback' };
const outcome = (extra: Record<string, unknown> = {}): Cmd =>
  ({ type: 'RecordLeverOutcome', mitigationId: 'M1', state: 'succeeded', request, status: 202, ...extra }) as Cmd;

describe('pulled levers', () => {
  it('a webhook pull starts pending, and its outcome lands as LeverExecuted', () => {
    const g = given(...declared(), pull('webhook'));
    assert.deepEqual({ ...g.state().mitigations[0]?.execution, at: undefined }, { lever: 'rollback', type: 'webhook', state: 'pending', at: undefined });
    const s = g.when(outcome({ excerpt: 'queued' })).then([
      { type: 'LeverExecuted', data: { mitigationId: 'M1', lever: 'rollback', state: 'succeeded', request, status: 202, excerpt: 'queued' } } as Ev,
    ]);
    assert.equal(s.mitigations[0]?.execution?.state, 'succeeded');
    assert.equal(s.mitigations[0]?.result, 'called: 202');
  });

  it('records the outcome once: a second one is a conflict; none for a decision that was not a webhook pull', () => {
    given(...declared(), pull('webhook'), outcome()).when(outcome()).thenThrows('conflict');
    given(...declared(), pull('manual')).when(outcome()).thenThrows('not_found');
    given(...declared(), ev.mitigation()).when(outcome()).thenThrows('not_found');
  });

  it('records the outcome even when the incident was closed meanwhile', () => {
    const steps = readyToClose();
    const g = given(...steps.slice(0, 3), pull('webhook'), ...steps.slice(3), { type: 'ChangeStatus', to: 'closed' } as Cmd);
    assert.equal(g.state().status, 'closed');
    assert.equal(g.when(outcome({ state: 'refused', status: undefined, reason: 'refused 10.0.0.5: private address' })).state().mitigations.find((m) => m.lever === 'rollback')?.execution?.state, 'refused');
  });

  it('a manual pull awaits confirmation; confirming it once records LeverConfirmed', () => {
    const g = given(...declared(), pull('manual'));
    assert.equal(g.state().mitigations[0]?.execution?.state, 'awaiting_confirmation');
    const s = g.when({ type: 'ConfirmLever', mitigationId: 'm1', outcome: 'failed', note: '  LB console down ' } as Cmd).then([
      { type: 'LeverConfirmed', data: { mitigationId: 'M1', lever: 'drain', outcome: 'failed', note: 'LB console down' } } as Ev,
    ]);
    assert.deepEqual({ ...s.mitigations[0]?.execution, at: undefined }, { lever: 'drain', type: 'manual', state: 'confirmed_failed', reason: 'LB console down', at: undefined });
    given(...declared(), pull('manual'), { type: 'ConfirmLever', mitigationId: 'M1', outcome: 'done' } as Cmd)
      .when({ type: 'ConfirmLever', mitigationId: 'M1', outcome: 'done' } as Cmd)
      .thenThrows('conflict');
    given(...declared(), pull('webhook')).when({ type: 'ConfirmLever', mitigationId: 'M1', outcome: 'done' } as Cmd).thenThrows('conflict');
    given(...declared()).when({ type: 'ConfirmLever', mitigationId: 'M9', outcome: 'done' } as Cmd).thenThrows('not_found');
  });

  it('a decision without leverType has no execution, as before', () => {
    const { leverType: _l, ...plain } = pull('webhook') as Record<string, unknown>;
    assert.equal(given(...declared(), plain as Cmd).state().mitigations[0]?.execution, undefined);
  });
});
