import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { bodyJson, bodyText } from './body.js';
import { validationErrors } from './catalog/test-kit.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('bodyText and bodyJson', () => {
  it('read UTF-8 text and JSON', () => {
    assert.equal(bodyText(bytes('kind: Service\n')), 'kind: Service\n');
    assert.deepEqual(bodyJson(bytes('{"a":"ü"}')), { a: 'ü' });
  });

  it('refuse a missing, unreadable or malformed body with its exact error', () => {
    for (const missing of [undefined, '{}', new Uint8Array()]) {
      assert.deepEqual(validationErrors(() => bodyText(missing)), [{ path: 'body', message: 'is required' }]);
    }
    const badUtf8 = new Uint8Array([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]);
    assert.deepEqual(validationErrors(() => bodyText(badUtf8)), [{ path: 'body', message: 'is not valid UTF-8' }]);
    assert.deepEqual(validationErrors(() => bodyJson(badUtf8)), [{ path: 'body', message: 'is not valid UTF-8' }]);
    assert.deepEqual(validationErrors(() => bodyJson(bytes('{"a":'))), [{ path: 'body', message: 'is not valid JSON' }]);
  });
});
