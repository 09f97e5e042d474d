// The load generator's side of the verdict: a run summary (k6 --summary-export, or the Node runner's
// file in the same shape) against the thresholds derived from the SLOs (src/load-contract/thresholds.ts), with
// the sample count behind every number, the profile's check pass rate, and every scenario's
// iterations and iteration errors.
import { readFile } from 'node:fs/promises';
import { ITERATION_ERRORS, LOAD_SAMPLES, samplesMetric } from '../../load-contract/metrics.js';
import {
  inSloUnit,
  sloThresholds,
  type RunScope,
  type SloLoadMap,
  type SloThreshold,
} from '../../load-contract/thresholds.js';
import type { Profile } from '../../load-contract/profile.js';
import type { Failure, Outcome, ScenarioResult, Verdict } from './schema.js';

/** The subset of k6's summary export the verdict reads. */
export interface RunSummary {
  readonly metrics: Record<string, Record<string, unknown>>;
  readonly root_group?: {
    readonly checks?: Record<string, { name: string; passes: number; fails: number }> | unknown[];
  };
}

export interface LoadSide {
  readonly source: 'k6' | 'node-runner';
  readonly slos: ReadonlyArray<{ threshold: SloThreshold; value: number | null; samples: number; outcome: Outcome }>;
  readonly checks: Verdict['checks'];
  readonly scenarios: ScenarioResult[];
  readonly failures: Failure[];
}

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Samples behind a measure: a Trend's count, a Rate's passes + fails, else the load_samples counter. */
function samplesOf(summary: RunSummary, t: SloThreshold): number {
  const m = summary.metrics[t.metric];
  const direct = t.stat === 'rate' ? (num(m?.passes) ?? 0) + (num(m?.fails) ?? 0) : num(m?.count);
  return direct || (num(summary.metrics[samplesMetric(t.metric)]?.count) ?? 0);
}

const unitOf = (t: SloThreshold) => (t.stat === 'rate' ? '' : ' ms');
const fmt = (v: number) => String(Number(v.toPrecision(4)));

export function judgeLoad(input: {
  profile: Profile;
  summary: RunSummary;
  scope: RunScope;
  slos: SloLoadMap;
  runner: 'k6' | 'node';
  /** First error message per scenario (k6: from its log; Node: from the runner). */
  firstErrors: Readonly<Record<string, string>>;
}): LoadSide {
  const { profile, summary, scope } = input;
  const source = input.runner === 'k6' ? 'k6' : 'node-runner';
  const failures: Failure[] = [];

  const slos = sloThresholds(profile, input.slos, scope).map((threshold) => {
    const samples = samplesOf(summary, threshold);
    const value = samples
      ? num(summary.metrics[threshold.metric]?.[threshold.stat === 'rate' ? 'value' : 'p(95)'])
      : null;
    const outcome: Outcome =
      value === null ? 'NOT MEASURED' : inSloUnit(threshold, value) < threshold.bound ? 'PASS' : 'FAIL';
    const what = `${threshold.stat} of ${threshold.metric}`;
    if (outcome === 'NOT MEASURED')
      failures.push({
        source,
        subject: threshold.slo,
        reason: `NOT MEASURED: no samples of ${threshold.metric} (${LOAD_SAMPLES} 0): nothing in this run measured it`,
      });
    if (outcome === 'FAIL')
      failures.push({
        source,
        subject: threshold.slo,
        reason: `${what} was ${fmt(value!)}${unitOf(threshold)} over ${samples} samples, not below ${fmt(threshold.bound * threshold.scale)}${unitOf(threshold)} (${threshold.source === 'profile' ? `profile ${profile.name}'s stricter bound` : 'the SLO'})`,
      });
    return { threshold, value, samples, outcome };
  });

  const c = summary.metrics.checks;
  const passes = num(c?.passes) ?? 0;
  const fails = num(c?.fails) ?? 0;
  const rate = passes + fails ? passes / (passes + fails) : null;
  const checks = {
    rate,
    passes,
    fails,
    min: profile.checks.minPassRate,
    pass: rate !== null && rate >= profile.checks.minPassRate,
  };
  if (!checks.pass) {
    const list = summary.root_group?.checks;
    const failing = (Array.isArray(list) ? list : Object.values(list ?? {})) as Array<{ name: string; fails: number }>;
    const worst = failing
      .filter((x) => x.fails > 0)
      .sort((a, b) => b.fails - a.fails)
      .slice(0, 3)
      .map((x) => `"${x.name}" ×${x.fails}`);
    failures.push({
      source,
      subject: 'checks',
      reason:
        rate === null
          ? 'no checks ran'
          : `${fmt(rate * 100)}% of ${passes + fails} checks passed, below ${profile.checks.minPassRate * 100}%${worst.length ? `; most failed: ${worst.join(', ')}` : ''}`,
    });
  }

  const scenarios = scope.scenarios.map((scenario): ScenarioResult => {
    const iterations = num(summary.metrics[`iterations{scenario:${scenario}}`]?.count);
    const errors = num(summary.metrics[`${ITERATION_ERRORS}{scenario:${scenario}}`]?.count) ?? 0;
    const firstError = input.firstErrors[scenario] ?? null;
    if (errors > 0 || firstError) {
      failures.push({
        source,
        subject: `scenario ${scenario}`,
        reason: `${errors || 'some'} iteration(s) threw${firstError ? `; first: ${firstError}` : ''}`,
      });
    }
    if (!iterations)
      failures.push({
        source,
        subject: `scenario ${scenario}`,
        reason: iterations === 0 ? 'completed no iteration' : 'the summary has no iteration count for it',
      });
    return { scenario, iterations, iterationErrors: errors, firstError };
  });

  return { source, slos, checks, scenarios, failures };
}

export async function readSummary(file: string): Promise<RunSummary> {
  let data: RunSummary;
  try {
    data = JSON.parse(await readFile(file, 'utf8')) as RunSummary;
  } catch (err) {
    throw new Error(`${file}: ${(err as Error).message}`);
  }
  if (!data || typeof data.metrics !== 'object')
    throw new Error(`${file}: not a k6 summary export (no "metrics" object)`);
  return data;
}
