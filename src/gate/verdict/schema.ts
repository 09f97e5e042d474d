// The verdict's shape (artifacts/verdict.json), as a zod schema and its TypeScript type: the report
// and other helpers parse it with `verdictSchema`. Every reason the gate fails is a Failure naming its
// source; further evidence (e.g. browser journeys) joins as a named section that can fail the verdict.
import { z } from 'zod';
import { baselineSectionSchema, distributionsSchema } from './baseline/schema.js';
import { stabilitySchema, type StabilityJudgement } from './stability-schema.js';

export const VERDICT_SCHEMA_ID = 'stressgate.verdict/v1';

/** Where a failure was found. Sections add their own source names (e.g. `journeys`). */
export const CORE_SOURCES = [
  'k6',
  'node-runner',
  'prometheus-sli',
  'gate-alert',
  'evidence',
  'window',
  'stability',
] as const;
export type CoreSource = (typeof CORE_SOURCES)[number];

export const failureSchema = z.object({
  source: z
    .string()
    .describe('k6 | node-runner | prometheus-sli | gate-alert | evidence | window | stability | a section id'),
  subject: z.string().describe('what failed: an SLO id, an alert, a scenario, a check'),
  reason: z.string(),
});
export type Failure = z.infer<typeof failureSchema>;

export const outcomeSchema = z.enum(['PASS', 'FAIL', 'NOT MEASURED']);
export type Outcome = z.infer<typeof outcomeSchema>;

const measured = {
  value: z.number().nullable().describe('null when there were no samples'),
  samples: z.number().int().min(0),
  outcome: outcomeSchema,
};

/** One judged window of an SLI (./sliding-windows.ts): its value from Prometheus, the events behind it. */
const windowSchema = z.object({
  start: z.string(),
  end: z.string(),
  value: z.number().nullable(),
  samples: z.number().int().min(0),
  outcome: outcomeSchema,
});

/** An SLO judged over the run's phases and over sliding windows (./sliding-windows.ts, docs/verdict.md). */
export const sloWindowsSchema = z.object({
  /** The sliding window's length: the SLO's judge window, capped to what the steady phase holds. */
  seconds: z.number().positive(),
  step: z.number().positive(),
  minEvents: z.number().int().min(0),
  phases: z.array(
    windowSchema.extend({
      phase: z.enum(['ramp-up', 'steady', 'ramp-down']),
      /** A breach here fails the gate: always the steady phase; the ramps with the profile's `strictRamps`. */
      strict: z.boolean(),
      /** The worst measured sliding window inside this phase; null when none was measured. */
      worst: windowSchema.nullable(),
    }),
  ),
  /** The worst measured sliding window of the run, in whichever phase. */
  worst: windowSchema.extend({ phase: z.enum(['ramp-up', 'steady', 'ramp-down']) }).nullable(),
});
export type SloWindows = z.infer<typeof sloWindowsSchema>;

export const sloResultSchema = z.object({
  slo: z.string(),
  title: z.string(),
  /** false in a partial run for SLOs its scenarios do not feed: reported NOT MEASURED, not judged. */
  inScope: z.boolean(),
  /** The bound applied, in the SLO's unit; `profile` when the profile holds it tighter than the SLO. */
  bound: z.object({ value: z.number(), source: z.enum(['slo', 'profile']), text: z.string() }),
  load: z.object({ metric: z.string(), stat: z.enum(['rate', 'p(95)']), expression: z.string(), ...measured }),
  /** The same objective from the server's own metrics over the run window; null without Prometheus. */
  prometheus: z.object({ expr: z.string(), ...measured }).nullable(),
  /** Per phase and sliding window (./sliding-windows.ts); absent without Prometheus. */
  windows: sloWindowsSchema.optional(),
  outcome: outcomeSchema,
});
export type SloResult = z.infer<typeof sloResultSchema>;

export const scenarioResultSchema = z.object({
  scenario: z.string(),
  iterations: z.number().int().min(0).nullable(),
  iterationErrors: z.number().int().min(0),
  firstError: z.string().nullable(),
});
export type ScenarioResult = z.infer<typeof scenarioResultSchema>;

export const alertSeenSchema = z.object({
  alertname: z.string(),
  states: z.array(z.enum(['pending', 'firing'])),
  firstSeen: z.string(),
  labels: z.record(z.string(), z.string()),
});
export type AlertSeen = z.infer<typeof alertSeenSchema>;

export const prometheusEvidenceSchema = z.object({
  url: z.string(),
  /** The queried window: the run, padded so the first and last scrapes of its counters fall inside. */
  window: z.object({ start: z.string(), end: z.string(), seconds: z.number() }),
  gateAlerts: z.array(alertSeenSchema),
  /** Samples each gate SLI's recording rule had during the window: 0 means its alert was blind. */
  recordingRules: z.array(z.object({ record: z.string(), slo: z.string(), samples: z.number().int().min(0) })),
  ruleEvaluationFailures: z.number().nullable(),
  /** Why the phases and sliding windows were not judged (a steady phase too short for the scrape interval). */
  windowsNotJudged: z.string().optional(),
});
export type PrometheusEvidence = z.infer<typeof prometheusEvidenceSchema>;

export const remoteWriteSchema = z.object({
  url: z.string(),
  errors: z.array(z.string()),
  /** k6 series of this run found in Prometheus afterwards (null when Prometheus could not be asked). */
  series: z.number().int().min(0).nullable(),
});
export type RemoteWriteEvidence = z.infer<typeof remoteWriteSchema>;

/** Extension point: more evidence (journeys, ...). `pass: false` or any failure fails the verdict. */
export const evidenceSectionSchema = z.object({
  title: z.string(),
  pass: z.boolean(),
  failures: z.array(failureSchema),
  details: z.unknown(),
  /** The section as the section's owner renders it (tables, timings); verdict.md shows it under its heading. */
  markdown: z.string().optional(),
});
export type EvidenceSection = z.infer<typeof evidenceSectionSchema>;

/** The soak's stability judgement (./stability-schema.ts); only on runs it is judged for. */
export type Stability = StabilityJudgement;

/** The production error budget the run spent (./error-budget.ts): informational, it does not gate. */
const errorBudgetSchema = z.object({
  window: z.object({ start: z.string(), end: z.string(), seconds: z.number() }),
  slos: z.array(
    z.object({
      slo: z.string(),
      objective: z.number(),
      period: z.string(),
      events: z.number().nullable(),
      errorRatio: z.number().nullable(),
      burnRate: z.number().nullable(),
      budgetConsumed: z.number().nullable(),
    }),
  ),
});

/** Whether the run itself was valid (./validity.ts): a problem makes the verdict INCOMPLETE. */
export const validitySchema = z.object({
  valid: z.boolean(),
  checks: z.array(
    z.object({
      check: z.enum(['dropped-iterations', 'vus', 'generator-cpu', 'throughput', 'overlap']),
      status: z.enum(['ok', 'problem', 'not judged']),
      /** What was measured against what bound, or why it was not judged. */
      detail: z.string(),
      value: z.number().nullable(),
      bound: z.number().nullable(),
    }),
  ),
});
export type Validity = z.infer<typeof validitySchema>;
export type ValidityCheck = Validity['checks'][number];

export const verdictSchema = z.object({
  schema: z.literal(VERDICT_SCHEMA_ID),
  /**
   * PASS: a full run, every source judged and held. PARTIAL: nothing failed, but the run could not judge
   * everything. INCOMPLETE: the run itself was not valid (saturated generator, overlap, ...): rerun it.
   * REGRESSED: nothing failed, but an SLO got worse than its baseline beyond tolerance and noise.
   */
  verdict: z.enum(['PASS', 'FAIL', 'PARTIAL', 'INCOMPLETE', 'REGRESSED']),
  /** Whether this verdict may gate a release: a full run with Prometheus evidence. */
  release: z.boolean(),
  title: z.string(),
  profile: z.string(),
  runner: z.object({
    kind: z.enum(['k6', 'node']),
    version: z.string().optional(),
    generation: z.string().optional(),
    instances: z.number().int().min(1).optional().describe('k6 instances whose union was judged (--instances)'),
    source: z
      .enum(['summary', 'prometheus'])
      .optional()
      .describe('where the k6 side was read: summary files, or Prometheus alone (stressgate gate --from/--to)'),
  }),
  window: z.object({ start: z.string(), end: z.string() }),
  scope: z.object({
    partial: z.boolean(),
    scenarios: z.array(z.string()),
    /** Why this is not a release verdict (scoped scenarios, no Prometheus); empty for a release verdict. */
    limits: z.array(z.string()),
  }),
  slos: z.array(sloResultSchema),
  checks: z.object({
    rate: z.number().nullable(),
    passes: z.number(),
    fails: z.number(),
    min: z.number(),
    pass: z.boolean(),
  }),
  scenarios: z.array(scenarioResultSchema),
  prometheus: prometheusEvidenceSchema.nullable(),
  remoteWrite: remoteWriteSchema.nullable(),
  sections: z.record(z.string(), evidenceSectionSchema),
  failures: z.array(failureSchema),
  stability: stabilitySchema.optional(),
  errorBudget: errorBudgetSchema.optional(),
  validity: validitySchema.optional(),
  /** Per SLO, what a later run is compared with: bucket or event counts and the SLI series (./baseline/). */
  distributions: distributionsSchema.optional(),
  /** This run against a baseline run's verdict (--baseline), or why it was not compared. */
  baseline: baselineSectionSchema.optional(),
});
export type Verdict = z.infer<typeof verdictSchema>;

/** Parses verdict JSON, naming the first invalid field. */
export function parseVerdict(data: unknown, where = 'verdict.json'): Verdict {
  const r = verdictSchema.safeParse(data);
  if (!r.success) {
    const issue = r.error.issues[0]!;
    throw new Error(`${where}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  return r.data;
}
