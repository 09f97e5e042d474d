// A quantile from histogram buckets, as Prometheus's histogram_quantile computes it, and a bootstrap
// interval for the change in that quantile between two runs: each run's bucket counts resampled
// multinomially (the run drawn again from its own distribution), the quantile taken from each
// resample. Seeded from the counts, so the same pair of runs always gets the same interval.
import { seededRandom } from '../../../kernel/random.js';

/** Buckets as Prometheus keeps them, made non-cumulative: `counts[i]` in (le[i-1], le[i]], the last in (le[last], +Inf). */
export interface Buckets {
  /** Finite upper bounds, ascending. */
  readonly le: readonly number[];
  /** One more than `le`: the +Inf bucket last. */
  readonly counts: readonly number[];
}

/** histogram_quantile(q): linear within the bucket; a quantile in +Inf reads the highest finite bound. */
export function bucketQuantile(q: number, b: Buckets, counts: readonly number[] = b.counts): number | null {
  const total = counts.reduce((s, c) => s + c, 0);
  if (total <= 0) return null;
  const rank = q * total;
  let below = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (below + c >= rank && c > 0) {
      if (i >= b.le.length) return b.le[b.le.length - 1] ?? null;
      const lower = i === 0 ? 0 : b.le[i - 1]!;
      return lower + (b.le[i]! - lower) * ((rank - below) / c);
    }
    below += c;
  }
  return b.le[b.le.length - 1] ?? null;
}

function normal(rand: () => number): number {
  const u = Math.max(rand(), Number.MIN_VALUE);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

/** Binomial(n, p): exact for small n or small n·p (inversion), normal approximation when the variance is large. */
function binomial(n: number, p: number, rand: () => number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  if (p > 0.5) return n - binomial(n, 1 - p, rand);
  if (n <= 64) {
    let k = 0;
    for (let i = 0; i < n; i++) if (rand() < p) k++;
    return k;
  }
  const variance = n * p * (1 - p);
  if (variance >= 9) return Math.min(n, Math.max(0, Math.round(n * p + Math.sqrt(variance) * normal(rand))));
  // n·p is small here (under 18): walk the pmf from 0.
  const s = p / (1 - p);
  let r = (1 - p) ** n;
  let u = rand();
  let x = 0;
  while (u > r && x < n) {
    u -= r;
    x++;
    r *= ((n - x + 1) / x) * s;
  }
  return x;
}

function multinomial(counts: readonly number[], rand: () => number): number[] {
  const total = counts.reduce((s, c) => s + c, 0);
  let left = total;
  let share = 1;
  return counts.map((c) => {
    const p = c / total;
    const x = share > 0 ? binomial(left, Math.min(1, p / share), rand) : 0;
    left -= x;
    share -= p;
    return x;
  });
}

export interface QuantileChange {
  readonly baseline: number;
  readonly current: number;
  /** current − baseline, and its percentile-bootstrap 95% interval. */
  readonly change: number;
  readonly ci: readonly [number, number];
  readonly resamples: number;
}

/** The change in quantile q between two runs' buckets, with a bootstrap 95% interval (null without samples). */
export function quantileChange(
  q: number,
  baseline: Buckets,
  current: Buckets,
  resamples = 2000,
): QuantileChange | null {
  const b0 = bucketQuantile(q, baseline);
  const c0 = bucketQuantile(q, current);
  if (b0 === null || c0 === null) return null;
  const seed = [...baseline.counts, ...current.counts].reduce(
    (h, c) => Math.imul(h ^ Math.round(c), 16777619),
    2166136261,
  );
  const rand = seededRandom(seed);
  const diffs: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const b = bucketQuantile(q, baseline, multinomial(baseline.counts, rand));
    const c = bucketQuantile(q, current, multinomial(current.counts, rand));
    if (b !== null && c !== null) diffs.push(c - b);
  }
  diffs.sort((x, y) => x - y);
  const at = (f: number) => diffs[Math.min(diffs.length - 1, Math.max(0, Math.floor(f * diffs.length)))]!;
  return { baseline: b0, current: c0, change: c0 - b0, ci: [at(0.025), at(0.975)], resamples };
}

/**
 * The same change with the run's time blocks resampled instead of its requests (a cluster bootstrap):
 * requests in one block share the machine's state, so the interval carries the runs' own variation
 * over time, not only the sampling noise of independent requests.
 */
export function blockQuantileChange(
  q: number,
  le: readonly number[],
  baseline: readonly (readonly number[])[],
  current: readonly (readonly number[])[],
  resamples = 2000,
): QuantileChange | null {
  const pool = (blocks: readonly (readonly number[])[]) =>
    blocks.reduce((sum, b) => sum.map((s, i) => s + (b[i] ?? 0)), new Array<number>(le.length + 1).fill(0));
  const b0 = bucketQuantile(q, { le, counts: pool(baseline) });
  const c0 = bucketQuantile(q, { le, counts: pool(current) });
  if (b0 === null || c0 === null || !baseline.length || !current.length) return null;
  const rand = seededRandom(
    [...baseline.flat(), ...current.flat()].reduce((h, c) => Math.imul(h ^ Math.round(c), 16777619), 2166136261),
  );
  const draw = (blocks: readonly (readonly number[])[]) =>
    pool(Array.from({ length: blocks.length }, () => blocks[Math.floor(rand() * blocks.length)]!));
  const diffs: number[] = [];
  for (let i = 0; i < resamples; i++) {
    const b = bucketQuantile(q, { le, counts: draw(baseline) });
    const c = bucketQuantile(q, { le, counts: draw(current) });
    if (b !== null && c !== null) diffs.push(c - b);
  }
  diffs.sort((x, y) => x - y);
  const at = (f: number) => diffs[Math.min(diffs.length - 1, Math.max(0, Math.floor(f * diffs.length)))]!;
  return { baseline: b0, current: c0, change: c0 - b0, ci: [at(0.025), at(0.975)], resamples };
}
