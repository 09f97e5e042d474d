// Release gate: the one screen a release manager reads. Gate alerts' state and every SLO against
// its threshold, generated from the SLO definitions so a new SLO appears here by itself.
import { metrics } from '../catalog/index.js';
import { Dashboard, Panel, Row } from '../constructs/dashboard.js';
import { Alert, RUNBOOK_BASE_URL } from '../constructs/rules.js';
import { promql } from '../promql/expr.js';
import { APP_JOB, platform } from '../platform.js';
import { sloPanel } from './slo-panel.js';
import { slos } from '../slos/index.js';

const d = new Dashboard(platform, 'release-gate', {
  title: 'Release gate',
  description: 'Go/no-go view: gate alerts firing or pending, and each SLO against its threshold.',
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
  description: 'Every release-gating alert that is pending or firing: its state, severity, job, since when, and its runbook.',
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
      { field: 'runbook', title: 'Runbook', texts: runbookTexts, link: { title: 'Open the runbook section', url: `${RUNBOOK_BASE_URL}\${__value.text}` } },
    ],
  },
});

const objectives = new Row(d, 'slos', { title: 'SLOs' });
for (const slo of Object.values(slos)) sloPanel(objectives, slo.id, slo, { kind: 'stat', width: 8, height: 6 });
