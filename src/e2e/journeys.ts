// The browser journeys' evidence for the gate: artifacts/playwright/journeys.json (written by
// e2e/journeys-reporter.ts), validated and judged here. The judge recomputes every step from its
// samples and the SLOs instead of trusting the file's pass flags, and fails closed: a missing or
// invalid file, no journeys, a failed journey or a budgeted step without samples is a FAIL.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, relative } from 'node:path';
import { z } from 'zod';
import type { EvidenceSection } from '../gate/verdict/schema.js';
import { budgetMs, describeStep, OVER_BUDGET, summarizeStep, type StepSummary } from './budgets.js';

export const JOURNEY_TAGS = ['@smoke', '@preprod'] as const;

const step = z.object({
  name: z.string().min(1),
  slo: z.string().min(1).nullable(),
  budgetMs: z.number().positive().nullable(),
  samples: z.array(z.number().nonnegative()),
  ms: z.number().nonnegative().nullable(),
  pass: z.boolean(),
});

const journey = z.object({
  /** The spec file's name: notification, messaging, game. */
  id: z.string().min(1),
  title: z.string().min(1),
  tags: z.array(z.string()),
  status: z.enum(['passed', 'failed', 'timedOut', 'skipped', 'interrupted']),
  pass: z.boolean(),
  durationMs: z.number().nonnegative(),
  steps: z.array(step),
  error: z.string().nullable(),
  /** Trace files, relative to the journeys file's directory (kept for failed journeys). */
  traces: z.array(z.string()),
});

export const journeysFileSchema = z.object({
  version: z.literal(1),
  baseUrl: z.string().min(1),
  grep: z.string().nullable(),
  startedAt: z.string().min(1),
  finishedAt: z.string().min(1),
  /** The Playwright HTML report, relative to the journeys file's directory. */
  report: z.string().min(1),
  journeys: z.array(journey),
});

export type JourneysFile = z.infer<typeof journeysFileSchema>;
export type JourneyRecord = z.infer<typeof journey>;

export interface JudgedJourney {
  readonly id: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly pass: boolean;
  readonly steps: readonly StepSummary[];
  readonly error: string | null;
  readonly traces: readonly string[];
}

/** The verdict's journeys section. */
export interface JourneysSection {
  readonly pass: boolean;
  readonly file: string;
  readonly report: string | null;
  readonly journeys: readonly JudgedJourney[];
  readonly failures: readonly string[];
  /** Set by e2e-under-load: the journeys' and the load's windows (ISO times). */
  readonly underLoad?: {
    readonly profile: string;
    readonly loadStart: string;
    readonly loadEnd: string;
    readonly journeysStart: string;
    readonly journeysEnd: string;
  };
}

const fail = (file: string, failure: string): JourneysSection => ({
  pass: false,
  file,
  report: null,
  journeys: [],
  failures: [failure],
});

/** A path as messages show it: relative to the working directory when inside it. */
function shown(file: string): string {
  const r = relative(process.cwd(), file);
  return r && !r.startsWith('..') && !isAbsolute(r) ? r : file;
}

export async function readJourneys(path: string): Promise<JourneysSection> {
  const file = shown(path);
  if (!existsSync(file)) return fail(file, `${file} is missing: the browser journeys did not run or did not finish`);
  let data: unknown;
  try {
    data = JSON.parse(await readFile(file, 'utf8'));
  } catch (err) {
    return fail(file, `${file}: not valid JSON (${(err as Error).message})`);
  }
  const parsed = journeysFileSchema.safeParse(data);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(file, `${file}: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  return judgeJourneys(file, parsed.data);
}

/** A recorded step judged again from its samples and the SLOs; `problem` says why it fails. */
function judgeStep(s: JourneyRecord['steps'][number]): { step: StepSummary; problem: string | null } {
  try {
    // The budget is the SLO's now, not whatever the file says: a stale or edited budget is caught.
    const current = s.slo === null ? null : budgetMs(s.slo);
    const step = summarizeStep(s.name, s.slo, s.samples);
    if (s.budgetMs !== current)
      return {
        step: { ...step, pass: false },
        problem: `step "${s.name}" says budget ${s.budgetMs ?? 'none'}, but ${s.slo ?? 'an informational step'} has ${current ?? 'none'}`,
      };
    return { step, problem: step.pass ? null : describeStep(step) };
  } catch (err) {
    return { step: { ...s, pass: false }, problem: `step "${s.name}": ${(err as Error).message}` };
  }
}

export function judgeJourneys(file: string, doc: JourneysFile): JourneysSection {
  const failures: string[] = [];
  if (doc.journeys.length === 0) failures.push(`${file}: no journeys ran (grep ${doc.grep ?? 'none'})`);
  const journeys = doc.journeys.map((j): JudgedJourney => {
    const label = `${j.id} ${j.tags.join(' ')}`.trim();
    const judged = j.steps.map(judgeStep);
    const own: string[] = [];
    // A test failed only by the budget check repeats what the step lines below say: list the steps once.
    const budgetOnly =
      j.status === 'failed' &&
      j.error !== null &&
      firstLine(j.error).includes(OVER_BUDGET) &&
      judged.some(({ problem }) => problem);
    if (j.status !== 'passed' && !budgetOnly) own.push(`${j.status}${j.error ? `: ${firstLine(j.error)}` : ''}`);
    for (const { problem } of judged) if (problem) own.push(problem);
    if (j.status === 'passed' && !judged.some(({ step }) => step.slo !== null))
      own.push('no budgeted step was measured');
    failures.push(...own.map((o) => `${label}: ${o}`));
    return {
      id: j.id,
      title: j.title,
      tags: j.tags,
      pass: own.length === 0,
      steps: judged.map(({ step }) => step),
      error: j.error,
      traces: j.traces,
    };
  });
  return { pass: failures.length === 0, file, report: join(dirname(file), doc.report), journeys, failures };
}

const firstLine = (s: string) =>
  s
    .split('\n')
    .find((l) => l.trim())
    ?.trim() ?? s;

/** The journeys as Markdown: one row per step with its time and budget. */
export function journeysMarkdown(section: JourneysSection): string {
  const lines = [`## Browser journeys: ${section.pass ? 'PASS' : 'FAIL'}`, ''];
  const w = section.underLoad;
  if (w)
    lines.push(
      `Run under the \`${w.profile}\` load (${w.loadStart} – ${w.loadEnd}), journeys ${w.journeysStart} – ${w.journeysEnd}.`,
      '',
    );
  if (section.report) lines.push(`Playwright report: \`${section.report}\`; journeys: \`${section.file}\`.`, '');
  if (section.journeys.length) {
    lines.push('| journey | step | measured | budget | result |', '|---|---|---|---|---|');
    for (const j of section.journeys) {
      for (const s of j.steps) {
        const measured =
          s.ms === null ? 'no sample' : `${s.ms} ms${s.samples.length > 1 ? ` (p95 of ${s.samples.length})` : ''}`;
        const budget = s.slo ? `< ${s.budgetMs} ms (${s.slo})` : 'informational';
        lines.push(
          `| ${j.id} ${j.tags.join(' ')} | ${s.name} | ${measured} | ${budget} | ${s.pass ? 'PASS' : 'FAIL'} |`,
        );
      }
      if (!j.steps.length) lines.push(`| ${j.id} ${j.tags.join(' ')} | (no step recorded) | | | FAIL |`);
    }
    lines.push('');
  }
  if (section.failures.length) lines.push('Failures:', '', ...section.failures.map((f) => `- ${f}`), '');
  for (const j of section.journeys)
    if (j.traces.length)
      lines.push(`Traces for ${j.id}: ${j.traces.map((t) => `\`${join(dirname(section.file), t)}\``).join(', ')}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

/** The journeys as the verdict's `journeys` section (src/gate/verdict/decide.ts withSection): failing journeys fail it. */
export function journeysEvidence(section: JourneysSection): EvidenceSection {
  return {
    title: 'Browser journeys',
    pass: section.pass,
    failures: section.failures.map((reason) => ({
      source: 'journeys',
      subject: reason.split(':')[0] ?? 'journeys',
      reason,
    })),
    details: section,
    markdown: journeysMarkdown(section).replace(/^## .*\n\n/, ''),
  };
}
