import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { validateCatalog } from '../catalog/index.js';
import { type Deploy, releaseBoundary, suspectDeploys } from './index.js';

const IMPACT = '2024-05-01T10:00:00.000Z';

const deploy = (
  externalId: string,
  service: string,
  status: Deploy['status'],
  startedAt: string,
  finishedAt: string | null,
  configDeltas: Deploy['configDeltas'] = [],
): Deploy => ({
  externalId,
  source: 'firebreak',
  service,
  environment: 'production',
  version: externalId,
  commitSha: null,
  status,
  startedAt: `2024-${startedAt}:00.000Z`,
  finishedAt: finishedAt === null ? null : `2024-${finishedAt}:00.000Z`,
  actor: null,
  url: null,
  previousVersion: null,
  configDeltas,
});

const POOL = [{ key: 'pool.size', from: '10', to: '2' }];
const DEPLOYS = [
  deploy('A-too-old', 'checkout', 'succeeded', '04-30T07:50', '04-30T08:00'),
  deploy('B-good', 'checkout', 'succeeded', '05-01T08:50', '05-01T09:00'),
  deploy('C-failed', 'checkout', 'failed', '05-01T09:45', '05-01T09:50'),
  deploy('D-dependency', 'payments-api', 'succeeded', '05-01T09:55', '05-01T09:58', POOL),
  deploy('E-two-levels-down', 'ledger', 'succeeded', '05-01T09:58', '05-01T09:59'),
  deploy('F-after-impact', 'checkout', 'started', '05-01T10:05', null),
  deploy('H-external', 'orders-db', 'started', '05-01T09:30', null),
  deploy('I-unrelated', 'search', 'succeeded', '05-01T09:58', '05-01T09:59'),
  deploy('J-in-flight', 'checkout', 'succeeded', '05-01T09:55', '05-01T10:03'),
  deploy('K-rolled-back', 'checkout', 'rolled_back', '05-01T09:30', '05-01T09:40'),
];

const service = (name: string, dependsOn: string[]) => ({
  apiVersion: 'firebreak/v1',
  kind: 'Service',
  metadata: { name },
  spec: { owner: 'core', dependsOn },
});
const catalog = validateCatalog([
  service('checkout', ['payments-api', 'orders-db']),
  service('payments-api', ['ledger']),
  service('ledger', []),
  service('search', []),
  { apiVersion: 'firebreak/v1', kind: 'Team', metadata: { name: 'core' } },
]);

describe('releaseBoundary', () => {
  it('is the newest succeeded deploy of an affected service that landed before the impact', () => {
    assert.equal(releaseBoundary(DEPLOYS, ['checkout'], IMPACT)?.externalId, 'B-good');
    assert.equal(releaseBoundary(DEPLOYS, ['payments-api'], IMPACT)?.externalId, 'D-dependency');
    assert.equal(releaseBoundary(DEPLOYS, ['orders-db'], IMPACT), null);
    assert.equal(releaseBoundary(DEPLOYS, ['checkout'], '2024-04-30T08:00:00Z')?.externalId, 'A-too-old');
  });

  it('takes the start time of a succeeded deploy that has no finish time', () => {
    const noFinish = deploy('L', 'checkout', 'succeeded', '05-01T09:20', null);
    assert.equal(releaseBoundary([...DEPLOYS, noFinish], ['checkout'], IMPACT)?.externalId, 'L');
  });
});

describe('suspectDeploys', () => {
  it('ranks deploys of affected services and their direct dependencies by proximity to the impact', () => {
    const suspects = suspectDeploys(DEPLOYS, ['checkout'], catalog, IMPACT);
    assert.deepEqual(
      suspects.map((s) => [s.deploy.externalId, s.minutesBeforeImpact, s.relation, s.via]),
      [
        ['D-dependency', 2, 'dependency', ['checkout']],
        ['J-in-flight', 5, 'affected', []],
        ['C-failed', 10, 'affected', []],
        ['K-rolled-back', 20, 'affected', []],
        ['H-external', 30, 'dependency', ['checkout']],
        ['B-good', 60, 'affected', []],
      ],
    );
    assert.deepEqual(suspects[0]?.configDeltas, POOL);
  });

  it('honours the look-back window, inclusive at its start', () => {
    assert.deepEqual(
      suspectDeploys(DEPLOYS, ['checkout'], catalog, IMPACT, 0.5).map((s) => s.deploy.externalId),
      ['D-dependency', 'J-in-flight', 'C-failed', 'K-rolled-back', 'H-external'],
    );
    assert.deepEqual(
      suspectDeploys(DEPLOYS, ['checkout'], catalog, IMPACT, 48)
        .map((s) => s.deploy.externalId)
        .at(-1),
      'A-too-old',
    );
  });

  it('without a catalog, or for an affected dependency, reports the relation as affected', () => {
    assert.deepEqual(
      suspectDeploys(DEPLOYS, ['checkout'], null, IMPACT).map((s) => s.deploy.externalId),
      ['J-in-flight', 'C-failed', 'K-rolled-back', 'B-good'],
    );
    const both = suspectDeploys(DEPLOYS, ['checkout', 'payments-api'], catalog, IMPACT);
    assert.deepEqual(
      both.slice(0, 2).map((s) => [s.deploy.externalId, s.relation]),
      [
        ['E-two-levels-down', 'dependency'],
        ['D-dependency', 'affected'],
      ],
    );
    assert.equal(both[0]?.minutesBeforeImpact, 1);
  });

  it('answers nothing for an impact time it cannot read', () => {
    assert.deepEqual(suspectDeploys(DEPLOYS, ['checkout'], catalog, 'soon'), []);
    assert.equal(releaseBoundary(DEPLOYS, ['checkout'], 'soon'), null);
  });
});
