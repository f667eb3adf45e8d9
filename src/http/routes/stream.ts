import type { ServerResponse } from 'node:http';
import { formatIncidentId } from '../../domain/incident/types.js';
import type { Change } from '../../service/ports.js';
import type { Routes } from '../context.js';
import { NoQuery } from '../schemas.js';

const HEARTBEAT_MS = 15_000;
// A stream outlives neither a revoked session nor a sign-out for long: it ends, and the browser's
// EventSource reconnects through requireRole again.
const MAX_STREAM_MS = 10 * 60_000;
const RETRY_MS = 2_000;

/** One server-sent event per change: the client refetches what it names. */
export function changeEvent(change: Change): string {
  const data =
    change.kind === 'incident'
      ? { id: formatIncidentId(change.number), number: change.number, version: change.version }
      : {};
  return `event: ${change.kind}\ndata: ${JSON.stringify(data)}\n\n`;
}

/** `GET /api/v1/stream`: server-sent events for live views, viewer or better. */
export const streamRoutes: Routes =
  ({ deps, auth }) =>
  async (app) => {
    const open = new Set<ServerResponse>();
    // Subscribing starts the store's cross-instance LISTEN; doing it at start-up rather than on the first
    // stream keeps that first browser from missing the changes made while the listener connects.
    let warm: (() => void) | undefined;
    app.addHook('onReady', async () => {
      warm = deps.store.onChange(() => {});
    });
    app.addHook('preClose', async () => {
      warm?.();
      for (const res of open) res.end();
    });

    app.get(
      '/api/v1/stream',
      {
        schema: {
          tags: ['stream'],
          summary: 'Server-sent events: `incident` {id, number, version}, `alerts`, `deploys`, `catalog`, `maintenances`',
          querystring: NoQuery,
        },
        onRequest: auth.requireRole('viewer'),
      },
      async (_req, reply) => {
        reply.hijack();
        const res = reply.raw;
        const socket = res.socket;
        res.writeHead(200, {
          ...(reply.getHeaders() as Record<string, string>),
          'content-type': 'text/event-stream; charset=utf-8',
          'cache-control': 'no-store',
          connection: 'keep-alive',
          'x-accel-buffering': 'no',
        });
        // Subscribed before the first byte: a client that refetches on `open` misses nothing in between.
        const stop = deps.store.onChange((change) => res.write(changeEvent(change)));
        res.write(`retry: ${RETRY_MS}\n: connected\n\n`);
        open.add(res);
        const heartbeat = setInterval(() => res.write(': heartbeat\n\n'), HEARTBEAT_MS);
        const expiry = setTimeout(() => res.end(), MAX_STREAM_MS);
        const cleanup = () => {
          // An event stream's connection is never reused for another request: free it with the stream.
          socket?.destroy();
          open.delete(res);
          stop();
          clearInterval(heartbeat);
          clearTimeout(expiry);
        };
        res.on('close', cleanup);
      },
    );
  };
