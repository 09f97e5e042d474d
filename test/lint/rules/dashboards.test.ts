// The lint's the dashboard rules (panels.ts, units.ts, slo-panels.ts, dashboard-reading.ts, unique-ids.ts): dashboards that Grafana loads and on-call reads right.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { readFile } from 'node:fs/promises';
import { catalog as realCatalog, metrics } from '../../../src/catalog/index.js';
import {
  FIXTURE,
  ALERTS,
  RECORDS,
  DASHBOARD,
  Edits,
  lint,
  only,
  alert,
  panel,
  PANEL_2_A,
  PANEL_3,
  PANEL_5_A,
  testCatalog,
  type Doc,
} from '../fixture.js';

describe('lint: dashboards', () => {
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

  it('template-variable: a query reading a variable its dashboard does not declare (a typo reads "No data")', async () => {
    const findings = only(
      await lint(
        new Edits().json(DASHBOARD, (d) => {
          const t = panel(d, 3).targets[0];
          t.expr = t.expr.replace('${job}', '${jb}');
          const u = panel(d, 5).targets[0];
          u.expr = u.expr.replace('$job', '[[node]]');
        }),
      ),
      'template-variable',
    );
    assert.deepEqual(
      findings.map((f) => [f.object, f.message, f.fix]),
      [
        [
          PANEL_3,
          'reads $jb, which dashboard api-overview does not declare (it declares $datasource, $loki, $job)',
          'did you mean $job? Fix the query in src/dashboards/ and run `make synth`',
        ],
        [
          PANEL_5_A.replace(/ \/ target A$/, ''),
          'reads $node, which dashboard api-overview does not declare (it declares $datasource, $loki, $job)',
          'declare the variable on the dashboard, or use a fixed value, in src/dashboards/ and run `make synth`',
        ],
      ],
    );
    // Grafana's own variables ($__rate_interval, ${__rate_interval}) are never findings: the clean fixture has both.
    assert.deepEqual(
      (await lint(new Edits())).filter((f) => f.rule === 'template-variable'),
      [],
    );
  });

  it('load-run-filter: every query of k6 series picks the load run through a run variable (concurrent runs mix otherwise)', async () => {
    const withK6 = [...testCatalog, metrics.k6Vus];
    const K6_PANEL = 'dashboard api-overview / panel 8 "k6 virtual users" / target A';
    /** The fixture with a k6 panel querying `expr`, and with a run variable when `run`. */
    const k6Panel = (expr: string, run: boolean) =>
      new Edits().json(DASHBOARD, (d) => {
        const p = structuredClone(panel(d, 5));
        Object.assign(p, { id: 8, title: 'k6 virtual users', description: 'Virtual users k6 runs.' });
        p.gridPos = { ...p.gridPos, y: 40 };
        p.targets[0].expr = expr;
        d.panels.push(p);
        if (run)
          d.templating.list.push({
            name: 'run',
            type: 'query',
            datasource: { type: 'prometheus', uid: '${datasource}' },
            query: { query: 'label_values(k6_vus, testrun_name)', refId: 'run' },
            includeAll: true,
          });
      });
    const findings = async (expr: string, run: boolean) =>
      (await lint(k6Panel(expr, run), withK6)).filter((f) => f.rule === 'load-run-filter');

    const [bare] = only(await lint(k6Panel('sum(k6_vus)', false), withK6), 'load-run-filter');
    assert.equal(bare!.object, K6_PANEL);
    assert.match(bare!.message, /^reads k6_vus \(k6's, one series set per load run\) without picking the run: /);
    assert.match(bare!.fix, /declare a run variable \(label_values\(k6_vus, testrun_name\)\)/);

    assert.deepEqual(await lint(k6Panel('sum by (testrun_name) (k6_vus{testrun_name=~"$run"})', true), withK6), []);
    const [fixed] = await findings('sum(k6_vus{testrun_name="smoke-abc"})', true);
    assert.match(fixed!.message, /testrun_name="smoke-abc" is no run variable/);
    assert.match(fixed!.fix, /select k6_vus\{testrun_name=~"\$run"\}/);
    // Each selector picks the run: the second one of a ratio as well.
    assert.equal((await findings('sum(k6_vus{testrun_name=~"$run"}) / sum(k6_vus)', true)).length, 1);
    // A variable over another label is not a run variable.
    assert.equal((await findings('sum(k6_vus{testrun_name=~"$job"})', true)).length, 1);
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
});
