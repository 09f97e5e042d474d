// Alert unit-test cases as typed data, and generators that build input series for a wanted
// value of a ratio or quantile, so an SLO alert's "fires" and "just below" cases follow its
// threshold instead of being hand-tuned numbers.
import type { Histogram, Selector } from '../catalog/types.js';
import { durationSeconds, formatNumber, type Duration } from '../promql/expr.js';
import { counterValues, type AlertScenario, type ShareSampler, type StepCounts } from './alert-timeline.js';

/** One `input_series` entry: a series literal and promtool's expanding notation (`0+5x30`). */
export interface InputSeries {
  readonly series: string;
  readonly values: string;
}

export interface AlertCase {
  /** What the case demonstrates, e.g. "5xx ratio at 0.55% for 20m". */
  readonly title: string;
  readonly interval?: Duration;
  readonly inputs: readonly InputSeries[];
  readonly evalTime: Duration;
  /** The expression's value at evalTime (fires cases): renders the expected description. */
  readonly value?: number;
  /** Labels the expression yields, besides the alert's own labels (fires cases). */
  readonly labels?: Readonly<Record<string, string>>;
}

/** A further case that must fire or stay quiet: both windows of a burn rate, the edge of a `for`. */
export interface ExpectedCase extends AlertCase {
  readonly expect: 'fires' | 'quiet';
}

export interface AlertCases {
  readonly fires: AlertCase;
  readonly quiet: AlertCase;
  /** Boundary cases beyond the two required ones, each rendered as its own test group. */
  readonly more?: readonly ExpectedCase[];
  /** States over time: when the alert turns pending, fires and resolves (thresholds, windows, `for`). */
  readonly scenarios?: readonly AlertScenario[];
}

/** A case that is one moment: eval time 0s and one sample per series (cases of one test group, a step each). */
export const isInstant = (c: AlertCase): boolean =>
  c.evalTime === '0s' && c.inputs.every((s) => /^-?\d+(\.\d+)?(e[+-]?\d+)?$/.test(s.values));

/** Labels every test series carries, as a scrape of the platform's API would add them. */
export const TEST_TARGET = { job: 'api', instance: 'api:8080' } as const;

/** Samples at one-minute steps: covers the longest window plus the longest `for` plus margin. */
export const TEST_STEPS = 40;

export function seriesLiteral(name: string, labels: Readonly<Record<string, string>>): string {
  const all = { ...TEST_TARGET, ...labels };
  const body = Object.entries(all)
    .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
    .join(', ');
  return `${name}{${body}}`;
}

/** A counter increasing by `perMinute` each step. */
export const ramp = (perMinute: number, steps = TEST_STEPS): string => `0+${formatNumber(perMinute)}x${steps}`;

export interface SeriesSample {
  readonly inputs: readonly InputSeries[];
  /** Labels the generated series leave on the aggregated result. */
  readonly labels: Readonly<Record<string, string>>;
}

/**
 * Series for `sum(rate(errors)) / sum(rate(total))` equal to `ratio`, out of `perMinute` (1000) events a minute.
 * `excluded` label sets (events the rule leaves out, e.g. probes answering 503) get as many events,
 * all of them failures: counted anywhere they should not be, they move the ratio far off.
 */
export function ratioSample(
  counter: Selector,
  errorLabels: Readonly<Record<string, string>>,
  okLabels: Readonly<Record<string, string>>,
  ratio: number,
  excluded: readonly Readonly<Record<string, string>>[] = [],
  { perMinute = 1000 }: { readonly perMinute?: number } = {},
): SeriesSample {
  return {
    inputs: [
      { series: seriesLiteral(counter.seriesName, errorLabels), values: ramp(perMinute * ratio) },
      { series: seriesLiteral(counter.seriesName, okLabels), values: ramp(perMinute * (1 - ratio)) },
      ...excluded.map((labels) => ({ series: seriesLiteral(counter.seriesName, labels), values: ramp(perMinute) })),
    ],
    labels: { job: TEST_TARGET.job },
  };
}

/** The same ratio SLI driven step by step: bad events on the error series, good ones on the ok series. */
export function ratioShares(
  counter: Selector,
  errorLabels: Readonly<Record<string, string>>,
  okLabels: Readonly<Record<string, string>>,
): ShareSampler {
  return {
    critical: (threshold) => threshold,
    series: (steps: readonly StepCounts[]) => ({
      inputs: [
        { series: seriesLiteral(counter.seriesName, errorLabels), values: counterValues(steps.map((s) => s.bad)) },
        { series: seriesLiteral(counter.seriesName, okLabels), values: counterValues(steps.map((s) => s.good)) },
      ],
      labels: { job: TEST_TARGET.job },
    }),
  };
}

/**
 * A latency quantile driven step by step: good events in the first bucket, bad ones in the bucket
 * just above the threshold, so the quantile exceeds the threshold exactly when the bad share exceeds
 * 1 - q. Needs the threshold on a bucket boundary (the catalog puts SLO thresholds there).
 */
export function quantileShares(
  histogram: Histogram,
  labels: Readonly<Record<string, string>>,
  q: number,
): ShareSampler {
  const bounds = histogram.spec.buckets;
  return {
    critical: () => 1 - q,
    series: (steps: readonly StepCounts[], threshold: number) => {
      const hi = bounds.find((b) => b > threshold);
      if (!bounds.includes(threshold) || hi === undefined || bounds[0]! > threshold) {
        throw new Error(
          `${histogram.name}: the threshold ${threshold} must be one of its bucket bounds, below the last (${bounds.join(', ')})`,
        );
      }
      const inBucket = (le: number) => steps.map((s) => (le >= bounds[0]! ? s.good : 0) + (le >= hi ? s.bad : 0));
      return {
        inputs: [
          ...bounds.map((b) => [formatNumber(b), inBucket(b)] as const),
          ['+Inf', steps.map((s) => s.good + s.bad)] as const,
        ].map(([le, inc]) => ({
          series: seriesLiteral(histogram.bucket.seriesName, { ...labels, le }),
          values: counterValues(inc),
        })),
        labels: { job: TEST_TARGET.job },
      };
    },
  };
}

/**
 * Bucket series whose `histogram_quantile(q, ...)` is exactly `value`. histogram_quantile
 * interpolates linearly inside the bucket (lo, hi] holding the q-rank, so we choose the cumulative
 * counts at lo and hi that put the rank at the wanted point: with t = (value-lo)/(hi-lo), either a
 * share f = (q-t)/(1-t) of events sits at or below lo (when t <= q), or a share q/t of events sits
 * at or below hi with none below lo (when t > q).
 */
export function quantileSample(
  histogram: Histogram,
  labels: Readonly<Record<string, string>>,
  q: number,
  value: number,
  excluded: readonly Readonly<Record<string, string>>[] = [],
): SeriesSample {
  const bounds = histogram.spec.buckets;
  const hiIndex = bounds.findIndex((b) => b >= value);
  if (hiIndex <= 0) {
    throw new Error(
      `${histogram.name}: cannot build test buckets for ${value}: it must lie above the first bucket (${bounds[0]}) and at most the last (${bounds.at(-1)})`,
    );
  }
  const lo = bounds[hiIndex - 1]!;
  const hi = bounds[hiIndex]!;
  const t = (value - lo) / (hi - lo);
  const total = 1000;
  const [atLo, atHi] = t <= q ? [(total * (q - t)) / (1 - t), total] : [0, (total * q) / t];
  const cumulative = (le: number) => (le < lo ? 0 : le === lo ? atLo : le === hi ? atHi : total);
  const les = [...bounds.map((b) => [formatNumber(b), cumulative(b)] as const), ['+Inf', total] as const];
  // Excluded label sets (probes, ...) observe as often, every observation slower than the last bound.
  const slow = (le: string) => (le === '+Inf' ? total : 0);
  return {
    inputs: [
      ...les.map(([le, perMinute]) => ({
        series: seriesLiteral(histogram.bucket.seriesName, { ...labels, le }),
        values: ramp(perMinute),
      })),
      ...excluded.flatMap((ex) =>
        les.map(([le]) => ({
          series: seriesLiteral(histogram.bucket.seriesName, { ...ex, le }),
          values: ramp(slow(le)),
        })),
      ),
    ],
    labels: { job: TEST_TARGET.job },
  };
}

/** Default eval time for an alert: after its window and `for` have both elapsed. */
export function evalTimeFor(window: Duration, hold: Duration | undefined): Duration {
  const seconds = durationSeconds(window) + (hold ? durationSeconds(hold) : 0) + 5 * 60;
  return `${Math.ceil(seconds / 60)}m`;
}
