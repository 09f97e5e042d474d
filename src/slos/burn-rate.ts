// Multi-window, multi-burn-rate alerting (Google SRE Workbook, "Alerting on SLOs"), as data and the
// arithmetic around it. A burn rate is the error ratio over a window divided by the error budget
// (1 − objective): at 1× the budget lasts exactly the period, at 14.4× a 30-day budget is gone in
// about two days. Each alert needs the long window (is a real share of the budget gone?) and the
// short one (is it still burning?), so it fires fast and resets fast.
import { DefinitionError } from '../constructs/construct.js';
import type { Slo } from '../constructs/slo.js';
import { durationSeconds, formatNumber, type Duration } from '../promql/expr.js';

export interface BurnRatePolicy {
  readonly long: Duration;
  readonly short: Duration;
  /** Share of the period's budget spent over `long` when the alert fires. */
  readonly budgetShare: number;
  /** critical pages someone now; warning opens a ticket for working hours. */
  readonly severity: 'critical' | 'warning';
}

/** The SRE Workbook's table: over a 30-day period these are 14.4×, 6×, 3× and 1×. */
export const BURN_RATE_POLICY: readonly BurnRatePolicy[] = [
  { long: '1h', short: '5m', budgetShare: 0.02, severity: 'critical' },
  { long: '6h', short: '30m', budgetShare: 0.05, severity: 'critical' },
  { long: '1d', short: '2h', budgetShare: 0.1, severity: 'warning' },
  { long: '3d', short: '6h', budgetShare: 0.1, severity: 'warning' },
];

/** Every window a burn rate is recorded over, shortest first. */
export const BURN_RATE_WINDOWS: readonly Duration[] = [
  ...new Set(BURN_RATE_POLICY.flatMap((p) => [p.long, p.short])),
].sort((a, b) => durationSeconds(a) - durationSeconds(b));

/** An SLO that carries a production objective, with its numbers resolved. */
export interface ProductionSlo {
  readonly slo: Slo;
  /** Good share, e.g. 0.995. */
  readonly objective: number;
  /** 1 − objective: the share of events allowed to be bad. */
  readonly budget: number;
  readonly period: Duration;
}

/** Exact decimal arithmetic for the shares: 1 − 0.995 is 0.005, not 0.0050000000000000044. */
const exact = (n: number) => Number(formatNumber(n));

export function productionSlo(slo: Slo): ProductionSlo | undefined {
  const p = slo.production;
  if (!p) return undefined;
  const objective = exact(Number(p.objective.slice(0, -1)) / 100);
  if (slo.sli.events?.kind === 'histogram') {
    const buckets = slo.sli.events.histogram.spec.buckets;
    if (!buckets.includes(slo.threshold)) {
      throw new DefinitionError(
        slo,
        'production',
        `a latency objective counts events at or under ${slo.threshold}, which must be a bucket bound of ${slo.sli.events.histogram.name} (${buckets.join(', ')})`,
      );
    }
  } else if (!slo.sli.events) {
    throw new DefinitionError(
      slo,
      'production',
      `recording rule ${slo.sli.record} does not say which events it counts; build it with ratioRule() or quantileRule()`,
    );
  }
  return { slo, objective, budget: exact(1 - objective), period: p.period };
}

/** The burn rate at which `budgetShare` of the period's budget is spent over `long`. */
export const burnFactor = (policy: BurnRatePolicy, period: Duration): number =>
  exact((policy.budgetShare * durationSeconds(period)) / durationSeconds(policy.long));

/** The name of the recorded burn rate of an SLO over a window, e.g. `job:slo_http_5xx_ratio:burn_rate1h`. */
export const burnRateRecord = (slo: Slo, window: Duration): string =>
  `job:slo_${slo.id.replaceAll('-', '_')}:burn_rate${window}`;

/** The name of an SLO's recorded event rate over a window, e.g. `job:slo_http_5xx_ratio:events_rate1h`. */
export const eventRateRecord = (slo: Slo, window: Duration): string =>
  `job:slo_${slo.id.replaceAll('-', '_')}:events_rate${window}`;

/** How long a whole budget lasts at a burn rate, in words: "2.1 days", "10 hours". */
export function exhaustionText(factor: number, period: Duration): string {
  const hours = durationSeconds(period) / 3600 / factor;
  return hours >= 48
    ? `${formatNumber(Number((hours / 24).toPrecision(2)))} days`
    : `${formatNumber(Number(hours.toPrecision(2)))} hours`;
}
