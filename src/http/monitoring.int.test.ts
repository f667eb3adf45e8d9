import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { accessSync, constants, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { parse as parseYaml } from 'yaml';
import { FirebreakError } from '../domain/errors.js';
import type { Store } from '../service/ports.js';
import { adapters } from '../store/test-adapters.js';
import { isDatabaseError } from './metrics.js';
import { testApp, type TestApp } from './test-app.js';

// The monitoring kit in docs/monitoring: a Grafana dashboard and Prometheus rules, both naming only
// metrics a real app exposes at /metrics, the rules checked and unit-tested by the real promtool.

const root = new URL('../..', import.meta.url).pathname;
const dir = join(root, 'docs/monitoring');
const RULES = join(dir, 'firebreak-rules.yml');
const RULE_TESTS = join(dir, 'firebreak-rules.test.yml');
const dashboard = JSON.parse(readFileSync(join(dir, 'firebreak-dashboard.json'), 'utf8')) as Dashboard;
const rules = parseYaml(readFileSync(RULES, 'utf8')) as unknown;
const operations = readFileSync(join(root, 'docs/OPERATIONS.md'), 'utf8');

interface Target {
  expr: string;
  datasource?: { type?: string; uid?: string };
}
interface Panel {
  id: number;
  type: string;
  title: string;
  datasource?: { type?: string; uid?: string };
  gridPos: { h: number; w: number; x: number; y: number };
  targets?: Target[];
  panels?: Panel[];
}
interface Variable {
  name: string;
  type: string;
  query?: string | { query: string };
  definition?: string;
}
interface Dashboard {
  schemaVersion: number;
  uid: string;
  title: string;
  panels: Panel[];
  templating: { list: Variable[] };
}

/** Every panel, those inside collapsed rows included. */
const allPanels = (ps: Panel[]): Panel[] => ps.flatMap((p) => [p, ...allPanels(p.panels ?? [])]);
const dashboardExprs = (): string[] => allPanels(dashboard.panels).flatMap((p) => (p.targets ?? []).map((t) => t.expr));
const variableQueries = (): string[] =>
  dashboard.templating.list.flatMap((v) => (v.type === 'query' ? [typeof v.query === 'string' ? v.query : v.query!.query] : []));

// PromQL words that look like metric names: keywords and the label lists of by/without/on/ignoring/group_*.
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);

/**
 * The metric names a PromQL expression (or a Grafana label_values() query) selects: what is left once
 * strings, label matchers, ranges, Grafana variables, label lists, numbers and durations, and function
 * or aggregation names (a word followed by a parenthesis) are taken out.
 */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  let rest = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\$\{?\w+\}?/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  // label_values(metric, label): the label is not a metric.
  rest = rest.replace(/\blabel_values\s*\(\s*([a-zA-Z_:][\w:]*)\s*,\s*\w+\s*\)/g, ' $1 ');
  rest = rest.replace(/\b\d+(?:\.\d+)?(?:e[+-]?\d+)?(?:ms|[smhdwy])?\b/gi, ' ');
  for (const m of rest.matchAll(/([a-zA-Z_:][\w:]*)(\s*\()?/g)) {
    if (m[2] || KEYWORDS.has(m[1]!.toLowerCase())) continue;
    names.add(m[1]!);
  }
  return [...names];
}

/** The names /metrics exposes: each family, and for histograms and summaries the series they write. */
export function exposedNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const line of exposition.split('\n')) {
    const type = /^# TYPE (\S+) (\S+)$/.exec(line);
    if (type) {
      const [, name, kind] = type as unknown as [string, string, string];
      names.add(name);
      if (kind === 'histogram') for (const s of ['_bucket', '_sum', '_count']) names.add(name + s);
      if (kind === 'summary') for (const s of ['_sum', '_count']) names.add(name + s);
    } else if (line && !line.startsWith('#')) {
      names.add(/^[a-zA-Z_:][\w:]*/.exec(line)![0]);
    }
  }
  return names;
}

/** Series Prometheus itself writes for every target, not Firebreak. */
const PROMETHEUS_OWN = new Set(['up']);

/** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
const anchor = (heading: string) =>
  heading
    .trim()
    .toLowerCase()
    .replace(/[^\w\- ]/g, '')
    .replace(/ /g, '-');
const anchors = new Set([...operations.matchAll(/^#{1,6} (.+)$/gm)].map((m) => anchor(m[1]!)));

const Rule = Type.Object(
  {
    alert: Type.String({ pattern: '^Firebreak[A-Z][A-Za-z0-9]+$' }),
    expr: Type.String({ minLength: 1 }),
    for: Type.String({ pattern: '^[0-9]+[smh]$' }),
    labels: Type.Object({ severity: Type.Union([Type.Literal('critical'), Type.Literal('warning')]) }, { additionalProperties: false }),
    annotations: Type.Object(
      {
        summary: Type.String({ minLength: 1 }),
        description: Type.String({ minLength: 1 }),
        runbook_url: Type.String({ pattern: '^docs/OPERATIONS\\.md#[a-z0-9-]+$' }),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false },
);
const RuleFile = Type.Object(
  { groups: Type.Array(Type.Object({ name: Type.String(), rules: Type.Array(Rule, { minItems: 1 }) }, { additionalProperties: false }), { minItems: 1 }) },
  { additionalProperties: false },
);
type RuleFile = Static<typeof RuleFile>;
const ruleList = () => (rules as RuleFile).groups.flatMap((g) => g.rules);

const ALERTS = [
  'FirebreakDown',
  'FirebreakHigh5xxRatio',
  'FirebreakSlowAlertIngestion',
  'FirebreakIngestErrors',
  'FirebreakAlertsRejected',
  'FirebreakOutboxStuck',
  'FirebreakOutboxBacklogGrowing',
  'FirebreakTimersOverdue',
  'FirebreakEventLoopLag',
  'FirebreakDatabaseErrors',
  'FirebreakScheduleGap',
];

// The real promtool (Debian: prometheus). Elsewhere its absence leaves its checks out with one line; in
// CI it must be there (.ci/run installs it).
const promtool = (process.env.PATH ?? '')
  .split(delimiter)
  .map((d) => join(d, 'promtool'))
  .find((p) => {
    try {
      accessSync(p, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
if (!promtool) {
  if (process.env.CI === 'true') throw new Error('promtool not found: CI needs it (Debian: apt-get install prometheus)');
  console.log('monitoring: promtool not found, the rules are checked against a schema only (Debian: apt-get install prometheus)');
}

describe('monitoring kit: names', () => {
  it('finds the metric names of an expression, and nothing else', () => {
    assert.deepEqual(
      metricNames(
        'histogram_quantile(0.99, sum by (job, le) (rate(firebreak_http_request_duration_seconds_bucket{job=~"$job", route=~"/a|/b"}[$__rate_interval]))) > 0.25',
      ),
      ['firebreak_http_request_duration_seconds_bucket'],
    );
    assert.deepEqual(
      metricNames('max(a_total{x="y"}) - (sum(max by (t) (b_gauge{s="p"})) or vector(0)) and on (job) deriv(c[15m]) > 1e3 offset 5m'),
      ['a_total', 'b_gauge', 'c'],
    );
    assert.deepEqual(metricNames('label_values(firebreak_http_requests_total{job=~"$job"}, instance)'), ['firebreak_http_requests_total']);
    assert.deepEqual(metricNames('up{job="firebreak"} == 0'), ['up']);
  });

  it('recognises the errors the databases raise, and only those', () => {
    const sqlite = new Sqlite(':memory:');
    let raised: unknown;
    try {
      sqlite.prepare('SELECT * FROM no_such_table').all();
    } catch (err) {
      raised = err;
    }
    sqlite.close();
    assert.equal(isDatabaseError(raised), true);
    // As the alert worker hands it over: a plain object keeping its code.
    assert.equal(isDatabaseError({ message: 'database is locked', code: 'SQLITE_BUSY' }), true);
    assert.equal(isDatabaseError(Object.assign(new Error('relation "x" does not exist'), { code: '42P01', severity: 'ERROR' })), true);
    assert.equal(isDatabaseError(new Error('Connection terminated unexpectedly')), true);
    assert.equal(isDatabaseError(new FirebreakError('conflict', 'The incident changed.')), false);
    assert.equal(isDatabaseError(Object.assign(new Error('refused'), { code: 'ECONNREFUSED' })), false);
    assert.equal(isDatabaseError(new TypeError('x is undefined')), false);
    assert.equal(isDatabaseError(undefined), false);
  });
});

describe('monitoring kit: the dashboard', () => {
  it('is a Grafana dashboard with data source, job and instance variables', () => {
    assert.ok(dashboard.schemaVersion >= 39, `schemaVersion ${dashboard.schemaVersion}`);
    assert.equal(dashboard.uid, 'firebreak');
    const vars = Object.fromEntries(dashboard.templating.list.map((v) => [v.name, v]));
    assert.equal(vars.datasource?.type, 'datasource');
    assert.equal((vars.datasource as unknown as { query: string }).query, 'prometheus');
    assert.equal(vars.job?.type, 'query');
    assert.equal(vars.instance?.type, 'query');
    assert.match(String(vars.instance?.definition), /job=~"\$job"/);
  });

  it('has unique panel ids, every panel on the templated data source, every query filtered by job and instance', () => {
    const panels = allPanels(dashboard.panels);
    assert.equal(new Set(panels.map((p) => p.id)).size, panels.length);
    const shown = panels.filter((p) => p.type !== 'row');
    assert.ok(shown.length >= 20, `${shown.length} panels`);
    for (const p of shown) {
      assert.deepEqual(p.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
      assert.ok(p.targets && p.targets.length > 0, `${p.title} has no query`);
      assert.ok(p.gridPos.x + p.gridPos.w <= 24, `${p.title} is wider than the grid`);
      for (const t of p.targets) {
        assert.deepEqual(t.datasource, { type: 'prometheus', uid: '${datasource}' }, p.title);
        for (const selector of t.expr.match(/\{[^}]*\}/g) ?? []) {
          assert.match(selector, /job=~"\$job", instance=~"\$instance"/, `${p.title}: ${t.expr}`);
        }
      }
    }
  });

  it('queries in valid PromQL, as promtool parses it', { skip: !promtool && 'promtool not found' }, () => {
    // Each query as a recording rule, Grafana's variables filled in as Grafana would.
    const filled = (e: string) => e.replaceAll('$__rate_interval', '1m').replaceAll('$job', '.+').replaceAll('$instance', '.+');
    const exprs = [...dashboardExprs(), ...variableQueries().map((q) => /^label_values\((.*), \w+\)$/.exec(q)?.[1] ?? q)];
    const file = { groups: [{ name: 'dashboard', rules: exprs.map((e, i) => ({ record: `firebreak_dashboard:query${i}`, expr: filled(e) })) }] };
    const tmp = mkdtempSync(join(tmpdir(), 'fb-dashboard-'));
    try {
      writeFileSync(join(tmp, 'queries.yml'), JSON.stringify(file));
      const r = spawnSync(promtool!, ['check', 'rules', join(tmp, 'queries.yml')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`SUCCESS: ${exprs.length} rules found`));
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it('shows ingest, HTTP, queues, event loop, database errors and the process', () => {
    const used = new Set(dashboardExprs().flatMap(metricNames));
    for (const name of [
      'up',
      'firebreak_alerts_total',
      'firebreak_deploys_total',
      'firebreak_http_requests_total',
      'firebreak_http_request_duration_seconds_bucket',
      'firebreak_outbox_queue_depth',
      'firebreak_outbox_oldest_pending_seconds',
      'firebreak_outbox_deliveries',
      'firebreak_timers_scheduled',
      'firebreak_timers_overdue',
      'firebreak_nodejs_eventloop_lag_p99_seconds',
      'firebreak_database_errors_total',
      'firebreak_process_resident_memory_bytes',
      'firebreak_process_cpu_seconds_total',
    ]) {
      assert.ok(used.has(name), `the dashboard does not show ${name}`);
    }
  });
});

describe('monitoring kit: the rules', () => {
  it('match the rule schema, with every alert asked for and runbooks that are headings of OPERATIONS.md', () => {
    const errors = [...Value.Errors(RuleFile, rules)].map((e) => `${e.path}: ${e.message}`);
    assert.deepEqual(errors, []);
    assert.deepEqual(ruleList().map((r) => r.alert).sort(), [...ALERTS].sort());
    for (const r of ruleList()) {
      const a = r.annotations.runbook_url.split('#')[1]!;
      assert.equal(a, r.alert.toLowerCase(), `${r.alert}'s runbook anchor`);
      assert.ok(anchors.has(a), `docs/OPERATIONS.md has no heading for #${a}`);
    }
  });

  it('pass promtool check rules', { skip: !promtool && 'promtool not found' }, () => {
    const r = spawnSync(promtool!, ['check', 'rules', RULES], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    assert.match(r.stdout, new RegExp(`SUCCESS: ${ALERTS.length} rules found`));
  });

  it('load with the scrape configuration OPERATIONS.md gives, as promtool check config reads it', { skip: !promtool && 'promtool not found' }, () => {
    const watching = operations.slice(operations.indexOf('## Watching Firebreak'));
    const config = /### Scraping \/metrics[\s\S]*?```yaml\n([\s\S]*?)```/.exec(watching)?.[1];
    assert.ok(config, 'no scrape configuration in "Watching Firebreak"');
    assert.match(config, /job_name: firebreak\n/);
    assert.match(config, /credentials_file: \/etc\/prometheus\/firebreak\.token\n/);
    const etc = mkdtempSync(join(tmpdir(), 'fb-prometheus-'));
    try {
      writeFileSync(join(etc, 'firebreak.token'), 'fb_token\n');
      copyFileSync(RULES, join(etc, 'firebreak-rules.yml'));
      writeFileSync(join(etc, 'prometheus.yml'), config.replaceAll('/etc/prometheus/', `${etc}/`));
      const r = spawnSync(promtool!, ['check', 'config', join(etc, 'prometheus.yml')], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stdout + r.stderr);
      assert.match(r.stdout, new RegExp(`SUCCESS: ${ALERTS.length} rules found`));
    } finally {
      rmSync(etc, { recursive: true, force: true });
    }
  });

  it('fire, and stay quiet, as their promtool unit tests say', { skip: !promtool && 'promtool not found' }, () => {
    const r = spawnSync(promtool!, ['test', 'rules', RULE_TESTS], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stdout + r.stderr);
    // Every alert is tested at least once.
    const tests = readFileSync(RULE_TESTS, 'utf8');
    for (const a of ALERTS) assert.match(tests, new RegExp(`alertname: ${a}$`, 'm'), `${a} has no unit test`);
  });
});

for (const adapter of adapters()) {
  describe(`monitoring kit against /metrics (${adapter.name})`, () => {
    let store: Store;
    let location = '';
    let t: TestApp;
    let base = '';
    const scrape = async () => {
      const res = await fetch(`${base}/metrics`, { headers: { authorization: `Bearer ${t.tokens.viewer}` } });
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
      return res.text();
    };
    before(async () => {
      store = await adapter.create((l) => (location = l));
      t = await testApp(store);
      await t.app.listen({ host: '127.0.0.1', port: 0 });
      const address = t.app.server.address();
      assert.ok(address && typeof address === 'object');
      base = `http://127.0.0.1:${address.port}`;
    });
    after(async () => {
      await t?.app.close();
      await store?.close();
    });

    it('exposes every metric the dashboard and the rules name', async () => {
      // Some traffic first, so that labelled series have samples as they would in production.
      await t.declare();
      const alert = await t.call('POST', '/api/v1/alerts', {
        as: 'ingest',
        body: { dedupKey: 'checkout-5xx', status: 'firing', summary: 'Checkout error rate above 5%', severity: 'warning' },
      });
      assert.equal(alert.statusCode, 202, alert.body);
      const exposed = exposedNames(await scrape());
      const missing = (exprs: string[]) =>
        [...new Set(exprs.flatMap(metricNames))].filter((n) => !exposed.has(n) && !PROMETHEUS_OWN.has(n)).sort();
      assert.deepEqual(missing(dashboardExprs()), [], 'the dashboard names metrics /metrics does not expose');
      assert.deepEqual(missing(variableQueries()), [], 'the dashboard variables name metrics /metrics does not expose');
      assert.deepEqual(missing(ruleList().map((r) => r.expr)), [], 'the rules name metrics /metrics does not expose');
      // And the check can fail: a name nobody exposes is found missing.
      assert.deepEqual(missing(['rate(firebreak_http_requests_totals[5m])']), ['firebreak_http_requests_totals']);
    });

    it('refuses a scrape without a viewer token', async () => {
      assert.equal((await fetch(`${base}/metrics`)).status, 401);
    });

    it('counts requests answered 500 because the database failed, and nothing else', async () => {
      const count = async () => Number(/^firebreak_database_errors_total (\S+)$/m.exec(await scrape())?.[1]);
      assert.equal(await count(), 0);
      const { id } = await t.declare();
      // A refusal and a missing incident are not database errors.
      assert.equal((await t.call('GET', '/api/v1/incidents/INC-999', { as: 'viewer' })).statusCode, 404);
      assert.equal((await t.call('POST', '/api/v1/incidents', { body: { title: '' } })).statusCode, 400);
      assert.equal(await count(), 0);

      // Take the incidents and integrations tables away underneath the running store.
      const ddl = ['ALTER TABLE incidents RENAME TO incidents_gone', 'ALTER TABLE integrations RENAME TO integrations_gone'];
      if (adapter.name === 'sqlite') {
        const db = new Sqlite(location);
        for (const s of ddl) db.exec(s);
        db.close();
      } else {
        const client = new pg.Client({ connectionString: location });
        await client.connect();
        for (const s of ddl) await client.query(s);
        await client.end();
      }
      const read = await t.call('GET', `/api/v1/incidents/${id}`, { as: 'viewer' });
      assert.equal(read.statusCode, 500, read.body);
      assert.equal(read.json().code, 'internal');
      assert.equal(await count(), 1);
      // A route with its own error handler (PagerDuty's answers) is counted too.
      const pd = await t.call('POST', '/v2/enqueue', {
        as: 'anonymous',
        body: { routing_key: 'r'.repeat(32), event_action: 'trigger', payload: { summary: 'x', source: 'y', severity: 'critical' } },
      });
      assert.equal(pd.statusCode, 500, pd.body);
      assert.equal(pd.json().status, 'error');
      assert.equal(await count(), 2);
    });
  });
}
