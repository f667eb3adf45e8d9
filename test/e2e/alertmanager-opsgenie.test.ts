import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { AlertInfo, CreatedIntegration, IncidentAnswer } from '../../src/client/index.js';
import { EXAMPLE_CATALOG_YAML } from '../../src/domain/catalog/catalog.fixture.js';
import { startAlertmanager, type AlertmanagerProcess } from '../support/alertmanager.js';
import { fireUntilIncident, resolveUntilCleared, type AlertmanagerRun } from '../support/alertmanager-incident.js';
import { jsonApi } from '../support/http-json.js';
import { startServerProcess, type ServerProcess } from './server.js';

/** RFC 3339 without a fraction, as Alertmanager echoes times. */
const wholeSeconds = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

// Alertmanager's own opsgenie notifier, pointed at Firebreak by api_url alone: it creates the alert on
// POST <api_url>v2/alerts (alias: the SHA-256 of the group key) and closes it by alias when resolved.
describe('a real Alertmanager with opsgenie_configs drives an incident in Firebreak', { timeout: 60_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'firebreak-e2e-am-og-'));
  let server: ServerProcess | undefined;
  let am: AlertmanagerProcess | undefined;
  let call: ReturnType<typeof jsonApi>;
  let integration: CreatedIntegration;

  const labels = { alertname: 'CheckoutErrors', service: 'checkout', severity: 'critical' };
  const annotations = { summary: 'Checkout 5xx above 5% for 2 minutes' };
  const startsAt = wholeSeconds(Date.now() - 1_000);
  const alias = createHash('sha256').update('{}:{alertname="CheckoutErrors"}').digest('hex');

  const diagnostics = () => `Alertmanager said:\n${am?.output() ?? ''}\nFirebreak said:\n${server?.output() ?? ''}`;
  const run = (): AlertmanagerRun => ({ am: am!, call, diagnostics });

  before(async () => {
    server = await startServerProcess({ FIREBREAK_DB: join(dir, 'firebreak.db') });
    call = jsonApi(server.url, server.adminToken);
    const created = await call<CreatedIntegration>('POST', '/api/v1/integrations', { type: 'opsgenie', name: 'prometheus-og' });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    integration = created.body;
    const catalog = await call('PUT', '/api/v1/catalog', EXAMPLE_CATALOG_YAML, { 'content-type': 'application/yaml' });
    assert.equal(catalog.status, 200, JSON.stringify(catalog.body));

    am = await startAlertmanager({
      receiver: {
        opsgenie_configs: [
          {
            api_key: integration.apiKey,
            // Alertmanager appends v2/alerts to the path: the trailing slash matters. Plain http is accepted.
            api_url: `${server.url}/`,
            send_resolved: true,
            priority: '{{ if eq .CommonLabels.severity "critical" }}P1{{ else }}P3{{ end }}',
          },
        ],
      },
      groupWait: '1s',
      groupInterval: '1s',
    });
  });

  after(async () => {
    await Promise.allSettled([am?.stop(), server?.stop()]);
    rmSync(dir, { recursive: true, force: true });
  });

  const alertNow = async () => {
    const key = `og:${integration.id}:${alias}`;
    const r = await call<{ items: AlertInfo[] }>('GET', `/api/v1/alerts?dedupKey=${encodeURIComponent(key)}`);
    assert.equal(r.status, 200, JSON.stringify(r.body));
    return r.body.items[0];
  };
  let incidentId = '';

  it('declares a critical incident for checkout from the opsgenie create', async () => {
    const alert = await fireUntilIncident(run(), { labels, annotations, startsAt, generatorURL: 'http://prometheus.example/graph' }, alertNow);
    assert.deepEqual(
      { source: alert.source, status: alert.status, service: alert.service, severity: alert.severity, summary: alert.summary },
      { source: 'opsgenie', status: 'firing', service: 'checkout', severity: 'critical', summary: '[FIRING:1] CheckoutErrors (checkout critical)' },
    );
    assert.deepEqual(alert.labels, labels, 'details (the common labels) are the labels');
    assert.equal(alert.annotations.priority, 'P1');
    assert.match(alert.annotations.description ?? '', /^Checkout 5xx above 5% for 2 minutes\nAlerts Firing:/);
    assert.match(alert.generatorURL ?? '', /^http:\/\/127\.0\.0\.1:\d+\/#\/alerts\?receiver=firebreak$/);
    incidentId = alert.incident!;

    const { body: inc } = await call<IncidentAnswer>('GET', `/api/v1/incidents/${incidentId}`);
    assert.deepEqual(
      { status: inc.status, auto: inc.auto, services: inc.services, title: inc.title },
      { status: 'investigating', auto: true, services: ['checkout'], title: `[checkout] ${alert.summary}` },
    );
    assert.match(inc.severityHistory[0]?.reason ?? '', /critical alert.*tier-1 service/);
  });

  it('records "alerts cleared" once Alertmanager closes the alert by alias', async () => {
    assert.ok(incidentId, 'the incident was declared first');
    const endsAt = wholeSeconds(Date.now() - 1_000);
    const timeline = await resolveUntilCleared(run(), { labels, annotations, startsAt, endsAt, generatorURL: 'http://prometheus.example/graph' }, incidentId);
    assert.equal(timeline.events.filter((e) => e.type === 'AlertsCleared').length, 1);
    const alert = await alertNow();
    assert.deepEqual({ status: alert?.status, incident: alert?.incident }, { status: 'resolved', incident: incidentId });
    const inc = await call<IncidentAnswer>('GET', `/api/v1/incidents/${incidentId}`);
    assert.deepEqual(inc.body.alertCounts, { firing: 0, resolved: 1, total: 1 });
    assert.doesNotMatch(am!.output(), /Notify for alerts failed|Notify attempt failed/, 'Firebreak accepted every notification');
  });
});
