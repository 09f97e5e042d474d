// The SLO numbers as the tests expect them, read from src/slos/ (the one place a threshold is
// changed) and rendered with the helpers the generators use. Tests compare generated output with
// these instead of repeating `0.5%` or `p(95)<300`, so changing an SLO needs no test edit, while a
// generator that disagrees with the SLO (a wrong unit, scale or bound) still fails.
import type { Slo } from '../src/constructs/slo.js';
import { UNIT_FORMAT } from '../src/constructs/value-unit.js';
import { formatNumber } from '../src/promql/expr.js';
import { slos } from '../src/slos/index.js';

export { slos };

export type SloName = keyof typeof slos;

/** The SLO with this construct id (`api-latency-p95`). */
export function sloById(id: string): Slo {
  const slo = Object.values(slos).find((s) => s.id === id);
  if (!slo) throw new Error(`test/slo-values: no SLO "${id}"`);
  return slo;
}

/** The threshold as a PromQL literal in the SLI's base unit: `0.005`, `0.3`. */
export const promNumber = (slo: Slo): string => formatNumber(slo.threshold);

/** The threshold as a person reads it (alerts, dashboards, verdicts): `0.5%`, `300ms`. */
export const humanText = (slo: Slo): string => UNIT_FORMAT[slo.sli.unit].format(slo.threshold);

/** The threshold in milliseconds (latency SLOs): 300. */
export const millis = (slo: Slo): number => Number(formatNumber(slo.threshold * 1000));

/**
 * The k6 threshold expression a load run applies: `rate<0.005` for a ratio measured as a Rate,
 * `p(95)<300` for a latency measured in ms. The scale is the unit's (seconds → ms), not the SLO's
 * own `load.scale`, so a wrong scale in a definition fails the tests.
 */
export function k6Expression(slo: Slo): string {
  const scale = slo.sli.unit === 'seconds' ? 1000 : 1;
  return `${slo.props.load.stat}<${formatNumber(slo.threshold * scale)}`;
}

/** Escapes a string for use inside a RegExp. */
export const re = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A hand edit of an SLO's generated gate alert: its comparison `sli > threshold` (at a line end, or
 * before a ratio SLO's minimum-traffic guard), and the same with the threshold multiplied by
 * `factor` (10 for a far weaker alert), for `text.replace(...edit)`.
 */
export const thresholdEdit = (slo: Slo, factor: number): [RegExp, string] => [
  new RegExp(`${re(`${slo.sli.record} > ${promNumber(slo)}`)}(?=\\n| and )`),
  `${slo.sli.record} > ${formatNumber(slo.threshold * factor)}`,
];
