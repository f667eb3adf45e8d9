import type { CatalogService } from '../api/client.js';

export type Lever = CatalogService['levers'][number];

/** Fail-closed first, then those that preserve data; otherwise the catalog's order. */
export function rankLevers<T extends { lever: Lever }>(levers: readonly T[]): T[] {
  const score = (l: Lever) => (l.failClosed ? 0 : 2) + (l.preservesData ? 0 : 1);
  return levers
    .map((x, i) => ({ x, i }))
    .sort((a, b) => score(a.x.lever) - score(b.x.lever) || a.i - b.i)
    .map(({ x }) => x);
}

/** What pulling the lever does, in one line: Firebreak calls the webhook, or someone follows the steps. */
export function leverEffect(l: Lever): string {
  return l.action.type === 'webhook'
    ? `webhook ${l.action.method} ${l.action.url} — Firebreak calls it when pulled`
    : `by hand: ${l.action.instructions}`;
}

export function FailTag({ lever }: { lever: Lever }) {
  return (
    <span className={`tag ${lever.failClosed ? 'tag-ok' : 'tag-warn'}`} title={lever.failClosed ? 'Refuses traffic on failure' : 'Lets traffic through on failure'}>
      {lever.failClosed ? 'fail-closed' : 'fail-open'}
    </span>
  );
}

/** One lever: name, kind, fail mode, data, and what pulling it does. */
export function LeverLine({ lever, service }: { lever: Lever; service?: string }) {
  return (
    <>
      <div>
        <strong>{lever.name}</strong> <span className="tag">{lever.kind}</span> <FailTag lever={lever} />{' '}
        <span className={`tag ${lever.preservesData ? '' : 'tag-warn'}`}>{lever.preservesData ? 'preserves data' : 'may lose data'}</span>
        {service && <span className="small muted"> · {service}</span>}
      </div>
      <div className="small muted lever-effect">{leverEffect(lever)}</div>
    </>
  );
}
