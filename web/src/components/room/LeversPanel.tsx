import { useRef, useState, type FormEvent } from 'react';
import { api, LIMITS, type Act, type Incident, type LeverDryRun, type ServiceDetail } from '../../api/client.js';
import { useSubmit } from '../../hooks/submit.js';
import { TextArea } from '../Form.js';
import { FailTag, LeverLine, rankLevers, type Lever } from '../Levers.js';
import { Link } from '../Link.js';
import { Panel, useModal } from '../Panel.js';
import { ProblemView } from '../ProblemView.js';

interface Offered {
  lever: Lever;
  service: ServiceDetail;
}

/** The levers of the incident's services, fail-closed first; "Pull" asks for confirmation, records the mitigation and runs the lever. */
export function LeversPanel({
  incident,
  services,
  missing,
  canAct,
  act,
}: {
  incident: Incident;
  services: ServiceDetail[] | null;
  missing: string[];
  canAct: boolean;
  act: Act;
}) {
  const [pulling, setPulling] = useState<Offered | null>(null);
  const offered = rankLevers((services ?? []).flatMap((service) => service.levers.map((lever) => ({ lever, service }))));
  const pulled = new Map(incident.mitigations.filter((m) => m.lever).map((m) => [m.lever!, m]));
  const { busy: confirming, problem: confirmProblem, submit: submitConfirm } = useSubmit();
  const confirm = (m: Mitigation, outcome: 'done' | 'failed') =>
    void submitConfirm(() => act(api.confirmLever(incident.id, m.id, { outcome }, { idempotencyKey: crypto.randomUUID() })));
  return (
    <Panel title="Levers, fail-closed first" label="Levers" count={offered.length} id="levers">
      {services === null && <p className="muted small">Loading the catalog…</p>}
      <ol className="items levers">
        {offered.map((o) => {
          const done = pulled.get(o.lever.name);
          return (
            <li key={`${o.service.name}/${o.lever.name}`} data-lever={o.lever.name}>
              <div className="lever-row">
                <div className="grow">
                  <LeverLine lever={o.lever} service={services && services.length > 1 ? o.service.name : undefined} />
                  {done && (
                    <div className="small">
                      <span className="ok-text">
                        pulled by {done.decidedBy} ({done.id})
                      </span>
                      {done.execution && (
                        <span className={EXECUTION_TONE[done.execution.state] ?? ''} data-execution={done.execution.state}>
                          {' '}
                          · {executionLine(done.execution)}
                        </span>
                      )}
                      {canAct && done.execution?.state === 'awaiting_confirmation' && (
                        <span className="row">
                          <button type="button" disabled={confirming} onClick={() => confirm(done, 'done')} aria-label={`Confirm ${o.lever.name} done`}>
                            Done
                          </button>
                          <button type="button" disabled={confirming} onClick={() => confirm(done, 'failed')} aria-label={`Confirm ${o.lever.name} failed`}>
                            Failed
                          </button>
                        </span>
                      )}
                    </div>
                  )}
                </div>
                {canAct && (
                  <button type="button" className={o.lever.failClosed ? 'primary' : ''} onClick={() => setPulling(o)} aria-label={`Pull ${o.lever.name}`}>
                    Pull
                  </button>
                )}
              </div>
            </li>
          );
        })}
        {services !== null && offered.length === 0 && (
          <li className="muted small">
            {incident.services.length === 0
              ? 'No services on this incident: no levers to offer.'
              : services.length > 0
                ? `The catalog lists no levers for ${services.map((x) => x.name).join(', ')}.`
                : 'No levers to offer.'}
          </li>
        )}
      </ol>
      <ProblemView problem={confirmProblem} />
      {missing.length > 0 && <p className="small muted">Not in the catalog, so no levers: {missing.join(', ')}.</p>}
      {pulling && <PullDialog incident={incident} offered={pulling} act={act} onClose={() => setPulling(null)} />}
    </Panel>
  );
}

type Mitigation = Incident['mitigations'][number];
type Execution = NonNullable<Mitigation['execution']>;

const EXECUTION_TONE: Partial<Record<Execution['state'], string>> = {
  succeeded: 'ok-text',
  confirmed_done: 'ok-text',
  failed: 'warn-text',
  refused: 'warn-text',
  confirmed_failed: 'warn-text',
};

/** What became of a pull, in a few words: the webhook's answer, the refusal, or the wait for a human. */
function executionLine(x: Execution): string {
  switch (x.state) {
    case 'succeeded':
      return `webhook called: ${x.status}`;
    case 'failed':
      return `webhook failed: ${x.reason ?? x.status}`;
    case 'refused':
      return `not called: ${x.reason ?? 'refused'}`;
    case 'pending':
      return 'calling the webhook…';
    case 'awaiting_confirmation':
      return 'waiting for someone to confirm it is done';
    case 'confirmed_done':
      return `confirmed done${x.reason ? `: ${x.reason}` : ''}`;
    case 'confirmed_failed':
      return `confirmed failed${x.reason ? `: ${x.reason}` : ''}`;
    default:
      return x.state;
  }
}

function PullDialog({ incident, offered, act, onClose }: { incident: Incident; offered: Offered; act: Act; onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const { lever, service } = offered;
  const b = incident.impact.boundary;
  const touches = [b?.unsupportedFlow && 'an unsupported flow', b?.coexistenceSeam && 'a coexistence seam'].filter(Boolean) as string[];
  const reasonRequired = !lever.failClosed && touches.length > 0;
  const serviceRisk = [
    service.service.unsupportedFlows.length > 0 && `unsupported flows (${service.service.unsupportedFlows.join(', ')})`,
    service.service.coexistence.length > 0 && `coexistence seams (${service.service.coexistence.map((c) => c.name).join(', ')})`,
  ].filter(Boolean) as string[];
  const [rationale, setRationale] = useState('');
  const [reason, setReason] = useState('');
  const { busy, problem, submit } = useSubmit();
  const [dry, setDry] = useState<LeverDryRun | null>(null);
  // One key per dialog: a retried "Pull" (a lost answer, a double click) runs the lever once.
  const [key] = useState(() => crypto.randomUUID());
  const input = () => ({
    lever: lever.name,
    rationale: rationale.trim(),
    action: `Pull ${lever.name} on ${service.name}`.slice(0, LIMITS.reason),
    ...(!lever.failClosed && reason.trim() && { failOpenReason: reason.trim() }),
  });
  const dryRun = () =>
    void submit(async () => {
      setDry(await api.dryRunLever(incident.id, input()));
    });

  useModal(ref);

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      await act(api.pullLever(incident.id, input(), { idempotencyKey: key }));
      onClose();
    });
  };

  return (
    <dialog ref={ref} className="dialog" aria-label={`Pull ${lever.name}`} onCancel={onClose}>
      <form onSubmit={handleSubmit} className="stack" aria-label="Confirm pull">
        <h2 className="dialog-title">
          Pull <strong>{lever.name}</strong> on {service.name}?
        </h2>
        <dl className="facts-list">
          <dt>Kind</dt>
          <dd>{lever.kind}</dd>
          <dt>Fails</dt>
          <dd>
            <FailTag lever={lever} />{' '}
            {lever.failClosed ? 'refuses traffic rather than letting bad requests through' : 'lets traffic through when it fails'}
          </dd>
          <dt>Data</dt>
          <dd className={lever.preservesData ? '' : 'warn-text'}>{lever.preservesData ? 'preserves data' : 'may not preserve data'}</dd>
          <dt>Does</dt>
          <dd className="lever-effect">
            {lever.action.type === 'webhook' ? (
              <>
                webhook <code>{lever.action.method}</code> <code>{lever.action.url}</code>
                <div className="small">
                  Firebreak calls this webhook when you pull it (once, signed when the catalog gives a secret); its answer lands on the timeline.
                </div>
              </>
            ) : (
              <>By hand: {lever.action.instructions}</>
            )}
          </dd>
        </dl>
        {!lever.failClosed && serviceRisk.length > 0 && touches.length === 0 && (
          <p className="warn-text small">
            {service.name} has {serviceRisk.join(' and ')}. If this incident touches one, mark it in Impact and boundary first.
          </p>
        )}
        <label className="field wide">
          <span>Why this lever now (rationale)</span>
          <TextArea required autoFocus maxLength={LIMITS.reason} value={rationale} onChange={(e) => setRationale(e.target.value)} />
        </label>
        {!lever.failClosed && (
          <label className="field wide">
            <span>
              Why failing open is safe {reasonRequired ? `(required: the incident touches ${touches.join(' and ')})` : '(optional)'}
            </span>
            <TextArea required={reasonRequired} maxLength={LIMITS.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
        )}
        <ProblemView problem={problem} />
        {dry && (
          <pre className="small dry-run" aria-label="Dry run request">
            {[`${dry.request.method} ${dry.request.url}`, ...Object.entries(dry.request.headers).map(([k, v]) => `${k}: ${v}`), '', dry.request.body].join('\n')}
          </pre>
        )}
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Pulling…' : `Pull ${lever.name}`}
          </button>
          {lever.action.type === 'webhook' && (
            <button type="button" disabled={busy || !rationale.trim()} onClick={dryRun}>
              Dry run
            </button>
          )}
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <span className="spacer" />
          <Link to={`/catalog/${encodeURIComponent(service.name)}`} className="small">
            {service.name} in the catalog
          </Link>
        </div>
        <p className="small muted">
          Recorded as a mitigation on the timeline, with the lever, its fail mode and your rationale.
          {lever.action.type === 'webhook'
            ? ' Then Firebreak calls the webhook and records its answer (a dry run shows the request and sends nothing).'
            : ' Someone does it by hand, then confirms it done or failed here.'}
        </p>
      </form>
    </dialog>
  );
}
