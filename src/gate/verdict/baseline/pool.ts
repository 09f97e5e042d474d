// Several baseline runs (the last passing ones, as Keptn compares with): their evidence pooled into one
// baseline (counts summed, time blocks side by side), and the spread of their own p95s, which is the
// noise between runs that no single pair can show: a busier machine, a colder cache. A current run
// must sit above the baselines' prediction interval before the change counts as more than that noise.
import { bucketQuantile } from './bootstrap.js';
import type { SliDistribution } from './schema.js';

type Histogram = Extract<SliDistribution, { kind: 'histogram' }>;

/** One distribution from several runs' (null when they are of different kinds or buckets). */
export function pool(dists: readonly SliDistribution[]): SliDistribution | null {
  const [first, ...rest] = dists;
  if (!first) return null;
  if (first.kind === 'ratio') {
    if (rest.some((d) => d.kind !== 'ratio')) return null;
    const ratios = dists as Extract<SliDistribution, { kind: 'ratio' }>[];
    return {
      ...first,
      errors: ratios.reduce((s, d) => s + d.errors, 0),
      total: ratios.reduce((s, d) => s + d.total, 0),
    };
  }
  const hs = dists as Histogram[];
  if (hs.some((d) => d.kind !== 'histogram' || d.le.join() !== first.le.join())) return null;
  const counts = first.counts.map((_, i) => hs.reduce((s, d) => s + (d.counts[i] ?? 0), 0));
  const blocks = hs.every((d) => d.blocks)
    ? { seconds: first.blocks!.seconds, counts: hs.flatMap((d) => d.blocks!.counts) }
    : undefined;
  const { blocks: _drop, ...head } = first;
  return { ...head, counts, ...(blocks ? { blocks } : {}) };
}

/** One-sided 99% quantiles of Student's t by degrees of freedom (alpha 0.01, the comparison's). */
const T99: Readonly<Record<number, number>> = {
  1: 31.821,
  2: 6.965,
  3: 4.541,
  4: 3.747,
  5: 3.365,
  6: 3.143,
  7: 2.998,
  8: 2.896,
  9: 2.821,
  10: 2.764,
};
const t99 = (df: number) => T99[df] ?? 2.326 + 4.4 / df;

/** Below this many baseline runs their spread is no estimate of the noise between runs. */
export const MIN_RUNS_FOR_SPREAD = 3;

export interface BetweenRuns {
  readonly runs: number;
  readonly mean: number;
  readonly sd: number;
  /** The 99% one-sided prediction interval's ends for one more run of the same build. */
  readonly upper: number;
  readonly lower: number;
}

const stats = (xs: readonly number[]) => {
  const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
  return { mean, sd: Math.sqrt(xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1)) };
};

/**
 * The baselines' own values and where one more run of the same build would fall (null for fewer
 * than 3). Latency on a log scale: a busier machine makes every request slower by a factor, so the
 * runs' p95s spread multiplicatively (a run twice as slow is as likely as one half as slow).
 */
export function betweenRuns(q: number, dists: readonly SliDistribution[]): BetweenRuns | null {
  const latency = dists.every((d) => d.kind === 'histogram');
  const values = dists
    .map((d) => (d.kind === 'histogram' ? bucketQuantile(q, d) : d.total > 0 ? d.errors / d.total : null))
    .filter((v): v is number => v !== null && (!latency || v > 0));
  const k = values.length;
  if (k < MIN_RUNS_FOR_SPREAD) return null;
  const { mean, sd } = stats(values);
  const t = t99(k - 1) * Math.sqrt(1 + 1 / k);
  if (!latency) return { runs: k, mean, sd, upper: mean + t * sd, lower: mean - t * sd };
  const log = stats(values.map(Math.log));
  return { runs: k, mean, sd, upper: Math.exp(log.mean + t * log.sd), lower: Math.exp(log.mean - t * log.sd) };
}
