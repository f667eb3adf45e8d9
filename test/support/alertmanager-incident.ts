import type { AlertInfo, TimelinePage } from '../../src/client/index.js';
import type { AlertmanagerProcess, PostableAlert } from './alertmanager.js';
import { eventually, type jsonApi } from './http-json.js';

/** How long an end-to-end test waits for Alertmanager to notify and Firebreak to act on it. */
export const E2E_WAIT_MS = 15_000;

/** A real Alertmanager notifying a Firebreak server: what the steps below drive and read. */
export interface AlertmanagerRun {
  am: AlertmanagerProcess;
  /** jsonApi against the Firebreak server, as admin. */
  call: ReturnType<typeof jsonApi>;
  /** What both processes said, for a timeout's message. */
  diagnostics: () => string;
}

/** Posts `alert` (firing) to Alertmanager, then waits until `alertNow` reads it linked to an incident. */
export async function fireUntilIncident(
  { am, diagnostics }: AlertmanagerRun,
  alert: PostableAlert,
  alertNow: () => Promise<AlertInfo | undefined>,
): Promise<AlertInfo> {
  await am.postAlerts([alert]);
  return eventually('the alert linked to an incident', async () => {
    const a = await alertNow();
    return a?.incident ? a : undefined;
  }, E2E_WAIT_MS, diagnostics);
}

/** Posts `alert` (resolved: with its endsAt) to Alertmanager, then waits for AlertsCleared on the incident's timeline. */
export async function resolveUntilCleared({ am, call, diagnostics }: AlertmanagerRun, alert: PostableAlert, incidentId: string): Promise<TimelinePage> {
  await am.postAlerts([alert]);
  return eventually('AlertsCleared on the timeline', async () => {
    const r = await call<TimelinePage>('GET', `/api/v1/incidents/${incidentId}/timeline`);
    return r.body.events.some((e) => e.type === 'AlertsCleared') ? r.body : undefined;
  }, E2E_WAIT_MS, diagnostics);
}
