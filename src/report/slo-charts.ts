// One chart per gate SLO: its SLI exactly as the recording rule computes it, with the rule's window
// swapped for one that fits the run (range.ts), plus the same SLI broken down per instance and per
// scenario dimension where the metric has more than one.
import type { Slo } from '../constructs/slo.js';
import { UNIT_FORMAT } from '../constructs/value-unit.js';
import { PromClient } from '../kernel/prometheus-client.js';
import { slos } from '../slos/index.js';
import { lineChartSvg, MAX_SERIES, type ChartSeries } from './chart.js';
import type { RangePlan } from './range.js';

/** The label that splits an SLI by what the load scenario did, where the metric has one. */
const SCENARIO_LABEL: Readonly<Record<string, string>> = {
  'auth-failure-ratio': 'operation',
  'chat-delivery-p95': 'conversation_type',
  'notification-delivery-p95': 'type',
};

export const REPORT_SLOS: readonly Slo[] = Object.values(slos);

export const breakdownLabels = (slo: Slo): string[] => [
  'instance',
  ...(SCENARIO_LABEL[slo.id] ? [SCENARIO_LABEL[slo.id]!] : []),
];

/** The SLI's expression over `windowSeconds` instead of its alert window, optionally also grouped by `by`: rebuilt from its template. */
export function sliQuery(slo: Slo, windowSeconds: number, by?: string): string {
  const overRange = slo.sli.overRange;
  if (!overRange)
    throw new Error(
      `SLO ${slo.id}: the SLI ${slo.sli.record} cannot be rebuilt over another window (build it with ratioRule() or quantileRule())`,
    );
  return overRange(`${windowSeconds}s`, by ? [by] : []).text;
}

export interface MeasuredSlo {
  readonly slo: Slo;
  /** The SLI first, then its breakdowns. */
  readonly series: readonly ChartSeries[];
  /** Samples of the SLI itself in the range; 0 means NOT MEASURED. */
  readonly points: number;
  /** Why there are none. */
  readonly reason?: string;
  readonly max?: number;
}

const finitePoints = (values: [number, string][]) =>
  values.map(([t, v]) => [t, Number(v)] as const).filter(([, v]) => Number.isFinite(v));

export async function measureSlo(prometheus: string, slo: Slo, plan: RangePlan): Promise<MeasuredSlo> {
  const client = new PromClient(prometheus);
  const range = (expr: string) => client.queryRange(expr, plan.start, plan.end, plan.stepSeconds);
  let rows;
  try {
    rows = await range(sliQuery(slo, plan.windowSeconds));
  } catch (err) {
    return { slo, series: [], points: 0, reason: (err as Error).message };
  }
  const sli = finitePoints(rows[0]?.values ?? []);
  if (!sli.length)
    return {
      slo,
      series: [],
      points: 0,
      reason: `the SLI query returned no samples from the run's start to ${plan.lagSeconds}s after its end`,
    };
  const series: ChartSeries[] = [{ name: `${slo.id} (all)`, points: sli }];
  for (const label of breakdownLabels(slo)) {
    const split = await range(sliQuery(slo, plan.windowSeconds, label)).catch(() => []);
    // One series is the SLI again: nothing to break down.
    if (split.length < 2) continue;
    for (const r of split) series.push({ name: `${label}=${r.metric[label] ?? '?'}`, points: finitePoints(r.values) });
  }
  return { slo, series: series.slice(0, MAX_SERIES), points: sli.length, max: Math.max(...sli.map(([, v]) => v)) };
}

/** The SLO's chart; without a plan (no Prometheus or no run window) it is NOT MEASURED with `reason`. */
export function sloChartSvg(m: MeasuredSlo, plan: RangePlan | null): string {
  const seconds = (d: Date) => d.getTime() / 1000;
  return lineChartSvg({
    id: m.slo.id,
    title: `${m.slo.props.title} (SLO ≤ ${m.slo.thresholdText})`,
    series: m.series,
    format: UNIT_FORMAT[m.slo.sli.unit].format,
    threshold: m.slo.threshold,
    range: plan ? [seconds(plan.start), seconds(plan.end)] : [0, 1],
    run: plan ? [seconds(plan.run.start), seconds(plan.run.end)] : [0, 1],
    note: plan
      ? `${m.slo.sli.record} over [${plan.windowSeconds}s] windows, step ${plan.stepSeconds}s; scrape ${plan.scrape.scrapeSeconds}s + evaluation ${plan.scrape.evaluationSeconds}s after the run`
      : m.slo.sli.record,
    ...(m.reason ? { reason: m.reason } : {}),
  });
}
