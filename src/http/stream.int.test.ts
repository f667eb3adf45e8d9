import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import pg from 'pg';
import { createUser } from '../service/auth.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { testApp, type TestApp } from './test-app.js';

const WAIT_MS = 5_000;

interface SseEvent {
  event: string;
  data: string;
}

/** Opens GET /api/v1/stream over real HTTP and parses the event stream as it arrives. */
async function openStream(base: string, headers: Record<string, string>) {
  const controller = new AbortController();
  const res = await fetch(`${base}/api/v1/stream`, { headers, signal: controller.signal });
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const waiters: (() => void)[] = [];
  let ended = false;
  const pump = (async () => {
    if (!res.ok || !res.body) return;
    const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
    let buf = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buf += value;
        for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
          const block = buf.slice(0, i);
          buf = buf.slice(i + 2);
          const ev: SseEvent = { event: 'message', data: '' };
          let isEvent = false;
          for (const line of block.split('\n')) {
            if (line.startsWith(':')) comments.push(line.slice(1).trim());
            else if (line.startsWith('event: ')) {
              ev.event = line.slice(7);
              isEvent = true;
            } else if (line.startsWith('data: ')) {
              ev.data = line.slice(6);
              isEvent = true;
            }
          }
          if (isEvent) events.push(ev);
          waiters.splice(0).forEach((w) => w());
        }
      }
    } catch {
      // aborted by close()
    } finally {
      ended = true;
      waiters.splice(0).forEach((w) => w());
    }
  })();
  const until = async (what: string, check: () => boolean) => {
    const deadline = Date.now() + WAIT_MS;
    while (!check()) {
      if (ended) throw new Error(`stream ended before ${what}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, left);
        waiters.push(() => (clearTimeout(t), resolve()));
      });
    }
  };
  return {
    res,
    events,
    comments,
    ended: () => ended,
    until,
    done: pump,
    close: async () => {
      controller.abort();
      await pump;
    },
  };
}

/** The store with a count of live onChange subscriptions, to see the stream unsubscribe. */
function counting(store: Store) {
  let live = 0;
  const wrapped: Store = {
    ...store,
    onChange: (listener) => {
      live++;
      const stop = store.onChange(listener);
      return () => {
        live--;
        stop();
      };
    },
  };
  return { store: wrapped, live: () => live };
}

async function listening(t: TestApp): Promise<string> {
  await t.app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = t.app.server.address() as { port: number };
  return `http://127.0.0.1:${port}`;
}

async function until(what: string, check: () => boolean, probe?: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  for (await probe?.(); !check(); await probe?.()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function countListeners(url: string): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: string }>(
      `select count(*) as n from pg_stat_activity where datname = current_database() and query like 'LISTEN %'`,
    );
    return Number(rows[0]?.n ?? 0);
  } finally {
    await client.end();
  }
}

for (const adapter of adapters()) {
  describe(`GET /api/v1/stream (${adapter.name})`, () => {
    const withApp = async (fn: (t: TestApp, base: string, live: () => number) => Promise<void>) => {
      const db = await adapter.database();
      const raw = await db.open();
      await raw.migrate();
      const { store, live } = counting(raw);
      const t = await testApp(store);
      try {
        const base = await listening(t);
        if (adapter.name === 'postgres') {
          let n = 0;
          await until('the instance to LISTEN', () => n > 0, async () => void (n = await countListeners(db.location)));
        }
        await fn(t, base, live);
      } finally {
        // undici may leave a spare socket that never carried a request; Node only closes idle ones itself.
        t.app.server.closeAllConnections();
        await t.app.close();
        await raw.close();
        await db.drop();
      }
    };

    it('refuses a caller without credentials (401) and an ingest token (403) as problem+json', async () => {
      await withApp(async (t, base) => {
        const anon = await fetch(`${base}/api/v1/stream`);
        assert.equal(anon.status, 401);
        assert.match(anon.headers.get('content-type') ?? '', /application\/problem\+json/);
        assert.equal(((await anon.json()) as { code: string }).code, 'unauthorized');
        const ingest = await fetch(`${base}/api/v1/stream`, { headers: { authorization: `Bearer ${t.tokens.ingest}` } });
        assert.equal(ingest.status, 403);
        assert.equal(((await ingest.json()) as { code: string }).code, 'forbidden');
      });
    });

    it('streams one incident event per committed command to a viewer, then unsubscribes on close', async () => {
      await withApp(async (t, base, live) => {
        // The app's own subscribers (the alert ingestor's, the status page's) are there before any stream.
        const own = live();
        const s = await openStream(base, { authorization: `Bearer ${t.tokens.viewer}` });
        assert.equal(s.res.status, 200);
        assert.match(s.res.headers.get('content-type') ?? '', /^text\/event-stream/);
        assert.ok(s.res.headers.get('x-request-id'), 'the usual headers are kept');
        await s.until('the connected comment', () => s.comments.includes('connected'));
        assert.equal(live(), own + 1, 'the app\'s own subscriptions and this stream');

        const { id, number, version } = await t.declare();
        await s.until('the declaration', () => s.events.length >= 1);
        assert.deepEqual(s.events[0], { event: 'incident', data: JSON.stringify({ id, number, version }) });

        const note = await t.call('POST', `/api/v1/incidents/${id}/notes`, { body: { body: 'still failing' } });
        assert.equal(note.statusCode, 200);
        await s.until('the note', () => s.events.length >= 2);
        const data = JSON.parse(s.events[1]!.data) as { id: string; version: number };
        assert.equal(s.events[1]!.event, 'incident');
        assert.equal(data.id, id);
        assert.equal(data.version, (note.json() as { version: number }).version);

        const refused = await t.call('POST', `/api/v1/incidents/${id}/status`, { body: { to: 'closed' } });
        assert.equal(refused.statusCode, 422);

        await s.close();
        await until('the stream to unsubscribe', () => live() === own);
        assert.equal(s.events.length, 2, 'a refused command commits nothing and streams nothing');
      });
    });

    it('works with the session cookie a browser sends', async () => {
      await withApp(async (t, base) => {
        await createUser(t.deps, { username: 'vera', password: 'correct horse battery', role: 'viewer' });
        const signIn = await fetch(`${base}/api/v1/session`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', origin: base },
          body: JSON.stringify({ username: 'vera', password: 'correct horse battery' }),
        });
        assert.equal(signIn.status, 200);
        const cookie = signIn.headers.getSetCookie()[0]!.split(';')[0]!;
        const s = await openStream(base, { cookie, 'sec-fetch-site': 'same-origin' });
        assert.equal(s.res.status, 200);
        await s.until('connected', () => s.comments.includes('connected'));
        const { id } = await t.declare();
        await s.until('the declaration', () => s.events.some((e) => JSON.parse(e.data).id === id));
        await s.close();
      });
    });

    // The timeout makes a stream that keeps the server from closing a failure, not a hang.
    it('ends open streams when the server closes', { timeout: 2 * WAIT_MS }, async () => {
      const raw = await adapter.create();
      const t = await testApp(raw);
      try {
        const s = await openStream(await listening(t), { authorization: `Bearer ${t.tokens.viewer}` });
        await s.until('connected', () => s.comments.includes('connected'));
        await t.app.close();
        await s.done;
        assert.ok(s.ended());
      } finally {
        await raw.close();
      }
    });
  });
}

const postgres = adapters().find((a) => a.name === 'postgres');
if (postgres) {
  describe('GET /api/v1/stream across two instances (postgres)', () => {
    it('streams a change committed through the other instance', async () => {
      const db = await postgres.database();
      const storeA = await db.open();
      await storeA.migrate();
      const storeB = await db.open();
      const a = await testApp(storeA);
      const b = await testApp(storeB);
      let listeningBackends = 0;
      try {
        const s = await openStream(await listening(a), { authorization: `Bearer ${a.tokens.viewer}` });
        await s.until('connected', () => s.comments.includes('connected'));
        // The first subscriber starts this instance's LISTEN; NOTIFYs sent before it is in place are not seen.
        await until('instance A to LISTEN', () => listeningBackends > 0, async () => {
          listeningBackends = await countListeners(db.location);
        });
        const { id } = await b.declare();
        await s.until('the change from instance B', () =>
          s.events.some((e) => e.event === 'incident' && JSON.parse(e.data).id === id),
        );
        await s.close();
      } finally {
        await a.app.close();
        await b.app.close();
        await storeA.close();
        await storeB.close();
        await db.drop();
      }
    });
  });
}
