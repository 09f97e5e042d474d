// Relative criteria on an SLO: how much worse than a baseline run the indicator may get before the
// gate reads REGRESSED, typed by the indicator's unit (percentage points for a ratio, a duration and a
// share of the baseline for latency), with production defaults, and checked again for callers that cast.
import { z } from 'zod';
import { ms, percent, percentagePoints, type PercentagePoints, type Quantity } from './quantity.js';
import type { ValueUnit } from './value-unit.js';

/** Relative criteria, typed by the indicator's unit: points for a ratio, a duration for latency. */
export type RegressionTolerance<U extends ValueUnit> = U extends 'ratio'
  ? { readonly absolute: PercentagePoints }
  : { readonly relative?: Quantity<'ratio'>; readonly absolute?: Quantity<U> };

/** A tolerance in the indicator's base unit: worse by more than `max(relative × baseline, absolute)`. */
export interface ResolvedTolerance {
  readonly relative: number;
  readonly absolute: number;
  readonly text: string;
}

/**
 * Production defaults: a p95 10% and 20 ms worse (both: 2 ms on a 20 ms route is no regression, nor
 * 10 ms on a 900 ms one), a ratio 0.1 percentage points worse (a fifth of a 0.5% SLO's budget).
 */
export const DEFAULT_REGRESSION = {
  ratio: { absolute: percentagePoints(0.1) },
  seconds: { relative: percent(10), absolute: ms(20) },
  count: { relative: percent(10) },
} as const;

export const regressionSchema = z
  .object(
    {
      relative: z
        .object({ kind: z.literal('ratio', 'give the relative tolerance as percent(10)'), value: z.number() })
        .refine((q) => q.value > 0 && q.value <= 10, 'give a relative tolerance above 0% and at most 1000%')
        .optional(),
      absolute: z
        .object({ kind: z.enum(['ratio', 'seconds', 'count']), value: z.number(), text: z.string() })
        .refine((q) => q.value >= 0, 'give an absolute tolerance of zero or more')
        .optional(),
    },
    {
      error:
        'write the tolerance as { relative: percent(10), absolute: ms(20) } or { absolute: percentagePoints(0.1) }',
    },
  )
  .strict()
  .optional();

/** The tolerance's kinds against the indicator's unit, for callers that cast past the types. */
export function regressionIssues(
  regression: unknown,
  sli: { readonly record: string; readonly unit: ValueUnit } | undefined,
): { field: string; reason: string; fix: string }[] {
  const r = regression as { relative?: Quantity; absolute?: Quantity & { points?: boolean } } | undefined;
  const unit = sli?.unit;
  if (!r || !unit || !sli) return [];
  if (unit === 'ratio' && (r.relative || !r.absolute?.points))
    return [
      {
        field: 'regression',
        reason: `${sli.record} records a ratio: its tolerance is an absolute change in percentage points`,
        fix: 'write { absolute: percentagePoints(0.1) }',
      },
    ];
  if (r.absolute && r.absolute.kind !== unit)
    return [
      {
        field: 'regression.absolute',
        reason: `${r.absolute.text} is a ${r.absolute.kind} quantity, but ${sli.record} records ${unit}`,
        fix: unit === 'seconds' ? 'write it as ms(20)' : `give a ${unit} quantity`,
      },
    ];
  return [];
}

/** The tolerance with the unit's defaults where none is given, in the indicator's base unit. */
export function resolveTolerance(regression: unknown, unit: ValueUnit): ResolvedTolerance {
  const given = (regression ?? {}) as { relative?: Quantity; absolute?: Quantity };
  const d = DEFAULT_REGRESSION[unit] as { relative?: Quantity; absolute?: Quantity };
  const relative = given.relative ?? (regression ? undefined : d.relative);
  const absolute = given.absolute ?? (regression ? undefined : d.absolute);
  const parts = [...(relative ? [relative.text] : []), ...(absolute ? [absolute.text] : [])];
  return {
    relative: relative?.value ?? 0,
    absolute: absolute?.value ?? 0,
    text: parts.length ? `worse by more than ${parts.join(' and ')}` : 'any worsening',
  };
}
