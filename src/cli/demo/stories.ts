/**
 * What went wrong and what the teams wrote about it: causes with their 5 Whys, root causes and follow-ups,
 * for the demo's postmortems. Pure text templates.
 */
import type { DemoService } from './company.js';

export type CauseKind = 'deploy' | 'capacity' | 'dependency' | 'certificate' | 'data-job';

export interface Story {
  cause: CauseKind;
  whys: string[];
  rootCause: string;
  contributingFactors: string[];
  wentWell: string[];
  wentPoorly: string[];
  lessons: string[];
  /** Follow-ups, each [kind, title]. */
  actions: [ActionKind, string][];
  question: string;
  answer: string;
  guardrail: { what: string; why: string; removalCondition: string };
}

export type ActionKind = 'fix' | 'runbook' | 'monitoring' | 'tech-debt' | 'process';

export function storyFor(cause: CauseKind, s: DemoService, detail: { version?: string; flag?: string; minutes: number }): Story {
  const svc = s.title;
  const flag = detail.flag ?? s.flags[0] ?? 'a default';
  const version = detail.version ?? 'the last release';
  switch (cause) {
    case 'deploy':
      return {
        cause,
        whys: [
          `${svc} answered errors for ${detail.minutes} minutes`,
          `${version} changed ${flag} for all traffic at once`,
          `The change passed CI: no test exercises ${flag} with production-shaped data`,
          `Config changes skip the canary stage that code changes go through`,
        ],
        rootCause: `${version} of ${s.name} changed ${flag} for every request at once; config changes bypass the canary stage, so nothing limited the blast radius.`,
        contributingFactors: [`The ${flag} default differs between staging and production`, 'The deploy dashboard does not show config deltas'],
        wentWell: ['The release boundary pointed at the suspect deploy within minutes', 'The rollback lever restored the known-good version'],
        wentPoorly: ['The first page went to a channel nobody watched at night', `${flag} was not visible in the deploy summary`],
        lessons: ['Config changes are deploys: they need the same canary'],
        actions: [
          ['fix', `Add a contract test for ${flag} on ${s.name}`],
          ['process', `Route ${s.name} config changes through the canary stage`],
          ['monitoring', `Alert on ${s.name} error ratio within 5 minutes of a deploy`],
        ],
        question: `Did ${version} reach every region at the same time?`,
        answer: 'Yes: the rollout was not staged by region for config changes.',
        guardrail: { what: `Pin ${s.name} to the previous release`, why: `${version} is the suspect`, removalCondition: `a fixed release passes the canary on ${s.name}` },
      };
    case 'capacity':
      return {
        cause,
        whys: [
          `${svc} slowed down and then timed out`,
          'The connection pool was exhausted during a traffic peak',
          'The peak came from a campaign mail sent to all customers at once',
          'Autoscaling reacts to CPU, not to pool saturation',
        ],
        rootCause: `${svc} scales on CPU while it saturates on database connections; a campaign peak exhausted the pool long before CPU rose.`,
        contributingFactors: ['The campaign was not on the shared events calendar', 'Pool size was last tuned a year ago'],
        wentWell: ['Scaling out by hand took effect in 4 minutes', 'Comms updated the status page within the cadence'],
        wentPoorly: ['The saturation alert fired 12 minutes after users noticed', 'Two responders scaled different deployments at once'],
        lessons: ['Scale on the resource that saturates first'],
        actions: [
          ['fix', `Autoscale ${s.name} on connection pool saturation`],
          ['runbook', `Runbook: scaling ${s.name} during a campaign`],
          ['process', 'Put customer-wide campaign sends on the shared events calendar'],
        ],
        question: 'Could the campaign have been sent in waves?',
        answer: 'Yes: the mail tool supports batches; marketing will use 4 waves.',
        guardrail: { what: `Keep ${s.name} at 2x replicas`, why: 'pool saturation under peaks', removalCondition: 'pool-based autoscaling is live' },
      };
    case 'dependency':
      return {
        cause,
        whys: [
          `${svc} calls failed or hung`,
          'A third-party dependency degraded in one region',
          'Our client retried without a budget, tripling the load',
          'No circuit breaker isolates the dependency',
        ],
        rootCause: `Retries without a budget turned a partial third-party degradation into a full outage of ${s.name}; there is no circuit breaker on that call.`,
        contributingFactors: ["The provider's status page lagged by 25 minutes", 'Timeouts were set to 30 s'],
        wentWell: ['Failover to the secondary path worked first time', 'The provider confirmed the issue quickly once contacted'],
        wentPoorly: ['It took 20 minutes to rule out our own deploys', 'No runbook for the secondary path'],
        lessons: ['Every external call needs a timeout, a retry budget and a breaker'],
        actions: [
          ['fix', `Add a circuit breaker and retry budget to ${s.name}'s external calls`],
          ['monitoring', `Dashboard panel: ${s.name} dependency latency by region`],
          ['runbook', `Runbook: failing ${s.name} over to the secondary provider`],
        ],
        question: 'Is the secondary provider sized for full traffic?',
        answer: 'It held 100% for 50 minutes; the contract covers that.',
        guardrail: { what: `Keep ${s.name} on the secondary provider`, why: 'the primary is still flapping', removalCondition: 'the provider closes their incident and error rates stay normal for 24 h' },
      };
    case 'certificate':
      return {
        cause,
        whys: [
          `Clients could not connect to ${svc}`,
          'An internal TLS certificate expired',
          'Its renewal was a calendar reminder, not automation',
          'The reminder went to a team that was reorganised',
        ],
        rootCause: `The certificate of ${s.name} was renewed by hand from a calendar reminder that no longer reached an owner.`,
        contributingFactors: ['Expiry monitoring covered public certificates only'],
        wentWell: ['A new certificate was issued and rolled out within 30 minutes'],
        wentPoorly: ['Clients cached the failure and needed a restart', 'The error message did not mention expiry'],
        lessons: ['Anything renewed by hand will eventually not be renewed'],
        actions: [
          ['fix', `Automate certificate renewal for ${s.name}`],
          ['monitoring', 'Alert 14 days before any internal certificate expires'],
          ['tech-debt', 'Remove the certificate calendar reminders once renewal is automated'],
        ],
        question: 'Which other internal certificates are renewed by hand?',
        answer: 'Three: all moved to automated renewal in the follow-up.',
        guardrail: { what: 'Daily check of internal certificate expiry', why: 'until renewal is automated', removalCondition: 'automated renewal covers every internal certificate' },
      };
    case 'data-job':
      return {
        cause,
        whys: [
          `${svc} queries slowed down`,
          'A nightly backfill ran during business hours',
          'The job scheduler used the wrong time zone after a config move',
          'The backfill has no rate limit on the primary database',
        ],
        rootCause: `A backfill ran against the primary database of ${s.name} at peak time without a rate limit, after its schedule moved to the wrong time zone.`,
        contributingFactors: ['Scheduler config is not reviewed with the service owners'],
        wentWell: ['Pausing the job restored latency at once', 'The database team joined within 5 minutes'],
        wentPoorly: ['It took 25 minutes to find which job was running', 'Read replicas were not used for the backfill'],
        lessons: ['Batch work reads from replicas and is rate-limited'],
        actions: [
          ['fix', `Rate-limit the ${s.name} backfill and point it at a replica`],
          ['monitoring', 'Show running batch jobs on the database dashboard'],
          ['process', 'Review scheduler config changes with the owning team'],
        ],
        question: 'Did the backfill leave partial rows behind?',
        answer: 'No: it runs in transactions; the paused run resumed cleanly at night.',
        guardrail: { what: 'Backfills paused on the primary', why: 'no rate limit yet', removalCondition: 'the rate-limited replica backfill ships' },
      };
  }
}

/** Postmortem text that the blameless check flags: a phrase each, as some teams still write. */
export const BLAMEFUL = {
  humanError: 'Human error: the on-call engineer ran the cleanup script against production instead of staging.',
  shouldHaveNoticed: 'The on-call engineer should have noticed the disk warning the day before.',
  failedToCheck: 'The reviewer failed to check the generated config before approving it.',
  /** A vendor's words, quoted: the phrase a waiver lets pass. */
  quotedVendor: 'The acquirer\'s incident report names "operator error" in their maintenance as the trigger; our retries without a budget turned it into a 40-minute outage.',
  quotedPhrase: 'operator error',
} as const;
