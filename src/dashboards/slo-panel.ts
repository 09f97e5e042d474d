// The one way an SLO appears on a dashboard: its indicator against its threshold (a dashed line on
// a graph, a colour on a stat), described from the SLO itself and linked to the runbook of the
// alert that guards it, so a changed objective changes every panel that shows it.
import { Panel, type PanelKind, type Row } from '../constructs/dashboard.js';
import type { Slo } from '../constructs/slo.js';
import { promql } from '../promql/expr.js';
import { JOB } from '../promql/functions.js';
import { sloAlertOf } from '../alerts/slo.js';

export function sloPanel(
  row: Row,
  id: string,
  slo: Slo,
  opts: { kind?: PanelKind; width?: number; height?: number } = {},
): Panel {
  const stat = opts.kind === 'stat';
  const alert = sloAlertOf(slo);
  return new Panel(row, id, {
    ...opts,
    title: stat ? slo.props.title : `${slo.props.title} (SLO)`,
    description: `${slo.props.description} Objective: at most ${slo.thresholdText} over ${slo.window}; above it the release gate fails.`,
    unit: slo.grafanaUnit,
    thresholds: slo.thresholds,
    links: [{ title: `Runbook: ${alert.name}`, url: alert.runbookUrl }],
    queries: [
      {
        expr: stat ? promql`max(${slo.sli.select(JOB)})` : promql`${slo.sli.select(JOB)}`,
        legend: stat ? slo.props.title : '{{job}}',
      },
    ],
  });
}
