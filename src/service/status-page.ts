import { createHash } from 'node:crypto';
import { canonicalService } from '../domain/catalog/names.js';
import type { IncidentCommand } from '../domain/incident/commands.js';
import { ACTIVE_STATUSES } from '../domain/incident/types.js';
import { validationError, type FieldError } from '../domain/errors.js';
import { deriveStatusPage } from '../domain/status/derive.js';
import { renderAtom, renderRss } from '../domain/status/feeds.js';
import { renderIncidentPage, renderStatusPage, STATUS_CSS } from '../domain/status/html.js';
import { statuspageDocuments } from '../domain/status/statuspage.js';
import { HISTORY_DAYS, RECENT_INCIDENTS, type StatusPageSettings, type StatusPageView } from '../domain/status/types.js';
import { writeFilesAtomically } from '../files.js';
import type { ServiceDeps } from './deps.js';
import type { Change, IncidentSummary, StoreTx } from './ports.js';

/** A view older than this is recomputed even without a change: maintenances start and end by time. */
const MAX_AGE_MS = 15_000;
/** How far back closed incidents are read: the history, and enough of them to fill incidents.json. */
const SCAN_LIMIT = 1_000;
const PAGE = 200;

/** One public file: its path under the page's root, its type, its bytes, and its ETag. */
export interface StatusFile {
  path: string;
  contentType: string;
  body: string;
  etag: string;
}

const etagOf = (body: string) => `"${createHash('sha256').update(body).digest('base64url').slice(0, 27)}"`;
const file = (path: string, contentType: string, body: string): StatusFile => ({ path, contentType, body, etag: etagOf(body) });

export const CONTENT_TYPES = {
  html: 'text/html; charset=utf-8',
  css: 'text/css; charset=utf-8',
  json: 'application/json; charset=utf-8',
  rss: 'application/rss+xml; charset=utf-8',
  atom: 'application/atom+xml; charset=utf-8',
} as const;

/**
 * Every public file of a view, as a static host serves them from one folder: `index.html`,
 * `incidents/{id}/index.html`, `status.css`, the feeds and `api/v2/…`. `feedRoot` is the absolute address
 * feeds link to, when one is known. `pageRoot` prefixes the pages' links: relative by default, so the
 * folder works at any address; `/status/` for the pages the server answers itself.
 */
export function exportFiles(view: StatusPageView, feedRoot: string, pageRoot?: string): StatusFile[] {
  const files = [
    file('index.html', CONTENT_TYPES.html, renderStatusPage(view, { root: pageRoot ?? './' })),
    file('status.css', CONTENT_TYPES.css, STATUS_CSS),
    file('history.rss', CONTENT_TYPES.rss, renderRss(view, { root: feedRoot })),
    file('history.atom', CONTENT_TYPES.atom, renderAtom(view, { root: feedRoot })),
    ...Object.entries(statuspageDocuments(view)).map(([path, doc]) => file(`api/v2/${path}`, CONTENT_TYPES.json, JSON.stringify(doc))),
  ];
  for (const i of view.incidents) {
    files.push(file(`incidents/${i.id}/index.html`, CONTENT_TYPES.html, renderIncidentPage(view, i.id, { root: pageRoot ?? '../../' })!));
  }
  return files;
}

/** The files the server answers itself: the same set, rendered once, with links under `/status/`. */
const servedFiles = (view: StatusPageView, feedRoot: string): Map<string, StatusFile> =>
  new Map(exportFiles(view, feedRoot, '/status/').map((f) => [f.path, f]));

const RELEVANT = new Set<Change['kind']>(['incident', 'catalog', 'maintenances', 'resync']);

/**
 * The public status page of this instance: computed from the store on demand, cached until a change
 * (every instance hears every commit) or MAX_AGE_MS, and shared by concurrent readers.
 */
export class StatusPage {
  private cached: { at: number; view: StatusPageView; served?: Map<string, StatusFile> } | undefined;
  private pending: Promise<StatusPageView> | undefined;
  private generation = 0;
  private readonly listeners = new Set<() => void>();
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly deps: ServiceDeps,
    readonly settings: StatusPageSettings,
    private readonly publicUrl: string | null = null,
  ) {}

  /** Starts hearing the store's changes (the cache is dropped on each relevant one). */
  start(): void {
    this.unsubscribe ??= this.deps.store.onChange((c) => {
      if (!RELEVANT.has(c.kind)) return;
      this.generation++;
      this.cached = undefined;
      for (const l of this.listeners) l();
    });
  }

  stop(): void {
    this.unsubscribe?.();
    this.unsubscribe = undefined;
  }

  /** Calls `fn` after each change that may alter the page; answers the function that stops it. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Where feeds link to: the page's own address, else Firebreak's, else a path. */
  get feedRoot(): string {
    if (this.settings.url) return `${this.settings.url}/`;
    return this.publicUrl ? `${this.publicUrl}/status/` : '/status/';
  }

  async view(): Promise<StatusPageView> {
    const age = this.cached ? Date.parse(this.deps.clock.now()) - this.cached.at : Infinity;
    const fresh = this.unsubscribe && age >= 0 && age < MAX_AGE_MS;
    if (fresh) return this.cached!.view;
    this.pending ??= this.compute().finally(() => (this.pending = undefined));
    return this.pending;
  }

  /** The file the server answers for a path under /status/ (`index.html` for the page itself). */
  async served(path: string): Promise<StatusFile | undefined> {
    const view = await this.view();
    const cached = this.cached?.view === view ? this.cached : undefined;
    const served = cached?.served ?? servedFiles(view, this.feedRoot);
    if (cached) cached.served = served;
    return served.get(path);
  }

  private async compute(): Promise<StatusPageView> {
    const generation = this.generation;
    const view = deriveStatusPage(await loadStatusInputs(this.deps, this.settings));
    if (generation === this.generation) this.cached = { at: Date.parse(view.generatedAt), view };
    return view;
  }
}

/** Open incidents, and closed ones back to the history's start or until enough are read. */
async function loadStatusInputs(deps: ServiceDeps, settings: StatusPageSettings) {
  const { store } = deps;
  const now = deps.clock.now();
  const since = new Date(Date.parse(now) - (HISTORY_DAYS + 1) * 86_400_000).toISOString();
  const open = await store.listIncidents({ status: [...ACTIVE_STATUSES], limit: 500 });
  const recent: IncidentSummary[] = [];
  for (let before: number | undefined; recent.length < SCAN_LIMIT; ) {
    const page = await store.listIncidents({ limit: PAGE, ...(before !== undefined && { before }) });
    recent.push(...page);
    const last = page.at(-1);
    if (!last || page.length < PAGE || (recent.length >= RECENT_INCIDENTS * 4 && last.updatedAt < since)) break;
    before = last.number;
  }
  const numbers = [...new Set([...open, ...recent].map((s) => s.number))];
  const [record, loaded, maintenances] = await Promise.all([
    store.currentCatalog(),
    store.loadIncidents(numbers),
    store.listMaintenances({ endsAfter: since, limit: 500 }),
  ]);
  return {
    settings,
    catalog: record ? { services: record.catalog.services, systems: record.catalog.systems, appliedAt: record.appliedAt } : null,
    incidents: loaded.map((l) => l.state),
    maintenances,
    now,
  };
}

/** An external update may only name public components of the catalog in force; internal ones are refused by decide. */
export async function checkPublicComponents(tx: Pick<StoreTx, 'currentCatalog'>, cmd: IncidentCommand): Promise<IncidentCommand> {
  if (cmd.type !== 'PostUpdate' || !cmd.components) return cmd;
  const catalog = (await tx.currentCatalog())?.catalog;
  const isPublic = new Set((catalog?.services ?? []).filter((s) => s.public).map((s) => s.name));
  const errors: FieldError[] = [];
  const components: Record<string, (typeof cmd.components)[string]> = {};
  for (const [name, state] of Object.entries(cmd.components)) {
    const id = canonicalService(name);
    if (!isPublic.has(id)) errors.push({ path: `body.components.${name}`, message: 'names no public service of the catalog (set public: true on it)' });
    components[id] = state;
  }
  if (errors.length > 0) throw validationError(errors, 'An update can only set the state of public components.');
  return { ...cmd, components };
}

/**
 * Rewrites FIREBREAK_STATUS_EXPORT_DIR after each change (at most once a second), and once at start.
 * The function it answers stops it: a change not written yet is written then, and it resolves once the
 * last write is done (shutdown awaits it before closing the store).
 */
export function startStatusExport(page: StatusPage, dir: string, log: ServiceDeps['log']): () => Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let writing: Promise<void> = Promise.resolve();
  const write = () => {
    timer = undefined;
    writing = writing
      .then(async () => writeFilesAtomically(dir, exportFiles(await page.view(), page.feedRoot)))
      .then(
        () => undefined,
        (err: unknown) => log.error({ err: err instanceof Error ? err.message : String(err), dir }, 'status export failed'),
      );
  };
  const soon = () => {
    timer ??= setTimeout(write, 1_000);
    timer.unref();
  };
  const stop = page.onChange(soon);
  const tick = setInterval(soon, MAX_AGE_MS);
  tick.unref();
  write();
  return async () => {
    stop();
    clearInterval(tick);
    if (timer) {
      clearTimeout(timer);
      write();
    }
    await writing;
  };
}
