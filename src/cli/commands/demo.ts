import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import { ClientError, LIMITS, normaliseBaseUrl, ServerUnreachableError, type Client, type IncidentAnswer } from '../../client/index.js';
import { DEFAULT_URL, contextFor, parseWhole, type CliIo, type RunState } from '../context.js';
import { UsageError } from '../exit-codes.js';
import { generateDemo, type DemoPlan, type ImportBody, type LiveStep, type OpenIncident } from '../demo/generate.js';

/** What `firebreak demo` made, for the summary (and `--json`). */
export interface DemoSummary {
  url: string;
  seed: number;
  catalog: { version: number; services: number; teams: number; systems: number };
  users: { username: string; role: string; created: boolean }[];
  password: string;
  deploys: { total: number; failed: number; rolledBack: number };
  incidents: { past: number; closed: number; resolved: number; cancelled: number; reopened: number; overrides: number };
  open: { id: string; service: string; title: string; declaredBy: string; firingAlerts: number }[];
  overdue: { postmortems: number; actionItems: number };
}

interface Raw {
  send<T>(method: string, path: string, opts?: { body?: unknown; bearer?: string; cookie?: string }): Promise<{ value: T; headers: Headers }>;
}

function rawClient(io: CliIo, baseUrl: string, token: string): Raw {
  const doFetch = io.fetch ?? globalThis.fetch.bind(globalThis);
  return {
    async send<T>(method: string, path: string, opts: { body?: unknown; bearer?: string; cookie?: string } = {}) {
      const headers: Record<string, string> = { accept: 'application/json' };
      const bearer = opts.cookie ? undefined : (opts.bearer ?? token);
      if (bearer) headers.authorization = `Bearer ${bearer}`;
      if (opts.cookie) headers.cookie = opts.cookie;
      if (opts.body !== undefined) headers['content-type'] = 'application/json';
      let res: Response;
      try {
        res = await doFetch(`${baseUrl}${path}`, {
          method,
          headers,
          body: opts.body === undefined ? undefined : JSON.stringify(opts.body),
          signal: AbortSignal.timeout(60_000),
        });
      } catch (err) {
        throw new ServerUnreachableError(baseUrl, err);
      }
      const text = await res.text();
      let parsed: unknown = undefined;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        // not JSON
      }
      if (!res.ok) {
        const problem = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>) : { title: `HTTP ${res.status}` };
        throw new ClientError(res.status, { ...problem, detail: `${method} ${path}: ${String(problem.detail ?? problem.title ?? res.status)}` });
      }
      return { value: parsed as T, headers: res.headers };
    },
  };
}

/** A password for the demo users: 16 characters from a CSPRNG, easy to type. */
function newPassword(): string {
  return `demo-${randomBytes(12).toString('base64url')}`;
}

/** `demo`: fills a running server, through the API as admin, with a company's catalog, users, deploys and incidents. */
export function registerDemoCommand(program: Command, io: CliIo, state: RunState): void {
  program
    .command('demo')
    .description(
      'fill a running server with a realistic company: catalog, users, 60 days of deploys, ~40 past incidents and 2 in progress now (admin)',
    )
    .option('--force', 'add the demo even when the server already has incidents')
    .option('--seed <n>', 'which company to generate: the same seed gives the same data', parseWhole, 1)
    .option('--password <text>', "the demo users' password (default: FIREBREAK_PASSWORD, else generated and printed)")
    .action(async (o: { force?: boolean; seed: number; password?: string }, cmd: Command) => {
      const c = contextFor(io, state, cmd);
      const g = cmd.optsWithGlobals<{ url?: string; token?: string }>();
      const baseUrl = normaliseBaseUrl(g.url ?? io.env.FIREBREAK_URL ?? DEFAULT_URL);
      const raw = rawClient(io, baseUrl, g.token ?? io.env.FIREBREAK_TOKEN ?? '');

      const who = await c.client.whoami();
      if (who.role !== 'admin') {
        throw new ClientError(403, {
          code: 'forbidden',
          detail: `demo needs an admin token: ${who.username} has the ${who.role} role (FIREBREAK_TOKEN or --token)`,
        });
      }
      const existing = await c.client.listIncidents({ limit: 1 });
      if (existing.items.length > 0 && !o.force) {
        throw new ClientError(409, {
          code: 'conflict',
          detail: `${baseUrl} already has incidents (newest ${existing.items[0]!.id}): run demo on an empty server, or add --force to add the demo's anyway`,
        });
      }

      const password = o.password ?? io.env.FIREBREAK_PASSWORD ?? newPassword();
      if (password.length < LIMITS.password.min || password.length > LIMITS.password.max) {
        throw new UsageError(`--password must be ${LIMITS.password.min} to ${LIMITS.password.max} characters`);
      }
      const plan = generateDemo({ now: io.now(), seed: o.seed });
      if (!c.json) io.stderr(`firebreak: filling ${baseUrl} with the demo company (seed ${o.seed})…\n`);
      const summary = await runDemo(c.client, raw, plan, password, baseUrl);
      c.out(summary, () => formatSummary(summary));
    });
}

async function runDemo(client: Client, raw: Raw, plan: DemoPlan, password: string, url: string): Promise<DemoSummary> {
  const applied = await client.applyCatalog(JSON.stringify(plan.catalog), 'json');

  const users: DemoSummary['users'] = [];
  for (const u of plan.users) {
    try {
      await client.createUser({ username: u.username, password, role: u.role });
      users.push({ ...u, created: true });
    } catch (err) {
      if (!(err instanceof ClientError && err.status === 409)) throw err;
      users.push({ ...u, created: false });
    }
  }

  for (const d of plan.deploys) await client.recordDeploy(d);

  const imported: IncidentAnswer[] = [];
  for (const p of plan.past) imported.push(await importHistory(raw, p.body));

  const integration = await createAlertmanager(client);
  const sessions = new Sessions(raw, password, new Set(users.filter((u) => u.role === 'responder').map((u) => u.username)));
  const open: DemoSummary['open'] = [];
  for (const o of plan.open) open.push(await startOpenIncident(client, raw, sessions, integration, o));

  const [pms, actions] = await Promise.all([
    client.listPostmortems({ overdue: 'true', limit: 500 }),
    client.listActions({ overdue: 'true', limit: 500 }),
  ]);
  const count = (s: string) => imported.filter((i) => i.status === s).length;
  return {
    url,
    seed: plan.seed,
    catalog: { version: applied.version, services: applied.services, teams: applied.teams, systems: applied.systems },
    users,
    password,
    deploys: {
      total: plan.deploys.length,
      failed: plan.deploys.filter((d) => d.status === 'failed').length,
      rolledBack: plan.deploys.filter((d) => d.status === 'rolled_back').length,
    },
    incidents: {
      past: imported.length,
      closed: count('closed'),
      resolved: count('resolved'),
      cancelled: count('cancelled'),
      reopened: plan.past.filter((p) => p.reopened).length,
      overrides: plan.past.filter((p) => p.override).length,
    },
    open,
    overdue: { postmortems: pms.items.length, actionItems: actions.items.length },
  };
}

async function importHistory(raw: Raw, body: ImportBody): Promise<IncidentAnswer> {
  return (await raw.send<IncidentAnswer>('POST', '/api/v1/incidents/import', { body })).value;
}

async function createAlertmanager(client: Client): Promise<string> {
  for (let n = 1; ; n++) {
    const name = n === 1 ? 'demo-alertmanager' : `demo-alertmanager-${n}`;
    try {
      const created = await client.createIntegration({ type: 'alertmanager', name });
      if (!created.token) throw new Error('the server answered an alertmanager integration without a token');
      return created.token;
    } catch (err) {
      if (!(err instanceof ClientError && err.status === 409) || n >= 20) throw err;
    }
  }
}

/** Signs the demo's people in, so what they do live is recorded as them; the admin token when one cannot sign in. */
class Sessions {
  private readonly cookies = new Map<string, string | null>();
  constructor(
    private readonly raw: Raw,
    private readonly password: string,
    private readonly responders: ReadonlySet<string>,
  ) {}

  async cookieOf(username: string): Promise<string | undefined> {
    if (!this.responders.has(username)) return undefined;
    if (!this.cookies.has(username)) {
      try {
        const { headers } = await this.raw.send('POST', '/api/v1/session', { body: { username, password: this.password } });
        const set = headers.getSetCookie().map((c) => c.split(';')[0] ?? '').find((c) => c.startsWith('fb_session='));
        this.cookies.set(username, set ?? null);
      } catch (err) {
        // A user from an earlier run with another password: act with the admin token instead.
        if (!(err instanceof ClientError && err.status === 401)) throw err;
        this.cookies.set(username, null);
      }
    }
    return this.cookies.get(username) ?? undefined;
  }
}

async function runLive(raw: Raw, sessions: Sessions, id: string, steps: readonly LiveStep[]): Promise<void> {
  for (const step of steps) {
    const cookie = await sessions.cookieOf(step.actor);
    if (step.path === '/severity') {
      const current = (await raw.send<IncidentAnswer>('GET', `/api/v1/incidents/${id}`)).value;
      if (current.severity === step.body.severity) continue;
    }
    await raw.send(step.method, `/api/v1/incidents/${id}${step.path}`, { body: step.body, cookie });
  }
}

async function startOpenIncident(client: Client, raw: Raw, sessions: Sessions, amToken: string, o: OpenIncident): Promise<DemoSummary['open'][number]> {
  let id: string | null = o.history ? (await importHistory(raw, o.history)).id : null;
  for (const body of o.alerts) {
    await raw.send('POST', '/api/v1/integrations/alertmanager', { body, bearer: amToken });
  }
  let declaredBy = o.history?.declare.actor ?? 'alert';
  if (id === null) {
    const alert = (await client.listAlerts({ dedupKey: o.dedupKey, limit: 1 })).items[0];
    id = alert?.incident ?? null;
    if (id === null) {
      // Auto-declaration is off on this server (FIREBREAK_AUTO_DECLARE_MAX_TIER=0): declare by hand and link the alerts.
      const first = o.alerts[0]!.alerts[0]!;
      const actor = o.live[0]?.actor ?? 'ana';
      const cookie = await sessions.cookieOf(actor);
      const declared = await raw.send<IncidentAnswer>('POST', '/api/v1/incidents', {
        cookie,
        body: { title: `[${o.service}] ${first.annotations.summary}`, impact: 'impact unconfirmed', services: [o.service], startedAt: first.startsAt },
      });
      id = declared.value.id;
      declaredBy = actor;
      const linked = await client.listAlerts({ service: o.service, status: 'firing', incident: 'none', limit: 100 });
      for (const a of linked.items) await client.attachAlert(id, a.id);
    }
  }
  await runLive(raw, sessions, id, o.live);
  const inc = await client.getIncident(id);
  return { id, service: o.service, title: inc.title, declaredBy, firingAlerts: inc.alertCounts.firing };
}

function signIn(s: DemoSummary): string {
  const first = s.users.find((u) => u.role === 'responder' && u.created);
  return first
    ? `Open ${s.url} and sign in as ${first.username} with the password ${s.password}`
    : `Open ${s.url} and sign in as ${s.users[0]?.username ?? 'ana'} with the password it was created with`;
}

export function formatSummary(s: DemoSummary): string {
  const people = (role: string) => s.users.filter((u) => u.role === role).map((u) => u.username).join(', ');
  const kept = s.users.filter((u) => !u.created).map((u) => u.username);
  const lines = [
    `Demo company (seed ${s.seed}) is in ${s.url}:`,
    `  catalog v${s.catalog.version}: ${s.catalog.services} services, ${s.catalog.teams} teams, ${s.catalog.systems} systems`,
    `  deploys: ${s.deploys.total} over 60 days (${s.deploys.failed} failed, ${s.deploys.rolledBack} rolled back)`,
    `  past incidents: ${s.incidents.past} (${s.incidents.closed} closed, ${s.incidents.resolved} resolved, ${s.incidents.cancelled} cancelled; ${s.incidents.reopened} re-opened, ${s.incidents.overrides} with a gate override)`,
    `  overdue: ${s.overdue.postmortems} postmortems, ${s.overdue.actionItems} action items`,
    `  in progress now:`,
    ...s.open.map((o) => `    ${o.id} ${o.title} (${o.service}; declared by ${o.declaredBy}; ${o.firingAlerts} alerts firing)`),
    '',
    signIn(s),
    `  responders: ${people('responder')}; viewer: ${people('viewer')}${kept.length ? ` (${kept.join(', ')} existed already: their password is unchanged)` : ''}`,
    `  see: ${s.url}/insights, ${s.url}/follow-ups, and the public status page at ${s.url}/status`,
  ];
  return lines.join('\n');
}
