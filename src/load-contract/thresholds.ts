// The gate's thresholds for one run, derived from the SLOs (src/slos/) and the profile: the one
// derivation k6's `options.thresholds` and the verdict both use, so k6's own exit code and the
// verdict agree. Pure data in, data out (it is bundled into the k6 script).
import { measuresOf } from './measures.js';
import { ITERATION_ERRORS, samplesMetric } from './metrics.js';
import type { Profile, ScenarioName } from './profile.js';

/** What an SLO means for a load run, as injected into the k6 bundle (src/slos/load-thresholds.ts, from src/slos/). */
export interface SloLoad {
  readonly title: string;
  /** The k6 metric measuring it client-side: a Rate (`rate`) or a Trend (`p(95)`). */
  readonly metric: string;
  readonly stat: 'rate' | 'p(95)';
  /** The SLO's objective in its own unit (ratio, seconds). */
  readonly threshold: number;
  /** SLO unit → metric unit (seconds → ms). */
  readonly scale: number;
}
export type SloLoadMap = Readonly<Record<string, SloLoad>>;

export interface SloThreshold {
  readonly slo: string;
  readonly title: string;
  readonly metric: string;
  readonly stat: 'rate' | 'p(95)';
  /** The bound in the SLO's unit (ratio, seconds): the SLO's, or the profile's when stricter. */
  readonly bound: number;
  /** SLO unit → metric unit (seconds → ms): applied to the bound once, in `expression`. */
  readonly scale: number;
  readonly source: 'slo' | 'profile';
  /** k6 threshold expression in the metric's unit, e.g. `p(95)<300`. */
  readonly expression: string;
}

/** A measured value of the threshold's metric (k6's unit, e.g. ms) in the SLO's unit, as the verdict compares it. */
export const inSloUnit = (t: Pick<SloThreshold, 'scale'>, metricValue: number): number => metricValue / t.scale;

export interface RunScope {
  /** Scenarios that run. */
  readonly scenarios: readonly ScenarioName[];
  /** True when a --scenarios selection left some of the profile's scenarios out. */
  readonly partial: boolean;
  /**
   * SLOs this run is judged on: every SLO in a full run (an SLO its scenarios cannot measure is then
   * NOT MEASURED, and fails it); in a partial run only those its scenarios feed.
   */
  readonly judged: readonly string[];
  /** Partial runs: the SLOs left out (reported NOT MEASURED, never PASS). */
  readonly outOfScope: readonly string[];
}

const fmt = (n: number) => String(Number(n.toPrecision(12)));

export function runScope(profile: Profile, slos: SloLoadMap, only?: readonly ScenarioName[]): RunScope {
  const all = Object.keys(profile.scenarios) as ScenarioName[];
  const scenarios = only ? all.filter((s) => only.includes(s)) : all;
  const fed = measuresOf(scenarios);
  const ids = Object.keys(slos);
  const partial = scenarios.length < all.length;
  return {
    scenarios,
    partial,
    judged: partial ? ids.filter((id) => fed.has(slos[id]!.metric)) : ids,
    outOfScope: partial ? ids.filter((id) => !fed.has(slos[id]!.metric)) : [],
  };
}

/** One threshold per judged SLO: the SLO's bound, or the profile's `stricter` one when tighter. */
export function sloThresholds(profile: Profile, slos: SloLoadMap, scope: RunScope): SloThreshold[] {
  return scope.judged.map((id) => {
    const slo = slos[id]!;
    const tighter = (profile.stricter ?? []).filter((s) => s.slo === id && s.max < slo.threshold).map((s) => s.max);
    const bound = Math.min(slo.threshold, ...tighter);
    // The one place an SLO bound becomes k6's unit: the expression k6 evaluates.
    return {
      slo: id,
      title: slo.title,
      metric: slo.metric,
      stat: slo.stat,
      bound,
      scale: slo.scale,
      source: bound < slo.threshold ? 'profile' : 'slo',
      expression: `${slo.stat}<${fmt(bound * slo.scale)}`,
    };
  });
}

/**
 * k6 `options.thresholds`: each judged SLO's bound with a `count>0` on its samples beside it (an
 * empty Trend's p(95) is 0 and would pass), no iteration errors overall or per scenario, iterations
 * completed in every scenario, and the profile's minimum check pass rate.
 */
export function k6Thresholds(profile: Profile, slos: SloLoadMap, scope: RunScope): Record<string, string[]> {
  const thresholds: Record<string, string[]> = {};
  for (const t of sloThresholds(profile, slos, scope)) {
    (thresholds[t.metric] ??= []).push(t.expression);
    thresholds[samplesMetric(t.metric)] = ['count>0'];
  }
  thresholds[ITERATION_ERRORS] = ['count==0'];
  for (const s of scope.scenarios) {
    thresholds[`${ITERATION_ERRORS}{scenario:${s}}`] = ['count==0'];
    thresholds[`iterations{scenario:${s}}`] = ['count>0'];
  }
  thresholds.checks = [`rate>=${profile.checks.minPassRate}`];
  return thresholds;
}
