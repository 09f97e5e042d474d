// What the lint rules share: every PromQL expression in the project with where it lives, the
// catalog's series, and the recording rules (series of their own, with the labels they keep).
import { parsePromDuration } from '../kernel/duration.js';
import { seriesIndex, type Metric, type SeriesInfo } from '../catalog/index.js';
import { allPanels, PATHS, targetName, type Project } from './project.js';
import { parsePromQL, substituteWithOriginal, type ParsedExpr } from './promql.js';

export interface ExprSite {
  readonly file: string;
  /** `alert X`, `recording rule x:y:z`, `dashboard d / panel 3 "t" / target A`. */
  readonly object: string;
  readonly kind: 'record' | 'alert' | 'panel';
  /** The expression as written (dashboard variables not substituted), for messages. */
  readonly expr: string;
  /** The expression as Prometheus runs it: dashboard variables substituted. */
  readonly query: string;
  readonly parsed: ParsedExpr;
  /** The record name when the site is a recording rule. */
  readonly record?: string;
}

export interface RecordInfo {
  readonly file: string;
  /** The expression that computes it. */
  readonly expr: string;
  /** Seconds between its samples: its group's evaluation interval, when the group sets one. */
  readonly interval?: number;
  /** Labels its series can carry; undefined when they cannot be told from the expression. */
  readonly labels?: readonly string[];
}

export interface LintContext {
  readonly project: Project;
  readonly series: ReadonlyMap<string, SeriesInfo>;
  /** Recording rules by name (the first definition, when one is defined twice). */
  readonly records: ReadonlyMap<string, RecordInfo>;
  readonly exprs: readonly ExprSite[];
  /**
   * Kinds of file of which at least one failed to load. Rules that conclude from absence (no test,
   * no use, no such recording rule) stay quiet about them: the file-parse finding is the cause.
   */
  readonly unreadable: { readonly rules: boolean; readonly tests: boolean; readonly dashboards: boolean };
  /**
   * Where each alert is defined (`Http5xxRatioHigh` → `src/alerts/slo.ts:21`), when the caller loaded
   * the definitions: findings about prose (runbooks) name the source the user edits, not the generated file.
   */
  readonly definitions: ReadonlyMap<string, string>;
}

export function lintContext(
  project: Project,
  catalog: readonly Metric[],
  definitions: ReadonlyMap<string, string> = new Map(),
): LintContext {
  const exprs: ExprSite[] = [];
  const records = new Map<string, RecordInfo>();
  for (const file of project.ruleFiles) {
    for (const { rule, group } of file.groups.flatMap((group) => group.rules.map((rule) => ({ rule, group })))) {
      const expr = rule.expr ?? '';
      const parsed = parsePromQL(expr);
      if (rule.record) {
        exprs.push({
          file: file.path,
          object: `recording rule ${rule.record}`,
          kind: 'record',
          expr,
          query: expr,
          parsed,
          record: rule.record,
        });
        // Static `labels:` are added to the recorded series as well.
        const labels =
          parsed.resultLabels && [...new Set([...parsed.resultLabels, ...Object.keys(rule.labels ?? {})])].sort();
        const interval = group.interval === undefined ? undefined : parsePromDuration(group.interval);
        if (!records.has(rule.record))
          records.set(rule.record, {
            file: file.path,
            expr,
            ...(interval ? { interval } : {}),
            ...(labels ? { labels } : {}),
          });
      } else if (rule.alert) {
        exprs.push({ file: file.path, object: `alert ${rule.alert}`, kind: 'alert', expr, query: expr, parsed });
      }
    }
  }
  for (const d of project.dashboards) {
    for (const panel of allPanels(d)) {
      (panel.targets ?? []).forEach((t, i) => {
        // Loki targets carry LogQL in `expr`; only Prometheus targets are PromQL.
        const type = t.datasource?.type ?? panel.datasource?.type;
        if (type !== 'prometheus' || t.expr === undefined) return;
        const sub = substituteWithOriginal(t.expr);
        exprs.push({
          file: d.path,
          object: targetName(d, panel, t, i),
          kind: 'panel',
          expr: t.expr,
          query: sub.text,
          parsed: parsePromQL(sub.text, sub.original),
        });
      });
    }
  }
  const failed = project.parseFindings.map((f) => f.file);
  const unreadable = {
    rules: failed.some((f) => f.startsWith(`${PATHS.rules}/`) && !f.startsWith(`${PATHS.ruleTests}/`)),
    tests: failed.some((f) => f.startsWith(`${PATHS.ruleTests}/`)),
    dashboards: failed.some((f) => f.startsWith(`${PATHS.dashboards}/`)),
  };
  return { project, series: seriesIndex(catalog), records, exprs, unreadable, definitions };
}
