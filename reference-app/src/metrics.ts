// The app's Prometheus registry, built from the metric catalog: no metric name is typed here or anywhere
// in the app. Code takes handles by catalog object (`m.counter(metrics.httpRequests)`), with the label
// names typed from the catalog and the label values checked against its `values`/`pattern` once each.
import client from 'prom-client';
import { catalog, type Counter, type Gauge, type Histogram, type Metric } from '../../src/catalog/index.js';

export type Labels<L extends string> = { readonly [K in L]: string };

export interface CounterHandle<L extends string> {
  inc(labels: Labels<L>, value?: number): void;
  /** Creates the series at 0 so that it is exposed before the first event. */
  zero(labels: Labels<L>): void;
}
export interface GaugeHandle<L extends string> {
  set(labels: Labels<L>, value: number): void;
  inc(labels: Labels<L>, value?: number): void;
  dec(labels: Labels<L>, value?: number): void;
}
export interface HistogramHandle<L extends string> {
  observe(labels: Labels<L>, seconds: number): void;
  zero(labels: Labels<L>): void;
}

/** Thrown (in strict mode) when a label value is outside what the catalog allows. */
export class LabelError extends Error {}

/** A metric prom-client can expose: native histograms are only written by k6, never by the app. */
type AppMetric = Exclude<Metric, { type: 'native-histogram' }>;

/** The app's own metrics (origin 'app'); runtime metrics come from prom-client's default collectors. */
export const appMetrics: readonly AppMetric[] = catalog.filter(
  (m): m is AppMetric => (m.spec.origin ?? 'app') === 'app' && m.type !== 'native-histogram',
);

/** Whether every label of the metric is an enum (or it has none): its series are all known up front. */
export const boundedByCatalog = (metric: Metric): boolean =>
  Object.values<{ values?: readonly string[] }>(metric.spec.labels).every((l) => l.values !== undefined);

export class AppMetrics {
  readonly registry = new client.Registry();
  private readonly instruments = new Map<
    Metric,
    client.Counter<string> | client.Gauge<string> | client.Histogram<string>
  >();
  private readonly checkedLabels = new Set<string>();
  private readonly patterns = new Map<string, RegExp>();

  /** strict: a bad label value throws (tests); otherwise it is reported once through `onLabelError`. */
  constructor(
    private readonly strict: boolean,
    private readonly onLabelError: (msg: string) => void = () => {},
  ) {
    client.collectDefaultMetrics({ register: this.registry, eventLoopMonitoringPrecision: 10 });
    // prom-client names these gauges `_total`, which promtool's linter (rightly) refuses.
    for (const misnamed of [
      'nodejs_active_handles_total',
      'nodejs_active_requests_total',
      'nodejs_active_resources_total',
    ]) {
      this.registry.removeSingleMetric(misnamed);
    }
    for (const metric of appMetrics) {
      const base = {
        name: metric.name,
        help: metric.spec.help,
        labelNames: metric.labelNames,
        registers: [this.registry],
      };
      const inst =
        metric.type === 'counter'
          ? new client.Counter(base)
          : metric.type === 'gauge'
            ? new client.Gauge(base)
            : new client.Histogram({ ...base, buckets: [...metric.spec.buckets] });
      this.instruments.set(metric, inst);
    }
    // Every series the catalog bounds exists from the first scrape, at 0 (Prometheus practice: rate()
    // and absence alerts work at once, and the exposition's shape is the catalog's, not the traffic's).
    // Series with an open label (a `pattern`: routes, status codes) appear as their values are seen.
    for (const metric of appMetrics) if (boundedByCatalog(metric)) this.zeroEnums(metric);
  }

  private valid<L extends string>(metric: Metric, labels: Labels<L>): boolean {
    const key = metric.name + JSON.stringify(labels);
    if (this.checkedLabels.has(key)) return true;
    const specs = metric.spec.labels as Record<string, { values?: readonly string[]; pattern?: string }>;
    let problem: string | undefined;
    for (const name of Object.keys(specs)) {
      const v = (labels as Record<string, string>)[name];
      const spec = specs[name]!;
      if (typeof v !== 'string') problem = `label "${name}" missing`;
      else if (spec.values && !spec.values.includes(v))
        problem = `label ${name}="${v}" not in [${spec.values.join(', ')}]`;
      else if (spec.pattern) {
        let re = this.patterns.get(spec.pattern);
        if (!re) this.patterns.set(spec.pattern, (re = new RegExp(spec.pattern)));
        if (!re.test(v)) problem = `label ${name}="${v}" does not match ${spec.pattern}`;
      }
      if (problem) break;
    }
    for (const name of Object.keys(labels)) if (!(name in specs)) problem ??= `label "${name}" is not in the catalog`;
    if (problem) {
      const msg = `metric ${metric.name}: ${problem}`;
      if (this.strict) throw new LabelError(msg);
      this.onLabelError(msg);
      return false;
    }
    if (this.checkedLabels.size < 100_000) this.checkedLabels.add(key);
    return true;
  }

  counter<L extends string>(metric: Counter<L>): CounterHandle<L> {
    const c = this.instruments.get(metric) as client.Counter<L> | undefined;
    if (!c) throw new Error(`metric ${metric.name} is not an app metric`);
    return {
      inc: (labels, value = 1) => void (this.valid(metric, labels) && c.inc(labels as client.LabelValues<L>, value)),
      zero: (labels) => void (this.valid(metric, labels) && c.inc(labels as client.LabelValues<L>, 0)),
    };
  }

  gauge<L extends string>(metric: Gauge<L>): GaugeHandle<L> & { raw: client.Gauge<L> } {
    const g = this.instruments.get(metric) as client.Gauge<L> | undefined;
    if (!g) throw new Error(`metric ${metric.name} is not an app metric`);
    return {
      raw: g,
      set: (labels, value) => void (this.valid(metric, labels) && g.set(labels as client.LabelValues<L>, value)),
      inc: (labels, value = 1) => void (this.valid(metric, labels) && g.inc(labels as client.LabelValues<L>, value)),
      dec: (labels, value = 1) => void (this.valid(metric, labels) && g.dec(labels as client.LabelValues<L>, value)),
    };
  }

  histogram<L extends string>(metric: Histogram<L>): HistogramHandle<L> {
    const h = this.instruments.get(metric) as client.Histogram<L> | undefined;
    if (!h) throw new Error(`metric ${metric.name} is not an app metric`);
    return {
      observe: (labels, seconds) =>
        void (this.valid(metric, labels) && h.observe(labels as client.LabelValues<L>, seconds)),
      zero: (labels) => void (this.valid(metric, labels) && h.zero(labels as client.LabelValues<L>)),
    };
  }

  /** Zeroes every combination of a metric's enum-valued labels (metrics whose labels are all enums). */
  private zeroEnums(metric: AppMetric): void {
    const specs = metric.spec.labels as Record<string, { values?: readonly string[] }>;
    const names = metric.labelNames as string[];
    let combos: Record<string, string>[] = [{}];
    for (const n of names) combos = combos.flatMap((c) => specs[n]!.values!.map((v) => ({ ...c, [n]: v })));
    for (const labels of combos) {
      if (metric.type === 'counter') this.counter(metric).zero(labels);
      else if (metric.type === 'histogram') this.histogram(metric).zero(labels);
      else if (names.length > 0) this.gauge(metric).inc(labels, 0);
    }
  }

  async exposition(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export const seconds = (startNs: bigint) => Number(process.hrtime.bigint() - startNs) / 1e9;
