// How far before a run its recording must reach: a gate alert's state at the run's start depends on
// its expression over the preceding `for`, and each evaluation of it on the longest range window it
// reads, through the recording rules it uses. So: max over gate alerts of (for + longest window in
// its expression and its recording rules, transitively), capped (the 1d-30d burn-rate windows are
// not the gate's business and would make every archive a month of data).
import { rangeWindows, selectors } from '../../kernel/promql.js';

/** A rule as Prometheus's /api/v1/rules lists it (the fields this needs). */
export interface LoadedRule {
  readonly type: 'recording' | 'alerting';
  readonly name: string;
  readonly query: string;
  /** Alerting rules: the hold (`for`) in seconds. */
  readonly duration?: number;
  readonly labels?: Readonly<Record<string, string>>;
}

export const MAX_LOOKBACK_S = 3600;

const longestWindow = (expr: string) => Math.max(0, ...rangeWindows(expr).map((w) => w.seconds ?? 0));

/** Seconds of data before the run the gate alerts (label gate="release") need, at most `max`. */
export function gateLookbackSeconds(rules: readonly LoadedRule[], max = MAX_LOOKBACK_S): number {
  const records = new Map<string, string[]>();
  for (const r of rules) if (r.type === 'recording') records.set(r.name, [...(records.get(r.name) ?? []), r.query]);
  const reach = (expr: string, seen: Set<string>): number => {
    let longest = longestWindow(expr);
    for (const s of selectors(expr)) {
      if (!records.has(s.metric) || seen.has(s.metric)) continue;
      seen.add(s.metric);
      for (const q of records.get(s.metric)!) longest = Math.max(longest, reach(q, seen));
    }
    return longest;
  };
  const needs = rules
    .filter((r) => r.type === 'alerting' && r.labels?.gate === 'release')
    .map((r) => (r.duration ?? 0) + reach(r.query, new Set()));
  return Math.min(max, Math.max(0, ...needs));
}

/** Metric names the rules read that are raw series: not a recording rule's output, not ALERTS. */
export function rawMetricsRead(rules: readonly LoadedRule[]): string[] {
  const records = new Set(rules.filter((r) => r.type === 'recording').map((r) => r.name));
  const names = new Set<string>();
  for (const r of rules)
    for (const s of selectors(r.query))
      if (s.metric && !records.has(s.metric) && !s.metric.startsWith('ALERTS')) names.add(s.metric);
  return [...names].sort();
}
