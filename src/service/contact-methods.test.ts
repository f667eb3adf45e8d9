import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { hashVerificationCode, maskAddress, maskNumber, newVerificationCode } from './contact-methods.js';

describe('verification codes', () => {
  it('are six digits, zero-padded, from the random source given', () => {
    assert.equal(newVerificationCode(() => 42), '000042');
    assert.equal(newVerificationCode(() => 999_999), '999999');
    let max = 0;
    newVerificationCode((m) => ((max = m), 0));
    assert.equal(max, 1_000_000);
    for (let i = 0; i < 50; i++) assert.match(newVerificationCode(), /^\d{6}$/);
  });

  it('are stored as a hash that depends on the method', () => {
    assert.match(hashVerificationCode('m1', '123456'), /^[0-9a-f]{64}$/);
    assert.notEqual(hashVerificationCode('m1', '123456'), hashVerificationCode('m2', '123456'));
    assert.equal(hashVerificationCode('m1', '123456'), hashVerificationCode('m1', '123456'));
  });
});

describe('masked destinations', () => {
  it('keep the first letter and domain of an address, and the last four digits of a number', () => {
    assert.equal(maskAddress('ana.private@example.org'), 'a***@example.org');
    assert.equal(maskNumber('+4915123456789'), '***6789');
  });
});
