import { useState, type ReactNode } from 'react';
import {
  ACTION_KINDS,
  ACTION_STATUSES,
  api,
  PICKABLE_KINDS,
  EVIDENCE_KINDS,
  LIMITS,
  MITIGATION_KINDS,
  PRIORITIES,
  problemOf,
  ROLES,
  SEVERITIES,
  type Act,
  type ActionItem,
  type ActionKind,
  type ActionPatch,
  type Deploy,
  type Incident,
  type ProblemInfo,
  type Severity,
} from '../../api/client.js';
import { ExternalLink, isHttpUrl } from '../ExternalLink.js';
import { opt, Options, QuickForm, str, type Values } from '../Form.js';
import { Panel } from '../Panel.js';
import { ProblemView } from '../ProblemView.js';
import { utc } from '../time.js';

interface PanelProps {
  incident: Incident;
  canAct: boolean;
  act: Act;
}

/** A form that folds away once what it asks for exists, and is open while it is missing. */
function Fold({ label, open, children }: { label: string; open: boolean; children: ReactNode }) {
  return (
    <details className="fold" open={open}>
      <summary>{label}</summary>
      {children}
    </details>
  );
}

export function SeverityPanel({ incident, canAct, act }: PanelProps) {
  const last = incident.severityHistory.at(-1);
  return (
    <Panel title="Severity" id="severity">
      <p>
        <strong>{incident.severity ?? 'not set'}</strong>
        {last && <span className="muted"> — {last.reason}</span>}
      </p>
      {canAct && (
        <Fold label="Change severity" open={incident.severity === null}>
          <QuickForm
            name="severity"
            submit="Change severity"
            fields={[
              { name: 'severity', label: 'Severity', kind: 'select', options: SEVERITIES, initial: incident.severity ?? 'SEV3' },
              { name: 'reason', label: 'Reason (current user impact)', required: true, maxLength: LIMITS.reason, wide: true },
            ]}
            onSubmit={(v) => act(api.changeSeverity(incident.id, { severity: v.severity as Severity, reason: str(v.reason) }))}
          />
        </Fold>
      )}
    </Panel>
  );
}

export function ImpactPanel({ incident, canAct, act }: PanelProps) {
  const i = incident.impact;
  const b = i.boundary;
  const handleImpact = (v: Values) =>
    act(
      api.stateImpact(incident.id, {
        statement: str(v.statement),
        confirmed: v.confirmed === true,
        boundary: { unsupportedFlow: v.unsupportedFlow === true, coexistenceSeam: v.coexistenceSeam === true, rolloutBoundary: v.rolloutBoundary === true },
      }),
    );
  return (
    <Panel title="Impact and boundary" id="impact">
      <p>
        {i.statement ?? <span className="muted">No impact statement.</span>}{' '}
        <span className={i.confirmed ? 'ok-text' : 'warn-text'}>{i.confirmed ? '(confirmed)' : '(unconfirmed)'}</span>
      </p>
      <p className="small muted">
        Boundary:{' '}
        {b
          ? [b.unsupportedFlow && 'unsupported flow', b.coexistenceSeam && 'coexistence seam', b.rolloutBoundary && 'rollout boundary']
              .filter(Boolean)
              .join(', ') || 'reviewed, none apply'
          : 'not reviewed'}
      </p>
      {canAct && (
        <Fold label="Edit impact and boundary" open={!i.confirmed || b === null}>
          <QuickForm
            key={JSON.stringify(i)}
            name="impact"
            submit="Save impact"
            keep
            fields={[
              { name: 'statement', label: 'Impact statement', kind: 'textarea', required: true, maxLength: LIMITS.text, initial: i.statement ?? '' },
              { name: 'confirmed', label: 'Confirmed', kind: 'checkbox', initial: i.confirmed },
              { name: 'unsupportedFlow', label: 'Unsupported flow', kind: 'checkbox', initial: b?.unsupportedFlow ?? false },
              { name: 'coexistenceSeam', label: 'Coexistence seam', kind: 'checkbox', initial: b?.coexistenceSeam ?? false },
              { name: 'rolloutBoundary', label: 'Rollout boundary', kind: 'checkbox', initial: b?.rolloutBoundary ?? false },
            ]}
            onSubmit={handleImpact}
          />
        </Fold>
      )}
    </Panel>
  );
}

export function RolesPanel({ incident, canAct, act }: PanelProps) {
  const r = incident.roles;
  const held: [string, string][] = [
    ...(r.commander ? [['commander', r.commander] as [string, string]] : []),
    ...r.responders.map((p) => ['responder', p] as [string, string]),
    ...(r.comms ? [['comms', r.comms] as [string, string]] : []),
    ...(r.scribe ? [['scribe', r.scribe] as [string, string]] : []),
  ];
  return (
    <Panel title="Roles" id="roles">
      <ul className="plain">
        {held.map(([role, person]) => (
          <li key={role + person}>
            <span className="k">{role}</span> {person}{' '}
            {canAct && (
              <button
                type="button"
                className="link small"
                aria-label={`Remove ${person} as ${role}`}
                onClick={() => void act(api.unassignRole(incident.id, { role: role as (typeof ROLES)[number], person })).catch(() => undefined)}
              >
                remove
              </button>
            )}
          </li>
        ))}
        {held.length === 0 && <li className="muted">Nobody assigned.</li>}
      </ul>
      {canAct && (
        <QuickForm
          name="roles"
          submit="Assign"
          fields={[
            { name: 'role', label: 'Role', kind: 'select', options: ROLES },
            { name: 'person', label: 'Person', required: true, maxLength: LIMITS.person },
          ]}
          onSubmit={(v) => act(api.assignRole(incident.id, { role: v.role as (typeof ROLES)[number], person: str(v.person) }))}
        />
      )}
    </Panel>
  );
}

export function CommsPanel({ incident, canAct, act }: PanelProps) {
  const c = incident.comms;
  return (
    <Panel title="Comms plan" id="comms">
      {c ? (
        <p className="small">
          {c.channel} · decisions by {c.decisionOwner} · every {c.cadenceMinutes} min · external when: {c.externalTrigger}
        </p>
      ) : (
        <p className="warn-text small">No channel, decision owner or cadence yet.</p>
      )}
      {canAct && (
        <Fold label="Edit comms plan" open={c === null}>
          <QuickForm
            key={JSON.stringify(c)}
            name="comms"
            submit="Save comms plan"
            keep
            fields={[
              { name: 'channel', label: 'Channel', required: true, maxLength: LIMITS.shortText, initial: c?.channel ?? `#${incident.id.toLowerCase()}` },
              { name: 'decisionOwner', label: 'Decision owner', required: true, maxLength: LIMITS.person, initial: c?.decisionOwner ?? incident.roles.commander ?? '' },
              { name: 'cadenceMinutes', label: 'Cadence (min)', kind: 'number', required: true, initial: String(c?.cadenceMinutes ?? 30) },
              { name: 'externalTrigger', label: 'External update when', required: true, maxLength: LIMITS.shortText, initial: c?.externalTrigger ?? '', wide: true },
            ]}
            onSubmit={(v) =>
              act(
                api.setComms(incident.id, {
                  channel: str(v.channel),
                  decisionOwner: str(v.decisionOwner),
                  cadenceMinutes: Number(v.cadenceMinutes),
                  externalTrigger: str(v.externalTrigger),
                }),
              )
            }
          />
        </Fold>
      )}
    </Panel>
  );
}

export function MitigationsPanel({ incident, canAct, act }: PanelProps) {
  return (
    <Panel title="Mitigations" count={incident.mitigations.length} id="mitigations">
      <ul className="items">
        {incident.mitigations.map((m) => (
          <li key={m.id}>
            <div>
              <span className={`tag ${m.failClosed ? 'tag-ok' : m.failClosed === false ? 'tag-warn' : ''}`}>
                {m.kind}
                {m.failClosed ? ' · fail-closed' : m.failClosed === false ? ' · fail-open' : ''}
              </span>{' '}
              <strong>{m.action}</strong>
            </div>
            <div className="small muted">
              {m.rationale} — {m.decidedBy}, {utc(m.at)}
              {m.result ? ` · ${m.result}` : ''}
            </div>
          </li>
        ))}
        {incident.mitigations.length === 0 && <li className="muted">No mitigation decided. Contain first: prefer a fail-closed lever.</li>}
      </ul>
      {canAct && (
        <Fold label="Record a mitigation" open={incident.mitigations.length === 0}>
          <QuickForm
            name="mitigation"
            submit="Record mitigation"
            fields={[
              { name: 'kind', label: 'Lever kind', kind: 'select', options: MITIGATION_KINDS },
              { name: 'action', label: 'Action', required: true, maxLength: LIMITS.shortText },
              { name: 'rationale', label: 'Rationale', kind: 'textarea', required: true, maxLength: LIMITS.text },
              { name: 'failClosed', label: 'Fails closed', kind: 'checkbox', initial: true },
              { name: 'failOpenReason', label: 'If fail-open: why', maxLength: LIMITS.reason },
            ]}
            onSubmit={(v) =>
              act(
                api.decideMitigation(incident.id, {
                  kind: v.kind as (typeof MITIGATION_KINDS)[number],
                  action: str(v.action),
                  rationale: str(v.rationale),
                  failClosed: v.failClosed === true,
                  ...(opt(v.failOpenReason) && { failOpenReason: opt(v.failOpenReason) }),
                }),
              )
            }
          />
        </Fold>
      )}
    </Panel>
  );
}

function DeployLine({ d }: { d: Deploy }) {
  return (
    <>
      <strong>{d.service}</strong> {d.version ?? d.externalId} <span className="muted">{d.status}</span>{' '}
      <span className="small muted">{utc(d.startedAt)}</span>
      {d.actor && <span className="small muted"> by {d.actor}</span>}
      {isHttpUrl(d.url) && (
        <ExternalLink url={d.url} className="ext small">
          open
        </ExternalLink>
      )}
    </>
  );
}

export function DeploysPanel({ incident }: { incident: Incident }) {
  const boundary = incident.releaseBoundary;
  const suspects = incident.suspects;
  return (
    <Panel title="Release boundary and suspect deploys" count={suspects.length} id="deploys">
      <p className="small">
        <span className="k">boundary</span>{' '}
        {boundary ? <DeployLine d={boundary} /> : <span className="muted">no succeeded deploy of an affected service before impact</span>}
      </p>
      <ul className="items">
        {suspects.map((s, i) => (
          <li key={i}>
            <DeployLine d={s.deploy} />
            <div className="small muted">
              {`${s.minutesBeforeImpact} min before impact`}
              {s.relation === 'dependency' && s.via.length ? ` · dependency of ${s.via.join(', ')}` : ''}
            </div>
          </li>
        ))}
        {suspects.length === 0 && <li className="muted">No deploys in the look-back window.</li>}
      </ul>
    </Panel>
  );
}

export function EvidencePanel({ incident, canAct, act }: PanelProps) {
  return (
    <Panel title="Evidence" count={incident.evidence.length} id="evidence">
      <ul className="items">
        {incident.evidence.map((e) => (
          <li key={e.id}>
            <span className="tag">{e.kind}</span>{' '}
            {isHttpUrl(e.url) ? (
              <ExternalLink url={e.url}>{e.title}</ExternalLink>
            ) : (
              <strong>{e.title}</strong>
            )}
            {e.text && <pre className="evidence-text">{e.text}</pre>}
            <div className="small muted">
              {e.addedBy}, {utc(e.at)}
            </div>
          </li>
        ))}
        {incident.evidence.length === 0 && <li className="muted">No evidence yet: logs, metrics, traces, deploy ids, config deltas.</li>}
      </ul>
      {canAct && (
        <Fold label="Add evidence" open={incident.evidence.length === 0}>
          <QuickForm
            name="evidence"
            submit="Add evidence"
            fields={[
              { name: 'kind', label: 'Kind', kind: 'select', options: EVIDENCE_KINDS },
              { name: 'title', label: 'Title', required: true, maxLength: LIMITS.shortText },
              { name: 'url', label: 'Link', kind: 'url', maxLength: LIMITS.url },
              { name: 'text', label: 'Excerpt', kind: 'textarea', maxLength: LIMITS.text },
            ]}
            onSubmit={(v) =>
              act(
                api.addEvidence(incident.id, {
                  kind: v.kind as (typeof EVIDENCE_KINDS)[number],
                  title: str(v.title),
                  ...(opt(v.url) && { url: opt(v.url) }),
                  ...(opt(v.text) && { text: opt(v.text) }),
                }),
              )
            }
          />
        </Fold>
      )}
    </Panel>
  );
}

/** A date box's day as the deadline the forms send: the end of that day, UTC. */
const endOfDay = (day: string) => new Date(`${day}T23:59:59Z`).toISOString();

export function QuestionsPanel({ incident, canAct, act }: PanelProps) {
  const tracked = (qid: string) => incident.actions.find((a) => a.fromQuestion === qid);
  const open = incident.questions.filter((q) => q.answer === null).length;
  return (
    <Panel title="Open questions" count={open} id="questions">
      <ul className="items">
        {incident.questions.map((q) => {
          const item = tracked(q.id);
          return (
            <li key={q.id} data-question={q.id}>
              <div>
                <span className="id">{q.id}</span> {q.question}
              </div>
              {q.answer !== null ? (
                <div className="small">
                  <span className="ok-text">answered:</span> {q.answer}
                </div>
              ) : (
                <>
                  {item && (
                    <div className="small">
                      <span className="ok-text">tracked by</span> <a href="#actions">{item.id}</a> ({item.owner}, due {utc(item.dueAt)})
                    </div>
                  )}
                  {canAct && (
                    <QuickForm
                      name={`answer ${q.id}`}
                      submit="Answer"
                      fields={[{ name: 'answer', label: `Answer to ${q.id}`, kind: 'textarea', required: true, maxLength: LIMITS.text }]}
                      onSubmit={(v) => act(api.answerQuestion(incident.id, q.id, { answer: str(v.answer) }))}
                    />
                  )}
                  {canAct && !item && (
                    <details className="fold">
                      <summary>Make an action item</summary>
                      <QuickForm
                        name={`action from ${q.id}`}
                        submit="Make action item"
                        fields={[
                          { name: 'title', label: 'Action (default: the question)', maxLength: LIMITS.title, placeholder: q.question, wide: true },
                          { name: 'owner', label: 'Owner', required: true, maxLength: LIMITS.person },
                          { name: 'dueAt', label: 'Deadline', kind: 'date', required: true },
                          { name: 'priority', label: 'Priority', kind: 'select', options: PRIORITIES, initial: 'P2' },
                          { name: 'kind', label: 'Kind', kind: 'select', options: PICKABLE_KINDS, initial: 'fix' },
                        ]}
                        onSubmit={(v) =>
                          act(
                            api.questionToAction(incident.id, q.id, {
                              owner: str(v.owner),
                              dueAt: endOfDay(str(v.dueAt)),
                              priority: v.priority as (typeof PRIORITIES)[number],
                              kind: v.kind as ActionKind,
                              ...(opt(v.title) && { title: opt(v.title) }),
                            }),
                          )
                        }
                      />
                    </details>
                  )}
                </>
              )}
            </li>
          );
        })}
        {incident.questions.length === 0 && <li className="muted">Record what is uncertain; stay in the safer mode until it is answered.</li>}
      </ul>
      {canAct && (
        <QuickForm
          name="question"
          submit="Ask"
          fields={[{ name: 'question', label: 'Question', required: true, maxLength: LIMITS.shortText, wide: true }]}
          onSubmit={(v) => act(api.askQuestion(incident.id, { question: str(v.question) }))}
        />
      )}
    </Panel>
  );
}

export function GuardrailsPanel({ incident, canAct, act }: PanelProps) {
  return (
    <Panel title="Guardrails" count={incident.guardrails.length} id="guardrails">
      <ul className="items">
        {incident.guardrails.map((g) => (
          <li key={g.id}>
            <strong>{g.what}</strong> <span className="muted small">({g.owner})</span>
            <div className="small">{g.why}</div>
            <div className={`small ${g.removalCondition ? 'muted' : 'warn-text'}`}>
              remove when: {g.removalCondition ?? 'no removal condition'}
            </div>
          </li>
        ))}
        {incident.guardrails.length === 0 && (
          <li className="muted">{incident.noGuardrails ? 'Reviewed: none needed.' : 'None recorded. Temporary protections stay documented until the permanent fix ships.'}</li>
        )}
      </ul>
      {canAct && (
        <Fold label="Add a guardrail" open={false}>
          <QuickForm
            name="guardrail"
            submit="Add guardrail"
            fields={[
              { name: 'what', label: 'What', required: true, maxLength: LIMITS.shortText },
              { name: 'why', label: 'Why', required: true, maxLength: LIMITS.text },
              { name: 'removalCondition', label: 'Remove when', maxLength: LIMITS.text },
              { name: 'owner', label: 'Owner', required: true, maxLength: LIMITS.person },
            ]}
            onSubmit={(v) =>
              act(
                api.addGuardrail(incident.id, {
                  what: str(v.what),
                  why: str(v.why),
                  owner: str(v.owner),
                  ...(opt(v.removalCondition) && { removalCondition: opt(v.removalCondition) }),
                }),
              )
            }
          />
        </Fold>
      )}
    </Panel>
  );
}

/** One PATCH with the fields that changed; a deadline is compared by its day, as the date box shows it. */
function actionPatch(a: ActionItem, v: Values): ActionPatch {
  const patch: ActionPatch = {};
  const title = str(v.title);
  const owner = str(v.owner);
  const day = str(v.dueAt);
  const ticket = opt(v.ticketUrl) ?? null;
  if (title && title !== a.title) patch.title = title;
  if (owner && owner !== a.owner) patch.owner = owner;
  if (day && day !== a.dueAt.slice(0, 10)) patch.dueAt = endOfDay(day);
  if (v.priority !== a.priority) patch.priority = v.priority as (typeof PRIORITIES)[number];
  if (v.kind !== a.kind) patch.kind = v.kind as ActionKind;
  if (ticket !== a.ticketUrl) patch.ticketUrl = ticket;
  return patch;
}

function ActionRow({ a, canAct, act }: Omit<PanelProps, 'incident'> & { a: ActionItem }) {
  const [editing, setEditing] = useState(false);
  return (
    <li data-action={a.id}>
      <span className="id">{a.id}</span> <span className="tag">{a.priority}</span> <span className="tag" data-kind={a.kind}>{a.kind}</span>{' '}
      <strong>{a.title}</strong>
      {a.ticketUrl && (
        <ExternalLink url={a.ticketUrl} className="ext">
          ticket
        </ExternalLink>
      )}
      <div className="small muted">
        <span data-field="owner">{a.owner}</span> · due <span data-field="dueAt">{utc(a.dueAt)}</span>
        {a.fromQuestion ? ` · from ${a.fromQuestion}` : ''}
        {a.fromGuardrail ? ` · for ${a.fromGuardrail}` : ''}{' '}
        {canAct ? (
          <select
            aria-label={`Status of ${a.id}`}
            value={a.status}
            onChange={(e) => void act(api.setActionStatus(a.id, e.target.value as (typeof ACTION_STATUSES)[number])).catch(() => undefined)}
          >
            <Options values={ACTION_STATUSES} />
          </select>
        ) : (
          a.status
        )}{' '}
        {canAct && (
          <button type="button" className="link small" aria-expanded={editing} aria-label={`Edit ${a.id}`} onClick={() => setEditing(!editing)}>
            {editing ? 'cancel edit' : 'edit'}
          </button>
        )}
      </div>
      {canAct && editing && (
        <QuickForm
          name={`edit ${a.id}`}
          submit="Save changes"
          keep
          fields={[
            { name: 'title', label: 'Action', required: true, maxLength: LIMITS.title, initial: a.title, wide: true },
            { name: 'owner', label: 'Owner', required: true, maxLength: LIMITS.person, initial: a.owner },
            { name: 'dueAt', label: 'Deadline', kind: 'date', required: true, initial: a.dueAt.slice(0, 10) },
            { name: 'priority', label: 'Priority', kind: 'select', options: PRIORITIES, initial: a.priority },
            { name: 'kind', label: 'Kind', kind: 'select', options: ACTION_KINDS, initial: a.kind },
            { name: 'ticketUrl', label: 'Ticket link (empty removes it)', kind: 'url', maxLength: LIMITS.url, initial: a.ticketUrl ?? '', wide: true },
          ]}
          onSubmit={async (v) => {
            const patch = actionPatch(a, v);
            if (Object.keys(patch).length > 0) await act(api.editActionItem(a.id, patch));
            setEditing(false);
          }}
        />
      )}
    </li>
  );
}

export function ActionsPanel({ incident, canAct, act }: PanelProps) {
  const openQuestions = incident.questions.filter((q) => q.answer === null && !incident.actions.some((a) => a.fromQuestion === q.id));
  return (
    <Panel title="Action items" count={incident.actions.length} id="actions">
      <ul className="items">
        {incident.actions.map((a) => (
          <ActionRow key={a.id} a={a} canAct={canAct} act={act} />
        ))}
        {incident.actions.length === 0 && <li className="muted">None yet. Closing needs at least one, with an owner and a deadline.</li>}
      </ul>
      {canAct && (
        <Fold label="Add an action item" open={incident.actions.length === 0}>
          <QuickForm
            name="action item"
            submit="Add action item"
            fields={[
              { name: 'title', label: 'Action', required: true, maxLength: LIMITS.shortText, wide: true },
              { name: 'owner', label: 'Owner', required: true, maxLength: LIMITS.person },
              { name: 'dueAt', label: 'Deadline', kind: 'date', required: true },
              { name: 'priority', label: 'Priority', kind: 'select', options: PRIORITIES, initial: 'P2' },
              { name: 'kind', label: 'Kind', kind: 'select', options: PICKABLE_KINDS, initial: 'fix' },
              { name: 'ticketUrl', label: 'Ticket link', kind: 'url', maxLength: LIMITS.url },
              { name: 'fromQuestion', label: 'Resolves question', kind: 'select', options: ['', ...openQuestions.map((q) => q.id)] },
            ]}
            onSubmit={(v) =>
              act(
                api.addActionItem(incident.id, {
                  title: str(v.title),
                  owner: str(v.owner),
                  dueAt: endOfDay(str(v.dueAt)),
                  priority: v.priority as (typeof PRIORITIES)[number],
                  kind: v.kind as ActionKind,
                  ...(opt(v.ticketUrl) && { ticketUrl: opt(v.ticketUrl) }),
                  ...(opt(v.fromQuestion) && { fromQuestion: opt(v.fromQuestion) }),
                }),
              )
            }
          />
        </Fold>
      )}
    </Panel>
  );
}

const ALERT_PAGE = 50;

interface AlertRow {
  id: string;
  status: string;
  summary: string;
  source: string;
  dedupKey: string;
}

/**
 * The incident carries its alert counts and newest links; older ones page in from
 * `GET /api/v1/alerts?incident=` a page per click, so a storm-sized incident renders a few dozen rows.
 */
export function AlertsPanel({ incident }: { incident: Incident }) {
  const { alertCounts: counts, recentAlerts } = incident;
  const [paged, setPaged] = useState<{ id: string; rows: AlertRow[]; cursor: string | null } | null>(null);
  const [loading, setLoading] = useState(false);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  if (counts.total === 0) return null;
  const mine = paged?.id === incident.id ? paged : null;
  const recentIds = new Set(recentAlerts.map((a) => a.id));
  const rows: AlertRow[] = [...recentAlerts, ...(mine?.rows ?? []).filter((a) => !recentIds.has(a.id))];
  const more = mine ? mine.cursor !== null : counts.total > recentAlerts.length;

  const handleMore = async () => {
    setLoading(true);
    try {
      const page = await api.listIncidentAlerts(incident.id, { cursor: mine?.cursor ?? undefined, limit: ALERT_PAGE });
      const seen = new Set(mine?.rows.map((a) => a.id));
      setPaged({ id: incident.id, rows: [...(mine?.rows ?? []), ...page.items.filter((a) => !seen.has(a.id))], cursor: page.nextCursor });
      setProblem(null);
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setLoading(false);
    }
  };

  return (
    <Panel title="Linked alerts" count={counts.total} id="alerts">
      <p className="small">
        <span className={counts.firing ? 'warn-text' : 'ok-text'}>{counts.firing} firing</span> · {counts.resolved} resolved
        {rows.length < counts.total && <span className="muted"> · newest {rows.length} shown</span>}
      </p>
      <ul className="items">
        {rows.map((a) => (
          <li key={a.id}>
            <span className={`tag ${a.status === 'firing' ? 'tag-warn' : 'tag-ok'}`}>{a.status}</span> {a.summary}{' '}
            <span className="small muted">
              {a.source} · {a.dedupKey}
            </span>
          </li>
        ))}
      </ul>
      {more && (
        <button type="button" className="link" onClick={() => void handleMore()} disabled={loading}>
          {loading ? 'Loading…' : 'Show more alerts'}
        </button>
      )}
      <ProblemView problem={problem} />
    </Panel>
  );
}
