import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import {
  OPSGENIE_MESSAGES,
  opsgenieAccepted,
  opsgenieResolution,
  opsgenieUnprocessable,
  parseOpsgenieAcknowledge,
  parseOpsgenieClose,
  parseOpsgenieCreate,
} from './opsgenie.js';
import { plain, RECEIVED, validationErrors } from './test-kit.js';

const ctx = { receivedAt: RECEIVED, newId: () => 'generated-1', integrationId: 'int-7' };
const create = (body: unknown) => parseOpsgenieCreate(body, ctx);
const errorsOf = (body: unknown) => validationErrors(() => create(body));
const closeErrors = (input: Parameters<typeof parseOpsgenieClose>[0]) =>
  validationErrors(() => parseOpsgenieClose(input, ctx));

// Opsgenie's documented create example (Alert API, "Create Alert").
const DOCS = {
  message: 'An example alert message',
  alias: 'Life is too short for no alias',
  description: 'Every alert needs a description',
  responders: [
    { id: '4513b7ea-3b91-438f-b7e4-e3e54af9147c', type: 'team' },
    { name: 'NOC', type: 'team' },
    { id: 'bb4d9938-c3c2-455d-aaab-727aa701c0d8', type: 'user' },
    { username: 'trinity@opsgenie.com', type: 'user' },
    { id: 'aee8a0de-c80f-4515-a232-501c0bc9d715', type: 'escalation' },
    { name: 'Nightwatch Escalation', type: 'escalation' },
    { id: '80564037-1984-4f38-b98e-8a1f662df552', type: 'schedule' },
    { name: 'First Responders Schedule', type: 'schedule' },
  ],
  visibleTo: [
    { id: '4513b7ea-3b91-438f-b7e4-e3e54af9147c', type: 'team' },
    { name: 'rocket_team', type: 'team' },
    { id: 'bb4d9938-c3c2-455d-aaab-727aa701c0d8', type: 'user' },
    { username: 'trinity@opsgenie.com', type: 'user' },
  ],
  actions: ['Restart', 'AnExampleAction'],
  tags: ['OverwriteQuietHours', 'Critical'],
  details: { key1: 'value1', key2: 'value2' },
  entity: 'An example entity',
  priority: 'P1',
};

// The shape of Alertmanager 0.25's notify/opsgenie request (opsGenieCreateMessage, JSON-encoded by Go:
// field order, sorted details, `>` and `&` as \u escapes, a trailing newline), for a group keyed
// `{}:{alertname="HighLatency"}` with the default message, description and source templates, plus
// responders [{name: payments, type: team}], tags "{{ .CommonLabels.service }},{{ .CommonLabels.severity }}",
// priority P1 and entity "{{ .CommonLabels.service }}".
const AM_GROUP_KEY = '{}:{alertname="HighLatency"}';
const AM_CREATE_WIRE = String.raw`{"alias":"d4061866bc333de2350285b0452a21f78349e3d63b4f06b6c956f64f95d7be36","message":"[FIRING:1] HighLatency (checkout critical)","description":"p99 \u003e 2s\nAlerts Firing:\nLabels:\n - alertname = HighLatency\n - service = checkout\n - severity = critical\nAnnotations:\n - summary = p99 \u003e 2s\nSource: http://prometheus.example:9090/graph?g0.expr=histogram_quantile%280.99%2C+rate%28http_request_duration_seconds_bucket%5B5m%5D%29%29+%3E+2\u0026g0.tab=1\n\n","details":{"alertname":"HighLatency","service":"checkout","severity":"critical"},"source":"http://alertmanager.example:9093/#/alerts?receiver=opsgenie","responders":[{"name":"payments","type":"team"}],"tags":["checkout","critical"],"priority":"P1","entity":"checkout"}
`;
// And its resolve: POST /v2/alerts/<alias>/close?identifierType=alias with opsGenieCloseMessage.
const AM_CLOSE_WIRE = String.raw`{"source":"http://alertmanager.example:9093/#/alerts?receiver=opsgenie"}
`;

describe('parseOpsgenieCreate', () => {
  it("reads Opsgenie's documented example, scoping the alias by integration", () => {
    const c = create(DOCS);
    assert.deepEqual([c.alias, c.alertKey, c.priority], [DOCS.alias, `og:int-7:${DOCS.alias}`, 'P1']);
    assert.deepEqual(plain(c.alert), {
      source: 'opsgenie',
      dedupKey: 'og:int-7:Life is too short for no alias',
      status: 'firing',
      service: null,
      summary: 'An example alert message',
      severity: 'critical',
      signal: 'other',
      labels: { key1: 'value1', key2: 'value2' },
      annotations: {
        summary: 'An example alert message',
        description: 'Every alert needs a description',
        entity: 'An example entity',
        tags: 'OverwriteQuietHours, Critical',
        priority: 'P1',
        responders:
          'team:4513b7ea-3b91-438f-b7e4-e3e54af9147c, team:NOC, user:bb4d9938-c3c2-455d-aaab-727aa701c0d8, ' +
          'user:trinity@opsgenie.com, escalation:aee8a0de-c80f-4515-a232-501c0bc9d715, ' +
          'escalation:Nightwatch Escalation, schedule:80564037-1984-4f38-b98e-8a1f662df552, ' +
          'schedule:First Responders Schedule',
      },
      startsAt: RECEIVED,
      endsAt: null,
      generatorURL: null,
      receivedAt: RECEIVED,
      startsAtUnset: true,
    });
    assert.deepEqual(c.responders[3], { type: 'user', id: null, name: null, username: 'trinity@opsgenie.com' });
    assert.deepEqual(c.visibleTo.map((r) => r.type), ['team', 'team', 'user', 'user']);
    assert.deepEqual([c.actions, c.tags, c.user, c.note], [DOCS.actions, DOCS.tags, null, null]);
  });

  it("reads Alertmanager's opsgenie_configs create as it is on the wire; its details route it", () => {
    const body: unknown = JSON.parse(AM_CREATE_WIRE);
    const c = create(body);
    assert.equal(c.alias, createHash('sha256').update(AM_GROUP_KEY).digest('hex'));
    assert.equal(c.alertKey, `og:int-7:${c.alias}`);
    assert.deepEqual(
      [c.alert.summary, c.alert.severity, c.alert.service, c.alert.signal, c.alert.generatorURL],
      [
        '[FIRING:1] HighLatency (checkout critical)',
        'critical',
        'checkout',
        'latency',
        'http://alertmanager.example:9093/#/alerts?receiver=opsgenie',
      ],
    );
    assert.deepEqual({ ...c.alert.labels }, { alertname: 'HighLatency', service: 'checkout', severity: 'critical' });
    assert.equal(c.alert.annotations.description?.split('\n')[0], 'p99 > 2s');
    assert.match(c.alert.annotations.description ?? '', /\u0026g0\.tab=1\n\n$/);
    const a = c.alert.annotations;
    assert.deepEqual(
      [a.source, a.tags, a.entity, a.responders],
      ['http://alertmanager.example:9093/#/alerts?receiver=opsgenie', 'checkout, critical', 'checkout', 'team:payments'],
    );
    assert.equal(c.alert.truncated, undefined);

    const close = parseOpsgenieClose(
      { identifier: c.alias, identifierType: 'alias', body: JSON.parse(AM_CLOSE_WIRE) },
      { ...ctx, receivedAt: '2026-11-27T00:10:00.000Z' },
    );
    assert.deepEqual(close.alert, {
      source: 'opsgenie',
      dedupKey: c.alertKey,
      status: 'resolved',
      endsAt: '2026-11-27T00:10:00.000Z',
      receivedAt: '2026-11-27T00:10:00.000Z',
    });
    assert.equal(close.source, 'http://alertmanager.example:9093/#/alerts?receiver=opsgenie');
  });

  it('maps P1–P5 to severities, and no priority (or a blank one) to P3', () => {
    const read = (priority?: unknown) => {
      const c = create({ message: 'm', ...(priority !== undefined && { priority }) });
      return [c.priority, c.alert.severity, c.alert.annotations.priority];
    };
    assert.deepEqual(
      [read('P1'), read('P2'), read('P3'), read('P4'), read('P5'), read(), read(null), read('')],
      [
        ['P1', 'critical', 'P1'],
        ['P2', 'critical', 'P2'],
        ['P3', 'error', 'P3'],
        ['P4', 'warning', 'P4'],
        ['P5', 'info', 'P5'],
        ['P3', 'error', 'P3'],
        ['P3', 'error', 'P3'],
        ['P3', 'error', 'P3'],
      ],
    );
  });

  it('generates an alias when none (or a blank one) is given', () => {
    for (const alias of [undefined, null, '', '   ']) {
      const c = create({ message: 'm', alias });
      assert.deepEqual([c.alias, c.alert.dedupKey], ['generated-1', 'og:int-7:generated-1']);
    }
  });

  it('keeps details as labels in a map without a prototype: __proto__ and constructor are plain keys', () => {
    const body: unknown = JSON.parse('{"message":"m","details":{"__proto__":"x","constructor":"y","service":"s"}}');
    const c = create(body);
    assert.equal(Object.getPrototypeOf(c.alert.labels), null);
    assert.deepEqual(Object.entries(c.alert.labels), [
      ['__proto__', 'x'],
      ['constructor', 'y'],
      ['service', 's'],
    ]);
    assert.equal(c.alert.service, 's');
    assert.equal(({} as Record<string, unknown>).x, undefined);
  });

  it('refuses every bad field with Opsgenie-keyed, Opsgenie-worded errors, all at once', () => {
    assert.deepEqual(errorsOf({}), [{ path: 'body.message', message: 'Message can not be empty.' }]);
    assert.deepEqual(errorsOf({ message: ' \n ' }), [{ path: 'body.message', message: 'Message can not be empty.' }]);
    assert.deepEqual(
      errorsOf({
        message: 42,
        alias: 'a'.repeat(513),
        description: 'd\u0000',
        responders: [
          { type: 'team' },
          { type: 'user', name: 'Ana' },
          { type: 'teams', name: 'a,b' },
          'x',
          { type: 'user', id: 7 },
        ],
        visibleTo: [{ type: 'schedule', name: 's' }],
        actions: 'Restart',
        tags: ['ok', 3],
        details: { nested: { a: 1 }, n: 1, fine: 'yes' },
        entity: ['e'],
        priority: 'p1',
        user: {},
      }),
      [
        { path: 'body.message', message: 'should be a string' },
        { path: 'body.alias', message: 'Alias can not be longer than 512 characters.' },
        { path: 'body.description', message: 'must not contain NUL (\\u0000)' },
        { path: 'body.responders[0]', message: 'id or name should be provided' },
        { path: 'body.responders[1]', message: 'id or username should be provided' },
        { path: 'body.responders[2].type', message: 'should be one of [ team, user, escalation, schedule ]' },
        { path: 'body.responders[3]', message: 'should be an object' },
        { path: 'body.responders[4].id', message: 'should be a string' },
        { path: 'body.visibleTo[0].type', message: 'should be one of [ team, user ]' },
        { path: 'body.actions', message: 'should be a list' },
        { path: 'body.tags[1]', message: 'should be a string' },
        { path: 'body.details.nested', message: 'should be a string' },
        { path: 'body.details.n', message: 'should be a string' },
        { path: 'body.entity', message: 'should be a string' },
        { path: 'body.priority', message: 'should be one of [ P1, P2, P3, P4, P5 ]' },
        { path: 'body.user', message: 'should be a string' },
      ],
    );
    assert.deepEqual(errorsOf({ message: 'm', details: ['a'], responders: {} }), [
      { path: 'body.responders', message: 'should be a list' },
      { path: 'body.details', message: 'should be an object' },
    ]);
    assert.deepEqual(errorsOf({ message: 'm', alias: 3 }), [{ path: 'body.alias', message: 'should be a string' }]);
    assert.deepEqual(errorsOf({ message: 'a\uD800' }), [
      { path: 'body.message', message: 'must not contain unpaired UTF-16 surrogates' },
    ]);
    for (const body of ['m', null, [{ message: 'm' }]]) {
      assert.deepEqual(errorsOf(body), [{ path: 'body', message: 'should be a JSON object' }]);
    }
  });

  it('throws a validation error whose message is Opsgenie’s 422 message', () => {
    assert.throws(() => create({}), { code: 'validation', message: OPSGENIE_MESSAGES.unprocessable });
  });

  it('cuts an over-long message at 130 code points, as Alertmanager does, and marks it', () => {
    const emoji = '🔥'.repeat(130);
    assert.equal(create({ message: emoji }).alert.summary, emoji);
    const c = create({ message: `${'x'.repeat(125)}🔥🔥🔥🔥🔥🔥` });
    assert.equal(c.alert.summary, `${'x'.repeat(125)}🔥🔥🔥🔥…`);
    assert.equal(Array.from(c.alert.summary).length, 130);
    assert.deepEqual(c.alert.truncated, ['message: cut to 130 characters']);
    assert.equal(c.alert.annotations['firebreak.truncated'], 'message: cut to 130 characters');
    assert.equal(c.alert.annotations.summary, c.alert.summary);
  });

  it('keeps 20 tags of 50 characters and 10 actions of 50, dropping blank ones, and marks what it cut', () => {
    const tags = ['', ' ', ...Array.from({ length: 22 }, (_, i) => (i === 0 ? 't'.repeat(60) : `tag${i}`))];
    const actions = Array.from({ length: 11 }, (_, i) => (i === 1 ? 'a'.repeat(51) : `act${i}`));
    const c = create({ message: 'm', tags, actions });
    assert.equal(c.tags.length, 20);
    assert.deepEqual([c.tags[0], c.tags[19]], [`${'t'.repeat(49)}…`, 'tag19']);
    assert.deepEqual([c.actions.length, c.actions[1]], [10, `${'a'.repeat(49)}…`]);
    assert.deepEqual(c.alert.truncated, [
      'actions[1]: cut to 50 characters',
      'actions: 1 of 11 dropped (limit 10)',
      'tags[2]: cut to 50 characters',
      'tags: 2 of 22 dropped (limit 20)',
    ]);
    assert.equal(c.alert.annotations.tags, c.tags.join(', '));
  });

  it('cuts description, entity, source, user and note to their limits, and keeps 50 responders', () => {
    const responders = Array.from({ length: 52 }, (_, i) => ({ type: 'team', name: `team${i}` }));
    const c = create({
      message: 'm',
      description: 'd'.repeat(15_000),
      entity: 'e'.repeat(600),
      source: `https://am.example/${'s'.repeat(200)}`,
      user: 'u'.repeat(101),
      note: 'n'.repeat(30_000),
      responders,
    });
    assert.deepEqual(c.alert.truncated, [
      'description: cut to 4,096 characters',
      'responders: 2 of 52 dropped (limit 50)',
      'entity: cut to 512 characters',
      'source: cut to 100 characters',
      'user: cut to 100 characters',
      'note: cut to 4,096 characters',
    ]);
    const a = c.alert.annotations;
    assert.deepEqual(
      [a.description?.length, a.entity?.length, a.source?.length, a.user?.length, a.note?.length, c.responders.length],
      [4_096, 512, 100, 100, 4_096, 50],
    );
    assert.equal(c.alert.generatorURL, `https://am.example/${'s'.repeat(200)}`);
  });

  it("keeps details within Opsgenie's 8,000 characters in all, the keys Firebreak reads first", () => {
    const details = {
      ...Object.fromEntries(Array.from({ length: 3 }, (_, i) => [`big${i}`, 'v'.repeat(3_000)])),
      service: 'checkout',
      'bad\tkey': 'x',
      '': 'empty',
      huge: 'h'.repeat(5_000),
    };
    const c = create({ message: 'm', details });
    assert.deepEqual(Object.keys(c.alert.labels), ['big0', 'big1', 'service']);
    assert.equal(c.alert.service, 'checkout');
    assert.deepEqual(c.alert.truncated, [
      'details: 2 keys dropped (empty, or with control characters or unpaired surrogates)',
      'details: 2 of 5 dropped (over 8,000 characters in all)',
    ]);
    const one = create({ message: 'm', details: { huge: 'h'.repeat(5_000) } });
    assert.deepEqual(
      [one.alert.labels.huge?.length, one.alert.truncated],
      [4_096, ['details.huge: cut to 4,096 characters']],
    );
    const seventy = Object.fromEntries(Array.from({ length: 70 }, (_, i) => [`k${i}`, 'v']));
    const many = create({ message: 'm', details: seventy });
    assert.deepEqual(
      [Object.keys(many.alert.labels).length, many.alert.truncated],
      [64, ['details: 6 of 70 dropped (limit 64)']],
    );
  });
});

describe('parseOpsgenieClose and parseOpsgenieAcknowledge', () => {
  it('reads a close by alias into the resolution of the alias key, and by id (the default) into none yet', () => {
    // The body of Opsgenie's documented close example.
    const body = { user: 'Monitoring Script', source: 'AWS Lambda', note: 'Action executed via Alert API' };
    const byAlias = parseOpsgenieClose({ identifier: 'srv01/mysql', identifierType: 'alias', body }, ctx);
    assert.deepEqual(byAlias, {
      action: 'close',
      target: { identifierType: 'alias', alias: 'srv01/mysql', alertKey: 'og:int-7:srv01/mysql' },
      user: 'Monitoring Script',
      source: 'AWS Lambda',
      note: 'Action executed via Alert API',
      truncated: [],
      receivedAt: RECEIVED,
      alert: opsgenieResolution('og:int-7:srv01/mysql', RECEIVED),
    });
    const byId = parseOpsgenieClose({ identifier: 'al-12' }, ctx);
    assert.deepEqual([byId.target, byId.alert, byId.user, byId.source, byId.note], [
      { identifierType: 'id', id: 'al-12' },
      null,
      null,
      null,
      null,
    ]);
    assert.deepEqual(opsgenieResolution('og:int-7:x', RECEIVED), {
      source: 'opsgenie',
      dedupKey: 'og:int-7:x',
      status: 'resolved',
      endsAt: RECEIVED,
      receivedAt: RECEIVED,
    });
  });

  it('reads an acknowledge, with or without a body, and cuts its note', () => {
    const ack = parseOpsgenieAcknowledge(
      { identifier: 'k', identifierType: 'alias', body: { note: 'n'.repeat(5_000), user: '' } },
      ctx,
    );
    assert.deepEqual(
      [ack.action, ack.target, ack.user, ack.note?.length, ack.truncated],
      ['acknowledge', { identifierType: 'alias', alias: 'k', alertKey: 'og:int-7:k' }, null, 4_096, [
        'note: cut to 4,096 characters',
      ]],
    );
    assert.equal('alert' in ack, false);
    const bare = parseOpsgenieAcknowledge({ identifier: 'k', identifierType: 'id', body: null }, ctx);
    assert.deepEqual(bare.target, { identifierType: 'id', id: 'k' });
  });

  it('refuses tiny ids, unknown identifier types, a missing identifier and a bad body, each with its message', () => {
    assert.deepEqual(closeErrors({ identifier: '1', identifierType: 'tiny' }), [
      { path: 'query.identifierType', message: 'tiny ids are not supported: close or acknowledge by id or alias' },
    ]);
    assert.deepEqual(closeErrors({ identifier: ' ', identifierType: 'name', body: [] }), [
      { path: 'query.identifierType', message: 'should be one of [ id, alias, tiny ]' },
      { path: 'params.identifier', message: 'Identifier can not be empty.' },
      { path: 'body', message: 'should be a JSON object' },
    ]);
    assert.deepEqual(closeErrors({ identifier: 'k'.repeat(513), body: { user: 1, note: 'a\u0000' } }), [
      { path: 'params.identifier', message: 'Identifier can not be longer than 512 characters.' },
      { path: 'body.user', message: 'should be a string' },
      { path: 'body.note', message: 'must not contain NUL (\\u0000)' },
    ]);
    assert.deepEqual(closeErrors({ identifier: 'a\u0000' }), [
      { path: 'params.identifier', message: 'must not contain NUL (\\u0000)' },
    ]);
    assert.deepEqual(
      validationErrors(() => parseOpsgenieAcknowledge({ identifier: undefined, identifierType: 'alias' }, ctx)),
      [{ path: 'params.identifier', message: 'Identifier can not be empty.' }],
    );
  });
});

describe('Opsgenie response bodies', () => {
  it("answers as Opsgenie does: 202 'Request will be processed', 422 with errors by field", () => {
    assert.deepEqual(opsgenieAccepted('req-1'), { result: 'Request will be processed', took: 0, requestId: 'req-1' });
    const errors = errorsOf({ priority: 'P9', responders: [{ type: 'team' }] });
    const body = opsgenieUnprocessable([...errors, { path: 'body.message', message: 'second' }], 'req-2', 0.01);
    assert.deepEqual(JSON.parse(JSON.stringify(body)), {
      message: 'Request body is not processable. Please check the errors.',
      errors: {
        message: 'Message can not be empty.',
        'responders[0]': 'id or name should be provided',
        priority: 'should be one of [ P1, P2, P3, P4, P5 ]',
      },
      took: 0.01,
      requestId: 'req-2',
    });
    const keyed = opsgenieUnprocessable(
      [
        { path: 'query.identifierType', message: 'a' },
        { path: 'params.identifier', message: 'b' },
        { path: 'body', message: 'c' },
        { path: 'body.details.__proto__', message: 'd' },
      ],
      'r',
    );
    assert.deepEqual({ ...keyed.errors }, { identifierType: 'a', identifier: 'b', body: 'c', 'details.__proto__': 'd' });
  });
});
