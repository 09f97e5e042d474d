// The evidence a later run is compared with, read from the target's own metrics over the run window
// the verdict judged: per latency SLO its histogram's bucket counts (the SLO's typed metric knows the
// buckets), per ratio SLO its error and total counts, and per SLO a compact SLI series for the
// report's overlay. Whole-run queries as ../prometheus-slis.ts builds them (increase() over the window).
import type { Slo } from '../../../constructs/slo.js';
import type { PromClient } from '../../../kernel/prometheus-client.js';
import { promql, type Duration } from '../../../promql/expr.js';
import { sloById } from '../../../slos/load-thresholds.js';
import type { SliDistribution, SliSeries } from './schema.js';

/** About this many points per series: enough to see a trend, small enough to keep in every verdict. */
const SERIES_POINTS = 120;

const num = (v: string | undefined) => {
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) ? n : 0;
};

async function histogramCounts(prom: PromClient, slo: Slo, range: Duration, at: Date): Promise<SliDistribution | null> {
  const events = slo.sli.events;
  if (events?.kind !== 'histogram') return null;
  const le = [...events.histogram.spec.buckets];
  const query = promql`sum by (le) (increase(${events.histogram.bucket.select(events.matchers)}[${range}]))`.text;
  const rows = await prom.query(query, at);
  const cumulative = new Map(
    rows.map((r) => [Number(r.metric.le === '+Inf' ? Infinity : r.metric.le), num(r.value[1])]),
  );
  return { kind: 'histogram', query, le, counts: perBucket(le, cumulative), series: null };
}

/** Cumulative counts by upper bound to counts per bucket, +Inf last. */
function perBucket(le: readonly number[], cumulative: ReadonlyMap<number, number>): number[] {
  // A bound Prometheus did not return holds what the one below held; increase() extrapolates each
  // bucket alone, so a step down is clamped to zero.
  let last = 0;
  const cum = [...le, Infinity].map((b) => (last = Math.max(last, cumulative.get(b) ?? last)));
  return cum.map((c, i) => Math.round(Math.max(0, c - (i ? cum[i - 1]! : 0))));
}

/** About twelve blocks to a run, each of at least three scrapes (increase() needs several samples). */
export const blockSeconds = (runSeconds: number, scrape: number): number =>
  Math.max(Math.ceil(3 * scrape), Math.ceil(runSeconds / 12));

/** The histogram's counts per consecutive block of the run, each block `(t - B, t]`. */
async function histogramBlocks(
  prom: PromClient,
  slo: Slo,
  runStart: Date,
  end: Date,
  seconds: number,
): Promise<{ seconds: number; counts: number[][] } | undefined> {
  const events = slo.sli.events;
  if (events?.kind !== 'histogram') return undefined;
  const le = [...events.histogram.spec.buckets];
  const expr =
    promql`sum by (le) (increase(${events.histogram.bucket.select(events.matchers)}[${`${seconds}s` as Duration}]))`
      .text;
  const first = new Date(runStart.getTime() + seconds * 1000);
  if (first > end) return undefined;
  const rows = await prom.queryRange(expr, first, end, seconds);
  const byTime = new Map<number, Map<number, number>>();
  for (const r of rows)
    for (const [t, v] of r.values) {
      const m = byTime.get(t) ?? new Map<number, number>();
      m.set(r.metric.le === '+Inf' ? Infinity : Number(r.metric.le), num(v));
      byTime.set(t, m);
    }
  const counts = [...byTime].sort((a, b) => a[0] - b[0]).map(([, m]) => perBucket(le, m));
  return { seconds, counts };
}

async function ratioCounts(prom: PromClient, slo: Slo, range: Duration, at: Date): Promise<SliDistribution | null> {
  const events = slo.sli.events;
  if (events?.kind !== 'ratio') return null;
  const errorsQuery = promql`sum(increase(${events.errors}[${range}]))`.text;
  const totalQuery = promql`sum(increase(${events.total}[${range}]))`.text;
  const [errors, total] = await Promise.all([prom.query(errorsQuery, at), prom.query(totalQuery, at)]);
  return {
    kind: 'ratio',
    query: `${errorsQuery} / ${totalQuery}`,
    errors: Math.round(num(errors[0]?.value[1])),
    total: Math.round(num(total[0]?.value[1])),
    series: null,
  };
}

async function sliSeries(
  prom: PromClient,
  slo: Slo,
  runStart: Date,
  end: Date,
  scrape: number,
): Promise<SliSeries | null> {
  if (!slo.sli.overRange) return null;
  const runSeconds = Math.max(1, (end.getTime() - runStart.getTime()) / 1000);
  const stepSeconds = Math.max(1, Math.ceil(scrape), Math.ceil(runSeconds / SERIES_POINTS));
  const windowSeconds = Math.max(4 * scrape, 2 * stepSeconds);
  const expr = slo.sli.overRange(`${windowSeconds}s`).text;
  const rows = await prom.queryRange(expr, runStart, end, stepSeconds);
  // One value per step: the worst job's, as the verdict takes the worst.
  const byTime = new Map<number, number>();
  for (const r of rows)
    for (const [t, v] of r.values) {
      const n = Number(v);
      if (Number.isFinite(n)) byTime.set(t, Math.max(byTime.get(t) ?? -Infinity, n));
    }
  const t0 = runStart.getTime() / 1000;
  const points = [...byTime].sort((a, b) => a[0] - b[0]).map(([t, v]) => [Math.round(t - t0), v] as [number, number]);
  return { stepSeconds, windowSeconds, expr, points };
}

/** Each SLO's distribution over the run window `[end - seconds, end]`, with its series from `runStart`. */
export async function sliDistributions(
  prom: PromClient,
  ids: readonly string[],
  window: { end: Date; seconds: number },
  runStart: Date,
): Promise<Record<string, SliDistribution>> {
  const range = `${window.seconds}s` as Duration;
  const { scrape } = await prom.intervals();
  const out: Record<string, SliDistribution> = {};
  for (const id of ids) {
    const slo = sloById.get(id);
    if (!slo) continue;
    const counts =
      (await histogramCounts(prom, slo, range, window.end)) ?? (await ratioCounts(prom, slo, range, window.end));
    if (!counts) continue;
    const series = await sliSeries(prom, slo, runStart, window.end, scrape).catch(() => null);
    const runSeconds = (window.end.getTime() - runStart.getTime()) / 1000;
    const blocks =
      counts.kind === 'histogram'
        ? await histogramBlocks(prom, slo, runStart, window.end, blockSeconds(runSeconds, scrape)).catch(
            () => undefined,
          )
        : undefined;
    out[id] = { ...counts, ...(blocks ? { blocks } : {}), series };
  }
  return out;
}
