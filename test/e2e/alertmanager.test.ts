import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AlertInfo, IncidentAnswer, SuspectsAnswer, TimelinePage } from '../../src/client/index.js';
import { EXAMPLE_CATALOG_YAML } from '../../src/domain/catalog/catalog.fixture.js';
import { alertmanagerFingerprint, startAlertmanager, type AlertmanagerProcess } from '../support/alertmanager.js';
import { fireUntilIncident, resolveUntilCleared, type AlertmanagerRun } from '../support/alertmanager-incident.js';
import { jsonApi } from '../support/http-json.js';
import { startServerProcess, type ServerProcess } from './server.js';

const MINUTE = 60_000;

/** RFC 3339 without a fraction: Alertmanager echoes times in Go's form, which drops a zero fraction. */
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
/** One spelling per instant, to compare times Firebreak may store with milliseconds. */
const iso = (t: string | null | undefined) => (t ? new Date(t).toISOString() : t);

// Alerts and deploys end to end: a real Alertmanager notifies Firebreak, which declares the
// incident with its release boundary, and records "alerts cleared" when Alertmanager resolves.
describe('a real Alertmanager drives an incident in Firebreak', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-e2e-am-'));
  let server: ServerProcess | undefined;
  let am: AlertmanagerProcess | undefined;
  let call: ReturnType<typeof jsonApi>;

  const impactAt = Math.floor(Date.now() / 1000) * 1000;
  const startsAt = wholeSeconds(impactAt);
  const labels = { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' };
  const annotations = { summary: 'Checkout 5xx above 5% for 2 minutes' };
  const dedupKey = `am:${alertmanagerFingerprint(labels)}`;
  // Newest first is the order suspects are ranked in: 5, 30 and 180 minutes before the impact.
  const deploys = {
    boundary: {
      externalId: 'ci-run-8812',
      service: 'checkout',
      version: 'v2.4.1',
      previousVersion: 'v2.4.0',
      status: 'succeeded',
      startedAt: wholeSeconds(impactAt - 8 * MINUTE),
      finishedAt: wholeSeconds(impactAt - 5 * MINUTE),
      actor: 'ana',
      url: 'https://ci.example/runs/8812',
      configDeltas: [{ key: 'pricing_v2', from: 'false', to: 'true' }],
    },
    dependency: {
      externalId: 'ci-run-8790',
      service: 'payments-api',
      version: 'v9.1.0',
      status: 'succeeded',
      startedAt: wholeSeconds(impactAt - 32 * MINUTE),
      finishedAt: wholeSeconds(impactAt - 30 * MINUTE),
    },
    older: {
      externalId: 'ci-run-8700',
      service: 'checkout',
      version: 'v2.4.0',
      previousVersion: 'v2.3.9',
      status: 'succeeded',
      startedAt: wholeSeconds(impactAt - 185 * MINUTE),
      finishedAt: wholeSeconds(impactAt - 180 * MINUTE),
    },
  };

  const diagnostics = () => `Alertmanager said:\n${am?.output() ?? ''}\nFirebreak said:\n${server?.output() ?? ''}`;
  const run = (): AlertmanagerRun => ({ am: am!, call, diagnostics });

  before(async () => {
    server = await startServerProcess({ FIREBREAK_DB: join(dir, 'firebreak.db') });
    call = jsonApi(server.url, server.adminToken);

    const created = await call<{ type: string; token: string }>('POST', '/api/v1/integrations', { type: 'alertmanager', name: 'prometheus' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    const catalog = await call('PUT', '/api/v1/catalog', EXAMPLE_CATALOG_YAML, { 'content-type': 'application/yaml' });
    assert.equal(catalog.status, 200, JSON.stringify(catalog.body));
    for (const d of Object.values(deploys)) {
      const r = await call('POST', '/api/v1/deploys', d);
      assert.equal(r.status, 201, JSON.stringify(r.body));
    }

    am = await startAlertmanager({
      webhook: { url: `${server.url}/api/v1/integrations/alertmanager`, bearerToken: created.body.token },
      groupWait: '1s',
      groupInterval: '1s',
    });
  });

  after(async () => {
    await Promise.allSettled([am?.stop(), server?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const alertNow = async () => {
    const r = await call<{ items: AlertInfo[] }>('GET', `/api/v1/alerts?dedupKey=${encodeURIComponent(dedupKey)}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    assert.ok(r.body.items.length <= 1, `one alert per dedup key: ${JSON.stringify(r.body.items)}`);
    return r.body.items[0];
  };
  let incidentId = '';

  it('declares an incident for checkout with the deploy as release boundary and top suspect', async () => {
    const alert = await fireUntilIncident(run(), { labels, annotations, startsAt, generatorURL: 'http://prometheus.example/graph' }, alertNow);
    assert.deepEqual(
      { status: alert.status, service: alert.service, severity: alert.severity, occurrences: alert.occurrences, startsAt: iso(alert.startsAt) },
      { status: 'firing', service: 'checkout', severity: 'critical', occurrences: 1, startsAt: iso(startsAt) },
    );
    incidentId = alert.incident!;

    const list = await call<{ items: { id: string; services: string[] }[] }>('GET', '/api/v1/incidents');
    assert.deepEqual(list.body.items.map((i) => ({ id: i.id, services: i.services })), [{ id: incidentId, services: ['checkout'] }]);

    const { status, body: inc } = await call<IncidentAnswer>('GET', `/api/v1/incidents/${incidentId}`);
    assert.equal(status, 200);
    assert.deepEqual(
      { status: inc.status, auto: inc.auto, title: inc.title, services: inc.services, severity: inc.severity },
      { status: 'investigating', auto: true, title: `[checkout] ${annotations.summary}`, services: ['checkout'], severity: 'SEV2' },
    );
    assert.match(inc.severityHistory[0]?.reason ?? '', /critical alert.*tier-1 service/, 'the suggestion says why');
    assert.deepEqual(inc.impact, { ...inc.impact, statement: 'impact unconfirmed', confirmed: false });
    assert.equal(Date.parse(inc.milestones.startedAt ?? ''), impactAt, 'impact starts when the alert started');
    assert.deepEqual(inc.recentAlerts.map((a) => ({ dedupKey: a.dedupKey, status: a.status })), [{ dedupKey, status: 'firing' }]);
    assert.deepEqual(inc.alertCounts, { firing: 1, resolved: 0, total: 1 });

    assert.equal(inc.releaseBoundary?.externalId, 'ci-run-8812');
    assert.equal(inc.releaseBoundary?.version, 'v2.4.1');
    assert.equal(inc.releaseBoundary?.previousVersion, 'v2.4.0');
    const ranked = inc.suspects.map((s) => ({
      externalId: s.deploy.externalId,
      minutesBeforeImpact: s.minutesBeforeImpact,
      relation: s.relation,
      via: s.via,
      configDeltas: s.configDeltas,
    }));
    assert.deepEqual(ranked, [
      { externalId: 'ci-run-8812', minutesBeforeImpact: 5, relation: 'affected', via: [], configDeltas: [{ key: 'pricing_v2', from: 'false', to: 'true' }] },
      { externalId: 'ci-run-8790', minutesBeforeImpact: 30, relation: 'dependency', via: ['checkout'], configDeltas: [] },
      { externalId: 'ci-run-8700', minutesBeforeImpact: 180, relation: 'affected', via: [], configDeltas: [] },
    ]);

    const suspects = await call<SuspectsAnswer>('GET', `/api/v1/incidents/${incidentId}/suspects`);
    assert.equal(suspects.status, 200);
    assert.deepEqual(suspects.body.releaseBoundary, inc.releaseBoundary);
    assert.deepEqual(suspects.body.suspects, inc.suspects);

    const timeline = await call<TimelinePage>('GET', `/api/v1/incidents/${incidentId}/timeline`);
    const types = timeline.body.events.map((e) => e.type);
    assert.deepEqual(types.slice(0, 1), ['IncidentDeclared']);
    assert.ok(types.includes('ReleaseBoundaryChanged') && types.includes('AlertsRecorded'), types.join(', '));
    assert.ok(!types.includes('AlertsCleared'), 'nothing cleared yet');
  });

  it('records "alerts cleared" once Alertmanager resolves the alert', async () => {
    assert.ok(incidentId, 'the incident was declared first');
    const endsAt = wholeSeconds(Date.now() - 1_000);
    const timeline = await resolveUntilCleared(run(), { labels, annotations, startsAt, endsAt, generatorURL: 'http://prometheus.example/graph' }, incidentId);
    const cleared = timeline.events.filter((e) => e.type === 'AlertsCleared');
    assert.equal(cleared.length, 1);
    assert.match(cleared[0]!.summary, /cleared/);

    const alert = await alertNow();
    assert.deepEqual(
      { status: alert?.status, incident: alert?.incident, endsAt: iso(alert?.endsAt), occurrences: alert?.occurrences },
      { status: 'resolved', incident: incidentId, endsAt: iso(endsAt), occurrences: 1 },
    );
    const inc = await call<IncidentAnswer>('GET', `/api/v1/incidents/${incidentId}`);
    assert.deepEqual(inc.body.recentAlerts.map((a) => ({ dedupKey: a.dedupKey, status: a.status })), [{ dedupKey, status: 'resolved' }]);
    assert.deepEqual(inc.body.alertCounts, { firing: 0, resolved: 1, total: 1 });
    assert.doesNotMatch(am!.output(), /Notify for alerts failed|Notify attempt failed/, 'Firebreak accepted every notification');
  });
});
