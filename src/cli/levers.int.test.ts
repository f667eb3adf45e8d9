import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { adapters } from '../store/test-adapters.js';
import { useCliServer } from './test-server.js';

// The server and the CLI share one fixed clock: nothing here depends on today's date.
const NOW = new Date('2026-03-01T12:00:00.000Z');

const catalog = (port: number) => `apiVersion: firebreak/v1
kind: Team
metadata: { name: payments }
spec: {}
---
apiVersion: firebreak/v1
kind: Service
metadata: { name: checkout }
spec:
  owner: payments
  levers:
    - name: rollback
      kind: rollback
      failClosed: true
      preservesData: true
      action: { type: webhook, url: "http://127.0.0.1:${port}/rollback", body: { incident: "{{incident.id}}" } }
    - name: drain-eu
      kind: failover
      failClosed: true
      action: { type: manual, instructions: "Drain eu-1 in the load balancer console" }
    - name: open-the-gates
      kind: fallback
      action: { type: webhook, url: "http://127.0.0.1:${port}/gates" }
    - name: broken-switch
      kind: feature-flag
      failClosed: true
      action: { type: webhook, url: "http://127.0.0.1:${port}/broken" }
`;

// The CLI in-process against a real app on a real store, and a real receiver for the webhook lever.
for (const adapter of adapters()) {
  describe(`firebreak mitigate --lever against the real API (${adapter.name})`, () => {
    const received: string[] = [];
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        received.push(`${req.method} ${req.url} ${body}`);
        if (req.url === '/broken') res.writeHead(503).end('flag service down');
        else res.writeHead(202).end('queued');
      });
    });
    const { fb, applyCatalog } = useCliServer(adapter, { now: NOW, egressAllow: ['127.0.0.1'] });
    before(async () => {
      await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
      await applyCatalog(catalog((receiver.address() as AddressInfo).port));
    });
    after(async () => {
      receiver.closeAllConnections();
      await new Promise((resolve) => receiver.close(resolve));
    });
    const ok = async (argv: string[]) => {
      const r = await fb(argv);
      assert.equal(r.code, 0, `firebreak ${argv.join(' ')}: ${r.stderr}`);
      return r;
    };
    const declare = async (extra: string[] = []) =>
      (JSON.parse((await ok(['declare', 'Checkout fails', '--impact', 'Card payments fail', '--service', 'checkout', ...extra, '--json'])).stdout) as { id: string }).id;

    it('pulls a webhook lever once: the call is made, a retry with the same key is not', async () => {
      const id = await declare();
      received.length = 0;
      const first = await ok(['mitigate', id, '--lever', 'rollback', '--rationale', 'v42 is the suspect', '--idempotency-key', `k-${id}`]);
      assert.match(first.stdout, /mitigation M1: rollback pulled — webhook called: 202 queued/);
      assert.deepEqual(received, [`POST /rollback {"incident":"${id}"}`]);
      const listed = await ok(['levers', id]);
      assert.deepEqual(
        listed.stdout.trimEnd().split('\n').map((l) => l.replace(/127\.0\.0\.1:\d+/, 'HOOK')),
        [
          'rollback  rollback  fail-closed  preserves data  checkout  webhook POST http://HOOK/rollback  pulls: M1 succeeded',
          'broken-switch  feature-flag  fail-closed  may lose data  checkout  webhook POST http://HOOK/broken',
          'drain-eu  failover  fail-closed  may lose data  checkout  by hand: Drain eu-1 in the load balancer console',
          'open-the-gates  fallback  fail-open  may lose data  checkout  webhook POST http://HOOK/gates',
        ],
      );
      const again = await ok(['mitigate', id, '--lever', 'rollback', '--rationale', 'v42 is the suspect', '--idempotency-key', `k-${id}`]);
      assert.match(again.stdout, /mitigation M1: rollback pulled — webhook called: 202/);
      assert.equal(received.length, 1);
    });

    it('--dry-run prints the request and sends nothing', async () => {
      const id = await declare();
      received.length = 0;
      const r = await ok(['mitigate', id, '--lever', 'rollback', '--rationale', 'v42', '--dry-run']);
      const lines = r.stdout.trimEnd().split('\n');
      assert.equal(lines[0], 'dry run of rollback on checkout (would be M1; nothing recorded or sent)');
      assert.match(lines[1]!, /^POST http:\/\/127\.0\.0\.1:\d+\/rollback$/);
      assert.equal(lines.at(-1), `{"incident":"${id}"}`);
      assert.equal(received.length, 0);
      const usage = await fb(['mitigate', id, 'rollback', '--action', 'x', '--rationale', 'y', '--dry-run']);
      assert.deepEqual([usage.code, usage.stderr], [2, 'firebreak: --dry-run needs --lever <name>\n']);
    });

    it('a lever whose webhook fails is recorded, and exits 9 so a script does not read it as contained', async () => {
      const id = await declare();
      const r = await fb(['mitigate', id, '--lever', 'broken-switch', '--rationale', 'flag off the new path']);
      assert.equal(r.code, 9, r.stderr);
      assert.match(r.stdout, /^INC-\d+: mitigation M1: broken-switch pulled — webhook failed: answered 503 /);
      assert.equal(r.stderr, 'firebreak: M1 is recorded, but the lever did not act (webhook failed: answered 503): record another decision or pull it again\n');
      const json = await fb(['mitigate', id, '--lever', 'broken-switch', '--rationale', 'again', '--json']);
      assert.equal(json.code, 9);
      assert.equal((JSON.parse(json.stdout) as { mitigations: { execution: { state: string } }[] }).mitigations.at(-1)?.execution.state, 'failed');
    });

    it('a manual lever shows its steps; confirm records the outcome', async () => {
      const id = await declare();
      const r = await ok(['mitigate', id, '--lever', 'drain-eu', '--rationale', 'eu-1 is sick']);
      assert.match(r.stdout, new RegExp(`mitigation M1: drain-eu pulled — do by hand: Drain eu-1 in the load balancer console; then: firebreak confirm ${id} M1 done\\|failed`));
      const done = await ok(['confirm', id, 'm1', 'done', '--note', 'drained']);
      assert.match(done.stdout, /lever pull M1 confirmed done/);
      const again = await fb(['confirm', id, 'M1', 'failed']);
      assert.deepEqual([again.code, again.stderr], [6, 'firebreak: Lever pull M1 is confirmed done already\n']);
    });

    it('a fail-open lever at a coexistence seam without a reason exits 7 and names --fail-open-reason', async () => {
      const id = await declare(['--coexistence-seam']);
      received.length = 0;
      const r = await fb(['mitigate', id, '--lever', 'open-the-gates', '--rationale', 'route around']);
      assert.equal(r.code, 7);
      assert.match(r.stderr, /fail_open_reason_missing/);
      assert.equal(received.length, 0);
      const unknown = await fb(['mitigate', id, '--lever', 'nuke', '--rationale', 'x']);
      assert.equal(unknown.code, 3);
      assert.match(unknown.stderr, /--lever no lever nuke on INC-\d+'s services/);
    });
  });
}
