// Rules on every PromQL expression (recording rules, alerts, dashboard Prometheus targets): it
// parses, reads series that exist, applies functions to the series types they are meant for,
// builds quantiles from buckets, and filters on labels and values the catalog defines.
import { TARGET_LABELS } from '../../catalog/index.js';
import type { Finding } from '../../kernel/findings.js';
import type { ExprSite, LintContext } from '../context.js';
import type { LabelMatcher } from '../../kernel/promql.js';
import type { SelectorUse } from '../promql.js';
import { closest } from '../suggest.js';

/** Functions that only make sense over a counter (they compensate for resets). */
const COUNTER_FUNCTIONS = new Set(['rate', 'irate', 'increase', 'resets']);
/** Gauge functions that counter resets break, with what to use on a counter instead. */
const GAUGE_FUNCTIONS: Readonly<Record<string, string>> = { deriv: 'rate', delta: 'increase', idelta: 'irate', predict_linear: 'rate' };

/** Where each kind of expression is defined, for fixes. */
export const SOURCE: Readonly<Record<ExprSite['kind'], string>> = {
  record: 'src/recording-rules/',
  alert: 'src/alerts/',
  panel: 'src/dashboards/',
};

export function expressionRules(ctx: LintContext): Finding[] {
  return ctx.exprs.flatMap((site) => checkSite(ctx, site));
}

function checkSite(ctx: LintContext, site: ExprSite): Finding[] {
  const at = (rule: string, message: string, fix: string): Finding => ({ rule, file: site.file, object: site.object, message, fix });
  const where = `in its definition under ${SOURCE[site.kind]} and run \`make synth\``;
  if (site.parsed.error !== undefined) {
    return [at('promql-parse', `expression does not parse: ${site.parsed.error}. Expression: ${site.expr}`, `correct the PromQL ${where}`)];
  }
  const findings: Finding[] = [];
  for (const sel of site.parsed.selectors) {
    if (!sel.metric) continue;
    const info = ctx.series.get(sel.metric);
    const record = ctx.records.get(sel.metric);
    // A name with a colon is a recording rule by convention; it may be defined in the unreadable file.
    if (!info && !record && ctx.unreadable.rules && sel.metric.includes(':')) continue;
    if (!info && !record) {
      const guess = closest(sel.metric, ctx.series.keys());
      findings.push(
        at(
          'metric-exists',
          `selects ${sel.metric}, which is neither in the metric catalog nor a recording rule.`,
          `${guess ? `replace ${sel.metric} with ${guess} (the closest catalog series) ` : ''}${where}, or add the metric to src/catalog/metrics.ts`,
        ),
      );
      continue;
    }
    findings.push(...functionFindings(sel, info?.seriesType, where, at));
    findings.push(...labelFindings(ctx, sel, where, at));
  }
  for (const q of site.parsed.quantiles) {
    if (q.phi !== undefined && (q.phi < 0 || q.phi > 1)) {
      const asFraction = q.phi > 1 && q.phi <= 100 ? ` (${q.phi / 100} for p${q.phi})` : '';
      findings.push(at('quantile-on-buckets', `histogram_quantile(${q.phi}, ...): φ must be between 0 and 1.`, `write φ as a fraction${asFraction} ${where}`));
    }
    const shape = 'histogram_quantile(φ, sum by (<labels>, le) (rate(<histogram>_bucket[5m])))';
    for (const p of q.problems) findings.push(at('quantile-on-buckets', `histogram_quantile: ${p}.`, `rewrite it as ${shape} ${where}`));
    if (q.bucketSeries && (ctx.series.has(q.bucketSeries) || ctx.records.has(q.bucketSeries))) {
      const info = ctx.series.get(q.bucketSeries);
      if (info?.metric.type !== 'histogram' || !q.bucketSeries.endsWith('_bucket')) {
        findings.push(
          at(
            'quantile-on-buckets',
            `histogram_quantile reads ${q.bucketSeries}, which is not the _bucket series of a catalog histogram.`,
            `select the histogram's _bucket series (${shape}) ${where}`,
          ),
        );
      }
    }
  }
  return findings;
}

type At = (rule: string, message: string, fix: string) => Finding;

function functionFindings(sel: SelectorUse, seriesType: string | undefined, where: string, at: At): Finding[] {
  const fn = sel.rangeFunction;
  if (!fn) return [];
  if (COUNTER_FUNCTIONS.has(fn) && seriesType !== 'counter') {
    const what = seriesType ? `a ${seriesType}` : 'a recording rule';
    const instead =
      seriesType === 'gauge'
        ? fn === 'resets'
          ? `use changes(${sel.metric}[...]) for a gauge`
          : `use deriv(${sel.metric}[...]) (per-second change) or delta(${sel.metric}[...]) (change over the window) for a gauge`
        : `select ${sel.metric} without ${fn}() (apply ${fn}() to the raw counter inside the recording rule)`;
    return [at('rate-on-counter', `${fn}() over ${sel.metric}, which is ${what}, not a counter: ${fn}() treats every decrease as a counter reset.`, `${instead} ${where}`)];
  }
  const counterFn = GAUGE_FUNCTIONS[fn];
  if (counterFn && seriesType === 'counter') {
    return [at('rate-on-counter', `${fn}() over the counter ${sel.metric}: counter resets make it wrong.`, `use ${counterFn}(${sel.metric}[...]) instead of ${fn}() ${where}`)];
  }
  return [];
}

/** Regex matchers are only checked when they are a plain `a|b|c` list of literal values. */
const PLAIN_ALTERNATION = /^[A-Za-z0-9_:-]+(\|[A-Za-z0-9_:-]+)*$/;

function matchedValues(m: LabelMatcher): string[] {
  // `label=""` tests for absence, which is meaningful for any label.
  if (m.value === '') return [];
  if (m.op === '=' || m.op === '!=') return [m.value];
  return PLAIN_ALTERNATION.test(m.value) ? m.value.split('|') : [];
}

function labelFindings(ctx: LintContext, sel: SelectorUse, where: string, at: At): Finding[] {
  const info = ctx.series.get(sel.metric);
  const allowed = info ? [...info.labelNames, ...TARGET_LABELS] : ctx.records.get(sel.metric)?.labels;
  const findings: Finding[] = [];
  for (const m of sel.matchers) {
    if (m.label.startsWith('__')) continue;
    if (allowed && !allowed.includes(m.label)) {
      const list = [...new Set(allowed)].sort();
      const guess = closest(m.label, list);
      findings.push(
        at(
          'label-exists',
          `filters ${sel.metric} on label "${m.label}", which ${sel.metric} does not have (its labels: ${list.join(', ') || 'none'}).`,
          `${guess ? `use "${guess}" instead of "${m.label}", or remove` : 'remove'} the ${m.label} matcher ${where}`,
        ),
      );
      continue;
    }
    const values = info?.metric.spec.labels[m.label]?.values as readonly string[] | undefined;
    if (!values) continue;
    for (const v of matchedValues(m).filter((x) => !values.includes(x))) {
      findings.push(
        at(
          'label-value',
          `matches ${sel.metric}{${m.label}${m.op}"${m.value}"}, but "${v}" is not a value of ${m.label} (values: ${values.join(', ')}).`,
          `replace "${v}" with ${closest(v, values) ? `"${closest(v, values)}"` : 'a catalog value'} (one of ${values.join(', ')}) ${where}`,
        ),
      );
    }
  }
  return findings;
}
