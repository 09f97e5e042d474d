// What a verdict keeps for a later comparison, and what the comparison says. Both optional in
// verdict.json, so older verdicts still parse: a baseline without distributions compares point values
// only, and the comparison says so.
import { z } from 'zod';

/** The SLI over the run, every `stepSeconds`, at seconds since the run's start: the report's overlay. */
export const sliSeriesSchema = z.object({
  stepSeconds: z.number().positive(),
  windowSeconds: z.number().positive(),
  expr: z.string(),
  points: z.array(z.tuple([z.number(), z.number()])),
});
export type SliSeries = z.infer<typeof sliSeriesSchema>;

/** One SLO's evidence over the whole run window, from the target's own metrics in Prometheus. */
export const sliDistributionSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('histogram'),
    /** `sum by (le) (increase(<histogram>_bucket{...}[run]))`, made non-cumulative. */
    query: z.string(),
    /** Finite upper bounds, ascending; `counts` has one more entry, the +Inf bucket. */
    le: z.array(z.number()),
    counts: z.array(z.number().min(0)),
    /**
     * The same counts per consecutive time block of the run: how much the run varies with itself over
     * time (a busy neighbour, a GC pause), which requests alone, taken as independent, do not show.
     */
    blocks: z.object({ seconds: z.number().positive(), counts: z.array(z.array(z.number().min(0))) }).optional(),
    series: sliSeriesSchema.nullable(),
  }),
  z.object({
    kind: z.literal('ratio'),
    query: z.string(),
    errors: z.number().min(0),
    total: z.number().min(0),
    series: sliSeriesSchema.nullable(),
  }),
]);
export type SliDistribution = z.infer<typeof sliDistributionSchema>;

export const distributionsSchema = z.record(z.string(), sliDistributionSchema);

/**
 * WORSE: beyond the tolerance and the runs' own noise, but with fewer than three baseline runs the noise
 * between runs is unknown: reported, never failing. REGRESSED: beyond that too.
 */
export const COMPARISON_OUTCOMES = ['SAME', 'IMPROVED', 'WORSE', 'REGRESSED', 'NOT COMPARABLE'] as const;
export type ComparisonOutcome = (typeof COMPARISON_OUTCOMES)[number];

export const sloComparisonSchema = z.object({
  slo: z.string(),
  title: z.string(),
  unit: z.enum(['ratio', 'seconds', 'count']),
  outcome: z.enum(COMPARISON_OUTCOMES),
  /** distribution: judged on both runs' buckets or counts; point: the baseline has only its value. */
  basis: z.enum(['distribution', 'point', 'none']),
  baseline: z.number().nullable(),
  current: z.number().nullable(),
  change: z.object({ absolute: z.number(), relative: z.number().nullable() }).nullable(),
  /** Worse by more than this is a practical regression: max(relative × baseline, absolute). */
  tolerance: z.object({ relative: z.number(), absolute: z.number(), allowed: z.number().nullable(), text: z.string() }),
  test: z
    .object({
      method: z.enum(['mann-whitney', 'two-proportion']),
      pValue: z.number(),
      /** 1 − p: how sure the test is that the current run is worse. */
      confidence: z.number(),
      effect: z.object({ name: z.string(), value: z.number() }),
      /** 95% interval of the change (bootstrap of the p95 for latency, Newcombe for ratios). */
      ci: z.tuple([z.number(), z.number()]),
      samples: z.object({ baseline: z.number(), current: z.number() }),
      /** The runs' time blocks compared with each other (latency): the runs' own noise over time. */
      blocks: z
        .object({ baseline: z.number().int(), current: z.number().int(), pValue: z.number() })
        .nullable()
        .optional(),
      /** Three or more baseline runs: their own values' spread, and the 99% prediction interval of one more. */
      between: z
        .object({ runs: z.number().int(), mean: z.number(), sd: z.number(), upper: z.number(), lower: z.number() })
        .nullable()
        .optional(),
    })
    .nullable(),
  reason: z.string(),
  /** The baseline run's SLI over time (from its verdict), for the report's overlay. */
  baselineSeries: sliSeriesSchema.nullable(),
});
export type SloComparison = z.infer<typeof sloComparisonSchema>;

export const baselineSectionSchema = z.object({
  /** compared: judged against a baseline; none: no baseline given or found (relative criteria not judged). */
  status: z.enum(['compared', 'none']),
  /** The baseline's verdict file (the newest, when several), or null. */
  file: z.string().nullable(),
  /** Every baseline verdict pooled, newest first (--baseline latest-pass keeps the last few passing runs). */
  files: z.array(z.string()).optional(),
  note: z.string(),
  /** The profile's `regression`: fail (REGRESSED fails the gate) or warn (reported, the verdict stands). */
  policy: z.enum(['fail', 'warn']),
  /** The significance level each one-sided test is held to. */
  alpha: z.number(),
  run: z
    .object({ profile: z.string(), verdict: z.string(), window: z.object({ start: z.string(), end: z.string() }) })
    .nullable(),
  slos: z.array(sloComparisonSchema),
  regressed: z.array(z.string()),
});
export type BaselineSection = z.infer<typeof baselineSectionSchema>;

export const NO_BASELINE = 'no baseline: relative criteria not judged';
