import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adapters } from '../store/test-adapters.js';
import { useCliServer } from './test-server.js';

// The server and the CLI share one fixed clock; the rotation is written relative to it, so nothing
// here depends on today's date.
const NOW = new Date('2026-03-01T12:00:00.000Z');
const DAY = 86_400_000;
/** payments' weekly rotation [ana, li, mo] started 8 days before NOW: li's week. */
const STARTS = new Date(NOW.getTime() - 8 * DAY).toISOString();

const CATALOG = `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout }
spec: { owner: payments, tier: 3 }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: search }
spec: { owner: web, tier: 3 }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: ledger }
spec: { owner: "user:jdoe", tier: 3 }
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: payments-api }
spec: { owner: payments, tier: 1 }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec:
  members: [ { name: ana }, { name: li }, { name: mo } ]
  onCall: { rotation: weekly, startsAt: "${STARTS}", order: [ana, li, mo] }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: web }
spec: { members: [ { name: bo } ] }
`;

const REASON = 'on call for payments (weekly rotation), which owns checkout';

for (const adapter of adapters()) {
  describe(`the suggested commander over HTTP and the CLI (${adapter.name})`, () => {
    const api = useCliServer(adapter, { now: NOW, catalog: CATALOG });
    const { fb } = api;
    const declare = async (body: Record<string, unknown>) => {
      const res = await api.t.call('POST', '/api/v1/incidents', { body: { title: 'Checkout fails', impact: 'Shoppers cannot pay', ...body } });
      assert.equal(res.statusCode, 201, res.body);
      return res.json() as { id: string; version: number; suggestedCommander: unknown; roles: { commander: string | null } };
    };
    const get = async (id: string) => (await api.t.call('GET', `/api/v1/incidents/${id}`)).json() as Awaited<ReturnType<typeof declare>>;

    it("declaring on a service answers the owning team's on-call person as suggested commander, on the timeline too", async () => {
      const inc = await declare({ services: ['search', 'checkout'] });
      const suggested = { person: 'li', team: 'payments', service: 'checkout', reason: REASON, at: NOW.toISOString() };
      assert.deepEqual([inc.suggestedCommander, inc.roles.commander], [suggested, null]);
      assert.deepEqual((await get(inc.id)).suggestedCommander, suggested);
      const timeline = (await api.t.call('GET', `/api/v1/incidents/${inc.id}/timeline`)).json() as { events: { type: string; actor: string; summary: string }[] };
      const entry = timeline.events.find((e) => e.type === 'CommanderSuggested');
      assert.deepEqual(entry && [entry.actor, entry.summary], ['firebreak', `li suggested as incident commander: ${REASON}`]);
    });

    it("a service a person owns suggests that person; a commander named at declaration, or no one on call, suggests no one", async () => {
      assert.deepEqual((await declare({ services: ['ledger'] })).suggestedCommander, {
        person: 'jdoe', team: null, service: 'ledger', reason: 'owns ledger', at: NOW.toISOString(),
      });
      assert.equal((await declare({ services: ['checkout'], commander: 'ana' })).suggestedCommander, null);
      assert.equal((await declare({ services: ['search'] })).suggestedCommander, null);
      assert.equal((await declare({})).suggestedCommander, null);
    });

    it('an incident an alert declares gets the suggestion too', async () => {
      const body = { dedupKey: 'api-5xx', status: 'firing', summary: 'payments-api answers 5xx', severity: 'critical', service: 'payments-api' };
      const res = await api.t.call('POST', '/api/v1/alerts', { as: 'ingest', body });
      assert.equal(res.statusCode, 202, res.body);
      const alert = (await api.t.call('GET', `/api/v1/alerts/${(res.json() as { items: { id: string }[] }).items[0]!.id}`)).json() as { incident: string };
      const inc = await get(alert.incident);
      assert.deepEqual(inc.suggestedCommander, {
        person: 'li', team: 'payments', service: 'payments-api', reason: 'on call for payments (weekly rotation), which owns payments-api', at: NOW.toISOString(),
      });
    });

    it('assign <id> commander --suggested makes the suggested person commander', async () => {
      const inc = await declare({ services: ['checkout'] });
      const shown = await fb(['show', inc.id]);
      assert.ok(shown.stdout.includes(`  suggested  commander li: ${REASON} (assign ${inc.id} commander --suggested)\n`), shown.stdout);
      const r = await fb(['assign', inc.id, 'commander', '--suggested']);
      assert.deepEqual([r.code, r.stderr, r.stdout], [0, '', `${inc.id}: li is commander  [investigating · no severity · v${inc.version + 1}]\n`]);
      const after = await get(inc.id);
      assert.deepEqual([after.roles.commander, after.version], ['li', inc.version + 1]);
      assert.ok(!(await fb(['show', inc.id])).stdout.includes('suggested'), 'not once someone commands');
    });

    it('with no one suggested, it says so on one line, exits 5 and assigns no one', async () => {
      const inc = await declare({ services: ['search'] });
      const r = await fb(['assign', inc.id, 'commander', '--suggested']);
      assert.deepEqual(
        [r.code, r.stdout, r.stderr],
        [5, '', `firebreak: ${inc.id} has no suggested commander: the catalog named no one on call for search when it was declared; name the person instead\n`],
      );
      const bare = await declare({});
      const none = await fb(['assign', bare.id, 'commander', '--suggested']);
      assert.deepEqual(
        [none.code, none.stderr],
        [5, `firebreak: ${bare.id} has no suggested commander: the catalog named no one on call for its services (none given) when it was declared; name the person instead\n`],
      );
      const after = await get(inc.id);
      assert.deepEqual([after.roles.commander, after.version], [null, inc.version]);
    });

    it('--suggested with a person, for another role, or neither, is a usage error and writes nothing', async () => {
      const inc = await declare({ services: ['checkout'] });
      const both = await fb(['assign', inc.id, 'commander', 'ana', '--suggested']);
      assert.deepEqual([both.code, both.stderr], [2, 'firebreak: give either <person> or --suggested, not both\n']);
      const role = await fb(['assign', inc.id, 'responder', '--suggested']);
      assert.deepEqual([role.code, role.stderr], [2, 'firebreak: --suggested names a commander only: use assign <id> commander --suggested\n']);
      const neither = await fb(['assign', inc.id, 'commander']);
      assert.deepEqual([neither.code, neither.stderr], [2, "firebreak: missing required argument 'person' (or --suggested for a commander)\n"]);
      assert.equal((await get(inc.id)).version, inc.version);
    });

    it('assign with a person still works as before', async () => {
      const inc = await declare({ services: ['checkout'] });
      const r = await fb(['assign', inc.id, 'responder', 'bo']);
      assert.deepEqual([r.code, r.stdout], [0, `${inc.id}: bo is responder  [investigating · no severity · v${inc.version + 1}]\n`]);
    });
  });
}
