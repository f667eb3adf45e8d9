import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { httpGateway } from './phone-provider.js';
import type { OutboundRequest } from './ports.js';

const recorder = (status: number) => {
  const sent: OutboundRequest[] = [];
  return { sent, egress: { send: async (r: OutboundRequest) => (sent.push(r), { status, excerpt: '' }) } };
};

describe('the HTTP gateway phone provider', () => {
  it('posts {to, body} as JSON with the bearer token', async () => {
    const { sent, egress } = recorder(202);
    await httpGateway(egress, 5_000).send({ url: 'https://gw.example/sms', token: 'gw_1', to: '+15550001234' }, { channel: 'sms', body: 'Code 123456' });
    assert.deepEqual(sent, [
      {
        url: 'https://gw.example/sms',
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer gw_1' },
        body: '{"to":"+15550001234","body":"Code 123456"}',
        timeoutMs: 5_000,
      },
    ]);
  });

  it('sends no authorization without a token, and fails on a non-2xx answer', async () => {
    const { sent, egress } = recorder(500);
    await assert.rejects(
      httpGateway(egress).send({ url: 'https://gw.example/voice', token: null, to: '+15550001234' }, { channel: 'voice', body: 'x' }),
      { message: 'the gateway answered HTTP 500' },
    );
    assert.deepEqual(sent[0]?.headers, { 'content-type': 'application/json' });
  });
});
