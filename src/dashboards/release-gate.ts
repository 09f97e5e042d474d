// Release gate: the one screen a release manager reads. Gate alerts' state and every SLO against
// its threshold, generated from the SLO definitions so a new SLO appears here by itself.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { promql } from '../promql/expr.js';
import { platform } from '../platform.js';
import { sloPanel } from './slo-panel.js';
import { slos } from '../slos/index.js';

const d = new Dashboard(platform, 'release-gate', {
  title: 'Release gate',
  description: 'Go/no-go view: gate alerts firing or pending, and each SLO against its threshold.',
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
