import type { Store } from '../service/ports.js';
import { useTestApp, type TestApp } from './test-app.js';

/** What the kit needs of a store/test-adapters.ts adapter (which src/http may not import). */
export interface EngineAdapter {
  name: 'sqlite' | 'postgres';
  create(opened?: (location: string) => void): Promise<Store>;
}

/** One way of running the alert endpoints: an engine, in-process or with the alert worker thread. */
export interface AlertVariant {
  name: string;
  adapter: EngineAdapter;
  worker: boolean;
}

/** Every engine in-process, and once more with alerts parsed and committed on the worker thread that main.ts starts. */
export const alertVariants = (adapters: readonly EngineAdapter[]): AlertVariant[] =>
  adapters.flatMap((adapter) => [
    { name: adapter.name, adapter, worker: false },
    { name: `${adapter.name}, alert worker thread`, adapter, worker: true },
  ]);

/** useTestApp for one variant, its clock fixed at `now`: a fresh store and app, handed over by `set`. */
export function useAlertTestApp({ adapter, worker }: AlertVariant, now: string, set: (store: Store, t: TestApp) => void): void {
  let location = '';
  useTestApp(
    () => adapter.create((l) => (location = l)),
    set,
    () => ({
      clock: { now: () => now },
      ...(worker && { alertWorker: adapter.name === 'sqlite' ? { engine: 'sqlite', path: location } : { engine: 'postgres', url: location } }),
    }),
  );
}

/** How many alerts the store holds. */
export const alertCount = async (store: Store) => (await store.listAlerts({ limit: 10_000 })).length;

/** The types of an incident's timeline events, in order. */
export const timelineTypes = async (t: TestApp, id: string) =>
  ((await t.call('GET', `/api/v1/incidents/${id}/timeline`)).json() as { events: { type: string }[] }).events.map((e) => e.type);
