// Burn rates of every SLO that has a production objective, over each alert window and over its
// whole period, recorded from the same events as the gate SLI (same selectors, same route filter).
// They live in infra/prometheus/slo-burn-rate.yml; the tests beside them feed a stepped history and
// check each window's value exactly.
import { DefinitionError } from '../constructs/construct.js';
import { ExprTest, RuleFile } from '../constructs/rule-file.js';
import { RecordingRule, RuleGroup, type SliEvents } from '../constructs/rules.js';
import type { Slo } from '../constructs/slo.js';
import { durationSeconds, formatNumber, promql, type Duration, type Expr } from '../promql/expr.js';
import { platform } from '../platform.js';
import { slos } from './index.js';
import { BURN_RATE_WINDOWS, burnRateRecord, productionSlo, type ProductionSlo } from './burn-rate.js';
import {
  expectedBurnRate,
  expectedMean,
  history,
  historyMinutes,
  historySeries,
  steppedValues,
} from './burn-rate-cases.js';

/** promtool's evaluation step for the burn-rate tests: both histories end on a multiple of it. */
const TEST_STEP: Duration = '6d';

export const sloBurnRateFile = new RuleFile(platform, 'slo-burn-rate', {
  source: 'src/slos/burn-rate-rules.ts',
  // The tests check values at the end of a 6-day and a 60-day history; the rules only need to be
  // evaluated there (they read raw samples), and every promtool evaluation step costs.
  testEvaluationInterval: TEST_STEP,
});

const windows = new RuleGroup(sloBurnRateFile, 'slo-burn-rates');
const periods = new RuleGroup(sloBurnRateFile, 'slo-error-budget');

/** The short window whose time-average over the period is the period's burn rate. */
const PERIOD_BASE: Duration = '5m';

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
  const rates = new Map(
    BURN_RATE_WINDOWS.map((w) => [
      w,
      new RecordingRule(windows, `${slo.id}-burn-rate-${w}`, {
        record: burnRateRecord(slo, w),
        unit: 'count',
        window: w,
        expr: burnRateExpr(events, slo.threshold, w, production.budget),
      }),
    ]),
  );
  // The period's burn rate as the time-average of the 5-minute one (Sloth's method): it reads one
  // recorded series per job instead of a month of raw samples at every evaluation, and is exact
  // when traffic is even over the period.
  const p = production.period;
  const period = new RecordingRule(periods, `${slo.id}-burn-rate-${p}`, {
    record: burnRateRecord(slo, p),
    unit: 'count',
    window: p,
    expr: promql`avg_over_time(${rates.get(PERIOD_BASE)!}[${p}])`,
  });
  return { production, windows: rates, period };
}

const checkOf = (record: string, expected: number) => ({
  expr: `abs(${record} - ${formatNumber(expected)}) < bool ${formatNumber(expected * 1e-9)}`,
  labels: '{job="api"}',
  value: 1,
});

/**
 * Every recorded window checked against the value the history gives it (relative tolerance 1e-9),
 * all SLOs in one test group each: the alert windows from raw counters over a week sampled every
 * minute; the period from the 5-minute burn rate over two months sampled hourly.
 */
function windowTests(all: readonly SloBurnRates[]): ExprTest[] {
  const week = history(BURN_RATE_WINDOWS);
  const months = history(
    all.map((r) => r.period.window!),
    60,
  );
  for (const h of [week, months]) {
    if ((historyMinutes(h) * 60) % durationSeconds(TEST_STEP) !== 0)
      throw new DefinitionError(sloBurnRateFile, 'tests', `a test history must end on a multiple of ${TEST_STEP}`);
  }
  return [
    new ExprTest(sloBurnRateFile, 'windows', {
      title: `burn rates over ${BURN_RATE_WINDOWS.join(', ')}: bad events fall and traffic rises with age, in steps at every window, its half and its double`,
      interval: '1m',
      inputs: all.flatMap((r) => historySeries(r.production.slo.sli.events!, r.production.slo.threshold, week)),
      evalTime: `${historyMinutes(week)}m`,
      checks: all.flatMap((r) =>
        [...r.windows.values()].map((rule) =>
          checkOf(rule.record, expectedBurnRate(week, rule.window!, r.production.budget)),
        ),
      ),
    }),
    new ExprTest(sloBurnRateFile, 'periods', {
      title: `burn rates over each SLO's period: the ${PERIOD_BASE} burn rate steps down with age at the period, its half and its double`,
      interval: '60m',
      inputs: all.map((r) => ({
        series: `${r.windows.get(PERIOD_BASE)!.record}{job="api"}`,
        values: steppedValues(months),
      })),
      evalTime: `${historyMinutes(months)}m`,
      checks: all.map((r) => checkOf(r.period.record, expectedMean(months, r.period.window!))),
    }),
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
