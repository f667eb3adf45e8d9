import { useState, type FormEvent } from 'react';
import { api, LIMITS, type Act, type Incident, type Status, type StatusInput } from '../../api/client.js';
import { useSubmit } from '../../hooks/submit.js';
import { ProblemView } from '../ProblemView.js';

const MOVES: Record<string, readonly Status[]> = {
  investigating: ['mitigated', 'resolved', 'cancelled'],
  mitigated: ['resolved', 'investigating', 'cancelled'],
  resolved: ['closed', 'investigating'],
  cancelled: ['investigating'],
  closed: [],
  new: [],
};

const LABEL: Partial<Record<Status, string>> = {
  investigating: 'Re-open (investigating)',
  cancelled: 'Cancel (false alarm)',
};

/** The status transitions this incident allows, with what the next gate still needs and every refusal's unmet list. */
export function StatusPanel({
  incident,
  canAct,
  me,
  act,
}: {
  incident: Incident;
  canAct: boolean;
  me: string;
  act: Act;
}) {
  const [reason, setReason] = useState('');
  const [noGuardrails, setNoGuardrails] = useState(false);
  const [alertsOverride, setAlertsOverride] = useState('');
  const [override, setOverride] = useState('');
  const { busy, problem, submit } = useSubmit();
  const moves = MOVES[incident.status] ?? [];
  const isCommander = incident.roles.commander === me;
  const firing = incident.alertCounts.firing;
  const gate = incident.nextGate;

  const move = (to: Status) =>
    submit(async () => {
      const input: StatusInput = {
        to,
        ...(reason.trim() && { reason: reason.trim() }),
        ...(to === 'resolved' && noGuardrails && { noGuardrails: true }),
        ...(to === 'resolved' && alertsOverride.trim() && { alertsOverride: alertsOverride.trim() }),
        ...(override.trim() && { override: { reason: override.trim() } }),
      };
      await act(api.changeStatus(incident.id, input));
      setReason('');
      setOverride('');
    });

  const handleSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
    const to = submitter?.value as Status | undefined;
    if (to) void move(to);
  };

  return (
    <section className="panel status-panel" aria-label="Status">
      <h2>Status: {incident.status}</h2>
      {gate && (
        <div className={`gate ${gate.unmet.length ? 'gate-open' : 'gate-met'}`} data-gate={gate.to}>
          {gate.unmet.length === 0 ? (
            <span>Ready for {gate.to}: every criterion is met.</span>
          ) : (
            <>
              <span>
                Before <strong>{gate.to}</strong>, still missing:
              </span>
              <ul>
                {gate.unmet.map((u) => (
                  <li key={u.code + u.message}>{u.message}</li>
                ))}
              </ul>
            </>
          )}
        </div>
      )}
      {canAct && moves.length > 0 && (
        <form onSubmit={handleSubmit} aria-label="Change status" className="stack">
          <div className="row wrap">
            {moves.map((to) => (
              <button key={to} type="submit" value={to} disabled={busy} className={to === gate?.to ? 'primary' : undefined}>
                {LABEL[to] ?? `Move to ${to}`}
              </button>
            ))}
          </div>
          <details>
            <summary>Options: reason, guardrails, alerts, gate override</summary>
            <div className="row wrap">
              <label className="field grow">
                <span>Reason (needed to cancel or re-open)</span>
                <input name="reason" maxLength={LIMITS.reason} value={reason} onChange={(e) => setReason(e.target.value)} />
              </label>
              {moves.includes('resolved') && (
                <label className="field check">
                  <input type="checkbox" checked={noGuardrails} onChange={(e) => setNoGuardrails(e.target.checked)} />
                  Guardrails reviewed: none needed
                </label>
              )}
              {moves.includes('resolved') && firing > 0 && (
                <label className="field grow">
                  <span>{firing} alert(s) still firing — override reason</span>
                  <input maxLength={LIMITS.reason} value={alertsOverride} onChange={(e) => setAlertsOverride(e.target.value)} />
                </label>
              )}
              {isCommander && (
                <label className="field grow">
                  <span>Override the gate (commander only; shows in the postmortem)</span>
                  <input maxLength={LIMITS.reason} value={override} onChange={(e) => setOverride(e.target.value)} />
                </label>
              )}
            </div>
          </details>
          <ProblemView problem={problem} />
        </form>
      )}
    </section>
  );
}
