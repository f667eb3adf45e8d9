import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { maintenanceStatus } from './maintenance.js';
import type { Maintenance } from './types.js';

const m: Maintenance = {
  id: 'm1',
  title: 'Database upgrade',
  body: '',
  components: ['checkout'],
  startsAt: '2026-03-01T10:00:00.000Z',
  endsAt: '2026-03-01T12:00:00.000Z',
  createdAt: '2026-02-28T09:00:00.000Z',
  createdBy: 'ana',
  cancelledAt: null,
};

describe('maintenanceStatus', () => {
  it('is scheduled before the start, in progress from the start until the end, completed from the end', () => {
    assert.equal(maintenanceStatus(m, '2026-03-01T09:59:59.999Z'), 'scheduled');
    assert.equal(maintenanceStatus(m, '2026-03-01T10:00:00.000Z'), 'in_progress');
    assert.equal(maintenanceStatus(m, '2026-03-01T11:59:59.999Z'), 'in_progress');
    assert.equal(maintenanceStatus(m, '2026-03-01T12:00:00.000Z'), 'completed');
    assert.equal(maintenanceStatus(m, '2026-03-02T00:00:00.000Z'), 'completed');
  });

  it('compares instants, not strings: times written with another offset', () => {
    const offset = { ...m, startsAt: '2026-03-01T11:00:00+01:00', endsAt: '2026-03-01T13:00:00+01:00' };
    assert.equal(maintenanceStatus(offset, '2026-03-01T09:30:00.000Z'), 'scheduled');
    assert.equal(maintenanceStatus(offset, '2026-03-01T10:00:00.000Z'), 'in_progress');
    assert.equal(maintenanceStatus(offset, '2026-03-01T12:00:00.000Z'), 'completed');
  });

  it('ignores cancellation: a cancelled maintenance keeps the status its times give', () => {
    assert.equal(maintenanceStatus({ ...m, cancelledAt: '2026-03-01T09:00:00.000Z' }, '2026-03-01T11:00:00.000Z'), 'in_progress');
  });
});
