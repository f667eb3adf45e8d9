import { createHash } from 'node:crypto';
import type { IncidentCommand } from '../domain/incident/commands.js';
import { canonicalService } from '../domain/catalog/names.js';
import type { Incident } from '../domain/incident/state.js';
import { formatIncidentId } from '../domain/incident/types.js';
import { FirebreakError, isFirebreakError, notFound, validationError } from '../domain/errors.js';
import type { ServiceDeps } from './deps.js';
import type { IdempotencyRecord, StoreTx } from './ports.js';
import { appendDraft, decideOn, draftOf, newDraft } from './incident-log.js';
import { settleBoundary } from './release-boundary.js';
import { suggestCommanderOn } from './commander-suggestion.js';
import { checkPublicComponents } from './status-page.js';

/** Conflicts without an If-Match are retried this many times before the caller sees 409. */
const MAX_ATTEMPTS = 5;

export interface CommandOptions {
  /** The Idempotency-Key header: a retried command with the same key records once. */
  idempotencyKey?: string;
  /** Who the key belongs to: keys of different principals never collide. */
  scope?: string;
  /** The If-Match header: refuse with 409 unless the incident is still at this version. */
  expectedVersion?: number;
}

export interface CommandResult {
  incident: Incident;
  version: number;
  /** True when the answer comes from an earlier request with the same Idempotency-Key. */
  replayed: boolean;
}

type Payload<C> = C extends IncidentCommand ? Omit<C, 'actor'> : never;
export type CommandInput = Payload<Exclude<IncidentCommand, { type: 'DeclareIncident' }>>;
export type DeclareInput = Omit<Payload<Extract<IncidentCommand, { type: 'DeclareIncident' }>>, 'number' | 'type'>;

export const fingerprintOf = (value: unknown) => createHash('sha256').update(JSON.stringify(value)).digest('hex');

export async function replayOrNull(
  tx: Pick<StoreTx, 'findIdempotency' | 'loadIncident'>,
  opts: CommandOptions,
  fingerprint: string,
): Promise<CommandResult | null> {
  if (!opts.idempotencyKey) return null;
  const rec = await tx.findIdempotency(opts.scope ?? '', opts.idempotencyKey);
  if (!rec) return null;
  if (rec.fingerprint !== fingerprint) {
    throw validationError(
      [{ path: 'headers.idempotency-key', message: 'this key was already used for a different request' }],
      'Idempotency-Key reused for a different request.',
    );
  }
  const loaded = await tx.loadIncident(rec.incident);
  if (!loaded) throw notFound(`Incident ${formatIncidentId(rec.incident)} does not exist.`);
  return { incident: loaded.state, version: loaded.version, replayed: true };
}

async function withRetries(
  deps: ServiceDeps,
  opts: CommandOptions,
  fingerprint: string,
  attempt: () => Promise<CommandResult>,
): Promise<CommandResult> {
  for (let i = 1; ; i++) {
    try {
      return await attempt();
    } catch (err) {
      if (!isFirebreakError(err, 'conflict')) throw err;
      // A concurrent request with the same key may have won; answer as it did.
      const replay = await replayOrNull(deps.store, opts, fingerprint);
      if (replay) return replay;
      if (opts.expectedVersion !== undefined) throw await staleVersion(deps, err);
      if (i >= MAX_ATTEMPTS) throw err;
    }
  }
}

/** A conflict found at append time still tells the client which version to reload. */
async function staleVersion(deps: ServiceDeps, err: FirebreakError): Promise<FirebreakError> {
  const number = err.details?.incident;
  if (typeof number !== 'number' || err.details?.currentVersion !== undefined) return err;
  const loaded = await deps.store.loadIncident(number);
  return loaded ? new FirebreakError('conflict', err.message, { currentVersion: loaded.version }) : err;
}

export const keyRecord = (opts: CommandOptions, fingerprint: string, incident: number, version: number, at: string) =>
  ({
    scope: opts.scope ?? '',
    key: opts.idempotencyKey ?? '',
    fingerprint,
    incident,
    version,
    createdAt: at,
  }) satisfies IdempotencyRecord;

/** Loads an incident's projection, decides, and appends at the expected version, in one transaction. */
export async function executeCommand(
  deps: ServiceDeps,
  number: number,
  actor: string,
  input: CommandInput,
  opts: CommandOptions = {},
): Promise<CommandResult> {
  const cmd = { ...input, actor } as IncidentCommand;
  const fingerprint = fingerprintOf({ number, input });
  return withRetries(deps, opts, fingerprint, () =>
    deps.store.transaction(async (tx) => {
      const replay = await replayOrNull(tx, opts, fingerprint);
      if (replay) return replay;
      const loaded = await tx.loadIncident(number);
      if (!loaded) throw notFound(`Incident ${formatIncidentId(number)} does not exist.`);
      if (opts.expectedVersion !== undefined && opts.expectedVersion !== loaded.version) {
        throw new FirebreakError(
          'conflict',
          `${formatIncidentId(number)} is at version ${loaded.version}, not ${opts.expectedVersion}: reload and retry.`,
          { currentVersion: loaded.version },
        );
      }
      const now = deps.clock.now();
      const draft = draftOf(number, loaded);
      decideOn(draft, await checkPublicComponents(tx, cmd), now);
      await settleBoundary(tx, draft, now);
      await appendDraft(tx, draft);
      const { state } = draft;
      if (opts.idempotencyKey) await tx.saveIdempotency(keyRecord(opts, fingerprint, number, state.version, now));
      return { incident: state, version: state.version, replayed: false };
    }),
  );
}

/** Declares a new incident: allocates its number and appends its first events in one transaction. */
export async function declareIncident(
  deps: ServiceDeps,
  actor: string,
  input: DeclareInput,
  opts: Omit<CommandOptions, 'expectedVersion'> = {},
): Promise<CommandResult> {
  const named = input.services && { services: [...new Set(input.services.map(canonicalService))] };
  const request = { ...input, ...named };
  const fingerprint = fingerprintOf({ declare: request });
  return withRetries(deps, opts, fingerprint, () =>
    deps.store.transaction(async (tx) => {
      const replay = await replayOrNull(tx, opts, fingerprint);
      if (replay) return replay;
      const number = await tx.nextIncidentNumber();
      const now = deps.clock.now();
      const draft = newDraft(number);
      decideOn(draft, { ...request, type: 'DeclareIncident', number, actor }, now);
      await suggestCommanderOn(tx, draft, now);
      await settleBoundary(tx, draft, now);
      await appendDraft(tx, draft);
      const { state } = draft;
      if (opts.idempotencyKey) await tx.saveIdempotency(keyRecord(opts, fingerprint, number, state.version, now));
      return { incident: state, version: state.version, replayed: false };
    }),
  );
}
