// The soak's judgement on windowed series, pure (./stability.ts reads them from Prometheus): per
// metric of src/slos/stability.ts, the Theil–Sen slope and its Mann–Kendall significance (./trend.ts),
// the rise the trend line makes over the profile's planned duration and the level it reaches by the
// profile's end, against the metric's bound. A significant rise that breaks a bound, or a window over
// a level bound, is a Failure (source `stability`) naming the metric, its slope and the bound. Too few
// windows is NOT MEASURED, which fails a judged run: no evidence, no PASS.
import { formatStability, STABILITY, type StabilityMetric, type StabilityMetricId } from '../../slos/stability.js';

export { formatStability };
import type { Failure } from './schema.js';
import type { StabilityJudgement, StabilityMetricResult } from './stability-schema.js';
import { fallingSignificantly, MIN_TREND_POINTS, risingSignificantly, trendOf, type Trend } from './trend.js';

/** One window's value: `t` its end, epoch seconds. */
export interface StabilityPoint {
  readonly t: number;
  readonly value: number;
}

export interface StabilityInput {
  /** The judged span (the steady phase after warm-up), epoch seconds. */
  readonly span: { readonly start: number; readonly end: number };
  readonly windowSeconds: number;
  /** The profile's planned duration, seconds: the horizon the trend is extrapolated over. */
  readonly durationSeconds: number;
  /** Seconds from the run's start to the span's start: where on the profile's clock the trend line starts. */
  readonly spanOffsetSeconds: number;
  readonly series: Readonly<Record<StabilityMetricId, readonly StabilityPoint[]>>;
  /** A ratio's numerator per window, for the metrics that declare one (src/slos/stability.ts). */
  readonly numerators?: Readonly<Partial<Record<StabilityMetricId, readonly StabilityPoint[]>>>;
  readonly warmupSeconds: number;
  readonly reason: string;
}

const minutes = (s: number) => `${Number((s / 60).toPrecision(3))} min`;

/** The rise limit for a trend line starting at `base`: the tighter of the absolute and the relative bound, never below the floor. */
export function riseLimit(m: StabilityMetric, base: number): number | null {
  const limits = [
    ...(m.bound.maxRise !== undefined ? [m.bound.maxRise] : []),
    ...(m.bound.maxRiseRatio !== undefined && base > 0 ? [m.bound.maxRiseRatio * base] : []),
  ];
  return limits.length ? Math.max(m.bound.minRise ?? 0, Math.min(...limits)) : null;
}

function boundText(m: StabilityMetric, base: number): string {
  const b = m.bound;
  const parts: string[] = [];
  if (b.maxRiseRatio !== undefined)
    parts.push(
      `a rise of ${b.maxRiseRatio * 100}% of ${formatStability(m.unit, base)}${b.maxRise !== undefined ? ` (at most ${formatStability(m.unit, b.maxRise)})` : ''}${b.minRise !== undefined ? ` (at least ${formatStability(m.unit, b.minRise)})` : ''}`,
    );
  else if (b.maxRise !== undefined) parts.push(`a rise of ${formatStability(m.unit, b.maxRise)}`);
  if (b.maxLevel !== undefined) parts.push(`a level of ${formatStability(m.unit, b.maxLevel)}`);
  if (b.maxWindow !== undefined) parts.push(`${formatStability(m.unit, b.maxWindow)} in any window`);
  return parts.join(' and ');
}

/** One metric judged from its windows. */
export function judgeMetric(
  m: StabilityMetric,
  points: readonly StabilityPoint[],
  input: StabilityInput,
): StabilityMetricResult {
  const xy = points.map((p) => [p.t - input.span.start, p.value] as const);
  const trend = trendOf(xy);
  const worst = points.length ? Math.max(...points.map((p) => p.value)) : null;
  const base = trend ? trend.intercept : null;
  const common = {
    id: m.id,
    title: m.title,
    unit: m.unit,
    windows: points.length,
    worst,
    bound: { ...m.bound },
  };
  if (!trend || base === null)
    return {
      ...common,
      start: null,
      slopePerHour: null,
      rise: null,
      endLevel: null,
      p: null,
      significant: false,
      limit: null,
      outcome: 'NOT MEASURED',
      reason: `${points.length} windows with samples, fewer than the ${MIN_TREND_POINTS} a trend test needs`,
    };
  const rise = trend.slope * input.durationSeconds;
  const endLevel = base + trend.slope * (input.durationSeconds - input.spanOffsetSeconds);
  const limit = riseLimit(m, base);
  const significant = risingSignificantly(trend, STABILITY.alpha);
  const slope = `${formatStability(m.unit, trend.slope * 3600)}/h (Theil–Sen over ${trend.n} windows of ${input.windowSeconds} s, Mann–Kendall p=${Number(trend.p.toPrecision(2))})`;
  const problems: string[] = [];
  const numerator = numeratorTrend(m, input);
  let excused: string | undefined;
  if (significant && limit !== null && rise > limit) {
    const risen = `rises ${slope}: ${formatStability(m.unit, rise)} over the profile's ${minutes(input.durationSeconds)}, above the bound of ${formatStability(m.unit, limit)} (${boundText(m, base)})`;
    if (m.numerator && fallingSignificantly(numerator, STABILITY.alpha))
      excused = `${risen}, while ${m.numerator.title} fell ${fallOverSpan(numerator, input)} over the judged span (${perHour(numerator.slope, m.numerator.unit)}, Mann–Kendall p=${Number(numerator.p.toPrecision(2))}): fewer requests sharing the work that is not per request, not a costlier request`;
    else problems.push(risen);
  }
  if (significant && m.bound.maxLevel !== undefined && endLevel > m.bound.maxLevel)
    problems.push(
      `rises ${slope}: reaches ${formatStability(m.unit, endLevel)} by the profile's end (${minutes(input.durationSeconds)}), above the bound of ${formatStability(m.unit, m.bound.maxLevel)}`,
    );
  const maxWindow = m.bound.maxWindow;
  if (maxWindow !== undefined && worst !== null && worst > maxWindow)
    problems.push(
      `reached ${formatStability(m.unit, worst)} in a window, above the bound of ${formatStability(m.unit, maxWindow)}`,
    );
  return {
    ...common,
    ...(m.numerator
      ? {
          numerator: {
            ...m.numerator,
            slopePerHour: numerator ? numerator.slope * 3600 : null,
            p: numerator ? numerator.p : null,
          },
        }
      : {}),
    ...(excused && !problems.length ? { excused } : {}),
    start: base,
    slopePerHour: trend.slope * 3600,
    rise,
    endLevel,
    p: trend.p,
    significant,
    limit,
    outcome: problems.length ? 'FAIL' : 'PASS',
    reason: problems.length
      ? problems.join('; ')
      : excused
        ? `not failed: ${excused}`
        : `${significant ? 'rises significantly' : 'no significant rise'}: ${slope}, ${formatStability(m.unit, rise)} over the profile's ${minutes(input.durationSeconds)}${limit !== null ? ` (bound ${formatStability(m.unit, limit)})` : ''}`,
  };
}

/** The trend of a metric's numerator over the same windows; null without one, or with too few windows. */
function numeratorTrend(m: StabilityMetric, input: StabilityInput): Trend | null {
  const points = m.numerator ? input.numerators?.[m.id] : undefined;
  return points ? trendOf(points.map((p) => [p.t - input.span.start, p.value] as const)) : null;
}

const perHour = (slopePerSecond: number, unit: string) => `${Number((slopePerSecond * 3600).toPrecision(3))} ${unit}/h`;

/** The trend line's fall over the span, as a share of where it starts. */
const fallOverSpan = (t: Trend, input: StabilityInput) =>
  t.intercept > 0
    ? `${Number(((-t.slope * (input.span.end - input.span.start)) / t.intercept) * 100).toPrecision(2)}%`
    : 'below zero';

/** Every stability metric judged; failures with source `stability`. */
export function judgeStability(input: StabilityInput): { judgement: StabilityJudgement; failures: Failure[] } {
  const metrics = STABILITY.metrics.map((m) => judgeMetric(m, input.series[m.id] ?? [], input));
  const failures = metrics
    .filter((m) => m.outcome !== 'PASS')
    .map((m) => ({
      source: 'stability',
      subject: m.id,
      reason: m.outcome === 'NOT MEASURED' ? `${m.title}: NOT MEASURED: ${m.reason}` : `${m.title} ${m.reason}`,
    }));
  return {
    judgement: {
      judged: true,
      reason: input.reason,
      span: {
        start: new Date(input.span.start * 1000).toISOString(),
        end: new Date(input.span.end * 1000).toISOString(),
        seconds: input.span.end - input.span.start,
      },
      warmupSeconds: input.warmupSeconds,
      windowSeconds: input.windowSeconds,
      durationSeconds: input.durationSeconds,
      alpha: STABILITY.alpha,
      metrics,
      pass: failures.length === 0,
    },
    failures,
  };
}
