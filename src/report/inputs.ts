// What the report reads from artifacts/, each file checked against the fields the report uses (zod).
// Readers are lenient where other tools own the format (extra fields pass, unknown verdict words are
// kept as text) and strict where a wrong type would change what the report says.
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { z } from 'zod';
import { readJourneys, type JourneysSection } from '../e2e/journeys.js';
import { verdictSchema, type Verdict } from '../gate/verdict/schema.js';

/** Where each input lives under the artifacts directory. */
export const ARTIFACT = {
  verdict: 'verdict.json',
  /** Verdicts kept from earlier runs (`make keep-verdict`, or a nightly soak's download). */
  verdicts: 'verdicts',
  drills: 'drills',
  coverage: 'signal-coverage.json',
  coverageMarkdown: 'signal-coverage.md',
  journeys: 'playwright/journeys.json',
  alertsDiff: 'alerts-diff.json',
} as const;

export class ReportInputError extends Error {}

/** The gate's own verdict schema (src/gate/verdict/schema.ts): the report reads what the gate wrote, nothing looser. */
export type VerdictData = Verdict;

const drillSchema = z.looseObject({ pass: z.boolean(), failures: z.array(z.string()).optional() });
export type DrillData = z.infer<typeof drillSchema>;

const coverageSchema = z.looseObject({
  pass: z.boolean(),
  findings: z.array(z.unknown()).default([]),
  at: z.string().optional(),
});

/** `stressgate diff --format json` (src/diff/types.ts DiffReport): the fields the report shows. */
const finding = z.looseObject({
  name: z.string(),
  kind: z.string().optional(),
  reasons: z.array(z.string()).default([]),
});
const alertsDiffSchema = z.looseObject({
  base: z.looseObject({ ref: z.string(), commit: z.string().optional() }),
  weaker: z.array(finding),
  review: z.array(finding).default([]),
});
export type AlertsDiffData = z.infer<typeof alertsDiffSchema>;

export interface Doc<T> {
  /** Relative to the artifacts directory, for the report's text. */
  readonly file: string;
  readonly data: T;
}

export interface ReportInputs {
  /** artifacts/verdict.json first (the latest run), then the kept ones. */
  readonly verdicts: readonly Doc<VerdictData>[];
  readonly drills: readonly (Doc<DrillData> & { name: string })[];
  readonly coverage: (Doc<z.infer<typeof coverageSchema>> & { markdown: string | null }) | null;
  /** artifacts/playwright/journeys.json judged by src/e2e/journeys.ts (the gate's own judge). */
  readonly journeys: Doc<JourneysSection> | null;
  readonly alertsDiff: Doc<AlertsDiffData> | null;
}

async function readDoc<T>(dir: string, file: string, schema: z.ZodType<T>): Promise<Doc<T> | null> {
  const path = join(dir, file);
  if (!existsSync(path)) return null;
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(path, 'utf8'));
  } catch (err) {
    throw new ReportInputError(`${path}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ReportInputError(`${path}: field "${issue.path.join('.') || '(root)'}": ${issue.message}`);
  }
  return { file, data: parsed.data };
}

const jsonFiles = async (dir: string, sub: string) =>
  existsSync(join(dir, sub))
    ? (await readdir(join(dir, sub)))
        .filter((f) => f.endsWith('.json'))
        .sort()
        .map((f) => join(sub, f))
    : [];

export async function readInputs(dir: string): Promise<ReportInputs> {
  const verdictFiles = [
    ...(existsSync(join(dir, ARTIFACT.verdict)) ? [ARTIFACT.verdict] : []),
    ...(await jsonFiles(dir, ARTIFACT.verdicts)),
  ];
  const verdicts = (await Promise.all(verdictFiles.map((f) => readDoc(dir, f, verdictSchema)))).filter(
    (d) => d !== null,
  );
  const drills = await Promise.all(
    (await jsonFiles(dir, ARTIFACT.drills)).map(async (f) => ({
      ...(await readDoc(dir, f, drillSchema))!,
      name: relative(ARTIFACT.drills, f).replace(/\.json$/, ''),
    })),
  );
  const coverage = await readDoc(dir, ARTIFACT.coverage, coverageSchema);
  const coverageMd = join(dir, ARTIFACT.coverageMarkdown);
  return {
    verdicts,
    drills,
    coverage: coverage && { ...coverage, markdown: existsSync(coverageMd) ? await readFile(coverageMd, 'utf8') : null },
    journeys: await readJourneysDoc(dir, verdicts.find((v) => v.data.sections.journeys)?.data),
    alertsDiff: await readDoc(dir, ARTIFACT.alertsDiff, alertsDiffSchema),
  };
}

/** The run a verdict judged. */
export const runWindowOf = (v: VerdictData): { start: string; end: string } | null => v.window;

/** One verdict per profile, the latest: artifacts/verdict.json wins over a kept one of the same profile. */
export const latestVerdicts = (inputs: ReportInputs) =>
  inputs.verdicts.filter((v, i, all) => all.findIndex((x) => x.data.profile === v.data.profile) === i);

/** The latest verdict of a profile: artifacts/verdict.json wins over kept ones. */
export const verdictOf = (inputs: ReportInputs, profile: string) =>
  inputs.verdicts.find((v) => v.data.profile === profile) ?? null;

/**
 * The journeys, judged again from their samples and the SLOs (never the file's own pass flags); the
 * load window comes from the latest verdict that ran them under load (make test-e2e-under-load).
 */
async function readJourneysDoc(dir: string, verdict: VerdictData | undefined): Promise<Doc<JourneysSection> | null> {
  if (!existsSync(join(dir, ARTIFACT.journeys))) return null;
  const section = await readJourneys(join(dir, ARTIFACT.journeys));
  const underLoad = underLoadSchema.safeParse(
    (verdict?.sections.journeys?.details as { underLoad?: unknown } | undefined)?.underLoad,
  );
  return { file: ARTIFACT.journeys, data: underLoad.success ? { ...section, underLoad: underLoad.data } : section };
}

const underLoadSchema = z.object({
  profile: z.string(),
  loadStart: z.string(),
  loadEnd: z.string(),
  journeysStart: z.string(),
  journeysEnd: z.string(),
});
