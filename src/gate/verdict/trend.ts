// A trend test that noise and a GC sawtooth cannot trip: the Theil–Sen slope (the median of every
// pairwise slope, robust to a third of the points being outliers) with the Mann–Kendall test of its
// significance (the S statistic, its tie-corrected variance, the normal approximation with continuity
// correction, as in Gilbert 1987, ch. 16). Both are rank statistics, so a periodic rise and drop
// contributes as many falling pairs as rising ones. The median and the error function are simple-statistics'.
import { errorFunction, median } from 'simple-statistics';

export interface Trend {
  /** Points the test used. */
  readonly n: number;
  /** Theil–Sen slope, in the value's unit per unit of x (per second for a time series in seconds). */
  readonly slope: number;
  /** Theil–Sen intercept: the median of y − slope·x (Conover's), so the line passes through the data's middle. */
  readonly intercept: number;
  /** Mann–Kendall S: rising pairs minus falling pairs. */
  readonly s: number;
  /** Var(S), corrected for ties in the values. */
  readonly varS: number;
  /** The normal approximation of S, with continuity correction. */
  readonly z: number;
  /** Two-sided p-value of "no monotonic trend". */
  readonly p: number;
}

/** The minimum points for the normal approximation to mean anything (Gilbert: n ≥ 10). */
export const MIN_TREND_POINTS = 10;

/** Theil–Sen and Mann–Kendall over (x, y) points, x strictly increasing (times); null below MIN_TREND_POINTS. */
export function trendOf(points: ReadonlyArray<readonly [number, number]>): Trend | null {
  const pts = points.filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const n = pts.length;
  if (n < MIN_TREND_POINTS) return null;
  const slopes: number[] = [];
  let s = 0;
  for (let i = 0; i < n - 1; i++)
    for (let j = i + 1; j < n; j++) {
      const [xi, yi] = pts[i]!;
      const [xj, yj] = pts[j]!;
      s += Math.sign(yj - yi);
      if (xj !== xi) slopes.push((yj - yi) / (xj - xi));
    }
  const slope = median(slopes);
  const intercept = median(pts.map(([x, y]) => y - slope * x));
  const varS = (n * (n - 1) * (2 * n + 5) - tieTerm(pts.map(([, y]) => y))) / 18;
  const z = varS > 0 ? (s > 0 ? s - 1 : s < 0 ? s + 1 : 0) / Math.sqrt(varS) : 0;
  const p = Math.min(1, 2 * (1 - normalCdf(Math.abs(z))));
  return { n, slope, intercept, s, varS, z, p };
}

/** Σ t(t−1)(2t+5) over groups of equal values: what ties take from Var(S). */
function tieTerm(ys: readonly number[]): number {
  const counts = new Map<number, number>();
  for (const y of ys) counts.set(y, (counts.get(y) ?? 0) + 1);
  let sum = 0;
  for (const t of counts.values()) sum += t * (t - 1) * (2 * t + 5);
  return sum;
}

/** Whether the trend is upward and significant at `alpha` (two-sided p). */
export const risingSignificantly = (t: Trend | null, alpha: number): t is Trend =>
  !!t && t.slope > 0 && t.s > 0 && t.p < alpha;

/** Whether the trend is downward and significant at `alpha` (two-sided p). */
export const fallingSignificantly = (t: Trend | null, alpha: number): t is Trend =>
  !!t && t.slope < 0 && t.s < 0 && t.p < alpha;

/**
 * Thins a series to at most `max` points by taking every k-th (evenly, first and last kept): the test
 * is O(n²) pairs, and points closer than a GC cycle add pairs, not information.
 */
export function thin<T>(xs: readonly T[], max: number): T[] {
  if (xs.length <= max) return [...xs];
  const out: T[] = [];
  for (let i = 0; i < max; i++) out.push(xs[Math.round((i * (xs.length - 1)) / (max - 1))]!);
  return out;
}

/** Φ(z) from simple-statistics' error function (its cumulativeStdNormalProbability is a table to 0.01 in z). */
const normalCdf = (z: number) => (1 + errorFunction(z / Math.SQRT2)) / 2;
