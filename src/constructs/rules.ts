// Prometheus rule constructs: groups, recording rules (with the series generators their SLIs
// need for tests) and alerts. The foundation SDK only models Grafana-managed alerts, so this
// layer is ours.
import { z } from 'zod';
import { Selector, type Histogram, type Matcher, type Matchers, type Selectable } from '../catalog/types.js';
import { promql, type Duration, type Expr } from '../promql/expr.js';
import { humanize, humanizeDuration, humanizePercentage } from '../promql/template.js';
import { bucketQuantile, errorRatio } from '../promql/functions.js';
import {
  isInstant,
  quantileSample,
  quantileShares,
  ratioSample,
  ratioShares,
  type AlertCase,
  type AlertCases,
  type SeriesSample,
} from './alert-cases.js';
import { STEP, type ShareSampler } from './alert-timeline.js';
import { Construct, DefinitionError, type Problem } from './construct.js';
import { RuleFile } from './rule-file.js';
import type { GrafanaUnit } from './dashboard.js';
import { duration, expr, fn, inputs, labelMap, number, positiveDuration, selector, text } from './props.js';

export class RuleGroup extends Construct {
  readonly interval: Duration | undefined;
  constructor(scope: Construct, id: string, props: { interval?: Duration } = {}) {
    super(scope, id);
    this.interval = props.interval;
    this.addPropsValidation(z.object({ interval: positiveDuration.optional() }), props);
  }
  get rules(): (RecordingRule | Alert)[] {
    return this.children.filter((c): c is RecordingRule | Alert => c instanceof RecordingRule || c instanceof Alert);
  }
}

/** How a recorded value reads to a person: picks the Grafana unit and the annotation formatter. */
export type ValueUnit = 'ratio' | 'seconds' | 'count';

export const UNIT_FORMAT: Record<ValueUnit, { grafana: GrafanaUnit; template: string; format: (v: number) => string }> =
  {
    ratio: { grafana: 'percentunit', template: '{{ $value | humanizePercentage }}', format: humanizePercentage },
    seconds: { grafana: 's', template: '{{ $value | humanizeDuration }}', format: humanizeDuration },
    count: { grafana: 'short', template: '{{ $value | humanize }}', format: humanize },
  };

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
}

/** An SLI over an arbitrary window: from increase() of its counters, plus how many events it counts. */
export interface WindowedSli {
  readonly value: Expr;
  readonly events: Expr;
}

/**
 * Events a counter observed in a window, exactly: last minus first sample per series. increase()
 * extrapolates to the window's edges, which inflates a count by up to a scrape interval's worth
 * (fine for a ratio or a quantile, where it cancels out; wrong for "how many events").
 */
const observedDelta = (counter: Selector, w: Duration): Expr =>
  promql`sum by (job) (max_over_time(${counter}[${w}]) - min_over_time(${counter}[${w}]))`;

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

const recordingRuleSchema = z.object({
  record: z
    .string()
    .regex(/^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$/, 'name it level:metric:operations, e.g. job:http_requests:rate5m'),
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
    this.addPropsValidation(recordingRuleSchema, props);
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

/** `sum by (job) (rate(errors[w])) / sum by (job) (rate(total[w]))`: the share of failing events, 0 when none fail. */
export function ratioRule(
  group: RuleGroup,
  id: string,
  props: {
    record: string;
    errors: Selector;
    total: Selector;
    window: Duration;
    /**
     * Concrete label sets matching `errors` and not, used to generate test series; `excluded`: label
     * sets neither selector may count (probes), fed to the tests to prove the filters hold.
     */
    examples: {
      error: Record<string, string>;
      ok: Record<string, string>;
      excluded?: readonly Record<string, string>[];
    };
    /** Events that mean the SLI must have data (default: `total` without its matchers). */
    traffic?: Selector;
  },
): RecordingRule<'ratio'> {
  const { errors, total, window, examples } = props;
  const overRange = (w: Duration, by: readonly string[] = []) => errorRatio(errors, total, w, ['job', ...by]);
  return new RecordingRule<'ratio'>(group, id, {
    record: props.record,
    unit: 'ratio',
    window,
    expr: overRange(window),
    overRange,
    sample: (value) => ratioSample(total, examples.error, examples.ok, value, examples.excluded),
    shares: ratioShares(total, examples.error, examples.ok),
    events: { kind: 'ratio', errors, total, examples },
    traffic: props.traffic ?? new Selector(total.seriesName, total.source, {}),
    overWindow: (w) => ({
      value: errorRatio(errors, total, w, ['job'], 'increase'),
      events: observedDelta(total, w),
    }),
  });
}

/** `histogram_quantile(q, sum by (job, le) (rate(h_bucket[w])))`: a latency percentile. */
export function quantileRule(
  group: RuleGroup,
  id: string,
  props: {
    record: string;
    histogram: Histogram;
    quantile: number;
    window: Duration;
    by?: readonly string[];
    matchers?: Matchers<string>;
    /** A concrete label set of the histogram, used to generate test series. */
    example: Record<string, string>;
    /** Label sets `matchers` leave out (probes), fed to the tests to prove the filter holds. */
    excluded?: readonly Record<string, string>[];
    /** Events that mean the SLI must have data (default: the histogram's `_count`, unfiltered). */
    traffic?: Selector;
  },
): RecordingRule<'seconds' | 'count'> {
  const { histogram, quantile, window, example } = props;
  const buckets = histogram.bucket.select(props.matchers);
  const overRange = (w: Duration, by: readonly string[] = []) =>
    bucketQuantile(quantile, buckets, w, ['job', ...by, ...(props.by ?? [])]);
  const rule = new RecordingRule<'seconds' | 'count'>(group, id, {
    record: props.record,
    unit: histogram.spec.unit === 'seconds' ? 'seconds' : 'count',
    window,
    expr: overRange(window),
    overRange,
    sample: (value) => quantileSample(histogram, example, quantile, value, props.excluded),
    shares: quantileShares(histogram, example, quantile),
    events: {
      kind: 'histogram',
      histogram,
      matchers: props.matchers ?? {},
      example,
      ...(props.excluded ? { excluded: props.excluded } : {}),
    },
    traffic: props.traffic ?? histogram.count.select(),
    overWindow: (w) => ({
      value: bucketQuantile(quantile, buckets, w, ['job', ...(props.by ?? [])], 'increase'),
      events: observedDelta(histogram.count.select(props.matchers), w),
    }),
  });
  rule.addPropsValidation(quantileSchema, props);
  return rule;
}

const quantileSchema = z.object({
  quantile: number('give the quantile as a fraction between 0 and 1, e.g. 0.95 for p95').gt(0).lt(1),
  by: z.array(z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'group by label names')).optional(),
});

/** `none`: not for people (the Watchdog dead man's switch, routed to its own receiver). */
export type Severity = 'critical' | 'warning' | 'info' | 'none';

export interface AlertProps {
  /** CamelCase, e.g. `Http5xxRatioHigh`; also the runbook section's heading. */
  readonly name: string;
  readonly expr: Expr;
  readonly for?: Duration;
  readonly severity: Severity;
  /** Whether a firing alert blocks a release (`gate: release` label). */
  readonly gate: boolean;
  /** A plain sentence, no templates. */
  readonly summary: string;
  /** Templated with the live value (`{{ $value | humanize… }}`) and labels. */
  readonly description: string;
  readonly labels?: Readonly<Record<string, string>>;
  /** Runbook markdown file under docs/runbooks/ holding a `## <name>` section. */
  readonly runbook?: string;
  /** The runbook heading's anchor when alerts share a section (default: the name in lower case). */
  readonly runbookSection?: string;
  readonly tests: AlertCases;
}

const alertCase = z.object({
  title: text('say what the case demonstrates'),
  interval: positiveDuration.optional(),
  inputs,
  evalTime: duration,
  value: number('give the value the expression has at evalTime').optional(),
  labels: labelMap.optional(),
});

const alertSchema = z.object({
  name: z.string().regex(/^[A-Z][A-Za-z0-9]+$/, 'name alerts in CamelCase, e.g. Http5xxRatioHigh'),
  expr,
  for: duration.optional(),
  severity: z.enum(['critical', 'warning', 'info', 'none'], 'use one of the severities critical, warning, info, none'),
  gate: z.boolean('say whether a firing alert blocks a release (true or false)'),
  summary: z
    .string()
    .regex(
      /^[A-Z][^{}]*\.$/,
      'write the summary as a plain sentence: capital first letter, no {{ }} templates, ends with "."',
    ),
  description: z
    .string()
    .regex(/\{\{\s*\$value/, 'show the live value in the description, e.g. {{ $value | humanize }}'),
  labels: labelMap.optional(),
  runbook: z
    .string()
    .regex(/^[a-z0-9-]+\.md$/, 'name a file under docs/runbooks/, e.g. alerts.md')
    .optional(),
  runbookSection: z
    .string()
    .regex(/^[a-z0-9_-]+$/, 'give the GitHub heading anchor, lower case, e.g. errorbudgetburn')
    .optional(),
  tests: z.object({
    fires: alertCase.extend({ value: number('give the value the expression has at evalTime') }),
    quiet: alertCase,
    more: z.array(alertCase.extend({ expect: z.enum(['fires', 'quiet'], 'expect fires or quiet') })).optional(),
    scenarios: z
      .array(
        z.object({
          title: text('say what the scenario demonstrates', 3),
          step: number('give the step in whole seconds, above 0').int().positive(),
          inputs,
          expect: z
            .array(
              z.object({
                at: number('give a time in seconds from the start').min(0),
                state: z.enum(['inactive', 'pending', 'firing'], 'expect inactive, pending or firing'),
                instances: number('give the number of alert instances').int().min(0).optional(),
              }),
            )
            .min(1, 'give at least one expected state'),
        }),
      )
      .optional(),
  }),
});

/** Where runbook links point; the lint resolves them against docs/runbooks/ in this repository. */
export const RUNBOOK_BASE_URL = 'https://github.com/social-platform/stressgate/blob/main/docs/runbooks/';

export class Alert extends Construct {
  readonly props: AlertProps;
  constructor(group: RuleGroup, props: AlertProps) {
    super(group, props.name);
    this.addPropsValidation(alertSchema, props);
    this.props = props;
    this.addValidation(() => this.ruleFileProblems());
  }
  /** Every case, fires and quiet first, with what it expects. */
  get cases(): { kind: 'fires' | 'quiet'; c: AlertCase }[] {
    const t = this.props.tests;
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
    if (this.props.tests.scenarios?.length) {
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
    return { severity: this.props.severity, ...(this.props.gate ? { gate: 'release' } : {}), ...this.props.labels };
  }
  get runbookUrl(): string {
    return `${RUNBOOK_BASE_URL}${this.props.runbook ?? 'alerts.md'}#${this.props.runbookSection ?? this.name.toLowerCase()}`;
  }
  get annotations(): Record<string, string> {
    return { summary: this.props.summary, description: this.props.description, runbook_url: this.runbookUrl };
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
