// The soak's must-pass criteria from Prometheus range data: resident memory and V8 heap (each window's
// floor, the level after collection), CPU seconds per request, event-loop lag p99 and the 5xx ratio
// per window, over the steady phase after warm-up, judged against src/slos/stability.ts by
// ./stability-judge.ts. Only soak and stress runs (or a long steady phase) are judged: a smoke run's
// seconds hold no trend. A failing metric is a Failure with source `stability`.
import { median } from 'simple-statistics';
import { metrics } from '../../catalog/index.js';
import type { PromClient } from '../../kernel/prometheus-client.js';
import { plannedEndMs, runPhases } from '../../load-contract/phases.js';
import type { Profile, ScenarioName } from '../../load-contract/profile.js';
import { promql, type Duration } from '../../promql/expr.js';
import { APP_JOB } from '../../platform.js';
import { slos } from '../../slos/index.js';
import {
  STABILITY,
  stabilityJudged,
  stabilityWindowSeconds,
  warmupSeconds,
  type StabilityMetricId,
} from '../../slos/stability.js';
import type { Failure } from './schema.js';
import { judgeStability, type StabilityPoint } from './stability-judge.js';
import type { StabilityJudgement } from './stability-schema.js';

export interface StabilityRun {
  readonly profile: Profile;
  readonly only?: readonly ScenarioName[];
  readonly start: Date;
  readonly end: Date;
  readonly scrapeSeconds: number;
  readonly job?: string;
}

/** The judged span and why, or why the run is not judged. */
export function stabilitySpan(
  run: Omit<StabilityRun, 'scrapeSeconds' | 'job'>,
):
  | { judged: false; reason: string }
  | { judged: true; reason: string; start: number; end: number; warmup: number; offset: number } {
  const t0 = run.start.getTime() / 1000;
  const steady = runPhases(run.profile, run.only, run.end.getTime() - run.start.getTime()).find(
    (p) => p.phase === 'steady',
  )!;
  const steadySeconds = (steady.endMs - steady.startMs) / 1000;
  if (!stabilityJudged(run.profile.name, steadySeconds))
    return {
      judged: false,
      reason: `profile ${run.profile.name} with a ${steadySeconds} s steady phase: stability is judged for ${STABILITY.profiles.join(' and ')} profiles, or a steady phase of ${STABILITY.minSteadySeconds / 60} min or more`,
    };
  const warmup = warmupSeconds(steadySeconds);
  const start = t0 + steady.startMs / 1000 + warmup;
  const end = Math.min(t0 + steady.endMs / 1000, run.end.getTime() / 1000);
  return {
    judged: true,
    reason: STABILITY.profiles.includes(run.profile.name)
      ? `a ${run.profile.name} profile`
      : `a ${Math.round(steadySeconds / 60)} min steady phase`,
    start,
    end,
    warmup,
    offset: start - t0,
  };
}

/** Raw samples cut into windows ending at start + k·W; each window becomes its floor or median. */
export function windowed(
  samples: ReadonlyArray<readonly [number, number]>,
  start: number,
  end: number,
  seconds: number,
  per: 'floor' | 'median',
): StabilityPoint[] {
  const out: StabilityPoint[] = [];
  for (let k = 1; start + k * seconds <= end + 1e-6 && k <= 10_000; k++) {
    const [from, to] = [start + (k - 1) * seconds, start + k * seconds];
    const vs = samples.filter(([t, v]) => t > from && t <= to && Number.isFinite(v)).map(([, v]) => v);
    if (vs.length) out.push({ t: to, value: per === 'floor' ? Math.min(...vs) : median(vs) });
  }
  return out;
}

async function series(prom: PromClient, expr: string, start: number, end: number, step: number) {
  const [first] = await prom.queryRange(expr, new Date(start * 1000), new Date(end * 1000), step);
  return (first?.values ?? []).map(([t, v]) => [Number(t), Number(v)] as const).filter(([, v]) => Number.isFinite(v));
}

/** The run's stability judgement; null when the run is not judged for stability (./stabilitySpan). */
export async function judgeRunStability(
  prom: PromClient,
  run: StabilityRun,
): Promise<{ judgement: StabilityJudgement; failures: Failure[] } | null> {
  const span = stabilitySpan(run);
  if (!span.judged) return null;
  const job = run.job ?? APP_JOB;
  const w = stabilityWindowSeconds(span.end - span.start, run.scrapeSeconds);
  const range = `${w}s` as Duration;
  const sel = { job };
  const rss = promql`sum(${metrics.processResidentMemory.select(sel)})`;
  const heap = promql`sum(${metrics.heapUsed.select(sel)})`;
  const lag = promql`max(${metrics.eventLoopLagP99.select(sel)})`;
  const cores = promql`sum(rate(${metrics.processCpu.select(sel)}[${range}]))`;
  const cpu = promql`sum(increase(${metrics.processCpu.select(sel)}[${range}])) / sum(increase(${metrics.httpRequests.select(sel)}[${range}]))`;
  const errors = slos.http5xxRatio.sli.overWindow!(range).value;
  const raw = (e: { text: string }) => series(prom, e.text, span.start, span.end, run.scrapeSeconds);
  // Rates over each window, evaluated at its end: the first window ends W after the span starts.
  const perWindow = async (e: { text: string }): Promise<StabilityPoint[]> =>
    span.start + w > span.end
      ? []
      : (await series(prom, e.text, span.start + w, span.end, w)).map(([t, value]) => ({ t, value }));
  const [r, h, l, c, e, k] = await Promise.all([
    raw(rss),
    raw(heap),
    raw(lag),
    perWindow(cpu),
    perWindow(errors),
    perWindow(cores),
  ]);
  const s: Record<StabilityMetricId, StabilityPoint[]> = {
    'resident-memory': windowed(r, span.start, span.end, w, 'floor'),
    'heap-used': windowed(h, span.start, span.end, w, 'floor'),
    'event-loop-lag-p99': windowed(l, span.start, span.end, w, 'median'),
    'cpu-per-request': c,
    'error-ratio': e,
  };
  return judgeStability({
    span: { start: span.start, end: span.end },
    windowSeconds: w,
    durationSeconds: plannedEndMs(run.profile, run.only) / 1000,
    spanOffsetSeconds: span.offset,
    warmupSeconds: span.warmup,
    series: s,
    // CPU per request's numerator: a rise with the CPU falling is fewer requests, not costlier ones.
    numerators: { 'cpu-per-request': k },
    reason: span.reason,
  });
}
