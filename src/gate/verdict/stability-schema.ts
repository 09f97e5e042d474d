// The soak's stability judgement in verdict.json (./stability-judge.ts builds it): per metric of
// src/slos/stability.ts, its windows, Theil–Sen slope, Mann–Kendall p, the rise extrapolated over the
// profile's duration, the bound and the outcome. Present only for runs stability is judged on (soak and
// stress profiles, or a long steady phase); a failing metric is also a Failure with source `stability`.
import { z } from 'zod';

const outcome = z.enum(['PASS', 'FAIL', 'NOT MEASURED']);

export const stabilityMetricSchema = z.object({
  id: z.string(),
  title: z.string(),
  unit: z.enum(['bytes', 'seconds', 'ratio']),
  /** Windows with a value after warm-up. */
  windows: z.number().int().min(0),
  /** The worst (highest) window. */
  worst: z.number().nullable(),
  /** Where the trend line starts (after warm-up), in the metric's unit. */
  start: z.number().nullable(),
  slopePerHour: z.number().nullable(),
  /** The trend's rise over the profile's planned duration. */
  rise: z.number().nullable(),
  /** The trend line at the profile's planned end. */
  endLevel: z.number().nullable(),
  /** Two-sided Mann–Kendall p-value. */
  p: z.number().nullable(),
  significant: z.boolean(),
  bound: z.object({
    maxRise: z.number().optional(),
    maxRiseRatio: z.number().optional(),
    minRise: z.number().optional(),
    maxLevel: z.number().optional(),
    maxWindow: z.number().optional(),
  }),
  /** The rise limit applied: the tighter of maxRise and maxRiseRatio × start, never below minRise. */
  limit: z.number().nullable(),
  outcome,
  reason: z.string(),
  /** A ratio's numerator over the same windows (src/slos/stability.ts `numerator`), and its trend. */
  numerator: z
    .object({ title: z.string(), unit: z.string(), slopePerHour: z.number().nullable(), p: z.number().nullable() })
    .optional(),
  /** Why a rise past the bound did not fail: its numerator fell significantly. */
  excused: z.string().optional(),
});
export type StabilityMetricResult = z.infer<typeof stabilityMetricSchema>;

export const stabilitySchema = z.object({
  judged: z.literal(true),
  /** Why this run is judged (its profile, or its steady phase's length). */
  reason: z.string(),
  /** The judged span: the steady phase after warm-up. */
  span: z.object({ start: z.string(), end: z.string(), seconds: z.number() }),
  warmupSeconds: z.number(),
  windowSeconds: z.number(),
  /** The profile's planned duration: the horizon every trend is extrapolated over. */
  durationSeconds: z.number(),
  alpha: z.number(),
  metrics: z.array(stabilityMetricSchema),
  pass: z.boolean(),
});
export type StabilityJudgement = z.infer<typeof stabilitySchema>;
