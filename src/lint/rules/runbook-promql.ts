// The copy-paste PromQL in runbooks, checked against the catalog like the rule files: renaming a
// metric regenerates the rules, but a runbook's query goes on naming the old series, and on-call finds
// out at 3 a.m. that it returns nothing. Every code span that parses as PromQL (LogQL spans aside) must
// select series the catalog or a recording rule defines, on labels and values they have.
import { headings } from '../../kernel/markdown.js';
import type { LintContext } from '../context.js';
import { parsePromQL, type ParsedExpr } from '../promql.js';
import { rule, type Problem } from '../rule.js';
import { closest, closestMetric } from '../suggest.js';
import { allowedLabels, known, matchedValues } from './expressions.js';
import { codeOf, isLogQL } from './runbook-content.js';
import { alertObject, runbookTarget } from './runbooks.js';

/** A bare word shaped like a series name: a recording rule (`level:metric:ops`) or a name with a unit or type suffix. */
const SERIES_NAME =
  /^(?:[a-zA-Z_][a-zA-Z0-9_]*:[a-zA-Z0-9_:]+|[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:total|seconds|bytes|bucket|count|sum|info|up|ratio|active))$/;

/** The span as PromQL when it is a query: it parses, selects a named series, and is not prose like `slo`, `going_away` or `oncall-page`. */
export function runbookQuery(span: string): ParsedExpr | undefined {
  if (isLogQL(span)) return undefined;
  const parsed = parsePromQL(span);
  if (parsed.error !== undefined || !parsed.selectors.some((s) => s.metric)) return undefined;
  // `dashboards-only` parses as a subtraction: a query has a selector, a call or a range, or is one series name.
  if (!/[{(\[]/.test(span) && !SERIES_NAME.test(span)) return undefined;
  return parsed;
}

interface Section {
  readonly anchor: string;
  /** The section's own text: from its heading to the next heading of any level. */
  readonly text: string;
}

/** A runbook's sections, each span counted once (in the innermost heading it sits under). */
function sectionsOf(markdown: string): Section[] {
  const lines = markdown.split(/\r?\n/);
  const all = headings(lines);
  const intro = { anchor: '', text: lines.slice(0, all[0]?.line ?? lines.length).join('\n') };
  return [
    intro,
    ...all.map((h, i) => ({
      anchor: h.anchor,
      text: lines.slice(h.bodyLine, all[i + 1]?.line ?? lines.length).join('\n'),
    })),
  ];
}

function spanProblems(ctx: LintContext, span: string, parsed: ParsedExpr): { message: string; fix: string }[] {
  const out: { message: string; fix: string }[] = [];
  const where = 'in the runbook';
  for (const sel of parsed.selectors.filter((s) => s.metric)) {
    if (!known(ctx, sel.metric)) {
      const guess = closestMetric(sel.metric, [...ctx.series.keys(), ...ctx.records.keys()]);
      out.push({
        message: `\`${span}\` selects ${sel.metric}, which is neither in the metric catalog nor a recording rule.`,
        fix: `${guess ? `replace ${sel.metric} with ${guess} (the closest catalog series or recording rule) ` : `select a catalog series `}${where}`,
      });
      continue;
    }
    const allowed = allowedLabels(ctx, sel.metric);
    for (const m of sel.matchers.filter((m) => !m.label.startsWith('__'))) {
      if (allowed && !allowed.includes(m.label)) {
        const list = [...new Set(allowed)].sort();
        const guess = closest(m.label, list);
        out.push({
          message: `\`${span}\` filters ${sel.metric} on label "${m.label}", which it does not have (its labels: ${list.join(', ') || 'none'}).`,
          fix: `${guess ? `use "${guess}" instead of "${m.label}", or remove the matcher` : 'remove the matcher'} ${where}`,
        });
        continue;
      }
      const values = ctx.series.get(sel.metric)?.metric.spec.labels[m.label]?.values as readonly string[] | undefined;
      for (const v of values ? matchedValues(m).filter((v) => !values.includes(v)) : [])
        out.push({
          message: `\`${span}\` matches ${sel.metric}{${m.label}${m.op}"${m.value}"}, but "${v}" is not a value of ${m.label} (values: ${values!.join(', ')}).`,
          fix: `replace "${v}" with ${closest(v, values!) ? `"${closest(v, values!)}"` : 'a catalog value'} ${where}`,
        });
    }
  }
  return out;
}

function runbookPromql(ctx: LintContext): Problem[] {
  // Which alerts each section serves, to name them (and where they are defined) in the finding.
  const alertsAt = new Map<string, string[]>();
  for (const r of ctx.project.ruleFiles.flatMap((f) => f.groups.flatMap((g) => g.rules))) {
    const target = r.alert && r.annotations?.runbook_url ? runbookTarget(r.annotations.runbook_url) : undefined;
    if (target)
      alertsAt.set(`${target.path}#${target.anchor}`, [
        ...(alertsAt.get(`${target.path}#${target.anchor}`) ?? []),
        r.alert!,
      ]);
  }
  const findings: Problem[] = [];
  for (const [path, markdown] of ctx.project.runbooks) {
    for (const section of sectionsOf(markdown)) {
      const alerts = alertsAt.get(`${path}#${section.anchor}`) ?? [];
      const object = section.anchor
        ? `section #${section.anchor}${alerts.length ? ` (${alerts.length > 1 ? `${alerts.length} alerts, first ` : ''}${alertObject(ctx, alerts[0]!)})` : ''}`
        : 'text before the first heading';
      for (const span of codeOf(section.text)) {
        const parsed = runbookQuery(span);
        if (parsed) for (const p of spanProblems(ctx, span, parsed)) findings.push({ file: path, object, ...p });
      }
    }
  }
  return findings;
}

export const runbookPromqlRule = rule({
  id: 'runbook-promql',
  severity: 'error',
  summary: "a runbook's PromQL that selects a series, label or value the catalog and recording rules do not define",
  check: runbookPromql,
});
