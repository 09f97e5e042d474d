// The error budget a run consumed, per SLO with a production objective: the bad share of the run's
// events (from the same selectors as the SLI and its burn rates), as a burn rate, and as the share of
// the period's budget those minutes spent (burn rate × run length ÷ period). Informational: the gate
// judges the run by its SLO thresholds and alerts; this says what the run would cost production.
import { Selector } from '../../catalog/types.js';
import type { SliEvents } from '../../constructs/rules.js';
import { durationSeconds, formatNumber, promql, type Duration, type Expr } from '../../promql/expr.js';
import type { PromClient } from '../../kernel/prometheus-client.js';
import { APP_JOB } from '../../platform.js';
import { slos } from '../../slos/index.js';
import { productionSlo, type ProductionSlo } from '../../slos/burn-rate.js';

export interface BudgetSpent {
  readonly slo: string;
  readonly objective: number;
  readonly period: Duration;
  /** Events the SLI counted during the run; 0 or null: nothing measured. */
  readonly events: number | null;
  readonly errorRatio: number | null;
  /** Error ratio ÷ budget: 1 spends the budget exactly over the period. */
  readonly burnRate: number | null;
  /** Share of the period's budget the run spent. */
  readonly budgetConsumed: number | null;
}

export interface ErrorBudgetReport {
  readonly window: { readonly start: string; readonly end: string; readonly seconds: number };
  readonly slos: readonly BudgetSpent[];
}

const withJob = (s: Selector, job: string) => new Selector(s.seriesName, s.source, { ...s.matchers, job });

/** `[bad events, all events]` over the last `range` for an SLI's events, for one job. */
function eventQueries(events: SliEvents, threshold: number, range: string, job: string): [Expr, Expr] {
  if (events.kind === 'ratio') {
    const total = promql`sum(increase(${withJob(events.total, job)}[${range}]))`;
    return [promql`sum(increase(${withJob(events.errors, job)}[${range}])) or ${total} * 0`, total];
  }
  const { histogram, matchers } = events;
  const all = promql`sum(increase(${histogram.count.select({ ...matchers, job })}[${range}]))`;
  return [
    promql`${all} - sum(increase(${histogram.bucket.select({ ...matchers, job, le: formatNumber(threshold) })}[${range}]))`,
    all,
  ];
}

async function scalar(prom: PromClient, q: Expr, at: Date): Promise<number | null> {
  const v = Number((await prom.query(q.text, at))[0]?.value[1]);
  return Number.isFinite(v) ? v : null;
}

async function spent(prom: PromClient, p: ProductionSlo, start: Date, end: Date, job: string): Promise<BudgetSpent> {
  const seconds = Math.max(1, Math.round((end.getTime() - start.getTime()) / 1000));
  const [badQ, allQ] = eventQueries(p.slo.sli.events!, p.slo.threshold, `${seconds}s`, job);
  const [bad, all] = [await scalar(prom, badQ, end), await scalar(prom, allQ, end)];
  const errorRatio = bad !== null && all ? Math.max(0, bad) / all : null;
  const burnRate = errorRatio === null ? null : errorRatio / p.budget;
  return {
    slo: p.slo.id,
    objective: p.objective,
    period: p.period,
    events: all,
    errorRatio,
    burnRate,
    budgetConsumed: burnRate === null ? null : (burnRate * seconds) / durationSeconds(p.period),
  };
}

/** What the run between `start` and `end` spent of each SLO's production budget, from Prometheus. */
export async function errorBudgetConsumed(
  prom: PromClient,
  start: Date,
  end: Date,
  job: string = APP_JOB,
): Promise<ErrorBudgetReport> {
  const seconds = Math.max(1, Math.round((end.getTime() - start.getTime()) / 1000));
  const production = Object.values(slos).flatMap((s) => productionSlo(s) ?? []);
  const rows: BudgetSpent[] = [];
  for (const p of production) rows.push(await spent(prom, p, start, end, job));
  return { window: { start: start.toISOString(), end: end.toISOString(), seconds }, slos: rows };
}

const pct = (v: number) => `${Number((v * 100).toPrecision(3))}%`;

/** The verdict's section: one row per SLO. */
export function errorBudgetMarkdown(r: {
  readonly window: ErrorBudgetReport['window'];
  readonly slos: readonly (Omit<BudgetSpent, 'period'> & { readonly period: string })[];
}): string[] {
  return [
    '## Error budget consumed (informational)',
    '',
    `Run window ${r.window.start} – ${r.window.end} (${r.window.seconds} s), against each SLO's production objective.`,
    '',
    '| SLO | objective | events | error ratio | burn rate | budget consumed |',
    '|---|---|---|---|---|---|',
    ...r.slos.map((s) =>
      s.errorRatio === null
        ? `| ${s.slo} | ${pct(s.objective)} over ${s.period} | ${s.events ?? 0} | no events measured | – | – |`
        : `| ${s.slo} | ${pct(s.objective)} over ${s.period} | ${Math.round(s.events!)} | ${pct(s.errorRatio)} | ${Number(s.burnRate!.toPrecision(3))}× | ${pct(s.budgetConsumed!)} of ${s.period} |`,
    ),
  ];
}
