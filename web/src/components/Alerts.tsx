import type { AlertSeverity } from '../api/client.js';

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
