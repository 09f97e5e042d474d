// Burn rates of every SLO that has a production objective, over each alert window and over its
// whole period, recorded from the same events as the gate SLI (same selectors, same route filter).
// They live in infra/prometheus/slo-burn-rate.yml with the burn-rate alerts; the tests beside them
// feed a months-long history and check each window's value exactly.
import { ExprTest, RuleFile } from '../constructs/rule-file.js';
import { RecordingRule, RuleGroup, type SliEvents } from '../constructs/rules.js';
import type { Slo } from '../constructs/slo.js';
import { DefinitionError } from '../constructs/construct.js';
import { durationSeconds, formatNumber, promql, type Duration, type Expr } from '../promql/expr.js';
import { platform } from '../platform.js';
import { slos } from '../slos/index.js';
import { BURN_RATE_WINDOWS, burnRateRecord, productionSlo, type ProductionSlo } from '../slos/burn-rate.js';
import { expectedBurnRate, history, historyMinutes, historySeries } from './burn-rate-cases.js';

/** promtool's evaluation step for the burn-rate tests: both histories end on a multiple of it. */
const TEST_STEP: Duration = '6d';

export const sloBurnRateFile = new RuleFile(platform, 'slo-burn-rate', {
  source: 'src/recording-rules/burn-rate.ts',
  // The tests check values at the end of a 6-day and a 60-day history; the rules only need to be
  // evaluated there (they read raw samples), and every promtool evaluation step costs.
  testEvaluationInterval: TEST_STEP,
});

const windows = new RuleGroup(sloBurnRateFile, 'slo-burn-rates');
// The period's burn rate reads a month of raw samples: every 5 minutes is plenty for a budget.
const periods = new RuleGroup(sloBurnRateFile, 'slo-error-budget', { interval: '5m' });

/** The share of bad events over `w`, divided by the budget. */
function burnRateExpr(events: SliEvents, threshold: number, w: Duration, budget: number): Expr {
  if (events.kind === 'ratio') {
    const { errors, total } = events;
    // `or ... * 0`: no failing events is a burn rate of 0, not an absent series.
    return promql`(sum by (job) (rate(${errors}[${w}])) or sum by (job) (rate(${total}[${w}])) * 0) / sum by (job) (rate(${total}[${w}])) / ${budget}`;
  }
  const { histogram, matchers } = events;
  const all = histogram.count.select(matchers);
  const good = histogram.bucket.select({ ...matchers, le: formatNumber(threshold) });
  return promql`(sum by (job) (rate(${all}[${w}])) - sum by (job) (rate(${good}[${w}]))) / sum by (job) (rate(${all}[${w}])) / ${budget}`;
}

export interface SloBurnRates {
  readonly production: ProductionSlo;
  /** The recorded burn rate per alert window. */
  readonly windows: ReadonlyMap<Duration, RecordingRule>;
  /** The burn rate over the whole period: 1 means the budget is exactly spent. */
  readonly period: RecordingRule;
}

function recordBurnRates(slo: Slo): SloBurnRates | undefined {
  const production = productionSlo(slo);
  if (!production) return undefined;
  const events = slo.sli.events!;
  const rule = (group: RuleGroup, w: Duration) =>
    new RecordingRule(group, `${slo.id}-burn-rate-${w}`, {
      record: burnRateRecord(slo, w),
      unit: 'count',
      window: w,
      expr: burnRateExpr(events, slo.threshold, w, production.budget),
    });
  const rates = { production, windows: new Map(BURN_RATE_WINDOWS.map((w) => [w, rule(windows, w)])), period: rule(periods, production.period) };
  return rates;
}

/**
 * Every recorded window checked against the value the history gives it (relative tolerance 1e-9),
 * all SLOs in one test group: the alert windows on a week sampled every minute, the period on two
 * months sampled hourly (promtool refuses queries over 50,000 samples).
 */
function windowTests(all: readonly SloBurnRates[]): ExprTest[] {
  const test = (id: string, title: string, rulesOf: (r: SloBurnRates) => readonly RecordingRule[], sampleMinutes: number) => {
    const histories = all.map((r) => ({ rates: r, rules: rulesOf(r), h: history(rulesOf(r).map((rule) => rule.window!), sampleMinutes) }));
    const end = historyMinutes(histories[0]!.h);
    if (histories.some(({ h }) => historyMinutes(h) !== end) || (end * 60) % durationSeconds(TEST_STEP) !== 0) {
      throw new DefinitionError(sloBurnRateFile.path, 'tests', `the ${id} histories must all end at one multiple of ${TEST_STEP}`);
    }
    return new ExprTest(sloBurnRateFile, id, {
      title,
      interval: `${sampleMinutes}m`,
      inputs: histories.flatMap(({ rates, h }) => historySeries(rates.production.slo.sli.events!, rates.production.slo.threshold, h)),
      evalTime: `${end}m`,
      checks: histories.flatMap(({ rates, rules, h }) =>
        rules.map((r) => {
          const expected = expectedBurnRate(h, r.window!, rates.production.budget);
          return { expr: `abs(${r.record} - ${formatNumber(expected)}) < bool ${formatNumber(expected * 1e-9)}`, labels: '{job="api"}', value: 1 };
        }),
      ),
    });
  };
  return [
    test('windows', `burn rates over ${BURN_RATE_WINDOWS.join(', ')}: the error share falls with age in steps at every window, its half and its double`, (r) => [...r.windows.values()], 1),
    test('periods', 'burn rates over each SLO period: the error share falls with age in steps at the period, its half and its double', (r) => [r.period], 60),
  ];
}

/** Burn-rate rules by SLO id, for the alerts and the error-budget dashboard. */
export const burnRates: ReadonlyMap<string, SloBurnRates> = new Map(
  Object.values(slos).flatMap((slo) => {
    const rates = recordBurnRates(slo);
    return rates ? [[slo.id, rates] as const] : [];
  }),
);
windowTests([...burnRates.values()]);
