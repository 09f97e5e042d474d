// The k6 metrics both runners record and the gate reads back (from a summary, or from what k6
// remote-wrote to Prometheus): their names and types, in one place.

/** Client-side measurements; with k6's built-in `http_req_duration` they are the SLOs' `load.metric`s. */
export type RateMetric = 'http_5xx' | 'auth_failures';
export type TrendMetric = 'chat_delivery' | 'notification_delivery';

/** Counter of iterations that threw (gated at count==0 in every profile). */
export const ITERATION_ERRORS = 'iteration_errors';
/** Prefix of the log line the k6 entry prints per failed iteration (src/gate/k6-driver/output.ts reads it). */
export const ITERATION_ERROR_LOG = 'stressgate-iteration-error';

/** Counter with one `measure` tag per measure: k6 cannot count a Trend's or Rate's samples in a threshold. */
export const LOAD_SAMPLES = 'load_samples';
/** Counter of checks tagged `passed`: k6's `checks` Rate reaches Prometheus as a ratio without its count, which cannot be summed over instances. */
export const LOAD_CHECKS = 'load_checks';
export const samplesMetric = (measure: string) => `${LOAD_SAMPLES}{measure:${measure}}`;

/** The percentile the trend SLOs judge (k6's `p(95)`), as the quantile PromQL computes. */
export const TREND_P95 = 0.95;

/** k6's remote-write names: a time Trend becomes `k6_<name>_seconds`, a Rate `k6_<name>_rate`, a Counter `k6_<name>_total`. */
export const k6Series = {
  trend: (metric: string) => `k6_${metric}_seconds`,
  rate: (metric: string) => `k6_${metric}_rate`,
  counter: (metric: string) => `k6_${metric}_total`,
};
