import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { alertFingerprint } from './alertmanager.js';
import { onCallAt, rotationStart, TEAMS } from './company.js';
import { generateDemo, type DemoPlan } from './generate.js';

// Two clocks far apart: nothing in the demo may depend on today's date.
const CLOCKS = [new Date('2026-03-20T12:00:00.000Z'), new Date('2031-07-06T03:17:42.512Z')];

/** Every instant something happened in the plan (deadlines such as dueAt are not events). */
function eventTimes(plan: DemoPlan): { where: string; at: string }[] {
  const out: { where: string; at: string }[] = [];
  const add = (where: string, at: unknown) => typeof at === 'string' && out.push({ where, at });
  plan.deploys.forEach((d, i) => {
    add(`deploys[${i}].startedAt`, d.startedAt);
    add(`deploys[${i}].finishedAt`, d.finishedAt);
  });
  const histories = [...plan.past.map((p) => p.body), ...plan.open.flatMap((o) => (o.history ? [o.history] : []))];
  histories.forEach((h, i) => {
    add(`history[${i}].declare.at`, h.declare.at);
    add(`history[${i}].startedAt`, h.declare.body.startedAt);
    add(`history[${i}].detectedAt`, h.declare.body.detectedAt);
    h.steps.forEach((s, k) => add(`history[${i}].steps[${k}]`, s.at));
  });
  plan.open.forEach((o, i) => o.alerts.forEach((b, k) => b.alerts.forEach((a, j) => add(`open[${i}].alerts[${k}][${j}]`, a.startsAt))));
  return out;
}

for (const now of CLOCKS) {
  describe(`the demo generator (now ${now.toISOString()})`, () => {
    const plan = generateDemo({ now, seed: 1 });

    it('is deterministic for a seed and a clock, and another seed gives another company history', () => {
      assert.deepEqual(generateDemo({ now, seed: 1 }), plan);
      assert.notDeepEqual(generateDemo({ now, seed: 2 }).past, plan.past);
    });

    it('puts every time at or before now, the past incidents within the last 60 days', () => {
      const times = eventTimes(plan);
      assert.ok(times.length > 500);
      for (const t of times) {
        assert.ok(Number.isFinite(Date.parse(t.at)), `${t.where}: ${t.at}`);
        assert.ok(Date.parse(t.at) <= now.getTime(), `${t.where} ${t.at} is after now`);
      }
      for (const p of plan.past) assert.ok(Date.parse(p.body.declare.at) >= now.getTime() - 60 * 86_400_000, p.body.declare.at);
      for (const d of plan.deploys) assert.ok(Date.parse(d.startedAt) >= now.getTime() - 61 * 86_400_000, d.startedAt);
    });

    it("keeps every incident's steps in order: declared, detected after the start, each step at or after the one before", () => {
      for (const h of [...plan.past.map((p) => p.body), ...plan.open.flatMap((o) => (o.history ? [o.history] : []))]) {
        const { startedAt, detectedAt } = h.declare.body as { startedAt: string; detectedAt: string };
        assert.ok(startedAt <= detectedAt && detectedAt <= h.declare.at, `${h.declare.body.title}: ${startedAt} ${detectedAt} ${h.declare.at}`);
        let last = h.declare.at;
        for (const s of h.steps) {
          assert.ok(Date.parse(s.at) >= Date.parse(last), `${h.declare.body.title}: ${s.method} ${s.path} at ${s.at} before ${last}`);
          assert.match(s.path, /^\//);
          last = s.at;
        }
      }
    });

    it('describes a company: 8–12 services in 3–4 teams and 2 systems, every lever kind, both fail modes, webhooks and manual steps', () => {
      const kinds = (k: string) => plan.catalog.filter((d) => d.kind === k);
      const services = kinds('Service') as { spec: { tier: number; public: boolean; levers: { kind: string; failClosed: boolean; action: { type: string; url?: string } }[]; alertMatchers: unknown[]; unsupportedFlows: string[]; coexistence: unknown[] } }[];
      assert.ok(services.length >= 8 && services.length <= 12);
      assert.ok([3, 4].includes(kinds('Team').length));
      assert.equal(kinds('System').length, 2);
      assert.deepEqual([...new Set(services.map((s) => s.spec.tier))].sort(), [1, 2, 3]);
      const levers = services.flatMap((s) => s.spec.levers);
      for (const kind of ['rollback', 'feature-flag', 'scale', 'failover', 'rate-limit', 'reject-path', 'read-only', 'fallback']) {
        assert.ok(levers.some((l) => l.kind === kind), kind);
      }
      assert.ok(levers.some((l) => l.failClosed) && levers.some((l) => !l.failClosed));
      assert.ok(levers.some((l) => l.action.type === 'manual'));
      for (const l of levers.filter((x) => x.action.type === 'webhook')) assert.match(l.action.url ?? '', /^https:\/\/ci\.example\.invalid\//);
      assert.ok(services.every((s) => s.spec.alertMatchers.length > 0));
      assert.ok(services.some((s) => s.spec.public) && services.some((s) => s.spec.unsupportedFlows.length > 0) && services.some((s) => s.spec.coexistence.length > 0));
    });

    it('has someone on call now in every team, the rotation started before every incident', () => {
      for (const team of TEAMS) {
        assert.ok(rotationStart(team, now.getTime()) < now.getTime() - 61 * 86_400_000);
        assert.equal(onCallAt(team, now.getTime(), now.getTime()), team.members[0]);
      }
      const users = new Set(plan.users.map((u) => u.username));
      assert.ok(TEAMS.every((t) => users.has(t.members[0]!)), 'whoever is on call now can sign in');
      assert.equal(plan.users.filter((u) => u.role === 'viewer').length, 1);
    });

    it('records about 40 past incidents of every severity, with cancelled, re-opened, overridden, overdue, blameful and waived ones', () => {
      assert.ok(plan.past.length >= 35 && plan.past.length <= 45);
      assert.deepEqual([...new Set(plan.past.map((p) => p.severity))].sort(), ['SEV1', 'SEV2', 'SEV3', 'SEV4']);
      const having = (f: (p: DemoPlan['past'][number]) => boolean) => plan.past.filter(f).length;
      assert.ok(having((p) => p.outcome === 'cancelled') >= 1 && having((p) => p.outcome === 'cancelled') <= 2);
      assert.ok(having((p) => p.reopened) >= 1);
      assert.ok(having((p) => p.override) >= 1);
      for (const pm of ['overdue-draft', 'overdue-review', 'blameful', 'waived', 'late']) assert.ok(having((p) => p.postmortem === pm) >= 1, pm);
      assert.ok(having((p) => p.outcome === 'closed') > plan.past.length / 2, 'most postmortems are published and closed');
      const paths = new Set(plan.past.flatMap((p) => p.body.steps.map((s) => `${s.method} ${s.path.replace(/\d+/g, 'N')}`)));
      for (const p of ['POST /guardrails', 'POST /postmortem/waivers', 'PATCH /actions/AN', 'POST /questions/QN/action', 'POST /status', 'PUT /postmortem']) assert.ok(paths.has(p), p);
      const blameful = plan.past.filter((p) => p.postmortem === 'blameful').flatMap((p) => p.body.steps.filter((s) => s.path === '/postmortem'));
      assert.ok(blameful.some((s) => /human error|should have noticed|failed to check/i.test(JSON.stringify(s.body))));
    });

    it('starts incidents that follow a deploy shortly after it landed, so the deploy is a suspect', () => {
      const byId = new Map(plan.deploys.map((d) => [d.externalId, d]));
      const followed = plan.past.filter((p) => p.suspect !== null);
      assert.ok(followed.length >= plan.past.length / 3);
      for (const p of followed) {
        const d = byId.get(p.suspect!)!;
        const lead = Date.parse(p.body.declare.body.startedAt as string) - Date.parse(d.finishedAt);
        assert.ok(lead > 0 && lead <= 24 * 3_600_000, `${p.body.declare.body.title}: ${lead}`);
        assert.deepEqual(p.body.declare.body.services, [d.service]);
      }
      assert.ok(plan.deploys.some((d) => d.status === 'failed') && plan.deploys.some((d) => d.status === 'rolled_back'));
      assert.ok(plan.deploys.some((d) => (d.configDeltas ?? []).length > 0));
    });

    it('has two incidents in progress: one declared by hand minutes ago, one for a critical alert on a tier-1 service, alerts starting minutes ago', () => {
      assert.equal(plan.open.length, 2);
      const [manual, auto] = plan.open;
      assert.ok(manual!.history && auto!.history === null);
      const tier1 = plan.catalog.filter((d) => d.kind === 'Service' && (d.spec as { tier: number }).tier === 1).map((d) => (d.metadata as { name: string }).name);
      assert.ok(tier1.includes(auto!.service));
      assert.equal(auto!.alerts[0]!.alerts[0]!.labels.severity, 'critical');
      for (const o of plan.open) {
        for (const a of o.alerts.flatMap((b) => b.alerts)) {
          const age = now.getTime() - Date.parse(a.startsAt);
          assert.ok(age > 0 && age < 15 * 60_000, a.startsAt);
        }
        assert.ok(o.live.some((s) => s.path === '/mitigations' && s.body.execute === true));
        assert.ok(o.live.some((s) => s.path === '/updates'));
      }
      assert.ok(auto!.live.some((s) => s.path === '/roles' && s.body.role === 'commander'));
    });
  });
}

describe('the demo alerts', () => {
  it("carry Alertmanager's own fingerprints", () => {
    // What a real Alertmanager computes for these label sets (test/e2e/alertmanager*.test.ts compare this
    // function with a running one).
    assert.equal(alertFingerprint({ alertname: 'CheckoutErrorRate', service: 'checkout', severity: 'critical' }), 'e16bb05203e639d1');
    assert.equal(alertFingerprint({ a: 'é', B: 'x', alertname: 'Z' }), '6d64b58580f269a1');
  });
});
