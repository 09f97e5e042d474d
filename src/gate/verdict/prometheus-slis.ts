// The server's side of the verdict: each in-scope SLO's indicator over the whole run window, from
// the target's own metrics in Prometheus (ratios from increase() of the counters, latency from
// histogram_quantile over increase() of the buckets), with the number of events behind it; and
// whether each gate SLI's recording rule had samples during the run (none: its alert was blind).
import type { PromClient } from '../../kernel/prometheus-client.js';
import type { Duration } from '../../promql/expr.js';
import { sloById } from '../../slos/load-thresholds.js';
import type { Failure, Outcome, PrometheusEvidence } from './schema.js';

export interface SliJudgement {
  readonly slo: string;
  readonly expr: string;
  readonly value: number | null;
  readonly samples: number;
  readonly outcome: Outcome;
}

const finite = (v: string | undefined): number | null => {
  const n = Number(v);
  return v !== undefined && Number.isFinite(n) ? n : null;
};
const fmt = (v: number) => String(Number(v.toPrecision(4)));

export async function judgeSlis(
  prom: PromClient,
  /** In-scope SLOs with the bound applied, in the SLO's unit. */
  bounds: ReadonlyArray<{ slo: string; bound: number }>,
  window: { end: Date; seconds: number },
): Promise<{ slis: SliJudgement[]; recordingRules: PrometheusEvidence['recordingRules']; failures: Failure[] }> {
  const range = `${window.seconds}s` as Duration;
  const failures: Failure[] = [];
  const slis: SliJudgement[] = [];
  const recordingRules: PrometheusEvidence['recordingRules'] = [];
  for (const { slo: id, bound } of bounds) {
    const slo = sloById.get(id);
    if (!slo?.sli.overWindow)
      throw new Error(
        `SLO ${id}: its recording rule ${slo?.sli.record ?? '?'} cannot be evaluated over a window (build it with ratioRule() or quantileRule())`,
      );
    const { value: valueExpr, events: eventsExpr } = slo.sli.overWindow(range);
    const [values, events, recorded] = await Promise.all([
      prom.query(valueExpr.text, window.end),
      prom.query(eventsExpr.text, window.end),
      prom.query(`count_over_time(${slo.sli.record}[${range}])`, window.end),
    ]);
    const samples = Math.round(events.reduce((s, r) => s + (finite(r.value[1]) ?? 0), 0));
    const numbers = values.map((r) => finite(r.value[1])).filter((v): v is number => v !== null);
    const value = samples > 0 && numbers.length ? Math.max(...numbers) : null;
    const outcome: Outcome = value === null ? 'NOT MEASURED' : value <= bound ? 'PASS' : 'FAIL';
    slis.push({ slo: id, expr: valueExpr.text, value, samples, outcome });
    if (outcome === 'NOT MEASURED')
      failures.push({
        source: 'prometheus-sli',
        subject: id,
        reason: `NOT MEASURED: no events in Prometheus over the run (${eventsExpr.text} = ${samples})`,
      });
    if (outcome === 'FAIL')
      failures.push({
        source: 'prometheus-sli',
        subject: id,
        reason: `${slo.props.title} over the run was ${fmt(value!)} from ${samples} events, above ${fmt(bound)} (${slo.thresholdText} SLO)`,
      });

    const ruleSamples = recorded.reduce((s, r) => s + (finite(r.value[1]) ?? 0), 0);
    recordingRules.push({ record: slo.sli.record, slo: id, samples: ruleSamples });
    if (ruleSamples === 0)
      failures.push({
        source: 'evidence',
        subject: slo.sli.record,
        reason: `the gate SLI had no samples during the run: the alerts on ${id} were blind (rules not loaded, or their selectors match nothing)`,
      });
  }
  return { slis, recordingRules, failures };
}
