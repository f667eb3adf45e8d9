import { notFound } from '../errors.js';
import { SEVERITY_TABLE } from '../incident/triage.js';
import { SEVERITIES, type Status } from '../incident/types.js';
import { type Block, link, list, p, type Rich, renderMarkdownDoc, type Section } from '../outputs/document.js';
import { formatUtc } from '../outputs/escape.js';
import { findService, onCallNow, ownerOf, rankLevers } from './queries.js';
import type { AlertMatcher, Catalog, Lever, Person, Service, Team } from './types.js';

const TIER_WORDS = { 1: 'most critical', 2: 'critical', 3: 'important', 4: 'low criticality' } as const;

// The status gates (docs/API.md), in words: what each status change needs before Firebreak lets it through.
const GATES: [Status, string][] = [
  [
    'investigating',
    'Declared with a title and an impact statement (auto-declared incidents carry "impact unconfirmed").',
  ],
  ['mitigated', 'At least one mitigation decision with its rationale.'],
  [
    'resolved',
    'Severity set and impact confirmed; the containment decision explicit (rollback, fail-closed, fallback, or none needed with a reason); commander, comms lead and update cadence set; at least one piece of evidence; linked alerts cleared or an override reason; guardrails reviewed (each with a removal condition, or an explicit "none").',
  ],
  [
    'closed',
    'Postmortem complete: summary, impact, 5 Whys with a root cause, at least one "went well" and one "went poorly", at least one action item with owner and deadline, open questions answered or turned into action items.',
  ],
  ['cancelled', 'A reason (for example, a false alarm).'],
];

const ROLES: Rich[] = [
  'Incident Commander: owns coordination and decisions, not debugging.',
  'Technical Responder(s): debug and pull levers.',
  'Communications Lead: updates stakeholders and users on the agreed cadence.',
  'Scribe (optional): keeps the timeline and evidence current.',
];

const CADENCE: Rich[] = [
  'Open a response channel and name the decision owner.',
  'Set the internal update cadence; Firebreak reminds the communications lead when an update is due.',
  'Agree the trigger for external updates (for example: users see errors, or the status page component degrades).',
];

/** Origin and path only: a lever URL may carry a token in its query. */
function shownUrl(raw: string): string {
  try {
    const u = new URL(raw);
    return `${u.origin}${u.pathname}`;
  } catch {
    return raw;
  }
}

const matcherText = (m: AlertMatcher) =>
  'value' in m ? `${m.label} = "${m.value}"` : `${m.label} =~ /${m.regex}/ (whole value)`;

function leverItem(l: Lever): Rich {
  const traits = [
    l.failClosed ? 'fail-closed' : 'fail-open',
    l.preservesData ? 'preserves data' : 'may not preserve data',
  ];
  const how =
    l.action.type === 'webhook'
      ? `call ${l.action.method} ${shownUrl(l.action.url)} (pulling it in the incident room records the decision; Firebreak does not call lever webhooks itself yet)`
      : `pull by hand: ${l.action.instructions}`;
  return `${l.name} (${l.kind}; ${traits.join(', ')}) — ${how}`;
}

const personText = (p: Person) => (p.title === p.name ? p.name : `${p.title} (${p.name})`);

function onCallLine(team: Team | null, person: Person | null, now: string): Rich {
  if (person) return `${personText(person)}, who owns the service${person.email ? `: ${person.email}` : ''}`;
  if (!team) return 'unknown (the owning team is not in the catalog)';
  const who = onCallNow(team, now);
  if (who) return `${who} (${team.onCall?.rotation} rotation, as of ${formatUtc(now)})`;
  const members = team.members.map((m) => m.name).join(', ') || 'no members listed';
  if (team.onCall) return `rotation starts ${formatUtc(team.onCall.startsAt)}; until then page the team: ${members}`;
  return `no rotation set; page the team: ${members}`;
}

const orNone = (items: Rich[], none: string): Block => (items.length ? list(items) : p(none));

function ownerText(s: Service, team: Team | null, person: Person | null): Rich {
  if (person) return personText(person);
  return team && team.title !== team.name ? `${team.title} (${team.name})` : s.owner;
}

function overview(s: Service, owner: ReturnType<typeof ownerOf>, now: string): Block[] {
  const fields: [string, Rich][] = [
    ['Service', s.title === s.name ? s.name : `${s.title} (${s.name})`],
    ['Owner', ownerText(s, owner.team, owner.person)],
    ['On call now', onCallLine(owner.team, owner.person, now)],
    ['Tier', `${s.tier} (${TIER_WORDS[s.tier]})`],
    ['On the public status page', s.public ? 'yes' : 'no'],
  ];
  if (s.system) fields.push(['System', s.system]);
  if (s.lifecycle) fields.push(['Lifecycle', s.lifecycle]);
  if (s.repository) fields.push(['Repository', [link(`https://github.com/${s.repository}`, s.repository)]]);
  fields.push(['Runbook', s.runbook ? [link(s.runbook)] : 'none recorded']);
  const caveats = s.warnings.map((w): Rich => w.message);
  return [
    { kind: 'fields', fields },
    ...(s.description ? [p(s.description)] : []),
    ...(caveats.length ? [p('The catalog leaves this open:'), list(caveats)] : []),
  ];
}

function architecture(s: Service): Section[] {
  const { availability, latencyP95Ms } = s.slo;
  const slos: [string, Rich][] = [];
  if (availability !== null) slos.push(['Availability', `${availability} %`]);
  if (latencyP95Ms !== null) slos.push(['Latency p95', `${latencyP95Ms} ms`]);
  const flows = (userFacing: boolean) => s.flows.filter((f) => f.userFacing === userFacing).map((f): Rich => f.name);
  return [
    {
      title: 'Dependencies',
      blocks: [
        orNone(
          s.dependsOn.map((d) => (s.external.includes(d) ? `${d} (outside the catalog)` : d)),
          'None recorded.',
        ),
      ],
    },
    { title: 'SLOs', blocks: [slos.length ? { kind: 'fields', fields: slos } : p('None recorded.')] },
    {
      title: 'Flows',
      blocks: [
        p('User-facing:'),
        orNone(flows(true), 'None recorded.'),
        ...(flows(false).length ? [p('Internal:'), list(flows(false))] : []),
      ],
    },
    {
      title: 'Unsupported flows',
      blocks: [
        orNone(s.unsupportedFlows, 'None recorded.'),
        ...(s.unsupportedFlows.length
          ? [p('An incident touching one of these needs a stated reason before any fail-open lever is pulled.')]
          : []),
      ],
    },
    {
      title: 'Coexistence seams',
      blocks: [
        orNone(
          s.coexistence.map((c) => `${c.name} — fails ${c.failMode}`),
          'None recorded.',
        ),
      ],
    },
    {
      title: 'Alerts mapped to this service',
      blocks: [
        orNone(
          s.alertMatchers.map(matcherText),
          'No matchers: only alerts labelled with this service name route here.',
        ),
        p(`When no service's matchers claim an alert, a service="${s.name}" label routes it here.`),
      ],
    },
  ];
}

function response(s: Service): Section[] {
  const levers = rankLevers(s);
  return [
    {
      title: 'Levers (fail-closed first)',
      blocks: [
        levers.length
          ? list(levers.map(leverItem), true)
          : p('No levers recorded: add rollback, feature-flag or reject-path levers to the catalog.'),
        p(
          'Prefer fail-closed levers that keep old and new systems coexisting and protect data, even if the experience narrows. A fail-open lever on an unsupported flow or coexistence seam needs an explicit reason.',
        ),
      ],
    },
    {
      title: 'Severity (by current user impact, never by the suspected cause)',
      blocks: [
        {
          kind: 'table',
          head: ['Severity', 'Impact', 'Response target', 'Example'],
          rows: SEVERITIES.map((sev) => [
            sev,
            SEVERITY_TABLE[sev].impact,
            SEVERITY_TABLE[sev].responseTarget,
            SEVERITY_TABLE[sev].example,
          ]),
        },
      ],
    },
    { title: 'Roles and cadence', blocks: [p('Roles:'), list(ROLES), p('Cadence:'), list(CADENCE)] },
    {
      title: 'Quality gates',
      blocks: [{ kind: 'table', head: ['Status', 'Gate'], rows: GATES.map(([status, gate]) => [status, gate]) }],
    },
  ];
}

/** The per-service incident playbook as Markdown; every catalog value is escaped. */
export function renderServicePlaybook(catalog: Catalog, serviceName: string, now: string): string {
  const service = findService(catalog, serviceName);
  if (!service) throw notFound(`No service named ${JSON.stringify(serviceName)} in the catalog.`);
  const owner = ownerOf(catalog, service);
  const { team } = owner;
  const contacts: Section[] = team
    ? [
        {
          title: `Team ${team.title}`,
          blocks: [
            orNone(
              team.members.map((m) => m.name),
              'No members listed.',
            ),
            p(`Notified through: ${[...new Set(team.notify.map((n) => ('type' in n ? n.type : n.target)))].join(', ') || 'nothing configured'}.`),
          ],
        },
      ]
    : [];
  return renderMarkdownDoc({
    title: `Incident playbook: ${service.title}`,
    sections: [{ blocks: overview(service, owner, now) }, ...architecture(service), ...response(service), ...contacts],
  });
}
