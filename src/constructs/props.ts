// Schema parts the constructs' props share. Each message is the fix: it is printed after "fix:",
// beside the value that was given.
import { z } from 'zod';
import { Selector } from '../catalog/types.js';
import { parsePromDuration } from '../kernel/duration.js';
import { Expr } from '../promql/expr.js';

/** A Prometheus duration (`0s` allowed: an immediate group_wait, an eval time at the start). */
export const duration = z
  .string()
  .refine((d) => parsePromDuration(d) !== undefined, 'write a Prometheus duration such as 30s, 5m, 1h');
/** A window or an interval: a Prometheus duration longer than zero. */
export const positiveDuration = z
  .string()
  .refine((d) => (parsePromDuration(d) ?? 0) > 0, 'write a Prometheus duration longer than 0, such as 30s, 5m, 1h');

/** A number whose every issue (type, range, integrality) reports `fix`. */
export const number = (fix: string) => z.number({ error: fix });

/** Text a person reads; `what` says what it is for. */
export const text = (what: string, min = 1) =>
  z
    .string()
    .trim()
    .min(min, min > 1 ? `${what} (${min} characters at least)` : what);

export const labelName = z
  .string()
  .regex(/^[a-zA-Z_][a-zA-Z0-9_]*$/, 'label names are letters, digits and underscores, not starting with a digit');
/** Labels a rule adds to its series: names Prometheus accepts (not its reserved `__` ones), any values. */
export const labelMap = z.record(
  labelName.refine((k) => !k.startsWith('__'), 'labels starting with __ are reserved for Prometheus; rename it'),
  z.string(),
);

export const expr = z.custom<Expr>(
  (v) => v instanceof Expr,
  'build the expression with promql`...` from catalog references',
);
/** PromQL built with promql`...`, or query text (LogQL, a literal test expression). */
export const exprOrText = z.custom<Expr | string>(
  (v) => v instanceof Expr || (typeof v === 'string' && v.trim() !== ''),
  'build the query with promql`...`, or give its text',
);
export const selector = z.instanceof(Selector, {
  message: 'select the series from the catalog, e.g. metrics.httpRequests.select()',
});
export const fn = (what: string) =>
  z.custom<(...args: never[]) => unknown>((v) => typeof v === 'function', `give a function that ${what}`);

/** One `input_series` entry of a promtool test. */
export const inputSeries = z.object({
  series: z.string().regex(/^[a-zA-Z_:][a-zA-Z0-9_:]*(\{.*\})?$/, 'write a series literal such as up{job="api"}'),
  values: z.string().trim().min(1, 'write the values in promtool notation, e.g. 0+5x30'),
});
export const inputs = z.array(inputSeries).min(1, 'give at least one input series');
