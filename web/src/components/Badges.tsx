import type { Severity } from '../api/client.js';

const SEVERITY_WORDS: Record<Severity, string> = {
  SEV1: 'critical',
  SEV2: 'major',
  SEV3: 'minor',
  SEV4: 'cosmetic',
};

/** Severity as colour and as text, never colour alone. */
export function SeverityBadge({ severity }: { severity: Severity | null }) {
  if (!severity) return <span className="badge sev-none" title="Severity not set yet">SEV?</span>;
  return (
    <span className={`badge sev-${severity.toLowerCase()}`} title={`${severity}: ${SEVERITY_WORDS[severity]}`}>
      {severity}
    </span>
  );
}

export function StatusBadge({ status }: { status: string }) {
  return <span className={`status status-${status}`}>{status}</span>;
}
