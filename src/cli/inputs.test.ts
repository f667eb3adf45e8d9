import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runCli as cli } from './test-cli.js';

const APPLIED = {
  version: 4,
  appliedAt: '2026-03-01T12:00:00.000Z',
  services: 2,
  teams: 1,
  systems: 1,
  ignored: [{ document: 6, apiVersion: 'backstage.io/v1alpha1', kind: 'Resource', name: 'orders-db' }],
  incidentsUpdated: [7],
};

describe('catalog apply', () => {
  it('sends the file as it is, with the content type its extension names, and prints the counts', async () => {
    const files: Record<string, string> = { 'cat.yml': 'kind: Service\n', 'cat.json': '[{"kind":"Team"}]' };
    const readFile = async (p: string) => files[p] ?? Promise.reject(new Error('ENOENT'));
    const yaml = await cli(['catalog', 'apply', 'cat.yml'], [{ json: APPLIED }], { readFile });
    assert.equal(yaml.code, 0, yaml.stderr);
    assert.deepEqual(
      [yaml.last?.method, yaml.last?.path, yaml.last?.headers['content-type'], yaml.last?.text],
      ['PUT', '/api/v1/catalog', 'application/yaml', 'kind: Service\n'],
    );
    assert.equal(
      yaml.stdout,
      'Applied catalog version 4: 2 services, 1 team, 1 system.\n  ignored document 6: Resource orders-db\nSuspect deploys updated on INC-7.\n',
    );
    const json = await cli(['catalog', 'apply', 'cat.json', '--json'], [{ json: APPLIED }], { readFile });
    assert.equal(json.last?.headers['content-type'], 'application/json');
    assert.deepEqual(JSON.parse(json.stdout), APPLIED);
  });

  it('prints every error path of a refused catalog and exits 3; a bad file name is a usage error', async () => {
    const refused = {
      status: 400,
      json: {
        status: 400,
        code: 'validation',
        detail: 'The catalog is not valid.',
        errors: [
          { path: 'services[0].spec.tier', message: 'expected an integer from 1 to 4' },
          { path: 'documents[2].kind', message: 'expected one of Service, Team for firebreak/v1' },
        ],
      },
    };
    const r = await cli(['catalog', 'apply', 'c.yaml'], [refused], { readFile: async () => 'x' });
    assert.equal(r.code, 3);
    assert.equal(
      r.stderr,
      'firebreak: The catalog is not valid: services[0].spec.tier expected an integer from 1 to 4; documents[2].kind expected one of Service, Team for firebreak/v1\n',
    );
    const txt = await cli(['catalog', 'apply', 'catalog.txt'], [{ json: APPLIED }]);
    assert.deepEqual([txt.code, txt.sent.length, txt.stderr], [2, 0, 'firebreak: catalog.txt: expected a .yaml, .yml or .json file\n']);
    const missing = await cli(['catalog', 'apply', 'nope.yaml'], [{ json: APPLIED }]);
    assert.deepEqual([missing.code, missing.sent.length, missing.stderr], [2, 0, 'firebreak: cannot read nope.yaml: ENOENT: no such file\n']);
  });
});

describe('deploy record', () => {
  const stored = {
    id: 'd1', externalId: 'run-220', source: 'firebreak', service: 'checkout', environment: 'production', version: 'v1.42',
    commitSha: 'f95f852', status: 'succeeded', startedAt: '2026-03-01T11:50:00.000Z', finishedAt: null, actor: null, url: null,
    previousVersion: 'v1.41', configDeltas: [], receivedAt: '2026-03-01T12:00:00.000Z', updatedAt: '2026-03-01T12:00:00.000Z',
  };

  it('maps every flag to the deploy JSON', async () => {
    const r = await cli(
      [
        'deploy', 'record', '--service', 'checkout', '--version', 'v1.42', '--environment', 'production', '--sha', 'f95f852',
        '--external-id', 'run-220', '--started-at', '2026-03-01T11:50:00Z', '--finished-at', '2026-03-01T11:58:00Z',
        '--previous-version', 'v1.41', '--url', 'https://ci.example/run/220', '--actor', 'ana',
        '--config', 'pricing_v2=false:true', '--config', 'NEW_FLAG=:on', '--config', 'OLD=https://a:',
      ],
      [{ status: 201, json: stored }],
    );
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual([r.last?.method, r.last?.path, r.last?.headers.authorization], ['POST', '/api/v1/deploys', 'Bearer tok-123']);
    assert.deepEqual(r.last!.body, {
      externalId: 'run-220',
      service: 'checkout',
      environment: 'production',
      version: 'v1.42',
      status: 'succeeded',
      commitSha: 'f95f852',
      startedAt: '2026-03-01T11:50:00Z',
      finishedAt: '2026-03-01T11:58:00Z',
      previousVersion: 'v1.41',
      url: 'https://ci.example/run/220',
      actor: 'ana',
      configDeltas: [
        { key: 'pricing_v2', from: 'false', to: 'true' },
        { key: 'NEW_FLAG', from: null, to: 'on' },
        { key: 'OLD', from: 'https', to: '//a:' },
      ],
    });
    assert.equal(r.stdout, 'Recorded deploy run-220: checkout v1.42 to production (succeeded).\n');
  });

  it('defaults to succeeded with a fresh external id; refuses a bad status or config before sending', async () => {
    const r = await cli(['deploy', 'record', '--service', 'checkout', '--version', 'v2', '--environment', 'staging'], [{ status: 201, json: stored }]);
    assert.deepEqual(r.last!.body, { externalId: 'cli-key-1', service: 'checkout', environment: 'staging', version: 'v2', status: 'succeeded' });
    const status = await cli(['deploy', 'record', '--service', 's', '--version', 'v', '--environment', 'e', '--status', 'done'], [{ json: stored }]);
    assert.equal(status.code, 2);
    assert.equal(status.sent.length, 0);
    assert.match(status.stderr, /^firebreak: option '--status <status>' argument 'done' is invalid/);
    const config = await cli(['deploy', 'record', '--service', 's', '--version', 'v', '--environment', 'e', '--config', 'nocolon'], [{ json: stored }]);
    assert.deepEqual([config.code, config.sent.length], [2, 0]);
    assert.match(config.stderr, /expected key=from:to/);
    const missing = await cli(['deploy', 'record', '--service', 's'], [{ json: stored }]);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /required option '--version <version>' not specified/);
  });

  it('refuses a config delta with neither side, and a status outside the list, with their exact messages', async () => {
    const flags = ['deploy', 'record', '--service', 's', '--version', 'v', '--environment', 'e'];
    const empty = await cli([...flags, '--config', 'K=:'], [{ json: stored }]);
    assert.deepEqual(
      [empty.code, empty.sent.length, empty.stderr],
      [2, 0, "firebreak: option '--config <key=from:to>' argument 'K=:' is invalid. expected key=from:to (either side may be empty, not both).\n"],
    );
    const status = await cli([...flags, '--status', 'done'], [{ json: stored }]);
    assert.equal(
      status.stderr,
      "firebreak: option '--status <status>' argument 'done' is invalid. Allowed choices are started, succeeded, failed, rolled_back.\n",
    );
  });

  it('exits 3 on a refused deploy and 4 without the ingest role', async () => {
    const refused = await cli(['deploy', 'record', '--service', 'x.y', '--version', 'v', '--environment', 'e'], [
      { status: 400, json: { code: 'validation', detail: 'The deploy is not valid.', errors: [{ path: 'body.service', message: 'expected a name' }] } },
    ]);
    assert.deepEqual([refused.code, refused.stderr], [3, 'firebreak: The deploy is not valid: --service expected a name\n']);
    const forbidden = await cli(['deploy', 'record', '--service', 's', '--version', 'v', '--environment', 'e'], [
      { status: 403, json: { code: 'forbidden', detail: 'This needs the ingest role; you have viewer.' } },
    ]);
    assert.equal(forbidden.code, 4);
  });
});

describe('integration', () => {
  it('create prints the credential alone on stdout, with the secret from stdin', async () => {
    const created = { id: 'i1', type: 'github', name: 'gh', createdAt: 'x', revokedAt: null, endpoints: ['/api/v1/integrations/github'], secret: 's'.repeat(70) };
    const r = await cli(['integration', 'create', '--type', 'github', '--name', 'gh', '--secret-stdin'], [{ status: 201, json: created }], {
      readStdin: async () => `${'s'.repeat(70)}\n`,
    });
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(r.last!.body, { type: 'github', name: 'gh', secret: 's'.repeat(70) });
    assert.equal(r.stdout, `${'s'.repeat(70)}\n`);
    assert.equal(r.stderr, 'Created github integration gh (i1); the HMAC secret above is shown only once. Endpoints: /api/v1/integrations/github\n');
    const bad = await cli(['integration', 'create', '--type', 'slack', '--name', 'x'], [{ json: created }]);
    assert.deepEqual([bad.code, bad.sent.length], [2, 0]);
  });

  it('create refuses an empty --secret-stdin and an unknown type before sending, with their exact messages', async () => {
    const empty = await cli(['integration', 'create', '--type', 'github', '--name', 'gh', '--secret-stdin'], [{ json: {} }], {
      readStdin: async () => '\n',
    });
    assert.deepEqual([empty.code, empty.sent.length, empty.stderr], [2, 0, 'firebreak: --secret-stdin: standard input was empty\n']);
    const slack = await cli(['integration', 'create', '--type', 'slack', '--name', 'x'], [{ json: {} }]);
    assert.equal(
      slack.stderr,
      "firebreak: option '--type <type>' argument 'slack' is invalid. Allowed choices are alertmanager, grafana, pagerduty, opsgenie, github, generic.\n",
    );
  });

  it('ls prints a table without credentials; revoke sends DELETE', async () => {
    const items = [{ id: 'i1', type: 'pagerduty', name: 'pd', createdAt: '2026-03-01T00:00:00.000Z', revokedAt: null, endpoints: ['/v2/enqueue', '/v2/change/enqueue'] }];
    const ls = await cli(['integration', 'ls'], [{ json: { items } }]);
    assert.equal(
      ls.stdout,
      'ID  TYPE       NAME  CREATED                   REVOKED  ENDPOINTS\ni1  pagerduty  pd    2026-03-01T00:00:00.000Z  -        /v2/enqueue /v2/change/enqueue\n',
    );
    const revoke = await cli(['integration', 'revoke', 'i1'], [{ status: 204 }]);
    assert.deepEqual([revoke.code, revoke.last?.method, revoke.last?.path, revoke.stdout], [0, 'DELETE', '/api/v1/integrations/i1', 'Revoked integration i1.\n']);
    const missing = await cli(['integration', 'revoke', 'nope'], [{ status: 404, json: { code: 'not_found', detail: 'Integration nope does not exist or is already revoked.' } }]);
    assert.deepEqual([missing.code, missing.stderr], [5, 'firebreak: Integration nope does not exist or is already revoked\n']);
  });
});
