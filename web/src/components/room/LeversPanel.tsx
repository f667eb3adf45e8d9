import { useRef, useState, type FormEvent } from 'react';
import { api, LIMITS, type Act, type Incident, type ServiceDetail } from '../../api/client.js';
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

/** The levers of the incident's services, fail-closed first; "Pull" asks for confirmation, then records the mitigation. */
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
                    <div className="small ok-text">
                      pulled by {done.decidedBy} ({done.id})
                      {o.lever.action.type === 'webhook' && <span className="warn-text"> · recorded only: Firebreak did not call the webhook</span>}
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
      {missing.length > 0 && <p className="small muted">Not in the catalog, so no levers: {missing.join(', ')}.</p>}
      {pulling && <PullDialog incident={incident} offered={pulling} act={act} onClose={() => setPulling(null)} />}
    </Panel>
  );
}

/** The mitigation's action as the timeline shows it: for a webhook, that it was recorded, not called. */
const actionOf = (l: Lever) =>
  l.action.type === 'webhook'
    ? `webhook ${l.action.method} ${l.action.url} (not called by Firebreak: run it from your tooling)`
    : `by hand: ${l.action.instructions}`;

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

  useModal(ref);

  const handleSubmit = (e: FormEvent) => {
    e.preventDefault();
    void submit(async () => {
      await act(
        api.decideMitigation(
          incident.id,
          {
            kind: lever.kind,
            action: `Pull ${lever.name} on ${service.name}: ${actionOf(lever)}`.slice(0, LIMITS.reason),
            rationale: rationale.trim(),
            lever: lever.name,
            failClosed: lever.failClosed,
            ...(!lever.failClosed && reason.trim() && { failOpenReason: reason.trim() }),
            execute: true,
          },
          { idempotencyKey: crypto.randomUUID() },
        ),
      );
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
                <div className="warn-text small">
                  Firebreak records the pull; it does not call this webhook. Run it from your tooling (CI, chatops, curl).
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
        <div className="row">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? 'Recording…' : `Pull ${lever.name}`}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <span className="spacer" />
          <Link to={`/catalog/${encodeURIComponent(service.name)}`} className="small">
            {service.name} in the catalog
          </Link>
        </div>
        <p className="small muted">
          Recorded as a mitigation on the timeline (to execute), with the lever, its fail mode and your rationale.
          {lever.action.type === 'webhook' ? ' Nothing is called: whoever pulls it runs the webhook.' : ' Someone does it by hand.'}
        </p>
      </form>
    </dialog>
  );
}
