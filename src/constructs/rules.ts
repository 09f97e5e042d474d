// Prometheus rule constructs: groups, recording rules and alerts. The foundation SDK only models
// Grafana-managed alerts, so this layer is ours. The SLI rules (error ratio, latency quantile) are
// built in ./sli-rules.ts, an alert's props and their schema are in ./alert-props.ts.
import { z } from 'zod';
import { Selector, type Histogram, type Matcher, type Matchers, type Selectable } from '../catalog/types.js';
import type { Duration, Expr } from '../promql/expr.js';
import { isInstant, type AlertCase, type SeriesSample } from './alert-cases.js';
import type { AlertCases } from './alert-cases.js';
import {
  alertSchema,
  importedAlertSchema,
  isImportedAlert,
  type AlertProps,
  type ImportedAlertProps,
} from './alert-props.js';
import { STEP, type ShareSampler } from './alert-timeline.js';
import { Construct, DefinitionError, type Problem } from './construct.js';
import { RuleFile } from './rule-file.js';
import { duration, expr, fn, labelMap, positiveDuration, selector, text } from './props.js';
import type { ValueUnit } from './value-unit.js';

export interface RuleGroupProps {
  readonly interval?: Duration;
  /** Prometheus' group `limit`: at most this many series or alerts, else the group fails. */
  readonly limit?: number;
  /** Prometheus' group `query_offset`. */
  readonly queryOffset?: Duration;
  /** Labels Prometheus adds to every rule of the group (its group `labels`). */
  readonly labels?: Readonly<Record<string, string>>;
}

export class RuleGroup extends Construct {
  readonly interval: Duration | undefined;
  constructor(
    scope: Construct,
    id: string,
    readonly props: RuleGroupProps = {},
  ) {
    super(scope, id);
    this.interval = props.interval;
    this.addPropsValidation(
      z.strictObject({
        interval: positiveDuration.optional(),
        limit: z.number().int().min(0, 'give the limit as a whole number, 0 for none').optional(),
        queryOffset: duration.optional(),
        labels: labelMap.optional(),
      }),
      props,
    );
  }
  get rules(): (RecordingRule | Alert)[] {
    return this.children.filter((c): c is RecordingRule | Alert => c instanceof RecordingRule || c instanceof Alert);
  }
}

interface RecordingRuleProps<U extends ValueUnit> {
  /** `level:metric:operations`, e.g. `job:http_requests_5xx:ratio_rate5m`. */
  readonly record: string;
  readonly expr: Expr;
  readonly unit: U;
  readonly labels?: Readonly<Record<string, string>>;
  /** The range the expression looks back over; SLOs built on the rule take it as their window. */
  readonly window?: Duration;
  /** Builds input series that make the recorded value equal a given number (for alert tests). */
  readonly sample?: (value: number) => SeriesSample;
  /** The events the indicator counts, so the same SLI can be rebuilt over other windows. */
  readonly events?: SliEvents;
  /** The same indicator over any window, with the number of events it rests on (the release-gate verdict). */
  readonly overWindow?: (window: Duration) => WindowedSli;
  /** `expr` itself over another window, also grouped by `by` (after `job`): the report's charts and breakdowns. */
  readonly overRange?: (window: Duration, by?: readonly string[]) => Expr;
  /** Series, unfiltered, whose growth means the SLI must have data (the blind-gate alert). */
  readonly traffic?: Selector;
  /** Drives the recorded value through a threshold over time (for alert tests' boundaries). */
  readonly shares?: ShareSampler;
  /** Imported from a rule file: its name need only be a Prometheus metric name, not level:metric:operations. */
  readonly imported?: boolean;
}

/** An SLI over an arbitrary window: from increase() of its counters, plus how many events it counts. */
export interface WindowedSli {
  readonly value: Expr;
  readonly events: Expr;
}

/**
 * What an SLI counts, with concrete label sets for test series: failing and all events of a ratio,
 * or a histogram whose events above a bound are the bad ones. `excluded` are label sets the SLI's
 * matchers must leave out (probe routes), so tests can prove the filter holds.
 */
export type SliEvents =
  | {
      readonly kind: 'ratio';
      readonly errors: Selector;
      readonly total: Selector;
      readonly examples: {
        readonly error: Record<string, string>;
        readonly ok: Record<string, string>;
        readonly excluded?: readonly Record<string, string>[];
      };
    }
  | {
      readonly kind: 'histogram';
      readonly histogram: Histogram;
      readonly matchers: Matchers<string>;
      readonly example: Record<string, string>;
      readonly excluded?: readonly Record<string, string>[];
    };

const unitSchema = z.enum(['ratio', 'seconds', 'count'], 'use one of the units ratio, seconds, count');
const labelSets = z.array(labelMap).optional();

const ownRecord = z
  .string()
  .regex(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/, 'name it level:metric:operations, e.g. job:http_requests:rate5m');
const importedRecord = z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'give a Prometheus metric name');

const recordingRuleSchema = z.object({
  record: ownRecord,
  imported: z.literal(false).optional(),
  expr,
  unit: unitSchema,
  labels: labelMap.optional(),
  window: positiveDuration.optional(),
  sample: fn('builds the input series for a value').optional(),
  events: z
    .discriminatedUnion(
      'kind',
      [
        z.object({
          kind: z.literal('ratio'),
          errors: selector,
          total: selector,
          examples: z.object({ error: labelMap, ok: labelMap, excluded: labelSets }),
        }),
        z.object({
          kind: z.literal('histogram'),
          histogram: z.object({ name: text('name the histogram') }),
          matchers: z.record(z.string(), z.unknown()),
          example: labelMap,
          excluded: labelSets,
        }),
      ],
      'build the rule with ratioRule() or quantileRule(), which describe its events',
    )
    .optional(),
  overWindow: fn('rebuilds the SLI over a window').optional(),
  overRange: fn('rebuilds the expression over a window').optional(),
  traffic: selector.optional(),
  shares: z
    .object({ critical: fn('gives the critical share'), series: fn('builds the series for step counts') })
    .optional(),
});

/** A recording rule; `U` is the unit it records, so an SLO over it takes an objective of that unit. */
export class RecordingRule<U extends ValueUnit = ValueUnit> extends Construct implements Selectable {
  readonly kind = 'recording-rule' as const;
  readonly record: string;
  readonly expr: Expr;
  readonly unit: U;
  readonly labels: Readonly<Record<string, string>>;
  readonly window: Duration | undefined;
  readonly sample: ((value: number) => SeriesSample) | undefined;
  readonly events: SliEvents | undefined;
  readonly overWindow: ((window: Duration) => WindowedSli) | undefined;
  readonly overRange: ((window: Duration, by?: readonly string[]) => Expr) | undefined;
  readonly traffic: Selector | undefined;
  readonly shares: ShareSampler | undefined;

  constructor(group: RuleGroup, id: string, props: RecordingRuleProps<U>) {
    super(group, id);
    this.addPropsValidation(
      props.imported
        ? recordingRuleSchema.extend({ record: importedRecord, imported: z.literal(true) })
        : recordingRuleSchema,
      props,
    );
    this.record = props.record;
    this.expr = props.expr;
    this.unit = props.unit;
    this.labels = props.labels ?? {};
    this.window = props.window;
    this.sample = props.sample;
    this.events = props.events;
    this.overWindow = props.overWindow;
    this.overRange = props.overRange;
    this.traffic = props.traffic;
    this.shares = props.shares;
  }
  get seriesName(): string {
    return this.record;
  }
  select(matchers: Matchers<string> = {}): Selector {
    return new Selector(this.record, this, matchers as Record<string, Matcher>);
  }
  override toString(): string {
    return this.record;
  }
}

/** Where runbook links point; the lint resolves them against docs/runbooks/ in this repository. */
export const RUNBOOK_BASE_URL = 'https://github.com/social-platform/stressgate/blob/main/docs/runbooks/';

export class Alert extends Construct {
  readonly props: AlertProps | ImportedAlertProps;
  /** The project's own alerts carry tests, severity and a runbook; imported ones what their file had. */
  constructor(group: RuleGroup, props: AlertProps | ImportedAlertProps) {
    super(group, (isImportedAlert(props) ? props.id : undefined) ?? props.name);
    this.addPropsValidation(isImportedAlert(props) ? importedAlertSchema : alertSchema, props);
    this.props = props;
    this.addValidation(() => this.ruleFileProblems());
  }
  get imported(): boolean {
    return isImportedAlert(this.props);
  }
  /** The promtool cases; none for an imported alert. */
  get tests(): AlertCases | undefined {
    return isImportedAlert(this.props) ? undefined : this.props.tests;
  }
  /** Whether a firing alert blocks a release; imported alerts never do. */
  get gate(): boolean {
    return !isImportedAlert(this.props) && this.props.gate;
  }
  /** Every case, fires and quiet first, with what it expects. */
  get cases(): { kind: 'fires' | 'quiet'; c: AlertCase }[] {
    const t = this.tests;
    if (!t) return [];
    return [
      { kind: 'fires', c: t.fires },
      { kind: 'quiet', c: t.quiet },
      ...(t.more ?? []).map((c) => ({ kind: c.expect, c })),
    ];
  }
  /** A rule file of its own evaluates its tests at its own interval, which its alerts' tests must suit. */
  private ruleFileProblems(): Problem[] {
    const file = this.ancestor(RuleFile);
    if (!file) return [];
    const problems: Problem[] = [];
    if (this.tests?.scenarios?.length) {
      problems.push({
        field: 'tests.scenarios',
        reason: `scenarios run at the shared ${STEP} s step; ${file.fileName} evaluates its tests every ${file.props.testEvaluationInterval}`,
        fix: "give this rule file's alerts boundary cases instead",
      });
    }
    if (file.props.alertCasesInOneGroup) {
      for (const { c } of this.cases.filter(({ c }) => !isInstant(c))) {
        problems.push({
          field: 'tests',
          reason: `case "${c.title}" is not an instant, but ${file.fileName} tests each alert's cases in one group`,
          fix: 'give the case eval time 0s and one sample per series',
        });
      }
    }
    return problems;
  }
  get name(): string {
    return this.props.name;
  }
  get labels(): Record<string, string> {
    const p = this.props;
    if (isImportedAlert(p)) return { ...p.labels };
    return { severity: p.severity, ...(p.gate ? { gate: 'release' } : {}), ...p.labels };
  }
  /** An imported alert's is the runbook_url its annotations name, if any (else empty). */
  get runbookUrl(): string {
    const p = this.props;
    if (isImportedAlert(p)) return p.annotations?.runbook_url ?? '';
    return `${RUNBOOK_BASE_URL}${p.runbook ?? 'alerts.md'}#${p.runbookSection ?? this.name.toLowerCase()}`;
  }
  get annotations(): Record<string, string> {
    const p = this.props;
    if (isImportedAlert(p)) return { ...p.annotations };
    return { summary: p.summary, description: p.description, runbook_url: this.runbookUrl };
  }
}

export function requireSample(rule: RecordingRule, user: Construct): (value: number) => SeriesSample {
  if (!rule.sample) {
    throw new DefinitionError(
      user,
      'sli',
      `recording rule ${rule.record} has no test-series generator; build it with ratioRule() or quantileRule()`,
    );
  }
  return rule.sample;
}
