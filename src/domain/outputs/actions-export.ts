import type { ActionItem, Incident } from '../incident/state.js';
import type { Priority } from '../incident/types.js';
import { type Doc, link, renderMarkdownDoc } from './document.js';
import { csvDocument, escapeMarkdown, formatUtc, oneLine, safeHttpUrl } from './escape.js';

/** The formats `GET /api/v1/incidents/{id}/actions/export` answers. */
export const ACTION_EXPORT_FORMATS = ['md', 'csv', 'jira', 'linear', 'github'] as const;
export type ActionExportFormat = (typeof ACTION_EXPORT_FORMATS)[number];
/** The formats that answer one issue-tracker request body per follow-up still to be filed. */
export const TRACKER_FORMATS = ['jira', 'linear', 'github'] as const satisfies readonly ActionExportFormat[];

/** Where the incident is read: `<publicUrl>/incidents/INC-<n>`, or the path alone when no public URL is set. */
export function incidentUrl(incident: Pick<Incident, 'id'>, publicUrl: string | null | undefined): string {
  const path = `/incidents/${encodeURIComponent(incident.id)}`;
  return publicUrl ? `${publicUrl.replace(/\/+$/, '')}${path}` : path;
}

/** An absolute http(s) URL, or null for the relative path: a relative link in another site's issue points at that site. */
const absolute = (url: string): string | null => (/^https?:\/\//i.test(url) ? safeHttpUrl(url) : null);

/** The UTC calendar day of an instant, `YYYY-MM-DD`, as trackers take due dates. */
export function dueDate(iso: string): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso.slice(0, 10) : new Date(ms).toISOString().slice(0, 10);
}

const STATUS_WORDS: Record<ActionItem['status'], string> = { open: 'open', in_progress: 'in progress', done: 'done' };

/** The follow-ups a tracker export files: every item not done and not already linked to a ticket. */
export const unfiledActions = (incident: Incident): ActionItem[] =>
  incident.actions.filter((a) => a.status !== 'done' && a.ticketUrl === null);

const counts = (items: readonly ActionItem[]): string => {
  const n = (s: ActionItem['status']) => items.filter((a) => a.status === s).length;
  const parts = (['open', 'in_progress', 'done'] as const).map((s) => `${n(s)} ${STATUS_WORDS[s]}`);
  return `${items.length} action item${items.length === 1 ? '' : 's'}: ${parts.join(', ')}`;
};

// ---------------------------------------------------------------- Markdown and CSV: every item

/** The follow-ups as a Markdown document: a heading, a line linking back to the incident, one table row per item. */
export function renderActionsMarkdown(incident: Incident, opts: { incidentUrl: string }): string {
  const doc: Doc = {
    title: `${incident.id} — ${incident.title}: follow-ups`,
    sections: [
      {
        blocks: [
          {
            kind: 'table',
            head: ['ID', 'Action', 'Kind', 'Owner', 'Due', 'Priority', 'Status', 'Ticket'],
            rows: incident.actions.map((a) => [
              a.id,
              a.title,
              a.kind,
              a.owner,
              formatUtc(a.dueAt),
              a.priority,
              STATUS_WORDS[a.status],
              a.ticketUrl === null ? '' : [link(a.ticketUrl)],
            ]),
          },
        ],
      },
    ],
  };
  const rendered = renderMarkdownDoc(doc);
  const cut = rendered.indexOf('\n\n');
  const heading = rendered.slice(0, cut);
  const rest = rendered.slice(cut + 2);
  const back = absolute(opts.incidentUrl) ?? `/incidents/${encodeURIComponent(incident.id)}`;
  const line = `Incident: [${escapeMarkdown(incident.id, false)}](${back}) · ${escapeMarkdown(counts(incident.actions), false)}`;
  return `${heading}\n\n${line}\n\n${incident.actions.length ? rest : 'No action items yet.\n'}`;
}

const CSV_HEAD = [
  'id',
  'title',
  'kind',
  'owner',
  'dueAt',
  'priority',
  'status',
  'ticketUrl',
  'fromQuestion',
  'fromGuardrail',
  'createdAt',
  'doneAt',
  'incident',
  'incidentUrl',
];

/** The follow-ups as RFC 4180 CSV (CRLF, formula-guarded), one row per item, times as ISO-8601. */
export function renderActionsCsv(incident: Incident, opts: { incidentUrl: string }): string {
  const rows = incident.actions.map((a) => [
    a.id,
    oneLine(a.title),
    a.kind,
    oneLine(a.owner),
    a.dueAt,
    a.priority,
    a.status,
    a.ticketUrl ?? '',
    a.fromQuestion ?? '',
    a.fromGuardrail ?? '',
    a.createdAt,
    a.doneAt ?? '',
    incident.id,
    opts.incidentUrl,
  ]);
  return csvDocument([CSV_HEAD, ...rows]);
}

// ---------------------------------------------------------------- what every tracker body says

/** The facts each issue body states, as label and value, values plain (the caller escapes). */
function facts(incident: Incident, a: ActionItem): [string, string][] {
  const out: [string, string][] = [
    ['Owner', `${oneLine(a.owner)} (in Firebreak)`],
    ['Due', dueDate(a.dueAt)],
    ['Priority', a.priority],
    ['Kind', a.kind],
  ];
  if (a.status !== 'open') out.push(['Status in Firebreak', STATUS_WORDS[a.status]]);
  const q = a.fromQuestion ? incident.questions.find((x) => x.id === a.fromQuestion) : undefined;
  if (a.fromQuestion) out.push([`From question ${a.fromQuestion}`, oneLine(q?.question ?? '')]);
  const g = a.fromGuardrail ? incident.guardrails.find((x) => x.id === a.fromGuardrail) : undefined;
  if (a.fromGuardrail) {
    const when = g?.removalCondition ? `; remove when ${oneLine(g.removalCondition)}` : '';
    out.push([`Removes guardrail ${a.fromGuardrail}`, g ? `${oneLine(g.what)}${when}` : '']);
  }
  return out;
}

const title = (a: ActionItem, max: number): string => {
  const t = oneLine(a.title).trim();
  return t.length > max ? `${t.slice(0, max - 1)}…` : t;
};

/** A code span around untrusted text: a fence longer than any backtick run inside it, so nothing ends it early. */
function codeSpan(s: string): string {
  const text = oneLine(s);
  const longest = Math.max(0, ...[...text.matchAll(/`+/g)].map((m) => m[0].length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') || text === '' ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

/** The issue body in Markdown (GitHub and Linear): where it comes from, a link back, then the facts. */
export function actionMarkdownBody(incident: Incident, a: ActionItem, url: string): string {
  const href = absolute(url);
  const name = escapeMarkdown(`${incident.id} — ${oneLine(incident.title)}`, false);
  const back = href ? `[${name}](${href})` : `${name} (${codeSpan(url)} on the Firebreak server)`;
  const lines = facts(incident, a).map(([k, v]) =>
    // The owner is a Firebreak name: in a code span it can never mention (notify) a tracker user.
    k === 'Owner' ? `- **Owner:** ${codeSpan(a.owner)} (in Firebreak)` : `- **${escapeMarkdown(k, false)}:** ${escapeMarkdown(v, false)}`,
  );
  return [`Follow-up ${escapeMarkdown(a.id, false)} of incident ${back}.`, '', ...lines, ''].join('\n');
}

// ---------------------------------------------------------------- Jira Cloud (REST v3, ADF descriptions)

export const JIRA_PRIORITIES: Record<Priority, string> = { P0: 'Highest', P1: 'High', P2: 'Medium', P3: 'Low' };
const JIRA_SUMMARY_MAX = 255;

/** An Atlassian Document Format text node; ADF refuses empty text, so callers never make one. */
export type AdfText = { type: 'text'; text: string; marks?: ({ type: 'link'; attrs: { href: string } } | { type: 'strong' })[] };
export type AdfParagraph = { type: 'paragraph'; content: AdfText[] };
export type AdfBulletList = { type: 'bulletList'; content: { type: 'listItem'; content: AdfParagraph[] }[] };
export interface AdfDoc {
  version: 1;
  type: 'doc';
  content: (AdfParagraph | AdfBulletList)[];
}

/** One `POST /rest/api/3/issue` body. */
export interface JiraIssueBody {
  fields: {
    project: { key: string };
    issuetype: { name: string };
    summary: string;
    description: AdfDoc;
    priority: { name: string };
    duedate: string;
    labels: string[];
  };
}

const text = (s: string, marks?: AdfText['marks']): AdfText[] => (s === '' ? [] : [{ type: 'text', text: s, ...(marks && { marks }) }]);
const paragraph = (...content: AdfText[][]): AdfParagraph => ({ type: 'paragraph', content: content.flat() });

/** The ADF description: where the follow-up comes from, linked back, then its facts as a bullet list. */
export function jiraDescription(incident: Incident, a: ActionItem, url: string): AdfDoc {
  const href = absolute(url);
  const name = `${incident.id} — ${oneLine(incident.title)}`;
  const back = href ? text(name, [{ type: 'link', attrs: { href } }]) : text(`${name} (${url} on the Firebreak server)`);
  return {
    version: 1,
    type: 'doc',
    content: [
      paragraph(text(`Follow-up ${a.id} of incident `), back, text('.')),
      {
        type: 'bulletList',
        content: facts(incident, a).map(([k, v]) => ({
          type: 'listItem',
          content: [paragraph(text(`${k}:`, [{ type: 'strong' }]), text(v === '' ? '' : ` ${v}`))],
        })),
      },
    ],
  };
}

/** Jira labels may not hold spaces. */
const label = (s: string) => s.replace(/\s+/g, '-');

/** One Jira Cloud create-issue body per follow-up still to be filed. */
export function jiraIssueBodies(
  incident: Incident,
  opts: { incidentUrl: string; project: string; issueType?: string },
): JiraIssueBody[] {
  return unfiledActions(incident).map((a) => ({
    fields: {
      project: { key: opts.project },
      issuetype: { name: opts.issueType ?? 'Task' },
      summary: title(a, JIRA_SUMMARY_MAX),
      description: jiraDescription(incident, a, opts.incidentUrl),
      priority: { name: JIRA_PRIORITIES[a.priority] },
      duedate: dueDate(a.dueAt),
      labels: ['firebreak', incident.id, a.kind].map(label),
    },
  }));
}

// ---------------------------------------------------------------- Linear (GraphQL issueCreate)

/** Linear's priorities: 0 none, 1 urgent, 2 high, 3 medium, 4 low. */
export const LINEAR_PRIORITIES: Record<Priority, 1 | 2 | 3 | 4> = { P0: 1, P1: 2, P2: 3, P3: 4 };
export const LINEAR_ISSUE_CREATE =
  'mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }';

/** Linear's `IssueCreateInput`, the fields Firebreak fills. */
export interface LinearIssueInput {
  teamId: string;
  title: string;
  description: string;
  priority: 1 | 2 | 3 | 4;
  dueDate: string;
}

/** One GraphQL request for https://api.linear.app/graphql, to be posted as it is. */
export interface LinearIssueRequest {
  query: string;
  variables: { input: LinearIssueInput };
}

/** One Linear `issueCreate` request per follow-up still to be filed. */
export function linearIssueRequests(incident: Incident, opts: { incidentUrl: string; team: string }): LinearIssueRequest[] {
  return unfiledActions(incident).map((a) => ({
    query: LINEAR_ISSUE_CREATE,
    variables: {
      input: {
        teamId: opts.team,
        title: title(a, 255),
        description: actionMarkdownBody(incident, a, opts.incidentUrl),
        priority: LINEAR_PRIORITIES[a.priority],
        dueDate: dueDate(a.dueAt),
      },
    },
  }));
}

// ---------------------------------------------------------------- GitHub (REST create an issue)

/** One `POST /repos/{owner}/{repo}/issues` body; owners are Firebreak names, not logins, so no assignees. */
export interface GithubIssueBody {
  title: string;
  body: string;
  labels: string[];
}

/** One GitHub create-issue body per follow-up still to be filed. */
export function githubIssueBodies(incident: Incident, opts: { incidentUrl: string }): GithubIssueBody[] {
  return unfiledActions(incident).map((a) => ({
    title: title(a, 256),
    body: actionMarkdownBody(incident, a, opts.incidentUrl),
    labels: ['firebreak', incident.id, a.kind],
  }));
}

/** The answer for one format: text for md and csv, the array of request bodies for the trackers. */
export type ActionExport =
  | { format: 'md' | 'csv'; text: string }
  | { format: 'jira'; bodies: JiraIssueBody[] }
  | { format: 'linear'; bodies: LinearIssueRequest[] }
  | { format: 'github'; bodies: GithubIssueBody[] };

export interface ActionExportOptions {
  /** FIREBREAK_PUBLIC_URL, or null: links are then the incident's path. */
  publicUrl: string | null;
  /** The Jira project key; required for jira. */
  project?: string;
  /** The Jira issue type; default Task. */
  issueType?: string;
  /** The Linear team id; required for linear. */
  team?: string;
}

/** The export in one format; the caller has checked that jira has a project and linear a team. */
export function exportActions(incident: Incident, format: ActionExportFormat, opts: ActionExportOptions): ActionExport {
  const url = incidentUrl(incident, opts.publicUrl);
  switch (format) {
    case 'md':
      return { format, text: renderActionsMarkdown(incident, { incidentUrl: url }) };
    case 'csv':
      return { format, text: renderActionsCsv(incident, { incidentUrl: url }) };
    case 'jira':
      if (!opts.project) throw new Error('a Jira export needs a project key');
      return { format, bodies: jiraIssueBodies(incident, { incidentUrl: url, project: opts.project, issueType: opts.issueType }) };
    case 'linear':
      if (!opts.team) throw new Error('a Linear export needs a team id');
      return { format, bodies: linearIssueRequests(incident, { incidentUrl: url, team: opts.team }) };
    case 'github':
      return { format, bodies: githubIssueBodies(incident, { incidentUrl: url }) };
  }
}

/** The attachment's file name: `INC-7-actions.md`, `INC-7-actions.csv`, `INC-7-actions-jira.json`. */
export const actionExportFilename = (incident: Pick<Incident, 'id'>, format: ActionExportFormat): string =>
  format === 'md' || format === 'csv' ? `${incident.id}-actions.${format}` : `${incident.id}-actions-${format}.json`;
