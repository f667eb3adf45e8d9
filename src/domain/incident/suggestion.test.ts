import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseCatalogYaml, validateCatalog } from '../catalog/index.js';
import { incidentView } from './view.js';
import { suggestCommander } from './suggestion.js';
import { declared, ev, given, T0 } from './test-kit.js';

const DAY = 86_400_000;
/** `days` after the test clock's T0 (never today's date). */
const after = (days: number, ms = 0) => new Date(Date.parse(T0) + days * DAY + ms).toISOString();

/** payments rotates weekly from T0 (ana, li, mo); search's team rotates daily from a week after T0; ledger is a person's. */
const catalog = validateCatalog(
  parseCatalogYaml(`apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout }
spec: { owner: payments, tier: 1 }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: search }
spec: { owner: discovery, tier: 2 }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: ledger }
spec: { owner: "user:jdoe", tier: 2 }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: docs }
spec: { owner: writers, tier: 4 }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec:
  members: [ { name: ana }, { name: li }, { name: mo } ]
  onCall: { rotation: weekly, startsAt: "${T0}", order: [ana, li, mo] }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: discovery }
spec:
  members: [ { name: bo }, { name: cy } ]
  onCall: { rotation: daily, startsAt: "${after(7)}", order: [bo, cy] }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: writers }
spec: { members: [ { name: wu } ] }
`),
);

describe('suggestCommander', () => {
  it("names the owning team's on-call person by its rotation at the given time", () => {
    const who = (at: string) => suggestCommander(catalog, ['checkout'], at)?.person;
    assert.deepEqual(
      [who(T0), who(after(7, -1)), who(after(7)), who(after(14)), who(after(21)), who(after(23))],
      ['ana', 'ana', 'li', 'mo', 'ana', 'ana'],
    );
    assert.deepEqual(suggestCommander(catalog, ['checkout'], after(8)), {
      person: 'li',
      team: 'payments',
      service: 'checkout',
      reason: 'on call for payments (weekly rotation), which owns checkout',
    });
  });

  it('names the person who owns a service, with no team', () => {
    assert.deepEqual(suggestCommander(catalog, ['ledger'], T0), {
      person: 'jdoe',
      team: null,
      service: 'ledger',
      reason: 'owns ledger',
    });
  });

  it('takes the first affected service whose owner names someone at that time', () => {
    // discovery's rotation has not started at T0; writers has none; so checkout's on-call person.
    assert.equal(suggestCommander(catalog, ['search', 'docs', 'checkout'], T0)?.service, 'checkout');
    assert.deepEqual(suggestCommander(catalog, ['search', 'checkout'], after(8)), {
      person: 'cy',
      team: 'discovery',
      service: 'search',
      reason: 'on call for discovery (daily rotation), which owns search',
    });
    assert.equal(suggestCommander(catalog, ['default/search'], after(9))?.person, 'bo');
  });

  it('suggests no one without a catalog, a known service, or anyone on call', () => {
    assert.equal(suggestCommander(null, ['checkout'], T0), null);
    assert.equal(suggestCommander(catalog, [], T0), null);
    assert.equal(suggestCommander(catalog, ['nope'], T0), null);
    assert.equal(suggestCommander(catalog, ['docs', 'search'], T0), null);
    assert.equal(suggestCommander(catalog, ['checkout'], after(0, -1)), null);
  });
});

describe('SuggestCommander → CommanderSuggested', () => {
  const suggestion = { person: 'li', team: 'payments', service: 'checkout', reason: 'on call for payments (weekly rotation), which owns checkout' };
  const cmd = { type: 'SuggestCommander', actor: 'firebreak', ...suggestion } as const;

  it('records the suggestion once, and the state and the view carry it', () => {
    const g = given(...declared());
    const s = g.when(cmd).then([{ type: 'CommanderSuggested', actor: 'firebreak', data: suggestion }]);
    assert.deepEqual(s.suggestedCommander, { ...suggestion, at: g.now });
    assert.deepEqual(incidentView(s).suggestedCommander, { ...suggestion, at: g.now });
    given(...declared(), cmd).when(cmd).thenNothing();
  });

  it('suggests no one when a commander holds the role already', () => {
    given(...declared(), ev.role('commander', 'ana')).when(cmd).thenNothing();
  });

  it('keeps the suggestion when someone else takes the role', () => {
    const s = given(...declared(), cmd, ev.role('commander', 'ana')).state();
    assert.deepEqual([s.roles.commander, s.suggestedCommander?.person], ['ana', 'li']);
  });

  it('reads a projection stored before suggestions as suggesting no one', () => {
    const { suggestedCommander: _gone, ...old } = given(...declared()).state();
    assert.equal(incidentView(old as never).suggestedCommander, null);
  });
});
