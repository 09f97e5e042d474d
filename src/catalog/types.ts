// Typed metric definitions. A metric is referenced everywhere as one of these objects, never as a
// string: renaming the TypeScript binding breaks the build, renaming `name` regenerates every use.
import { z } from 'zod';

/** A `native-histogram` is one series holding the whole distribution (no `_bucket`/`_sum`/`_count`, no `le`). */
export type MetricType = 'counter' | 'gauge' | 'histogram' | 'native-histogram';

/** Base units follow Prometheus naming: the unit is a suffix of the name (`_seconds`, `_bytes`). */
export type BaseUnit = 'seconds' | 'bytes' | 'ratio' | 'count';

/**
 * Who puts the series into Prometheus: the service itself, its runtime client library, Prometheus,
 * or k6 by remote write during a load run. Only `app` and `runtime` series are on the target's /metrics.
 */
export type MetricOrigin = 'app' | 'runtime' | 'prometheus' | 'k6';

export const exposedByTarget = (m: { readonly spec: { readonly origin?: MetricOrigin } }): boolean => {
  const origin = m.spec.origin ?? 'app';
  return origin === 'app' || origin === 'runtime';
};

/** The stress-test plan's observability signals; every metric names the signals it serves. */
export const SIGNALS = [
  'http-traffic',
  'http-latency',
  'auth',
  'db',
  'redis',
  'readiness',
  'ws-connections',
  'ws-disconnects',
  'ws-throughput',
  'ws-backpressure',
  'chat',
  'notifications',
  'games',
  'process',
  'scrape',
  'alerting',
  'load-generator',
] as const;
export type Signal = (typeof SIGNALS)[number];

export interface LabelSpec {
  /** Allowed values when the label is bounded (enums). */
  readonly values?: readonly string[];
  /** Regex source the values must match when they are open but shaped (status codes, routes). */
  readonly pattern?: string;
  readonly help: string;
}

/** Labels Prometheus adds to every scraped series; valid in any selector. */
export const TARGET_LABELS = ['job', 'instance'] as const;

export interface MetricSpec<L extends string> {
  readonly name: string;
  readonly help: string;
  readonly unit: BaseUnit;
  readonly labels: { readonly [K in L]: LabelSpec };
  readonly signals: readonly Signal[];
  readonly origin?: MetricOrigin;
}

export interface HistogramSpec<L extends string> extends MetricSpec<L> {
  readonly buckets: readonly number[];
}

/** A label matcher value: a plain string is `=`, the helpers below give the other operators. */
export type Matcher = string | { readonly op: '=' | '!=' | '=~' | '!~'; readonly value: string };
export const re = (value: string): Matcher => ({ op: '=~', value });
export const notRe = (value: string): Matcher => ({ op: '!~', value });
/** A regexp alternative matching exactly these values (RE2 metacharacters escaped). */
export const anyOf = (values: readonly string[]): string =>
  values.map((v) => v.replace(/[\\.+*?()|[\]{}^$]/g, '\\$&')).join('|');
export const ne = (value: string): Matcher => ({ op: '!=', value });

export type Matchers<L extends string> = { readonly [K in L | (typeof TARGET_LABELS)[number]]?: Matcher };

/** A rendered series selector; `promql` templates interpolate it and record which metric it reads. */
export class Selector {
  constructor(
    readonly seriesName: string,
    readonly source: Selectable,
    readonly matchers: Readonly<Record<string, Matcher>>,
  ) {}

  toString(): string {
    const parts = Object.entries(this.matchers).map(([label, m]) => {
      const { op, value } = typeof m === 'string' ? { op: '=', value: m } : m;
      return `${label}${op}${JSON.stringify(value)}`;
    });
    return parts.length ? `${this.seriesName}{${parts.join(', ')}}` : this.seriesName;
  }
}

/** Anything a query can select: catalog metrics, histogram sub-series, recording rules. */
export interface Selectable {
  readonly seriesName: string;
  readonly kind: 'metric' | 'recording-rule';
}

abstract class MetricBase<T extends MetricType, L extends string> implements Selectable {
  readonly kind = 'metric' as const;
  abstract readonly type: T;
  constructor(readonly spec: MetricSpec<L>) {}
  get name(): string {
    return this.spec.name;
  }
  get seriesName(): string {
    return this.spec.name;
  }
  get labelNames(): L[] {
    return Object.keys(this.spec.labels).sort() as L[];
  }
  select(matchers: Matchers<L> = {}): Selector {
    return new Selector(this.seriesName, this, matchers as Record<string, Matcher>);
  }
  toString(): string {
    return this.seriesName;
  }
}

export class Counter<L extends string = string> extends MetricBase<'counter', L> {
  readonly type = 'counter' as const;
}

export class Gauge<L extends string = string> extends MetricBase<'gauge', L> {
  readonly type = 'gauge' as const;
}

/** One of a histogram's three series; `_bucket` carries the extra `le` label. */
export class HistogramSeries<L extends string> implements Selectable {
  readonly kind = 'metric' as const;
  constructor(
    readonly histogram: Histogram<L>,
    readonly suffix: '_bucket' | '_sum' | '_count',
  ) {}
  get seriesName(): string {
    return this.histogram.name + this.suffix;
  }
  select(matchers: Matchers<L> & { le?: Matcher } = {}): Selector {
    return new Selector(this.seriesName, this, matchers as Record<string, Matcher>);
  }
  toString(): string {
    return this.seriesName;
  }
}

export class Histogram<L extends string = string> extends MetricBase<'histogram', L> {
  readonly type = 'histogram' as const;
  readonly bucket = new HistogramSeries<L>(this, '_bucket');
  readonly sum = new HistogramSeries<L>(this, '_sum');
  readonly count = new HistogramSeries<L>(this, '_count');
  constructor(override readonly spec: HistogramSpec<L>) {
    super(spec);
  }
}

/**
 * A Prometheus native histogram: one series per label set whose samples are whole distributions, as
 * k6 writes its trends with K6_PROMETHEUS_RW_TREND_AS_NATIVE_HISTOGRAM. rate() and sum() over it give
 * a histogram, histogram_quantile() reads it directly (no `le`).
 */
export class NativeHistogram<L extends string = string> extends MetricBase<'native-histogram', L> {
  readonly type = 'native-histogram' as const;
}

// `any` label sets: a catalog-wide list holds metrics with different label unions.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Metric = Counter<any> | Gauge<any> | Histogram<any> | NativeHistogram<any>;

const specSchema = z.object({
  name: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*$/, 'must be a valid Prometheus metric name'),
  help: z.string().min(10, 'help must say what the metric measures'),
  unit: z.enum(['seconds', 'bytes', 'ratio', 'count']),
  labels: z.record(
    z.string().regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'must be a valid label name'),
    z.object({
      values: z.array(z.string()).min(1).optional(),
      pattern: z.string().optional(),
      help: z.string().min(3),
    }),
  ),
  signals: z.array(z.enum(SIGNALS)).min(1, 'every metric serves at least one signal'),
  origin: z.enum(['app', 'runtime', 'prometheus', 'k6']).optional(),
  buckets: z.array(z.number().positive()).min(1).optional(),
});

/** Validates a spec at definition time, naming the metric and field on failure. */
function checked<S extends MetricSpec<string>>(spec: S, type: MetricType): S {
  const result = specSchema.safeParse(spec);
  if (!result.success) {
    const issue = result.error.issues[0]!;
    throw new Error(`src/catalog: metric "${spec.name}" field "${issue.path.join('.')}": ${issue.message}`);
  }
  const b = (spec as Partial<HistogramSpec<string>>).buckets;
  if (type === 'histogram' && (!b || b.some((v, i) => i > 0 && v <= b[i - 1]!))) {
    throw new Error(`src/catalog: histogram "${spec.name}" field "buckets": must be strictly increasing`);
  }
  return spec;
}

export const counter = <L extends string = never>(spec: MetricSpec<L>) => new Counter<L>(checked(spec, 'counter'));
export const gauge = <L extends string = never>(spec: MetricSpec<L>) => new Gauge<L>(checked(spec, 'gauge'));
export const histogram = <L extends string = never>(spec: HistogramSpec<L>) =>
  new Histogram<L>(checked(spec, 'histogram'));
export const nativeHistogram = <L extends string = never>(spec: MetricSpec<L>) =>
  new NativeHistogram<L>(checked(spec, 'native-histogram'));
