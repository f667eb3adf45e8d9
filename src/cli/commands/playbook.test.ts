import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli, type Answer } from '../test-cli.js';
import { playbookFileNames } from './playbook.js';

const services = (...names: string[]): Answer => ({ json: { items: names.map((name) => ({ name, title: name, tier: 1 })) } });
const md = (name: string): Answer => ({ text: `# ${name} playbook\n\nRoll back first.\n` });

describe('firebreak playbook --all DIR', () => {
  let root = '';
  before(async () => {
    root = await mkdtemp(join(tmpdir(), 'firebreak-playbooks-'));
  });
  after(async () => {
    await rm(root, { recursive: true, force: true });
  });

  it("writes one Markdown file per service through the API and prints one line per file", async () => {
    const dir = join(root, 'out', 'playbooks');
    const r = await runCli(['playbook', '--all', dir], [services('checkout', 'payments/ledger'), md('checkout'), md('payments/ledger')]);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(
      r.sent.map((s) => [s.method, s.path]),
      [
        ['GET', '/api/v1/services'],
        ['GET', '/api/v1/services/checkout/playbook'],
        ['GET', '/api/v1/services/payments%2Fledger/playbook'],
      ],
    );
    assert.equal(r.sent[1]?.headers.authorization, 'Bearer tok-123');
    assert.deepEqual((await readdir(dir)).sort(), ['checkout.md', 'payments__ledger.md']);
    assert.equal(await readFile(join(dir, 'checkout.md'), 'utf8'), '# checkout playbook\n\nRoll back first.\n');
    assert.equal(await readFile(join(dir, 'payments__ledger.md'), 'utf8'), '# payments/ledger playbook\n\nRoll back first.\n');
    assert.equal(r.stdout, `wrote ${join(dir, 'checkout.md')}\nwrote ${join(dir, 'payments__ledger.md')}\n`);
    assert.equal(r.stderr, '');
  });

  it('replaces files already there and answers the list with --json', async () => {
    const dir = join(root, 'again');
    await mkdir(dir);
    await writeFile(join(dir, 'checkout.md'), 'old');
    const r = await runCli(['playbook', '--all', dir, '--json'], [services('checkout'), md('checkout')]);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(await readFile(join(dir, 'checkout.md'), 'utf8'), '# checkout playbook\n\nRoll back first.\n');
    assert.deepEqual(await readdir(dir), ['checkout.md'], 'no temporary file is left behind');
    assert.deepEqual(JSON.parse(r.stdout), { dir, files: [{ service: 'checkout', path: join(dir, 'checkout.md') }] });
  });

  it('refuses an incident argument with --all, before any request', async () => {
    const r = await runCli(['playbook', 'INC-3', '--all', join(root, 'x')], [services('checkout')]);
    assert.equal(r.code, 2);
    assert.equal(r.sent.length, 0);
    assert.match(r.stderr, /^firebreak: playbook takes an incident or --all DIR, not both[^\n]*\n$/);
  });

  it('refuses a DIR that is a file, before any request', async () => {
    const file = join(root, 'a-file');
    await writeFile(file, 'x');
    const r = await runCli(['playbook', '--all', file], [services('checkout')]);
    assert.equal(r.code, 2);
    assert.equal(r.sent.length, 0);
    assert.equal(r.stderr, `firebreak: --all ${file}: is a file, not a directory\n`);
    assert.equal(await readFile(file, 'utf8'), 'x');
  });

  it('refuses an empty catalog, writing nothing', async () => {
    const dir = join(root, 'empty');
    const r = await runCli(['playbook', '--all', dir], [services()]);
    assert.equal(r.code, 5);
    assert.equal(r.stderr, 'firebreak: the catalog has no services, so there is no playbook to write\n');
    await assert.rejects(readdir(dir), { code: 'ENOENT' });
  });

  it('writes nothing when one playbook cannot be read', async () => {
    const dir = join(root, 'partial');
    const gone: Answer = { status: 404, json: { type: 'about:blank', title: 'Not Found', status: 404, code: 'not_found', detail: 'No service named "ledger" in the catalog.' } };
    const r = await runCli(['playbook', '--all', dir], [services('checkout', 'ledger'), md('checkout'), gone]);
    assert.equal(r.code, 5);
    assert.match(r.stderr, /^firebreak: No service named "ledger" in the catalog\n$/);
    await assert.rejects(readdir(dir), { code: 'ENOENT' });
  });

  it('still prints an incident checklist, and needs an incident or --all', async () => {
    const one = await runCli(['playbook', 'INC-3'], [{ text: '# INC-3 checklist\n' }]);
    assert.equal(one.code, 0, one.stderr);
    assert.equal(one.last?.path, '/api/v1/incidents/INC-3/playbook');
    assert.equal(one.stdout, '# INC-3 checklist\n');
    const none = await runCli(['playbook'], [{ text: '' }]);
    assert.equal(none.code, 2);
    assert.equal(none.sent.length, 0);
    assert.match(none.stderr, /^firebreak: playbook needs an incident \(or --all DIR for every service\)\n$/);
    const format = await runCli(['playbook', '--all', join(root, 'f'), '--format', 'json'], [services('checkout')]);
    assert.equal(format.code, 2);
    assert.equal(format.sent.length, 0);
  });
});

describe('playbookFileNames', () => {
  it('makes every catalog name one safe, distinct file name', () => {
    assert.deepEqual(
      playbookFileNames(['checkout', 'payments/checkout', 'Checkout', 'api.v2', 'con', 'a b/../c']),
      ['checkout.md', 'payments__checkout.md', 'Checkout-2.md', 'api.v2.md', 'con_.md', 'a_b__..__c.md'],
    );
  });
});
