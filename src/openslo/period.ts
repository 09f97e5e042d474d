// An OpenSLO SLO's objective and time window as a production objective: the share of good events
// over a rolling period of whole days, counted as occurrences (what the burn-rate rules compute).
// Calendar windows, months, time slices and further objectives are noted, not silently changed.
import { formatNumber } from '../promql/expr.js';
import type { SloSpec } from './schema.js';

export interface Production {
  readonly objective: { readonly objective: string; readonly period: string };
  /** The good share, e.g. 0.995. */
  readonly target: number;
}

const DAYS: Record<string, number> = { d: 1, w: 7 };
/** What a calendar unit is taken as, for a rolling period (noted). */
const APPROX_DAYS: Record<string, number> = { M: 30, Q: 90, Y: 365 };

function periodOf(spec: SloSpec, note: (t: string) => void): string {
  const w = spec.timeWindow?.[0];
  if (!w) return (note('timeWindow: none given; 30d written'), '30d');
  const [, n, unit] = /^(\d+)([mhdwMQY])$/.exec(w.duration)!;
  const calendar = w.calendar || w.isRolling === false;
  const days = DAYS[unit!]
    ? Number(n) * DAYS[unit!]!
    : APPROX_DAYS[unit!]
      ? Number(n) * APPROX_DAYS[unit!]!
      : undefined;
  const period = days ? `${days}d` : '30d';
  if (calendar)
    note(
      `timeWindow: calendar-aligned ${w.duration}${w.calendar ? ` from ${w.calendar.startTime} ${w.calendar.timeZone}` : ''}; stressgate's budgets roll, ${period} written`,
    );
  else if (!DAYS[unit!]) note(`timeWindow: ${w.duration} is not whole days; ${period} written`);
  return period;
}

export function productionOf(spec: SloSpec, note: (t: string) => void): Production | undefined {
  const [first, ...rest] = spec.objectives;
  const target = first!.target ?? first!.targetPercent! / 100;
  const percent = formatNumber(target * 100);
  if (!/^[1-9]\d?(?:\.\d+)?$/.test(percent))
    return void note(`objectives[0]: a target of ${percent}% is outside 1%-99.99...%; not imported`);
  if (spec.budgetingMethod !== 'Occurrences')
    note(
      `budgetingMethod ${spec.budgetingMethod}: stressgate counts occurrences (events over events); imported as Occurrences`,
    );
  for (const [i, o] of rest.entries())
    note(
      `objectives[${i + 1}]${o.displayName ? ` (${o.displayName})` : ''}: one objective per SLO; target ${formatNumber((o.target ?? o.targetPercent! / 100) * 100)}% not imported`,
    );
  return {
    objective: { objective: `${percent}%`, period: periodOf(spec, note) },
    target: Number(formatNumber(target)),
  };
}
