import type { Maintenance, MaintenanceStatus } from './types.js';

/**
 * Where a maintenance stands at `now`: scheduled before it starts, in progress from its start until
 * (not including) its end, completed from its end. Cancellation is not a status: a cancelled
 * maintenance keeps its times and is simply not shown.
 */
export function maintenanceStatus(m: Maintenance, now: string): MaintenanceStatus {
  const t = Date.parse(now);
  if (t < Date.parse(m.startsAt)) return 'scheduled';
  if (t < Date.parse(m.endsAt)) return 'in_progress';
  return 'completed';
}
