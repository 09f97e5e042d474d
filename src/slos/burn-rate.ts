// Multi-window, multi-burn-rate alerting (Google SRE Workbook, "Alerting on SLOs"), as data and the
// arithmetic around it. A burn rate is the error ratio over a window divided by the error budget
// (1 − objective): at 1× the budget lasts exactly the period, at 14.4× a 30-day budget is gone in
// about two days. Each alert needs the long window (is a real share of the budget gone?) and the
// short one (is it still burning?), so it fires fast and resets fast.
import { DefinitionError, type Problem } from '../constructs/construct.js';
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

/**
 * A policy that cannot work as meant, whatever it is edited to: a short window that does not confirm
 * the long one (not shorter), a share that is no share of a budget, a long window past the period, a
 * factor under 1 (the budget outlasts the period: never a reason to act), and pages that are not the
 * fast burns (a longer window with a higher factor than a shorter one, or paging where a shorter
 * window only tickets). `scrape` is the scrape interval: a short window needs four scrapes for rate().
 */
export function burnRatePolicyProblems(
  policy: readonly BurnRatePolicy[],
  period: Duration,
  scrape: Duration,
): Problem[] {
  const out: Problem[] = [];
  const at = (i: number, reason: string, fix: string) => out.push({ field: `BURN_RATE_POLICY[${i}]`, reason, fix });
  const s = (d: Duration) => durationSeconds(d);
  policy.forEach((p, i) => {
    if (s(p.long) <= s(p.short))
      at(
        i,
        `its long window ${p.long} is not longer than its short window ${p.short}: the short window confirms the burn is still going`,
        'make the short window about 1/12 of the long one (e.g. long 1h, short 5m)',
      );
    if (s(p.short) < 4 * s(scrape))
      at(
        i,
        `its short window ${p.short} holds fewer than 4 scrapes of ${scrape}`,
        `give a short window of at least ${4 * s(scrape)}s`,
      );
    if (!(p.budgetShare > 0 && p.budgetShare <= 1))
      at(i, `budgetShare ${p.budgetShare} is not a share of the budget`, 'give a share between 0 and 1, e.g. 0.02');
    if (s(p.long) > s(period))
      at(
        i,
        `its long window ${p.long} is longer than the SLO period ${period}`,
        `keep the long window within ${period}`,
      );
    else if (burnFactor(p, period) < 1)
      at(
        i,
        `its burn factor ${burnFactor(p, period)} is under 1: at that pace the budget outlasts ${period}`,
        'raise budgetShare or shorten the long window',
      );
  });
  const byLong = policy.map((p, i) => ({ p, i })).sort((a, b) => s(a.p.long) - s(b.p.long));
  byLong.forEach(({ p, i }, k) => {
    const faster = byLong.slice(0, k).filter((q) => s(q.p.long) < s(p.long));
    const slowerPays = faster.find((q) => burnFactor(q.p, period) < burnFactor(p, period));
    if (slowerPays)
      at(
        i,
        `over ${p.long} it fires at ${burnFactor(p, period)}×, above the ${burnFactor(slowerPays.p, period)}× of the shorter ${slowerPays.p.long} window: it can never catch a burn the shorter window misses`,
        'give longer windows lower factors (the SRE Workbook: 14.4×, 6×, 3×, 1×)',
      );
    const ticketsFaster = faster.find((q) => q.p.severity === 'warning' && p.severity === 'critical');
    if (ticketsFaster)
      at(
        i,
        `it pages (critical) over ${p.long} while the faster ${ticketsFaster.p.long} window only tickets (warning)`,
        'page on the fast burns, ticket on the slow ones',
      );
  });
  return out;
}

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
      // The threshold is what to change: the production objective only makes it count as a bucket.
      throw new DefinitionError(
        slo,
        'threshold',
        `${slo.props.threshold.text} is not a bucket bound of ${slo.sli.events.histogram.name} (${buckets.join(', ')}), and the production objective counts events at or under it by its bucket`,
        'put the threshold on a bucket bound, or add the bound to the histogram in src/catalog/metrics.ts',
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
