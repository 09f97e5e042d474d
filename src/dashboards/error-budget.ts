// Error budget: for every SLO with a production objective, how much of the period's budget is left,
// how fast each alert window is burning it, and when it runs out at the last hour's pace. Built from
// the burn-rate recording rules, so the panels read what the burn-rate alerts read.
import { Dashboard, Panel, Row, type Threshold } from '../constructs/dashboard.js';
import { durationSeconds, promql } from '../promql/expr.js';
import { JOB } from '../promql/functions.js';
import { burnRateAlerts } from '../alerts/burn-rate.js';
import { burnRates } from '../slos/burn-rate-rules.js';
import { BURN_RATE_POLICY, BURN_RATE_WINDOWS, burnFactor } from '../slos/burn-rate.js';
import { APP_JOB, platform } from '../platform.js';

const d = new Dashboard(platform, 'error-budget', {
  title: 'Error budget',
  description:
    'Per SLO: the production error budget left over its period, the burn rate per alert window, and the time until the budget is gone.',
  tags: ['slo', 'error-budget'],
  defaultJob: APP_JOB,
  timeFrom: 'now-7d',
});

const DAY = 86_400;
const YEAR = 365 * DAY;

for (const { production, windows, period } of burnRates.values()) {
  const { slo, objective, budget } = production;
  const row = new Row(d, slo.id, { title: `${slo.props.title}: ${objective * 100}% good over ${production.period}` });
  const runbook = burnRateAlerts.find((a) => a.props.labels?.slo === slo.id)!;
  const links = [{ title: 'Runbook: error budget burn', url: runbook.runbookUrl }];
  // Burn factors of the alerts, as threshold lines: crossing one in both of its windows fires that alert.
  const factors: Threshold[] = BURN_RATE_POLICY.map((p, i) => ({
    value: burnFactor(p, production.period),
    color: (['dark-red', 'red', 'orange', 'yellow'] as const)[i]!,
  }));

  new Panel(row, `${slo.id}-budget-left`, {
    kind: 'stat',
    title: 'Budget left',
    description: `Share of the ${production.period} error budget (${budget * 100}% of events may be bad) not yet spent: 1 − the burn rate over the whole period. Below 0 the objective is missed.`,
    unit: 'percentunit',
    width: 6,
    baseColor: 'red',
    thresholds: [
      { value: 0, color: 'orange' },
      { value: 0.25, color: 'yellow' },
      { value: 0.5, color: 'green' },
    ],
    links,
    queries: [{ expr: promql`1 - max(${period.select(JOB)})`, legend: 'budget left' }],
  });
  new Panel(row, `${slo.id}-burn-rates`, {
    title: 'Burn rate per window',
    description: `Error ratio over each window divided by the budget: at 1× the budget lasts exactly ${production.period}. The lines are the alert factors (${factors.map((f) => `${f.value}×`).join(', ')}); an alert fires when both of its windows are above its factor.`,
    unit: 'short',
    width: 12,
    thresholds: factors.slice().sort((a, b) => a.value - b.value),
    links,
    queries: BURN_RATE_WINDOWS.map((w) => ({ expr: promql`max(${windows.get(w)!.select(JOB)})`, legend: w })),
  });
  new Panel(row, `${slo.id}-exhaustion`, {
    kind: 'stat',
    title: 'Time to exhaustion',
    description: `How long the budget left lasts if the last hour's burn rate continues: budget left × ${production.period} ÷ burn rate (1h), 0 when it is gone, capped at a year (nothing burning).`,
    unit: 's',
    width: 6,
    baseColor: 'red',
    thresholds: [
      { value: 2 * DAY, color: 'orange' },
      { value: 5 * DAY, color: 'yellow' },
      { value: 30 * DAY, color: 'green' },
    ],
    texts: [
      { value: 0, text: 'exhausted', color: 'red' },
      { value: YEAR, text: 'over a year', color: 'green' },
    ],
    links,
    // Not burning divides by 0: +Inf, clamped to the cap (shown as "over a year"); overspent is 0.
    queries: [
      {
        expr: promql`clamp((1 - max(${period.select(JOB)})) * ${durationSeconds(production.period)} / max(${windows.get('1h')!.select(JOB)}), 0, ${YEAR})`,
        legend: 'time to exhaustion',
      },
    ],
  });
}
