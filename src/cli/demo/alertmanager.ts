/**
 * Alertmanager webhook bodies (payload version 4) as a real Alertmanager grouping by alertname sends them,
 * fingerprints included, for the demo's alerts firing now.
 */

export interface AlertmanagerAlert {
  status: 'firing';
  labels: Record<string, string>;
  annotations: Record<string, string>;
  startsAt: string;
  endsAt: string;
  generatorURL: string;
  fingerprint: string;
}

export interface AlertmanagerBody {
  version: '4';
  groupKey: string;
  truncatedAlerts: number;
  status: 'firing';
  receiver: string;
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  externalURL: string;
  alerts: AlertmanagerAlert[];
}

/**
 * Alertmanager's alert fingerprint (prometheus/common `model.LabelSet.Fingerprint`): FNV-1a 64 over the
 * label names in byte order, each name and value followed by a 0xff byte, as 16 hex digits.
 */
export function alertFingerprint(labels: Record<string, string>): string {
  const prime = 1099511628211n;
  const mask = 0xffff_ffff_ffff_ffffn;
  let h = 14695981039346656037n;
  const enc = new TextEncoder();
  const add = (bytes: Uint8Array) => {
    for (const b of bytes) h = ((h ^ BigInt(b)) * prime) & mask;
  };
  const byBytes = (a: string, b: string) => {
    const x = enc.encode(a);
    const y = enc.encode(b);
    for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return (x[i] as number) - (y[i] as number);
    return x.length - y.length;
  };
  for (const name of Object.keys(labels).sort(byBytes)) {
    add(enc.encode(name));
    add(Uint8Array.of(0xff));
    add(enc.encode(labels[name] as string));
    add(Uint8Array.of(0xff));
  }
  return h.toString(16).padStart(16, '0');
}

/** The labels (or annotations) every alert of a batch has with the same value, as Alertmanager computes them. */
export function common(maps: Record<string, string>[]): Record<string, string> {
  const [first, ...rest] = maps;
  if (!first) return {};
  return Object.fromEntries(Object.entries(first).filter(([k, v]) => rest.every((m) => m[k] === v)));
}

/** One webhook for the alerts of `alertname`, all firing since `startsAt` (ms). */
export function alertmanagerBody(
  alertname: string,
  startsAt: number,
  alerts: { labels: Record<string, string>; summary: string }[],
): AlertmanagerBody {
  const built = alerts.map((a): AlertmanagerAlert => {
    const labels: Record<string, string> = { alertname, ...a.labels };
    return {
      status: 'firing',
      labels,
      annotations: { summary: a.summary, runbook_url: `https://wiki.example.invalid/runbooks/${labels.service ?? alertname}` },
      startsAt: new Date(startsAt).toISOString(),
      endsAt: '0001-01-01T00:00:00Z',
      generatorURL: `http://prometheus.example.invalid/graph?g0.expr=${encodeURIComponent(alertname)}`,
      fingerprint: alertFingerprint(labels),
    };
  });
  return {
    version: '4',
    groupKey: `{}:{alertname=${JSON.stringify(alertname)}}`,
    truncatedAlerts: 0,
    status: 'firing',
    receiver: 'firebreak',
    groupLabels: { alertname },
    commonLabels: common(built.map((a) => a.labels)),
    commonAnnotations: common(built.map((a) => a.annotations)),
    externalURL: 'http://alertmanager.example.invalid:9093',
    alerts: built,
  };
}
