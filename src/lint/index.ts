// The cross-file lint: the generated files checked against the catalog and each other.
import { catalog as defaultCatalog, type Metric } from '../catalog/index.js';
import { formatFinding, type Finding, type FindingFormat } from '../verify/findings.js';
import { lintContext } from './context.js';
import type { Project } from './project.js';
import { alertRules } from './rules/alerts.js';
import { dashboardRules } from './rules/dashboards.js';
import { expressionRules, unusedRecordingRules } from './rules/expressions.js';

export { loadProject, type Project } from './project.js';

export function lintProject(project: Project, catalog: readonly Metric[] = defaultCatalog): Finding[] {
  const ctx = lintContext(project, catalog);
  const findings = [...project.parseFindings, ...expressionRules(ctx), ...unusedRecordingRules(ctx), ...alertRules(ctx), ...dashboardRules(ctx)];
  return findings.sort((a, b) => a.file.localeCompare(b.file) || a.object.localeCompare(b.object) || a.rule.localeCompare(b.rule) || a.message.localeCompare(b.message));
}

export const formatFindings = (findings: readonly Finding[], format: FindingFormat): string => findings.map((f) => formatFinding(f, format)).join('\n');
