// Multi-window burn-rate alerts for every SLO with a production objective: one alert per window
// pair of the policy (src/slos/burn-rate.ts), so each can be tested on its own and a page can
// inhibit the ticket of the same SLO (src/alerts/routing.ts). No `for`: the short window is what
// keeps a spike from paging and lets the alert reset soon after the burn stops.
import type { AlertCase, AlertCases, ExpectedCase } from '../constructs/alert-cases.js';
import { Alert, RuleGroup } from '../constructs/rules.js';
import { promql, formatNumber, type Duration } from '../promql/expr.js';
import { RuleFile } from '../constructs/rule-file.js';
import { platform, SCRAPE_INTERVAL } from '../platform.js';
import { burnRates, type SloBurnRates } from '../slos/burn-rate-rules.js';
import {
  BURN_RATE_POLICY,
  burnFactor,
  burnRatePolicyProblems,
  exhaustionText,
  type BurnRatePolicy,
} from '../slos/burn-rate.js';

// Their own file: their tests feed the recorded burn rates directly, so they load no recording rules.
const file = new RuleFile(platform, 'slo-burn-rate-alerts', {
  source: 'src/alerts/burn-rate.ts',
  testEvaluationInterval: '1m',
  alertCasesInOneGroup: true,
});
const group = new RuleGroup(file, 'slo-burn-rate-alerts');
// One check per period in use (every SLO here has 30d): the policy serves them all.
group.addValidation(() =>
  [...new Set([...burnRates.values()].map((b) => b.production.period))].flatMap((period) =>
    burnRatePolicyProblems(BURN_RATE_POLICY, period, SCRAPE_INTERVAL),
  ),
);

/** Test values sit 1% either side of the factor: close enough to prove the comparison in each window. */
const ABOVE = 1.01;
const BELOW = 0.99;

/** `http-5xx-ratio` → `Http5xxRatio`. */
const pascal = (id: string) =>
  id
    .split('-')
    .map((w) => w[0]!.toUpperCase() + w.slice(1))
    .join('');

/** Traffic of every case, as a multiple of the SLO's minimum; the low-traffic case has 0.75× it. */
const TRAFFIC = 1.5;
const LOW_TRAFFIC = 0.75;

/**
 * Burn rates and the long window's event rate fed straight into the recorded series at one instant:
 * the windows' own tests are in src/slos/burn-rate-rules.ts.
 */
function burnCase(
  title: string,
  rates: SloBurnRates,
  policy: BurnRatePolicy,
  long: number,
  short: number,
  traffic = TRAFFIC,
): AlertCase {
  const series = (w: Duration) => `${rates.windows.get(w)!.record}{job="api"}`;
  const min = rates.production.slo.minTraffic;
  return {
    title,
    inputs: [
      { series: series(policy.long), values: formatNumber(long) },
      { series: series(policy.short), values: formatNumber(short) },
      { series: `${rates.traffic.get(policy.long)!.record}{job="api"}`, values: formatNumber(min * traffic) },
    ],
    evalTime: '0s',
    value: long,
    labels: { job: 'api' },
  };
}

export function burnRateCases(rates: SloBurnRates, policy: BurnRatePolicy): AlertCases {
  const f = burnFactor(policy, rates.production.period);
  const [above, below] = [f * ABOVE, f * BELOW];
  const { long, short } = policy;
  const more = (expect: ExpectedCase['expect'], c: AlertCase): ExpectedCase => ({ ...c, expect });
  return {
    fires: burnCase(
      `${f}×: ${long} at ${formatNumber(above)}, ${short} at ${formatNumber(above)}`,
      rates,
      policy,
      above,
      above,
    ),
    quiet: burnCase(
      `${f}×: ${long} just below at ${formatNumber(below)}, ${short} above at ${formatNumber(above)}`,
      rates,
      policy,
      below,
      above,
    ),
    more: [
      more(
        'quiet',
        burnCase(
          `${f}×: ${long} above at ${formatNumber(above)}, ${short} just below at ${formatNumber(below)}`,
          rates,
          policy,
          above,
          below,
        ),
      ),
      more('quiet', burnCase(`${f}×: both windows exactly at the factor`, rates, policy, f, f)),
      more(
        'quiet',
        burnCase(
          `${f}×: both windows above, on ${LOW_TRAFFIC}× the minimum traffic over ${long}`,
          rates,
          policy,
          above,
          above,
          LOW_TRAFFIC,
        ),
      ),
    ],
  };
}

function burnRateAlert(rates: SloBurnRates, policy: BurnRatePolicy): Alert {
  const { slo, period, objective } = rates.production;
  const f = burnFactor(policy, period);
  const long = rates.windows.get(policy.long)!;
  const short = rates.windows.get(policy.short)!;
  const action = policy.severity === 'critical' ? 'page' : 'ticket';
  return new Alert(group, {
    name: `${pascal(slo.id)}BudgetBurn${policy.long}`,
    // Too few events over the long window for a share of them to mean anything: no page, no ticket.
    expr: promql`${long} > ${f} and ${short} > ${f} and on (job) ${rates.traffic.get(policy.long)!} > ${slo.minTraffic}`,
    severity: policy.severity,
    gate: false,
    summary: `${slo.props.title} burns its ${period} error budget at over ${f}× the sustainable rate (${action}).`,
    description:
      `Job {{ $labels.job }} burns the ${slo.id} error budget (${formatNumber(objective * 100)}% good over ${period}) at {{ $value | humanize }}× the sustainable rate over ${policy.long}, ` +
      `and above ${f}× over ${policy.short}: ${formatNumber(policy.budgetShare * 100)}% of the budget gone in ${policy.long}; at ${f}× all of it in ${exhaustionText(f, period)}.`,
    labels: { slo: slo.id, long: policy.long, short: policy.short },
    runbookSection: 'errorbudgetburn',
    tests: burnRateCases(rates, policy),
  });
}

export const burnRateAlerts: readonly Alert[] = [...burnRates.values()].flatMap((rates) =>
  BURN_RATE_POLICY.map((policy) => burnRateAlert(rates, policy)),
);
