// Release gate: the one screen a release manager reads. Gate alerts' state and every SLO against
// its threshold, generated from the SLO definitions so a new SLO appears here by itself.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { promql } from '../promql/expr.js';
import { sumRate } from '../promql/functions.js';
import { platform } from '../platform.js';
import { sloPanel } from './slo-panel.js';
import { slos } from '../slos/index.js';

const d = new Dashboard(platform, 'release-gate', {
  title: 'Release gate',
  description: 'Go/no-go view: gate alerts firing or pending, each SLO against its threshold, and what the load generator saw.',
  tags: ['release-gate'],
  refresh: '10s',
});

const gateAlerts = metrics.alerts.select({ gate: 'release', alertstate: 'firing' });

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
new Panel(alerts, 'alert-list', {
  kind: 'table',
  title: 'Gate alerts pending or firing',
  description: 'Every release-gating alert that is pending or firing, with its labels.',
  unit: 'none',
  width: 18,
  queries: [{ expr: promql`${metrics.alerts.select({ gate: 'release' })}`, legend: '{{alertname}}', instant: true }],
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
  description: 'The slowest request name\'s p95 latency as k6 measured it, by scenario; the API latency SLO is judged on the server side above.',
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
