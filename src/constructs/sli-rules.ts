// The SLI recording rules: an error ratio and a latency quantile, each with the series generators,
// the events and the other-window rebuilds that SLOs, alert tests and the gate verdict need.
import { z } from 'zod';
import { Selector, type Histogram, type Matchers } from '../catalog/types.js';
import { promql, type Duration, type Expr } from '../promql/expr.js';
import { bucketQuantile, errorRatio, observedIncrease } from '../promql/functions.js';
import { quantileSample, quantileShares, ratioSample, ratioShares } from './alert-cases.js';
import { number } from './props.js';
import { RecordingRule, type RuleGroup } from './rules.js';

/**
 * Events a counter observed in a window, exactly (observedIncrease): increase() extrapolates to the
 * window's edges, which inflates a count by up to a scrape interval's worth, and misses what a series
 * born inside the window counted before its first scrape. The window's value reads the same growth,
 * so the value and its event count always describe the same events.
 */
const observedDelta = (counter: Selector, w: Duration): Expr => promql`sum by (job) (${observedIncrease(counter, w)})`;

/**
 * A job the SLI's tests feed alongside the app's when its selectors are scoped to a job: the same
 * series from another service of a shared Prometheus, all of them bad, must leave every result alone
 * (a dropped job filter then shows as a result for this job, and the mutation pass sees it killed).
 */
export const OTHER_JOB = 'another-service';
const otherJob = (
  selector: { readonly matchers: Readonly<Record<string, unknown>> },
  labels: Record<string, string>,
) => ('job' in selector.matchers ? [{ ...labels, job: OTHER_JOB }] : []);

/** The excluded label sets with the other job's added once (an imported SLO may list it already). */
const withOtherJob = (excluded: readonly Record<string, string>[], other: readonly Record<string, string>[]) => {
  const key = (l: Record<string, string>) => JSON.stringify(Object.entries(l).sort());
  const have = new Set(excluded.map(key));
  return [...excluded, ...other.filter((o) => !have.has(key(o)))];
};

/** `sum by (job) (rate(errors[w])) / sum by (job) (rate(total[w]))`: the share of failing events, 0 when none fail. */
export function ratioRule(
  group: RuleGroup,
  id: string,
  props: {
    record: string;
    errors: Selector;
    total: Selector;
    window: Duration;
    /**
     * Concrete label sets matching `errors` and not, used to generate test series; `excluded`: label
     * sets neither selector may count (probes), fed to the tests to prove the filters hold.
     */
    examples: {
      error: Record<string, string>;
      ok: Record<string, string>;
      excluded?: readonly Record<string, string>[];
    };
    /**
     * Events that mean the SLI must have data (default: `total` itself, the events the SLI watches: a
     * wider default would make e.g. throttled logins alone, which the SLI leaves out, read as blindness).
     */
    traffic?: Selector;
  },
): RecordingRule<'ratio'> {
  const { errors, total, window } = props;
  const examples = {
    ...props.examples,
    excluded: withOtherJob(props.examples.excluded ?? [], otherJob(total, props.examples.error)),
  };
  const overRange = (w: Duration, by: readonly string[] = []) => errorRatio(errors, total, w, ['job', ...by]);
  return new RecordingRule<'ratio'>(group, id, {
    record: props.record,
    unit: 'ratio',
    window,
    expr: overRange(window),
    overRange,
    sample: (value) => ratioSample(total, examples.error, examples.ok, value, examples.excluded),
    shares: ratioShares(total, examples.error, examples.ok),
    events: { kind: 'ratio', errors, total, examples },
    traffic: props.traffic ?? total,
    overWindow: (w) => ({
      value: errorRatio(errors, total, w, ['job'], 'observed'),
      events: observedDelta(total, w),
    }),
  });
}

/** `histogram_quantile(q, sum by (job, le) (rate(h_bucket[w])))`: a latency percentile. */
export function quantileRule(
  group: RuleGroup,
  id: string,
  props: {
    record: string;
    histogram: Histogram;
    quantile: number;
    window: Duration;
    by?: readonly string[];
    matchers?: Matchers<string>;
    /** A concrete label set of the histogram, used to generate test series. */
    example: Record<string, string>;
    /** Label sets `matchers` leave out (probes), fed to the tests to prove the filter holds. */
    excluded?: readonly Record<string, string>[];
    /** Events that mean the SLI must have data (default: the histogram's `_count` under the same matchers). */
    traffic?: Selector;
  },
): RecordingRule<'seconds' | 'count'> {
  const { histogram, quantile, window, example } = props;
  const buckets = histogram.bucket.select(props.matchers);
  const excluded = withOtherJob(props.excluded ?? [], otherJob(buckets, example));
  const overRange = (w: Duration, by: readonly string[] = []) =>
    bucketQuantile(quantile, buckets, w, ['job', ...by, ...(props.by ?? [])]);
  const rule = new RecordingRule<'seconds' | 'count'>(group, id, {
    record: props.record,
    unit: histogram.spec.unit === 'seconds' ? 'seconds' : 'count',
    window,
    expr: overRange(window),
    overRange,
    sample: (value) => quantileSample(histogram, example, quantile, value, excluded),
    shares: quantileShares(histogram, example, quantile),
    events: {
      kind: 'histogram',
      histogram,
      matchers: props.matchers ?? {},
      example,
      ...(excluded.length ? { excluded } : {}),
    },
    traffic: props.traffic ?? histogram.count.select(props.matchers),
    overWindow: (w) => ({
      value: bucketQuantile(quantile, buckets, w, ['job', ...(props.by ?? [])], 'observed'),
      events: observedDelta(histogram.count.select(props.matchers), w),
    }),
  });
  rule.addPropsValidation(quantileSchema, props);
  return rule;
}

const quantileSchema = z.object({
  quantile: number('give the quantile as a fraction between 0 and 1, e.g. 0.95 for p95').gt(0).lt(1),
  by: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'group by label names')).optional(),
});
