import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classifyAddress, isAllowed } from './classify.js';

describe('classifyAddress', () => {
  const refused: [string, string][] = [
    ['10.0.0.5', 'private address'],
    ['172.16.3.4', 'private address'],
    ['192.168.1.1', 'private address'],
    ['127.0.0.1', 'loopback address'],
    ['127.255.0.9', 'loopback address'],
    ['169.254.10.1', 'link-local address'],
    ['169.254.169.254', 'link-local/cloud metadata address'],
    ['100.64.0.1', 'carrier-grade NAT (CGNAT) address'],
    ['100.100.100.200', 'carrier-grade NAT (CGNAT)/cloud metadata address'],
    ['224.0.0.251', 'multicast address'],
    ['239.1.2.3', 'multicast address'],
    ['255.255.255.255', 'broadcast address'],
    ['0.0.0.0', 'unspecified address'],
    ['240.0.0.1', 'reserved address'],
    ['::', 'unspecified address'],
    ['::1', 'loopback address'],
    ['fe80::1', 'link-local address'],
    ['fc00::1', 'unique-local (private) address'],
    ['fd00:ec2::254', 'unique-local (private)/cloud metadata address'],
    ['ff02::1', 'multicast address'],
    ['64:ff9b::a00:5', 'special-purpose (rfc6052) address'],
    ['2002:a00:5::1', 'special-purpose (6to4) address'],
  ];
  for (const [address, why] of refused) {
    it(`refuses ${address}: ${why}`, () => {
      assert.equal(classifyAddress(address).refusal, why);
    });
  }

  it('judges an IPv4-mapped IPv6 address as the IPv4 address it carries, in either spelling', () => {
    assert.deepEqual(classifyAddress('::ffff:127.0.0.1'), { address: '127.0.0.1', range: 'loopback', refusal: 'loopback address' });
    assert.deepEqual(classifyAddress('[::ffff:127.0.0.1]'), { address: '127.0.0.1', range: 'loopback', refusal: 'loopback address' });
    assert.equal(classifyAddress('::ffff:a9fe:a9fe').refusal, 'link-local/cloud metadata address');
    assert.equal(classifyAddress('::ffff:10.0.0.5').refusal, 'private address');
    assert.equal(classifyAddress('::ffff:0.0.0.0').refusal, 'unspecified address');
    assert.equal(classifyAddress('::ffff:8.8.8.8').refusal, null);
  });

  it('passes public unicast addresses', () => {
    for (const a of ['8.8.8.8', '1.1.1.1', '100.128.0.1', '172.32.0.1', '2606:4700:4700::1111', '2a00:1450::1']) {
      assert.equal(classifyAddress(a).refusal, null, a);
    }
  });

  it('refuses what is not an IP address', () => {
    assert.equal(classifyAddress('example.com').refusal, 'not an IP address');
  });
});

describe('isAllowed', () => {
  it('matches the host as named, without case, brackets, a trailing dot or IPv6 spelling differences', () => {
    const allow = ['hooks.internal', '127.0.0.1', '::1'];
    assert.equal(isAllowed('HOOKS.internal.', allow), true);
    assert.equal(isAllowed('127.0.0.1', allow), true);
    assert.equal(isAllowed('[0:0::1]', allow), true);
    assert.equal(isAllowed('other.internal', allow), false);
  });

  it('does not extend an allowed IPv4 address to its IPv4-mapped spelling or to other names', () => {
    assert.equal(isAllowed('::ffff:127.0.0.1', ['127.0.0.1']), false);
    assert.equal(isAllowed('localhost', ['127.0.0.1']), false);
    assert.equal(isAllowed('sub.hooks.internal', ['hooks.internal']), false);
  });
});
