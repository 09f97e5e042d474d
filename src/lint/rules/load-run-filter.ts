// A dashboard query of k6's series that does not pick the load run: concurrent runs (two gates, a
// TestRun beside a local run) remote-write to one Prometheus, and an unfiltered panel mixes them into
// one line that is no run's. Every k6 selector must match the run label on a run variable, one whose
// values are label_values(<a k6 metric>, <the run label>).
import { K6_RUN_LABEL } from '../../catalog/metrics.js';
import { dashboardModel } from '../dashboard-model.js';
import { parsePromQL, substituteWithOriginal } from '../promql.js';
import { rule, type Problem } from '../rule.js';
import type { LintContext } from '../context.js';

const RUN_VARIABLE = (name: string) => `__run_variable_${name}__`;

/** The dashboard's variables whose values are k6 runs (`label_values(k6_vus, testrun_name)`). */
function runVariables(ctx: LintContext, raw: unknown): string[] {
  return (dashboardModel(raw).templating?.list ?? []).flatMap((v) => {
    const query = typeof v.query === 'string' ? v.query : v.query?.query;
    const m = /^\s*label_values\(\s*([a-zA-Z_:][\w:]*)\s*(?:\{[^}]*\})?\s*,\s*(\w+)\s*\)\s*$/.exec(query ?? '');
    const k6 = m && ctx.series.get(m[1]!)?.metric.spec.origin === 'k6';
    return v.name && k6 && m[2] === K6_RUN_LABEL ? [v.name] : [];
  });
}

/** The query with each of the dashboard's own variables replaced by a marker naming it, Grafana's globals as Prometheus runs them. */
function marked(expr: string) {
  const text = expr.replace(
    /\$\{([A-Za-z_]\w*)(?::[^}]*)?\}|\$([A-Za-z_]\w*)|\[\[([A-Za-z_]\w*)(?::[^\]]*)?\]\]/g,
    (all, a?: string, b?: string, c?: string) => {
      const name = (a ?? b ?? c)!;
      return name.startsWith('__') ? all : RUN_VARIABLE(name);
    },
  );
  return parsePromQL(substituteWithOriginal(text).text);
}

function unfiltered(ctx: LintContext): Problem[] {
  const problems: Problem[] = [];
  const runsOf = new Map(ctx.project.dashboards.map((d) => [d.path, runVariables(ctx, d.raw)]));
  for (const site of ctx.exprs.filter((e) => e.kind === 'panel')) {
    const runs = runsOf.get(site.file) ?? [];
    const picked = new Set(runs.map(RUN_VARIABLE));
    for (const sel of marked(site.expr).selectors) {
      if (ctx.series.get(sel.metric)?.metric.spec.origin !== 'k6') continue;
      const run = sel.matchers.find((m) => m.label === K6_RUN_LABEL && (m.op === '=' || m.op === '=~'));
      if (run && picked.has(run.value)) continue;
      const variable = runs[0] ? `$${runs[0]}` : '$run';
      problems.push({
        file: site.file,
        object: site.object,
        message: `reads ${sel.metric} (k6's, one series set per load run) without picking the run${run ? ` (${K6_RUN_LABEL}${run.op}"${run.value}" is no run variable)` : ''}: concurrent runs mix into one line.`,
        fix: runs.length
          ? `select ${sel.metric}{${K6_RUN_LABEL}=~"${variable}"} in src/dashboards/ and run \`make synth\``
          : `declare a run variable (label_values(k6_vus, ${K6_RUN_LABEL})) and select ${sel.metric}{${K6_RUN_LABEL}=~"$run"}, in src/dashboards/; run \`make synth\``,
      });
    }
  }
  return problems;
}

export const loadRunFilter = rule({
  id: 'load-run-filter',
  severity: 'error',
  summary: "a dashboard query of k6's series that does not pick the load run through a run variable",
  check: unfiltered,
});
