import { InvalidArgumentError, Option, type Command } from 'commander';
import { parse as parseYaml } from 'yaml';
import {
  alertNote,
  LIMITS,
  type ActionStatus,
  type ConfirmLeverInput,
  type EvidenceInput,
  type IncidentAnswer,
  type IncidentLever,
  type LeverDryRun,
  type MitigationInput,
  type PostmortemInput,
  type PullLeverInput,
  type RoleInput,
  type UpdateInput,
} from '../../client/index.js';
import { COMPONENT_STATES, SETTABLE_PUBLIC_STATUSES, type ComponentState } from '../../domain/status/types.js';
import {
  ACTION_KINDS,
  IMPACT_FACTS,
  type PostmortemState,
  type BoundaryFlags,
  type ImpactFacts,
  type Severity,
  type Status,
} from '../../domain/incident/types.js';
import { ActionFailedError, MissingError, UsageError } from '../exit-codes.js';
import { mapFields, STATUS_GATE_FLAGS } from '../fields.js';
import { cleanLine, formatChange } from '../format.js';
import { collectServices } from '../service-arg.js';
import { collect, contextFor, lastId, parseWhole, withCommandFlags, type CliIo, type RunState } from '../context.js';
import { TIME_HELP, timeParser } from '../time.js';
import { exportStatusPage } from './status.js';

type Fact = keyof ImpactFacts;

/** `--component checkout=major_outage`, repeatable, into `{checkout: 'major_outage'}`. */
function collectComponent(value: string, previous: Record<string, ComponentState> | undefined): Record<string, ComponentState> {
  const at = value.lastIndexOf('=');
  const name = value.slice(0, at).trim();
  const state = value.slice(at + 1).trim() as ComponentState;
  if (at <= 0 || !name || !COMPONENT_STATES.includes(state)) {
    throw new InvalidArgumentError(`expected <name>=<state>, the state one of ${COMPONENT_STATES.join(', ')}.`);
  }
  return { ...previous, [name]: state };
}

const kebab = (s: string) => s.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const FACT_BY_NAME = new Map<string, Fact>(IMPACT_FACTS.flatMap((f) => [[f.toLowerCase(), f], [kebab(f), f]]));

function collectFact(value: string, previous: Fact[] | undefined): Fact[] {
  const facts = collect(value, undefined).map((name) => {
    const fact = FACT_BY_NAME.get(name.toLowerCase());
    if (!fact) throw new InvalidArgumentError(`expected one of ${IMPACT_FACTS.join(', ')}.`);
    return fact;
  });
  return [...(previous ?? []), ...facts];
}

const upper = (v: string) => v.trim().toUpperCase();

interface BoundaryOpts {
  unsupportedFlow?: boolean;
  coexistenceSeam?: boolean;
  rolloutBoundary?: boolean;
  boundaryReviewed?: boolean;
}

/** Sent only when a flag is given (or --boundary-reviewed says none applies), so restating impact keeps the flags already recorded. */
function boundaryOf(o: BoundaryOpts): BoundaryFlags | undefined {
  if (!o.unsupportedFlow && !o.coexistenceSeam && !o.rolloutBoundary && !o.boundaryReviewed) return undefined;
  return {
    unsupportedFlow: Boolean(o.unsupportedFlow),
    coexistenceSeam: Boolean(o.coexistenceSeam),
    rolloutBoundary: Boolean(o.rolloutBoundary),
  };
}

const BOUNDARY_FIELDS = {
  'body.boundary.unsupportedFlow': '--unsupported-flow',
  'body.boundary.coexistenceSeam': '--coexistence-seam',
  'body.boundary.rolloutBoundary': '--rollout-boundary',
  'body.boundary': '--boundary-reviewed',
};

const withBoundaryFlags = (cmd: Command) =>
  mapFields(cmd, BOUNDARY_FIELDS)
    .option('--unsupported-flow', 'the failure touches a known unsupported flow')
    .option('--coexistence-seam', 'the failure sits where old and new systems coexist')
    .option('--rollout-boundary', 'the failure lines up with a rollout boundary')
    .option('--boundary-reviewed', 'the boundary was reviewed: only the flags given apply (none, if none is given)');

const trueOrUndefined = (flag: boolean | undefined) => (flag ? true : undefined);

/** What became of a pulled lever, in one line: the webhook's answer, the refusal, or the manual steps. */
function pullOutcome(id: string, m: IncidentAnswer['mitigations'][number] | undefined, lever: IncidentLever | undefined): string {
  const x = m?.execution;
  if (!x) return 'recorded';
  switch (x.state) {
    case 'succeeded':
      return `webhook called: ${x.status}${x.excerpt ? ` ${cleanLine(x.excerpt).slice(0, 120)}` : ''}`;
    case 'failed':
      return `webhook failed: ${cleanLine(x.reason ?? String(x.status))}`;
    case 'refused':
      return `not called, ${cleanLine(x.reason ?? 'refused')}`;
    case 'awaiting_confirmation': {
      const steps = lever?.action.type === 'manual' ? `do by hand: ${cleanLine(lever.action.instructions)}; ` : '';
      return `${steps}then: firebreak confirm ${id} ${m.id} done|failed`;
    }
    default:
      return x.state.replace('_', ' ');
  }
}

/** A pull whose webhook failed or was refused is recorded, but nothing was contained: a script must not read success. */
function failedPull(id: string, m: IncidentAnswer['mitigations'][number] | undefined): void {
  const state = m?.execution?.state;
  if (m && (state === 'failed' || state === 'refused')) {
    throw new ActionFailedError(`${m.id} is recorded, but the lever did not act (${pullOutcome(id, m, undefined)}): record another decision or pull it again`);
  }
}

/** One lever of `firebreak levers`: name, kind, fail mode, data, what it does, boundary, pulls. */
function leverLine(l: IncidentLever): string {
  const does = l.action.type === 'webhook' ? `webhook ${l.action.method} ${l.action.url}` : `by hand: ${cleanLine(l.action.instructions)}`;
  const boundary = l.boundary ? `  boundary ${l.boundary.version ?? '?'} (before: ${l.boundary.previousVersion ?? '?'})` : '';
  const pulls = l.pulls.length ? `  pulls: ${l.pulls.map((p) => `${p.mitigationId} ${p.state}`).join(', ')}` : '';
  return `${l.name}  ${l.kind}  ${l.failClosed ? 'fail-closed' : 'fail-open'}  ${l.preservesData ? 'preserves data' : 'may lose data'}  ${l.service}  ${does}${boundary}${pulls}`;
}

/** A dry run's request as curl would show it: method and URL, headers, body. */
function formatDryRun(d: LeverDryRun): string {
  const headers = Object.entries(d.request.headers).map(([k, v]) => `${k}: ${v}`);
  return [`dry run of ${d.lever} on ${d.service} (would be ${d.mitigationId}; nothing recorded or sent)`, `${d.request.method} ${d.request.url}`, ...headers, '', d.request.body].join('\n');
}

/** Reads a postmortem body from JSON or YAML; a file that does not parse is a usage error. */
export function parsePostmortemFile(path: string, text: string): PostmortemInput {
  try {
    const value: unknown = /\.json$/i.test(path) ? JSON.parse(text) : parseYaml(text);
    if (!value || typeof value !== 'object' || Array.isArray(value)) throw new Error('expected an object');
    return value as PostmortemInput;
  } catch (err) {
    throw new UsageError(`${path}: not a postmortem document (${(err as Error).message.split('\n')[0]})`);
  }
}

/** The incident verbs: each parses, makes one client call and prints. */
export function registerIncidentCommands(program: Command, io: CliIo, state: RunState): void {
  const ctx = (cmd: Command) => contextFor(io, state, cmd);
  const time = timeParser(() => io.now());

  const declare = withBoundaryFlags(
    program
      .command('declare')
      .description('declare an incident (from an inbox alert with --from-alert)')
      .argument('[title]', 'what is broken, in a few words (with --from-alert, default "[service] alert summary")')
      .requiredOption('--impact <text>', 'the user-facing impact: what fails, for whom')
      .option('--confirmed', 'the impact is confirmed against evidence')
      .option('--service <name>', 'affected service, name or namespace/name (repeatable, or comma-separated)', collectServices)
      .option('--severity <SEV>', 'SEV1..SEV4 (needs --reason, or --fact to triage)', upper)
      .option('--reason <text>', 'why this severity')
      .option('--fact <fact>', `impact fact for triage (repeatable): ${IMPACT_FACTS.map(kebab).join(', ')}`, collectFact)
      .option('--started-at <time>', `when impact started (default: detected time); ${TIME_HELP}`, time)
      .option('--detected-at <time>', `when it was detected (default: now); ${TIME_HELP}`, time)
      .option('--commander <name>', 'take the incident commander role now')
      .option('--from-alert <alertId>', "declare from an inbox alert: its service and summary fill in what is not given (see alerts ls)")
      .option('--no-alert-note', "with --from-alert: skip the note that records the alert's details"),
  );
  mapFields(declare, {
    'body.title': '<title>',
    'body.impact': '--impact',
    'body.impactConfirmed': '--confirmed',
    'body.services': '--service',
    'body.severity': '--severity',
    'body.severityReason': '--reason',
    'body.impactFacts': '--fact',
    'body.startedAt': '--started-at',
    'body.detectedAt': '--detected-at',
    'body.commander': '--commander',
    'headers.idempotency-key': '--idempotency-key',
  })
    .option('--idempotency-key <key>', 'replay-safe key for this write (default: a fresh random key)')
    .action(async (given: string | undefined, o, cmd: Command) => {
      if (given === undefined && !o.fromAlert) throw new UsageError("missing required argument 'title'");
      const c = ctx(cmd);
      const alert = o.fromAlert ? await c.client.getAlert(o.fromAlert) : undefined;
      const alertService = alert ? (alert.service ?? alert.senderService) : null;
      const title = given ?? `[${alertService ?? 'unrouted'}] ${alert!.summary}`.slice(0, LIMITS.title);
      const facts: Fact[] | undefined = o.fact;
      const key = c.commandOptions.idempotencyKey!;
      let inc = await c.client.declareIncident(
        {
          title,
          impact: o.impact,
          impactConfirmed: trueOrUndefined(o.confirmed),
          services: o.service ?? (alertService ? [alertService] : undefined),
          severity: o.severity as Severity | undefined,
          severityReason: o.reason,
          impactFacts: facts ? Object.fromEntries(facts.map((f) => [f, true])) : undefined,
          boundary: boundaryOf(o),
          startedAt: o.startedAt,
          detectedAt: o.detectedAt,
          commander: o.commander,
        },
        { idempotencyKey: key },
      );
      if (alert) {
        try {
          inc = await c.client.attachAlert(inc.id, alert.id);
        } catch (err) {
          io.stderr(`firebreak: ${inc.id} declared, but alert ${cleanLine(alert.id)} was not linked to it: ${cleanLine((err as Error).message)}\n`);
        }
      }
      if (alert && o.alertNote) {
        // Best effort, as in the web UI: the incident exists either way. Its own key keeps a rerun from adding it twice.
        const noteKey = `${key.slice(0, LIMITS.idempotencyKey - 5)}:note`;
        try {
          inc = await c.client.addNote(inc.id, { body: alertNote(alert) }, { idempotencyKey: noteKey });
        } catch (err) {
          io.stderr(`firebreak: ${inc.id} declared, but the note about alert ${cleanLine(alert.id)} was not added: ${cleanLine((err as Error).message)}\n`);
        }
      }
      const from = alert ? ` from alert ${alert.id}` : '';
      c.out(inc, () => formatChange(inc, `declared "${inc.title}"${from}`));
    });

  withCommandFlags(
    program
      .command('severity')
      .description('set or change the severity, with a reason')
      .argument('<id>', 'incident, INC-<n> or <n>')
      .argument('<severity>', 'SEV1..SEV4', upper)
      .requiredOption('--reason <text>', 'why, in terms of current user impact'),
    { 'body.severity': '<severity>', 'body.reason': '--reason' },
  ).action(async (id: string, severity: string, o, cmd: Command) => {
    const c = ctx(cmd);
    const inc = await c.client.changeSeverity(id, { severity: severity as Severity, reason: o.reason }, c.commandOptions);
    c.out(inc, () => formatChange(inc, `severity ${inc.severity}`));
  });

  withCommandFlags(
    withBoundaryFlags(
      program
        .command('impact')
        .description('state or restate the user-facing impact')
        .argument('<id>', 'incident')
        .argument('<statement>', 'what fails, for whom')
        .option('--confirmed', 'confirmed against evidence')
        .option('--users-affected <n>', 'how many users', parseWhole)
        .option('--data-loss', 'data was lost')
        .option('--security-breach', 'security was breached')
        .option('--started-at <time>', `when impact started; ${TIME_HELP}`, time),
    ),
    {
      'body.statement': '<statement>',
      'body.confirmed': '--confirmed',
      'body.usersAffected': '--users-affected',
      'body.dataLoss': '--data-loss',
      'body.securityBreach': '--security-breach',
      'body.startedAt': '--started-at',
    },
  ).action(async (id: string, statement: string, o, cmd: Command) => {
    const c = ctx(cmd);
    const inc = await c.client.stateImpact(
      id,
      {
        statement,
        confirmed: Boolean(o.confirmed),
        usersAffected: o.usersAffected,
        dataLoss: trueOrUndefined(o.dataLoss),
        securityBreach: trueOrUndefined(o.securityBreach),
        boundary: boundaryOf(o),
        startedAt: o.startedAt,
      },
      c.commandOptions,
    );
    c.out(inc, () => formatChange(inc, `impact ${inc.impact.confirmed ? 'confirmed' : 'stated (unconfirmed)'}`));
  });

  withCommandFlags(
    program
      .command('assign')
      .description("give someone a role; --suggested makes the catalog's suggested commander the commander")
      .argument('<id>', 'incident')
      .argument('<role>', 'commander | responder | comms | scribe')
      .argument('[person]', 'who (the name they sign in with); omitted with --suggested')
      .option('--suggested', "assign the commander the catalog suggested when the incident was declared (the owning team's on-call person)"),
    { 'body.role': '<role>', 'body.person': '<person>' },
  ).action(async (id: string, role: string, given: string | undefined, o: { suggested?: boolean }, cmd: Command) => {
    const c = ctx(cmd);
    const input = { role: role.toLowerCase(), person: given } as RoleInput;
    if (o.suggested) {
      if (given !== undefined) throw new UsageError('give either <person> or --suggested, not both');
      if (input.role !== 'commander') throw new UsageError('--suggested names a commander only: use assign <id> commander --suggested');
      const inc = await c.client.getIncident(id);
      const suggested = inc.suggestedCommander;
      if (!suggested) {
        throw new MissingError(
          `${inc.id} has no suggested commander: the catalog named no one on call for ${inc.services.length ? inc.services.join(', ') : 'its services (none given)'} when it was declared; name the person instead`,
        );
      }
      input.person = suggested.person;
    } else if (given === undefined) {
      throw new UsageError("missing required argument 'person' (or --suggested for a commander)");
    }
    const inc = await c.client.assignRole(id, input, c.commandOptions);
    c.out(inc, () => formatChange(inc, `${input.person} is ${input.role}`));
  });

  withCommandFlags(
    program
      .command('unassign')
      .description('take a role away from someone')
      .argument('<id>', 'incident')
      .argument('<role>', 'commander | responder | comms | scribe')
      .argument('<person>', 'who (the name they sign in with)'),
    { 'body.role': '<role>', 'body.person': '<person>' },
  ).action(async (id: string, role: string, person: string, _o, cmd: Command) => {
    const c = ctx(cmd);
    const input = { role: role.toLowerCase(), person } as RoleInput;
    const inc = await c.client.unassignRole(id, input, c.commandOptions);
    c.out(inc, () => formatChange(inc, `${person} is no longer ${input.role}`));
  });

  withCommandFlags(
    program
      .command('comms')
      .description('set the communication plan')
      .argument('<id>', 'incident')
      .requiredOption('--channel <channel>', 'where the response happens, e.g. #inc-42')
      .requiredOption('--decision-owner <name>', 'who makes the calls')
      .requiredOption('--cadence <minutes>', 'internal update cadence in minutes', parseWhole)
      .requiredOption('--external-trigger <text>', 'when users get an external update'),
    {
      'body.channel': '--channel',
      'body.decisionOwner': '--decision-owner',
      'body.cadenceMinutes': '--cadence',
      'body.externalTrigger': '--external-trigger',
    },
  ).action(async (id: string, o, cmd: Command) => {
    const c = ctx(cmd);
    const inc = await c.client.setComms(
      id,
      { channel: o.channel, decisionOwner: o.decisionOwner, cadenceMinutes: o.cadence, externalTrigger: o.externalTrigger },
      c.commandOptions,
    );
    c.out(inc, () => formatChange(inc, `comms plan set: ${o.channel}, every ${o.cadence} min`));
  });

  withCommandFlags(
    program
      .command('update')
      .description('post a status update (internal unless --external)')
      .argument('<id>', 'incident')
      .argument('<body>', 'the update')
      .option('--external', 'for users and the public status page')
      .option('--title <text>', 'the incident\'s public name on the status page (with --external)')
      .addOption(
        new Option('--public-status <status>', 'the public status while open (with --external)').choices([...SETTABLE_PUBLIC_STATUSES]),
      )
      .option('--component <name=state>', `a public component's state, repeatable: ${COMPONENT_STATES.join(', ')}`, collectComponent),
    {
      'body.body': '<body>',
      'body.audience': '--external',
      'body.title': '--title',
      'body.publicStatus': '--public-status',
      'body.components': '--component',
    },
  ).action(async (id: string, body: string, o, cmd: Command) => {
    const c = ctx(cmd);
    const audience = o.external ? 'external' : 'internal';
    const input: UpdateInput = {
      audience,
      body,
      ...(o.title !== undefined && { title: o.title }),
      ...(o.publicStatus !== undefined && { publicStatus: o.publicStatus }),
      ...(o.component !== undefined && { components: o.component }),
    };
    const inc = await c.client.postUpdate(id, input, c.commandOptions);
    c.out(inc, () => formatChange(inc, `${audience} update posted`));
  });

  withCommandFlags(
    program.command('note').description('add a note to the timeline').argument('<id>', 'incident').argument('<body>', 'the note'),
    { 'body.body': '<body>' },
  ).action(async (id: string, body: string, _o, cmd: Command) => {
    const c = ctx(cmd);
    const inc = await c.client.addNote(id, { body }, c.commandOptions);
    c.out(inc, () => formatChange(inc, 'note added'));
  });

  withCommandFlags(
    program
      .command('evidence')
      .description('attach evidence')
      .argument('<id>', 'incident')
      .argument('<kind>', 'log | metric | trace | deploy | config | dashboard | other')
      .argument('<title>', 'what it shows')
      .option('--url <url>', 'link to it (so the server URL goes before the command: firebreak --url <server> evidence …)')
      .option('--text <text>', 'an excerpt'),
    { 'body.kind': '<kind>', 'body.title': '<title>', 'body.url': '--url', 'body.text': '--text' },
  ).action(async (id: string, kind: string, title: string, o, cmd: Command) => {
    const c = ctx(cmd);
    const input = { kind: kind.toLowerCase(), title, url: o.url, text: o.text } as EvidenceInput;
    const inc = await c.client.addEvidence(id, input, c.commandOptions);
    c.out(inc, () => formatChange(inc, `evidence ${lastId(inc.evidence)} added`));
  });

  program
    .command('levers')
    .description("the incident's catalog levers, fail-closed first, with the release boundary and its pulls")
    .argument('<id>', 'incident')
    .action(async (id: string, _o, cmd: Command) => {
      const c = ctx(cmd);
      const levers = await c.client.listLevers(id);
      c.out(levers, () => (levers.items.length ? levers.items.map(leverLine).join('\n') : 'no levers: the catalog lists none for these services'));
    });

  withCommandFlags(
    program
      .command('mitigate')
      .description('record a containment decision (a lever pulled, or "none" with a reason); with --lever and no kind, pull the catalog lever')
      .argument('<id>', 'incident')
      .argument('[kind]', 'rollback | feature-flag | scale | failover | rate-limit | reject-path | read-only | fallback | other | none (not with a pulled --lever: the catalog says)')
      .option('--action <text>', 'what was done (required without --lever)')
      .requiredOption('--rationale <text>', 'why this reduces impact')
      .option('--lever <name>', 'the catalog lever: without <kind>, pull it (Firebreak calls its webhook, or shows its manual steps)')
      .addOption(new Option('--fail-closed', 'the lever fails closed').conflicts(['failOpen', 'failOpenReason']))
      .addOption(new Option('--fail-open', 'the lever fails open').conflicts('failClosed'))
      .option('--fail-open-reason <text>', 'why failing open is acceptable here (implies --fail-open)')
      .option('--execute', "run the lever's action now (pulls the catalog --lever)")
      .option('--dry-run', 'with --lever: print the request the webhook lever would make; record and send nothing'),
    {
      'body.kind': '<kind>',
      'body.action': '--action',
      'body.rationale': '--rationale',
      'body.lever': '--lever',
      'body.failClosed': '--fail-closed',
      'body.failOpenReason': '--fail-open-reason',
      'body.execute': '--execute',
      'body.dryRun': '--dry-run',
    },
  ).action(async (id: string, kind: string | undefined, o, cmd: Command) => {
    const c = ctx(cmd);
    if (o.dryRun && !o.lever) throw new UsageError('--dry-run needs --lever <name>');
    if (o.lever && (kind === undefined || o.dryRun)) {
      const input: PullLeverInput = {
        lever: o.lever,
        rationale: o.rationale,
        ...(o.failOpenReason !== undefined && { failOpenReason: o.failOpenReason }),
        ...(o.action !== undefined && { action: o.action }),
      };
      if (o.dryRun) {
        const dry = await c.client.dryRunLever(id, input);
        c.out(dry, () => formatDryRun(dry));
        return;
      }
      const inc = await c.client.pullLever(id, input, c.commandOptions);
      const m = inc.mitigations.at(-1);
      const manual = m?.execution?.type === 'manual' ? (await c.client.listLevers(id)).items.find((l) => l.name === o.lever) : undefined;
      c.out(inc, () => formatChange(inc, `mitigation ${m?.id ?? '?'}: ${o.lever} pulled — ${pullOutcome(inc.id, m, manual)}`));
      failedPull(inc.id, m);
      return;
    }
    const failClosed = o.failClosed ? true : o.failOpen || o.failOpenReason ? false : undefined;
    const input = {
      kind: kind?.toLowerCase(),
      action: o.action,
      rationale: o.rationale,
      lever: o.lever,
      failClosed,
      failOpenReason: o.failOpenReason,
      execute: trueOrUndefined(o.execute),
    } as MitigationInput;
    const inc = await c.client.decideMitigation(id, input, c.commandOptions);
    const m = inc.mitigations.at(-1);
    const outcome = m?.execution ? ` — ${pullOutcome(inc.id, m, undefined)}` : '';
    c.out(inc, () => formatChange(inc, `mitigation ${lastId(inc.mitigations)} recorded (${m?.result ?? ''})${outcome}`));
    failedPull(inc.id, m);
  });

  withCommandFlags(
    program
      .command('confirm')
      .description('confirm a pulled manual lever done or failed')
      .argument('<id>', 'incident')
      .argument('<mitigation>', 'the pull (e.g. M2)', upper)
      .argument('<outcome>', 'done | failed')
      .option('--note <text>', 'what happened'),
    { 'params.mid': '<mitigation>', 'body.outcome': '<outcome>', 'body.note': '--note' },
  ).action(async (id: string, mid: string, outcome: string, o, cmd: Command) => {
    const c = ctx(cmd);
    const input = { outcome: outcome.toLowerCase(), ...(o.note !== undefined && { note: o.note }) } as ConfirmLeverInput;
    const inc = await c.client.confirmLever(id, mid, input, c.commandOptions);
    c.out(inc, () => formatChange(inc, `lever pull ${mid} confirmed ${input.outcome}`));
  });

  withCommandFlags(
    program
      .command('question')
      .description('record an open question, or answer one with --answer <qid>')
      .argument('<id>', 'incident')
      .argument('<text>', 'the question (or, with --answer, the answer)')
      .option('--answer <qid>', 'answer question <qid> (e.g. Q1) with <text>', upper),
    { 'body.question': '<text>', 'body.answer': '<text>', 'params.qid': '--answer' },
  ).action(async (id: string, text: string, o, cmd: Command) => {
    const c = ctx(cmd);
    if (o.answer) {
      const inc = await c.client.answerQuestion(id, o.answer, { answer: text }, c.commandOptions);
      c.out(inc, () => formatChange(inc, `question ${o.answer} answered`));
      return;
    }
    const inc = await c.client.askQuestion(id, { question: text }, c.commandOptions);
    c.out(inc, () => formatChange(inc, `question ${lastId(inc.questions)} asked`));
  });

  withCommandFlags(
    program
      .command('guardrail')
      .description('document a temporary guardrail')
      .argument('<id>', 'incident')
      .requiredOption('--what <text>', 'the guardrail')
      .requiredOption('--why <text>', 'what it protects')
      .requiredOption('--owner <name>', 'who removes it')
      .option('--removal-condition <text>', 'when it can go (required before resolving)'),
    { 'body.what': '--what', 'body.why': '--why', 'body.owner': '--owner', 'body.removalCondition': '--removal-condition' },
  ).action(async (id: string, o, cmd: Command) => {
    const c = ctx(cmd);
    const input = { what: o.what, why: o.why, owner: o.owner, removalCondition: o.removalCondition };
    const inc = await c.client.addGuardrail(id, input, c.commandOptions);
    c.out(inc, () => formatChange(inc, `guardrail ${lastId(inc.guardrails)} added`));
  });

  withCommandFlags(
    program
      .command('status')
      .description('move the incident: investigating | mitigated | resolved | closed | cancelled; `status export <dir>` writes the public status page')
      .argument('<id>', 'incident, or `export`')
      .argument('<to>', 'the new status (after `export`: the folder)')
      .option('--reason <text>', 'why (required to cancel or re-open)')
      .option('--no-guardrails', 'state that no temporary guardrails are needed')
      .option('--alerts-override <reason>', 'resolve although linked alerts still fire, and why')
      .option('--override <reason>', 'commander only: pass an unmet gate, and why')
      .option('--strict', 'closing also needs every blameless warning fixed or waived'),
    {
      'body.to': '<to>',
      'body.reason': '--reason',
      ...STATUS_GATE_FLAGS,
      'body.override': '--override',
      'body.override.reason': '--override',
    },
  ).action(async (id: string, to: string, o, cmd: Command) => {
    const c = ctx(cmd);
    if (id === 'export') return exportStatusPage(c, to);
    const inc = await c.client.changeStatus(
      id,
      {
        to: to.toLowerCase() as Status,
        reason: o.reason,
        noGuardrails: o.guardrails === false ? true : undefined,
        alertsOverride: o.alertsOverride,
        override: o.override ? { reason: o.override } : undefined,
        ...(o.strict === true && { strict: true }),
      },
      c.commandOptions,
    );
    c.out(inc, () => formatChange(inc, `now ${inc.status}${inc.overrides.length && o.override ? ' (gate overridden)' : ''}`));
  });

  const postmortem = withCommandFlags(
    program
      .command('postmortem')
      .description('print the postmortem report, or write it with --file (or: postmortem assign|submit|publish|return|waive)')
      .argument('<id>', 'incident')
      .option('--file <path>', 'write the postmortem from a JSON or YAML file (the PUT body)')
      .addOption(new Option('--format <format>', 'report format (default md; json with --json)').choices(['md', 'html', 'json'])),
    { body: '--file', 'query.format': '--format' },
  ).action(async (id: string, o, cmd: Command) => {
    const c = ctx(cmd);
    if (o.file) {
      const body = parsePostmortemFile(o.file, await io.readFile(o.file).catch((err: Error) => {
        throw new UsageError(`${o.file}: ${err.message}`);
      }));
      const inc = await c.client.writePostmortem(id, body, c.commandOptions);
      c.out(inc, () => formatChange(inc, 'postmortem written'));
      return;
    }
    const format = o.format ?? (c.json ? 'json' : 'md');
    if (format === 'json') c.print(JSON.stringify(await c.client.getPostmortem(id), null, 2));
    else c.print(await c.client.getPostmortemText(id, format));
  });

  registerPostmortemWorkflow(postmortem, ctx);

  const action = withCommandFlags(
    program
      .command('action')
      .description('add an action item (or: action set <actionId> <status>)')
      .argument('<id>', 'incident')
      .argument('<title>', 'what will be done')
      .option('--owner <name>', 'who owns it (required)')
      .option('--due <time>', `deadline (required); ${TIME_HELP}`, time)
      .option('--priority <P>', 'P0..P3', upper, 'P2')
      .option('--from-question <qid>', 'the open question this action item answers', upper)
      .addOption(new Option('--kind <kind>', 'what kind of follow-up (default fix)').choices(ACTION_KINDS))
      .option('--ticket <url>', "the item's ticket in a tracker"),
    {
      'body.title': '<title>',
      'body.owner': '--owner',
      'body.dueAt': '--due',
      'body.priority': '--priority',
      'body.fromQuestion': '--from-question',
      'body.kind': '--kind',
      'body.ticketUrl': '--ticket',
    },
  ).action(async (id: string, title: string, o, cmd: Command) => {
    // Not requiredOption: commander would then demand them for `action set` too.
    if (!o.owner) throw new UsageError("required option '--owner <name>' not specified");
    if (!o.due) throw new UsageError("required option '--due <time>' not specified");
    const c = ctx(cmd);
    const inc = await c.client.addActionItem(
      id,
      {
        title,
        owner: o.owner,
        dueAt: o.due,
        priority: o.priority,
        fromQuestion: o.fromQuestion,
        ...(o.kind !== undefined && { kind: o.kind }),
        ...(o.ticket !== undefined && { ticketUrl: o.ticket }),
      },
      c.commandOptions,
    );
    c.out(inc, () => formatChange(inc, `action item ${lastId(inc.actions)} added`));
  });

  withCommandFlags(
    action
      .command('set')
      .description('change an action item status')
      .argument('<actionId>', 'INC-<n>-A<k>')
      .argument('<status>', 'open | in_progress | done'),
    { 'body.status': '<status>', 'params.actionId': '<actionId>' },
  ).action(async (actionId: string, status: string, _o, cmd: Command) => {
    const c = ctx(cmd);
    const to = status.toLowerCase().replace('-', '_') as ActionStatus;
    const inc = await c.client.setActionStatus(actionId.toUpperCase(), to, c.commandOptions);
    c.out(inc, () => formatChange(inc, `action item ${actionId.toUpperCase()} is ${to}`));
  });

  withCommandFlags(
    action
      .command('edit')
      .description('change an action item: title, owner, deadline, priority, kind, ticket link (each change is on the timeline)')
      .argument('<actionId>', 'INC-<n>-A<k>')
      .option('--title <text>', 'what will be done')
      .option('--owner <name>', 'who owns it')
      .option('--due <time>', `deadline; ${TIME_HELP}`, time)
      .option('--priority <P>', 'P0..P3', upper)
      .addOption(new Option('--kind <kind>', 'what kind of follow-up').choices(ACTION_KINDS))
      .option('--ticket <url>', "the item's ticket in a tracker")
      .option('--no-ticket', 'remove the ticket link'),
    {
      'params.actionId': '<actionId>',
      'body.title': '--title',
      'body.owner': '--owner',
      'body.dueAt': '--due',
      'body.priority': '--priority',
      'body.kind': '--kind',
      'body.ticketUrl': '--ticket',
    },
  ).action(async (actionId: string, o, cmd: Command) => {
    const c = ctx(cmd);
    const patch = {
      ...(o.title !== undefined && { title: o.title }),
      ...(o.owner !== undefined && { owner: o.owner }),
      ...(o.due !== undefined && { dueAt: o.due }),
      ...(o.priority !== undefined && { priority: o.priority }),
      ...(o.kind !== undefined && { kind: o.kind }),
      ...(o.ticket === false ? { ticketUrl: null } : typeof o.ticket === 'string' ? { ticketUrl: o.ticket } : {}),
    };
    if (Object.keys(patch).length === 0) throw new UsageError('name at least one of --title, --owner, --due, --priority, --kind, --ticket, --no-ticket');
    const id = actionId.toUpperCase();
    const inc = await c.client.editActionItem(id, patch, c.commandOptions);
    c.out(inc, () => formatChange(inc, `action item ${id} edited`));
  });

  withCommandFlags(
    action
      .command('from-question')
      .description('turn an open question into an action item (titled by the question unless --title)')
      .argument('<id>', 'incident')
      .argument('<qid>', 'the question, Q<k>')
      .option('--title <text>', 'what will be done (default: the question)')
      .option('--owner <name>', 'who owns it (required)')
      .option('--due <time>', `deadline (required); ${TIME_HELP}`, time)
      .option('--priority <P>', 'P0..P3', upper, 'P2')
      .addOption(new Option('--kind <kind>', 'what kind of follow-up (default fix)').choices(ACTION_KINDS)),
    { 'params.qid': '<qid>', 'body.title': '--title', 'body.owner': '--owner', 'body.dueAt': '--due', 'body.priority': '--priority', 'body.kind': '--kind' },
  ).action(async (id: string, qid: string, o, cmd: Command) => {
    if (!o.owner) throw new UsageError("required option '--owner <name>' not specified");
    if (!o.due) throw new UsageError("required option '--due <time>' not specified");
    const c = ctx(cmd);
    const inc = await c.client.questionToAction(
      id,
      qid.toUpperCase(),
      {
        owner: o.owner,
        dueAt: o.due,
        priority: o.priority,
        ...(o.title !== undefined && { title: o.title }),
        ...(o.kind !== undefined && { kind: o.kind }),
      },
      c.commandOptions,
    );
    c.out(inc, () => formatChange(inc, `action item ${lastId(inc.actions)} added from ${qid.toUpperCase()}`));
  });
}

/** `postmortem assign|submit|publish|return|waive <id>`: the review workflow of a postmortem. */
function registerPostmortemWorkflow(postmortem: Command, ctx: (cmd: Command) => ReturnType<typeof contextFor>): void {
  const said = (inc: IncidentAnswer) => {
    const pm = inc.postmortem;
    const warnings = inc.postmortemWarnings.length ? `; ${inc.postmortemWarnings.length} blameless warning(s)` : '';
    return pm ? `postmortem ${pm.state.replace('_', ' ')} (author ${pm.author}; reviewers ${pm.reviewers.join(', ') || 'none'})${warnings}` : 'no postmortem';
  };

  withCommandFlags(
    postmortem
      .command('assign')
      .description('set who writes the postmortem and who reviews it')
      .argument('<id>', 'incident')
      .option('--author <name>', 'who writes it')
      .option('--reviewer <name>', 'a reviewer (repeatable, or comma-separated); replaces the list', collect),
    { 'body.author': '--author', 'body.reviewers': '--reviewer' },
  ).action(async (id: string, o, cmd: Command) => {
    if (o.author === undefined && o.reviewer === undefined) throw new UsageError('name --author, --reviewer, or both');
    const c = ctx(cmd);
    const inc = await c.client.assignPostmortem(
      id,
      { ...(o.author !== undefined && { author: o.author }), ...(o.reviewer !== undefined && { reviewers: o.reviewer }) },
      c.commandOptions,
    );
    c.out(inc, () => formatChange(inc, said(inc)));
  });

  const move = (name: string, to: PostmortemState, description: string, withReason: boolean) =>
    withCommandFlags(
      postmortem
        .command(name)
        .description(description)
        .argument('<id>', 'incident')
        .option('--reason <text>', withReason ? 'what should change (required)' : 'a note for the timeline')
        .option('--strict', 'also needs every blameless warning fixed or waived'),
      { 'body.reason': '--reason', 'body.strict': '--strict' },
    ).action(async (id: string, o, cmd: Command) => {
      if (withReason && !o.reason) throw new UsageError("required option '--reason <text>' not specified");
      const c = ctx(cmd);
      const inc = await c.client.changePostmortemState(
        id,
        { to, ...(o.reason !== undefined && { reason: o.reason }), ...(o.strict === true && { strict: true }) },
        c.commandOptions,
      );
      c.out(inc, () => formatChange(inc, said(inc)));
    });
  move('submit', 'in_review', 'send the draft for review (it needs a reviewer)', false);
  move('publish', 'published', 'publish the postmortem (a reviewer; the close gate criteria must hold)', false);
  move('return', 'draft', 'send the postmortem back to draft with what should change', true);

  withCommandFlags(
    postmortem
      .command('waive')
      .description('let a blameless-check warning pass, with why')
      .argument('<id>', 'incident')
      .argument('<field>', 'the field as the warning names it: rootCause, whys[2], …')
      .argument('<phrase>', 'the phrase as the warning names it')
      .option('--reason <text>', 'why the wording stays (required)'),
    { 'body.field': '<field>', 'body.phrase': '<phrase>', 'body.reason': '--reason' },
  ).action(async (id: string, field: string, phrase: string, o, cmd: Command) => {
    if (!o.reason) throw new UsageError("required option '--reason <text>' not specified");
    const c = ctx(cmd);
    const inc = await c.client.waiveBlameWarning(id, { field, phrase, reason: o.reason }, c.commandOptions);
    c.out(inc, () => formatChange(inc, said(inc)));
  });
}
