import { useEffect, useRef, useState } from 'react';

/**
 * What the stream tells the page: a change to refetch, or `resync` when changes may have been missed: after the
 * page (re)connects, or when the server says so (its PostgreSQL listener reconnected).
 */
export type LiveEvent =
  | { kind: 'incident'; id: string; number: number; version: number }
  | { kind: 'alerts' | 'deploys' | 'catalog' | 'resync' };

export type LiveState = 'connecting' | 'live' | 'offline';

type Listener = (e: LiveEvent) => void;

const listeners = new Set<Listener>();
const stateListeners = new Set<(s: LiveState) => void>();
let source: EventSource | undefined;
let state: LiveState = 'connecting';
/** Whether the signed-in app wants the stream open; only then does a refused connection retry. */
let wanted = false;
let retry: ReturnType<typeof setTimeout> | undefined;
const RETRY_MS = 5_000;

function setState(next: LiveState) {
  state = next;
  stateListeners.forEach((l) => l(next));
}

function dispatch(e: LiveEvent) {
  listeners.forEach((l) => l(e));
}

function parseIncident(data: string): LiveEvent | undefined {
  try {
    const v = JSON.parse(data) as Record<string, unknown>;
    if (typeof v.id === 'string' && typeof v.number === 'number' && typeof v.version === 'number') {
      return { kind: 'incident', id: v.id, number: v.number, version: v.version };
    }
  } catch {
    // a malformed event is ignored; the next resync covers it
  }
  return undefined;
}

function connect() {
  if (source || !wanted) return;
  clearTimeout(retry);
  const es = new EventSource('/api/v1/stream');
  source = es;
  es.addEventListener('open', () => {
    setState('live');
    dispatch({ kind: 'resync' });
  });
  es.addEventListener('error', () => {
    if (source !== es) return; // closed meanwhile (sign-out)
    // EventSource retries by itself unless the server refused (then readyState is CLOSED: sign-in needed or gone).
    const closed = es.readyState === EventSource.CLOSED;
    setState(closed ? 'offline' : 'connecting');
    if (closed) {
      source = undefined;
      retry = setTimeout(connect, RETRY_MS);
    }
  });
  es.addEventListener('incident', (m) => {
    const e = parseIncident((m as MessageEvent<string>).data);
    if (e) dispatch(e);
  });
  // `resync`: the server's own change feed reconnected (PostgreSQL LISTEN) and may have missed changes.
  for (const kind of ['alerts', 'deploys', 'catalog', 'resync'] as const) {
    es.addEventListener(kind, () => dispatch({ kind }));
  }
}

/** Opens the page's one stream, whichever scene is mounted (several scenes, or none, may listen). */
function openStream() {
  wanted = true;
  connect();
}

/** Closes the stream and stops retrying (on sign-out). */
function closeStream() {
  wanted = false;
  clearTimeout(retry);
  source?.close();
  source = undefined;
  setState('connecting');
}

/**
 * Keeps the stream open while `on` (the signed-in app shell): the connection and the indicator belong to the
 * app, not to a scene, so screens that listen to nothing (Admin, Declare, an unknown path) still show `live`.
 */
export function useStream(on: boolean): void {
  useEffect(() => {
    if (!on) return;
    openStream();
    return closeStream;
  }, [on]);
}

/** Calls `onEvent` for every live change while the component is mounted (the app shell keeps the stream open). */
export function useLive(onEvent: Listener): void {
  const ref = useRef(onEvent);
  ref.current = onEvent;
  useEffect(() => {
    const l: Listener = (e) => ref.current(e);
    listeners.add(l);
    return () => {
      listeners.delete(l);
    };
  }, []);
}

/**
 * Calls `reload` once a burst of the given kinds of live change has been quiet for `delayMs` (a number, or one
 * per event), and not after the component is gone.
 */
export function useLiveReload(
  kinds: readonly LiveEvent['kind'][],
  reload: () => void,
  delayMs: number | ((e: LiveEvent) => number) = 150,
): void {
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // The reload of the latest render, not of the one that heard the event: a filter changed meanwhile must
  // not bring back the old filter's rows.
  const latest = useRef(reload);
  latest.current = reload;
  useLive((e) => {
    if (!kinds.includes(e.kind)) return;
    clearTimeout(timer.current);
    timer.current = setTimeout(() => latest.current(), typeof delayMs === 'number' ? delayMs : delayMs(e));
  });
  useEffect(() => () => clearTimeout(timer.current), []);
}

/** The stream's connection state, for the "live" indicator. */
export function useLiveState(): LiveState {
  const [s, set] = useState(state);
  useEffect(() => {
    stateListeners.add(set);
    set(state);
    return () => {
      stateListeners.delete(set);
    };
  }, []);
  return s;
}
