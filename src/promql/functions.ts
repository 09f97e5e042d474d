// Small typed builders for the query shapes dashboards repeat. They only assemble text; the lint
// re-parses every expression and checks types against the catalog.
import { re, type Histogram, type Matchers, type Selector } from '../catalog/types.js';
import { promql, type Expr, type Interpolable } from './expr.js';

/** Grafana picks a range at least four scrape intervals wide for the current zoom. */
export const RATE_INTERVAL = '$__rate_interval';

/** Restricts a query to the dashboard's `job` variable. */
export const JOB: { job: ReturnType<typeof re> } = { job: re('$job') };

const byClause = (labels: readonly string[]) => (labels.length ? `by (${labels.join(', ')}) ` : '');

/**
 * How a counter's growth over a window is read: per second (`rate`), extrapolated to the window's
 * edges (`increase`), or exactly as scraped (`observed`, see observedIncrease).
 */
export type Growth = 'rate' | 'increase' | 'observed';

/**
 * What a counter's series observably grew by in a window, per series: last minus first sample, or
 * minus 0 for a series born inside the window (it counted from 0 before its first scrape; the `or`
 * keeps every series, where `+ (min unless ...)` would drop all but the born ones).
 * increase() reads a series born mid-window from its first sample on, so a burst of errors that
 * creates its series and then stops counts as nothing: a short gate run would read that as clean.
 * A series counts as born in the window when it had no sample at the window's start (within the
 * lookback); a counter reset inside the window is not corrected (the run window holds no restart),
 * and a Prometheus started inside the window reads every series as born there: a count too high,
 * a verdict failing closed.
 */
export const observedIncrease = (counter: Selector, window: string): Expr =>
  promql`(max_over_time(${counter}[${window}]) - (min_over_time(${counter}[${window}]) and ${counter} offset ${window} or max_over_time(${counter}[${window}]) * 0))`;

const growth = (fn: Growth, s: Selector, window: string): Expr =>
  fn === 'observed' ? observedIncrease(s, window) : promql`${fn}(${s}[${window}])`;

/** `sum by (labels) (rate(selector[$__rate_interval]))` */
export const sumRate = (selector: Selector, by: readonly string[] = [], window = RATE_INTERVAL): Expr =>
  promql`sum ${byClause(by)}(rate(${selector}[${window}]))`;

/** `sum by (labels) (increase(selector[window]))` */
export const sumIncrease = (selector: Selector, by: readonly string[], window: string): Expr =>
  promql`sum ${byClause(by)}(increase(${selector}[${window}]))`;

/** A latency percentile over the dashboard's range, grouped by `by`. */
export const quantile = <L extends string>(
  q: number,
  histogram: Histogram<L>,
  by: readonly string[] = [],
  matchers: Matchers<L> = {},
): Expr =>
  promql`histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (rate(${histogram.bucket.select({ ...JOB, ...matchers })}[${RATE_INTERVAL}])))`;

/**
 * `(sum by (job) (rate(errors[w])) or sum by (job) (rate(total[w])) * 0) / sum by (job) (rate(total[w]))`:
 * the share of failing events, 0 when none fail (with no failing events the numerator has no series,
 * and the ratio would be absent, "No data", instead of 0 on a healthy service). `fn`: how the counters' growth is read.
 */
export const errorRatio = (
  errors: Selector,
  total: Selector,
  window: string,
  by: readonly string[] = ['job'],
  fn: Growth = 'rate',
): Expr => {
  const sum = (s: Selector) => promql`sum ${byClause(by)}(${growth(fn, s, window)})`;
  return promql`(${sum(errors)} or ${sum(total)} * 0) / ${sum(total)}`;
};

/** `histogram_quantile(q, sum by (by, le) (rate(buckets[w])))`: a percentile of a histogram's buckets. `fn`: how the buckets' growth is read. */
export const bucketQuantile = (
  q: number,
  buckets: Selector,
  window: string,
  by: readonly string[],
  fn: Growth = 'rate',
): Expr => promql`histogram_quantile(${q}, sum by (${[...by, 'le'].join(', ')}) (${growth(fn, buckets, window)}))`;

/**
 * `histogram_quantile(q, sum by (by) (histograms))`: one quantile over the sum of every native histogram
 * `histograms` yields (each k6 instance and scenario of a run), never the worst or an average of
 * per-series quantiles. The gate's verdict (over the run) and the release-gate dashboard (per rate
 * interval) both merge k6's trends through it.
 */
export const mergedNativeQuantile = (q: number, histograms: Interpolable, by: readonly string[] = []): Expr =>
  promql`histogram_quantile(${q}, sum ${byClause(by)}(${histograms}))`;
