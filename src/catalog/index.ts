// The catalog as a whole: every metric, and lookups by the series names that queries select.
import * as metrics from './metrics.js';
import { Counter, Gauge, Histogram, NativeHistogram, type Metric, type MetricType } from './types.js';

export * from './types.js';
export { metrics };

/** Every catalog metric, sorted by name so that anything generated from it is stable. */
export const catalog: readonly Metric[] = Object.values(metrics)
  .filter(
    (m): m is Metric =>
      m instanceof Counter || m instanceof Gauge || m instanceof Histogram || m instanceof NativeHistogram,
  )
  .sort((a, b) => a.name.localeCompare(b.name));

export interface SeriesInfo {
  readonly metric: Metric;
  /** The type the series behaves as: a histogram's `_bucket`, `_sum` and `_count` are counters. */
  readonly seriesType: MetricType | 'counter';
  readonly labelNames: readonly string[];
}

/** Maps every selectable series name (including histogram sub-series) to its metric. */
export function seriesIndex(metricsList: readonly Metric[] = catalog): Map<string, SeriesInfo> {
  const index = new Map<string, SeriesInfo>();
  for (const metric of metricsList) {
    const labels = Object.keys(metric.spec.labels);
    if (metric.type === 'histogram') {
      index.set(`${metric.name}_bucket`, { metric, seriesType: 'counter', labelNames: [...labels, 'le'] });
      index.set(`${metric.name}_sum`, { metric, seriesType: 'counter', labelNames: labels });
      index.set(`${metric.name}_count`, { metric, seriesType: 'counter', labelNames: labels });
    } else {
      index.set(metric.name, { metric, seriesType: metric.type, labelNames: labels });
    }
  }
  return index;
}
