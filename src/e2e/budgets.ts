// A journey step's time budget is the threshold of the SLO the step measures from the user's side
// (a comment's notification reaching the author's screen: notification-delivery-p95). The numbers
// live in src/slos/ only; a step names the SLO, never a number.
import { slos } from '../slos/index.js';
import type { Slo } from '../constructs/slo.js';

const byId: ReadonlyMap<string, Slo> = new Map(Object.values(slos).map((s) => [s.id, s]));

/** The latency SLOs a step may name: a p95 in seconds, measured by load runs in ms. */
export const LATENCY_SLOS: readonly string[] = [...byId.values()]
  .filter((s) => s.props.load.stat === 'p(95)' && s.props.load.scale === 1000)
  .map((s) => s.id);

/** The budget in ms for a step measured against `sloId`; throws for an unknown or non-latency SLO. */
export function budgetMs(sloId: string): number {
  const slo = byId.get(sloId);
  if (!slo) throw new Error(`unknown SLO "${sloId}" (known: ${[...byId.keys()].join(', ')})`);
  if (!LATENCY_SLOS.includes(sloId))
    throw new Error(
      `SLO "${sloId}" is not a latency objective; a journey step can be budgeted by ${LATENCY_SLOS.join(', ')}`,
    );
  return Math.round(slo.threshold * 1000);
}

/** Nearest-rank p95: with fewer than 20 samples, the largest (one slow step is over budget). */
export function p95(samples: readonly number[]): number | null {
  if (samples.length === 0) return null;
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.ceil(0.95 * sorted.length) - 1]!;
}

export interface StepSummary {
  readonly name: string;
  /** The SLO whose threshold is the budget; null for informational steps (timed, never judged on time). */
  readonly slo: string | null;
  readonly budgetMs: number | null;
  readonly samples: readonly number[];
  /** p95 of the samples (nearest rank); null without samples. */
  readonly ms: number | null;
  readonly pass: boolean;
}

/** A step's verdict: a budgeted step passes only with samples and a p95 under its SLO's threshold (as the gate compares). */
export function summarizeStep(name: string, slo: string | null, samples: readonly number[]): StepSummary {
  const ms = p95(samples);
  if (slo === null) return { name, slo, budgetMs: null, samples, ms, pass: true };
  const budget = budgetMs(slo);
  return { name, slo, budgetMs: budget, samples, ms, pass: ms !== null && ms < budget };
}

/** How the journeys' fixture starts its error when steps are over budget; the judge lists those steps itself. */
export const OVER_BUDGET = 'over their SLO budget';

export const describeStep = (s: StepSummary): string =>
  s.slo === null
    ? `${s.name}: ${s.ms ?? 'no sample'}${s.ms === null ? '' : ' ms'}`
    : s.ms === null
      ? `${s.name}: no sample (budget ${s.budgetMs} ms, ${s.slo})`
      : `${s.name}: ${s.ms} ms ${s.pass ? '<' : '>='} ${s.budgetMs} ms budget (${s.slo}${s.samples.length > 1 ? `, p95 of ${s.samples.length}` : ''})`;
