// The report: both diffs plus the release-gate findings, and its JSON rendering.
import { noKubernetesChanges } from './kubernetes.js';
import type {
  DashboardDiff,
  DiffReport,
  Flag,
  GateFinding,
  KubernetesDiff,
  RuleDiff,
  RuleKind,
  Verdict,
} from './types.js';

export interface ReportInput {
  readonly base: { readonly ref: string; readonly commit?: string };
  readonly head?: string;
  readonly rules: RuleDiff;
  readonly dashboards: DashboardDiff;
  /** Absent: the manifests were not compared (an empty diff). */
  readonly kubernetes?: KubernetesDiff;
  /** Every alert was judged, not only gate alerts (`diff OLD NEW`). */
  readonly judgeAll?: boolean;
}

function findings(rules: RuleDiff, verdict: Verdict, source?: (file: string) => string): GateFinding[] {
  const out: GateFinding[] = [];
  const add = (kind: RuleKind, name: string, file: string, flags: readonly Flag[]) => {
    const reasons = flags.filter((f) => f.verdict === verdict).map((f) => f.reason);
    if (reasons.length) out.push({ name, ...(source ? { source: source(file) } : {}), kind, verdict, reasons });
  };
  // Alerts first, then the recording rules they read.
  for (const kind of ['alert', 'record'] as const) {
    for (const r of rules.removed) if (r.kind === kind) add(kind, r.key, r.location.file, r.flags);
    for (const c of rules.changed) if (c.kind === kind) add(kind, c.key, c.head.file, c.flags);
  }
  return out;
}

/** The rule files' findings, then the manifests' that say something the rule files do not. */
function allFindings(rules: RuleDiff, kubernetes: KubernetesDiff, verdict: Verdict): GateFinding[] {
  const own = findings(rules, verdict);
  const said = new Set(own.map((f) => JSON.stringify([f.kind, f.name, f.reasons])));
  const manifests = kubernetes.rules ? findings(kubernetes.rules, verdict, (file) => file) : [];
  return [...own, ...manifests.filter((f) => !said.has(JSON.stringify([f.kind, f.name, f.reasons])))];
}

export function isEmpty(rules: RuleDiff, dashboards: DashboardDiff): boolean {
  return (
    !rules.added.length &&
    !rules.removed.length &&
    !rules.changed.length &&
    !rules.groups.length &&
    !dashboards.added.length &&
    !dashboards.removed.length &&
    !dashboards.changed.length
  );
}

export function buildReport(input: ReportInput): DiffReport {
  const kubernetes = input.kubernetes ?? { added: [], removed: [], changed: [] };
  return {
    version: 1,
    base: input.base,
    head: input.head ?? 'working tree',
    ...(input.judgeAll ? { judged: 'all alerts' as const } : {}),
    changed: !isEmpty(input.rules, input.dashboards) || !noKubernetesChanges(kubernetes),
    weaker: allFindings(input.rules, kubernetes, 'weaker'),
    review: allFindings(input.rules, kubernetes, 'review'),
    rules: input.rules,
    dashboards: input.dashboards,
    kubernetes,
  };
}

/** The report as JSON; non-finite numbers (`> Inf`) become the strings "+Inf", "-Inf", "NaN". */
export function renderJson(report: DiffReport): string {
  return `${JSON.stringify(
    report,
    (_k, v: unknown) =>
      typeof v === 'number' && !Number.isFinite(v) ? (Number.isNaN(v) ? 'NaN' : v > 0 ? '+Inf' : '-Inf') : v,
    2,
  )}\n`;
}
