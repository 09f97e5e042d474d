// Small typed builders for the query shapes dashboards repeat. They only assemble text; the lint
// re-parses every expression and checks types against the catalog.
import { re, type Histogram, type Matchers, type Selector } from '../catalog/types.js';
import { promql, type Expr } from './expr.js';

/** Grafana picks a range at least four scrape intervals wide for the current zoom. */
export const RATE_INTERVAL = '$__rate_interval';

/** Restricts a query to the dashboard's `job` variable. */
export const JOB: { job: ReturnType<typeof re> } = { job: re('$job') };

const byClause = (labels: readonly string[]) => (labels.length ? `by (${labels.join(', ')}) ` : '');

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
