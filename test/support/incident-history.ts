/**
 * A SEV2 incident's history taken through every step to closed, each step at its own time: the body of
 * `POST /api/v1/incidents/import`. Times count back from HISTORY_NOW (tests inject it as their clock).
 */
export const HISTORY_NOW = Date.parse('2026-03-20T12:00:00.000Z');
const DAY = 86_400_000;

/** `days` before HISTORY_NOW, plus `minutes`. */
export const historyAgo = (days: number, minutes = 0) => new Date(HISTORY_NOW - days * DAY + minutes * 60_000).toISOString();

export function incidentHistory({ days = 10, service = 'checkout', reviewer = 'sam' }: { days?: number; service?: string; reviewer?: string } = {}) {
  const ago = (minutes = 0) => historyAgo(days, minutes);
  const step = (minutes: number, method: string, path: string, body?: unknown, actor = 'ana') => ({ at: ago(minutes), actor, method, path, ...(body !== undefined && { body }) });
  const name = service.charAt(0).toUpperCase() + service.slice(1);
  return {
    declare: {
      at: ago(),
      actor: 'ana',
      body: {
        title: `${name} fails for card payments`,
        impact: 'Card payments fail for a third of users',
        services: [service],
        severity: 'SEV2',
        severityReason: 'a third of payments fail',
        startedAt: ago(-12),
        detectedAt: ago(-4),
        commander: 'ana',
      },
    },
    steps: [
      step(3, 'POST', '/roles', { role: 'comms', person: 'li' }),
      step(4, 'PUT', '/comms', { channel: '#inc', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'SEV1' }),
      step(9, 'POST', '/mitigations', { kind: 'rollback', action: `Roll ${service} back to v41`, rationale: 'v42 came first', failClosed: true }),
      step(10, 'POST', '/status', { to: 'mitigated' }),
      step(20, 'POST', '/evidence', { kind: 'metric', title: 'payment errors' }),
      step(21, 'PUT', '/impact', { statement: 'Card payments failed for 1200 users', confirmed: true }),
      step(25, 'POST', '/guardrails', { what: `Pin ${service} to v41`, why: 'v42 breaks payments', removalCondition: 'v43 passes canary', owner: 'bo' }),
      step(40, 'POST', '/status', { to: 'resolved' }),
      step(24 * 60, 'PUT', '/postmortem', {
        summary: 'A config default in v42 failed card payments for 40 minutes.',
        impact: '1200 users could not pay by card.',
        whys: ['Payments timed out', 'A config default changed'],
        rootCause: 'Config defaults ship without a canary on the payment path.',
        wentWell: ['Rollback in 9 minutes'],
        wentPoorly: ['Detection took 8 minutes'],
      }),
      step(24 * 60 + 5, 'POST', '/actions', { title: 'Canary the payment path', owner: 'bo', dueAt: historyAgo(3), priority: 'P1' }),
      step(24 * 60 + 6, 'PATCH', '/actions/A1', { dueAt: historyAgo(-20) }),
      step(24 * 60 + 7, 'POST', '/postmortem/assign', { reviewers: [reviewer] }),
      step(24 * 60 + 8, 'POST', '/postmortem/state', { to: 'in_review' }),
      step(30 * 60, 'POST', '/postmortem/state', { to: 'published' }, reviewer),
      step(30 * 60 + 1, 'POST', '/status', { to: 'closed' }),
    ],
  };
}
