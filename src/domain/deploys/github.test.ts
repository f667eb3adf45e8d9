import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, it } from 'node:test';
import { validationErrors } from '../catalog/test-kit.js';
import { type Deploy, type DeployParse, parseGithubDeployment } from './index.js';

interface WebhookExamples {
  name: string;
  examples: Record<string, unknown>[];
}

const INDEX = createRequire(import.meta.url).resolve('@octokit/webhooks-examples/api.github.com/index.json');
const examples = (name: string) => {
  const all = JSON.parse(readFileSync(INDEX, 'utf8')) as WebhookExamples[];
  return all.find((e) => e.name === name)?.examples ?? [];
};

const resolve = (repo: string) => (repo === 'Codertocat/Hello-World' ? 'hello' : null);
const deployOf = (r: DeployParse): Deploy => {
  assert.equal(r.kind, 'deploy', JSON.stringify(r));
  return (r as { deploy: Deploy }).deploy;
};
const withState = (state: string) => {
  const [example] = examples('deployment_status');
  return { ...example, deployment_status: { ...(example?.deployment_status as object), state } };
};

describe('parseGithubDeployment on @octokit/webhooks-examples', () => {
  it('parses every deployment example as a started deploy', () => {
    const all = examples('deployment');
    assert.equal(all.length, 4);
    for (const payload of all) {
      const d = deployOf(parseGithubDeployment('deployment', payload, resolve));
      assert.equal(d.status, 'started');
      assert.equal(d.externalId, 'github:Codertocat/Hello-World:145988746');
      assert.equal(d.finishedAt, null);
    }
    assert.deepEqual(deployOf(parseGithubDeployment('deployment', all[0], resolve)), {
      externalId: 'github:Codertocat/Hello-World:145988746',
      source: 'github',
      service: 'hello',
      environment: 'production',
      version: 'master',
      commitSha: 'f95f852bd8fca8fcc58a9a2d6c842781e32a215e',
      status: 'started',
      startedAt: '2019-05-15T15:20:53.000Z',
      finishedAt: null,
      actor: 'Codertocat',
      url: null,
      previousVersion: null,
      configDeltas: [],
    });
  });

  it('parses every deployment_status example', () => {
    const all = examples('deployment_status');
    assert.equal(all.length, 4);
    const parsed = all.map((p) => deployOf(parseGithubDeployment('deployment_status', p, resolve)));
    assert.deepEqual(
      parsed.map((d) => [d.status, d.environment, d.finishedAt, d.actor, d.url]),
      [
        ['succeeded', 'production', '2019-05-15T15:20:55.000Z', 'Codertocat', null],
        [
          'started',
          'github-pages',
          null,
          'github-pages[bot]',
          'https://github.com/Codertocat/Hello-World/runs/145988746?check_suite_focus=true',
        ],
        ['succeeded', 'production', '2019-05-15T15:20:55.000Z', 'Codertocat', null],
        ['succeeded', 'production', '2019-05-15T15:20:55.000Z', 'Codertocat', null],
      ],
    );
  });
});

describe('parseGithubDeployment', () => {
  it('maps every deployment_status state', () => {
    const cases: [string, Deploy['status'] | 'ignored'][] = [
      ['pending', 'started'],
      ['queued', 'started'],
      ['in_progress', 'started'],
      ['waiting', 'started'],
      ['success', 'succeeded'],
      ['failure', 'failed'],
      ['error', 'failed'],
      ['inactive', 'ignored'],
    ];
    for (const [state, expected] of cases) {
      const r = parseGithubDeployment('deployment_status', withState(state), resolve);
      assert.equal(r.kind === 'deploy' ? r.deploy.status : r.kind, expected, state);
    }
  });

  it('refuses a state it does not know, and a payload missing what it reads, with paths', () => {
    assert.deepEqual(
      validationErrors(() => parseGithubDeployment('deployment_status', withState('exploded'), resolve)),
      [
        {
          path: 'body.deployment_status.state',
          message: 'expected one of pending, queued, in_progress, waiting, success, failure, error, inactive',
        },
      ],
    );
    const broken = { action: 'created', deployment: { id: 'x' }, repository: {} };
    assert.deepEqual(
      validationErrors(() => parseGithubDeployment('deployment', broken, resolve)),
      [
        { path: 'body.deployment.id', message: `expected an integer from 1 to ${Number.MAX_SAFE_INTEGER}` },
        { path: 'body.deployment.sha', message: 'is required' },
        { path: 'body.deployment.ref', message: 'is required' },
        { path: 'body.deployment.environment', message: 'is required' },
        { path: 'body.deployment.created_at', message: 'is required' },
        { path: 'body.repository.full_name', message: 'is required' },
      ],
    );
  });

  it('skips, with a reason, what is well-formed but not for Firebreak', () => {
    const [payload] = examples('deployment');
    assert.deepEqual(
      parseGithubDeployment('deployment', payload, () => null),
      {
        kind: 'ignored',
        reason: 'repository Codertocat/Hello-World maps to no service in the catalog',
      },
    );
    assert.deepEqual(parseGithubDeployment('ping', {}, resolve), {
      kind: 'ignored',
      reason: 'GitHub event "ping" is not a deployment event',
    });
    assert.deepEqual(parseGithubDeployment('deployment', { ...payload, action: 'deleted' }, resolve), {
      kind: 'ignored',
      reason: 'action "deleted" is not handled',
    });
  });

  it('prefers deployment.payload service and version, and target_url over log_url', () => {
    const [payload] = examples('deployment_status');
    const deployment = { ...(payload?.deployment as object), payload: { service: 'checkout', version: 'v1.42' } };
    const status = {
      ...(payload?.deployment_status as object),
      target_url: 'https://ci.example/run/1',
      log_url: 'https://ci.example/run/1/log',
    };
    const d = deployOf(
      parseGithubDeployment('deployment_status', { ...payload, deployment, deployment_status: status }, resolve),
    );
    assert.deepEqual([d.service, d.version, d.url], ['checkout', 'v1.42', 'https://ci.example/run/1']);
    const named = (service: string) =>
      deployOf(parseGithubDeployment('deployment', { ...payload, deployment: { ...deployment, payload: { service } } }, resolve))
        .service;
    assert.deepEqual([named('payments/ledger'), named('default/ledger')], ['payments/ledger', 'ledger']);
  });
});
