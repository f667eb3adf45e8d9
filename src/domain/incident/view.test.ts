import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type Ev, declared, ev, given, readyToClose, readyToResolve } from './test-kit.js';
import type { Severity } from './types.js';
import { incidentView, incidentWarnings } from './view.js';

const view = (...events: Ev[]) => incidentView(given(...events).state());
const codes = (...events: Ev[]) => incidentWarnings(given(...events).state()).map((w) => w.code);

describe('incidentView: nextGate', () => {
  it('investigating → mitigated, with what is missing', () => {
    assert.deepEqual(view(...declared()).nextGate, {
      to: 'mitigated',
      unmet: [{ code: 'mitigation_missing', message: 'Record at least one mitigation decision with its rationale.' }],
    });
    assert.deepEqual(view(...declared(), ev.mitigation()).nextGate, { to: 'mitigated', unmet: [] });
  });

  it('mitigated → resolved', () => {
    const next = view(...declared(), ev.status('investigating', 'mitigated')).nextGate;
    assert.equal(next?.to, 'resolved');
    assert.deepEqual(
      next?.unmet.map((u) => u.code),
      [
        'severity_missing',
        'containment_missing',
        'commander_missing',
        'comms_owner_missing',
        'cadence_missing',
        'evidence_missing',
        'guardrails_unreviewed',
      ],
    );
    assert.deepEqual(view(...readyToResolve(), ev.status('investigating', 'mitigated')).nextGate, {
      to: 'resolved',
      unmet: [],
    });
  });

  it('resolved → closed', () => {
    const next = view(...readyToResolve(), ev.status('investigating', 'resolved'), ev.postmortem()).nextGate;
    assert.deepEqual(next?.to, 'closed');
    assert.deepEqual(
      next?.unmet.map((u) => u.code),
      ['action_items_missing', 'postmortem_unpublished'],
    );
    assert.deepEqual(view(...readyToClose()).nextGate, { to: 'closed', unmet: [] });
  });

  it('none once closed or cancelled, nor before declaration', () => {
    assert.equal(view(...readyToClose(), ev.status('resolved', 'closed')).nextGate, null);
    assert.equal(
      view(...declared(), ev.status('investigating', 'cancelled', { reason: 'false alarm' })).nextGate,
      null,
    );
    assert.equal(view().nextGate, null);
  });

  it('keeps every field of the state', () => {
    const s = given(...readyToResolve()).state();
    const { nextGate: _n, warnings: _w, postmortemWarnings: _p, ...rest } = incidentView(s);
    assert.deepEqual(rest, s);
  });

  it('answers the blameless check of the postmortem, waived warnings left out', () => {
    const blameful = ev.postmortem({ rootCause: 'human error', wentPoorly: ['careless review'] });
    assert.deepEqual(
      incidentView(given(...readyToResolve(), blameful).state()).postmortemWarnings.map((w) => [w.field, w.phrase]),
      [['rootCause', 'human error'], ['wentPoorly[0]', 'careless']],
    );
    const waived: Ev = { type: 'BlameWarningWaived', data: { field: 'rootCause', phrase: 'human error', reason: 'quoted' } };
    assert.deepEqual(
      incidentView(given(...readyToResolve(), blameful, waived).state()).postmortemWarnings.map((w) => w.field),
      ['wentPoorly[0]'],
    );
  });
});

describe('incidentView: warning commander_is_sole_responder', () => {
  const withCommander = (severity: Severity, ...more: Ev[]): Ev[] => [
    ...declared(),
    ev.severity(severity),
    ev.role('commander', 'ana'),
    ...more,
  ];

  for (const severity of ['SEV1', 'SEV2'] as const) {
    it(`warns on ${severity} when the commander is the only responder`, () => {
      assert.deepEqual(codes(...withCommander(severity)), ['commander_is_sole_responder']);
      assert.deepEqual(codes(...withCommander(severity, ev.role('responder', 'ana'))), ['commander_is_sole_responder']);
    });

    it(`does not warn on ${severity} with another responder`, () => {
      assert.deepEqual(codes(...withCommander(severity, ev.role('responder', 'li'))), []);
      assert.deepEqual(codes(...withCommander(severity, ev.role('responder', 'ana'), ev.role('responder', 'li'))), []);
    });
  }

  for (const severity of ['SEV3', 'SEV4'] as const) {
    it(`does not warn on ${severity}`, () => {
      assert.deepEqual(codes(...withCommander(severity)), []);
    });
  }

  it('does not warn without a commander or a severity', () => {
    assert.deepEqual(codes(...declared(), ev.severity('SEV1')), []);
    assert.deepEqual(codes(...declared(), ev.role('commander', 'ana')), []);
  });

  it('names the commander and the severity, and shows in the view', () => {
    const [w] = view(...withCommander('SEV1')).warnings;
    assert.equal(w?.code, 'commander_is_sole_responder');
    assert.match(w?.message ?? '', /ana .*SEV1/);
  });

  it('stops warning once the incident is cancelled', () => {
    assert.deepEqual(
      codes(...withCommander('SEV1', ev.status('investigating', 'cancelled', { reason: 'false alarm' }))),
      [],
    );
  });
});
