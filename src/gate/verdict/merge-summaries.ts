// The instances' k6 summaries as one: counts and a Rate's passes/fails are summed (its value is the
// union's passes over the union's samples, never a mean of the instances' rates). A Trend's
// percentiles, mean and median cannot be merged from summaries and are dropped; the caller fills
// each judged percentile from the union's native histograms in Prometheus (./k6-prometheus.ts), and
// one left unfilled reads NOT MEASURED (fail closed).
import { samplesMetric } from '../../load-contract/metrics.js';
import type { RunSummary } from './load-summary.js';
import type { Failure } from './schema.js';

type Stats = Record<string, unknown>;
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function mergeMetric(parts: readonly Stats[]): Stats {
  const out: Stats = {};
  const sum = (k: string) => parts.reduce((s, p) => s + (num(p[k]) ?? 0), 0);
  if (parts.some((p) => 'passes' in p || 'fails' in p)) {
    const [passes, fails] = [sum('passes'), sum('fails')];
    Object.assign(out, { passes, fails, value: passes + fails ? passes / (passes + fails) : 0 });
  }
  if (parts.some((p) => 'count' in p)) Object.assign(out, { count: sum('count'), rate: sum('rate') });
  const mins = parts.map((p) => num(p.min)).filter((v): v is number => v !== undefined);
  const maxs = parts.map((p) => num(p.max)).filter((v): v is number => v !== undefined);
  if (mins.length) out.min = Math.min(...mins);
  if (maxs.length) out.max = Math.max(...maxs);
  return out;
}

type CheckList = Record<string, { name: string; passes: number; fails: number }> | unknown[];

function checksOf(s: RunSummary): Array<{ name: string; passes: number; fails: number }> {
  const list = s.root_group?.checks as CheckList | undefined;
  return (Array.isArray(list) ? list : Object.values(list ?? {})) as Array<{
    name: string;
    passes: number;
    fails: number;
  }>;
}

export function mergeSummaries(summaries: readonly RunSummary[]): RunSummary {
  if (!summaries.length) throw new Error('no summaries to merge');
  const names = [...new Set(summaries.flatMap((s) => Object.keys(s.metrics)))];
  const metrics = Object.fromEntries(
    names.map((n) => [n, mergeMetric(summaries.map((s) => s.metrics[n]).filter((m): m is Stats => !!m))]),
  );
  const checks = new Map<string, { name: string; passes: number; fails: number }>();
  for (const c of summaries.flatMap(checksOf)) {
    const known = checks.get(c.name) ?? { name: c.name, passes: 0, fails: 0 };
    checks.set(c.name, { name: c.name, passes: known.passes + c.passes, fails: known.fails + c.fails });
  }
  return { metrics, root_group: { checks: [...checks.values()] } };
}

/** The merged summary with each trend's percentile set from the union (null: not measured). */
export function withPercentiles(summary: RunSummary, p95: Readonly<Record<string, number | null>>): RunSummary {
  const metrics = { ...summary.metrics };
  for (const [metric, value] of Object.entries(p95)) metrics[metric] = { ...(metrics[metric] ?? {}), 'p(95)': value };
  return { ...summary, metrics };
}

/**
 * Trends the instances sampled whose union percentile Prometheus could not give: most likely a
 * Prometheus without --enable-feature=native-histograms (it drops them). Said plainly, beside the
 * NOT MEASURED it causes.
 */
export function missingPercentiles(summary: RunSummary, p95: Readonly<Record<string, number | null>>): Failure[] {
  return Object.entries(p95)
    .filter(([metric, v]) => v === null && (num(summary.metrics[samplesMetric(metric)]?.count) ?? 0) > 0)
    .map(([metric]) => ({
      source: 'evidence',
      subject: `k6_${metric}_seconds`,
      reason: `the instances sampled ${metric}, but Prometheus holds no native histogram of it to take the union's p95 from: start Prometheus with --enable-feature=native-histograms (and the remote-write receiver)`,
    }));
}
