import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { resolveTime } from './time.js';

const NOW = new Date('2026-03-01T12:00:00.000Z');

describe('resolveTime', () => {
  it('resolves now and signed s/m/h/d offsets against the clock given', () => {
    assert.deepEqual(['now', 'NOW', '-15m', '+7d', '-30s', '+2h', '-1h30m', '+0m'].map((v) => resolveTime(v, NOW)), [
      '2026-03-01T12:00:00.000Z',
      '2026-03-01T12:00:00.000Z',
      '2026-03-01T11:45:00.000Z',
      '2026-03-08T12:00:00.000Z',
      '2026-03-01T11:59:30.000Z',
      '2026-03-01T14:00:00.000Z',
      '2026-03-01T10:30:00.000Z',
      '2026-03-01T12:00:00.000Z',
    ]);
  });

  it('passes an ISO-8601 date-time with a zone through as typed', () => {
    for (const v of ['2026-11-20T09:40:00Z', '2026-11-20T09:40Z', '2026-11-20T10:40:00.123+01:00']) assert.equal(resolveTime(v, NOW), v);
  });

  it('refuses anything else with one message', () => {
    for (const v of ['', 'yesterday', '15m', '-15', '-15w', '2026-11-20', '2026-11-20T09:40:00', '2026-13-45T99:00:00Z', `+${'9'.repeat(30)}d`]) {
      assert.throws(() => resolveTime(v, NOW), { message: 'expected an ISO-8601 date-time with a time zone, now, or a relative time such as -15m or +7d.' }, v);
    }
  });
});
