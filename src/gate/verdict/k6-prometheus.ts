// The load generator's side of the verdict read back from what k6 remote-wrote to Prometheus, over
// the union of all its instances: counts and rates are summed, and each trend's percentile is one
// histogram_quantile over the SUM of the instances' native histograms (K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM),
// never an average of per-instance percentiles. The result has the shape of a k6 summary, so the same
// judgeLoad (./load-summary.ts) judges it as it judges a summary file.
//
// Every k6 series is cumulative since its instance started, so the run's totals are the series' last
// values: instant selectors at the end of the run (Prometheus looks back 5 minutes for them; remote
// write carries no staleness markers). increase() would lose what the first push already held.
import {
  ITERATION_ERRORS,
  k6Series,
  LOAD_CHECKS,
  LOAD_SAMPLES,
  samplesMetric,
  TREND_P95,
} from '../../load-contract/metrics.js';
import { mergedNativeQuantile } from '../../promql/functions.js';
import type { SloThreshold } from '../../load-contract/thresholds.js';
import type { PromClient } from '../../kernel/prometheus-client.js';
import type { RunSummary } from './load-summary.js';

/** The label that picks one run's k6 series: `testid="…"` locally, `testrun_name="…"` under k6-operator. */
export interface RunSelector {
  readonly label: string;
  readonly value: string;
}

export const selectorText = (s: RunSelector, extra = ''): string =>
  `{${s.label}=${JSON.stringify(s.value)}${extra ? `,${extra}` : ''}}`;

/** p95 of the union in PromQL, in ms (the unit of k6's time trends and their thresholds). */
export const unionP95Expr = (metric: string, run: RunSelector): string =>
  `${mergedNativeQuantile(TREND_P95, `${k6Series.trend(metric)}${selectorText(run)}`)} * 1000`;

/** Rate over the union: each series' ratio weighted by its own sample count, so the union's hits over the union's samples. */
export const unionHitsExpr = (metric: string, run: RunSelector): string =>
  `sum(${k6Series.rate(metric)}${selectorText(run)} * ignoring(measure) ${k6Series.counter(LOAD_SAMPLES)}${selectorText(run, `measure=${JSON.stringify(metric)}`)})`;

async function scalar(prom: PromClient, expr: string, at: Date): Promise<number | null> {
  const rows = await prom.query(expr, at);
  const v = rows[0] ? Number(rows[0].value[1]) : NaN;
  return Number.isFinite(v) ? v : null;
}

async function byLabel(prom: PromClient, expr: string, label: string, at: Date): Promise<Map<string, number>> {
  const rows = await prom.query(expr, at);
  return new Map(rows.map((r) => [r.metric[label] ?? '', Number(r.value[1])]));
}

/** The union's p95 of each trend SLO metric, in ms (null without samples). */
export async function unionPercentiles(
  prom: PromClient,
  run: RunSelector,
  metrics: readonly string[],
  at: Date,
): Promise<Record<string, number | null>> {
  const values = await Promise.all(metrics.map((m) => scalar(prom, unionP95Expr(m, run), at)));
  return Object.fromEntries(metrics.map((m, i) => [m, values[i]!]));
}

/** A k6-summary-shaped view of the run from Prometheus alone. */
export async function summaryFromPrometheus(
  prom: PromClient,
  run: RunSelector,
  thresholds: readonly SloThreshold[],
  scenarios: readonly string[],
  at: Date,
): Promise<RunSummary> {
  const sel = selectorText(run);
  const metrics: Record<string, Record<string, unknown>> = {};
  const samples = await byLabel(prom, `sum by (measure) (${k6Series.counter(LOAD_SAMPLES)}${sel})`, 'measure', at);
  const trends = thresholds.filter((t) => t.stat === 'p(95)').map((t) => t.metric);
  const p95 = await unionPercentiles(prom, run, trends, at);
  for (const t of thresholds) {
    const count = Math.round(samples.get(t.metric) ?? 0);
    metrics[samplesMetric(t.metric)] = { count };
    if (t.stat === 'p(95)') {
      metrics[t.metric] = { 'p(95)': p95[t.metric] ?? null };
      continue;
    }
    const passes = Math.round((await scalar(prom, unionHitsExpr(t.metric, run), at)) ?? 0);
    metrics[t.metric] = { passes, fails: count - passes, value: count ? passes / count : null };
  }
  const checks = await byLabel(prom, `sum by (passed) (${k6Series.counter(LOAD_CHECKS)}${sel})`, 'passed', at);
  const [passes, fails] = [Math.round(checks.get('true') ?? 0), Math.round(checks.get('false') ?? 0)];
  metrics.checks = { passes, fails, value: passes + fails ? passes / (passes + fails) : 0 };
  const iterations = await byLabel(prom, `sum by (scenario) (${k6Series.counter('iterations')}${sel})`, 'scenario', at);
  const errors = await byLabel(prom, `sum by (scenario) (${k6Series.counter(ITERATION_ERRORS)}${sel})`, 'scenario', at);
  for (const s of scenarios) {
    if (iterations.has(s)) metrics[`iterations{scenario:${s}}`] = { count: Math.round(iterations.get(s)!) };
    metrics[`${ITERATION_ERRORS}{scenario:${s}}`] = { count: Math.round(errors.get(s) ?? 0) };
  }
  return { metrics };
}
