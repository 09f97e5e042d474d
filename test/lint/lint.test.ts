import assert from 'node:assert/strict';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { parse as parseYaml, stringify as stringifyYaml } from 'yaml';
import { catalog as realCatalog, counter, gauge, histogram, type Metric } from '../../src/catalog/index.js';
import { lintContext } from '../../src/lint/context.js';
import { formatFindings, LINT_RULES, lintProject, loadProject } from '../../src/lint/index.js';
import { parsePromQL, substituteGrafanaVariables } from '../../src/lint/promql.js';
import { headingAnchors, headingSlug } from '../../src/lint/rules/runbooks.js';
import type { Finding } from '../../src/kernel/findings.js';

// A small catalog with the real metrics' names, so the fixture lints clean against both.
const testCatalog: readonly Metric[] = [
  counter<'method' | 'route' | 'status'>({
    name: 'http_requests_total',
    help: 'HTTP requests completed.',
    unit: 'count',
    labels: {
      method: { values: ['GET', 'POST'], help: 'HTTP method' },
      route: { help: 'route template' },
      status: { help: 'status code' },
    },
    signals: ['http-traffic'],
  }),
  histogram<'method' | 'route'>({
    name: 'http_request_duration_seconds',
    help: 'HTTP request latency.',
    unit: 'seconds',
    labels: { method: { values: ['GET', 'POST'], help: 'HTTP method' }, route: { help: 'route template' } },
    buckets: [0.1, 0.3, 1],
    signals: ['http-latency'],
  }),
  gauge<'channel'>({
    name: 'ws_connections_active',
    help: 'Open WebSocket connections.',
    unit: 'count',
    labels: { channel: { values: ['chat', 'notifications', 'games'], help: 'WebSocket endpoint' } },
    signals: ['ws-connections'],
  }),
];

const FIXTURE = resolve(import.meta.dirname, '../fixtures/lint/clean');
const ALERTS = 'infra/prometheus/alerts.yml';
const RECORDS = 'infra/prometheus/recording-rules.yml';
const TESTS = 'infra/prometheus/tests/alerts.test.yml';
const DASHBOARD = 'infra/grafana/provisioning/dashboards/api-overview.json';
const RUNBOOK = 'docs/runbooks/alerts.md';

// Documents are edited as parsed YAML/JSON: the shapes are the files', not ours to type.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Doc = any;

/** Edits to a copy of the fixture, applied in order. */
class Edits {
  readonly steps: ((dir: string) => Promise<void>)[] = [];
  text(path: string, edit: (text: string) => string): this {
    this.steps.push(async (dir) => writeFile(join(dir, path), edit(await readFile(join(dir, path), 'utf8'))));
    return this;
  }
  yaml(path: string, edit: (doc: Doc) => void): this {
    return this.text(path, (t) => {
      const doc = parseYaml(t) as Doc;
      edit(doc);
      return stringifyYaml(doc);
    });
  }
  json(path: string, edit: (doc: Doc) => void): this {
    return this.text(path, (t) => {
      const doc = JSON.parse(t) as Doc;
      edit(doc);
      return JSON.stringify(doc, null, 2);
    });
  }
  remove(path: string): this {
    this.steps.push((dir) => rm(join(dir, path)));
    return this;
  }
  write(path: string, text: string): this {
    this.steps.push((dir) => writeFile(join(dir, path), text));
    return this;
  }
}

/** Lints a copy of the fixture with the edits applied. */
async function lint(edits = new Edits(), catalog = testCatalog): Promise<Finding[]> {
  const dir = await mkdtemp(join(tmpdir(), 'stressgate-lint-'));
  try {
    await cp(FIXTURE, dir, { recursive: true });
    for (const step of edits.steps) await step(dir);
    return lintProject(await loadProject(dir), catalog);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Rules the tests below have seen fire alone. */
const tripped = new Set<string>();

/** The findings, asserting they all come from one rule. */
function only(findings: Finding[], rule: string): Finding[] {
  assert.ok(findings.length > 0, `expected ${rule} findings, got none`);
  assert.deepEqual(
    findings.filter((f) => f.rule !== rule),
    [],
    `only ${rule} fires`,
  );
  tripped.add(rule);
  return findings;
}

// Edit helpers for the fixture's documents.
const alert = (doc: Doc, name: string) => doc.groups[0].rules.find((r: Doc) => r.alert === name);
const panel = (doc: Doc, id: number) =>
  doc.panels.flatMap((p: Doc) => [p, ...(p.panels ?? [])]).find((p: Doc) => p.id === id);

const PANEL_2_A = 'dashboard api-overview / panel 2 "Request rate" / target A';
const PANEL_3 = 'dashboard api-overview / panel 3 "p95 latency"';
const PANEL_5_A = 'dashboard api-overview / panel 5 "Open connections" / target A';

describe('lint', () => {
  it('finds nothing in the clean fixture, with the test catalog and with the real one', async () => {
    assert.deepEqual(await lint(), []);
    assert.deepEqual(await lint(undefined, realCatalog), []);
  });

  it('file-parse: a file that does not parse is a finding, not a crash', async () => {
    const findings = only(
      await lint(new Edits().write(DASHBOARD, '{ "uid": "api-overview", ').write(TESTS, 'tests: [')),
      'file-parse',
    );
    // Nothing cascades: no "untested alert" for the unreadable tests, no "unused rule" for the unreadable dashboard.
    assert.deepEqual(
      findings.map((f) => [f.file, f.object]),
      [
        [DASHBOARD, 'file'],
        [TESTS, 'file'],
      ],
    );
    const [shape] = only(await lint(new Edits().yaml(RECORDS, (d) => (d.groups[0].rules = 'none'))), 'file-parse');
    assert.equal(shape!.file, RECORDS);
    assert.match(shape!.message, /expected structure: groups\.0\.rules/);
  });

  it('promql-parse: syntax errors and range vectors in the wrong place', async () => {
    const [f] = only(
      await lint(
        new Edits().yaml(
          ALERTS,
          (d) => (alert(d, 'Http5xxRatioHigh').expr = 'job:http_requests_5xx:ratio_rate5m > > 0.005'),
        ),
      ),
      'promql-parse',
    );
    assert.equal(f!.file, ALERTS);
    assert.equal(f!.object, 'alert Http5xxRatioHigh');
    assert.match(f!.message, /syntax error at character/);
    assert.match(f!.fix, /correct the PromQL in its definition under src\/alerts\//);

    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) => {
          panel(d, 2).targets[0].expr = 'sum(http_requests_total{job=~"$job"}[$__rate_interval])';
          panel(d, 5).targets[0].expr = 'rate(http_requests_total)';
        }),
      ),
      'promql-parse',
    );
    assert.deepEqual(
      findings.map((x) => x.object),
      [PANEL_2_A, PANEL_5_A],
    );
    assert.match(findings[0]!.message, /range vector .* where an instant vector is expected/);
    assert.match(findings[1]!.message, /rate\(\) needs a range vector/);
  });

  it('metric-exists: an unknown metric, with the closest catalog name in the fix', async () => {
    const edits = new Edits().json(
      DASHBOARD,
      (d) => (panel(d, 2).targets[0].expr = 'sum by (route) (rate(http_request_total{job=~"$job"}[$__rate_interval]))'),
    );
    const [f] = only(await lint(edits), 'metric-exists');
    assert.equal(f!.file, DASHBOARD);
    assert.equal(f!.object, PANEL_2_A);
    assert.match(f!.fix, /^replace http_request_total with http_requests_total/);
    // Against the real catalog too.
    const [real] = only(await lint(edits, realCatalog), 'metric-exists');
    assert.match(real!.fix, /with http_requests_total/);
  });

  it('metric-exists: the catalog is a parameter', async () => {
    const findings = only(
      await lint(
        undefined,
        testCatalog.filter((m) => m.name !== 'ws_connections_active'),
      ),
      'metric-exists',
    );
    assert.deepEqual(
      findings.map((f) => f.object),
      [PANEL_5_A, 'alert ChatConnectionsDown'],
    );
  });

  it('rate-on-counter: rate() over a gauge or a recording rule, deriv() over a counter', async () => {
    const findings = only(
      await lint(
        new Edits()
          .json(DASHBOARD, (d) => {
            panel(d, 5).targets[0].expr = 'sum by (channel) (rate(ws_connections_active[$__rate_interval]))';
            panel(d, 5).fieldConfig.defaults.unit = 'ops';
            panel(d, 2).targets[0].expr = 'sum by (route) (deriv(http_requests_total[$__rate_interval]))';
          })
          .yaml(
            ALERTS,
            (d) => (alert(d, 'Http5xxRatioHigh').expr = 'increase(job:http_requests_5xx:ratio_rate5m[10m]) > 0.005'),
          ),
      ),
      'rate-on-counter',
    );
    // Sorted by file first: the dashboard before the rule files.
    assert.deepEqual(
      findings.map((f) => f.object),
      [PANEL_2_A, PANEL_5_A, 'alert Http5xxRatioHigh'],
    );
    assert.match(findings[0]!.fix, /use rate\(http_requests_total\[\.\.\.\]\) instead of deriv\(\)/);
    assert.match(findings[1]!.message, /rate\(\) over ws_connections_active, which is a gauge/);
    assert.match(findings[1]!.fix, /use deriv\(ws_connections_active/);
    assert.match(
      findings[2]!.message,
      /increase\(\) over job:http_requests_5xx:ratio_rate5m, which is a recording rule/,
    );
  });

  it('quantile-on-buckets: φ outside [0, 1], le dropped, not a histogram bucket', async () => {
    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) => {
          panel(d, 3).targets[1].expr =
            'histogram_quantile(95, sum by (route) (rate(http_request_duration_seconds_bucket[$__rate_interval])))';
          panel(d, 2).targets[0].expr =
            'histogram_quantile(0.9, sum by (le) (rate(http_requests_total[$__rate_interval])))';
          panel(d, 5).targets[0].expr =
            'histogram_quantile(0.9, rate(http_request_duration_seconds_bucket[$__rate_interval]))';
          panel(d, 5).fieldConfig.defaults.unit = 's';
        }),
      ),
      'quantile-on-buckets',
    );
    const by = (object: string) =>
      findings
        .filter((f) => f.object === object)
        .map((f) => f.message)
        .join('\n');
    assert.match(by(`${PANEL_3} / target B`), /φ must be between 0 and 1/);
    assert.match(by(`${PANEL_3} / target B`), /drops the `le` label/);
    assert.match(findings.find((f) => f.message.includes('φ'))!.fix, /0\.95 for p95/);
    assert.match(by(PANEL_2_A), /reads http_requests_total, which is not the _bucket series of a catalog histogram/);
    assert.match(by(PANEL_5_A), /must be an aggregation/);
  });

  it('label-exists: labels of catalog metrics and of recording rules', async () => {
    const findings = only(
      await lint(
        new Edits()
          .yaml(
            ALERTS,
            (d) => (alert(d, 'ChatConnectionsDown').expr = 'sum by (job) (ws_connections_active{chanel="chat"}) < 1'),
          )
          .json(
            DASHBOARD,
            (d) => (panel(d, 3).targets[0].expr = 'job_route:http_request_duration_seconds:p95_rate5m{method="GET"}'),
          ),
      ),
      'label-exists',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.object]),
      [
        [DASHBOARD, `${PANEL_3} / target A`],
        [ALERTS, 'alert ChatConnectionsDown'],
      ],
    );
    // The recording rule keeps its `by (job, route, le)` labels, less the `le` the quantile consumes.
    assert.match(findings[0]!.message, /its labels: job, route\)/);
    assert.match(
      findings[1]!.message,
      /label "chanel", which ws_connections_active does not have \(its labels: channel, instance, job\)/,
    );
    assert.match(findings[1]!.fix, /use "channel" instead of "chanel"/);
  });

  it('label-value: bounded values, for = and != and plain alternations', async () => {
    const findings = only(
      await lint(
        new Edits()
          .yaml(
            ALERTS,
            (d) => (alert(d, 'ChatConnectionsDown').expr = 'sum by (job) (ws_connections_active{channel="chatt"}) < 1'),
          )
          .json(
            DASHBOARD,
            (d) =>
              (panel(d, 5).targets[0].expr =
                'sum by (channel) (ws_connections_active{channel=~"chat|voice", channel!~"g.*"})'),
          ),
      ),
      'label-value',
    );
    assert.deepEqual(
      findings.map((f) => f.object),
      [PANEL_5_A, 'alert ChatConnectionsDown'],
    );
    assert.match(findings[0]!.message, /"voice" is not a value of channel/);
    assert.match(findings[1]!.fix, /^replace "chatt" with "chat" \(one of chat, notifications, games\)/);
  });

  it('unused-recording-rule: a rule nothing reads', async () => {
    const [f] = only(
      await lint(
        new Edits().yaml(RECORDS, (d) =>
          d.groups[0].rules.push({
            record: 'job:http_requests:rate5m',
            expr: 'sum by (job) (rate(http_requests_total[5m]))',
          }),
        ),
      ),
      'unused-recording-rule',
    );
    assert.equal(f!.file, RECORDS);
    assert.equal(f!.object, 'recording rule job:http_requests:rate5m');
    assert.match(f!.fix, /delete job:http_requests:rate5m from src\/recording-rules\//);
  });

  it('unique-ids: dashboard uids, panel ids (rows included), alert and recording rule names', async () => {
    const findings = only(
      await lint(
        new Edits()
          .write('infra/grafana/provisioning/dashboards/z-copy.json', await readFile(join(FIXTURE, DASHBOARD), 'utf8'))
          .json(DASHBOARD, (d) => (panel(d, 6).id = 2))
          .yaml(ALERTS, (d) => (alert(d, 'ChatConnectionsDown').alert = 'Http5xxRatioHigh'))
          .yaml(RECORDS, (d) => d.groups.push({ name: 'again', rules: [d.groups[0].rules[0]] })),
      ),
      'unique-ids',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.object]),
      [
        [DASHBOARD, 'dashboard api-overview / panel 2 "Error logs"'],
        ['infra/grafana/provisioning/dashboards/z-copy.json', 'dashboard api-overview'],
        [ALERTS, 'alert Http5xxRatioHigh'],
        [RECORDS, 'recording rule job:http_requests_5xx:ratio_rate5m'],
      ],
    );
  });

  it('alert-metadata: name, severity, summary, description, missing annotations', async () => {
    const findings = only(
      await lint(
        new Edits()
          .yaml(ALERTS, (d) => {
            const a = alert(d, 'ChatConnectionsDown');
            a.alert = 'chat_connections_down';
            a.labels.severity = 'page';
            a.annotations.summary = 'chat down on {{ $labels.job }}';
            a.annotations.description = 'Nobody is connected.';
            delete alert(d, 'Http5xxRatioHigh').annotations.runbook_url;
          })
          .text(TESTS, (t) => t.replaceAll('alertname: ChatConnectionsDown', 'alertname: chat_connections_down')),
      ),
      'alert-metadata',
    );
    const messages = (object: string) => findings.filter((f) => f.object === object).map((f) => f.message);
    assert.deepEqual(messages('alert Http5xxRatioHigh'), ['has no runbook_url annotation.']);
    assert.deepEqual(messages('alert chat_connections_down'), [
      'alert name is not CamelCase.',
      'description does not show the value that fired.',
      'label severity is "page".',
      'summary "chat down on {{ $labels.job }}" is not a plain sentence.',
    ]);
    assert.ok(findings.some((f) => f.fix.startsWith('rename the alert to ChatConnectionsDown')));
    assert.ok(
      findings.some((f) =>
        f.fix.startsWith(
          'rewrite the summary to start with a capital letter, end with a period, have no {{ }} template',
        ),
      ),
    );
  });

  it('runbook-section: the linked file and heading must exist', async () => {
    const findings = only(
      await lint(
        new Edits()
          .text(RUNBOOK, (t) => t.replace('## ChatConnectionsDown', '## Chat connections down'))
          .yaml(
            ALERTS,
            (d) =>
              (alert(d, 'Http5xxRatioHigh').annotations.runbook_url =
                'https://github.com/social-platform/stressgate/blob/main/docs/runbooks/http.md#http5xxratiohigh'),
          ),
      ),
      'runbook-section',
    );
    assert.deepEqual(
      findings.map((f) => [f.file, f.object]),
      [
        [ALERTS, 'alert ChatConnectionsDown'],
        [ALERTS, 'alert Http5xxRatioHigh'],
      ],
    );
    assert.equal(findings[0]!.message, 'docs/runbooks/alerts.md has no heading with anchor #chatconnectionsdown.');
    assert.match(findings[1]!.message, /points at docs\/runbooks\/http\.md, which does not exist/);
    assert.match(findings[1]!.fix, /point runbook_url at one of docs\/runbooks\/alerts\.md/);
  });

  it('alert-tests: a case where the alert fires and one where it stays quiet', async () => {
    const findings = only(
      await lint(
        new Edits().yaml(TESTS, (d) => {
          d.tests = d.tests.filter(
            (t: Doc) => !(t.alert_rule_test[0].alertname === 'ChatConnectionsDown' && !t.alert_rule_test[0].exp_alerts),
          );
          d.tests = d.tests.filter(
            (t: Doc) =>
              !(t.alert_rule_test[0].alertname === 'Http5xxRatioHigh' && t.alert_rule_test[0].exp_alerts.length),
          );
        }),
      ),
      'alert-tests',
    );
    assert.deepEqual(
      findings.map((f) => [f.object, f.message]),
      [
        ['alert ChatConnectionsDown', 'has no unit test where it must stay quiet.'],
        ['alert Http5xxRatioHigh', 'has no unit test where it fires.'],
      ],
    );
    assert.ok(findings.every((f) => f.file === ALERTS));
  });

  it('panel-shape: ids, descriptions, units, datasources, refIds, grid', async () => {
    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) => {
          const p2 = panel(d, 2);
          delete p2.fieldConfig.defaults.unit;
          p2.description = '';
          p2.datasource = { type: 'prometheus', uid: 'prometheus' };
          p2.targets[0].datasource.uid = '${prom}';
          const p3 = panel(d, 3);
          p3.targets[1].refId = 'A';
          p3.gridPos = { x: 8, y: 1, w: 16, h: 8 }; // overlaps panel 2
          const p5 = panel(d, 5);
          p5.gridPos = { x: 10, y: 10, w: 20, h: 6 }; // past column 24
          delete p5.targets[0].refId;
          panel(d, 4).gridPos.w = 12;
          panel(d, 6).id = '6';
        }),
      ),
      'panel-shape',
    );
    const got = findings.map((f) => `${f.object}: ${f.message}`);
    const expect = [
      /^dashboard api-overview \/ panel 2 "Request rate": has no description\.$/,
      /^dashboard api-overview \/ panel 2 "Request rate": has no unit/,
      /^dashboard api-overview \/ panel 2 "Request rate": panel datasource uid "prometheus" is not a template variable\.$/,
      /^dashboard api-overview \/ panel 2 "Request rate" \/ target A: target datasource uid \$\{prom\} refers to variable "prom", which the dashboard does not declare/,
      /^dashboard api-overview \/ panel 3 "p95 latency": gridPos .* overlaps dashboard api-overview \/ panel 2 "Request rate"/,
      /^dashboard api-overview \/ panel 3 "p95 latency" \/ target A: refId A is used by another target/,
      /^dashboard api-overview \/ panel 4 "Connections and logs": row gridPos .* is not a full-width, one-high row\.$/,
      /^dashboard api-overview \/ panel 5 "Open connections": gridPos .* does not fit the 24-column grid/,
      /^dashboard api-overview \/ panel 5 "Open connections" \/ target #1: has no refId\.$/,
      /^dashboard api-overview \/ panel \? "Error logs": has no numeric id/,
    ];
    assert.equal(got.length, expect.length, got.join('\n'));
    expect.forEach((re, i) => assert.match(got[i]!, re));
    assert.ok(findings.every((f) => f.file === DASHBOARD && f.fix.length > 0));
  });

  it('panel-unit: the unit the query yields, scale included', async () => {
    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) => {
          panel(d, 3).fieldConfig.defaults.unit = 'ms'; // a p95 over a _seconds histogram
          panel(d, 2).fieldConfig.defaults.unit = 'short'; // rate() of a counter
          panel(d, 5).targets[0].expr =
            'sum(rate(http_requests_total{status=~"5..", job=~"$job"}[$__rate_interval])) / sum(rate(http_requests_total{job=~"$job"}[$__rate_interval])) * 100';
          panel(d, 5).fieldConfig.defaults.unit = 'percentunit'; // a ratio times 100 is percent
        }),
      ),
      'panel-unit',
    );
    assert.deepEqual(
      findings.map((f) => f.object),
      [PANEL_2_A, `${PANEL_3} / target A`, `${PANEL_3} / target B`, PANEL_5_A],
    );
    assert.match(
      findings[0]!.message,
      /unit "short" is a different kind of quantity: the query yields events per second/,
    );
    assert.match(findings[0]!.fix, /set the panel's unit to 'reqps'/);
    assert.match(
      findings[1]!.message,
      /unit "ms" has the wrong scale: every value reads 1000× too small: the query yields seconds \(job_route:http_request_duration_seconds:p95_rate5m records histogram_quantile over http_request_duration_seconds_bucket, a _seconds histogram\)/,
    );
    assert.match(findings[2]!.fix, /set the panel's unit to 's'/);
    assert.match(
      findings[3]!.message,
      /unit "percentunit" has the wrong scale: every value reads 100× too large: the query yields a ratio × 100/,
    );
    assert.match(findings[3]!.fix, /'percent'/);
    // The same queries with units that fit: nothing.
    const fitted = new Edits().json(DASHBOARD, (d) => {
      panel(d, 5).targets[0].expr =
        'sum(rate(http_requests_total{status=~"5..", job=~"$job"}[$__rate_interval])) / sum(rate(http_requests_total{job=~"$job"}[$__rate_interval])) * 100';
      panel(d, 5).fieldConfig.defaults.unit = 'percent';
      panel(d, 3).targets[1].expr = panel(d, 3).targets[1].expr + ' * 1000';
    });
    assert.deepEqual(
      (await lint(fitted)).map((f) => `${f.object}: ${f.message}`),
      [
        `${PANEL_3} / target B: unit "s" has the wrong scale: every value reads 1000× too large: the query yields seconds × 1000 (histogram_quantile over http_request_duration_seconds_bucket, a _seconds histogram, times 1000).`,
      ],
    );
  });

  it('range-window: windows under 4 sample intervals; dashboards use $__rate_interval unless they mirror a rule', async () => {
    const findings = only(
      await lint(
        new Edits()
          .json(DASHBOARD, (d) => {
            panel(d, 2).targets[0].expr = 'sum by (route) (rate(http_requests_total{job=~"$job"}[15s]))';
            panel(d, 3).targets[1].expr =
              'histogram_quantile(0.95, sum by (le) (rate(http_request_duration_seconds_bucket{job=~"$job"}[$__interval])))';
            panel(d, 5).targets[0].expr = 'sum by (channel) (max_over_time(ws_connections_active{job=~"$job"}[10m]))';
          })
          .yaml(
            RECORDS,
            (d) =>
              (d.groups[0].rules[1].expr =
                'histogram_quantile(0.95, sum by (job, route, le) (rate(http_request_duration_seconds_bucket[45s])))'),
          ),
      ),
      'range-window',
    );
    assert.deepEqual(
      findings.map((f) => f.object),
      [
        PANEL_2_A,
        `${PANEL_3} / target B`,
        PANEL_5_A,
        'recording rule job_route:http_request_duration_seconds:p95_rate5m',
      ],
    );
    assert.match(
      findings[0]!.message,
      /^rate\(http_requests_total\[15s\]\) spans 15s, less than 4 samples: http_requests_total is scraped every 15s, so the window holds about 1/,
    );
    assert.match(findings[0]!.fix, /^use \[\$__rate_interval\]/);
    assert.match(findings[1]!.message, /uses \$__interval, which Grafana shrinks below 4 scrape intervals/);
    assert.match(findings[2]!.message, /fixed window that no recording rule or alert uses/);
    assert.match(
      findings[3]!.fix,
      /use a window of at least 1m \(4 × 15s\) in its definition under src\/recording-rules\//,
    );
    // A dashboard window that mirrors a rule's (same function, series and window) is what the rule sees: fine.
    const mirror = new Edits().json(
      DASHBOARD,
      (d) =>
        (panel(d, 2).targets[0].expr = 'sum by (route) (rate(http_requests_total{job=~"$job", status=~"5.."}[5m]))'),
    );
    assert.deepEqual(await lint(mirror), []);
  });

  it('prometheus-config: rule_files loads every rule file and only existing ones, and an Alertmanager is configured', async () => {
    const config = 'infra/prometheus/prometheus.yml';
    const findings = only(
      await lint(
        new Edits().yaml(config, (d) => {
          d.rule_files = ['recording-rules.yml', 'missing/*.yml'];
          delete d.alerting;
        }),
      ),
      'prometheus-config',
    );
    assert.ok(findings.every((f) => f.file === config));
    assert.deepEqual(
      findings.map((f) => [f.object, f.message]),
      [
        ['alerting.alertmanagers', 'configures no Alertmanager with a target: alerts fire, and nobody is told.'],
        [
          'rule_files',
          'does not load infra/prometheus/alerts.yml (it lists recording-rules.yml, missing/*.yml): Prometheus never evaluates its rules, and promtool check config still passes.',
        ],
        ['rule_files', 'lists missing/*.yml, which matches no rule file under infra/prometheus/.'],
      ],
    );
    assert.match(findings[1]!.fix, /^add alerts\.yml to rule_files in src\/synth\/prometheus-config\.ts/);
    // A glob that covers both files is as good as listing them.
    assert.deepEqual(await lint(new Edits().yaml(config, (d) => (d.rule_files = ['*.yml']))), []);
    const [missing] = only(await lint(new Edits().remove(config)), 'prometheus-config');
    assert.deepEqual([missing!.object, missing!.message], ['file', 'is missing: nothing loads the rule files.']);
  });

  it('sorts findings by file, object, rule and prints text and GitHub annotations', async () => {
    const findings = await lint(
      new Edits()
        .yaml(ALERTS, (d) => (alert(d, 'ChatConnectionsDown').labels.severity = 'page'))
        .json(DASHBOARD, (d) => (panel(d, 2).targets[0].expr = 'rate(nope_total[$__rate_interval])'))
        .yaml(ALERTS, (d) => (alert(d, 'Http5xxRatioHigh').expr = 'job:http_requests_5xx:ratio_rate5m >')),
    );
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['metric-exists', 'alert-metadata', 'promql-parse'],
    );
    const text = formatFindings(findings, 'text');
    assert.match(
      text,
      /\ninfra\/prometheus\/alerts\.yml: alert ChatConnectionsDown: label severity is "page"\. \[alert-metadata\]\n {2}fix: set labels\.severity/,
    );
    const github = formatFindings(findings, 'github').split('\n');
    assert.equal(github.length, 3);
    assert.match(
      github[2]!,
      /^::error file=infra\/prometheus\/alerts\.yml,title=promql-parse%3A alert Http5xxRatioHigh::expression does not parse/,
    );
  });

  it('the loader skips prometheus.yml and YAML without groups', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'stressgate-lint-'));
    try {
      await cp(FIXTURE, dir, { recursive: true });
      await writeFile(join(dir, 'infra/prometheus/alertmanager.yml'), 'route:\n  receiver: default\n');
      const project = await loadProject(dir);
      assert.deepEqual(
        project.ruleFiles.map((f) => f.path),
        [ALERTS, RECORDS],
      );
      assert.deepEqual(
        project.alertTests.map((t) => [t.alertname, t.expAlerts]),
        [
          ['Http5xxRatioHigh', 1],
          ['Http5xxRatioHigh', 0],
          ['ChatConnectionsDown', 1],
          ['ChatConnectionsDown', 0],
        ],
      );
      assert.deepEqual(project.parseFindings, []);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('runbook-content: severity reason, a dashboard showing the alert, a LogQL query, a stop criterion for gate alerts', async () => {
    const other = {
      uid: 'other',
      title: 'Other',
      schemaVersion: 42,
      tags: ['stressgate'],
      links: [{ type: 'dashboards', tags: ['stressgate'] }],
      panels: [],
      templating: { list: [] },
    };
    const findings = only(
      await lint(
        new Edits()
          .write('infra/grafana/provisioning/dashboards/other.json', JSON.stringify(other))
          .text(RUNBOOK, (t) =>
            t
              .replace('**Severity: warning**: a ticket', 'A ticket')
              .replace('(http://127.0.0.1:3000/d/api-overview), *Open connections*', '(http://127.0.0.1:3000/d/other)')
              .replace(
                'The failing requests: `{job="api"} | json | status >= 500`',
                'The failing requests: `{job="api" | json`',
              )
              .replace('**Stop the run / roll back.** Stop a gate run', 'Stop a gate run'),
          )
          .yaml(ALERTS, (d) => (alert(d, 'Http5xxRatioHigh').labels.severity = 'warning')),
      ),
      'runbook-content',
    );
    assert.deepEqual(
      findings.map((f) => [f.object, f.message]),
      [
        ['section #chatconnectionsdown (alert ChatConnectionsDown)', 'does not justify severity warning.'],
        [
          'section #chatconnectionsdown (alert ChatConnectionsDown)',
          'links to other, which show nothing the alert reads.',
        ],
        ['section #http5xxratiohigh (alert Http5xxRatioHigh)', 'does not justify severity warning.'],
        ['section #http5xxratiohigh (alert Http5xxRatioHigh)', 'has no LogQL query.'],
        [
          'section #http5xxratiohigh (alert Http5xxRatioHigh)',
          'is a gate alert but says nowhere when to stop the run or roll back.',
        ],
      ],
    );
    assert.ok(findings.every((f) => f.file === RUNBOOK));
    assert.match(findings[1]!.fix, /link a dashboard that shows the alert's series: api-overview/);
  });

  it('slo-panel: a new SLO panel without a threshold line or runbook link is rejected', async () => {
    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) => {
          const copy = JSON.parse(JSON.stringify(panel(d, 7)));
          d.panels.push({
            ...copy,
            id: 8,
            title: 'New SLO panel',
            gridPos: { x: 0, y: 18, w: 24, h: 8 },
            links: [],
            fieldConfig: { defaults: { unit: 'percentunit' }, overrides: [] },
          });
          delete panel(d, 7).fieldConfig.defaults.custom;
        }),
      ),
      'slo-panel',
    );
    assert.deepEqual(
      findings.map((f) => `${f.object}: ${f.message.replace(/ \(.*\)\.$/, '.')}`),
      [
        'dashboard api-overview / panel 7 "5xx ratio (SLO)": shows SLO indicator job:http_requests_5xx:ratio_rate5m on a graph without a threshold line.',
        'dashboard api-overview / panel 8 "New SLO panel": does not link the runbook of the alert that guards job:http_requests_5xx:ratio_rate5m.',
        'dashboard api-overview / panel 8 "New SLO panel": shows SLO indicator job:http_requests_5xx:ratio_rate5m but has no threshold step at the objective.',
        'dashboard api-overview / panel 8 "New SLO panel": shows SLO indicator job:http_requests_5xx:ratio_rate5m on a graph without a threshold line.',
      ],
    );
    assert.match(findings[0]!.message, /thresholdsStyle is unset, Grafana reads off/);
    assert.match(findings[0]!.fix, /sloPanel\(\)/);
  });

  it('slo-scope: a panel breaking down an SLO metric without the SLO route filter', async () => {
    const findings = only(
      await lint(
        new Edits().text(RECORDS, (t) =>
          t
            .replaceAll('http_requests_total{status=~"5.."}', 'http_requests_total{route=~"/api/.*", status=~"5.."}')
            .replace('rate(http_requests_total[5m])', 'rate(http_requests_total{route=~"/api/.*"}[5m])'),
        ),
      ),
      'slo-scope',
    );
    assert.deepEqual(
      findings.map((f) => f.object),
      [PANEL_2_A],
    );
    assert.match(
      findings[0]!.message,
      /reads http_requests_total without route=~"\/api\/\.\*", the scope its SLO indicators apply/,
    );
  });

  it('health-panel: a 0/1 health value green at 0, shown as a number', async () => {
    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) =>
          d.panels.push({
            id: 8,
            type: 'stat',
            title: 'Targets up',
            description: 'Whether Prometheus can scrape each target.',
            datasource: { type: 'prometheus', uid: '${datasource}' },
            gridPos: { x: 0, y: 18, w: 8, h: 4 },
            fieldConfig: {
              defaults: {
                unit: 'bool',
                thresholds: {
                  mode: 'absolute',
                  steps: [
                    { value: null, color: 'green' },
                    { value: 1, color: 'green' },
                  ],
                },
              },
              overrides: [],
            },
            targets: [
              { refId: 'A', datasource: { type: 'prometheus', uid: '${datasource}' }, expr: 'up{job=~"$job"}' },
            ],
          }),
        ),
        realCatalog,
      ),
      'health-panel',
    );
    assert.deepEqual(
      findings.map((f) => f.message),
      [
        'shows a 0/1 health value as a number: map 0 and 1 to DOWN and UP.',
        'shows a 0/1 health value, but 0 is green: a failure must read red.',
      ],
    );
  });

  const tablePanel = (expr: string, extra: Doc = {}) => ({
    id: 8,
    type: 'table',
    title: 'Table',
    description: 'A table under test.',
    datasource: { type: 'prometheus', uid: '${datasource}' },
    gridPos: { x: 0, y: 18, w: 24, h: 6 },
    fieldConfig: { defaults: { unit: 'none' }, overrides: [] },
    targets: [{ refId: 'A', datasource: { type: 'prometheus', uid: '${datasource}' }, expr, ...extra }],
  });

  it('table-format: a table that queries a range in time-series format shows one series', async () => {
    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) =>
          d.panels.push(tablePanel('sum by (channel) (ws_connections_active{job=~"$job"})')),
        ),
      ),
      'table-format',
    );
    assert.equal(
      findings[0]!.message,
      'target A is time_series, range: a table shows one series only unless the query is instant in table format.',
    );
  });

  it('alert-table: an alert table without severity, since or runbook', async () => {
    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) =>
          d.panels.push({
            ...tablePanel('ALERTS{gate="release"}', { format: 'table', instant: true }),
            transformations: [{ id: 'organize', options: { includeByName: { alertname: true, alertstate: true } } }],
          }),
        ),
        realCatalog,
      ),
      'alert-table',
    );
    assert.deepEqual(
      findings.map((f) => f.message),
      [
        'lists alerts without a link to their runbook.',
        'lists alerts without since when they are active (ALERTS_FOR_STATE).',
        'lists alerts without their severity.',
      ],
    );
  });

  it('job-variable: All by default, or a job Prometheus does not scrape', async () => {
    const jobVar = (d: Doc) => d.templating.list.find((v: Doc) => v.name === 'job');
    const [all] = only(
      await lint(new Edits().json(DASHBOARD, (d) => (jobVar(d).current = { text: 'All', value: '$__all' }))),
      'job-variable',
    );
    assert.match(
      all!.message,
      /defaults to \$__all: every job's series \(Prometheus's own included\) mix into the panels/,
    );
    const [web] = only(
      await lint(new Edits().json(DASHBOARD, (d) => (jobVar(d).current = { text: 'web', value: ['web'] }))),
      'job-variable',
    );
    assert.equal(
      web!.message,
      'the job variable defaults to web, which infra/prometheus/prometheus.yml does not scrape (jobs: api).',
    );
  });

  it("schema-version: the dashboard model must be the pinned Grafana's", async () => {
    const [older] = only(await lint(new Edits().json(DASHBOARD, (d) => (d.schemaVersion = 39))), 'schema-version');
    assert.equal(
      older!.message,
      'has schemaVersion 39, but grafana/grafana:12.3.0 (infra/docker-compose.yml) reads and writes schemaVersion 42.',
    );
    const [unknown] = only(
      await lint(new Edits().text('infra/docker-compose.yml', (t) => t.replace('12.3.0', '11.3.1'))),
      'schema-version',
    );
    assert.match(
      unknown!.message,
      /pins grafana\/grafana:11\.3\.1, whose dashboard schemaVersion the lint does not know/,
    );
  });

  it('dashboard-links: every dashboard reaches the others', async () => {
    const lonely = {
      uid: 'lonely',
      title: 'Lonely',
      schemaVersion: 42,
      tags: ['other'],
      panels: [],
      templating: { list: [] },
    };
    const findings = only(
      await lint(new Edits().write('infra/grafana/provisioning/dashboards/lonely.json', JSON.stringify(lonely))),
      'dashboard-links',
    );
    assert.deepEqual(
      findings.map((f) => [f.object, f.message]),
      [
        ['dashboard api-overview', 'links to no way to reach lonely.'],
        ['dashboard lonely', 'links to no way to reach api-overview.'],
      ],
    );
  });

  // Runs last (node:test runs a suite's tests in order).
  it('each registered rule has a test above that trips it alone', () => {
    assert.deepEqual([...tripped].sort(), LINT_RULES.map((r) => r.id).sort());
  });
});

describe('lint registry', () => {
  it('is one list of unique kebab-case ids, each with a severity and what it catches', () => {
    const ids = LINT_RULES.map((r) => r.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate ids in ${ids.join(', ')}`);
    for (const r of LINT_RULES) {
      assert.match(r.id, /^[a-z]+(-[a-z]+)*$/, r.id);
      assert.ok(['error', 'warning'].includes(r.severity), `${r.id}: severity ${r.severity}`);
      assert.ok(r.summary.length > 20, `${r.id}: say what the rule catches`);
    }
  });

  it('docs/verify.md lists exactly the registered rules', async () => {
    const docs = await readFile(resolve(import.meta.dirname, '../../docs/verify.md'), 'utf8');
    const rows = [...docs.matchAll(/^\| `([a-z-]+)` \| (\w+) \| (.*) \|$/gm)].map((m) => [m[1], m[2], m[3]]);
    assert.deepEqual(
      rows,
      LINT_RULES.map((r) => [r.id, r.severity, r.summary]),
    );
  });

  it('every rule stays quiet on the clean fixture and on the real project', async () => {
    const clean = async (root: string, catalog: readonly Metric[]) => lintContext(await loadProject(root), catalog);
    for (const [root, catalog] of [
      [FIXTURE, testCatalog],
      [resolve(import.meta.dirname, '../..'), realCatalog],
    ] as const) {
      const ctx = await clean(root, catalog);
      for (const r of LINT_RULES) assert.deepEqual(r.check(ctx), [], `${r.id} fires on ${root}`);
    }
  });

  it("stamps each problem with its rule's id and severity, so a check cannot report under another name", async () => {
    const findings = await lint(new Edits().yaml(ALERTS, (d) => delete alert(d, 'Http5xxRatioHigh').labels.severity));
    assert.deepEqual(
      findings.map((f) => [f.rule, f.severity]),
      [['alert-metadata', 'error']],
    );
  });
});

describe('lint helpers', () => {
  it('substitutes Grafana variables so dashboard queries parse', () => {
    assert.equal(
      substituteGrafanaVariables(
        'rate(x{job=~"$job", a="${a:csv}", b=~"[[b]]"}[$__rate_interval]) / ${__interval} * $__range / $__interval_ms',
      ),
      'rate(x{job=~".*", a=".*", b=~".*"}[5m]) / 5m * 5m / 300',
    );
  });

  it('reads selectors, range functions and result labels from the lezer tree', () => {
    const p = parsePromQL(
      'label_replace(sum by (job) (rate(x{a="1", __name__="y"}[5m] offset 1h)), "svc", "$1", "job", "(.*)") * on (job) group_left (team) z',
    );
    assert.equal(p.error, undefined);
    assert.deepEqual(p.selectors, [
      { metric: 'y', matchers: [{ label: 'a', op: '=', value: '1' }], rangeFunction: 'rate' },
      { metric: 'z', matchers: [] },
    ]);
    assert.deepEqual(p.resultLabels, ['job', 'svc', 'team']);
    assert.equal(parsePromQL('sum without (le) (x)').resultLabels, undefined);
    assert.equal(parsePromQL('').error, 'the expression is empty');
  });

  it('makes GitHub heading anchors', () => {
    assert.equal(headingSlug('Http5xxRatioHigh'), 'http5xxratiohigh');
    assert.equal(headingSlug('API p95 > 300ms: what_to do-now'), 'api-p95--300ms-what_to-do-now');
    assert.deepEqual([...headingAnchors('# A\n```\n# not\n```\n## A\nSetext\n---\n')], ['a', 'a-1', 'setext']);
  });
});
