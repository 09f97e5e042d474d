// The report: both diffs plus the release-gate findings, and its JSON rendering.
import { noKubernetesChanges } from './kubernetes.js';
import type {
  DashboardDiff,
  DiffReport,
  Flag,
  GateFinding,
  K6ThresholdChange,
  KubernetesDiff,
  RuleDiff,
  RuleKind,
  SloChange,
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
  readonly slos?: readonly SloChange[];
  readonly k6Thresholds?: readonly K6ThresholdChange[];
}

const sloFindings = (slos: readonly SloChange[], verdict: Verdict): GateFinding[] =>
  slos.flatMap((s) => {
    const reasons = s.flags.filter((f) => f.verdict === verdict).map((f) => f.reason);
    return reasons.length ? [{ name: s.name, kind: 'slo' as const, verdict, reasons }] : [];
  });

/** `p(95)<300 → p(95)<400: weaker (...)`; one that follows an SLO's gate threshold is that SLO's finding. */
export function k6Reason(c: K6ThresholdChange): string {
  const what =
    c.old === undefined ? `${c.new} added` : c.new === undefined ? `${c.old} removed` : `${c.old} → ${c.new}`;
  const why = { weaker: 'more runs pass', stricter: 'fewer runs pass', review: 'judge it' }[c.verdict];
  return `${what}: ${c.verdict} (${why}; profiles: ${c.profiles.join(', ')})`;
}

const k6Findings = (changes: readonly K6ThresholdChange[], verdict: Verdict): GateFinding[] =>
  changes
    .filter((c) => c.verdict === verdict && c.slo === undefined)
    .map((c) => ({ name: c.metric, kind: 'k6-threshold' as const, verdict, reasons: [k6Reason(c)] }));

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
  const slos = input.slos ?? [];
  const k6 = input.k6Thresholds ?? [];
  const judged = (verdict: Verdict) => [
    ...sloFindings(slos, verdict),
    ...allFindings(input.rules, kubernetes, verdict),
    ...k6Findings(k6, verdict),
  ];
  return {
    version: 1,
    base: input.base,
    head: input.head ?? 'working tree',
    ...(input.judgeAll ? { judged: 'all alerts' as const } : {}),
    changed:
      !isEmpty(input.rules, input.dashboards) || !noKubernetesChanges(kubernetes) || slos.length > 0 || k6.length > 0,
    weaker: judged('weaker'),
    review: judged('review'),
    rules: input.rules,
    dashboards: input.dashboards,
    kubernetes,
    slos,
    k6Thresholds: k6,
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
