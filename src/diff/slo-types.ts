// The report's SLO and k6-threshold parts (JSON contract, like ./types.ts).
import type { Change } from './change-types.js';

type Verdict = 'weaker' | 'review' | 'stricter';

/** An SLO of the OpenSLO export (infra/openslo/slos.yaml) that changed, in reviewer terms. */
export interface SloChange {
  /** The SLO id (`metadata.name`). */
  readonly name: string;
  readonly title?: string;
  readonly change: 'added' | 'removed' | 'changed';
  /**
   * The production objective (`spec.objectives[i].target`, 0.995 for 99.5%) and what it does to the
   * error budget (1 − target): `budgetFactor` new budget / old (2 for 99.5% → 99%).
   */
  readonly objectives: ReadonlyArray<{
    readonly old?: number;
    readonly new?: number;
    readonly budgetFactor?: number;
  }>;
  /** The rolling period (`spec.timeWindow[0].duration`). */
  readonly period?: Change<string>;
  /** The release gate's threshold (`stressgate/gate-threshold`), as written. */
  readonly gateThreshold?: Change<string>;
  readonly flags: ReadonlyArray<{ readonly verdict: Verdict; readonly reason: string }>;
  /**
   * Rule keys whose whole change follows from this one: burn-rate records whose only edit is the
   * error budget (`/ 0.005` → `/ 0.01`), and alerts of this SLO (`slo` label) whose only edit is an
   * annotation restating it. The Markdown lists them under the SLO instead of one by one; they stay
   * in `rules.changed`.
   */
  readonly derived: readonly string[];
}

/** One k6 threshold expression of a load profile that changed (`p(95)<300` → `p(95)<400`). */
export interface K6ThresholdChange {
  /** The k6 metric key, with its tags: `http_req_duration`, `iterations{scenario:auth}`. */
  readonly metric: string;
  /** The expressions, absent when added / removed. */
  readonly old?: string;
  readonly new?: string;
  /** For the run: `weaker` passes more (a bound loosened or removed), `stricter` passes less. */
  readonly verdict: Verdict;
  /** The load profiles (their `name`) whose thresholds changed so. */
  readonly profiles: readonly string[];
  /** Set when it follows from that SLO's gate threshold change (listed under the SLO). */
  readonly slo?: string;
}
