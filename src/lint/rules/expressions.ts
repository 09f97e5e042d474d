// Rules on every PromQL expression (recording rules, alerts, dashboard Prometheus targets): it
// parses, reads series that exist, applies functions to the series types they are meant for,
// builds quantiles from buckets, and filters on labels and values the catalog defines.
import { TARGET_LABELS } from '../../catalog/index.js';
import type { ExprSite, LintContext } from '../context.js';
import type { LabelMatcher } from '../../kernel/promql.js';
import type { SelectorUse } from '../promql.js';
import { closest, closestMetric } from '../suggest.js';
import { rule, type Problem } from '../rule.js';

/** Functions that only make sense over a counter (they compensate for resets). */
const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);
/** Gauge functions that counter resets break, with what to use on a counter instead. */
const GAUGE_FUNCTIONS: Readonly<Record<string, string>> = {
  deriv: 'rate',
  delta: 'increase',
  idelta: 'irate',
  predict_linear: 'rate',
};

/** Where each kind of expression is defined, for fixes. */
export const SOURCE: Readonly<Record<ExprSite['kind'], string>> = {
  record: 'src/recording-rules/',
  alert: 'src/alerts/',
  panel: 'src/dashboards/',
};

/** Every parsed selector of a named series, with the fix's "where" for its site. */
function* selectorsOf(ctx: LintContext): Generator<{ site: ExprSite; sel: SelectorUse; where: string }> {
  for (const site of ctx.exprs) {
    if (site.parsed.error !== undefined) continue;
    for (const sel of site.parsed.selectors) if (sel.metric) yield { site, sel, where: whereOf(site) };
  }
}

const whereOf = (site: ExprSite) => `in its definition under ${SOURCE[site.kind]} and run \`make synth\``;
const at =
  (site: ExprSite): At =>
  (message, fix) => ({ file: site.file, object: site.object, message, fix });
/** A selector the catalog or a recording rule defines (or one the unreadable rule file may define). */
export const known = (ctx: LintContext, metric: string) =>
  ctx.series.has(metric) || ctx.records.has(metric) || (ctx.unreadable.rules && metric.includes(':'));

export const promqlParse = rule({
  id: 'promql-parse',
  severity: 'error',
  summary: 'an expression that Prometheus cannot parse',
  check: (ctx) =>
    ctx.exprs
      .filter((site) => site.parsed.error !== undefined)
      .map((site) =>
        at(site)(
          `expression does not parse: ${site.parsed.error}. Expression: ${site.expr}`,
          `correct the PromQL ${whereOf(site)}`,
        ),
      ),
});

export const metricExists = rule({
  id: 'metric-exists',
  severity: 'error',
  summary: 'a selector of a series that neither the catalog nor a recording rule defines',
  check: (ctx) =>
    [...selectorsOf(ctx)]
      .filter(({ sel }) => !known(ctx, sel.metric))
      .map(({ site, sel, where }) => {
        const guess = closestMetric(sel.metric, ctx.series.keys());
        return at(site)(
          `selects ${sel.metric}, which is neither in the metric catalog nor a recording rule.`,
          `${guess ? `replace ${sel.metric} with ${guess} (the closest catalog series) ` : ''}${where}, or add the metric to src/catalog/metrics.ts`,
        );
      }),
});

export const rateOnCounter = rule({
  id: 'rate-on-counter',
  severity: 'error',
  summary: 'a counter function over a gauge or a recording rule, or a gauge function over a counter',
  check: (ctx) =>
    [...selectorsOf(ctx)]
      .filter(({ sel }) => ctx.series.has(sel.metric) || ctx.records.has(sel.metric))
      .flatMap(({ site, sel, where }) =>
        functionProblems(sel, ctx.series.get(sel.metric)?.seriesType, where, at(site)),
      ),
});

export const quantileOnBuckets = rule({
  id: 'quantile-on-buckets',
  severity: 'error',
  summary: 'histogram_quantile with φ outside [0, 1], without le, or over a series that is not a histogram bucket',
  check: (ctx) =>
    ctx.exprs.filter((site) => site.parsed.error === undefined).flatMap((site) => quantileProblems(ctx, site)),
});

export const labelExists = rule({
  id: 'label-exists',
  severity: 'error',
  summary: 'a matcher on a label the series does not have',
  check: (ctx) =>
    [...selectorsOf(ctx)].flatMap(({ site, sel, where }) => {
      const allowed = allowedLabels(ctx, sel.metric);
      if (!allowed) return [];
      const list = [...new Set(allowed)].sort();
      return sel.matchers
        .filter((m) => !m.label.startsWith('__') && !allowed.includes(m.label))
        .map((m) => {
          const guess = closest(m.label, list);
          return at(site)(
            `filters ${sel.metric} on label "${m.label}", which ${sel.metric} does not have (its labels: ${list.join(', ') || 'none'}).`,
            `${guess ? `use "${guess}" instead of "${m.label}", or remove` : 'remove'} the ${m.label} matcher ${where}`,
          );
        });
    }),
});

export const labelValue = rule({
  id: 'label-value',
  severity: 'error',
  summary: 'a matcher on a value the catalog does not list for a bounded label',
  check: (ctx) =>
    [...selectorsOf(ctx)].flatMap(({ site, sel, where }) =>
      sel.matchers.flatMap((m) => {
        const values = ctx.series.get(sel.metric)?.metric.spec.labels[m.label]?.values as readonly string[] | undefined;
        if (!values || m.label.startsWith('__')) return [];
        return matchedValues(m)
          .filter((v) => !values.includes(v))
          .map((v) =>
            at(site)(
              `matches ${sel.metric}{${m.label}${m.op}"${m.value}"}, but "${v}" is not a value of ${m.label} (values: ${values.join(', ')}).`,
              `replace "${v}" with ${closest(v, values) ? `"${closest(v, values)}"` : 'a catalog value'} (one of ${values.join(', ')}) ${where}`,
            ),
          );
      }),
    ),
});

function quantileProblems(ctx: LintContext, site: ExprSite): Problem[] {
  const where = whereOf(site);
  const problems: Problem[] = [];
  for (const q of site.parsed.quantiles) {
    if (q.phi !== undefined && (q.phi < 0 || q.phi > 1)) {
      const asFraction = q.phi > 1 && q.phi <= 100 ? ` (${q.phi / 100} for p${q.phi})` : '';
      problems.push(
        at(site)(
          `histogram_quantile(${q.phi}, ...): φ must be between 0 and 1.`,
          `write φ as a fraction${asFraction} ${where}`,
        ),
      );
    }
    const shape = 'histogram_quantile(φ, sum by (<labels>, le) (rate(<histogram>_bucket[5m])))';
    const info = q.bucketSeries ? ctx.series.get(q.bucketSeries) : undefined;
    // A native histogram holds its buckets in each sample: there is no `le` to keep.
    if (info?.metric.type === 'native-histogram') {
      for (const p of q.problems.filter((p) => !p.includes('`le`')))
        problems.push(
          at(site)(
            `histogram_quantile: ${p}.`,
            `rewrite it as histogram_quantile(φ, sum by (<labels>) (rate(<native histogram>[5m]))) ${where}`,
          ),
        );
      continue;
    }
    for (const p of q.problems) problems.push(at(site)(`histogram_quantile: ${p}.`, `rewrite it as ${shape} ${where}`));
    if (q.bucketSeries && (ctx.series.has(q.bucketSeries) || ctx.records.has(q.bucketSeries))) {
      if (info?.metric.type !== 'histogram' || !q.bucketSeries.endsWith('_bucket')) {
        problems.push(
          at(site)(
            `histogram_quantile reads ${q.bucketSeries}, which is not the _bucket series of a catalog histogram.`,
            `select the histogram's _bucket series (${shape}) ${where}`,
          ),
        );
      }
    }
  }
  return problems;
}

type At = (message: string, fix: string) => Problem;

function functionProblems(sel: SelectorUse, seriesType: string | undefined, where: string, at: At): Problem[] {
  const fn = sel.rangeFunction;
  if (!fn) return [];
  // rate() of a native histogram is the histogram of what happened per second: as valid as on a counter.
  if (COUNTER_FUNCTIONS.has(fn) && seriesType !== 'counter' && seriesType !== 'native-histogram') {
    const what = seriesType ? `a ${seriesType}` : 'a recording rule';
    const instead =
      seriesType === 'gauge'
        ? fn === 'resets'
          ? `use changes(${sel.metric}[...]) for a gauge`
          : `use deriv(${sel.metric}[...]) (per-second change) or delta(${sel.metric}[...]) (change over the window) for a gauge`
        : `select ${sel.metric} without ${fn}() (apply ${fn}() to the raw counter inside the recording rule)`;
    return [
      at(
        `${fn}() over ${sel.metric}, which is ${what}, not a counter: ${fn}() treats every decrease as a counter reset.`,
        `${instead} ${where}`,
      ),
    ];
  }
  const counterFn = GAUGE_FUNCTIONS[fn];
  if (counterFn && seriesType === 'counter') {
    return [
      at(
        `${fn}() over the counter ${sel.metric}: counter resets make it wrong.`,
        `use ${counterFn}(${sel.metric}[...]) instead of ${fn}() ${where}`,
      ),
    ];
  }
  return [];
}

/** Regex matchers are only checked when they are a plain `a|b|c` list of literal values. */
const PLAIN_ALTERNATION = /^[A-Za-z0-9_:-]+(\|[A-Za-z0-9_:-]+)*$/;

export function matchedValues(m: LabelMatcher): string[] {
  // `label=""` tests for absence, which is meaningful for any label.
  if (m.value === '') return [];
  if (m.op === '=' || m.op === '!=') return [m.value];
  return PLAIN_ALTERNATION.test(m.value) ? m.value.split('|') : [];
}

/** The labels a series may be filtered on; undefined when a recording rule's cannot be told. */
export function allowedLabels(ctx: LintContext, metric: string): readonly string[] | undefined {
  const info = ctx.series.get(metric);
  return info ? [...info.labelNames, ...TARGET_LABELS] : ctx.records.get(metric)?.labels;
}
