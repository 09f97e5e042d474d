// Relative criteria: a run judged against a baseline run's verdict (docs/verdict.md, Baseline). The
// verdict keeps each SLO's distribution over the run (./collect.ts) so a later run can be compared
// with it (./compare.ts: Mann-Whitney on bucketed latency, two-proportion on ratios, ./stats.ts).
import { decide, invalidityOf, regressionOf } from '../decide.js';
import type { Verdict } from '../schema.js';
import type { BaselineSection } from './schema.js';

export { compareToBaseline, DEFAULT_ALPHA, type BaselineRun } from './compare.js';
export { sliDistributions } from './collect.js';
export { baselineMarkdown } from './markdown.js';
export * from './schema.js';

/** The verdict with its baseline section, decided again (REGRESSED when the profile fails on it). */
export function withBaseline(v: Verdict, section: BaselineSection): Verdict {
  const next = { ...v, baseline: section };
  return { ...next, ...decide(v.failures, v.sections, v.scope.limits, invalidityOf(v.validity), regressionOf(next)) };
}
