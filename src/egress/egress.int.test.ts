import assert from 'node:assert/strict';
import diagnostics from 'node:diagnostics_channel';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import { EgressRefusedError } from '../domain/errors.js';
import { createEgress, type Resolver } from './index.js';

interface Received {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

/** A real HTTP receiver on 127.0.0.1 that records each request and answers by path. */
async function receiver(): Promise<{ server: Server; port: number; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.url === '/redirect') {
        res.writeHead(302, { location: '/elsewhere' }).end('moved');
      } else if (req.url === '/big') {
        res.writeHead(200).end('x'.repeat(2000));
      } else if (req.url === '/hang') {
        // never answers: the caller's timeout ends it
      } else {
        res.writeHead(202, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, got: body }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, received };
}

/** Counts the client sockets this process opens (Node publishes each on `net.client.socket`). */
const sockets: unknown[] = [];
const onSocket = (s: unknown) => sockets.push(s);

const HINT = '(allow with FIREBREAK_EGRESS_ALLOW)';

describe('egress guard against a real local receiver', () => {
  let r: Awaited<ReturnType<typeof receiver>>;
  before(async () => {
    r = await receiver();
    diagnostics.subscribe('net.client.socket', onSocket);
  });
  after(async () => {
    diagnostics.unsubscribe('net.client.socket', onSocket);
    r.server.closeAllConnections();
    await new Promise((resolve) => r.server.close(resolve));
  });
  beforeEach(() => {
    r.received.length = 0;
    sockets.length = 0;
  });

  it('sends to an allowed 127.0.0.1: method, path, headers and body arrive; status and excerpt come back', async () => {
    const egress = createEgress({ allow: ['127.0.0.1'] });
    const res = await egress.send({
      url: `http://127.0.0.1:${r.port}/hook?x=1`,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-firebreak': 'yes' },
      body: '{"a":1}',
      timeoutMs: 5000,
    });
    assert.deepEqual(res, { status: 202, excerpt: JSON.stringify({ ok: true, got: '{"a":1}' }) });
    assert.equal(r.received.length, 1);
    assert.equal(r.received[0]!.method, 'POST');
    assert.equal(r.received[0]!.url, '/hook?x=1');
    assert.equal(r.received[0]!.headers['x-firebreak'], 'yes');
    assert.equal(r.received[0]!.body, '{"a":1}');
  });

  it('refuses 127.0.0.1 when it is not allowed, before any connection', async () => {
    const egress = createEgress({ allow: [] });
    await assert.rejects(
      egress.send({ url: `http://127.0.0.1:${r.port}/hook`, method: 'POST', headers: {}, body: '{}', timeoutMs: 5000 }),
      (err: unknown) => {
        assert.ok(err instanceof EgressRefusedError);
        assert.equal(err.message, `refused 127.0.0.1: loopback address ${HINT}`);
        return true;
      },
    );
    assert.equal(r.received.length, 0);
    assert.equal(sockets.length, 0);
  });

  it('refuses the cloud metadata address 169.254.169.254 without any connection attempt', async () => {
    const egress = createEgress({ allow: ['127.0.0.1'] });
    await assert.rejects(
      egress.send({ url: 'http://169.254.169.254/latest/meta-data/', method: 'GET', headers: {}, timeoutMs: 5000 }),
      { name: 'EgressRefusedError', message: `refused 169.254.169.254: link-local/cloud metadata address ${HINT}` },
    );
    assert.equal(sockets.length, 0);
  });

  it('refuses the IPv4-mapped spelling of an allowed loopback address: [::ffff:127.0.0.1] (the URL writes it ::ffff:7f00:1)', async () => {
    const egress = createEgress({ allow: ['127.0.0.1', 'localhost'] });
    await assert.rejects(
      egress.send({ url: `http://[::ffff:127.0.0.1]:${r.port}/hook`, method: 'GET', headers: {}, timeoutMs: 5000 }),
      { name: 'EgressRefusedError', message: `refused ::ffff:7f00:1 (127.0.0.1): loopback address ${HINT}` },
    );
    assert.equal(r.received.length, 0);
    assert.equal(sockets.length, 0);
  });

  it('refuses unspecified addresses 0.0.0.0 and [::]', async () => {
    const egress = createEgress({ allow: [] });
    for (const host of ['0.0.0.0', '[::]']) {
      await assert.rejects(egress.send({ url: `http://${host}:${r.port}/`, method: 'GET', headers: {}, timeoutMs: 5000 }), {
        name: 'EgressRefusedError',
        message: `refused ${host.replace(/[[\]]/g, '')}: unspecified address ${HINT}`,
      });
    }
    assert.equal(sockets.length, 0);
  });

  it('refuses a name that resolves to a private address (internal.example → 10.0.0.5), before connecting', async () => {
    const lookups: string[] = [];
    const resolver: Resolver = async (host) => {
      lookups.push(host);
      return [{ address: '10.0.0.5', family: 4 }];
    };
    const egress = createEgress({ allow: ['127.0.0.1'], resolver });
    await assert.rejects(
      egress.send({ url: 'https://internal.example/hook', method: 'POST', headers: {}, body: '{}', timeoutMs: 5000 }),
      { name: 'EgressRefusedError', message: `refused internal.example (10.0.0.5): private address ${HINT}` },
    );
    assert.deepEqual(lookups, ['internal.example']);
    assert.equal(sockets.length, 0);
    await assert.rejects(egress.resolve('internal.example'), { name: 'EgressRefusedError' });
  });

  it('refuses a name when any of its addresses is private, even if another is public', async () => {
    const resolver: Resolver = async () => [
      { address: '8.8.8.8', family: 4 },
      { address: '::ffff:169.254.169.254', family: 6 },
    ];
    const egress = createEgress({ allow: [], resolver });
    await assert.rejects(egress.resolve('mixed.example'), {
      message: `refused mixed.example (169.254.169.254): link-local/cloud metadata address ${HINT}`,
    });
  });

  it('connects to the address it checked, not to a second DNS answer; the Host header keeps the name', async () => {
    let calls = 0;
    const resolver: Resolver = async () => {
      calls++;
      // The first answer is the one checked; a rebinding resolver would answer differently later.
      return calls === 1 ? [{ address: '127.0.0.1', family: 4 }] : [{ address: '169.254.169.254', family: 4 }];
    };
    const egress = createEgress({ allow: ['hooks.test'], resolver });
    const res = await egress.send({ url: `http://hooks.test:${r.port}/pinned`, method: 'GET', headers: {}, timeoutMs: 5000 });
    assert.equal(res.status, 202);
    assert.equal(calls, 1);
    assert.equal(r.received.length, 1);
    assert.equal(r.received[0]!.headers.host, `hooks.test:${r.port}`);
    assert.equal(await egress.resolve('hooks.test'), '169.254.169.254', 'an allowed host may resolve anywhere');
  });

  it('follows no redirect: a 302 is the result', async () => {
    const egress = createEgress({ allow: ['127.0.0.1'] });
    const res = await egress.send({ url: `http://127.0.0.1:${r.port}/redirect`, method: 'POST', headers: {}, body: '{}', timeoutMs: 5000 });
    assert.deepEqual(res, { status: 302, excerpt: 'moved' });
    assert.deepEqual(r.received.map((x) => x.url), ['/redirect']);
  });

  it('keeps at most 500 characters of the response body', async () => {
    const egress = createEgress({ allow: ['127.0.0.1'] });
    const res = await egress.send({ url: `http://127.0.0.1:${r.port}/big`, method: 'GET', headers: {}, timeoutMs: 5000 });
    assert.equal(res.excerpt, 'x'.repeat(500));
  });

  it('gives up after the timeout', async () => {
    const egress = createEgress({ allow: ['127.0.0.1'] });
    await assert.rejects(
      egress.send({ url: `http://127.0.0.1:${r.port}/hang`, method: 'POST', headers: {}, body: '{}', timeoutMs: 100 }),
      { message: 'timed out after 100 ms' },
    );
  });

  it('sends only http and https', async () => {
    const egress = createEgress({ allow: ['127.0.0.1'] });
    await assert.rejects(egress.send({ url: 'file:///etc/passwd', method: 'GET', headers: {}, timeoutMs: 5000 }), {
      name: 'EgressRefusedError',
      message: 'refused file:///etc/passwd: only http and https are sent, not file:',
    });
  });
});
