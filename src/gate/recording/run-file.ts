// run.json: what the recorder knew about a run when it archived it, beside its metrics. The backtest
// reads it back (parseRunRecord), so a file edited by hand or cut short is an error naming the file
// and the field, never a silently skipped run.
import { z } from 'zod';
import { verdictSchema } from '../verdict/schema.js';

export const RUN_SCHEMA_ID = 'stressgate.run/v1';

export const runRecordSchema = z.object({
  schema: z.literal(RUN_SCHEMA_ID),
  profile: z.string().min(1),
  /** The window the gate judged: the run's start until Prometheus had evaluated its rules after it. */
  window: z.object({ start: z.iso.datetime(), end: z.iso.datetime() }),
  /** The verdict word, as the verdict schema has it (one list of words). */
  verdict: verdictSchema.shape.verdict,
  /** Gate alerts pending or firing during the window (the verdict's gate-alert failures). */
  failingGateAlerts: z.array(z.string()),
  /** Every source that failed the run (k6, prometheus-sli, gate-alert, evidence, a section). */
  failedSources: z.array(z.string()),
  recorded: z.object({
    prometheus: z.string(),
    /** The samples cover (from, to]: the window plus the lookback the gate alerts need. */
    from: z.iso.datetime(),
    to: z.iso.datetime(),
    lookbackSeconds: z.number().min(0),
    scrapeIntervalSeconds: z.number().positive(),
    evaluationIntervalSeconds: z.number().positive(),
    jobs: z.array(z.string()),
    /** The file beside run.json: metrics.om, or metrics.om.gz when large. */
    metricsFile: z.enum(['metrics.om', 'metrics.om.gz']),
    series: z.number().int().min(0),
    samples: z.number().int().min(0),
    skippedNativeHistograms: z.array(z.string()),
  }),
  /** The commit the run's rules came from (null outside a git checkout); dirty: rule files edited. */
  rules: z.object({ commit: z.string().nullable(), dirty: z.boolean().nullable() }),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** Parses run.json text; throws naming `file` and the first bad field. */
export function parseRunRecord(text: string, file: string): RunRecord {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new Error(`${file}: not valid JSON: ${(err as Error).message}`);
  }
  const parsed = runRecordSchema.safeParse(doc);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new Error(`${file}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  return parsed.data;
}
