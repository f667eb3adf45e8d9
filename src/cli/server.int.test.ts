import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { adapters } from '../store/test-adapters.js';
import { useCliServer } from './test-server.js';

// The server and the CLI share one fixed clock: nothing here depends on today's date.
const NOW = new Date('2026-03-01T12:00:00.000Z');

/** Tier 3 services: their alerts are routed, never auto-declared. */
const CATALOG = ['payments', 'search']
  .map((name) => `apiVersion: firebreak/v1\nkind: Service\nmetadata: { name: ${name} }\nspec: { owner: web, tier: 3 }\n`)
  .concat('apiVersion: firebreak/v1\nkind: Team\nmetadata: { name: web }\nspec: { members: [ { name: ana } ] }\n')
  .join('---\n');

// The CLI in-process against a real app on a real store: the server's own words, not scripted answers.
for (const adapter of adapters()) {
  describe(`firebreak CLI against the real API (${adapter.name})`, () => {
    const api = useCliServer(adapter, { now: NOW, catalog: CATALOG });
    const { fb } = api;
    const ok = async (argv: string[]) => {
      const r = await fb(argv);
      assert.equal(r.code, 0, `firebreak ${argv.join(' ')}: ${r.stderr}`);
      return r;
    };
    const fire = async (dedupKey: string, extra: Record<string, unknown> = {}) => {
      const body = { dedupKey, status: 'firing', summary: `${dedupKey} is failing`, severity: 'warning', service: 'search', ...extra };
      const res = await api.t.call('POST', '/api/v1/alerts', { as: 'ingest', body });
      assert.equal(res.statusCode, 202, res.body);
      return (res.json() as { items: { id: string }[] }).items[0]!.id;
    };
    const alertOf = async (id: string) => (await api.t.call('GET', `/api/v1/alerts/${id}`)).json() as { incident: string | null };

    it('a validation error names the flag the user typed, never the API field', async () => {
      const r = await fb(['declare', 'Checkout fails', '--impact', 'Checkout answers 500', '--severity', 'SEV2']);
      assert.equal(r.code, 3);
      assert.equal(r.stdout, '');
      assert.equal(r.stderr, 'firebreak: The request is not valid: --reason a severity needs a reason (or --fact)\n');

      const inc = JSON.parse((await ok(['declare', 'Search is slow', '--impact', 'Search takes 10 s', '--json'])).stdout) as { id: string };
      const title = await fb(['evidence', inc.id, 'log', '']);
      assert.deepEqual([title.code, title.stderr], [3, 'firebreak: The request is not valid: <title> must not be empty\n']);
      const cadence = await fb(['comms', inc.id, '--channel', '#inc', '--decision-owner', 'ana', '--cadence', '1', '--external-trigger', 'x']);
      assert.deepEqual([cadence.code, cadence.stderr], [3, 'firebreak: The request is not valid: --cadence must be at least 5\n']);
    });

    it('a time flag the server refuses is named as the user typed it', async () => {
      const r = await fb(['declare', 'Checkout fails', '--impact', 'Checkout answers 500', '--started-at', '+1h']);
      assert.deepEqual([r.code, r.stderr], [3, 'firebreak: The request is not valid: --started-at must not be in the future\n']);
      const started = await fb(['declare', 'Checkout fails', '--impact', 'Checkout answers 500', '--started-at', '-15m', '--detected-at=-5m', '--json']);
      assert.equal(started.code, 0, started.stderr);
      const inc = JSON.parse(started.stdout) as { milestones: { startedAt: string; detectedAt: string } };
      assert.equal(inc.milestones.startedAt, '2026-03-01T11:45:00.000Z');
      assert.equal(inc.milestones.detectedAt, '2026-03-01T11:55:00.000Z');
    });

    it("a refused gate's hints name --alerts-override and --no-guardrails", async () => {
      const inc = JSON.parse((await ok(['declare', 'Ledger drops writes', '--impact', 'Writes fail', '--json'])).stdout) as { id: string };
      await ok(['alerts', 'attach', await fire('gate-1'), inc.id]);
      const r = await fb(['status', inc.id, 'resolved']);
      assert.equal(r.code, 7);
      assert.equal(r.stdout, '');
      const lines = r.stderr.trimEnd().split('\n');
      assert.match(lines[0]!, new RegExp(`^firebreak: ${inc.id} cannot move to resolved yet: .*alerts_firing, guardrails_unreviewed$`));
      assert.ok(lines.includes('  alerts_firing: 1 linked alert(s) still firing: wait for them to clear or give --alerts-override with a reason.'), r.stderr);
      assert.ok(lines.includes('  guardrails_unreviewed: Review guardrails: add each temporary guardrail, or say there are none (--no-guardrails).'), r.stderr);
      assert.ok(!/alertsOverride|noGuardrails/.test(r.stderr), r.stderr);
    });

    it('alerts ls filters by status, service and incident; --json is the page', async () => {
      const id = await fire('ls-1', { service: 'payments' });
      await fire('ls-2', { service: 'payments' });
      await fire('ls-2', { service: 'payments', status: 'resolved' });
      const json = await ok(['alerts', 'ls', '--status', 'firing', '--service', 'payments', '--json']);
      const page = JSON.parse(json.stdout) as { items: { id: string; status: string }[]; nextCursor: string | null };
      assert.deepEqual(page.items.map((a) => [a.id, a.status]), [[id, 'firing']]);
      assert.equal(page.nextCursor, null);

      const table = await ok(['alerts', 'ls', '--service', 'payments', '--inbox']);
      const rows = table.stdout.trimEnd().split('\n');
      assert.match(rows[0]!, /^ID\s+SEVERITY\s+STATUS\s+SERVICE\s+INCIDENT\s+FIRED\s+SINCE\s+SUMMARY$/);
      assert.equal(rows.length, 3, table.stdout);
      assert.match(rows[1]!, /\s+warning\s+resolved\s+payments\s+-\s+1×\s+0s\s+ls-2 is failing$/);
      assert.match(rows[2]!, new RegExp(`^${id}\\s+warning\\s+firing\\s+payments\\s+-\\s+1×\\s+0s\\s+ls-1 is failing$`));

      const bad = await fb(['alerts', 'ls', '--status', 'burning']);
      assert.deepEqual([bad.code, bad.stderr], [2, "firebreak: option '--status <status>' argument 'burning' is invalid. Allowed choices are firing, resolved.\n"]);
      const limit = await fb(['alerts', 'ls', '--limit', '501']);
      assert.deepEqual([limit.code, limit.stderr], [3, 'firebreak: The request is not valid: --limit must be at most 500\n']);
    });

    it('alerts show prints one alert; an unknown one exits 5', async () => {
      const id = await fire('show-1', { labels: { app: 'search', region: 'eu' }, generatorURL: 'https://prom.example/graph' });
      const r = await ok(['alerts', 'show', id]);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines[0], `${id}  show-1 is failing`);
      assert.ok(lines.includes('  status    firing'), r.stdout);
      assert.ok(lines.includes('  service   search'), r.stdout);
      const stray = await fire('show-2', { service: 'nowhere' });
      assert.ok((await ok(['alerts', 'show', stray])).stdout.includes('\n  service   unrouted (sent as nowhere)\n'));
      assert.ok(lines.includes(`  incident  none (attach: firebreak alerts attach ${id} <incident>; or declare --from-alert ${id})`), r.stdout);
      assert.ok(lines.includes('  labels    app=search, region=eu'), r.stdout);
      assert.ok(lines.includes('  link      https://prom.example/graph'), r.stdout);
      assert.equal(JSON.parse((await ok(['alerts', 'show', id, '--json'])).stdout).dedupKey, 'show-1');

      const missing = await fb(['alerts', 'show', 'nope']);
      assert.deepEqual([missing.code, missing.stdout, missing.stderr], [5, '', 'firebreak: Alert nope does not exist\n']);
    });

    it('alerts attach links an inbox alert; refusals change nothing and exit 5, 7 or 6', async () => {
      const inc = JSON.parse((await ok(['declare', 'Orders stall', '--impact', 'Orders wait', '--json'])).stdout) as { id: string };
      const id = await fire('attach-1');
      const r = await ok(['alerts', 'attach', id, inc.id]);
      assert.match(r.stdout, new RegExp(`^${inc.id}: alert ${id} attached  \\[investigating · no severity · v\\d+\\]\\n$`));
      assert.equal((await alertOf(id)).incident, inc.id);
      const linked = JSON.parse((await ok(['alerts', 'ls', '--incident', inc.id, '--json'])).stdout) as { items: { id: string }[] };
      assert.deepEqual(linked.items.map((a) => a.id), [id]);

      const unknown = await fb(['alerts', 'attach', 'nope', inc.id]);
      assert.deepEqual([unknown.code, unknown.stdout, unknown.stderr], [5, '', 'firebreak: Alert nope does not exist\n']);

      const closed = JSON.parse((await ok(['declare', 'False alarm', '--impact', 'None', '--json'])).stdout) as { id: string };
      await ok(['status', closed.id, 'cancelled', '--reason', 'false alarm']);
      const waiting = await fire('attach-2');
      const refused = await fb(['alerts', 'attach', waiting, closed.id]);
      assert.equal(refused.code, 7);
      assert.equal(refused.stdout, '');
      assert.equal(
        refused.stderr,
        `firebreak: ${closed.id} is cancelled: incident_not_open\n  incident_not_open: Alerts are attached to investigating or mitigated incidents only.\n`,
      );
      assert.equal((await alertOf(waiting)).incident, null);

      const other = JSON.parse((await ok(['declare', 'Orders stall again', '--impact', 'Orders wait', '--json'])).stdout) as { id: string };
      const taken = await fb(['alerts', 'attach', id, other.id]);
      assert.deepEqual([taken.code, taken.stderr], [6, `firebreak: Alert ${id} is linked to ${inc.id}, which is still open\n`]);
      assert.equal((await alertOf(id)).incident, inc.id);

      const viewer = await fb(['alerts', 'attach', waiting, inc.id], 'viewer');
      assert.equal(viewer.code, 4);
      assert.equal((await alertOf(waiting)).incident, null);
    });

    it('declare --from-alert takes the title and service from the alert, links the alert and records a note', async () => {
      const id = await fire('declare-1', { service: 'search', summary: 'Search 5xx at 20%' });
      const r = await ok(['declare', '--from-alert', id, '--impact', 'Search fails for a fifth of users', '--json']);
      const inc = JSON.parse(r.stdout) as { id: string; title: string; services: string[]; noteCount: number; alertCounts: { total: number } };
      assert.equal(inc.title, '[search] Search 5xx at 20%');
      assert.deepEqual(inc.services, ['search']);
      assert.equal(inc.noteCount, 1);
      assert.equal(inc.alertCounts.total, 1);
      assert.equal((await alertOf(id)).incident, inc.id);
      const other = await fire('declare-2', { service: 'search', summary: 'Search p95 at 3s' });
      const human = await ok(['declare', 'Search down', '--from-alert', other, '--impact', 'x', '--no-alert-note']);
      assert.match(human.stdout, new RegExp(`: declared "Search down" from alert ${other}  \\[investigating · no severity · v\\d+\\]\\n$`));
      const taken = await ok(['declare', 'Search again', '--from-alert', id, '--impact', 'x', '--no-alert-note']);
      assert.match(taken.stderr, new RegExp(`^firebreak: INC-\\d+ declared, but alert ${id} was not linked to it: Alert ${id} is linked to ${inc.id}, which is still open\\.?\\n$`));
      assert.equal((await alertOf(id)).incident, inc.id);
      const missing = await fb(['declare', '--from-alert', 'nope', '--impact', 'x']);
      assert.deepEqual([missing.code, missing.stderr], [5, 'firebreak: Alert nope does not exist\n']);
    });
  });
}
