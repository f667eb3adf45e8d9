import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ClientError, ServerUnreachableError, createClient, normaliseBaseUrl } from './index.js';

type Reply = Response | Error;

function fakeFetch(replies: Reply[]) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  let i = 0;
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    const r = replies[Math.min(i++, replies.length - 1)]!;
    if (r instanceof Error) throw r;
    return r;
  };
  return { calls, fetch: fetch as typeof globalThis.fetch };
}

const json = (status: number, body: unknown, type = 'application/json') =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': type } });

describe('createClient', () => {
  it('normalises the base URL and refuses anything but http(s)', () => {
    assert.equal(normaliseBaseUrl('http://127.0.0.1:7070/'), 'http://127.0.0.1:7070');
    assert.equal(normaliseBaseUrl('https://fb.example/base/'), 'https://fb.example/base');
    assert.throws(() => normaliseBaseUrl('127.0.0.1:7070'), TypeError);
    assert.throws(() => normaliseBaseUrl('file:///etc/passwd'), TypeError);
  });

  it('builds list queries with comma-separated filters and leaves out what is unset', async () => {
    const f = fakeFetch([json(200, { items: [], nextCursor: null })]);
    const client = createClient({ baseUrl: 'http://fb.test/', token: 't', fetch: f.fetch });
    await client.listIncidents({ status: ['investigating', 'mitigated'], limit: 5 });
    assert.equal(f.calls[0]?.url, 'http://fb.test/api/v1/incidents?status=investigating%2Cmitigated&limit=5');
    assert.deepEqual(f.calls[0]?.init?.headers, { accept: 'application/json', authorization: 'Bearer t' });
  });

  it('pages the alerts of one incident through the alert list', async () => {
    const f = fakeFetch([json(200, { items: [], nextCursor: null })]);
    const client = createClient({ baseUrl: 'http://fb.test', fetch: f.fetch });
    await client.listIncidentAlerts('INC-7', { cursor: '120', limit: 50 });
    assert.equal(f.calls[0]?.url, 'http://fb.test/api/v1/alerts?incident=INC-7&cursor=120&limit=50');
  });

  it('encodes path segments', async () => {
    const f = fakeFetch([json(200, {})]);
    await createClient({ baseUrl: 'http://fb.test', fetch: f.fetch }).answerQuestion('INC-1', 'Q1/../x', { answer: 'a' });
    assert.equal(f.calls[0]?.url, 'http://fb.test/api/v1/incidents/INC-1/questions/Q1%2F..%2Fx/answer');
  });

  it('throws a ClientError carrying the whole problem body', async () => {
    const problem = {
      type: 'https://firebreak.dev/problems/gate_unmet',
      title: 'Unprocessable Content',
      status: 422,
      detail: 'INC-1 cannot move to resolved yet.',
      code: 'gate_unmet',
      requestId: 'req-1',
      unmet: [{ code: 'evidence_missing', message: 'Attach at least one piece of evidence.' }],
    };
    const f = fakeFetch([json(422, problem, 'application/problem+json')]);
    const client = createClient({ baseUrl: 'http://fb.test', fetch: f.fetch });
    const err = await client.changeStatus('1', { to: 'resolved' }, { ifMatch: 3, idempotencyKey: 'k' }).catch((e: unknown) => e);
    assert.ok(err instanceof ClientError);
    assert.equal(err.status, 422);
    assert.equal(err.code, 'gate_unmet');
    assert.equal(err.detail, 'INC-1 cannot move to resolved yet.');
    assert.deepEqual(err.unmet, problem.unmet);
    assert.deepEqual(err.errors, []);
    assert.equal(err.requestId, 'req-1');
    assert.deepEqual(err.problem, problem);
    const headers = f.calls[0]?.init?.headers as Record<string, string>;
    assert.equal(headers['if-match'], '3');
    assert.equal(headers['idempotency-key'], 'k');
  });

  it('a conflict carries currentVersion; a non-JSON error body still gives a code from the status', async () => {
    const f = fakeFetch([
      json(409, { status: 409, code: 'conflict', detail: 'stale', currentVersion: 8 }),
      new Response('<html>gateway</html>', { status: 404, headers: { 'content-type': 'text/html' } }),
    ]);
    const client = createClient({ baseUrl: 'http://fb.test', fetch: f.fetch });
    const conflict = await client.addNote('1', { body: 'x' }, { ifMatch: 7 }).catch((e: unknown) => e);
    assert.ok(conflict instanceof ClientError);
    assert.equal(conflict.currentVersion, 8);
    const proxy = await client.getIncident('1').catch((e: unknown) => e);
    assert.ok(proxy instanceof ClientError);
    assert.equal(proxy.code, 'not_found');
  });

  it('retries reads and keyed commands once; never an unkeyed write', async () => {
    const down = new TypeError('fetch failed');
    const reads = fakeFetch([down, json(200, { status: 'ok' })]);
    assert.deepEqual(await createClient({ baseUrl: 'http://fb.test', fetch: reads.fetch, retryDelayMs: 0 }).health(), { status: 'ok' });
    assert.equal(reads.calls.length, 2);

    const unkeyed = fakeFetch([json(503, { code: 'internal' }), json(200, {})]);
    const err = await createClient({ baseUrl: 'http://fb.test', fetch: unkeyed.fetch, retryDelayMs: 0 })
      .addNote('1', { body: 'x' })
      .catch((e: unknown) => e);
    assert.ok(err instanceof ClientError);
    assert.equal(unkeyed.calls.length, 1);

    const twice = fakeFetch([down]);
    const gone = await createClient({ baseUrl: 'http://fb.test', fetch: twice.fetch, retryDelayMs: 0 })
      .addNote('1', { body: 'x' }, { idempotencyKey: 'k' })
      .catch((e: unknown) => e);
    assert.ok(gone instanceof ServerUnreachableError);
    assert.equal(twice.calls.length, 2);
  });

  it('answers text formats as text and 204 as undefined', async () => {
    const f = fakeFetch([
      new Response('# Timeline', { status: 200, headers: { 'content-type': 'text/markdown' } }),
      new Response(null, { status: 204 }),
    ]);
    const client = createClient({ baseUrl: 'http://fb.test', fetch: f.fetch });
    assert.equal(await client.getTimelineText('1', 'md'), '# Timeline');
    assert.equal(f.calls[0]?.url, 'http://fb.test/api/v1/incidents/1/timeline?format=md');
    assert.equal(await client.revokeToken('t1'), undefined);
  });

  it('a 200 that is not JSON is an error, not a crash', async () => {
    const f = fakeFetch([new Response('<html>', { status: 200 })]);
    const err = await createClient({ baseUrl: 'http://fb.test', fetch: f.fetch }).getIncident('1').catch((e: unknown) => e);
    assert.ok(err instanceof ClientError);
    assert.equal(err.code, 'invalid_response');
  });
});
