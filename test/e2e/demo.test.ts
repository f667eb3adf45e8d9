import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../../src/store/test-adapters.js';
import { runCli, type CliResult } from './run-cli.js';
import { startServerProcess, type ServerProcess } from './server.js';

const postgres = adapters().find((a) => a.name === 'postgres');

const engines: { name: string; skip: string | false; env: () => Promise<{ env: Record<string, string>; drop: () => Promise<void> }> }[] = [
  { name: 'SQLite', skip: false, env: async () => ({ env: {}, drop: async () => {} }) },
  {
    name: 'PostgreSQL',
    skip: postgres ? false : 'no PostgreSQL reachable',
    env: async () => {
      const db = await postgres!.database();
      return { env: { DATABASE_URL: db.location }, drop: () => db.drop() };
    },
  },
];

for (const engine of engines) {
  // `firebreak demo` against a fresh server process, then what a newcomer would look at.
  describe(`firebreak demo fills a fresh server (${engine.name})`, { skip: engine.skip }, () => {
    let server: ServerProcess;
    let drop = async () => {};
    let first: CliResult;

    const get = async <T>(path: string, token = server.adminToken): Promise<T> => {
      const res = await fetch(server.url + path, { headers: { authorization: `Bearer ${token}` } });
      assert.equal(res.status, 200, `${path}: ${await res.clone().text()}`);
      return (await res.json()) as T;
    };
    const demo = (args: string[], token = server.adminToken) => runCli(['demo', ...args], { FIREBREAK_URL: server.url, FIREBREAK_TOKEN: token });

    before(async () => {
      const { env, drop: d } = await engine.env();
      drop = d;
      server = await startServerProcess(env);
      first = await demo(['--seed', '3', '--password', 'demo-password-for-tests']);
    });

    after(async () => {
      await server?.stop();
      await drop();
    });

    it('runs, and prints the counts, the URL and how to sign in', () => {
      assert.equal(first.code, 0, first.stderr + first.stdout + server.output());
      assert.match(first.stdout, /catalog v1: 11 services, 4 teams, 2 systems/);
      assert.match(first.stdout, /past incidents: 40 \(/);
      assert.match(first.stdout, /deploys: \d{3} over 60 days/);
      assert.ok(first.stdout.includes(`Open ${server.url} and sign in as ana with the password demo-password-for-tests`), first.stdout);
      assert.match(first.stdout, /responders: ana, li, noor, bo, mei; viewer: pat/);
      assert.equal((first.stdout.match(/alerts firing\)/g) ?? []).length, 2);
    });

    it('recorded what it says: 42 incidents, the deploys, the catalog, users who can sign in', async () => {
      const incidents = await get<{ items: { id: string; status: string }[] }>('/api/v1/incidents?limit=500');
      assert.equal(incidents.items.length, 42);
      const deploys = await get<{ items: unknown[] }>('/api/v1/deploys?limit=500');
      const printed = Number(/deploys: (\d+)/.exec(first.stdout)?.[1]);
      assert.equal(deploys.items.length, printed);
      const services = await get<{ items: { name: string; onCallNow: unknown }[] }>('/api/v1/services');
      assert.equal(services.items.length, 11);
      const teams = await get<{ items: { name: string; onCallNow: { person: string } | null }[] }>('/api/v1/teams');
      assert.ok(teams.items.every((t) => t.onCallNow !== null), JSON.stringify(teams.items.map((t) => t.onCallNow)));
      const signIn = await fetch(`${server.url}/api/v1/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: 'pat', password: 'demo-password-for-tests' }),
      });
      assert.deepEqual(await signIn.json(), { username: 'pat', role: 'viewer' });
    });

    it('answers plausible insights over 60 days', async () => {
      type Stat = { median: number | null; samples: number };
      const i = await get<{
        incidents: { total: number; bySeverity: Record<string, number>; autoDeclared: number };
        mtta: Stat; mttr: Stat; mttd: Stat; timeToMitigate: Stat;
        changeFailureRate: { failures: number; deploys: number; rate: number | null };
        postmortems: { overdue: number; onTime: number }; actionItems: { overdue: number; done: number; open: number };
        overrides: { count: number };
      }>('/api/v1/insights?days=60');
      assert.equal(i.incidents.total, 42);
      for (const sev of ['SEV1', 'SEV2', 'SEV3', 'SEV4']) assert.ok((i.incidents.bySeverity[sev] ?? 0) > 0, sev);
      assert.equal(i.incidents.autoDeclared, 1);
      assert.ok(i.mtta.samples >= 35 && i.mtta.median! > 0.5 && i.mtta.median! < 30, `MTTA ${i.mtta.median} min`);
      assert.ok(i.mttd.median! > 1 && i.mttd.median! < 60, `MTTD ${i.mttd.median} min`);
      assert.ok(i.timeToMitigate.median! > 5 && i.timeToMitigate.median! < 240, `mitigate ${i.timeToMitigate.median} min`);
      assert.ok(i.mttr.median! > 30 && i.mttr.median! < 24 * 60, `MTTR ${i.mttr.median} min`);
      assert.ok(i.changeFailureRate.rate! > 0 && i.changeFailureRate.rate! < 1, JSON.stringify(i.changeFailureRate));
      assert.ok(i.postmortems.overdue > 0 && i.postmortems.onTime > i.postmortems.overdue, JSON.stringify(i.postmortems));
      assert.ok(i.actionItems.overdue > 0 && i.actionItems.done > 0, JSON.stringify(i.actionItems));
      assert.ok(i.overrides.count >= 1);
    });

    it('leaves two incidents in progress, each with alerts firing now, a commander, a lever in flight and an update', async () => {
      const open = await get<{ items: { id: string }[] }>('/api/v1/incidents?status=investigating,mitigated');
      assert.equal(open.items.length, 2);
      for (const { id } of open.items) {
        const inc = await get<{
          alertCounts: { firing: number }; roles: { commander: string | null };
          mitigations: { execution?: { state: string } }[]; updates: unknown[];
        }>(`/api/v1/incidents/${id}`);
        assert.ok(inc.alertCounts.firing > 0, `${id} has no firing alert`);
        assert.ok(inc.roles.commander, `${id} has no commander`);
        assert.ok(inc.mitigations.some((m) => m.execution?.state === 'awaiting_confirmation'), `${id}: ${JSON.stringify(inc.mitigations)}`);
        const suspects = await get<{ suspects: unknown[] }>(`/api/v1/incidents/${id}/suspects`);
        assert.ok(suspects.suspects.length > 0, `${id} has no suspect deploy`);
      }
    });

    it('lists overdue postmortems and overdue action items', async () => {
      const pms = await get<{ items: { overdue: boolean; state: string }[] }>('/api/v1/postmortems?overdue=true');
      assert.ok(pms.items.length > 0 && pms.items.every((p) => p.overdue && p.state !== 'published'));
      const actions = await get<{ items: { overdue: boolean; status: string }[] }>('/api/v1/actions?overdue=true');
      assert.ok(actions.items.length > 0 && actions.items.every((a) => a.overdue && a.status !== 'done'));
    });

    it('refuses a second run without --force, in one line, changing nothing', async () => {
      const again = await demo([]);
      assert.equal(again.code, 6, again.stderr);
      assert.equal(again.stdout, '');
      assert.match(again.stderr, /^firebreak: [^\n]*already has incidents[^\n]*--force[^\n]*\n$/);
      assert.equal((await get<{ items: unknown[] }>('/api/v1/incidents?limit=500')).items.length, 42);
    });

    it('refuses a token that is not an admin token, in one line', async () => {
      const res = await fetch(`${server.url}/api/v1/tokens`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.adminToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'demo-responder', role: 'responder' }),
      });
      const { token } = (await res.json()) as { token: string };
      const refused = await demo(['--force'], token);
      assert.equal(refused.code, 4, refused.stderr);
      assert.match(refused.stderr, /^firebreak: demo needs an admin token: token:demo-responder has the responder role.*\n$/);
      assert.equal(refused.stdout, '');
    });
  });
}
