import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SERVICE_NAME_HINT } from '../catalog/names.js';
import { validationErrors } from '../catalog/test-kit.js';
import { type Deploy, mergeDeploy, parseFirebreakDeploy, parsePagerDutyChange } from './index.js';

const RECEIVED = '2024-05-01T10:00:00.000Z';

describe('parseFirebreakDeploy', () => {
  it('reads a full deploy and normalises its times to UTC', () => {
    const d = parseFirebreakDeploy({
      externalId: 'ci-220',
      service: 'checkout',
      environment: 'production',
      version: 'v1.42',
      commitSha: 'f95f852',
      status: 'succeeded',
      startedAt: '2024-05-01T11:50:00+02:00',
      finishedAt: '2024-05-01T09:58:00Z',
      actor: 'ana',
      url: 'https://ci.example/run/220',
      previousVersion: 'v1.41',
      configDeltas: [
        { key: 'pricing_v2', from: false, to: true },
        { key: 'pool.size', from: '10', to: 20 },
        { key: 'NEW_FLAG', to: 'on' },
      ],
    });
    assert.deepEqual(d, {
      externalId: 'ci-220',
      service: 'checkout',
      environment: 'production',
      version: 'v1.42',
      commitSha: 'f95f852',
      status: 'succeeded',
      startedAt: '2024-05-01T09:50:00.000Z',
      finishedAt: '2024-05-01T09:58:00.000Z',
      actor: 'ana',
      url: 'https://ci.example/run/220',
      previousVersion: 'v1.41',
      configDeltas: [
        { key: 'pricing_v2', from: 'false', to: 'true' },
        { key: 'pool.size', from: '10', to: '20' },
        { key: 'NEW_FLAG', from: null, to: 'on' },
      ],
      source: 'firebreak',
    } satisfies Deploy);
  });

  it('fills environment, startedAt and a stable externalId', () => {
    const d = parseFirebreakDeploy({ service: 'checkout', version: 'v2', status: 'started' }, RECEIVED);
    assert.deepEqual(
      [d.environment, d.startedAt, d.externalId],
      ['production', RECEIVED, `firebreak:checkout:production:${RECEIVED}`],
    );
  });

  it('takes a namespaced service, and drops the default namespace', () => {
    const of = (service: string) => parseFirebreakDeploy({ service, version: 'v2', status: 'started' }, RECEIVED);
    assert.deepEqual(
      [of('payments/checkout').service, of('default/checkout').service, of('default/checkout').externalId],
      ['payments/checkout', 'checkout', `firebreak:checkout:production:${RECEIVED}`],
    );
    assert.deepEqual(
      validationErrors(() => of('a/b/c')),
      [{ path: 'body.service', message: SERVICE_NAME_HINT }],
    );
  });

  it('refuses a bad deploy with every error and its path', () => {
    const body: unknown = JSON.parse(`{
      "service": "check out", "status": "done", "startedAt": "yesterday", "commitSha": "xyz",
      "url": "javascript:alert(1)", "configDeltas": [{"key": "a"}, {"key": "b", "from": {}}, "c"],
      "__proto__": {"admin": true}, "rollout": 50
    }`);
    assert.deepEqual(
      validationErrors(() => parseFirebreakDeploy(body)),
      [
        { path: 'body.__proto__', message: 'is not allowed' },
        { path: 'body.rollout', message: 'is not allowed' },
        { path: 'body.service', message: SERVICE_NAME_HINT },
        { path: 'body.commitSha', message: 'expected a commit SHA: 7 to 64 hex digits' },
        { path: 'body.status', message: 'expected one of started, succeeded, failed, rolled_back' },
        {
          path: 'body.startedAt',
          message: 'expected an ISO-8601 date-time with a time zone, like 2026-01-05T09:00:00Z',
        },
        { path: 'body.url', message: 'expected an http:// or https:// URL' },
        { path: 'body.configDeltas[0]', message: 'give from, to or both' },
        { path: 'body.configDeltas[1].from', message: 'expected a string' },
        { path: 'body.configDeltas[2]', message: 'expected an object' },
      ],
    );
    assert.equal(({} as Record<string, unknown>).admin, undefined);
    assert.deepEqual(
      validationErrors(() => parseFirebreakDeploy([])),
      [{ path: 'body', message: 'expected an object' }],
    );
  });

  it('needs a version or config deltas, and a finish no earlier than the start', () => {
    const base = { service: 'checkout', status: 'succeeded', startedAt: '2024-05-01T10:00:00Z' };
    assert.deepEqual(
      validationErrors(() => parseFirebreakDeploy(base)),
      [
        {
          path: 'body.version',
          message: 'is required: give the version deployed, or the configDeltas of a config change',
        },
      ],
    );
    assert.deepEqual(
      validationErrors(() => parseFirebreakDeploy({ ...base, version: 'v1', finishedAt: '2024-05-01T09:59:59Z' })),
      [{ path: 'body.finishedAt', message: 'must not be before startedAt' }],
    );
    assert.equal(parseFirebreakDeploy({ ...base, configDeltas: [{ key: 'a', to: '1' }] }).version, null);
    assert.deepEqual(
      validationErrors(() => parseFirebreakDeploy({ version: 'v1' })),
      [
        { path: 'body.service', message: 'is required' },
        { path: 'body.status', message: 'is required' },
        { path: 'body.startedAt', message: 'is required' },
      ],
    );
  });

  it('refuses text that cannot be stored, without a consequence of that error', () => {
    const base = { service: 'checkout', status: 'succeeded', startedAt: '2024-05-01T10:00:00Z' };
    assert.deepEqual(
      validationErrors(() => parseFirebreakDeploy({ ...base, version: 'v1\u0000', environment: 'prod\ud800' })),
      [
        { path: 'body.environment', message: 'must not contain unpaired UTF-16 surrogates' },
        { path: 'body.version', message: 'must not contain NUL (\\u0000)' },
      ],
    );
  });
});

describe('parsePagerDutyChange', () => {
  // A PagerDuty Change Event as a CI pipeline sends it.
  const EXAMPLE = {
    routing_key: '737ea619db564d41bd9824063e1f6b08',
    payload: {
      summary: 'Deploy checkout v1.42 to prod',
      timestamp: '2024-05-01T09:58:00Z',
      source: 'github-actions',
      custom_details: { sha: 'f95f852', environment: 'production' },
    },
    links: [{ href: 'https://ci.example/run/220', text: 'CI run' }],
  };
  const bySource = (source: string) => (source === 'github-actions' ? 'checkout' : null);

  it('reads a change event from a CI pipeline as a succeeded deploy, the service mapped from payload.source', () => {
    assert.deepEqual(parsePagerDutyChange(EXAMPLE, bySource, RECEIVED), {
      externalId: 'pagerduty:checkout:2024-05-01T09:58:00.000Z:Deploy checkout v1.42 to prod',
      source: 'pagerduty',
      service: 'checkout',
      environment: 'production',
      version: null,
      commitSha: 'f95f852',
      status: 'succeeded',
      startedAt: '2024-05-01T09:58:00.000Z',
      finishedAt: '2024-05-01T09:58:00.000Z',
      actor: null,
      url: 'https://ci.example/run/220',
      previousVersion: null,
      configDeltas: [],
    } satisfies Deploy);
  });

  it('prefers custom_details.service and .version, tolerates extra fields, and uses receivedAt without a timestamp', () => {
    const d = parsePagerDutyChange(
      {
        routing_key: 'k',
        images: [],
        payload: {
          summary: 'Deploy',
          timestamp: '2015-07-17T08:42:58.315+0000',
          extra: 1,
          custom_details: { service: 'search', version: 42, previous_version: '41', actor: 'ana' },
        },
      },
      () => null,
      RECEIVED,
    );
    assert.deepEqual(
      [d.service, d.version, d.previousVersion, d.actor, d.startedAt],
      ['search', '42', '41', 'ana', '2015-07-17T08:42:58.315Z'],
    );
    const namespaced = (service: string) =>
      parsePagerDutyChange({ routing_key: 'k', payload: { summary: 'x', custom_details: { service } } }, () => null, RECEIVED)
        .service;
    assert.deepEqual([namespaced('payments/ledger'), namespaced('default/ledger')], ['payments/ledger', 'ledger']);
    const late = parsePagerDutyChange(
      { routing_key: 'k', payload: { summary: 'x', source: 'github-actions' } },
      bySource,
      RECEIVED,
    );
    assert.equal(late.startedAt, RECEIVED);
  });

  it('takes the first usable link and skips blank, non-http and unstorable ones without an error', () => {
    const links = [
      { href: '' },
      { href: 'javascript:alert(1)' },
      { href: 'https://ci.example/run/\u0000' },
      { href: 'https://ci.example/run/221' },
    ];
    assert.equal(parsePagerDutyChange({ ...EXAMPLE, links }, bySource, RECEIVED).url, 'https://ci.example/run/221');
    assert.equal(parsePagerDutyChange({ ...EXAMPLE, links: [{ href: '' }] }, bySource, RECEIVED).url, null);
  });

  it('refuses a change it cannot read or place, with paths', () => {
    assert.deepEqual(
      validationErrors(() => parsePagerDutyChange({ payload: { summary: 'x'.repeat(1025) } }, bySource, RECEIVED)),
      [
        { path: 'body.routing_key', message: 'is required' },
        { path: 'body.payload.summary', message: 'expected at most 1,024 characters' },
      ],
    );
    assert.deepEqual(
      validationErrors(() => parsePagerDutyChange({ ...EXAMPLE }, () => null, RECEIVED)),
      [
        {
          path: 'body.payload.custom_details.service',
          message: 'is required: name the service here or map payload.source "github-actions" to a service',
        },
      ],
    );
  });
});

describe('mergeDeploy', () => {
  const started: Deploy = {
    externalId: 'github:o/r:1',
    source: 'github',
    service: 'checkout',
    environment: 'production',
    version: 'main',
    commitSha: 'f95f852',
    status: 'started',
    startedAt: '2024-05-01T09:50:00.000Z',
    finishedAt: null,
    actor: 'ana',
    url: null,
    previousVersion: null,
    configDeltas: [],
  };
  const succeeded: Deploy = {
    ...started,
    status: 'succeeded',
    finishedAt: '2024-05-01T09:58:00.000Z',
    url: 'https://ci.example/1',
  };

  it('takes the newer outcome and keeps what the update does not know', () => {
    assert.deepEqual(mergeDeploy(started, { ...succeeded, actor: null }), succeeded);
  });

  it('never lets a late "started" undo an outcome', () => {
    assert.deepEqual(mergeDeploy(succeeded, started), succeeded);
  });
});
