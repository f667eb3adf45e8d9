import type { Insights } from '../domain/insights/insights.js';
import type { Severity as InsightsSeverity } from '../domain/incident/types.js';
import { ClientError, ServerUnreachableError, type Problem } from './errors.js';
import type {
  AccessRole,
  ActionInput,
  ActionItemRow,
  ActionListFilter,
  ActionPatch,
  PostmortemAssignInput,
  PostmortemItem,
  PostmortemListFilter,
  PostmortemStateInput,
  QuestionActionInput,
  WaiverInput,
  AppliedCatalog,
  CatalogInfo,
  TeamInfo,
  CreatedIntegration,
  AlertFilter,
  NotificationFilter,
  NotificationTargetInput,
  CreatedNotificationTarget,
  NotificationTargetInfo,
  NotificationInfo,
  TimerInfo,
  AlertInfo,
  DeployInfo,
  DeployInput,
  IntegrationInfo,
  IntegrationType,
  ServiceDetail,
  ServiceSummary,
  SuspectsAnswer,
  Checklist,
  PostmortemReport,
  ActionStatus,
  CommandOptions,
  CommsInput,
  CreatedToken,
  CreatedUser,
  DeclareInput,
  EvidenceInput,
  GuardrailInput,
  ImpactInput,
  IncidentAnswer,
  IncidentFilter,
  IncidentSummary,
  ItemList,
  MitigationInput,
  IncidentLever,
  PullLeverInput,
  LeverDryRun,
  ConfirmLeverInput,
  NoteInput,
  Page,
  PostmortemInput,
  RoleInput,
  SessionInfo,
  SeverityInput,
  StatusInput,
  TimelinePage,
  TokenInfo,
  TriageInput,
  TriageResult,
  UpdateInput,
  UserInfo,
  MaintenanceInfo,
  MaintenanceInput,
  MaintenanceStatus,
  CreatedHeartbeat,
  HeartbeatInfo,
  HeartbeatInput,
  OncallAnswer,
  ScheduleDetail,
  ScheduleSummary,
  ShiftsAnswer,
  CalendarFeedInfo,
  CalendarFeedKind,
  CreatedCalendarFeed,
  AddedContactMethod,
  ContactMethodInfo,
  ContactMethodInput,
  NotificationRuleInfo,
} from './types.js';

export * from './errors.js';
export { alertNote } from './alert-note.js';
export type * from './types.js';
export { INTEGRATION_TYPES } from './types.js';
export type { Insights } from '../domain/insights/insights.js';
/** The size limits the server enforces, for forms (maxLength) and scripts. */
export { LIMITS } from '../domain/limits.js';
/** The closed sets the API takes, for forms and scripts (one list, in the domain). */
export {
  ACTION_KINDS,
  ACTION_STATUSES,
  ACTIVE_STATUSES,
  EVIDENCE_KINDS,
  MITIGATION_KINDS,
  PRIORITIES,
  ROLES,
  SEVERITIES,
  STATUSES,
} from '../domain/incident/types.js';
export { DEPLOY_STATUSES } from '../domain/deploys/types.js';
export { ALERT_STATUSES } from '../domain/alerts/types.js';

export interface ClientOptions {
  /** Where the server listens, e.g. `http://127.0.0.1:7070`; a trailing slash is ignored. */
  baseUrl: string;
  /** Bearer token; without one the request relies on the session cookie (web) or is refused (401). */
  token?: string;
  fetch?: typeof fetch;
  /** Per-attempt timeout; default 30 s. */
  timeoutMs?: number;
  /** Pause before the one retry of a safe request; default 250 ms. */
  retryDelayMs?: number;
}

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
type Query = Record<string, string | number | undefined>;

interface RequestSpec {
  method: Method;
  path: string;
  query?: Query;
  body?: unknown;
  command?: CommandOptions;
  as?: 'json' | 'text' | 'none';
  /** A body sent as it is (a YAML catalog), instead of `body` as JSON. */
  raw?: { text: string; contentType: string };
}

const API = '/api/v1';
const seg = (s: string) => encodeURIComponent(s);
const incidentPath = (id: string, rest = '') => `${API}/incidents/${seg(id)}${rest}`;
const list = (values: readonly string[] | undefined) => (values?.length ? values.join(',') : undefined);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Normalises and checks a base URL; throws TypeError for anything but http(s). */
export function normaliseBaseUrl(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new TypeError(`not a valid URL: ${baseUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${baseUrl}`);
  return url.href.replace(/\/+$/, '');
}

/** A typed client for the Firebreak HTTP API (docs/API.md): one method per route. */
export function createClient(options: ClientOptions) {
  const baseUrl = normaliseBaseUrl(options.baseUrl);
  const doFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const timeoutMs = options.timeoutMs ?? 30_000;
  const retryDelayMs = options.retryDelayMs ?? 250;

  function urlOf(path: string, query?: Query): string {
    const url = new URL(baseUrl + path);
    for (const [k, v] of Object.entries(query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));
    return url.href;
  }

  function headersOf(spec: RequestSpec): Record<string, string> {
    const h: Record<string, string> = { accept: spec.as === 'text' ? '*/*' : 'application/json' };
    if (options.token) h.authorization = `Bearer ${options.token}`;
    if (spec.body !== undefined) h['content-type'] = 'application/json';
    if (spec.raw !== undefined) h['content-type'] = spec.raw.contentType;
    if (spec.command?.idempotencyKey) h['idempotency-key'] = spec.command.idempotencyKey;
    if (spec.command?.ifMatch !== undefined) h['if-match'] = String(spec.command.ifMatch);
    return h;
  }

  async function attempt(spec: RequestSpec): Promise<Response> {
    try {
      return await doFetch(urlOf(spec.path, spec.query), {
        method: spec.method,
        headers: headersOf(spec),
        body: spec.raw?.text ?? (spec.body === undefined ? undefined : JSON.stringify(spec.body)),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      throw new ServerUnreachableError(baseUrl, err);
    }
  }

  async function problemOf(res: Response): Promise<Problem> {
    const text = await res.text().catch(() => '');
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) return parsed as Problem;
    } catch {
      // not JSON: a proxy's error page, say
    }
    return { status: res.status, title: res.statusText || `HTTP ${res.status}` };
  }

  // Only reads and keyed commands are retried: the key makes the second try record at most once.
  async function send(spec: RequestSpec): Promise<Response> {
    const retryable = spec.method === 'GET' || Boolean(spec.command?.idempotencyKey);
    try {
      const res = await attempt(spec);
      if (res.status < 500 || !retryable) return res;
      await res.body?.cancel().catch(() => undefined);
    } catch (err) {
      if (!retryable || !(err instanceof ServerUnreachableError)) throw err;
    }
    await sleep(retryDelayMs);
    return attempt(spec);
  }

  async function request<T>(spec: RequestSpec): Promise<T> {
    const res = await send(spec);
    if (!res.ok) throw new ClientError(res.status, await problemOf(res));
    if (spec.as === 'none' || res.status === 204) {
      await res.body?.cancel().catch(() => undefined);
      return undefined as T;
    }
    const text = await res.text();
    if (spec.as === 'text') return text as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new ClientError(res.status, {
        code: 'invalid_response',
        detail: `the server at ${baseUrl} answered ${spec.method} ${spec.path} with something that is not JSON`,
      });
    }
  }

  const command = (id: string, method: Method, rest: string, body: unknown, opts?: CommandOptions) =>
    request<IncidentAnswer>({ method, path: incidentPath(id, rest), body, command: opts });

  const getTimeline = (id: string, page: { cursor?: string; limit?: number } = {}) =>
    request<TimelinePage>({
      method: 'GET',
      path: incidentPath(id, '/timeline'),
      query: { format: 'json', cursor: page.cursor, limit: page.limit },
    });

  return {
    baseUrl,

    /** `GET /healthz`. */
    health: () => request<{ status: string }>({ method: 'GET', path: '/healthz' }),
    /** `GET /api/v1/openapi.json`. */
    openapi: () => request<Record<string, unknown>>({ method: 'GET', path: `${API}/openapi.json` }),
    /** `GET /status/export.json` (public): every file of the status page, for a static host. */
    statusExport: () =>
      request<{ files: { path: string; contentType: string; body: string }[] }>({ method: 'GET', path: '/status/export.json' }),

    /** `POST /api/v1/incidents`: declare; answers the new incident. */
    declareIncident: (input: DeclareInput, opts?: Omit<CommandOptions, 'ifMatch'>) =>
      request<IncidentAnswer>({ method: 'POST', path: `${API}/incidents`, body: input, command: opts }),
    /** `GET /api/v1/incidents`, newest first; follow `nextCursor` for more. */
    listIncidents: (filter: IncidentFilter = {}) =>
      request<Page<IncidentSummary>>({
        method: 'GET',
        path: `${API}/incidents`,
        query: {
          status: list(filter.status),
          severity: list(filter.severity),
          service: filter.service,
          cursor: filter.cursor,
          limit: filter.limit,
        },
      }),
    /** `GET /api/v1/incidents/{id}`; `id` is `INC-<n>` or `<n>`. */
    getIncident: (id: string) => request<IncidentAnswer>({ method: 'GET', path: incidentPath(id) }),
    /** One page of the timeline as JSON. */
    getTimeline,
    /** Every page of the timeline as JSON, merged. */
    async getWholeTimeline(id: string): Promise<TimelinePage> {
      const first = await getTimeline(id, { limit: 500 });
      const events = [...first.events];
      for (let cursor = first.nextCursor; cursor !== null; ) {
        const next = await getTimeline(id, { cursor, limit: 500 });
        events.push(...next.events);
        cursor = next.nextCursor;
      }
      return { incident: first.incident, events, nextCursor: null };
    },
    /** The whole timeline as Markdown or CSV. */
    getTimelineText: (id: string, format: 'md' | 'csv') =>
      request<string>({ method: 'GET', path: incidentPath(id, '/timeline'), query: { format }, as: 'text' }),
    /** The postmortem report as JSON. */
    getPostmortem: (id: string) =>
      request<PostmortemReport>({ method: 'GET', path: incidentPath(id, '/postmortem'), query: { format: 'json' } }),
    /** The postmortem report as Markdown or HTML. */
    getPostmortemText: (id: string, format: 'md' | 'html') =>
      request<string>({ method: 'GET', path: incidentPath(id, '/postmortem'), query: { format }, as: 'text' }),
    /** The live seven-step checklist as JSON. */
    getPlaybook: (id: string) =>
      request<Checklist>({ method: 'GET', path: incidentPath(id, '/playbook'), query: { format: 'json' } }),
    /** The live seven-step checklist as Markdown. */
    getPlaybookText: (id: string) =>
      request<string>({ method: 'GET', path: incidentPath(id, '/playbook'), query: { format: 'md' }, as: 'text' }),
    /** `GET …/actions/export`: the action items as Markdown or CSV, or a JSON array of Jira, Linear or GitHub request bodies, as text. */
    exportActionItems: (
      id: string,
      query: { format: 'md' | 'csv' | 'jira' | 'linear' | 'github'; project?: string; issueType?: string; team?: string },
    ) => request<string>({ method: 'GET', path: incidentPath(id, '/actions/export'), query, as: 'text' }),
    /** `POST /api/v1/triage`: severity from impact facts. */
    triage: (facts: TriageInput) => request<TriageResult>({ method: 'POST', path: `${API}/triage`, body: facts }),

    /** `POST …/severity`. */
    changeSeverity: (id: string, input: SeverityInput, opts?: CommandOptions) =>
      command(id, 'POST', '/severity', input, opts),
    /** `PUT …/impact`. */
    stateImpact: (id: string, input: ImpactInput, opts?: CommandOptions) => command(id, 'PUT', '/impact', input, opts),
    /** `POST …/roles`. */
    assignRole: (id: string, input: RoleInput, opts?: CommandOptions) => command(id, 'POST', '/roles', input, opts),
    /** `DELETE …/roles`. */
    unassignRole: (id: string, input: RoleInput, opts?: CommandOptions) => command(id, 'DELETE', '/roles', input, opts),
    /** `PUT …/comms`. */
    setComms: (id: string, input: CommsInput, opts?: CommandOptions) => command(id, 'PUT', '/comms', input, opts),
    /** `POST …/updates`. */
    postUpdate: (id: string, input: UpdateInput, opts?: CommandOptions) => command(id, 'POST', '/updates', input, opts),
    /** `POST …/notes`. */
    addNote: (id: string, input: NoteInput, opts?: CommandOptions) => command(id, 'POST', '/notes', input, opts),
    /** `POST …/evidence`. */
    addEvidence: (id: string, input: EvidenceInput, opts?: CommandOptions) =>
      command(id, 'POST', '/evidence', input, opts),
    /** `POST …/mitigations`. */
    decideMitigation: (id: string, input: MitigationInput, opts?: CommandOptions) =>
      command(id, 'POST', '/mitigations', input, opts),
    /** `GET …/levers`: the incident's catalog levers, fail-closed first, with the release boundary. */
    listLevers: (id: string) => request<ItemList<IncidentLever>>({ method: 'GET', path: incidentPath(id, '/levers') }),
    /** `POST …/mitigations` with `execute: true`: records the pull and runs the lever (webhook called, or manual). */
    pullLever: (id: string, input: PullLeverInput, opts?: CommandOptions) =>
      command(id, 'POST', '/mitigations', { ...input, execute: true }, opts),
    /** `POST …/mitigations` with `dryRun: true`: the request the lever would make; nothing recorded or sent. */
    dryRunLever: (id: string, input: PullLeverInput) =>
      request<LeverDryRun>({ method: 'POST', path: incidentPath(id, '/mitigations'), body: { ...input, execute: true, dryRun: true } }),
    /** `POST …/mitigations/{mid}/confirm`: a pulled manual lever done or failed. */
    confirmLever: (id: string, mitigationId: string, input: ConfirmLeverInput, opts?: CommandOptions) =>
      command(id, 'POST', `/mitigations/${seg(mitigationId)}/confirm`, input, opts),
    /** `POST …/questions`. */
    askQuestion: (id: string, input: { question: string }, opts?: CommandOptions) =>
      command(id, 'POST', '/questions', input, opts),
    /** `POST …/questions/{qid}/answer`. */
    answerQuestion: (id: string, questionId: string, input: { answer: string }, opts?: CommandOptions) =>
      command(id, 'POST', `/questions/${seg(questionId)}/answer`, input, opts),
    /** `POST …/guardrails`. */
    addGuardrail: (id: string, input: GuardrailInput, opts?: CommandOptions) =>
      command(id, 'POST', '/guardrails', input, opts),
    /** `POST …/status`: a refused gate throws a ClientError with code `gate_unmet` and every `unmet`. */
    changeStatus: (id: string, input: StatusInput, opts?: CommandOptions) => command(id, 'POST', '/status', input, opts),
    /** `PUT …/postmortem`. */
    writePostmortem: (id: string, input: PostmortemInput, opts?: CommandOptions) =>
      command(id, 'PUT', '/postmortem', input, opts),
    /** `POST …/actions`. */
    addActionItem: (id: string, input: ActionInput, opts?: CommandOptions) =>
      command(id, 'POST', '/actions', input, opts),
    /** `PATCH /api/v1/actions/{actionId}`; `actionId` is `INC-<n>-A<k>`. */
    setActionStatus: (actionId: string, status: ActionStatus, opts?: CommandOptions) =>
      request<IncidentAnswer>({
        method: 'PATCH',
        path: `${API}/actions/${seg(actionId)}`,
        body: { status },
        command: opts,
      }),
    /** `PATCH /api/v1/actions/{actionId}`: edit fields (each an event) and/or the status. */
    editActionItem: (actionId: string, patch: ActionPatch, opts?: CommandOptions) =>
      request<IncidentAnswer>({ method: 'PATCH', path: `${API}/actions/${seg(actionId)}`, body: patch, command: opts }),
    /** `POST …/questions/{qid}/action`: an open question becomes an action item. */
    questionToAction: (id: string, questionId: string, input: QuestionActionInput, opts?: CommandOptions) =>
      command(id, 'POST', `/questions/${seg(questionId)}/action`, input, opts),
    /** `POST …/postmortem/assign`. */
    assignPostmortem: (id: string, input: PostmortemAssignInput, opts?: CommandOptions) =>
      command(id, 'POST', '/postmortem/assign', input, opts),
    /** `POST …/postmortem/state`: submit (in_review), send back (draft, with a reason) or publish. */
    changePostmortemState: (id: string, input: PostmortemStateInput, opts?: CommandOptions) =>
      command(id, 'POST', '/postmortem/state', input, opts),
    /** `POST …/postmortem/waivers`. */
    waiveBlameWarning: (id: string, input: WaiverInput, opts?: CommandOptions) =>
      command(id, 'POST', '/postmortem/waivers', input, opts),
    /** `GET /api/v1/postmortems`. */
    listPostmortems: (filter: PostmortemListFilter = {}) =>
      request<Page<PostmortemItem>>({ method: 'GET', path: `${API}/postmortems`, query: { ...filter } }),
    /** `GET /api/v1/actions`: action items across incidents, earliest deadline first. */
    listActions: (filter: ActionListFilter = {}) =>
      request<Page<ActionItemRow>>({ method: 'GET', path: `${API}/actions`, query: { ...filter } }),

    /** `POST /api/v1/tokens` (admin): the secret is in the answer only this once. */
    createToken: (input: { name: string; role: AccessRole }) =>
      request<CreatedToken>({ method: 'POST', path: `${API}/tokens`, body: input }),
    /** `GET /api/v1/tokens` (admin). */
    listTokens: () => request<ItemList<TokenInfo>>({ method: 'GET', path: `${API}/tokens` }),
    /** `DELETE /api/v1/tokens/{id}` (admin). */
    revokeToken: (id: string) => request<void>({ method: 'DELETE', path: `${API}/tokens/${seg(id)}`, as: 'none' }),
    /** `POST /api/v1/users` (admin). */
    createUser: (input: { username: string; password: string; role: AccessRole }) =>
      request<CreatedUser>({ method: 'POST', path: `${API}/users`, body: input }),
    /** `GET /api/v1/users` (admin). */
    listUsers: () => request<ItemList<UserInfo>>({ method: 'GET', path: `${API}/users` }),
    /** `POST /api/v1/session`: signs in; the browser keeps the cookie. */
    signIn: (input: { username: string; password: string }) =>
      request<SessionInfo>({ method: 'POST', path: `${API}/session`, body: input }),
    /** `GET /api/v1/session`: who the caller is. */
    whoami: () => request<SessionInfo>({ method: 'GET', path: `${API}/session` }),
    /** `DELETE /api/v1/session`: signs out. */
    signOut: () => request<void>({ method: 'DELETE', path: `${API}/session`, as: 'none' }),

    /** `PUT /api/v1/catalog` (admin): the catalog text as YAML or JSON, validated whole. */
    applyCatalog: (text: string, format: 'yaml' | 'json') =>
      request<AppliedCatalog>({
        method: 'PUT',
        path: `${API}/catalog`,
        raw: { text, contentType: format === 'json' ? 'application/json' : 'application/yaml' },
      }),
    /** `GET /api/v1/catalog`: the version in force. */
    getCatalogInfo: () => request<CatalogInfo>({ method: 'GET', path: `${API}/catalog` }),
    /** `GET /api/v1/services`. */
    listServices: () => request<ItemList<ServiceSummary>>({ method: 'GET', path: `${API}/services` }),
    /** `GET /api/v1/services/{name}`. */
    getService: (name: string) => request<ServiceDetail>({ method: 'GET', path: `${API}/services/${seg(name)}` }),
    /** `GET /api/v1/services/{name}/playbook` (Markdown). */
    getServicePlaybook: (name: string) =>
      request<string>({ method: 'GET', path: `${API}/services/${seg(name)}/playbook`, as: 'text' }),
    /** `GET /api/v1/teams`. */
    listTeams: () => request<ItemList<TeamInfo>>({ method: 'GET', path: `${API}/teams` }),

    /** `POST /api/v1/deploys` (ingest): records a deploy, or updates the one with the same externalId. */
    recordDeploy: (input: DeployInput) => request<DeployInfo>({ method: 'POST', path: `${API}/deploys`, body: input }),
    /** `GET /api/v1/deploys`, newest first. */
    listDeploys: (filter: { service?: string; since?: string; limit?: number } = {}) =>
      request<ItemList<DeployInfo>>({ method: 'GET', path: `${API}/deploys`, query: filter }),
    /** `GET /api/v1/incidents/{id}/suspects`: the release boundary and suspect deploys. */
    getSuspects: (id: string) => request<SuspectsAnswer>({ method: 'GET', path: incidentPath(id, '/suspects') }),

    /** `GET /api/v1/alerts`, newest first; follow `nextCursor` for more. */
    listAlerts: (filter: AlertFilter = {}) =>
      request<Page<AlertInfo>>({ method: 'GET', path: `${API}/alerts`, query: { ...filter } }),
    /**
     * `GET /api/v1/alerts?incident=`: the alerts linked to an incident, newest first, one page at a time;
     * pass `nextCursor` back as `cursor` until it is null. The incident itself carries only the counts and the newest few.
     */
    listIncidentAlerts: (id: string, page: { cursor?: string; limit?: number } = {}) =>
      request<Page<AlertInfo>>({
        method: 'GET',
        path: `${API}/alerts`,
        query: { incident: id, cursor: page.cursor, limit: page.limit },
      }),
    /** `GET /api/v1/alerts/{id}`. */
    getAlert: (id: string) => request<AlertInfo>({ method: 'GET', path: `${API}/alerts/${seg(id)}` }),
    /** `POST /api/v1/incidents/{id}/alerts`: link an inbox alert to an open incident; answers the incident. */
    attachAlert: (id: string, alertId: string) =>
      request<IncidentAnswer>({ method: 'POST', path: incidentPath(id, '/alerts'), body: { alertId } }),

    /** `GET /api/v1/notifications`: notifications and their delivery state, newest first; follow `nextCursor` for more. */
    listNotifications: (filter: NotificationFilter = {}) =>
      request<Page<NotificationInfo>>({ method: 'GET', path: `${API}/notifications`, query: { ...filter } }),
    /** `GET /api/v1/incidents/{id}/timers`: the incident's timers, by due time. */
    listTimers: (id: string) => request<ItemList<TimerInfo>>({ method: 'GET', path: incidentPath(id, '/timers') }),

    /**
     * `GET /api/v1/insights`: the last `days` (default 30, 1–365), or `from`..`to` (ISO date-times); only
     * incidents of `service` and of the `severity` list when given.
     */
    getInsights: (q: { days?: number; from?: string; to?: string; service?: string; severity?: readonly InsightsSeverity[] } = {}) =>
      request<Insights>({ method: 'GET', path: `${API}/insights`, query: { ...q, severity: list(q.severity) } }),

    /** `POST /api/v1/integrations` (admin): the credential is in the answer only this once. */
    createIntegration: (input: { type: IntegrationType; name: string; secret?: string }) =>
      request<CreatedIntegration>({ method: 'POST', path: `${API}/integrations`, body: input }),
    /** `GET /api/v1/integrations` (admin). */
    listIntegrations: () => request<ItemList<IntegrationInfo>>({ method: 'GET', path: `${API}/integrations` }),
    /** `DELETE /api/v1/integrations/{id}` (admin). */
    revokeIntegration: (id: string) =>
      request<void>({ method: 'DELETE', path: `${API}/integrations/${seg(id)}`, as: 'none' }),

    /** `POST /api/v1/notification-targets` (admin): a webhook target's `secret` is in the answer only this once. */
    createNotificationTarget: (input: NotificationTargetInput) =>
      request<CreatedNotificationTarget>({ method: 'POST', path: `${API}/notification-targets`, body: input }),
    /** `GET /api/v1/notification-targets` (admin): never a URL path, token or secret. */
    listNotificationTargets: () => request<ItemList<NotificationTargetInfo>>({ method: 'GET', path: `${API}/notification-targets` }),
    /** `DELETE /api/v1/notification-targets/{id}` (admin). */
    deleteNotificationTarget: (id: string) =>
      request<void>({ method: 'DELETE', path: `${API}/notification-targets/${seg(id)}`, as: 'none' }),

    /** `POST /api/v1/maintenances` (responder): schedules a maintenance of public services. */
    scheduleMaintenance: (input: MaintenanceInput) =>
      request<MaintenanceInfo>({ method: 'POST', path: `${API}/maintenances`, body: input }),
    /** `GET /api/v1/maintenances`: those not cancelled, by start; with `state`, that status only (completed newest first). */
    listMaintenances: (filter: { state?: MaintenanceStatus; limit?: number } = {}) =>
      request<ItemList<MaintenanceInfo>>({ method: 'GET', path: `${API}/maintenances`, query: { ...filter } }),
    /** `GET /api/v1/maintenances/{id}`, cancelled or not. */
    getMaintenance: (id: string) => request<MaintenanceInfo>({ method: 'GET', path: `${API}/maintenances/${seg(id)}` }),
    /** `DELETE /api/v1/maintenances/{id}` (responder): calls it off; answers it with `cancelledAt` set. */
    cancelMaintenance: (id: string) =>
      request<MaintenanceInfo>({ method: 'DELETE', path: `${API}/maintenances/${seg(id)}` }),

    /** `POST /api/v1/heartbeats` (admin): a heartbeat on a catalog service; its token is in this answer only. */
    createHeartbeat: (input: HeartbeatInput) => request<CreatedHeartbeat>({ method: 'POST', path: `${API}/heartbeats`, body: input }),
    /** `GET /api/v1/heartbeats`: every heartbeat, by name, with its state and due time. */
    listHeartbeats: () => request<ItemList<HeartbeatInfo>>({ method: 'GET', path: `${API}/heartbeats` }),
    /** `DELETE /api/v1/heartbeats/{name}` (admin): answers it as it was; a miss it raised is resolved. */
    deleteHeartbeat: (name: string) => request<HeartbeatInfo>({ method: 'DELETE', path: `${API}/heartbeats/${seg(name)}` }),

    /** `GET /api/v1/schedules`: the catalog's on-call schedules and who is on call now. */
    listSchedules: () => request<{ at: string; items: ScheduleSummary[] }>({ method: 'GET', path: `${API}/schedules` }),
    /** `GET /api/v1/schedules/{name}`: one schedule, who is on call now and the gaps of the next 14 days. */
    getSchedule: (name: string) => request<ScheduleDetail>({ method: 'GET', path: `${API}/schedules/${seg(name)}` }),
    /** `GET /api/v1/schedules/{name}/oncall`: who is on call at `at` (ISO-8601; the server's now when not given). */
    getOncall: (name: string, at?: string) =>
      request<OncallAnswer>({ method: 'GET', path: `${API}/schedules/${seg(name)}/oncall`, query: { at } }),
    /** `GET /api/v1/schedules/{name}/shifts`: the final shifts of [from, to), at most 93 days (a week from now by default). */
    getShifts: (name: string, window: { from?: string; to?: string } = {}) =>
      request<ShiftsAnswer>({ method: 'GET', path: `${API}/schedules/${seg(name)}/shifts`, query: { ...window } }),

    /** `POST /api/v1/calendar-feeds` (responder): a feed of a schedule or a person; its secret URL is in the answer only this once. */
    createCalendarFeed: (input: { kind: CalendarFeedKind; target: string }) =>
      request<CreatedCalendarFeed>({ method: 'POST', path: `${API}/calendar-feeds`, body: input }),
    /** `GET /api/v1/calendar-feeds` (responder): every feed, revoked ones too, newest first; never their URLs. */
    listCalendarFeeds: () => request<ItemList<CalendarFeedInfo>>({ method: 'GET', path: `${API}/calendar-feeds` }),
    /** `DELETE /api/v1/calendar-feeds/{id}` (responder): its URL answers 404 from now on. */
    revokeCalendarFeed: (id: string) =>
      request<void>({ method: 'DELETE', path: `${API}/calendar-feeds/${seg(id)}`, as: 'none' }),

    /** `POST /api/v1/people/{person}/contact-methods` (admin or that person): sends it a verification code at once. */
    addContactMethod: (person: string, input: ContactMethodInput) =>
      request<AddedContactMethod>({ method: 'POST', path: `${API}/people/${seg(person)}/contact-methods`, body: input }),
    /** `GET /api/v1/people/{person}/contact-methods`: masked, never a secret. */
    listContactMethods: (person: string) =>
      request<ItemList<ContactMethodInfo>>({ method: 'GET', path: `${API}/people/${seg(person)}/contact-methods` }),
    /** `POST /api/v1/people/{person}/contact-methods/{id}/verify`: the 6-digit code the method was sent. */
    verifyContactMethod: (person: string, id: string, code: string) =>
      request<ContactMethodInfo>({ method: 'POST', path: `${API}/people/${seg(person)}/contact-methods/${seg(id)}/verify`, body: { code } }),
    /** `POST /api/v1/people/{person}/contact-methods/{id}/resend`: a new code (at most one a minute). */
    resendContactVerification: (person: string, id: string) =>
      request<AddedContactMethod>({ method: 'POST', path: `${API}/people/${seg(person)}/contact-methods/${seg(id)}/resend` }),
    /** `DELETE /api/v1/people/{person}/contact-methods/{id}`: and every rule naming it. */
    deleteContactMethod: (person: string, id: string) =>
      request<void>({ method: 'DELETE', path: `${API}/people/${seg(person)}/contact-methods/${seg(id)}`, as: 'none' }),
    /** `PUT /api/v1/people/{person}/notification-rules`: replaces them; verified methods only. */
    setNotificationRules: (person: string, rules: readonly { contactMethod: string; delayMinutes: number }[]) =>
      request<ItemList<NotificationRuleInfo>>({ method: 'PUT', path: `${API}/people/${seg(person)}/notification-rules`, body: { rules } }),
    /** `GET /api/v1/people/{person}/notification-rules`: by delay. */
    listNotificationRules: (person: string) =>
      request<ItemList<NotificationRuleInfo>>({ method: 'GET', path: `${API}/people/${seg(person)}/notification-rules` }),
  };
}

/** The client `createClient` returns. */
export type Client = ReturnType<typeof createClient>;
