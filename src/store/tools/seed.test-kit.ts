import assert from 'node:assert/strict';
import type { TestApp } from '../../http/test-app.js';

export const NOW = Date.parse('2026-03-20T12:00:00.000Z');
const DAY = 86_400_000;
export const ago = (days: number, minutes = 0) => new Date(NOW - days * DAY + minutes * 60_000).toISOString();

/** A SEV2 `days` ago, taken through every step to closed, each at its own time (the import endpoint's body). */
export function history(days: number, service = 'checkout') {
  const step = (minutes: number, method: string, path: string, body?: unknown, actor = 'ana') => ({ at: ago(days, minutes), actor, method, path, ...(body !== undefined && { body }) });
  return {
    declare: {
      at: ago(days),
      actor: 'ana',
      body: {
        title: `${service} fails for card payments`,
        impact: 'Card payments fail for a third of users',
        services: [service],
        severity: 'SEV2',
        severityReason: 'a third of payments fail',
        startedAt: ago(days, -12),
        detectedAt: ago(days, -4),
        commander: 'ana',
      },
    },
    steps: [
      step(3, 'POST', '/roles', { role: 'comms', person: 'li' }),
      step(4, 'PUT', '/comms', { channel: '#inc', decisionOwner: 'ana', cadenceMinutes: 30, externalTrigger: 'SEV1' }),
      step(9, 'POST', '/mitigations', { kind: 'rollback', action: 'Roll back to v41', rationale: 'v42 came first', failClosed: true }),
      step(10, 'POST', '/status', { to: 'mitigated' }),
      step(20, 'POST', '/evidence', { kind: 'metric', title: 'payment errors' }),
      step(21, 'PUT', '/impact', { statement: 'Card payments failed for 1200 users', confirmed: true }),
      step(25, 'POST', '/guardrails', { what: 'Pin to v41', why: 'v42 breaks payments', removalCondition: 'v43 passes canary', owner: 'bo' }),
      step(40, 'POST', '/status', { to: 'resolved' }),
      step(24 * 60, 'PUT', '/postmortem', {
        summary: 'A config default in v42 failed card payments for 40 minutes.',
        impact: '1200 users could not pay by card.',
        whys: ['Payments timed out', 'A config default changed'],
        rootCause: 'Config defaults ship without a canary on the payment path.',
        wentWell: ['Rollback in 9 minutes'],
        wentPoorly: ['Detection took 8 minutes'],
      }),
      step(24 * 60 + 5, 'POST', '/actions', { title: 'Canary the payment path', owner: 'bo', dueAt: ago(-20), priority: 'P1' }),
      step(24 * 60 + 7, 'POST', '/postmortem/assign', { reviewers: ['sam'] }),
      step(24 * 60 + 8, 'POST', '/postmortem/state', { to: 'in_review' }),
      step(30 * 60, 'POST', '/postmortem/state', { to: 'published' }, 'sam'),
      step(30 * 60 + 1, 'POST', '/status', { to: 'closed' }),
    ],
  };
}

/**
 * A small history through the real API: two imported lifecycles, one open incident with notes, alerts
 * (firing and resolved, one linked), and deploys. Answers the incident ids.
 */
export async function seed(t: TestApp): Promise<string[]> {
  const ok = async (res: { statusCode: number; body: string }) => {
    assert.ok(res.statusCode < 300, `${res.statusCode} ${res.body}`);
    return JSON.parse(res.body);
  };
  const ids: string[] = [];
  for (const [days, service] of [[12, 'checkout'], [5, 'search']] as const) {
    ids.push((await ok(await t.call('POST', '/api/v1/incidents/import', { as: 'admin', body: history(days, service) }))).id);
  }
  const open = await t.declare({ services: ['checkout'], severity: 'SEV3', severityReason: 'some users' });
  ids.push(open.id);
  await ok(await t.call('POST', `/api/v1/incidents/${open.id}/notes`, { body: { body: 'looking at the dashboards' } }));
  await ok(await t.call('POST', '/api/v1/alerts', { as: 'ingest', body: [
    { dedupKey: 'disk-1', status: 'firing', summary: 'disk full', severity: 'warning', labels: { app: 'search' } },
    { dedupKey: 'disk-2', status: 'resolved', summary: 'disk was full', severity: 'info', labels: { app: 'search' } },
  ] }));
  const [firing] = (await ok(await t.call('GET', '/api/v1/alerts?dedupKey=disk-1', { as: 'viewer' }))).items;
  await ok(await t.call('POST', `/api/v1/incidents/${open.id}/alerts`, { body: { alertId: firing.id } }));
  await ok(await t.call('POST', '/api/v1/deploys', { as: 'ingest', body: { externalId: 'ci-1', service: 'checkout', version: 'v42', status: 'succeeded', startedAt: ago(13), finishedAt: ago(13, 5) } }));
  await ok(await t.call('POST', '/api/v1/deploys', { as: 'ingest', body: { externalId: 'ci-2', service: 'search', version: 'v7', status: 'started', startedAt: ago(1) } }));
  return ids;
}
