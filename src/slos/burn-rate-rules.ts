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
import {
  BURN_RATE_POLICY,
  BURN_RATE_WINDOWS,
  burnRateRecord,
  eventRateRecord,
  productionSlo,
  type ProductionSlo,
} from './burn-rate.js';
import {
  expectedBurnRate,
  expectedEventRate,
  history,
  historyMinutes,
  historySeries,
  type IdleGap,
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

/**
 * The share of bad events over `w`, divided by the budget: `rate` for the alert windows (events per
 * second), `increase` for the period (events; the same ratio, read as "errors over total").
 */
function burnRateExpr(
  events: SliEvents,
  threshold: number,
  w: Duration,
  budget: number,
  fn: 'rate' | 'increase' = 'rate',
): Expr {
  if (events.kind === 'ratio') {
    const { errors, total } = events;
    // `or ... * 0`: no failing events is a burn rate of 0, not an absent series.
    return promql`(sum by (job) (${fn}(${errors}[${w}])) or sum by (job) (${fn}(${total}[${w}])) * 0) / sum by (job) (${fn}(${total}[${w}])) / ${budget}`;
  }
  const { histogram, matchers } = events;
  const all = histogram.count.select(matchers);
  const good = histogram.bucket.select({ ...matchers, le: formatNumber(threshold) });
  return promql`(sum by (job) (${fn}(${all}[${w}])) - sum by (job) (${fn}(${good}[${w}]))) / sum by (job) (${fn}(${all}[${w}])) / ${budget}`;
}

/** The SLI's events per second over `w`, per job: what the burn-rate alerts' minimum-traffic guard reads. */
function eventRateExpr(events: SliEvents, w: Duration): Expr {
  const total = events.kind === 'ratio' ? events.total : events.histogram.count.select(events.matchers);
  return promql`sum by (job) (rate(${total}[${w}]))`;
}

export interface SloBurnRates {
  readonly production: ProductionSlo;
  /** The recorded burn rate per alert window. */
  readonly windows: ReadonlyMap<Duration, RecordingRule>;
  /** The burn rate over the whole period: 1 means the budget is exactly spent. */
  readonly period: RecordingRule;
  /** The SLI's events per second over each long alert window (the minimum-traffic guard). */
  readonly traffic: ReadonlyMap<Duration, RecordingRule>;
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
  // The period's burn rate from the counters' increase over the whole period: bad events over all
  // events, weighted by events (pyrra's method). Not the time-average of the 5m burn rate (Sloth's):
  // that is NaN for the whole period after any 5 minutes without traffic (0/0), which the staging
  // VM has between every two gate runs, and weights a quiet night like a busy day.
  const p = production.period;
  const period = new RecordingRule(periods, `${slo.id}-burn-rate-${p}`, {
    record: burnRateRecord(slo, p),
    unit: 'count',
    window: p,
    expr: burnRateExpr(events, slo.threshold, p, production.budget, 'increase'),
  });
  const traffic = new Map(
    [...new Set(BURN_RATE_POLICY.map((p) => p.long))].map((w) => [
      w,
      new RecordingRule(windows, `${slo.id}-event-rate-${w}`, {
        record: eventRateRecord(slo, w),
        unit: 'count',
        window: w,
        expr: eventRateExpr(events, w),
      }),
    ]),
  );
  return { production, windows: rates, period, traffic };
}

/**
 * Hours without a single event in the period's test history (ages in minutes): the last 6 hours, as
 * between two gate runs, and half a day ten days back. The 5m burn rate is NaN (0/0) through both.
 */
const PERIOD_IDLE: readonly IdleGap[] = [
  [0, 6 * 60],
  [10 * 24 * 60, 10 * 24 * 60 + 12 * 60],
];
const idleText = ([from, to]: IdleGap) =>
  from === 0 ? `for the last ${(to - from) / 60}h` : `for ${(to - from) / 60}h from ${from / 60 / 24}d ago`;

const checkOf = (record: string, expected: number) => ({
  expr: `abs(${record} - ${formatNumber(expected)}) < bool ${formatNumber(expected * 1e-9)}`,
  labels: '{job="api"}',
  value: 1,
});

/**
 * Every recorded window checked against the value the history gives it (relative tolerance 1e-9),
 * all SLOs in one test group each: the alert windows from raw counters over a week sampled every
 * minute; the period from the same counters over two months sampled hourly (each counter's increase
 * over a window that starts on a sample is exact), with idle gaps in which no events flow at all.
 */
function windowTests(all: readonly SloBurnRates[]): ExprTest[] {
  const week = history(BURN_RATE_WINDOWS);
  const months = history(
    all.map((r) => r.period.window!),
    60,
    PERIOD_IDLE,
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
      checks: all.flatMap((r) => [
        ...[...r.windows.values()].map((rule) =>
          checkOf(rule.record, expectedBurnRate(week, rule.window!, r.production.budget)),
        ),
        ...[...r.traffic.values()].map((rule) => checkOf(rule.record, expectedEventRate(week, rule.window!))),
      ]),
    }),
    new ExprTest(sloBurnRateFile, 'periods', {
      title: `burn rates over each SLO's period: bad events fall and traffic rises with age at the period, its half and its double; no events at all ${PERIOD_IDLE.map(idleText).join(' and ')}`,
      interval: '60m',
      inputs: all.flatMap((r) => historySeries(r.production.slo.sli.events!, r.production.slo.threshold, months)),
      evalTime: `${historyMinutes(months)}m`,
      checks: all.map((r) => checkOf(r.period.record, expectedBurnRate(months, r.period.window!, r.production.budget))),
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
