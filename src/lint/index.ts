// The cross-file lint: the generated files (rules, alerts, promtool tests, dashboards, runbooks)
// checked against the metric catalog and against each other.
import { catalog as defaultCatalog, type Metric } from '../catalog/index.js';
import { formatFinding, type Finding, type FindingFormat } from '../kernel/findings.js';
import { lintContext } from './context.js';
import type { Project } from './project.js';
import { alertRules } from './rules/alerts.js';
import { prometheusConfig } from './rules/config.js';
import { expressionRules } from './rules/expressions.js';
import { panelShape } from './rules/panels.js';
import { unusedRecordingRules } from './rules/recording.js';
import { dashboardReading } from './rules/dashboard-reading.js';
import { runbookContent } from './rules/runbook-content.js';
import { sloPanels } from './rules/slo-panels.js';
import { runbookSections } from './rules/runbooks.js';
import { uniqueIds } from './rules/unique-ids.js';
import { panelUnits } from './rules/units.js';
import { rangeWindows } from './rules/windows.js';

export { loadProject, type Project } from './project.js';

/** Every rule id the lint reports (`file-parse` is the loader's: a file that could not be read). */
export const LINT_RULES = [
  'file-parse',
  'promql-parse',
  'metric-exists',
  'rate-on-counter',
  'quantile-on-buckets',
  'label-exists',
  'label-value',
  'unused-recording-rule',
  'unique-ids',
  'alert-metadata',
  'runbook-section',
  'runbook-content',
  'alert-tests',
  'panel-shape',
  'slo-panel',
  'slo-scope',
  'health-panel',
  'table-format',
  'alert-table',
  'job-variable',
  'schema-version',
  'dashboard-links',
  'panel-unit',
  'range-window',
  'prometheus-config',
] as const;

// Plain code-unit order, not localeCompare: the output must not depend on the machine's locale.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function lintProject(project: Project, catalog: readonly Metric[] = defaultCatalog): Finding[] {
  const ctx = lintContext(project, catalog);
  const all = [
    ...project.parseFindings,
    ...expressionRules(ctx),
    ...unusedRecordingRules(ctx),
    ...uniqueIds(ctx),
    ...alertRules(ctx),
    ...runbookSections(ctx),
    ...runbookContent(ctx),
    ...panelShape(ctx),
    ...sloPanels(ctx),
    ...dashboardReading(ctx),
    ...panelUnits(ctx),
    ...rangeWindows(ctx),
    ...prometheusConfig(ctx),
  ];
  // The same mistake twice in one object (a selector repeated in an expression) is one finding.
  const unique = [...new Map(all.map((f) => [JSON.stringify([f.file, f.object, f.rule, f.message]), f])).values()];
  return unique.sort((a, b) => compare(a.file, b.file) || compare(a.object, b.object) || compare(a.rule, b.rule) || compare(a.message, b.message));
}

export const formatFindings = (findings: readonly Finding[], format: FindingFormat): string => findings.map((f) => formatFinding(f, format)).join('\n');
