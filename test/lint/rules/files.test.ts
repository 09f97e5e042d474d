// The lint's the rules over whole files: file-parse (the loader), unused recording rules, range windows, prometheus.yml.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  RECORDS,
  TESTS,
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

describe('lint: files', () => {
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
});
