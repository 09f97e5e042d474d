// Objectives as typed quantities, not bare numbers: `percent(0.5)` is 0.005 as a ratio and `ms(300)`
// is 0.3 seconds, and an SLO only accepts the kind its indicator records. A ratio written as a
// percentage (`0.5` meaning 0.5%) is then a type error instead of a silent 100x shift.
import { formatNumber } from '../promql/expr.js';
import { noteSite } from './call-site.js';
import type { ValueUnit } from './value-unit.js';

export interface Quantity<K extends ValueUnit = ValueUnit> {
  readonly kind: K;
  /** In the base unit Prometheus records: a ratio between 0 and 1, seconds, or a count. */
  readonly value: number;
  /** As the definition wrote it: `0.5%`, `300ms`. */
  readonly text: string;
}

/** Rounds away binary noise: percent(0.5) is exactly 0.005. */
const exact = (n: number): number => Number(formatNumber(n));

// Each quantity notes where it was written, so an error about it names its line (call-site.ts).
export const percent = (p: number): Quantity<'ratio'> =>
  noteSite({ kind: 'ratio', value: exact(p / 100), text: `${formatNumber(p)}%` });
export const ms = (n: number): Quantity<'seconds'> =>
  noteSite({ kind: 'seconds', value: exact(n / 1000), text: `${formatNumber(n)}ms` });
export const seconds = (n: number): Quantity<'seconds'> =>
  noteSite({ kind: 'seconds', value: n, text: `${formatNumber(n)}s` });
export const count = (n: number): Quantity<'count'> => noteSite({ kind: 'count', value: n, text: formatNumber(n) });

/**
 * A change in a ratio, in percentage points: 0.5% → 0.6% is 0.1 points. Branded, so a relative
 * `percent(...)` (which reads as "10% worse") is a type error where points are meant.
 */
export interface PercentagePoints extends Quantity<'ratio'> {
  readonly points: true;
}

export const percentagePoints = (pp: number): PercentagePoints =>
  noteSite({ kind: 'ratio', value: exact(pp / 100), text: `${formatNumber(pp)}pp`, points: true });

/** The helper that writes a quantity's text, and its argument: `300ms` is `ms(300)`. */
export interface QuantityText {
  readonly helper: 'percent' | 'ms' | 'seconds' | 'count';
  readonly n: number;
  readonly kind: ValueUnit;
  readonly value: number;
}

/** Each suffix the helpers write: the helper, the kind, and what divides its argument into the base unit. */
const SUFFIXES = {
  '%': { helper: 'percent', kind: 'ratio', per: 100 },
  ms: { helper: 'ms', kind: 'seconds', per: 1000 },
  s: { helper: 'seconds', kind: 'seconds', per: 1 },
  '': { helper: 'count', kind: 'count', per: 1 },
} as const;

/**
 * The helpers' `text` read back (`0.5%`, `300ms`, `2s`, `5`), as the OpenSLO export carries a gate
 * threshold: for the diff and the importer. Undefined for any other text.
 */
export function readQuantityText(text: string): QuantityText | undefined {
  const m = /^(\d+(?:\.\d+)?(?:e[-+]?\d+)?)(%|ms|s)?$/.exec(text.trim());
  if (!m) return undefined;
  const n = Number(m[1]);
  const { helper, kind, per } = SUFFIXES[(m[2] ?? '') as keyof typeof SUFFIXES];
  return { helper, n, kind, value: per === 1 ? n : exact(n / per) };
}
