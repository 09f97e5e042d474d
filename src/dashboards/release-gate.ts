// Release gate: the one screen a release manager reads. Gate alerts' state and every SLO against
// its threshold, generated from the SLO definitions so a new SLO appears here by itself.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { Alert, RUNBOOK_BASE_URL } from '../constructs/rules.js';
import { promql } from '../promql/expr.js';
import { sumRate } from '../promql/functions.js';
import { APP_JOB, platform } from '../platform.js';
import { sloPanel } from './slo-panel.js';
import { slos } from '../slos/index.js';

const d = new Dashboard(platform, 'release-gate', {
  title: 'Release gate',
  description:
    'Go/no-go view: gate alerts firing or pending, each SLO against its threshold, and what the load generator saw.',
  tags: ['release-gate'],
  defaultJob: APP_JOB,
  refresh: '10s',
});

const gate = { gate: 'release' } as const;
const gateAlerts = metrics.alerts.select({ ...gate, alertstate: 'firing' });

const alerts = new Row(d, 'alerts', { title: 'Gate alerts' });
new Panel(alerts, 'firing-count', {
  kind: 'stat',
  title: 'Gate alerts firing',
  description: 'Number of release-gating alerts firing now; anything above 0 is a no-go.',
  unit: 'short',
  width: 6,
  thresholds: [{ value: 1, color: 'red' }],
  queries: [{ expr: promql`count(${gateAlerts}) or vector(0)`, legend: 'firing', instant: true }],
});

/** Each gate alert's runbook section, as the text of its runbook cell (the link appends it to the base URL). */
const runbookTexts = () =>
  platform
    .findAll(Alert)
    .filter((a) => a.props.gate)
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
// against the local stack). Per testid, so runs side by side stay apart.
const k6 = new Row(d, 'load-generator', { title: 'Load generator (k6)' });
new Panel(k6, 'k6-vus', {
  title: 'k6 virtual users',
  description: 'Virtual users k6 runs, per load run (testid).',
  unit: 'short',
  width: 8,
  queries: [{ expr: promql`sum by (testid) (${metrics.k6Vus})`, legend: '{{testid}}' }],
});
new Panel(k6, 'k6-requests', {
  title: 'k6 requests by scenario',
  description: 'HTTP requests per second k6 sends, by scenario.',
  unit: 'reqps',
  width: 8,
  queries: [{ expr: sumRate(metrics.k6HttpRequests.select(), ['scenario']), legend: '{{scenario}}' }],
});
new Panel(k6, 'k6-latency-p95', {
  title: 'k6 p95 request latency by scenario',
  description:
    "The slowest request name's p95 latency as k6 measured it, by scenario; the API latency SLO is judged on the server side above.",
  unit: 's',
  width: 8,
  queries: [{ expr: promql`max by (scenario) (${metrics.k6HttpDurationP95})`, legend: '{{scenario}}' }],
});
new Panel(k6, 'k6-iteration-errors', {
  title: 'k6 iterations that threw',
  description: 'Iterations per second whose flow threw, by scenario; the release gate requires none.',
  unit: 'ops',
  width: 8,
  thresholds: [{ value: 0.0001, color: 'red' }],
  queries: [{ expr: sumRate(metrics.k6IterationErrors.select(), ['scenario']), legend: '{{scenario}}' }],
});
new Panel(k6, 'k6-iterations', {
  title: 'k6 iterations by scenario',
  description: 'Scenario iterations per second k6 completes.',
  unit: 'ops',
  width: 8,
  queries: [{ expr: sumRate(metrics.k6Iterations.select(), ['scenario']), legend: '{{scenario}}' }],
});
new Panel(k6, 'k6-checks', {
  title: 'k6 check pass rate by scenario',
  description: 'Share of k6 checks passing, by scenario (the lowest check); profiles require 99%.',
  unit: 'percentunit',
  width: 8,
  queries: [{ expr: promql`min by (scenario) (${metrics.k6Checks})`, legend: '{{scenario}}' }],
});
