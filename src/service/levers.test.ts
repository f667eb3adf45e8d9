import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { describe, it } from 'node:test';
import { Webhook } from 'standardwebhooks';
import { shownUrl, signatureHeaders } from './levers.js';

const SECRET = `whsec_${Buffer.alloc(32, 1).toString('base64')}`;

describe('signatureHeaders', () => {
  it('signs "id.timestamp.body" with the secret as Standard Webhooks does: the standardwebhooks package verifies it', () => {
    const body = '{"incident":"INC-7"}';
    const timestamp = Math.floor(Date.now() / 1000);
    const headers = signatureHeaders(SECRET, 'msg_INC-7.M1', timestamp, body);
    const expected = createHmac('sha256', Buffer.alloc(32, 1)).update(`msg_INC-7.M1.${timestamp}.${body}`).digest('base64');
    assert.deepEqual(headers, { 'webhook-id': 'msg_INC-7.M1', 'webhook-timestamp': String(timestamp), 'webhook-signature': `v1,${expected}` });
    assert.deepEqual(new Webhook(SECRET).verify(body, headers), { incident: 'INC-7' });
    assert.throws(() => new Webhook(SECRET).verify('{"incident":"INC-8"}', headers));
  });
});

describe('shownUrl', () => {
  it('drops credentials and the query, which may hold secrets', () => {
    assert.equal(shownUrl('https://user:pw@ci.example/hooks/rollback?token=abc'), 'https://ci.example/hooks/rollback?…');
    assert.equal(shownUrl('http://127.0.0.1:8080/x'), 'http://127.0.0.1:8080/x');
  });
});
