// The soak's must-pass criteria as data ("stable memory/CPU, no increasing error trend", the plan's
// case 6), beside the SLOs they extend. The verdict (src/gate/verdict/stability.ts) judges them, the
// report shows the judgement, docs/soak.md explains them; all three read this object, so a bound is
// changed here and nowhere else.
//
// Every series is judged after warm-up, per window (not per scrape: a window spans several GC cycles),
// with a trend test (Theil–Sen slope, Mann–Kendall significance). A metric fails when its trend is a
// significant rise AND the trend line, extrapolated over the profile's planned duration, breaks its
// bound. Significance alone is not a failure (a 3 MiB rise can be significant and harmless), and a big
// rise that is not significant is noise.
import { slos } from './index.js';

const MiB = 2 ** 20;

export type StabilityMetricId =
  'resident-memory' | 'heap-used' | 'cpu-per-request' | 'event-loop-lag-p99' | 'error-ratio';

/** What a metric's bound limits: its rise over the profile's duration, or the level it reaches. */
export interface StabilityBound {
  /** The rise over the profile's duration may not exceed this, in the metric's unit. */
  readonly maxRise?: number;
  /** The rise may not exceed this share of where the trend line starts (after warm-up). */
  readonly maxRiseRatio?: number;
  /**
   * The rise limit is never below this: V8 grows and shrinks its spaces and the allocator keeps pages,
   * so tens of MiB move in a healthy process (measured on clean compressed soaks: RSS −37 to +44 MiB,
   * heap −41 to +12 MiB in 2.5 minutes, some of it significant). A rise this small is not a leak.
   */
  readonly minRise?: number;
  /** The trend line at the profile's end, and the worst window, may not exceed this level. */
  readonly maxLevel?: number;
  /** No window may exceed this level (a bound on the value itself, trend or not). */
  readonly maxWindow?: number;
}

export interface StabilityMetric {
  readonly id: StabilityMetricId;
  readonly title: string;
  readonly unit: 'bytes' | 'seconds' | 'ratio';
  /**
   * How each window's samples become one point: `floor` (the window's minimum: the level after the
   * collector ran, which a leak raises and a GC sawtooth does not), `median` (a gauge's typical value)
   * or `window` (a rate over the window, computed by Prometheus).
   */
  readonly per: 'floor' | 'median' | 'window';
  readonly bound: StabilityBound;
  /**
   * For a ratio per window: its numerator alone, in units per second. A significant rise of the ratio
   * while this falls significantly is the denominator falling faster, not a costlier unit (under
   * closed-loop load a busier machine serves fewer requests, and each carries more of the process's
   * work that is not per request); it is reported, not failed. Left out where a falling numerator
   * excuses nothing (a 5xx ratio rising is a failure however few requests there are).
   */
  readonly numerator?: { readonly title: string; readonly unit: string };
  /** Why this bound, in a sentence (the report and docs/soak.md print it). */
  readonly why: string;
}

const http5xx = slos.http5xxRatio.threshold;

export const STABILITY = {
  /** Judged for these profiles, and for any other whose steady phase lasts at least `minSteadySeconds`. */
  profiles: ['soak', 'stress'] as readonly string[],
  minSteadySeconds: 30 * 60,
  /** Excluded from the start of the steady phase (JIT, pools, caches filling): a share, clamped. */
  warmup: { share: 0.1, minSeconds: 30, maxSeconds: 600 },
  /** The judged span is cut into about `count` windows, each at least `minSeconds` and `minScrapes` scrapes. */
  windows: { count: 30, minSeconds: 10, minScrapes: 5 },
  /** Two-sided Mann–Kendall significance. */
  alpha: 0.05,
  metrics: [
    {
      id: 'resident-memory',
      title: 'Resident memory (RSS)',
      unit: 'bytes',
      per: 'floor',
      bound: { maxRise: 256 * MiB, maxRiseRatio: 0.25, minRise: 64 * MiB },
      why: 'a leak raises the memory left after each collection; a quarter more within one run, continued over days of uptime, ends in an out-of-memory kill',
    },
    {
      id: 'heap-used',
      title: 'V8 heap used',
      unit: 'bytes',
      per: 'floor',
      bound: { maxRise: 128 * MiB, maxRiseRatio: 0.25, minRise: 24 * MiB },
      why: 'the heap after collection is where JavaScript objects leak; RSS alone hides it behind the allocator',
    },
    {
      id: 'cpu-per-request',
      title: 'CPU seconds per request',
      unit: 'seconds',
      per: 'window',
      bound: { maxRiseRatio: 0.25 },
      numerator: { title: "the process's CPU", unit: 'cores' },
      why: "per request, so more load is not read as a regression; a rise means each request costs more as the process ages (GC pressure, growing structures). A rise while the process's CPU falls is fewer requests sharing the work that is not per request (a busier machine under closed-loop load): reported, not failed",
    },
    {
      id: 'event-loop-lag-p99',
      title: 'Event-loop lag p99',
      unit: 'seconds',
      per: 'median',
      bound: { maxLevel: 0.2, maxWindow: 0.2 },
      why: 'every request and socket waits behind the event loop; 200 ms is well inside the 300 ms API latency SLO',
    },
    {
      id: 'error-ratio',
      title: 'HTTP 5xx ratio',
      unit: 'ratio',
      per: 'window',
      bound: { maxRise: http5xx / 2, maxLevel: http5xx },
      why: `the 5xx SLO (${http5xx * 100}%) per window is the window source's; here a rising trend fails once it would add half the SLO over the run, or reach it by the run's end`,
    },
  ] satisfies StabilityMetric[] as readonly StabilityMetric[],
} as const;

/** Whether a profile's run is judged for stability: soak and stress by name, any other when its steady phase is long. */
export const stabilityJudged = (profileName: string, steadySeconds: number): boolean =>
  STABILITY.profiles.includes(profileName) || steadySeconds >= STABILITY.minSteadySeconds;

/** Seconds of warm-up excluded from the start of a steady phase of `steadySeconds`. */
export const warmupSeconds = (steadySeconds: number): number =>
  Math.min(
    STABILITY.warmup.maxSeconds,
    Math.max(STABILITY.warmup.minSeconds, steadySeconds * STABILITY.warmup.share),
    steadySeconds / 2,
  );

/** The window length for a judged span of `seconds` at `scrapeSeconds`. */
export const stabilityWindowSeconds = (seconds: number, scrapeSeconds: number): number =>
  Math.ceil(
    Math.max(
      STABILITY.windows.minSeconds,
      STABILITY.windows.minScrapes * scrapeSeconds,
      seconds / STABILITY.windows.count,
    ),
  );

/** A value in a stability metric's unit, as the verdict, the report and docs/soak.md print it. */
export function formatStability(unit: StabilityMetric['unit'], v: number): string {
  const r = (x: number) => Number(x.toPrecision(3));
  if (unit === 'bytes') return `${r(v / MiB)} MiB`;
  if (unit === 'ratio') return `${r(v * 100)}%`;
  return Math.abs(v) < 0.001 ? `${r(v * 1e6)} µs` : `${r(v * 1000)} ms`;
}

/** The bounds as the Markdown table docs/soak.md carries (test/slos/stability.test.ts keeps the two equal). */
export function stabilityBoundsMarkdown(): string {
  const rows = STABILITY.metrics.map((m) => {
    const b = m.bound;
    const f = (v: number) => formatStability(m.unit, v);
    const bound = [
      b.maxRiseRatio !== undefined
        ? `rise ≤ ${b.maxRiseRatio * 100}% of its start${b.maxRise !== undefined ? `, at most ${f(b.maxRise)}` : ''}${b.minRise !== undefined ? `, at least ${f(b.minRise)}` : ''}`
        : b.maxRise !== undefined
          ? `rise ≤ ${f(b.maxRise)}`
          : '',
      b.maxLevel !== undefined ? `level ≤ ${f(b.maxLevel)} by the end` : '',
      b.maxWindow !== undefined ? `every window ≤ ${f(b.maxWindow)}` : '',
    ]
      .filter(Boolean)
      .join('; ');
    return `| ${m.title} (\`${m.id}\`) | ${m.per === 'floor' ? "each window's minimum" : m.per === 'median' ? "each window's median" : 'over each window'} | ${bound} | ${m.why} |`;
  });
  return ["| metric | per window | bound (over the profile's duration) | why |", '|---|---|---|---|', ...rows].join(
    '\n',
  );
}
