import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Cmd, Ev } from './test-kit.js';
import { declared, ev, given, link, NUMBER, readyToResolve, recordAlerts } from './test-kit.js';
import { alertStatusesIn, RECENT_ALERTS, replay } from './state.js';

const links = (from: number, n: number, status: 'firing' | 'resolved' = 'firing') =>
  Array.from({ length: n }, (_, i) => link(`a${from + i}`, status));
const resolve: Cmd = { type: 'ChangeStatus', to: 'resolved' };

describe('RecordAlerts', () => {
  it('records one ingest batch as one AlertsRecorded event, however many alerts it links', () => {
    given(...declared())
      .when(recordAlerts([link('a1'), link('a2'), link('a3', 'resolved')]))
      .then([{ type: 'AlertsRecorded', data: { linked: [link('a1'), link('a2'), link('a3', 'resolved')], changed: [] } }]);
    const batch = given(...declared()).when(recordAlerts(links(0, 2_000))).events();
    assert.deepEqual(batch.map((e) => e.type), ['AlertsRecorded']);
  });

  it('links only alerts the incident has not linked, and records each known one only when its status changed', () => {
    given(...declared(), ev.recorded([link('a1'), link('a2')]))
      .when(recordAlerts([link('a1'), link('a2', 'resolved'), link('a3'), link('a3', 'resolved')], { a1: 'firing', a2: 'firing' }))
      .then([{ type: 'AlertsRecorded', data: { linked: [link('a3', 'resolved')], changed: [link('a2', 'resolved')] } }]);
    given(...declared(), ev.recorded([link('a1')]))
      .when(recordAlerts([link('a1'), link('a1')], { a1: 'firing' }))
      .thenNothing();
  });

  it('counts the links by status and keeps only the newest few, newest first', () => {
    const s = given(
      ...declared(),
      ev.recorded(links(0, 30)),
      ev.recorded(links(30, 5, 'resolved'), [link('a0', 'resolved'), link('a29', 'resolved')]),
    ).state();
    assert.deepEqual(s.alertCounts, { firing: 28, resolved: 7, total: 35 });
    assert.equal(s.recentAlerts.length, RECENT_ALERTS);
    assert.deepEqual(
      s.recentAlerts.slice(0, 7).map((a) => [a.id, a.status]),
      [['a34', 'resolved'], ['a33', 'resolved'], ['a32', 'resolved'], ['a31', 'resolved'], ['a30', 'resolved'], ['a29', 'resolved'], ['a28', 'firing']],
    );
    assert.equal(s.recentAlerts.at(-1)?.id, 'a15');
  });

  it('keeps the state the same size whether it links 30 alerts or 5,000', () => {
    const size = (n: number) => JSON.stringify(given(...declared(), ev.recorded(links(0, n))).state()).length;
    assert.ok(size(5_000) - size(30) < 200, `${size(30)} vs ${size(5_000)} bytes`);
  });

  it('records "alerts cleared" once, when the last firing alert resolves, and again after a new firing', () => {
    const g = given(...declared(), ev.recorded([link('a1'), link('a2')]));
    g.when(recordAlerts([link('a1', 'resolved')], { a1: 'firing', a2: 'firing' }))
      .then([{ type: 'AlertsRecorded', data: { linked: [], changed: [link('a1', 'resolved')] } }]);
    const cleared = given(...declared(), ev.recorded([link('a1'), link('a2')]), ev.recorded([], [link('a1', 'resolved')]));
    cleared
      .when(recordAlerts([link('a2', 'resolved'), link('a3', 'resolved')], { a1: 'resolved', a2: 'firing' }))
      .then([
        { type: 'AlertsRecorded', data: { linked: [link('a3', 'resolved')], changed: [link('a2', 'resolved')] } },
        { type: 'AlertsCleared', data: { count: 3 } },
      ]);
    const after = [...declared(), ev.recorded([link('a1')]), ev.recorded([], [link('a1', 'resolved')]), { type: 'AlertsCleared', data: { count: 1 } } as Ev];
    given(...after)
      .when(recordAlerts([link('a2', 'resolved')], { a1: 'resolved' }))
      .then([{ type: 'AlertsRecorded', data: { linked: [link('a2', 'resolved')], changed: [] } }]);
    given(...after, ev.recorded([], [link('a1', 'firing')]))
      .when(recordAlerts([link('a1', 'resolved')], { a1: 'firing' }))
      .then([
        { type: 'AlertsRecorded', data: { linked: [], changed: [link('a1', 'resolved')] } },
        { type: 'AlertsCleared', data: { count: 1 } },
      ]);
    given(...declared())
      .when(recordAlerts([link('a1', 'resolved')]))
      .then([
        { type: 'AlertsRecorded', data: { linked: [link('a1', 'resolved')], changed: [] } },
        { type: 'AlertsCleared', data: { count: 1 } },
      ]);
  });

  it('gates resolution on the firing count: cleared, or an explicit override', () => {
    given(...readyToResolve(), ev.recorded(links(0, 3)), ev.recorded([], [link('a0', 'resolved')]))
      .when(resolve)
      .thenThrows('gate_unmet', { unmet: ['alerts_firing'] })
      .details?.unmet?.forEach((u) => assert.match(u.message, /^2 linked alert\(s\) still firing/));
    given(...readyToResolve(), ev.recorded(links(0, 3)))
      .when({ ...resolve, alertsOverride: 'stale: errors are at 0' })
      .thenMoves([{ type: 'StatusChanged', data: { from: 'investigating', to: 'resolved', alertsOverride: 'stale: errors are at 0' } }]);
    given(...readyToResolve(), ev.recorded(links(0, 2)), ev.recorded([], links(0, 2, 'resolved')))
      .when(resolve)
      .thenMoves([{ type: 'StatusChanged', data: { from: 'investigating', to: 'resolved' } }]);
  });
});

describe('alert events recorded before batches', () => {
  const old: Ev[] = [
    ...declared(),
    ev.alert('a1'),
    ev.alert('a2'),
    { type: 'AlertStatusChanged', data: { alertId: 'a2', status: 'resolved' } },
    ev.alert('a3'),
    { type: 'AlertStatusChanged', data: { alertId: 'a3', status: 'resolved' } },
  ];

  it('still apply: counts, newest first, and replay gives the same state', () => {
    const g = given(...old);
    assert.deepEqual(g.state().alertCounts, { firing: 1, resolved: 2, total: 3 });
    assert.deepEqual(g.state().recentAlerts.map((a) => [a.id, a.status]), [['a3', 'resolved'], ['a2', 'resolved'], ['a1', 'firing']]);
    assert.deepEqual(replay(NUMBER, g.events()), g.state());
  });

  it('leave the statuses a store keeps beside the projection, so new batches decide on them', () => {
    const g = given(...old, ev.recorded([link('a4')], [link('a2', 'firing')]));
    const known = alertStatusesIn(g.events());
    assert.deepEqual([...known], [['a1', 'firing'], ['a2', 'firing'], ['a3', 'resolved'], ['a4', 'firing']]);
    given(...old)
      .when(recordAlerts([link('a1', 'resolved'), link('a3', 'resolved')], Object.fromEntries(alertStatusesIn(given(...old).events()))))
      .then([
        { type: 'AlertsRecorded', data: { linked: [], changed: [link('a1', 'resolved')] } },
        { type: 'AlertsCleared', data: { count: 3 } },
      ]);
  });

  it('count a re-link of an alert still among the newest once', () => {
    const s = given(...declared(), ev.alert('a1'), ev.alert('a2'), ev.alert('a1', 'resolved')).state();
    assert.deepEqual(s.alertCounts, { firing: 1, resolved: 1, total: 2 });
    assert.deepEqual(s.recentAlerts.map((a) => [a.id, a.status]), [['a1', 'resolved'], ['a2', 'firing']]);
  });
});
