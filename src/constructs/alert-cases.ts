// Alert unit-test cases as typed data, and generators that build input series for a wanted
// value of a ratio or quantile, so an SLO alert's "fires" and "just below" cases follow its
// threshold instead of being hand-tuned numbers.
import type { Histogram, Selector } from '../catalog/types.js';
import { durationSeconds, formatNumber, type Duration } from '../promql/expr.js';

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
}

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

/** Series for `sum(rate(errors)) / sum(rate(total))` equal to `ratio`, out of 1000 events a minute. */
export function ratioSample(
  counter: Selector,
  errorLabels: Readonly<Record<string, string>>,
  okLabels: Readonly<Record<string, string>>,
  ratio: number,
): SeriesSample {
  const perMinute = 1000;
  return {
    inputs: [
      { series: seriesLiteral(counter.seriesName, errorLabels), values: ramp(perMinute * ratio) },
      { series: seriesLiteral(counter.seriesName, okLabels), values: ramp(perMinute * (1 - ratio)) },
    ],
    labels: { job: TEST_TARGET.job },
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
  return {
    inputs: les.map(([le, perMinute]) => ({
      series: seriesLiteral(histogram.bucket.seriesName, { ...labels, le }),
      values: ramp(perMinute),
    })),
    labels: { job: TEST_TARGET.job },
  };
}

/** Default eval time for an alert: after its window and `for` have both elapsed. */
export function evalTimeFor(window: Duration, hold: Duration | undefined): Duration {
  const seconds = durationSeconds(window) + (hold ? durationSeconds(hold) : 0) + 5 * 60;
  return `${Math.ceil(seconds / 60)}m`;
}
