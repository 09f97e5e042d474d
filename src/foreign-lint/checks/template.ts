// alerts/template (pint's name): an alert whose labels or annotations use `$labels.x` where its
// expression cannot carry `x` any more (`sum by (job) (...)` keeps only `job`): the template prints
// nothing where the reader expects the instance.
import { parseTree, hasSyntaxError } from '../../kernel/promql.js';
import { objectOf, type ForeignCheck, type Problem } from '../context.js';
import { canHave, labelsOf } from '../labels.js';

/** Labels a Go template reads: `$labels.x`, `.Labels.x`, `index $labels "x"`. */
export function templateLabels(template: string): string[] {
  const out = new Set<string>();
  for (const m of template.matchAll(/\$labels\.([A-Za-z_][A-Za-z0-9_]*)|\.Labels\.([A-Za-z_][A-Za-z0-9_]*)/g))
    out.add((m[1] ?? m[2])!);
  for (const m of template.matchAll(/index\s+\$labels\s+"([^"]+)"/g)) out.add(m[1]!);
  return [...out];
}

export const templateCheck: ForeignCheck = {
  id: 'alerts/template',
  severity: 'error',
  summary: "a label or annotation template reads $labels.x that the alert's expression aggregated away",
  check: (ctx) => {
    const out: Problem[] = [];
    for (const rule of ctx.rules) {
      if (rule.kind !== 'alert') continue;
      const tree = parseTree(rule.expr);
      if (hasSyntaxError(tree)) continue;
      const result = labelsOf(tree.topNode.firstChild ?? tree.topNode, rule.expr);
      for (const [where, map] of [
        ['label', rule.labels],
        ['annotation', rule.annotations],
      ] as const) {
        for (const [key, value] of Object.entries(map)) {
          for (const label of templateLabels(value)) {
            if (canHave(result, label)) continue;
            out.push({
              file: rule.file,
              object: objectOf(rule),
              message: `${where} ${key} reads $labels.${label}, but the expression's result has ${result.kind === 'exact' && result.labels.size ? `only ${[...result.labels].join(', ')}` : 'no such label'}: it renders empty`,
              fix: `keep ${label} in the aggregation (by (..., ${label})) or stop reading it in ${key}`,
            });
          }
        }
      }
    }
    return out;
  },
};
