// Putting the sources together: one row per SLO from both sides, every failure with its source, and
// the decision. PASS needs a full run judged by every source with nothing failing; a run that could
// not judge everything (scoped scenarios, no Prometheus) is PARTIAL at best, never PASS; anything
// failing, NOT MEASURED included, is FAIL. A run that was not valid itself (./validity.ts) is
// INCOMPLETE, whatever else it found: its numbers say nothing either way, rerun it.
import { UNIT_FORMAT } from '../../constructs/value-unit.js';
import type { RunScope, SloLoadMap } from '../../load-contract/thresholds.js';
import { sloById } from '../../slos/load-thresholds.js';
import type { LoadSide } from './load-summary.js';
import type { SliJudgement } from './prometheus-slis.js';
import type {
  EvidenceSection,
  Failure,
  Outcome,
  PrometheusEvidence,
  RemoteWriteEvidence,
  SloResult,
  SloWindows,
  Stability,
  Validity,
  Verdict,
} from './schema.js';
import { VERDICT_SCHEMA_ID } from './schema.js';

export interface VerdictParts {
  readonly profile: string;
  readonly runner: Verdict['runner'];
  readonly window: { readonly start: Date; readonly end: Date };
  readonly scope: RunScope;
  readonly slos: SloLoadMap;
  readonly load: LoadSide;
  readonly prometheus: {
    readonly evidence: PrometheusEvidence;
    readonly slis: readonly SliJudgement[];
    readonly failures: readonly Failure[];
  } | null;
  readonly remoteWrite: { readonly evidence: RemoteWriteEvidence; readonly failures: readonly Failure[] } | null;
  /** Failures found outside the summary: k6's log (exceptions), its exit code. */
  readonly runFailures?: readonly Failure[];
  readonly stability?: Stability;
  readonly errorBudget?: Verdict['errorBudget'];
  /** Each SLO over the run's phases and sliding windows (./sliding-windows.ts). */
  readonly windows?: ReadonlyArray<{ readonly slo: string; readonly windows: SloWindows }>;
  readonly validity?: Validity;
}

const worst = (outcomes: Outcome[]): Outcome =>
  outcomes.includes('FAIL') ? 'FAIL' : outcomes.includes('NOT MEASURED') ? 'NOT MEASURED' : 'PASS';

function sloRows(parts: VerdictParts): SloResult[] {
  return Object.entries(parts.slos).map(([id, slo]) => {
    const judged = parts.load.slos.find((s) => s.threshold.slo === id);
    const prom = parts.prometheus?.slis.find((s) => s.slo === id);
    const windows = parts.windows?.find((w) => w.slo === id)?.windows;
    const bound = judged ? judged.threshold.bound : slo.threshold;
    const unit = sloById.get(id)?.sli.unit ?? 'count';
    const load = judged
      ? {
          metric: slo.metric,
          stat: slo.stat,
          expression: judged.threshold.expression,
          value: judged.value,
          samples: judged.samples,
          outcome: judged.outcome,
        }
      : {
          metric: slo.metric,
          stat: slo.stat,
          expression: '',
          value: null,
          samples: 0,
          outcome: 'NOT MEASURED' as const,
        };
    return {
      slo: id,
      title: slo.title,
      inScope: !!judged,
      bound: { value: bound, source: judged?.threshold.source ?? 'slo', text: UNIT_FORMAT[unit].format(bound) },
      load,
      prometheus: prom ? { expr: prom.expr, value: prom.value, samples: prom.samples, outcome: prom.outcome } : null,
      ...(windows ? { windows } : {}),
      outcome: judged
        ? worst([load.outcome, ...(prom ? [prom.outcome] : []), ...(windows ? [windowsOutcome(windows)] : [])])
        : 'NOT MEASURED',
    };
  });
}

/** FAIL when a strict phase or one of its windows breached; NOT MEASURED when the steady phase had no event. */
function windowsOutcome(w: SloWindows): Outcome {
  const strict = w.phases.filter((p) => p.strict);
  if (strict.some((p) => p.worst?.outcome === 'FAIL' || p.outcome === 'FAIL')) return 'FAIL';
  const steady = w.phases.find((p) => p.phase === 'steady');
  return steady && steady.samples === 0 ? 'NOT MEASURED' : 'PASS';
}

/** The validity problems, one line each: any makes the verdict INCOMPLETE. */
export const invalidityOf = (v: Validity | undefined): string[] =>
  (v?.checks ?? []).filter((c) => c.status === 'problem').map((c) => `${c.check}: ${c.detail}`);

export function limitsOf(scope: RunScope, prometheus: boolean): string[] {
  const limits: string[] = [];
  if (scope.partial)
    limits.push(
      `scenarios ${scope.scenarios.join(', ')} only (--scenarios): ${scope.outOfScope.length ? `${scope.outOfScope.join(', ')} NOT MEASURED` : 'every SLO fed, but not every scenario ran'}`,
    );
  if (!prometheus)
    limits.push('no Prometheus given (PROMETHEUS_URL): the server-side SLIs and the gate alerts were not judged');
  return limits;
}

/** SLOs worse than the baseline (./baseline/compare.ts), and whether the profile fails or warns on them. */
export interface Regression {
  readonly regressed: readonly string[];
  readonly policy: 'fail' | 'warn';
}

export const regressionOf = (v: Pick<Verdict, 'baseline'>): Regression | undefined =>
  v.baseline && { regressed: v.baseline.regressed, policy: v.baseline.policy };

/** The decision from failures, limits and the baseline comparison (recomputed whenever a section is added). */
export function decide(
  failures: readonly Failure[],
  sections: Verdict['sections'],
  limits: readonly string[],
  invalid: readonly string[] = [],
  regression?: Regression,
): Pick<Verdict, 'verdict' | 'release' | 'title'> {
  const failed = failures.length > 0 || Object.values(sections).some((s) => !s.pass);
  if (invalid.length)
    return {
      verdict: 'INCOMPLETE',
      release: false,
      title: `Release gate verdict: INCOMPLETE — the run was not valid, rerun it${failed ? ' (what it found is listed too)' : ''}`,
    };
  const worse = !failed && regression?.regressed.length ? regression.regressed.join(', ') : '';
  const regressed = !!worse && regression?.policy === 'fail';
  const verdict = failed ? 'FAIL' : regressed ? 'REGRESSED' : limits.length ? 'PARTIAL' : 'PASS';
  const partial = limits.length ? 'PARTIAL — not a release verdict' : '';
  const title = regressed
    ? `Release gate verdict: REGRESSED (${worse} worse than the baseline${partial ? `; ${partial}` : ''})`
    : limits.length
      ? `Release gate verdict: ${failed ? `FAIL (${partial})` : partial}`
      : `Release gate verdict: ${verdict}${worse ? ` (WARN: ${worse} worse than the baseline; the profile warns)` : ''}`;
  return { verdict, release: verdict === 'PASS', title };
}

export function assemble(parts: VerdictParts): Verdict {
  const failures = [
    ...(parts.runFailures ?? []),
    ...parts.load.failures,
    ...(parts.prometheus?.failures ?? []),
    ...(parts.remoteWrite?.failures ?? []),
  ];
  const limits = limitsOf(parts.scope, !!parts.prometheus);
  return {
    schema: VERDICT_SCHEMA_ID,
    ...decide(failures, {}, limits, invalidityOf(parts.validity)),
    profile: parts.profile,
    runner: parts.runner,
    window: { start: parts.window.start.toISOString(), end: parts.window.end.toISOString() },
    scope: { partial: parts.scope.partial, scenarios: [...parts.scope.scenarios], limits },
    slos: sloRows(parts),
    checks: parts.load.checks,
    scenarios: parts.load.scenarios,
    prometheus: parts.prometheus?.evidence ?? null,
    remoteWrite: parts.remoteWrite?.evidence ?? null,
    sections: {},
    failures,
    ...(parts.stability ? { stability: parts.stability } : {}),
    ...(parts.errorBudget ? { errorBudget: parts.errorBudget } : {}),
    ...(parts.validity ? { validity: parts.validity } : {}),
  };
}

/**
 * Adds an evidence section (e.g. `journeys` from the browser journeys) and decides again: a section
 * that fails, or carries failures, fails the verdict; its failures are listed with the others.
 */
export function withSection(v: Verdict, id: string, section: EvidenceSection): Verdict {
  if (v.sections[id]) throw new Error(`the verdict already has a section "${id}"`);
  const own =
    section.failures.length || section.pass
      ? section.failures
      : [{ source: id, subject: section.title, reason: 'the section reports a failure' }];
  const failures = [...v.failures, ...own];
  const sections = { ...v.sections, [id]: section };
  return {
    ...v,
    ...decide(failures, sections, v.scope.limits, invalidityOf(v.validity), regressionOf(v)),
    sections,
    failures,
  };
}

/**
 * Exit status: 0 PASS; 1 FAIL; 3 PARTIAL (nothing failed, but not a release verdict) unless `partialOk`;
 * 4 INCOMPLETE (the run was not valid: rerun it; `partialOk` does not excuse it);
 * 5 REGRESSED (nothing failed, but worse than the baseline; a `regression: "warn"` profile reads PASS).
 */
export function exitCode(v: Verdict, partialOk = false): number {
  if (v.verdict === 'INCOMPLETE') return 4;
  if (v.verdict === 'REGRESSED') return 5;
  return v.verdict === 'PASS' ? 0 : v.verdict === 'PARTIAL' ? (partialOk ? 0 : 3) : 1;
}
