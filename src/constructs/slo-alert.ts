// The alert that guards an SLO: its expression, hold, minimum-traffic guard and tests, all from the SLO.
import { Selector, type Matcher } from '../catalog/types.js';
import { durationSeconds, formatNumber, promql } from '../promql/expr.js';
import type { Severity } from './alert-props.js';
import { DefinitionError } from './construct.js';
import { Alert, type RuleGroup } from './rules.js';
import type { Slo } from './slo.js';

const withoutJob = (m: Readonly<Record<string, Matcher>>) =>
  Object.fromEntries(Object.entries(m).filter(([k]) => k !== 'job'));

/** The alert that guards an SLO: expression, hold time and tests all come from the SLO. */
export function sloAlert(
  group: RuleGroup,
  slo: Slo,
  props: { name: string; severity: Severity; summary: string; description?: string; runbook?: string },
): Alert {
  const ratio = slo.ratioEvents;
  if (ratio && 1 / (slo.minTraffic * durationSeconds(slo.window)) >= slo.threshold)
    throw new DefinitionError(
      slo,
      'minTraffic',
      `at ${slo.minTraffic} events/s one bad event in ${slo.window} is at least the ${slo.thresholdText} threshold; give a minTraffic above ${formatNumber(1 / (slo.threshold * durationSeconds(slo.window)))}`,
    );
  // Too little traffic for the ratio to mean anything (one 5xx in 13 requests is 7.7%): no page.
  // Matched on (job) to the SLI, which is scoped: the traffic needs no job filter of its own (other jobs drop out in the match).
  const traffic = ratio && new Selector(ratio.total.seriesName, ratio.total.source, withoutJob(ratio.total.matchers));
  const guard = traffic && promql` and on (job) sum by (job) (rate(${traffic}[${slo.window}])) > ${slo.minTraffic}`;
  return new Alert(group, {
    name: props.name,
    expr: guard ? promql`${slo.sli} > ${slo.threshold}${guard}` : promql`${slo.sli} > ${slo.threshold}`,
    for: slo.props.alertFor,
    severity: props.severity,
    gate: true,
    summary: props.summary,
    description:
      props.description ??
      `${slo.props.title} for job {{ $labels.job }} is ${slo.valueTemplate}, above the ${slo.thresholdText} SLO (over ${slo.window}).`,
    labels: { slo: slo.id },
    ...(props.runbook ? { runbook: props.runbook } : {}),
    tests: slo.alertCases(),
  });
}
