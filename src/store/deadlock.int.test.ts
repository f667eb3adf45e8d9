import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { isFirebreakError } from '../domain/errors.js';
import { decide } from '../domain/incident/decide.js';
import { apply, initialIncident } from '../domain/incident/state.js';
import type { Store, StoreTx } from '../service/ports.js';
import { adapters } from './test-adapters.js';

const NOW = '2026-03-01T10:00:00.000Z';

async function declareIn(tx: StoreTx) {
  const number = await tx.nextIncidentNumber();
  const initial = initialIncident(number);
  const events = decide({ type: 'DeclareIncident', actor: 'ana', number, title: 'Checkout fails', impact: 'Errors', services: ['checkout'] }, initial, NOW);
  await tx.append(number, events, 0, events.reduce(apply, initial));
  return number;
}

// SQLite runs one write transaction at a time, so only PostgreSQL's writers can lock rows in opposite orders.
for (const adapter of adapters().filter((a) => a.name === 'postgres')) {
  describe(`two writers locking incidents in opposite orders (${adapter.name})`, () => {
    let store: Store;
    before(async () => {
      store = await adapter.create();
    });
    after(() => store.close());

    it('ends one of them as a conflict, which the caller may retry, and lets the other commit', async () => {
      const [a, b] = await store.transaction(async (tx) => [await declareIn(tx), await declareIn(tx)]);
      let arrived = 0;
      let bothHold!: () => void;
      const holding = new Promise<void>((resolve) => (bothHold = resolve));
      const crosswise = (first: number, second: number) =>
        store.transaction(async (tx) => {
          await tx.loadIncident(first);
          if (++arrived === 2) bothHold();
          await holding;
          await tx.loadIncident(second);
          return 'committed';
        });
      const outcomes = await Promise.allSettled([crosswise(a, b), crosswise(b, a)]);
      const committed = outcomes.filter((o) => o.status === 'fulfilled');
      const ended = outcomes.flatMap((o) => (o.status === 'rejected' ? [o.reason as unknown] : []));
      assert.equal(committed.length, 1);
      assert.equal(ended.length, 1);
      assert.ok(isFirebreakError(ended[0], 'conflict'), String(ended[0]));
      assert.equal((ended[0] as Error).message, 'The database ended this transaction to break a deadlock; it can be retried.');
    });
  });
}
