// SLOs as data: one definition of each gate threshold. Alerts, their unit tests, the release-gate
// dashboard and the load-test thresholds all read the same object.
import { z } from 'zod';
import { durationSeconds, type Duration } from '../promql/expr.js';
import { minTrafficCases, minTrafficScenario } from './min-traffic-cases.js';
import { shareCrossing } from './alert-timeline.js';
import { evalTimeFor, type AlertCases } from './alert-cases.js';
import { Construct, DefinitionError } from './construct.js';

export { DEFAULT_REGRESSION, type RegressionTolerance, type ResolvedTolerance } from './regression.js';
import { duration, number, text } from './props.js';
import type { GrafanaUnit, Threshold } from './dashboard.js';
import type { Quantity } from './quantity.js';
import {
  regressionIssues,
  regressionSchema,
  resolveTolerance,
  type RegressionTolerance,
  type ResolvedTolerance,
} from './regression.js';
import { RecordingRule, requireSample, type SliEvents } from './rules.js';
import { UNIT_FORMAT, type ValueUnit } from './value-unit.js';

export interface SloProps<U extends ValueUnit = ValueUnit> {
  readonly title: string;
  /** What users feel when it is breached; shown on the release-gate dashboard. */
  readonly description: string;
  /** The recorded indicator; its window is the SLO's window. */
  readonly sli: RecordingRule<U>;
  /**
   * The objective is `sli <= threshold`; above it the gate fails. A quantity of the indicator's
   * unit (`percent(0.5)`, `ms(300)`), never a bare number.
   */
  readonly threshold: Quantity<NoInfer<U>>;
  /** How long a breach must last before the alert fires. */
  readonly alertFor: Duration;
  /** The client-side measure of the same objective in a load run (k6 or the Node runner). */
  readonly load: LoadMeasure;
  /** The objective production is held to over a rolling period; burn-rate alerts guard it. */
  readonly production?: ProductionObjective;
  /**
   * For a ratio SLI: events per second (over the SLI's window) below which its alert stays quiet,
   * so one bad event among a handful never pages. Default DEFAULT_MIN_TRAFFIC; one bad event alone
   * at this traffic must stay under the threshold (synth checks).
   */
  readonly minTraffic?: number;
  /**
   * The sliding window the release-gate verdict judges the run over (default: the SLI's own window,
   * the alert's); the verdict caps it to what the run's steady phase can hold (src/gate/verdict/sliding-windows.ts).
   */
  readonly judgeWindow?: Duration;
  /**
   * Events a judged window needs, else it is NOT MEASURED. Default: a ratio WINDOW_BAD_EVENTS / threshold
   * (ten bad events at the threshold); a latency DEFAULT_LATENCY_WINDOW_EVENTS.
   */
  readonly windowMinEvents?: number;
  /**
   * How much worse than a baseline run (a previous passing verdict) the indicator may get before the
   * gate reads REGRESSED: latency by more than `relative` of the baseline AND more than `absolute`;
   * a ratio by more than `absolute` percentage points. Defaults: DEFAULT_REGRESSION.
   */
  readonly regression?: RegressionTolerance<NoInfer<U>>;
}

/**
 * A judged window rests on at least this many bad events when it sits at the threshold: a ratio SLO's
 * window needs WINDOW_BAD_EVENTS / threshold events (2,000 at 0.5%), so the noise of a handful of bad
 * events in a short window (auth's deliberate 0.5% wrong passwords against a 1% SLO) does not fail a
 * clean run.
 */
export const WINDOW_BAD_EVENTS = 10;
/** A latency window: ten events above its p95 (5% of 200). */
export const DEFAULT_LATENCY_WINDOW_EVENTS = 200;

/** 1 event/s: 300 in a 5-minute window, where one bad event is 0.33%, under a 0.5% threshold. */
export const DEFAULT_MIN_TRAFFIC = 1;

/**
 * A production objective: the share of good events over a rolling period, e.g. 99.5% of requests
 * without a 5xx over 30 days. For a latency SLI a good event is one at or under the SLO threshold
 * (the histogram bucket whose `le` is the threshold).
 */
export interface ProductionObjective {
  readonly objective: `${number}%`;
  readonly period: Duration;
}

/**
 * A load-run metric and statistic that measures an SLO from the client's side: a Rate metric's
 * `rate`, or a Trend's `p(95)`. `scale` converts the SLO's unit to the metric's (seconds → ms).
 */
export interface LoadMeasure {
  readonly metric: string;
  readonly stat: 'rate' | 'p(95)';
  readonly scale?: number;
}

const sloSchema = z.object({
  title: text('give the SLO a title', 3),
  description: text('say what users feel when it is breached', 10),
  sli: z
    .instanceof(RecordingRule, { message: 'give the recording rule of the indicator' })
    .refine(
      (r) => r.window !== undefined,
      "give the indicator's recording rule a window (ratioRule and quantileRule take one)",
    ),
  threshold: z.object(
    {
      kind: z.enum(['ratio', 'seconds', 'count']),
      value: number('give an objective above zero').positive(),
      text: z.string(),
    },
    { error: 'write the objective as a quantity such as percent(0.5) or ms(300), not a bare number' },
  ),
  alertFor: duration,
  load: z.object({
    metric: z.string().regex(/^[a-z_][a-z0-9_]*$/, 'name the k6 metric in snake_case'),
    stat: z.enum(['rate', 'p(95)'], 'measure it with rate or p(95)'),
    scale: number('give a scale above zero, e.g. 1000 from seconds to ms').positive().optional(),
  }),
  minTraffic: number('give the minimum traffic in events per second, above zero').positive().optional(),
  judgeWindow: duration.optional(),
  windowMinEvents: number('give the minimum events of a judged window, a whole number above zero')
    .int()
    .positive()
    .optional(),
  regression: regressionSchema,
  production: z
    .object({
      objective: z
        .string()
        .regex(/^(?:[1-9]\d?(?:\.\d+)?)%$/, 'give the share of good events below 100%, e.g. "99.5%"'),
      period: z.string().regex(/^\d+d$/, 'give the period in days, e.g. 30d'),
    })
    .optional(),
});

/** Test values sit this far either side of the threshold: close enough to prove the boundary. */
const FIRE_FACTOR = 1.1;
const QUIET_FACTOR = 0.9;

export class Slo<U extends ValueUnit = ValueUnit> extends Construct {
  readonly props: SloProps<U>;
  constructor(scope: Construct, id: string, props: SloProps<U>) {
    super(scope, id);
    this.props = props;
    this.addPropsValidation(sloSchema, props);
    // The type system says the same for typed callers; this catches the ones that cast.
    this.addValidation(() => {
      const { threshold, sli } = props;
      if (!(sli instanceof RecordingRule) || typeof threshold !== 'object' || threshold.kind === sli.unit) return [];
      return [
        {
          field: 'threshold',
          reason: `${threshold.text} is a ${threshold.kind} quantity, but ${sli.record} records ${sli.unit}`,
          fix: `give a ${sli.unit} objective, or an indicator that records ${threshold.kind}`,
        },
      ];
    });
    this.addValidation(() =>
      regressionIssues(props.regression, props.sli instanceof RecordingRule ? props.sli : undefined),
    );
  }
  /** The relative criteria against a baseline run, defaults filled in, in the indicator's base unit. */
  get regression(): ResolvedTolerance {
    return resolveTolerance(this.props.regression, this.sli.unit);
  }
  get sli(): RecordingRule<U> {
    return this.props.sli;
  }
  // Alerts, their tests and burn rates are built from these while the tree is still loading.
  /** The threshold in the indicator's base unit (a ratio, seconds), as PromQL compares it. */
  get threshold(): number {
    this.assertValid();
    return this.props.threshold.value;
  }
  get window(): Duration {
    this.assertValid();
    return this.props.sli.window!;
  }
  get production(): ProductionObjective | undefined {
    this.assertValid();
    return this.props.production;
  }
  /** Events per second below which a ratio SLO's alert stays quiet. */
  get minTraffic(): number {
    return this.props.minTraffic ?? DEFAULT_MIN_TRAFFIC;
  }

  /** The sliding window the verdict judges a run over, before capping to the run (default: the SLI's window). */
  get judgeWindow(): Duration {
    return this.props.judgeWindow ?? this.window;
  }
  /** Events a judged window needs to be measured. */
  get windowMinEvents(): number {
    if (this.props.windowMinEvents !== undefined) return this.props.windowMinEvents;
    return this.ratioEvents ? Math.ceil(WINDOW_BAD_EVENTS / this.threshold) : DEFAULT_LATENCY_WINDOW_EVENTS;
  }

  /** The SLI's events when it is a ratio (errors over total): those alerts carry the minimum-traffic guard. */
  get ratioEvents(): Extract<SliEvents, { kind: 'ratio' }> | undefined {
    const events = this.sli.events;
    return events?.kind === 'ratio' ? events : undefined;
  }

  /** The threshold as a person reads it: `0.5%`, `300ms`. */
  get thresholdText(): string {
    return UNIT_FORMAT[this.sli.unit].format(this.threshold);
  }
  get valueTemplate(): string {
    return UNIT_FORMAT[this.sli.unit].template;
  }
  get grafanaUnit(): GrafanaUnit {
    return UNIT_FORMAT[this.sli.unit].grafana;
  }
  /** Panel thresholds: green within the objective, red above it. */
  get thresholds(): Threshold[] {
    return [{ value: this.threshold, color: 'red' }];
  }

  /**
   * Unit-test cases: sustained at 110% of the threshold it fires, at 90% it stays quiet (with the
   * series the SLI must leave out, failing, beside them); and the crossing over time, which pins the
   * SLI's windows and the alert's `for` to the evaluation step.
   */
  alertCases(): AlertCases {
    this.sli.assertValid();
    const sample = requireSample(this.sli, this);
    const evalTime = evalTimeFor(this.window, this.props.alertFor);
    const fires = sample(this.threshold * FIRE_FACTOR);
    const quiet = sample(this.threshold * QUIET_FACTOR);
    const pct = (f: number) => `${Math.round(f * 100)}% of the threshold`;
    const hold = durationSeconds(this.props.alertFor);
    let crossing;
    try {
      crossing =
        this.sli.shares &&
        shareCrossing(
          this.sli.shares,
          this.threshold,
          durationSeconds(this.window),
          hold,
          `${this.props.title} crosses ${this.thresholdText} as traffic doubles`,
        );
    } catch (err) {
      throw new DefinitionError(this, 'threshold', (err as Error).message);
    }
    const ratio = this.ratioEvents;
    const guard = ratio && {
      events: ratio,
      threshold: this.threshold,
      window: durationSeconds(this.window),
      hold,
      minTraffic: this.minTraffic,
      evalTime,
      title: this.props.title,
    };
    return {
      ...(guard ? { more: minTrafficCases(guard) } : {}),
      fires: {
        title: `${this.props.title} at ${pct(FIRE_FACTOR)}`,
        inputs: fires.inputs,
        evalTime,
        value: this.threshold * FIRE_FACTOR,
        labels: fires.labels,
      },
      quiet: { title: `${this.props.title} at ${pct(QUIET_FACTOR)}`, inputs: quiet.inputs, evalTime },
      scenarios: [...(crossing ? [crossing] : []), ...(guard ? [minTrafficScenario(guard)] : [])],
    };
  }
}
