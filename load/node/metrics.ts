// Run-wide measurements in the shape of k6's summary export, so one verdict reads both runners.

const percentile = (sorted: readonly number[], p: number): number => {
  if (!sorted.length) return 0;
  // k6 interpolates linearly between closest ranks; do the same so both runners agree.
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo]! + (sorted[hi]! - sorted[lo]!) * (rank - lo);
};

export class RunMetrics {
  private readonly trends = new Map<string, number[]>();
  private readonly rates = new Map<string, { passes: number; fails: number }>();
  private readonly counters = new Map<string, number>();
  readonly checkCounts = new Map<string, { passes: number; fails: number }>();

  trend(name: string, value: number): void {
    let values = this.trends.get(name);
    if (!values) this.trends.set(name, (values = []));
    values.push(value);
  }
  rate(name: string, hit: boolean): void {
    const r = this.rates.get(name) ?? { passes: 0, fails: 0 };
    if (hit) r.passes++;
    else r.fails++;
    this.rates.set(name, r);
  }
  count(name: string, n = 1): void {
    this.counters.set(name, (this.counters.get(name) ?? 0) + n);
  }
  check(name: string, ok: boolean): void {
    this.rate('checks', ok);
    const c = this.checkCounts.get(name) ?? { passes: 0, fails: 0 };
    if (ok) c.passes++;
    else c.fails++;
    this.checkCounts.set(name, c);
  }

  /**
   * k6 `--summary-export` layout: Trend stats, Rate `value`/`passes`/`fails`, Counter `count`/`rate`.
   * `counters` are listed even at zero, as k6 lists a metric that a threshold names.
   */
  summary(
    durationMs: number,
    counters: readonly string[] = [],
  ): {
    metrics: Record<string, Record<string, number>>;
    root_group: { checks: Record<string, { name: string; passes: number; fails: number }> };
    state: { testRunDurationMs: number };
  } {
    const metrics: Record<string, Record<string, number>> = {};
    for (const [name, values] of this.trends) {
      const sorted = [...values].sort((a, b) => a - b);
      metrics[name] = {
        avg: sorted.reduce((s, v) => s + v, 0) / sorted.length,
        min: sorted[0]!,
        med: percentile(sorted, 50),
        max: sorted.at(-1)!,
        'p(90)': percentile(sorted, 90),
        'p(95)': percentile(sorted, 95),
        'p(99)': percentile(sorted, 99),
        count: sorted.length,
      };
    }
    for (const [name, r] of this.rates)
      metrics[name] = { passes: r.passes, fails: r.fails, value: r.passes / Math.max(1, r.passes + r.fails) };
    for (const name of counters) if (!this.counters.has(name)) metrics[name] = { count: 0, rate: 0 };
    for (const [name, n] of this.counters) metrics[name] = { count: n, rate: n / Math.max(0.001, durationMs / 1000) };
    const checks = Object.fromEntries(
      [...this.checkCounts].sort(([a], [b]) => a.localeCompare(b)).map(([name, c]) => [name, { name, ...c }]),
    );
    return { metrics, root_group: { checks }, state: { testRunDurationMs: durationMs } };
  }
}
