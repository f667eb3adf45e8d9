import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EXAMPLE_CATALOG_YAML } from '../domain/catalog/catalog.fixture.js';
import type { StoredEvent } from '../domain/incident/events.js';
import type { Notification } from '../domain/notifications/types.js';
import { createEgress } from '../egress/index.js';
import { adapters } from '../store/test-adapters.js';
import { applyCatalog } from './catalog.js';
import type { ServiceDeps } from './deps.js';
import { declareIncident, executeCommand, type CommandInput } from './execute-command.js';
import { appendDraft, applyTo, draftOf } from './incident-log.js';
import type { Store } from './ports.js';
import { timerRunner } from './timers.js';

const T0 = Date.parse('2026-03-02T09:00:00.000Z');
const min = (n: number) => new Date(T0 + n * 60_000).toISOString();
const silent = { info() {}, warn() {}, error() {} };

/** Service deps over `store` with a clock the test moves (`clock.set(min(n))`); never the wall clock. */
function depsOf(store: Store) {
  let now = min(0);
  let n = 0;
  const deps: ServiceDeps = {
    store,
    clock: { now: () => now },
    ids: { next: () => `id-${++n}-${Math.random().toString(36).slice(2, 8)}` },
    log: silent,
    egress: createEgress({ allow: [] }),
  };
  return { deps, at: (iso: string) => (now = iso) };
}

async function fired(store: Store, number: number): Promise<StoredEvent[]> {
  const events = await store.readEvents(number, { limit: 1_000 });
  return events.filter((e) => e.type === 'TimerFired');
}

async function sequentially<T>(jobs: (() => Promise<T>)[]): Promise<T[]> {
  const out: T[] = [];
  for (const job of jobs) out.push(await job());
  return out;
}

const declareSev1 = (deps: ServiceDeps, extra: object = {}) =>
  declareIncident(deps, 'ana', {
    title: 'Checkout fails',
    impact: 'Shoppers cannot pay',
    impactConfirmed: true,
    services: ['checkout'],
    severity: 'SEV1',
    severityReason: 'a third of checkouts fail',
    ...extra,
  });

const command = (deps: ServiceDeps, number: number, input: CommandInput, actor = 'ana') =>
  executeCommand(deps, number, actor, input);

for (const adapter of adapters()) {
  describe(`timers (${adapter.name})`, () => {
    describe('one store', () => {
      let store: Store;
      before(async () => (store = await adapter.create()));
      after(() => store.close());

      it('fires each kind once, with its message, and re-arms the update cadence', async () => {
        const { deps, at } = depsOf(store);
        await applyCatalog(deps, { text: EXAMPLE_CATALOG_YAML, format: 'yaml' }, 'admin');
        at(min(0));
        const { incident } = await declareSev1(deps);
        const n = incident.number;
        const runner = timerRunner(deps);
        assert.deepEqual(await runner.runOnce(min(4)), { fired: 0, cancelled: 0 });
        assert.deepEqual(await runner.runOnce(min(5)), { fired: 1, cancelled: 0 });
        assert.deepEqual(await runner.runOnce(min(10)), { fired: 1, cancelled: 0 });
        assert.deepEqual(await runner.runOnce(min(15)), { fired: 1, cancelled: 0 });
        assert.deepEqual(await runner.runOnce(min(15)), { fired: 0, cancelled: 0 });
        const [ack, lead, contain] = await fired(store, n);
        assert.deepEqual(ack?.data, {
          kind: 'ack',
          timerId: `INC-${n}.ack.${ack?.type === 'TimerFired' ? ack.data.timerId.split('.').at(-1) : ''}`,
          dueAt: min(5),
          message: `No incident commander on INC-${n} (SEV1) 5 min after it was declared: the acknowledgement target is 5 min. Take command or assign a commander.`,
        });
        assert.equal(ack?.actor, 'firebreak');
        assert.equal(ack?.at, min(5));
        assert.equal(lead?.type === 'TimerFired' && lead.data.message, `INC-${n} (SEV1) has no communications lead: assign one so updates keep going out.`);
        assert.ok(contain?.type === 'TimerFired');
        assert.equal(
          contain.data.message,
          `INC-${n} (SEV1) has no mitigation 15 min after it was declared with impact confirmed: contain first, find the cause later. Levers available, fail-closed first: "rollback" on checkout (rollback, fail-closed); "disable-new-pricing" on checkout (feature-flag, fail-closed).`,
        );
        assert.deepEqual(contain.data.levers, [
          { service: 'checkout', name: 'rollback', kind: 'rollback', failClosed: true, type: 'webhook' },
          { service: 'checkout', name: 'disable-new-pricing', kind: 'feature-flag', failClosed: true, type: 'manual' },
        ]);

        // Each firing is a notification message too (the outbox's hook in appendDraft), the levers by name.
        const messages = (await store.unroutedMessages(100)).filter((m) => m.incident === n && m.message.event === 'TimerFired');
        assert.deepEqual(
          messages.map((m) => m.message as Notification).map((m) => [m.summary, m.fields.find((f) => f.label === 'Levers')?.value ?? null]),
          [
            [ack.type === 'TimerFired' && ack.data.message, null],
            [lead?.type === 'TimerFired' && lead.data.message, null],
            [contain.data.message, 'rollback (checkout), disable-new-pricing (checkout)'],
          ],
        );

        // The update cadence: armed by the comms plan, re-armed by an update and by each firing.
        at(min(20));
        await command(deps, n, { type: 'AssignRole', role: 'comms', person: 'li' });
        await command(deps, n, { type: 'SetCommsPlan', channel: '#inc', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'any' });
        at(min(35));
        await command(deps, n, { type: 'PostUpdate', audience: 'internal', body: 'Rolling back' }, 'li');
        assert.deepEqual(await runner.runOnce(min(50)), { fired: 0, cancelled: 0 });
        assert.deepEqual(await runner.runOnce(min(65)), { fired: 1, cancelled: 0 });
        const cadence = (await fired(store, n)).at(-1);
        assert.equal(
          cadence?.type === 'TimerFired' && cadence.data.message,
          `Status update due on INC-${n}: the last one went out 30 min ago and the cadence is 30 min. li, post an update.`,
        );
        const next = await store.nextTimer(n);
        assert.deepEqual([next?.kind, next?.dueAt], ['update_cadence', min(95)]);
        const listed = await store.listTimers(n);
        assert.deepEqual(
          listed.map((t) => [t.kind, t.state]),
          [
            ['ack', 'fired'],
            ['comms_lead', 'fired'],
            ['contain_first', 'fired'],
            ['update_cadence', 'cancelled'],
            ['update_cadence', 'fired'],
            ['update_cadence', 'scheduled'],
          ],
        );
      });

      it('fires the postmortem and action-item deadlines, and cancels them when met', async () => {
        const { deps, at } = depsOf(store);
        at(min(0));
        const { incident } = await declareSev1(deps, { severity: 'SEV3', commander: 'ana' });
        const n = incident.number;
        // Resolution and an action item, appended as events through a draft (the gates are not under test).
        await store.transaction(async (tx) => {
          const loaded = await tx.loadIncident(n);
          const draft = draftOf(n, loaded!);
          const e = { at: min(60), actor: 'ana' };
          applyTo(draft, [
            { ...e, type: 'MitigationDecided', data: { id: 'M1', kind: 'rollback', action: 'Roll back', rationale: 'v42', failClosed: true, execute: false } },
            { ...e, type: 'StatusChanged', data: { from: 'investigating', to: 'resolved' } },
            { ...e, type: 'ActionItemAdded', data: { id: `INC-${n}-A1`, title: 'Add a canary', owner: 'li', dueAt: min(24 * 60), priority: 'P1' } },
            { ...e, type: 'ActionItemAdded', data: { id: `INC-${n}-A2`, title: 'Fix the schema', owner: 'li', dueAt: min(24 * 60), priority: 'P2' } },
          ]);
          await appendDraft(tx, draft);
        });
        await command(deps, n, { type: 'ChangeActionItemStatus', actionId: `INC-${n}-A2`, status: 'done' });
        const runner = timerRunner(deps);
        // (The store holds the first test's incident too: only this incident's firings are checked.)
        for (const due of [24 * 60, 60 + 48 * 60, 60 + 72 * 60]) await runner.runOnce(min(due));
        const messages = (await fired(store, n)).map((e) => (e.type === 'TimerFired' ? [e.data.kind, e.data.message] : []));
        assert.deepEqual(messages, [
          ['action_due', `Action INC-${n}-A1 "Add a canary" (P1, owner li) is past its due date and still open.`],
          ['postmortem_due', `The postmortem of INC-${n} is due: it was resolved 2 d ago and no postmortem is written.`],
          ['postmortem_overdue', `The postmortem of INC-${n} is overdue by 1 d and no postmortem is written: finish the review and publish it, then close the incident.`],
        ]);
      });

      it('does not fire a timer whose condition was met meanwhile', async () => {
        const { deps, at } = depsOf(store);
        at(min(0));
        const { incident } = await declareSev1(deps);
        const n = incident.number;
        at(min(2));
        await command(deps, n, { type: 'AssignRole', role: 'commander', person: 'ana' });
        const ack = (await store.listTimers(n)).find((t) => t.kind === 'ack');
        assert.deepEqual([ack?.state, ack?.cancelledAt], ['cancelled', min(2)]);
        // A write that bypassed scheduling: the runner re-checks the condition on the current state.
        await store.transaction(async (tx) => {
          const loaded = await tx.loadIncident(n);
          const draft = draftOf(n, loaded!);
          applyTo(draft, [{ at: min(3), actor: 'li', type: 'RoleAssigned', data: { role: 'comms', person: 'li' } }]);
          await tx.append(n, draft.events, draft.baseVersion, draft.state);
        });
        const runner = timerRunner(deps);
        assert.deepEqual(await runner.runOnce(min(12)), { fired: 0, cancelled: 1 });
        assert.deepEqual(await fired(store, n), []);
        const lead = (await store.listTimers(n)).find((t) => t.kind === 'comms_lead');
        assert.deepEqual([lead?.state, lead?.firedAt, lead?.cancelledAt], ['cancelled', null, min(12)]);
      });
    });

    it('fires once after a restart between scheduling and firing', async () => {
      const db = await adapter.database();
      try {
        const first = await db.open();
        await first.migrate();
        const a = depsOf(first);
        const { incident } = await declareSev1(a.deps, { severity: 'SEV2' });
        await first.close();

        const second = await db.open();
        try {
          const b = depsOf(second);
          const runner = timerRunner(b.deps);
          assert.deepEqual(await runner.runOnce(min(30)), { fired: 3, cancelled: 0 });
          assert.deepEqual(await runner.runOnce(min(30)), { fired: 0, cancelled: 0 });
          assert.deepEqual(
            (await fired(second, incident.number)).map((e) => e.type === 'TimerFired' && e.data.kind),
            ['ack', 'comms_lead', 'contain_first'],
          );
        } finally {
          await second.close();
        }
      } finally {
        await db.drop();
      }
    });

    it('fires each timer once with two runners on one database, and takes over an expired claim', async () => {
      const db = await adapter.database();
      const one = await db.open();
      const two = await db.open();
      try {
        await one.migrate();
        const a = depsOf(one);
        const numbers: number[] = [];
        for (let i = 0; i < 12; i++) numbers.push((await declareSev1(a.deps, { severity: 'SEV4', impactConfirmed: false })).incident.number);
        const b = depsOf(two);
        const runners = [timerRunner(a.deps, { batch: 3 }), timerRunner(b.deps, { batch: 3 })];
        // PostgreSQL: all four rounds at once. SQLite has one runner per file (the one process): two
        // stores in one process would block each other's writer, so there the rounds take turns.
        const rounds = [...runners, ...runners].map((r) => () => r.runOnce(min(24 * 60)));
        const results =
          adapter.name === 'postgres' ? await Promise.all(rounds.map((round) => round())) : await sequentially(rounds);
        assert.equal(results.reduce((sum, r) => sum + r.fired, 0), 12);
        for (const n of numbers) assert.equal((await fired(one, n)).length, 1, `INC-${n}`);

        // A runner that claimed and died: its lease expires and another runner fires the timer, once.
        const { incident } = await declareSev1(a.deps, { severity: 'SEV4', impactConfirmed: false });
        const claimed = await one.transaction((tx) =>
          tx.claimTimers({ now: min(24 * 60), until: min(24 * 60 + 1), owner: 'crashed', limit: 10 }),
        );
        assert.deepEqual(claimed.map((t) => [t.incident, t.kind, t.leaseOwner, t.attempts]), [[incident.number, 'ack', 'crashed', 1]]);
        assert.deepEqual(await runners[1]!.runOnce(min(24 * 60)), { fired: 0, cancelled: 0 });
        assert.deepEqual(await runners[1]!.runOnce(min(24 * 60 + 1)), { fired: 1, cancelled: 0 });
        assert.deepEqual(await runners[0]!.runOnce(min(24 * 60 + 5)), { fired: 0, cancelled: 0 });
        assert.equal((await fired(two, incident.number)).length, 1);
      } finally {
        await one.close();
        await two.close();
        await db.drop();
      }
    });
  });
}
