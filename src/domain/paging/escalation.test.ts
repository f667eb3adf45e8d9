import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCatalogYaml, validateCatalog } from '../catalog/index.js';
import { validationErrors as errorsOf } from '../catalog/test-kit.js';
import { SCHEDULE_CATALOG_YAML } from './catalog.fixture.js';
import { type EscalationPolicy, escalationTimeline } from './escalation.js';
import { pageTargetsAt } from './page-targets.js';

const SRE = `---
apiVersion: firebreak/v1
kind: Team
metadata:
  name: sre
spec:
  members: [{ name: kim }, { name: sam }]
  onCall: { rotation: weekly, startsAt: 2026-01-05T09:00:00Z, order: [kim, sam] }
`;
const catalog = validateCatalog(parseCatalogYaml(`${SCHEDULE_CATALOG_YAML}${SRE}`));

const policy: EscalationPolicy = {
  name: 'payments',
  steps: [
    { targets: [{ schedule: 'payments-primary' }, { person: 'ana' }, { team: 'sre' }], waitMinutes: 5 },
    { targets: [{ schedule: 'night' }, { team: 'payments' }], waitMinutes: 10, webhook: 'https://hooks.example/page' },
    { targets: [{ person: 'li' }], waitMinutes: 15 },
  ],
  repeat: 1,
};

describe('escalationTimeline', () => {
  it('runs each step after the previous one waited, the whole list again per repeat, and ends after the last wait', () => {
    assert.deepEqual(escalationTimeline(policy, '2026-01-05T10:00:00+01:00'), {
      runs: [
        { step: 0, round: 0, at: '2026-01-05T09:00:00.000Z' },
        { step: 1, round: 0, at: '2026-01-05T09:05:00.000Z' },
        { step: 2, round: 0, at: '2026-01-05T09:15:00.000Z' },
        { step: 0, round: 1, at: '2026-01-05T09:30:00.000Z' },
        { step: 1, round: 1, at: '2026-01-05T09:35:00.000Z' },
        { step: 2, round: 1, at: '2026-01-05T09:45:00.000Z' },
      ],
      endsAt: '2026-01-05T10:00:00.000Z',
    });
  });

  it('runs a one-step policy without repeats once, ending after its wait, across midnight', () => {
    const once: EscalationPolicy = { name: 'once', steps: [{ targets: [{ person: 'ana' }], waitMinutes: 1440 }], repeat: 0 };
    assert.deepEqual(escalationTimeline(once, '2026-01-05T23:30:00Z'), {
      runs: [{ step: 0, round: 0, at: '2026-01-05T23:30:00.000Z' }],
      endsAt: '2026-01-06T23:30:00.000Z',
    });
  });

  it('refuses a start that is not an ISO-8601 instant', () => {
    assert.deepEqual(errorsOf(() => escalationTimeline(policy, 'soon')), [
      { path: 'startedAt', message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
    ]);
  });
});

describe('pageTargetsAt', () => {
  it('pages whoever the schedule has on call at that instant, the person, and the team rotation, each once', () => {
    // Monday 13:00 in Berlin: the weekday daytime layer (sam) is on top; kim has the sre rotation's first week.
    assert.deepEqual(pageTargetsAt(policy, 0, catalog, '2026-01-05T12:00:00Z'), {
      people: ['sam', 'ana', 'kim'],
      unresolved: [],
    });
    // Saturday: only the weekly layer, whose first turn is ana's, so ana is paged once.
    assert.deepEqual(pageTargetsAt(policy, 0, catalog, '2026-01-10T12:00:00Z'), { people: ['ana', 'kim'], unresolved: [] });
    // The second week: li on the weekly layer, sam on the sre rotation.
    assert.deepEqual(pageTargetsAt(policy, 0, catalog, '2026-01-17T12:00:00Z'), {
      people: ['li', 'ana', 'sam'],
      unresolved: [],
    });
  });

  it('lists the targets that page nobody, with why', () => {
    // Noon in New York is outside the night layer's hours; team payments has no rotation.
    assert.deepEqual(pageTargetsAt(policy, 1, catalog, '2026-03-02T17:00:00Z'), {
      people: [],
      unresolved: [
        { target: { schedule: 'night' }, why: 'nobody is on call' },
        { target: { team: 'payments' }, why: 'nobody is on call' },
      ],
    });
    // 22:00 in New York: the night layer's first turn (li).
    assert.deepEqual(pageTargetsAt(policy, 1, catalog, '2026-03-02T03:00:00Z').people, ['li']);
    const missing: EscalationPolicy = {
      name: 'missing',
      steps: [{ targets: [{ schedule: 'gone' }, { team: 'gone' }, { person: 'bo' }], waitMinutes: 5 }],
      repeat: 0,
    };
    assert.deepEqual(pageTargetsAt(missing, 0, catalog, '2026-03-02T17:00:00Z'), {
      people: ['bo'],
      unresolved: [
        { target: { schedule: 'gone' }, why: 'no such schedule in the catalog' },
        { target: { team: 'gone' }, why: 'no such team in the catalog' },
      ],
    });
  });

  it('refuses a step the policy does not have and an instant that is not ISO-8601', () => {
    assert.deepEqual(errorsOf(() => pageTargetsAt(policy, 3, catalog, '2026-01-05T12:00:00Z')), [
      { path: 'stepIndex', message: 'expected a step from 0 to 2' },
    ]);
    assert.deepEqual(errorsOf(() => pageTargetsAt(policy, 0, catalog, 'now')), [
      { path: 'at', message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z' },
    ]);
  });
});
