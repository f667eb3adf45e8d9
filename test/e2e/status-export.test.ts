import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './run-cli.js';
import { startServerProcess, type ServerProcess } from './server.js';

const CATALOG = `apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout, title: Checkout }
spec: { owner: payments, tier: 1, public: true }
---
apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec: { members: [ { name: ana } ] }
`;
const MARKER = 'QQV-internal-5521';

/** Every file under `dir`, as paths relative to it. */
function filesUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix)).flatMap((name) => {
    const rel = prefix ? `${prefix}/${name}` : name;
    return statSync(join(dir, rel)).isDirectory() ? filesUnder(dir, rel) : [rel];
  });
}

// The page outlives the server: the CLI writes it into a folder, and the server keeps one folder current.
describe('status page export to static files', { timeout: 120_000 }, () => {
  let server: ServerProcess;
  let dir: string;
  let env: Record<string, string>;
  let number = 0;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'firebreak-status-'));
    server = await startServerProcess({ FIREBREAK_STATUS_EXPORT_DIR: join(dir, 'live'), FIREBREAK_STATUS_TITLE: 'Acme status' });
    env = { FIREBREAK_URL: server.url, FIREBREAK_TOKEN: server.adminToken };
    writeFileSync(join(dir, 'catalog.yaml'), CATALOG);
    const fb = async (...args: string[]) => {
      const r = await runCli(args, env);
      assert.equal(r.code, 0, `firebreak ${args.join(' ')}: ${r.stderr}\n${server.output()}`);
      return r.stdout;
    };
    await fb('catalog', 'apply', join(dir, 'catalog.yaml'));
    const declared = JSON.parse(await fb('declare', `Checkout ${MARKER}`, '--service', 'checkout', '--severity', 'SEV2', '--reason', 'cards fail', '--impact', 'Users cannot pay by card', '--json'));
    number = declared.number;
    await fb('update', declared.id, `internal only ${MARKER}`);
    await fb('update', declared.id, 'Card payments fail for some users.', '--external', '--title', 'Card payments failing', '--public-status', 'identified', '--component', 'checkout=major_outage');
  });

  after(async () => {
    await server?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('`status export DIR` writes the page, permalinks, JSON and feeds, with no internal text', async () => {
    const out = join(dir, 'exported');
    const r = await runCli(['status', 'export', out], env);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stdout, /^wrote \d+ files to /);
    const files = filesUnder(out).sort();
    for (const f of ['index.html', 'status.css', 'history.rss', 'history.atom', 'api/v2/summary.json', 'api/v2/incidents.json', `incidents/${number}/index.html`]) {
      assert.ok(files.includes(f), `${f} missing from ${files.join(', ')}`);
    }
    for (const f of files) assert.ok(!readFileSync(join(out, f), 'utf8').includes(MARKER), `${f} holds internal text`);
    const index = readFileSync(join(out, 'index.html'), 'utf8');
    assert.match(index, /Card payments failing/);
    // Links are relative, so any static host serves the folder at any address.
    assert.match(index, new RegExp(`href="\\./incidents/${number}/"`));
    assert.match(index, /href="\.\/status\.css"/);
    const summary = JSON.parse(readFileSync(join(out, 'api/v2/summary.json'), 'utf8'));
    assert.equal(summary.components.find((c: { id: string }) => c.id === 'checkout').status, 'major_outage');
  });

  it('FIREBREAK_STATUS_EXPORT_DIR is rewritten after a change', async () => {
    const summaryFile = join(dir, 'live', 'api', 'v2', 'summary.json');
    const read = () => (existsSync(summaryFile) ? JSON.parse(readFileSync(summaryFile, 'utf8')) : undefined);
    // The writer runs a second after each change: wait for the folder to catch up, bounded.
    const deadline = Date.now() + 20_000;
    let summary = read();
    while (!summary?.incidents.some((i: { name: string }) => i.name === 'Card payments failing') && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 200));
      summary = read();
    }
    assert.ok(summary, `no export in ${dir}/live\n${server.output()}`);
    assert.equal(summary.page.name, 'Acme status');
    assert.deepEqual(summary.incidents.map((i: { name: string }) => i.name), ['Card payments failing']);
    for (const f of filesUnder(join(dir, 'live'))) assert.ok(!readFileSync(join(dir, 'live', f), 'utf8').includes(MARKER), f);
  });

  it('an export into a path that is a file fails with one line', async () => {
    writeFileSync(join(dir, 'a-file'), 'x');
    const r = await runCli(['status', 'export', join(dir, 'a-file')], env);
    assert.notEqual(r.code, 0);
    assert.match(r.stderr, /^firebreak: /);
    assert.ok(!r.stderr.includes('    at '), r.stderr);
  });
});
