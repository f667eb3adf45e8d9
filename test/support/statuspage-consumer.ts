/**
 * An independent reader of Statuspage public API v2 documents, written from Statuspage's published
 * format and not from our serialiser (it imports nothing of ours), so a test that runs our documents
 * through it checks them against the format and not against themselves.
 */

type Problems = string[];
type Check = (value: unknown, at: string, out: Problems) => void;

const INDICATORS = ['none', 'minor', 'major', 'critical'] as const;
const INCIDENT_IMPACTS = ['none', 'minor', 'major', 'critical'] as const;
// Statuspage's own pages mark a maintenance with impact "maintenance".
const MAINTENANCE_IMPACTS = [...INCIDENT_IMPACTS, 'maintenance'] as const;
const COMPONENT_STATUSES = ['operational', 'degraded_performance', 'partial_outage', 'major_outage', 'under_maintenance'] as const;
const INCIDENT_STATUSES = ['investigating', 'identified', 'monitoring', 'resolved', 'postmortem'] as const;
const MAINTENANCE_STATUSES = ['scheduled', 'in_progress', 'verifying', 'completed'] as const;
const CLOSED = new Set(['resolved', 'postmortem']);

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})$/;

const show = (v: unknown): string => (v === undefined ? 'undefined' : JSON.stringify(v));
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const str: Check = (v, at, out) => {
  if (typeof v !== 'string') out.push(`${at}: expected a string, got ${show(v)}`);
};
const time: Check = (v, at, out) => {
  if (typeof v !== 'string' || !ISO_TIME.test(v) || Number.isNaN(Date.parse(v)))
    out.push(`${at}: expected an ISO-8601 time, got ${show(v)}`);
};
const bool: Check = (v, at, out) => {
  if (typeof v !== 'boolean') out.push(`${at}: expected a boolean, got ${show(v)}`);
};
const num: Check = (v, at, out) => {
  if (typeof v !== 'number' || !Number.isFinite(v)) out.push(`${at}: expected a number, got ${show(v)}`);
};
const nullOr =
  (inner: Check): Check =>
  (v, at, out) => {
    if (v !== null) inner(v, at, out);
  };
const oneOf =
  (values: readonly string[]): Check =>
  (v, at, out) => {
    if (typeof v !== 'string' || !values.includes(v)) out.push(`${at}: expected one of ${values.join('|')}, got ${show(v)}`);
  };
const arrayOf =
  (inner: Check): Check =>
  (v, at, out) => {
    if (!Array.isArray(v)) out.push(`${at}: expected an array, got ${show(v)}`);
    else v.forEach((item, i) => inner(item, `${at}[${i}]`, out));
  };

interface Shape {
  required: Record<string, Check>;
  optional?: Record<string, Check>;
}

/** Checks every listed field and, unless `extra` is allowed, refuses fields the format does not list. */
const object =
  (shape: Shape, extra = false): Check =>
  (v, at, out) => {
    if (!isObject(v)) {
      out.push(`${at}: expected an object, got ${show(v)}`);
      return;
    }
    for (const [key, check] of Object.entries(shape.required)) {
      if (!(key in v)) out.push(`${at}.${key}: missing`);
      else check(v[key], `${at}.${key}`, out);
    }
    for (const [key, check] of Object.entries(shape.optional ?? {})) if (key in v) check(v[key], `${at}.${key}`, out);
    if (!extra)
      for (const key of Object.keys(v))
        if (!(key in shape.required) && !(key in (shape.optional ?? {}))) out.push(`${at}.${key}: not a Statuspage field`);
  };

// url may be null: a page whose public address is not configured has none to give.
const page = object({
  required: { id: str, name: str, url: nullOr(str), updated_at: time },
  optional: { time_zone: str },
});

const status = object({ required: { indicator: oneOf(INDICATORS), description: str } });

const component = object({
  required: {
    id: str,
    name: str,
    status: oneOf(COMPONENT_STATUSES),
    created_at: time,
    updated_at: time,
    position: num,
    description: nullOr(str),
    showcase: bool,
    start_date: nullOr(str),
    group_id: nullOr(str),
    group: bool,
    only_show_if_degraded: bool,
    page_id: str,
  },
  optional: { components: arrayOf(str) },
});

const affectedComponent = object({
  required: { code: str, name: str, old_status: oneOf(COMPONENT_STATUSES), new_status: oneOf(COMPONENT_STATUSES) },
});

const incidentUpdate = (statuses: readonly string[]) =>
  object({
    required: {
      id: str,
      status: oneOf(statuses),
      body: str,
      incident_id: str,
      created_at: time,
      updated_at: time,
      display_at: time,
      affected_components: arrayOf(affectedComponent),
      deliver_notifications: bool,
      custom_tweet: nullOr(str),
      tweet_id: nullOr(str),
    },
  });

const incidentFields = (statuses: readonly string[], impacts: readonly string[], updateStatuses: readonly string[]) => ({
  id: str,
  name: str,
  status: oneOf(statuses),
  impact: oneOf(impacts),
  created_at: time,
  updated_at: time,
  started_at: time,
  monitoring_at: nullOr(time),
  resolved_at: nullOr(time),
  shortlink: nullOr(str),
  page_id: str,
  components: arrayOf(component),
  incident_updates: arrayOf(incidentUpdate(updateStatuses)),
});

const incident = object({ required: incidentFields(INCIDENT_STATUSES, INCIDENT_IMPACTS, INCIDENT_STATUSES) });

const maintenance = object({
  required: {
    ...incidentFields(MAINTENANCE_STATUSES, MAINTENANCE_IMPACTS, MAINTENANCE_STATUSES),
    scheduled_for: time,
    scheduled_until: time,
  },
});

const DOCUMENTS: Record<string, Record<string, Check>> = {
  'summary.json': {
    page,
    status,
    components: arrayOf(component),
    incidents: arrayOf(incident),
    scheduled_maintenances: arrayOf(maintenance),
  },
  'status.json': { page, status },
  'components.json': { page, components: arrayOf(component) },
  'incidents.json': { page, incidents: arrayOf(incident) },
  'incidents/unresolved.json': { page, incidents: arrayOf(incident) },
  'scheduled-maintenances.json': { page, scheduled_maintenances: arrayOf(maintenance) },
  'scheduled-maintenances/upcoming.json': { page, scheduled_maintenances: arrayOf(maintenance) },
  'scheduled-maintenances/active.json': { page, scheduled_maintenances: arrayOf(maintenance) },
};

/** The Statuspage API v2 paths (under api/v2/) this checker knows. */
export const STATUSPAGE_PATHS = Object.keys(DOCUMENTS);

type Json = Record<string, unknown>;
const records = (v: unknown): Json[] => (Array.isArray(v) ? v.filter(isObject) : []);

function checkComponentList(list: Json[], at: string, out: Problems): void {
  const byId = new Map<string, Json>();
  for (const c of list) {
    if (typeof c.id !== 'string') continue;
    if (byId.has(c.id)) out.push(`${at}: component id ${show(c.id)} appears twice`);
    byId.set(c.id, c);
  }
  list.forEach((c, i) => {
    const where = `${at}[${i}]`;
    if (typeof c.group_id === 'string') {
      const parent = byId.get(c.group_id);
      if (!parent) out.push(`${where}.group_id: ${show(c.group_id)} is not a component`);
      else if (parent.group !== true) out.push(`${where}.group_id: ${show(c.group_id)} is not a group`);
      else if (!Array.isArray(parent.components) || !parent.components.includes(c.id))
        out.push(`${where}.group_id: group ${show(c.group_id)} does not list ${show(c.id)}`);
    }
    if (c.group === true) {
      if (c.group_id !== null) out.push(`${where}.group_id: a group sits in no group, got ${show(c.group_id)}`);
      if (!Array.isArray(c.components)) {
        out.push(`${where}.components: a group lists its components`);
        return;
      }
      c.components.forEach((id, j) => {
        const child = typeof id === 'string' ? byId.get(id) : undefined;
        if (!child) out.push(`${where}.components[${j}]: ${show(id)} is not a component`);
        else if (child.group_id !== c.id) out.push(`${where}.components[${j}]: ${show(id)} has group_id ${show(child.group_id)}`);
      });
    } else if (c.group === false && 'components' in c) {
      out.push(`${where}.components: only a group lists components`);
    }
  });
}

function checkIncidentList(list: Json[], at: string, pageId: unknown, known: Set<string> | null, out: Problems): void {
  const ids = new Set<string>();
  list.forEach((inc, i) => {
    const where = `${at}[${i}]`;
    if (typeof inc.id === 'string') {
      if (ids.has(inc.id)) out.push(`${where}.id: ${show(inc.id)} appears twice`);
      ids.add(inc.id);
    }
    if (inc.page_id !== pageId) out.push(`${where}.page_id: ${show(inc.page_id)} is not the page's id ${show(pageId)}`);
    if (typeof inc.status === 'string' && CLOSED.has(inc.status) && inc.resolved_at === null)
      out.push(`${where}.resolved_at: a ${inc.status} incident needs one`);
    const own = records(inc.components);
    own.forEach((c, j) => {
      if (c.page_id !== pageId) out.push(`${where}.components[${j}].page_id: ${show(c.page_id)} is not the page's id`);
      if (known && typeof c.id === 'string' && !known.has(c.id))
        out.push(`${where}.components[${j}].id: ${show(c.id)} is not a component of the page`);
    });
    // Without the page's component list (incidents.json, …), codes must name one of the incident's own.
    const codes = known ?? new Set(own.map((c) => c.id).filter((id): id is string => typeof id === 'string'));
    let previous: string | null = null;
    records(inc.incident_updates).forEach((u, j) => {
      const uAt = `${where}.incident_updates[${j}]`;
      if (u.incident_id !== inc.id) out.push(`${uAt}.incident_id: ${show(u.incident_id)} is not ${show(inc.id)}`);
      if (typeof u.created_at === 'string') {
        if (previous !== null && Date.parse(u.created_at) > Date.parse(previous))
          out.push(`${uAt}.created_at: updates are not newest first`);
        previous = u.created_at;
      }
      records(u.affected_components).forEach((a, k) => {
        if (typeof a.code === 'string' && !codes.has(a.code))
          out.push(`${uAt}.affected_components[${k}].code: ${show(a.code)} is not a component`);
      });
    });
    if ('scheduled_for' in inc && typeof inc.scheduled_for === 'string' && typeof inc.scheduled_until === 'string')
      if (Date.parse(inc.scheduled_for) > Date.parse(inc.scheduled_until))
        out.push(`${where}.scheduled_until: before scheduled_for`);
  });
}

function checkStatuses(list: Json[], at: string, allowed: readonly string[], out: Problems): void {
  list.forEach((x, i) => {
    if (typeof x.status === 'string' && !allowed.includes(x.status))
      out.push(`${at}[${i}].status: ${show(x.status)} does not belong in this document`);
  });
}

/**
 * Every way `json` fails to be the Statuspage document at `path` (relative to api/v2/): presence, type
 * and enum of every field, then references between components, incidents and their updates, and which
 * incidents or maintenances the document may hold. Empty when it conforms.
 */
export function checkStatuspageDocument(path: string, json: unknown, opts: { allowExtraFields?: boolean } = {}): string[] {
  const fields = DOCUMENTS[path];
  if (!fields) return [`${path}: not a Statuspage API v2 document`];
  const out: Problems = [];
  object({ required: fields }, opts.allowExtraFields)(json, path, out);
  if (!isObject(json)) return out;

  const pageId = isObject(json.page) ? json.page.id : undefined;
  let known: Set<string> | null = null;
  if ('components' in json) {
    const list = records(json.components);
    checkComponentList(list, `${path}.components`, out);
    list.forEach((c, i) => {
      if (c.page_id !== pageId) out.push(`${path}.components[${i}].page_id: ${show(c.page_id)} is not the page's id`);
    });
    known = new Set(list.map((c) => c.id).filter((id): id is string => typeof id === 'string'));
  }
  if ('incidents' in json) {
    const list = records(json.incidents);
    checkIncidentList(list, `${path}.incidents`, pageId, known, out);
    if (path === 'summary.json' || path === 'incidents/unresolved.json')
      checkStatuses(list, `${path}.incidents`, ['investigating', 'identified', 'monitoring'], out);
  }
  if ('scheduled_maintenances' in json) {
    const list = records(json.scheduled_maintenances);
    checkIncidentList(list, `${path}.scheduled_maintenances`, pageId, known, out);
    const allowed: Record<string, readonly string[]> = {
      'summary.json': ['scheduled', 'in_progress'],
      'scheduled-maintenances/upcoming.json': ['scheduled'],
      'scheduled-maintenances/active.json': ['in_progress'],
    };
    const only = allowed[path];
    if (only) checkStatuses(list, `${path}.scheduled_maintenances`, only, out);
  }
  return out;
}

/** What a status aggregator takes from summary.json. */
export interface AggregatorReading {
  indicator: string;
  /** Component name → status, groups left out (an aggregator shows what they hold). */
  components: Record<string, string>;
  /** Names of the incidents still open. */
  openIncidents: string[];
}

/** Reads summary.json the way a status aggregator does; throws when the parts it needs are missing. */
export function readStatuspageSummary(json: unknown): AggregatorReading {
  if (!isObject(json) || !isObject(json.status) || typeof json.status.indicator !== 'string')
    throw new TypeError('summary.json: no status.indicator');
  if (!Array.isArray(json.components) || !Array.isArray(json.incidents))
    throw new TypeError('summary.json: no components or incidents');
  const components: Record<string, string> = {};
  for (const c of records(json.components))
    if (c.group !== true && typeof c.name === 'string' && typeof c.status === 'string') components[c.name] = c.status;
  const openIncidents = records(json.incidents)
    .filter((i) => typeof i.status === 'string' && !CLOSED.has(i.status))
    .flatMap((i) => (typeof i.name === 'string' ? [i.name] : []));
  return { indicator: json.status.indicator, components, openIncidents };
}
