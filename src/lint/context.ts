// What every lint rule needs: each PromQL expression in the project with where it lives, the
// catalog's series, and the recording rules that act as series of their own.
import { seriesIndex, type Metric, type SeriesInfo } from '../catalog/index.js';
import { allPanels, panelName, type Project } from './project.js';
import { parsePromQL, substituteGrafanaVariables, type ParsedExpr } from './promql.js';

export interface ExprSite {
  readonly file: string;
  readonly object: string;
  readonly kind: 'record' | 'alert' | 'panel';
  readonly expr: string;
  readonly parsed: ParsedExpr;
}

export interface RecordInfo {
  readonly file: string;
  /** Labels its expression groups by: the labels its series carry. */
  readonly labels: readonly string[];
}

export interface LintContext {
  readonly project: Project;
  readonly series: ReadonlyMap<string, SeriesInfo>;
  readonly records: ReadonlyMap<string, RecordInfo>;
  readonly exprs: readonly ExprSite[];
}

export function lintContext(project: Project, catalog?: readonly Metric[]): LintContext {
  const exprs: ExprSite[] = [];
  const records = new Map<string, RecordInfo>();
  for (const file of project.ruleFiles) {
    for (const group of file.groups) {
      for (const rule of group.rules) {
        const expr = String(rule.expr ?? '');
        const parsed = parsePromQL(expr);
        if (rule.record) {
          records.set(rule.record, { file: file.path, labels: [...new Set(parsed.groupingLabels)] });
          exprs.push({ file: file.path, object: `recording rule ${rule.record}`, kind: 'record', expr, parsed });
        } else if (rule.alert) {
          exprs.push({ file: file.path, object: `alert ${rule.alert}`, kind: 'alert', expr, parsed });
        }
      }
    }
  }
  for (const d of project.dashboards) {
    for (const panel of allPanels(d)) {
      for (const t of panel.targets ?? []) {
        const type = t.datasource?.type ?? panel.datasource?.type;
        if (type !== 'prometheus' || !t.expr) continue;
        exprs.push({ file: d.path, object: `${panelName(d, panel)} / target ${t.refId ?? '?'}`, kind: 'panel', expr: t.expr, parsed: parsePromQL(substituteGrafanaVariables(t.expr)) });
      }
    }
  }
  return { project, series: seriesIndex(catalog), records, exprs };
}
