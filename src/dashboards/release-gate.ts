// Release gate: the one screen a release manager reads. Gate alerts' state and every SLO against
// its threshold, generated from the SLO definitions so a new SLO appears here by itself.
import { metrics, re } from '../catalog/index.js';
import { K6_RUN_LABEL } from '../catalog/metrics.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { Alert, RUNBOOK_BASE_URL } from '../constructs/rules.js';
import { promql } from '../promql/expr.js';
import { mergedNativeQuantile, RATE_INTERVAL, sumRate } from '../promql/functions.js';
import { TREND_P95 } from '../load-contract/metrics.js';
import { APP_JOB, platform } from '../platform.js';
import { sloPanel } from './slo-panel.js';
import { slos } from '../slos/index.js';
import { packageProfiles } from '../cluster/profiles.js';

const d = new Dashboard(platform, 'release-gate', {
  title: 'Release gate',
  description:
    'Go/no-go view: gate alerts firing or pending, each SLO against its threshold, and what the load generator saw.',
  tags: ['release-gate'],
  defaultJob: APP_JOB,
  refresh: '10s',
  // k6-operator tags a TestRun's samples testrun_name=<TestRun>, stressgate load its runs testrun_name=<testid>.
  variables: [{ name: 'run', label: 'Load run', query: `label_values(${metrics.k6Vus.name}, ${K6_RUN_LABEL})` }],
});

const gate = { gate: 'release' } as const;
// The gate blocks on pending alerts as on firing ones (gateAlertsDuring, src/kernel/prometheus-client.ts).
const gateAlerts = metrics.alerts.select({ ...gate, alertstate: re('firing|pending') });

const alerts = new Row(d, 'alerts', { title: 'Gate alerts' });
new Panel(alerts, 'firing-count', {
  kind: 'stat',
  title: 'Gate alerts pending or firing',
  description:
    'Number of release-gating alerts pending or firing now; the gate blocks on either, so anything above 0 is a no-go.',
  unit: 'short',
  width: 6,
  thresholds: [{ value: 1, color: 'red' }],
  queries: [{ expr: promql`count(${gateAlerts}) or vector(0)`, legend: 'pending or firing', instant: true }],
});

/** Each gate alert's runbook section, as the text of its runbook cell (the link appends it to the base URL). */
const runbookTexts = () =>
  platform
    .findAll(Alert)
    .filter((a) => a.gate)
    .map((a) => ({ value: a.name, text: a.runbookUrl.slice(RUNBOOK_BASE_URL.length) }));

new Panel(alerts, 'alert-list', {
  kind: 'table',
  title: 'Gate alerts pending or firing',
  description:
    'Every release-gating alert that is pending or firing: its state, severity, job, since when, and its runbook.',
  unit: 'none',
  width: 18,
  queries: [
    {
      // ALERTS carries the state, ALERTS_FOR_STATE when the alert became active (seconds → ms for Grafana);
      // the alert name is copied into `runbook`, whose cell shows (and links to) the alert's runbook section.
      expr: promql`label_replace(${metrics.alerts.select(gate)} * ignoring (alertstate) group_left ${metrics.alertsForState.select(gate)} * 1000, "runbook", "$1", "alertname", "(.+)")`,
      instant: true,
    },
  ],
  table: {
    columns: [
      { field: 'alertname', title: 'Alert' },
      {
        field: 'alertstate',
        title: 'State',
        colored: true,
        texts: [
          { value: 'firing', text: 'firing', color: 'red' },
          { value: 'pending', text: 'pending', color: 'orange' },
        ],
      },
      {
        field: 'severity',
        title: 'Severity',
        colored: true,
        texts: [
          { value: 'critical', text: 'critical (pages)', color: 'red' },
          { value: 'warning', text: 'warning (ticket)', color: 'orange' },
          { value: 'info', text: 'info', color: 'blue' },
        ],
      },
      { field: 'job', title: 'Job' },
      { field: 'Value', title: 'Since', unit: 'dateTimeFromNow' },
      {
        field: 'runbook',
        title: 'Runbook',
        texts: runbookTexts,
        link: { title: 'Open the runbook section', url: `${RUNBOOK_BASE_URL}\${__value.text}` },
      },
    ],
  },
});

const objectives = new Row(d, 'slos', { title: 'SLOs' });
for (const slo of Object.values(slos)) sloPanel(objectives, slo.id, slo, { kind: 'stat', width: 8, height: 6 });

// What the load generator saw, from k6's remote write (stressgate load sets K6_PROMETHEUS_RW_SERVER_URL
// against the local stack, the TestRuns against the cluster's Prometheus). Each run is one testrun_name
// (the `run` variable picks them) and may be several instances (instance_id): every panel sums or
// merges over the instances, never shows one instance's view.
// The lint's load-run-filter holds every k6 query of every dashboard to it.
const RUN = { [K6_RUN_LABEL]: re('$run') } as const;
/** The check pass rate the gate requires: the profiles' (the strictest, should they ever differ). */
const minCheckPassRate = Math.max(...packageProfiles().map((p) => p.checks.minPassRate));
const percent = (r: number) => `${Math.round(r * 10000) / 100}%`;

const k6 = new Row(d, 'load-generator', { title: 'Load generator (k6)' });
new Panel(k6, 'k6-vus', {
  title: 'k6 virtual users',
  description: 'Virtual users k6 runs, per load run (testrun_name), summed over its instances.',
  unit: 'short',
  width: 8,
  queries: [{ expr: promql`sum by (testrun_name) (${metrics.k6Vus.select(RUN)})`, legend: '{{testrun_name}}' }],
});
new Panel(k6, 'k6-requests', {
  title: 'k6 requests by scenario',
  description: 'HTTP requests per second k6 sends, by run and scenario, summed over instances.',
  unit: 'reqps',
  width: 8,
  queries: [
    {
      expr: sumRate(metrics.k6HttpRequests.select(RUN), ['testrun_name', 'scenario']),
      legend: '{{testrun_name}} {{scenario}}',
    },
  ],
});
new Panel(k6, 'k6-latency-p95', {
  title: 'k6 p95 request latency',
  description:
    "p95 of every request's duration as k6 measured it, per run: one quantile over the merged native histograms of all its instances and scenarios, never the worst instance's: the merge the gate's verdict judges, which takes it over the whole run where this panel takes it per interval. The API latency SLO is judged on the server side above.",
  unit: 's',
  width: 8,
  queries: [
    {
      expr: mergedNativeQuantile(TREND_P95, promql`rate(${metrics.k6HttpDuration.select(RUN)}[${RATE_INTERVAL}])`, [
        K6_RUN_LABEL,
      ]),
      legend: '{{testrun_name}}',
    },
  ],
});
new Panel(k6, 'k6-iteration-errors', {
  title: 'k6 iterations that threw',
  description: 'Iterations per second whose flow threw, by run and scenario; the release gate requires none.',
  unit: 'ops',
  width: 8,
  thresholds: [{ value: 0.0001, color: 'red' }],
  queries: [
    {
      expr: sumRate(metrics.k6IterationErrors.select(RUN), ['testrun_name', 'scenario']),
      legend: '{{testrun_name}} {{scenario}}',
    },
  ],
});
new Panel(k6, 'k6-iterations', {
  title: 'k6 iterations by scenario',
  description: 'Scenario iterations per second k6 completes, by run and scenario.',
  unit: 'ops',
  width: 8,
  queries: [
    {
      expr: sumRate(metrics.k6Iterations.select(RUN), ['testrun_name', 'scenario']),
      legend: '{{testrun_name}} {{scenario}}',
    },
  ],
});
new Panel(k6, 'k6-checks', {
  title: 'k6 check pass rate by scenario',
  description: `Share of k6 checks passing, by run and scenario (the lowest check of any instance); the dashed line is the ${percent(minCheckPassRate)} the gate requires (the profiles' checks.minPassRate), red below it.`,
  unit: 'percentunit',
  width: 8,
  baseColor: 'red',
  thresholds: [{ value: minCheckPassRate, color: 'green' }],
  queries: [
    {
      expr: promql`min by (testrun_name, scenario) (${metrics.k6Checks.select(RUN)})`,
      legend: '{{testrun_name}} {{scenario}}',
    },
  ],
});
