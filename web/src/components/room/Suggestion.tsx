import { useState } from 'react';
import { api, problemOf, type Act, type Incident, type ProblemInfo } from '../../api/client.js';
import { ProblemView } from '../ProblemView.js';

/**
 * The commander the catalog suggested at declaration (the owning team's on-call person), with a one-click
 * "Make commander", while nobody holds the role and the incident is still open.
 */
export function CommanderSuggestion({ incident, canAct, act }: { incident: Incident; canAct: boolean; act: Act }) {
  const [problem, setProblem] = useState<ProblemInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const s = incident.suggestedCommander;
  const over = incident.status === 'closed' || incident.status === 'cancelled';
  if (!s || incident.roles.commander !== null || over) return null;
  const make = async () => {
    setBusy(true);
    setProblem(null);
    try {
      await act(api.assignRole(incident.id, { role: 'commander', person: s.person }));
    } catch (err) {
      setProblem(problemOf(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="suggestion" role="region" aria-label="Suggested commander">
      <span>
        <span className="k">suggested commander</span> <strong data-suggested>{s.person}</strong>{' '}
        <span className="muted">— {s.reason}</span>
      </span>
      {canAct && (
        <button type="button" className="primary" disabled={busy} onClick={() => void make()}>
          Make commander
        </button>
      )}
      <ProblemView problem={problem} />
    </div>
  );
}
