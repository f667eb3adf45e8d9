import { parseAlertmanager, parseFirebreakAlerts, parseGrafana } from '../domain/alerts/index.js';
import type { AlertResolution, NormalizedAlert, RejectedAlert } from '../domain/alerts/types.js';
import type { FieldError } from '../domain/errors.js';
import { bodyJson } from '../domain/body.js';
import {
  DEFAULT_AUTO_DECLARE,
  type AutoDeclareRules,
  type DedupeOutcome,
  decideRouting,
  dedupe,
  groupKeyFor,
  incidentTitleFor,
  suggestedSeverity,
} from '../domain/alerts/rules.js';
import { findService, routeAlert } from '../domain/catalog/queries.js';
import type { Catalog } from '../domain/catalog/types.js';
import { conflict, gateUnmet, notFound } from '../domain/errors.js';
import { ACTIVE_STATUSES, formatIncidentId } from '../domain/incident/types.js';
import type { AlertLink } from '../domain/incident/commands.js';
import type { Incident } from '../domain/incident/state.js';
import { getCatalog, retryConflicts } from './catalog.js';
import type { Config } from '../config.js';
import type { ServiceDeps } from './deps.js';
import type { AlertRecord, AlertWrite, StoreTx } from './ports.js';
import { appendDraft, decideOn, draftOf, newDraft, type Draft } from './incident-log.js';
import { settleBoundary, SYSTEM_ACTOR } from './release-boundary.js';
import { suggestCommanderOn } from './commander-suggestion.js';

/** One sender's request: its alerts in order, and who sent them. */
export interface AlertSubmission {
  items: readonly (NormalizedAlert | AlertResolution | RejectedAlert)[];
  /** The integration the credentials belong to; null for an API token. */
  integrationId: string | null;
  /** Recorded on incident events: `integration:<name>` or `token:<name>`. */
  actor: string;
}

/** The senders whose request bodies the ingestor parses itself, so that work can leave the event loop. */
export type AlertFormat = 'alertmanager' | 'grafana' | 'firebreak';

/** A sender's request as it came: its body's bytes, and who sent it. */
export interface RawAlertSubmission {
  format: AlertFormat;
  body: Uint8Array;
  integrationId: string | null;
  actor: string;
  /** When the request arrived; the ingestor's clock when absent. */
  receivedAt?: string;
}

const PARSERS = { alertmanager: parseAlertmanager, grafana: parseGrafana, firebreak: parseFirebreakAlerts } as const;

/** A raw submission parsed: throws the validation error a sender sees for a malformed body. */
export function parseSubmission(raw: RawAlertSubmission, receivedAt: string): AlertSubmission {
  const batch = PARSERS[raw.format](bodyJson(raw.body), { receivedAt });
  return { items: batch.alerts, integrationId: raw.integrationId, actor: raw.actor };
}

/** What became of one alert: its stored id (null when dropped), the outcome, and its incident. */
export interface AlertOutcome {
  dedupKey: string;
  id: string | null;
  /** `rejected`: a webhook alert without an identity to keep, answered alone while its group is kept. */
  outcome: DedupeOutcome | 'rejected';
  incident: number | null;
  /** Set when this alert declared the incident. */
  declared: boolean;
  /** What the parser cut from the alert to fit the limits (see NormalizedAlert.truncated). */
  truncated: string[];
  /** Why a rejected alert could not be kept. */
  rejected?: FieldError[];
}

export interface IngestOptions {
  rules?: AutoDeclareRules;
  /** Alerts of one service inside this window form one group (one incident at most). */
  groupWindowMinutes?: number;
  /** Most alerts committed in one transaction; more wait for the next. */
  maxBatchAlerts?: number;
  /** Transactions in flight at once (PostgreSQL: 2 by default; SQLite has one writer, so 1). */
  parallelCommits?: number;
}

/** The ingestion settings the configuration gives (FIREBREAK_AUTO_DECLARE_*, the grouping window): every ingestor of an instance uses these. */
export const ingestOptions = (config: Pick<Config, 'alerts'>): IngestOptions => ({
  rules: { minSeverity: config.alerts.autoDeclareSeverity, maxTier: config.alerts.autoDeclareMaxTier },
  groupWindowMinutes: config.alerts.groupMinutes,
});

export interface AlertIngestor {
  /** Resolves once the alerts are committed (durable), with one outcome per item in order. */
  ingest(submission: AlertSubmission): Promise<AlertOutcome[]>;
  /** Parses a sender's body (see parseSubmission), then as `ingest`. */
  ingestRaw(raw: RawAlertSubmission): Promise<AlertOutcome[]>;
  /** Waits for the transactions in flight; later submissions are refused. */
  close(): Promise<void>;
}

const DEFAULT_GROUP_WINDOW_MINUTES = 5;
const DEFAULT_MAX_BATCH_ALERTS = 2_000;
/** On PostgreSQL one group is built while the one before waits for its commit's round trip and WAL flush. */
const POSTGRES_PARALLEL_COMMITS = 2;
/** Conflicts (another instance declared for the same group, wrote the same alert) are retried this often. */
const MAX_ATTEMPTS = 5;

interface Pending {
  submission: AlertSubmission;
  resolve(outcomes: AlertOutcome[]): void;
  reject(err: unknown): void;
}

/**
 * Group commit: submissions that arrive while a transaction is running wait and then commit together
 * in the next one, so one fsync covers many requests and each request still gets its answer only
 * after its alerts are durable. On PostgreSQL two transactions may be in flight, for groups without an
 * alert in common. If a shared transaction fails, each of its submissions is retried alone, so one bad
 * request cannot fail the others.
 */
export function createAlertIngestor(deps: ServiceDeps, opts: IngestOptions = {}): AlertIngestor {
  const settings = {
    rules: opts.rules ?? DEFAULT_AUTO_DECLARE,
    windowMinutes: opts.groupWindowMinutes ?? DEFAULT_GROUP_WINDOW_MINUTES,
  };
  const maxBatch = opts.maxBatchAlerts ?? DEFAULT_MAX_BATCH_ALERTS;
  const parallel = opts.parallelCommits ?? (deps.store.engine === 'postgres' ? POSTGRES_PARALLEL_COMMITS : 1);
  let queue: Pending[] = [];
  let inFlight = 0;
  /** The dedup keys of the transactions in flight: never two of them share one (see launch). */
  const flightKeys = new Set<string>();
  let idle: { done: Promise<void>; resolve(): void } | undefined;
  let turnPending = false;
  let closed = false;

  /** Settles when the transaction launched last has committed or failed: the next one's incident work waits for it. */
  let lastCommit: Promise<void> = Promise.resolve();

  const commit = async (group: Pending[], before: Promise<void>) => {
    try {
      const results = await processWithRetries(deps, settings, group.map((p) => p.submission), before);
      group.forEach((p, i) => p.resolve(results[i] ?? []));
    } catch (err) {
      if (group.length === 1) {
        group[0]?.reject(err);
        return;
      }
      for (const p of group) await commit([p], before);
    }
  };

  // Starts transactions while fewer than `parallel` run. The next group waits when it shares an alert
  // with one in flight, so one alert's requests commit in the order they came; and its incident work
  // (routing to an open incident, declaring, linking) waits until the one before has committed, so
  // incidents see alerts in arrival order and never two transactions of this process at once.
  const launch = () => {
    while (queue.length > 0 && inFlight < parallel) {
      let size = 0;
      let n = 0;
      while (n < queue.length && (n === 0 || size + (queue[n]?.submission.items.length ?? 0) <= maxBatch)) {
        size += queue[n]?.submission.items.length ?? 0;
        n++;
      }
      const group = queue.slice(0, n);
      const keys = dedupKeysOf(group.map((p) => p.submission));
      if (keys.some((k) => flightKeys.has(k))) return;
      queue = queue.slice(n);
      inFlight++;
      for (const k of keys) flightKeys.add(k);
      const done = commit(group, lastCommit).finally(() => {
        inFlight--;
        for (const k of keys) flightKeys.delete(k);
        nextTurn();
      });
      lastCommit = done;
    }
    if (inFlight === 0 && queue.length === 0) {
      idle?.resolve();
      idle = undefined;
    }
  };
  // A synchronous engine (better-sqlite3) runs a whole transaction without yielding to I/O, so the
  // queue is read from setImmediate: every request that arrived meanwhile is queued first.
  const nextTurn = () => {
    if (turnPending) return;
    turnPending = true;
    setImmediate(() => {
      turnPending = false;
      launch();
    });
  };

  return {
    ingestRaw(raw) {
      try {
        return this.ingest(parseSubmission(raw, raw.receivedAt ?? deps.clock.now()));
      } catch (err) {
        return Promise.reject(err);
      }
    },
    ingest(submission) {
      if (closed) return Promise.reject(new Error('alert ingestion is closed'));
      if (submission.items.length === 0) return Promise.resolve([]);
      return new Promise<AlertOutcome[]>((resolve, reject) => {
        queue.push({ submission, resolve, reject });
        if (!idle) {
          let resolveIdle!: () => void;
          const done = new Promise<void>((r) => (resolveIdle = r));
          idle = { done, resolve: resolveIdle };
        }
        nextTurn();
      });
    },
    async close() {
      closed = true;
      await idle?.done;
    },
  };
}

/** The dedup keys the submissions' kept alerts have (a rejected one has none to keep), each once. */
const dedupKeysOf = (subs: readonly AlertSubmission[]): string[] => [
  ...new Set(subs.flatMap((s) => s.items.flatMap((i) => ('rejected' in i ? [] : [i.dedupKey])))),
];

interface Settings {
  rules: AutoDeclareRules;
  windowMinutes: number;
}

async function processWithRetries(deps: ServiceDeps, settings: Settings, subs: AlertSubmission[], before: Promise<void>) {
  const { catalog } = await getCatalog(deps);
  return retryConflicts(() => deps.store.transaction((tx) => new Batch(tx, deps, settings, catalog, before).run(subs)), MAX_ATTEMPTS);
}

/** An incident this transaction touches: its draft, appended once at the end. */
interface Touched extends Draft {
  /** Each alert routed to it, with its last status and who sent that. */
  links: Map<string, { link: AlertLink; actor: string }>;
}

const OPEN = new Set<string>(ACTIVE_STATUSES);

const linkOf = (a: Omit<AlertRecord, 'position'>): AlertLink => ({
  alertId: a.id,
  dedupKey: a.dedupKey,
  summary: a.summary,
  status: a.status,
  source: a.source,
});

/** One transaction's worth of submissions. */
class Batch {
  private readonly now: string;
  private readonly touched = new Map<number, Touched>();
  private readonly openByService = new Map<string, number | null>();
  /** Each dedup key's alert as this transaction has it: stored, or written by an earlier item. */
  private readonly current = new Map<string, Omit<AlertRecord, 'position'>>();
  /** What the transaction writes, one write per key: new if the key was not stored when it began. */
  private readonly writes = new Map<string, AlertWrite>();

  constructor(
    private readonly tx: StoreTx,
    private readonly deps: ServiceDeps,
    private readonly settings: Settings,
    private readonly catalog: Catalog | null,
    /** Settles once the transaction launched before this one has committed: awaited before any read or write of incidents and alert groups. */
    private readonly before: Promise<void>,
  ) {
    this.now = deps.clock.now();
  }

  async run(subs: readonly AlertSubmission[]): Promise<AlertOutcome[][]> {
    for (const [key, alert] of await this.tx.findAlerts(dedupKeysOf(subs))) this.current.set(key, alert);
    const results: AlertOutcome[][] = [];
    for (const sub of subs) {
      const outcomes: AlertOutcome[] = [];
      for (const item of sub.items) outcomes.push(await this.one(item, sub));
      results.push(outcomes);
    }
    // The alerts before their incidents' appends: the incident's alert links refer to them.
    if (this.writes.size > 0) await this.tx.saveAlerts([...this.writes.values()]);
    for (const t of this.touched.values()) {
      if (t.links.size > 0) await this.record(t);
      await appendDraft(this.tx, t);
    }
    if (results.some((r) => r.some((o) => o.id !== null))) this.tx.notify({ kind: 'alerts' });
    return results;
  }

  private async one(item: NormalizedAlert | AlertResolution | RejectedAlert, sub: AlertSubmission): Promise<AlertOutcome> {
    if ('rejected' in item) {
      const { dedupKey, rejected } = item;
      return { dedupKey, id: null, outcome: 'rejected', incident: null, declared: false, truncated: [], rejected };
    }
    const existing = this.current.get(item.dedupKey) ?? null;
    const { outcome, alert } = dedupe(existing, item);
    const result = (id: string | null, incident: number | null, declared = false): AlertOutcome => ({
      dedupKey: item.dedupKey,
      id,
      outcome,
      incident,
      declared,
      truncated: ('startsAt' in item && item.truncated) || [],
    });
    if (outcome === 'drop' || !alert) return result(null, null);
    if (outcome === 'unchanged') return result(existing?.id ?? null, existing?.incident ?? null);

    const routedService =
      outcome === 'resolve' && existing ? existing.routedService : this.catalog ? routeAlert(this.catalog, alert.labels, alert.service) : null;
    let incident = existing?.incident ?? null;
    let declared = false;
    const groupKey = groupKeyFor({ service: routedService, dedupKey: alert.dedupKey }, this.settings.windowMinutes, alert.receivedAt);

    if (alert.status === 'firing' && (incident === null || !(await this.isOpen(incident)))) {
      const placed = await this.place(alert, routedService, groupKey, sub.actor);
      incident = placed.incident;
      declared = placed.declared;
    }

    const record: Omit<AlertRecord, 'position'> = {
      ...alert,
      id: existing?.id ?? this.deps.ids.next(),
      routedService,
      incident,
      groupKey: existing && outcome === 'resolve' ? existing.groupKey : groupKey,
      firstReceivedAt: existing?.firstReceivedAt ?? alert.receivedAt,
      integrationId: existing?.integrationId ?? sub.integrationId,
    };
    this.current.set(record.dedupKey, record);
    this.writes.set(record.dedupKey, { alert: record, isNew: this.writes.get(record.dedupKey)?.isNew ?? existing === null });

    if (incident !== null && (await this.isOpenOrResolved(incident))) {
      const t = await this.touch(incident);
      t.links.delete(record.id);
      t.links.set(record.id, { link: linkOf(record), actor: sub.actor });
    }
    return result(record.id, incident, declared);
  }

  /**
   * One RecordAlerts decision for the alerts routed to the incident in this transaction, told which of
   * them it had linked already. The sender links its alerts: the last one whose alert changed anything,
   * should two senders link to one incident in a batch.
   */
  private async record(t: Touched) {
    const known = await this.tx.linkedAlerts(t.number, [...t.links.keys()]);
    let actor = SYSTEM_ACTOR;
    for (const { link, actor: sender } of t.links.values()) if (known.get(link.alertId) !== link.status) actor = sender;
    const alerts = [...t.links.values()].map((l) => l.link);
    decideOn(t, { type: 'RecordAlerts', actor, alerts, known }, this.now);
  }

  /** A firing alert with no open incident: attach to its service's open one, declare one, or leave it in the inbox. */
  private async place(
    alert: NormalizedAlert,
    routedService: string | null,
    groupKey: string,
    actor: string,
  ): Promise<{ incident: number | null; declared: boolean }> {
    await this.before;
    const service = routedService && this.catalog ? findService(this.catalog, routedService) : undefined;
    const open = routedService ? await this.openIncidentFor(routedService) : null;
    const routing = decideRouting(alert, {
      service: service ? { name: service.name, tier: service.tier } : null,
      openIncidentForService: open,
      rules: this.settings.rules,
    });
    if (routing.action === 'attach') return { incident: open, declared: false };
    if (routing.action === 'inbox' || !service) return { incident: null, declared: false };

    const holder = await this.tx.claimAlertGroup(groupKey, this.now);
    if (holder !== null) {
      this.openByService.set(service.name, holder);
      return { incident: holder, declared: false };
    }
    const number = await this.tx.nextIncidentNumber();
    await this.tx.setAlertGroupIncident(groupKey, number);
    await this.declare(number, alert, service.name, service.tier, actor);
    this.openByService.set(service.name, number);
    return { incident: number, declared: true };
  }

  private async declare(number: number, alert: NormalizedAlert, service: string, tier: number, actor: string) {
    const suggestion = suggestedSeverity(alert, { tier });
    const startedAt = alert.startsAt < this.now ? alert.startsAt : this.now;
    const draft: Touched = { ...newDraft(number), links: new Map() };
    decideOn(
      draft,
      {
        type: 'DeclareIncident',
        actor,
        number,
        title: incidentTitleFor(alert, service),
        services: [service],
        severity: suggestion.severity,
        severityReason: `suggested from the alert: ${suggestion.reasons.join('; ')}`,
        startedAt,
        detectedAt: startedAt < alert.receivedAt && alert.receivedAt <= this.now ? alert.receivedAt : this.now,
        auto: true,
      },
      this.now,
    );
    await suggestCommanderOn(this.tx, draft, this.now, this.catalog);
    await settleBoundary(this.tx, draft, this.now, this.catalog);
    this.touched.set(number, draft);
  }

  /** An incident loaded once per transaction; its links are recorded as the sender that made them (see `one`). */
  private async touch(number: number): Promise<Touched> {
    let t = this.touched.get(number);
    if (!t) {
      await this.before;
      const loaded = await this.tx.loadIncident(number);
      if (!loaded) throw new Error(`alert linked to missing incident ${number}`);
      t = { ...draftOf(number, loaded), links: new Map() };
      this.touched.set(number, t);
    }
    return t;
  }

  private async isOpen(number: number) {
    return OPEN.has((await this.touch(number)).state.status);
  }

  /** Resolved incidents still record their alerts' status (recovery evidence); closed ones are final. */
  private async isOpenOrResolved(number: number) {
    const s = (await this.touch(number)).state.status;
    return OPEN.has(s) || s === 'resolved';
  }

  private async openIncidentFor(service: string): Promise<number | null> {
    if (this.openByService.has(service)) return this.openByService.get(service) ?? null;
    await this.before;
    const [newest] = await this.tx.openIncidentsFor([service]);
    const open = newest ?? null;
    this.openByService.set(service, open);
    return open;
  }
}

/**
 * Links an alert from the inbox to an open incident, by hand: the alert points at the incident and the
 * incident records it (and, should it be resolved already, "alerts cleared" if it was the last).
 * Refused when the incident is not open, or the alert is already linked to another open incident.
 */
export async function attachAlert(
  deps: ServiceDeps,
  number: number,
  alertId: string,
  actor: string,
): Promise<{ incident: Incident; version: number }> {
  return deps.store.transaction(async (tx) => {
    const alert = await tx.getAlert(alertId);
    if (!alert) throw notFound(`Alert ${alertId} does not exist.`);
    const loaded = await tx.loadIncident(number);
    if (!loaded) throw notFound(`Incident ${formatIncidentId(number)} does not exist.`);
    if (!OPEN.has(loaded.state.status)) {
      throw gateUnmet(`${formatIncidentId(number)} is ${loaded.state.status}.`, [
        { code: 'incident_not_open', message: 'Alerts are attached to investigating or mitigated incidents only.' },
      ]);
    }
    if (alert.incident !== null && alert.incident !== number) {
      const other = await tx.loadIncident(alert.incident);
      if (other && OPEN.has(other.state.status)) {
        throw conflict(`Alert ${alertId} is linked to ${formatIncidentId(alert.incident)}, which is still open.`);
      }
    }
    const now = deps.clock.now();
    if (alert.incident !== number) await tx.saveAlerts([{ alert: { ...alert, incident: number }, isNew: false }]);
    const known = await tx.linkedAlerts(number, [alert.id]);
    const draft = draftOf(number, loaded);
    decideOn(draft, { type: 'RecordAlerts', actor, alerts: [linkOf(alert)], known }, now);
    await appendDraft(tx, draft);
    tx.notify({ kind: 'alerts' });
    return { incident: draft.state, version: draft.state.version };
  });
}
