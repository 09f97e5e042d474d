// The diff report: one typed structure, printed as Markdown for PR comments and as JSON
// (`--format json`) for machines. Every field below is part of the JSON output; optional fields are
// omitted when they do not apply. `old`/`new` pairs always mean base ref → working tree.

export type * from './change-types.js';
export type * from './dashboard-types.js';
export type * from './slo-types.js';
import type { K6ThresholdChange, SloChange } from './slo-types.js';
import type { Change, FieldChange, KeyChange } from './change-types.js';
import type { DashboardDiff } from './dashboard-types.js';

/**
 * How a change affects a release-gate alert (one with the label `gate: release` at the base ref).
 * - `weaker`: the gate lets more through: removed, threshold moved the lenient way, `for` longer or
 *   added, `gate` label removed, severity lowered, a recording rule it reads removed.
 * - `review`: a human must judge: `for` removed, comparison operator or count changed, the expression
 *   changed beyond its threshold numbers, a recording rule it reads changed its expression.
 * - `stricter`: the gate got stricter (informational; never fails anything).
 */
export type Verdict = 'weaker' | 'review' | 'stricter';

export interface Flag {
  readonly verdict: Verdict;
  /** One sentence, Markdown-free, e.g. "threshold > 0.005 → > 0.05 (higher: fires later)". */
  readonly reason: string;
}

// ---------------------------------------------------------------------------------------------
// PromQL thresholds

export type ComparisonOp = '>' | '>=' | '<' | '<=' | '==' | '!=';

/**
 * A comparison of an expression against a number literal, normalised so that the number is on the
 * right: `0.3 < foo` is reported as `op: '>'`, `value: 0.3`.
 */
export interface Threshold {
  readonly op: ComparisonOp;
  /** In JSON, ±Inf and NaN are printed as the strings "+Inf", "-Inf", "NaN". */
  readonly value: number;
  /** The number operand as written, e.g. `0.005`, `1e3`, `-(5)`. */
  readonly literal: string;
  /** `true` when the comparison carries the `bool` modifier. */
  readonly bool: boolean;
  /**
   * Which way the comparison pulls the alert (src/diff/polarity.ts): 1 letting more through fires
   * more, -1 fires less (the right side of `unless`, inside `absent()`), 0/null unknown.
   */
  readonly polarity: 1 | -1 | 0 | null;
  /** Offsets of the number operand in the expression text (for masking). */
  readonly from: number;
  readonly to: number;
  /**
   * The shape of the other operand (its normalised syntax tree, threshold numbers inside it
   * masked): old and new comparisons pair by it, and by order only among equal shapes.
   */
  readonly operand: string;
}

export interface ThresholdChange {
  /** Normalised operator and literal, absent when this comparison is new / gone. */
  readonly old?: { readonly op: ComparisonOp; readonly value: number; readonly literal: string };
  readonly new?: { readonly op: ComparisonOp; readonly value: number; readonly literal: string };
  /** Direction of the change for the alert (`undefined`: unchanged). */
  readonly verdict?: Verdict;
  /**
   * Set when the comparison does not pull the plain way: `inverted` (right of `unless`, inside
   * `absent()`: a looser comparison fires less) or `unknown` (`avg`, `topk`, ...: judged `review`).
   */
  readonly polarity?: 'inverted' | 'unknown';
}

export interface ExprChange {
  readonly old: string;
  readonly new: string;
  /**
   * Comparisons against number literals, paired by the shape of their other operand (by order only
   * among equal shapes); only changed pairs, and comparisons without a partner (added / removed).
   */
  readonly thresholds: readonly ThresholdChange[];
  /** All number literals in order of appearance, when that list changed (e.g. `clamp_min(0.1 * x, 5)`). */
  readonly numbers?: Change<readonly string[]>;
  /**
   * `true` when the expressions differ beyond their threshold literals (selectors, functions,
   * windows, a comparison added...). Whitespace and comments outside tokens do not count; inside a
   * string (`job="a b"` → `job="a  b"`) they do.
   */
  readonly structural: boolean;
}

// ---------------------------------------------------------------------------------------------
// Rules

export type RuleKind = 'alert' | 'record';

export interface RuleLocation {
  /** Rule file path relative to the project root. */
  readonly file: string;
  readonly group: string;
}

export interface RuleSnapshot {
  readonly kind: RuleKind;
  /** The alert or record name. */
  readonly name: string;
  /** Identity in this report: the name, plus its labels when the name is not unique. */
  readonly key: string;
  readonly location: RuleLocation;
  readonly expr: string;
  readonly for?: string;
  readonly keepFiringFor?: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly annotations: Readonly<Record<string, string>>;
  /** Alerts: the label `gate: release` is set. */
  readonly gate: boolean;
}

export interface RuleChange {
  readonly kind: RuleKind;
  readonly name: string;
  readonly key: string;
  /** Gate alert at the base ref (the weaker/review rules apply to it). */
  readonly gate: boolean;
  /**
   * A rename: no rule of the old name is left and one of the new name appeared, with the same
   * labels and the same expression (or the same one but for its threshold numbers).
   */
  readonly renamed?: Change<string>;
  readonly base: RuleLocation;
  readonly head: RuleLocation;
  /** Moved to another group or file. */
  readonly location?: Change<RuleLocation>;
  readonly expr?: ExprChange;
  readonly for?: Change<string>;
  readonly keepFiringFor?: Change<string>;
  readonly labels: readonly KeyChange[];
  readonly annotations: readonly KeyChange[];
  /** Other rule fields that changed, by name. */
  readonly other: readonly string[];
  readonly flags: readonly Flag[];
}

export interface RemovedRule extends RuleSnapshot {
  readonly flags: readonly Flag[];
}

export interface GroupChange {
  readonly file: string;
  readonly group: string;
  readonly change: 'added' | 'removed' | 'changed';
  /** Group fields (interval, limit, ...) that changed: field → old/new as text. */
  readonly fields: readonly KeyChange[];
}

export interface RuleDiff {
  readonly added: readonly RuleSnapshot[];
  readonly removed: readonly RemovedRule[];
  readonly changed: readonly RuleChange[];
  readonly groups: readonly GroupChange[];
}

// ---------------------------------------------------------------------------------------------
// The report

export interface GateFinding {
  /**
   * Alert name, or the record name when a recording rule read by gate alerts is at fault; the SLO id
   * (`kind: slo`); the k6 metric key (`kind: k6-threshold`).
   */
  readonly name: string;
  /** Where the rule lives when not in the rule files: `PrometheusRule/name` (a Kubernetes manifest). */
  readonly source?: string;
  readonly kind: RuleKind | 'slo' | 'k6-threshold';
  readonly verdict: Verdict;
  readonly reasons: readonly string[];
}

export interface DiffReport {
  /** Report format version; bumped when a field changes meaning. */
  readonly version: 1;
  readonly base: { readonly ref: string; readonly commit?: string };
  readonly head: 'working tree' | string;
  /**
   * `all alerts` when every alert was judged as a gate alert would be (`stressgate diff OLD NEW`:
   * other teams' files have no `gate: release` label); absent: only gate alerts were.
   */
  readonly judged?: 'all alerts';
  /** `true` when anything below is non-empty; the exit code is 1 then. */
  readonly changed: boolean;
  /**
   * What got weaker, printed first: SLOs (an objective lowered, a gate threshold raised), gate alerts
   * (and the recording rules they read), k6 thresholds of the load profiles.
   */
  readonly weaker: readonly GateFinding[];
  /** Gate changes a reviewer must judge. */
  readonly review: readonly GateFinding[];
  readonly rules: RuleDiff;
  readonly dashboards: DashboardDiff;
  readonly kubernetes: KubernetesDiff;
  /** SLOs of the OpenSLO export that changed (compared when both sides have the file). */
  readonly slos: readonly SloChange[];
  /** k6 threshold expressions of the load profiles that changed, derived on each side. */
  readonly k6Thresholds: readonly K6ThresholdChange[];
}

// ---------------------------------------------------------------------------------------------
// Kubernetes manifests (infra/kubernetes/), by `kind/name`

export interface ResourceRef {
  readonly kind: string;
  readonly name: string;
  readonly file: string;
}

/** A resource on both sides: the part for its kind, and every other field in `other`. */
export interface KubernetesChange extends ResourceRef {
  /** TestRun: runner env by variable name; runner resources by path (`requests.cpu`). */
  readonly testRun?: {
    readonly parallelism?: Change<number>;
    readonly arguments?: Change<string>;
    readonly env: readonly KeyChange[];
    readonly resources: readonly FieldChange[];
  };
  /** PrometheusRule: the groups whose rules changed, and the rule diff of its embedded groups. */
  readonly ruleGroups?: readonly string[];
  readonly rules?: RuleDiff;
  /** GrafanaDashboard: the diff of its embedded dashboard JSON. */
  readonly dashboard?: DashboardDiff;
  /** ConfigMap keys; `fields`: what changed inside a JSON value (a load profile). */
  readonly data?: ReadonlyArray<{
    readonly key: string;
    readonly change: 'added' | 'removed' | 'changed';
    readonly fields?: readonly FieldChange[];
  }>;
  readonly other: readonly FieldChange[];
}

export interface KubernetesDiff {
  readonly added: readonly ResourceRef[];
  readonly removed: readonly ResourceRef[];
  readonly changed: readonly KubernetesChange[];
  /**
   * The rules of every PrometheusRule as one rule diff (rule "files" named `PrometheusRule/name`):
   * its gate findings are counted in `weaker` / `review` beside the rule files' (once each).
   */
  readonly rules?: RuleDiff;
}
