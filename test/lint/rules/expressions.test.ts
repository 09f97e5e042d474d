// The lint's src/lint/rules/expressions.ts: every PromQL expression parses, reads series that exist, and applies functions, quantiles and matchers as the catalog allows.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { catalog as realCatalog } from '../../../src/catalog/index.js';
import {
  testCatalog,
  ALERTS,
  DASHBOARD,
  Edits,
  lint,
  only,
  alert,
  panel,
  PANEL_2_A,
  PANEL_3,
  PANEL_5_A,
} from '../fixture.js';

describe('lint: expressions', () => {
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

  it('rate-on-counter, quantile-on-buckets: a native histogram (k6 trends) is rated and read without le', async () => {
    const edits = new Edits().json(DASHBOARD, (d) => {
      // k6 series pick the run (load-run-filter): a run variable, and each selector on it.
      d.templating.list.push({ name: 'run', type: 'query', query: 'label_values(k6_vus, testrun_name)' });
      const k6 = 'k6_http_req_duration_seconds{testrun_name=~"$run"}';
      panel(d, 5).targets[0].expr = `histogram_quantile(0.95, sum by (testrun_name) (rate(${k6}[$__rate_interval])))`;
      panel(d, 5).fieldConfig.defaults.unit = 's';
      panel(d, 2).targets[0].expr = `histogram_quantile(0.95, rate(${k6}[$__rate_interval]))`;
      panel(d, 2).fieldConfig.defaults.unit = 's';
    });
    // Only the unaggregated quantile is flagged: rate() and the aggregation without le are right.
    const findings = only(await lint(edits, realCatalog), 'quantile-on-buckets');
    assert.deepEqual(
      findings.map((f) => f.object),
      [PANEL_2_A],
    );
    assert.match(findings[0]!.message, /must be an aggregation/);
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
});
