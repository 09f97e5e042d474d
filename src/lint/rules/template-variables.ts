// A query that reads a template variable its dashboard does not declare: Grafana sends `$jb` to
// Prometheus as it is, the matcher matches nothing, and the panel shows "No data" as if all were well.
import { rule, type Problem } from '../rule.js';
import { dashboardModel } from '../dashboard-model.js';
import { userVariables } from '../grafana-variables.js';
import { allPanels, dashboardName, panelName } from '../project.js';
import { closest, editDistance } from '../suggest.js';

export const templateVariable = rule({
  id: 'template-variable',
  severity: 'error',
  summary: 'a query that reads a template variable its dashboard does not declare',
  check: (ctx) =>
    ctx.project.dashboards.flatMap((d) => {
      const declared = (dashboardModel(d.raw).templating?.list ?? []).flatMap((v) => (v.name ? [v.name] : []));
      const problems: Problem[] = [];
      for (const panel of allPanels(d)) {
        // Queries only: a datasource that names an unknown variable is panel-shape's (not provisioned).
        const texts = (panel.targets ?? []).map((t) => t.expr ?? '');
        for (const name of new Set(texts.flatMap(userVariables))) {
          if (declared.includes(name)) continue;
          // A typo, not another name: at most one edit in three characters.
          const nearest = closest(name, declared);
          const near =
            nearest && editDistance(name, nearest) <= Math.max(1, Math.floor(name.length / 3)) ? nearest : undefined;
          problems.push({
            file: d.path,
            object: panelName(d, panel),
            message: `reads $${name}, which ${dashboardName(d)} does not declare (it declares ${declared.length ? declared.map((v) => `$${v}`).join(', ') : 'no variables'})`,
            fix: near
              ? `did you mean $${near}? Fix the query in src/dashboards/ and run \`make synth\``
              : 'declare the variable on the dashboard, or use a fixed value, in src/dashboards/ and run `make synth`',
          });
        }
      }
      return problems;
    }),
});
