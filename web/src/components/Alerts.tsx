import { useRef, useState, type FormEvent } from 'react';
import { OPEN_STATUSES, severityRank, type AlertInfo, type AlertSeverity, type IncidentSummary, type ProblemInfo } from '../api/client.js';
import { SeverityBadge } from './Badges.js';
import { useModal } from './Panel.js';
import { ProblemView } from './ProblemView.js';

/** An alert's severity as colour and as its word, never colour alone. */
export function AlertSeverityBadge({ severity }: { severity: AlertSeverity }) {
  return <span className={`badge asev-${severity}`}>{severity}</span>;
}

/** Alert labels as `key=value` text chips (untrusted: rendered as text only). */
export function Labels({ labels }: { labels: Record<string, string> }) {
  const entries = Object.entries(labels);
  if (entries.length === 0) return null;
  return (
    <ul className="labels" aria-label="Labels">
      {entries.map(([k, v]) => (
        <li key={k}>
          <span className="lk">{k}</span>=<span className="lv">{v}</span>
        </li>
      ))}
    </ul>
  );
}

/** The incident is on the service the alert was routed to. */
const onAlertService = (alert: AlertInfo, i: IncidentSummary) => alert.service !== null && i.services.includes(alert.service);

/** Open incidents to offer for an alert: those of its routed service first, then most severe, then newest. */
export function rankForAlert(alert: AlertInfo, incidents: readonly IncidentSummary[]): IncidentSummary[] {
  const ownService = (i: IncidentSummary) => (onAlertService(alert, i) ? 0 : 1);
  return incidents
    .filter((i) => OPEN_STATUSES.includes(i.status))
    .sort(
      (a, b) =>
        ownService(a) - ownService(b) || severityRank(a.severity) - severityRank(b.severity) || b.declaredAt.localeCompare(a.declaredAt),
    );
}

/**
 * Confirms attaching an inbox alert to one open incident. `incidents` are the open ones, fetched as the dialog opens
 * (null until they arrive); `onAttach` answers the refusal to show, or null when done.
 */
export function AttachAlertDialog({
  alert,
  incidents,
  onAttach,
  onDeclare,
  onClose,
}: {
  alert: AlertInfo;
  incidents: readonly IncidentSummary[] | null;
  onAttach: (incidentId: string) => Promise<ProblemInfo | null>;
  onDeclare: () => void;
  onClose: () => void;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const offered = rankForAlert(alert, incidents ?? []);
  const first = offered[0];
  // Preselected only when it is an incident of the alert's own service; otherwise the responder picks.
  const suggested = first && onAlertService(alert, first) ? first.id : '';
  const [picked, setPicked] = useState<string | null>(null);
  const chosen = picked ?? suggested;
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<ProblemInfo | null>(null);

  useModal(ref);

  const handleSubmit = async (e: FormEvent) => {
    e.preventDefault();
    if (busy || !chosen) return;
    setBusy(true);
    setProblem(null);
    const refused = await onAttach(chosen);
    if (refused) {
      setProblem(refused);
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" aria-label="Attach to incident" onCancel={onClose}>
      <form onSubmit={handleSubmit} className="stack" aria-label="Confirm attach">
        <h2 className="dialog-title">Attach this alert to an open incident?</h2>
        <div className="from-alert">
          <div>
            <AlertSeverityBadge severity={alert.severity} /> <strong>{alert.summary}</strong>
          </div>
          <div className="small muted">
            <span className="id">{alert.dedupKey}</span> · {alert.source} · {alert.status} · fired {alert.occurrences}× ·{' '}
            {alert.service ? `routed to ${alert.service}` : 'unrouted'}
          </div>
        </div>
        {incidents === null ? (
          <p className="muted">Loading the open incidents…</p>
        ) : offered.length === 0 ? (
          <p className="muted">
            No incident is open (investigating or mitigated), so there is nothing to attach it to.{' '}
            <button type="button" className="link" onClick={onDeclare}>
              Declare one from this alert
            </button>
          </p>
        ) : (
          <fieldset className="choices">
            <legend>Open incident{alert.service ? `, ${alert.service} first` : ''}</legend>
            {offered.map((i) => (
              <label key={i.id} className="choice" data-incident={i.id}>
                <input type="radio" name="incident" value={i.id} checked={chosen === i.id} onChange={() => setPicked(i.id)} />
                <SeverityBadge severity={i.severity} />
                <span className="grow">
                  <span className="id">{i.id}</span> {i.title}
                  <span className="small muted">
                    {' '}
                    · {i.status}
                    {i.services.length > 0 && ` · ${i.services.join(', ')}`}
                  </span>
                </span>
                {onAlertService(alert, i) && <span className="tag tag-ok">same service</span>}
              </label>
            ))}
          </fieldset>
        )}
        <ProblemView problem={problem} />
        <div className="row">
          <button type="submit" className="primary" disabled={busy || !chosen || incidents === null}>
            {busy ? 'Attaching…' : chosen ? `Attach to ${chosen}` : 'Attach'}
          </button>
          <button type="button" onClick={onClose}>
            Cancel
          </button>
        </div>
        <p className="small muted">
          The alert leaves the inbox and joins the incident&apos;s linked alerts; the incident&apos;s timeline records who
          attached it.
        </p>
      </form>
    </dialog>
  );
}
