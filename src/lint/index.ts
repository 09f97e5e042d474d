// The cross-file lint: the generated files (rules, alerts, promtool tests, dashboards, runbooks)
// checked against the metric catalog and against each other.
import { catalog as defaultCatalog, type Metric } from '../catalog/index.js';
import { formatFinding, type Finding, type FindingFormat } from '../kernel/findings.js';
import { lintContext } from './context.js';
import type { Project } from './project.js';
import { LINT_RULES } from './rules/index.js';

export { loadProject } from './load-project.js';
export type { Project } from './project.js';
export { LINT_RULES } from './rules/index.js';
export type { LintRule, Problem } from './rule.js';

// Plain code-unit order, not localeCompare: the output must not depend on the machine's locale.
const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** `definitions`: where each alert is defined (name → `src/alerts/x.ts:12`), for the findings on runbooks. */
export function lintProject(
  project: Project,
  catalog: readonly Metric[] = defaultCatalog,
  definitions?: ReadonlyMap<string, string>,
): Finding[] {
  const ctx = lintContext(project, catalog, definitions);
  const all: Finding[] = LINT_RULES.flatMap((r) =>
    r.check(ctx).map(({ file, line, object, message, fix }) => ({
      rule: r.id,
      severity: r.severity,
      file,
      ...(line ? { line } : {}),
      object,
      message,
      fix,
    })),
  );
  // The same mistake twice in one object (a selector repeated in an expression) is one finding.
  const unique = [...new Map(all.map((f) => [JSON.stringify([f.file, f.object, f.rule, f.message]), f])).values()];
  return unique.sort(
    (a, b) =>
      compare(a.file, b.file) ||
      compare(a.object, b.object) ||
      compare(a.rule, b.rule) ||
      compare(a.message, b.message),
  );
}

export const formatFindings = (findings: readonly Finding[], format: FindingFormat): string =>
  findings.map((f) => formatFinding(f, format)).join('\n');
