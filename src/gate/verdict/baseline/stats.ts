// The tests that say whether a run is worse than its baseline beyond the runs' own noise: the
// Mann-Whitney U test on bucketed latency samples (every sample in one bucket is a tie), and the
// two-proportion z-test with Newcombe's interval for ratios. The normal distribution comes from
// simple-statistics (its error function, accurate to about 1e-7, far below the 0.01 the gate asks).
// One-sided throughout: the question is only ever "is the current run worse?".
import { errorFunction } from 'simple-statistics';

/** P(Z <= z) for a standard normal Z. */
export const normalCdf = (z: number): number => 0.5 * (1 + errorFunction(z / Math.SQRT2));
/** P(Z > z). */
export const normalSf = (z: number): number => 0.5 * (1 - errorFunction(z / Math.SQRT2));

/** The two-sided 95% normal quantile. */
export const Z95 = 1.959963984540054;

export interface RankTest {
  readonly n1: number;
  readonly n2: number;
  /** U of the current run: pairs (baseline, current) where current is larger, ties counting a half. */
  readonly u: number;
  readonly z: number;
  /** One-sided: the chance of a U this large if both runs drew from one distribution. */
  readonly pValue: number;
  /** P(current > baseline) + P(tie)/2 = U / (n1·n2): 0.5 is no shift. */
  readonly probabilityOfSuperiority: number;
  /** 2·PS − 1, from −1 (every current sample faster) to 1 (every one slower). */
  readonly rankBiserial: number;
}

/**
 * Mann-Whitney U on bucketed samples: `baseline[i]` and `current[i]` count the samples in bucket i
 * (buckets ascending, not cumulative). Ties per bucket get the bucket's mid-rank; the variance carries
 * the tie correction; normal approximation with continuity correction (scipy's asymptotic method).
 */
export function mannWhitneyBucketed(baseline: readonly number[], current: readonly number[]): RankTest {
  if (baseline.length !== current.length) throw new Error('mannWhitneyBucketed: the runs have different buckets');
  const n1 = baseline.reduce((a, b) => a + b, 0);
  const n2 = current.reduce((a, b) => a + b, 0);
  if (n1 <= 0 || n2 <= 0) throw new Error('mannWhitneyBucketed: a run has no samples');
  const n = n1 + n2;
  let below = 0;
  let rankSum = 0;
  let ties = 0;
  for (let i = 0; i < baseline.length; i++) {
    const t = baseline[i]! + current[i]!;
    rankSum += current[i]! * (below + (t + 1) / 2);
    ties += t ** 3 - t;
    below += t;
  }
  const u = rankSum - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const variance = ((n1 * n2) / 12) * (n + 1 - ties / (n * (n - 1)));
  const z = variance > 0 ? (u - mean - 0.5) / Math.sqrt(variance) : 0;
  const ps = u / (n1 * n2);
  return {
    n1,
    n2,
    u,
    z,
    pValue: variance > 0 ? normalSf(z) : 1,
    probabilityOfSuperiority: ps,
    rankBiserial: 2 * ps - 1,
  };
}

/** Wilson's score interval for a proportion (good at 0 and with few events, unlike Wald's). */
export function wilson(events: number, n: number, z = Z95): readonly [number, number] {
  if (n <= 0) return [0, 1];
  const p = events / n;
  const d = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / d;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / d;
  // Exact at the edges: no events has a lower bound of 0, not 1e-18.
  return [events <= 0 ? 0 : Math.max(0, centre - half), events >= n ? 1 : Math.min(1, centre + half)];
}

export interface ProportionTest {
  readonly baseline: number;
  readonly current: number;
  /** current − baseline */
  readonly difference: number;
  readonly z: number;
  /** One-sided: the chance of a current ratio this much higher if both runs had one rate. */
  readonly pValue: number;
  /** Newcombe's hybrid score interval (method 10) for the difference, 95%. */
  readonly ci: readonly [number, number];
}

/** Two-proportion z-test (pooled) of `e2/n2` (current) against `e1/n1` (baseline). */
export function twoProportion(e1: number, n1: number, e2: number, n2: number): ProportionTest {
  if (n1 <= 0 || n2 <= 0) throw new Error('twoProportion: a run has no events');
  const p1 = e1 / n1;
  const p2 = e2 / n2;
  const pooled = (e1 + e2) / (n1 + n2);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2));
  const z = se > 0 ? (p2 - p1) / se : 0;
  const [l1, u1] = wilson(e1, n1);
  const [l2, u2] = wilson(e2, n2);
  const d = p2 - p1;
  const ci = [d - Math.hypot(p2 - l2, u1 - p1), d + Math.hypot(u2 - p2, p1 - l1)] as const;
  return { baseline: p1, current: p2, difference: d, z, pValue: se > 0 ? normalSf(z) : 1, ci };
}

/** How many orderings of n1 + n2 distinct values give each U (0 … n1·n2): the exact null distribution. */
function exactUCounts(n1: number, n2: number): number[] {
  // f(m, n)[u] = f(m - 1, n)[u - n] + f(m, n - 1)[u], built row by row over m.
  let prev: number[][] = Array.from({ length: n2 + 1 }, () => [1]);
  for (let m = 1; m <= n1; m++) {
    const row: number[][] = [[1]];
    for (let n = 1; n <= n2; n++) {
      const a = prev[n]!;
      const b = row[n - 1]!;
      const out = new Array<number>(m * n + 1).fill(0);
      for (let u = 0; u < a.length; u++) out[u + n]! += a[u]!;
      for (let u = 0; u < b.length; u++) out[u]! += b[u]!;
      row.push(out);
    }
    prev = row;
  }
  return prev[n2]!;
}

/**
 * Mann-Whitney U on a few values per run (e.g. each time block's p95), one-sided "current larger":
 * exact without ties up to 40 values, else the normal approximation with the tie correction.
 */
export function mannWhitneyValues(baseline: readonly number[], current: readonly number[]): RankTest {
  const values = [...new Set([...baseline, ...current])].sort((a, b) => a - b);
  const count = (xs: readonly number[]) => values.map((v) => xs.filter((x) => x === v).length);
  const approx = mannWhitneyBucketed(count(baseline), count(current));
  const ties = values.length < baseline.length + current.length;
  if (ties || baseline.length + current.length > 40) return approx;
  const dist = exactUCounts(baseline.length, current.length);
  const total = dist.reduce((a, b) => a + b, 0);
  const atLeast = dist.slice(Math.round(approx.u)).reduce((a, b) => a + b, 0);
  return { ...approx, pValue: atLeast / total };
}
