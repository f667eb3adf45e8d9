import type { PostmortemText } from '../incident/events.js';
import type { Incident } from '../incident/state.js';

/** `1 d 2 h 5 min`, `45 min`, `0 min`. */
export function humanDuration(minutes: number): string {
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  const parts = [d ? `${d} d` : '', h ? `${h} h` : '', m || (!d && !h) ? `${m} min` : ''];
  return parts.filter(Boolean).join(' ');
}

const minutes = (from: string | null, to: string | null) => {
  const d = from && to ? Date.parse(to) - Date.parse(from) : NaN;
  return Number.isFinite(d) && d >= 0 ? humanDuration(Math.round(d / 60_000)) : null;
};

/**
 * The narrative a new draft starts from, pre-filled from what the incident recorded: the summary and
 * impact from its title, severity, impact statement and durations; contributing factors from suspect
 * deploys (with their config deltas) and the boundary flags; what went poorly from gate overrides and
 * failed levers. The 5 Whys, root cause, what went well and lessons are the author's to write: a guess
 * there would read as a finding. Milestones, timeline, severity history, mitigations, evidence,
 * guardrails and open questions are not copied: the report shows them from the log itself.
 */
export function draftText(s: Incident): PostmortemText {
  const m = s.milestones;
  const durations = [
    ['detected after', minutes(m.startedAt, m.detectedAt)],
    ['acknowledged after', minutes(m.declaredAt, m.acknowledgedAt)],
    ['mitigated after', minutes(m.startedAt, m.mitigatedAt)],
    ['resolved after', minutes(m.startedAt, m.resolvedAt)],
  ].filter((d): d is [string, string] => d[1] !== null);
  const severity = s.severity ? `${s.severity} ` : '';
  const services = s.services.length ? ` on ${s.services.join(', ')}` : '';
  const contained = s.mitigations
    .filter((x) => x.kind !== 'none')
    .map((x) => `${x.action} (${x.kind}${x.failClosed === true ? ', fail-closed' : x.failClosed === false ? ', fail-open' : ''})`);
  const summary = [
    `${severity}incident${services}: ${s.title}.`,
    contained.length ? `Contained by ${contained.join('; ')}.` : '',
    durations.length ? `Impact ${durations.map(([what, d]) => `${what} ${d}`).join(', ')}.` : '',
  ]
    .filter(Boolean)
    .join(' ');

  const impact = [
    s.impact.statement ?? '',
    s.impact.usersAffected !== null ? `About ${s.impact.usersAffected} users affected.` : '',
    s.impact.dataLoss ? 'Data was lost.' : '',
    s.impact.securityBreach ? 'Security was breached.' : '',
  ]
    .filter(Boolean)
    .join(' ');

  const factors: string[] = [];
  for (const sus of s.suspects) {
    const d = sus.deploy;
    const where = sus.relation === 'dependency' ? `dependency ${d.service} (of ${sus.via.join(', ')})` : d.service;
    const version = d.version ? ` ${d.version}` : '';
    const deltas = sus.configDeltas.map((c) => c.key).join(', ');
    factors.push(
      `Deploy of ${where}${version} landed ${sus.minutesBeforeImpact} min before the impact${deltas ? `, changing ${deltas}` : ''}.`,
    );
  }
  const b = s.impact.boundary;
  if (b?.unsupportedFlow) factors.push('The failure crossed an unsupported flow.');
  if (b?.coexistenceSeam) factors.push('The failure sat on a coexistence seam between old and new systems.');
  if (b?.rolloutBoundary) factors.push('The failure started at a rollout boundary.');

  const poorly = [
    ...s.overrides.map((o) => `The ${o.to} gate was overridden (${o.reason}) with ${o.unmet.map((u) => u.code).join(', ')} unmet.`),
    ...s.mitigations
      .filter((x) => x.execution?.state === 'failed' || x.execution?.state === 'confirmed_failed')
      .map((x) => `Lever ${x.lever} failed: ${x.execution?.reason ?? x.result}.`),
  ];

  return { summary, impact, whys: [], rootCause: '', contributingFactors: factors, wentWell: [], wentPoorly: poorly, lessons: [] };
}
