// Alerts and recording rules renamed in the same change: a removed rule and an added one of the same
// kind, with the same labels and the same expression (its syntax tree, so re-indenting is no
// difference), are one rule renamed. Failing that, the same expression shape with only threshold
// numbers changed is a rename with a change (samber/awesome-prometheus-alerts' JenkinsOffline →
// JenkinsNodeOffline, `> 1` → `> 0`), judged like any change. A pairing must be one-to-one: when two
// candidates fit equally, nothing is paired and they stay removed + added.
import type { Rule } from './rule-files.js';
import { extractThresholds, parseExpr, shapeWithoutThresholds } from './thresholds.js';
import { shapeOf } from './promql-shape.js';
import { deepEqual, pairBy } from './util.js';

/** The expression's syntax tree as text: equal for expressions that differ only in layout and comments. */
export const canonicalExpr = (expr: string): string => shapeOf(parseExpr(expr).tree.topNode, expr);
const looseShape = (expr: string): string => shapeWithoutThresholds(expr, extractThresholds(expr));

/** Pairs removed with added rules that are renames; the rest stay removed / added. */
export function pairRenames(
  removed: readonly Rule[],
  added: readonly Rule[],
): { pairs: [Rule, Rule][]; removed: Rule[]; added: Rule[] } {
  // Exact expressions first, then the same shape with other threshold numbers; one-to-one only.
  return pairBy(
    removed,
    added,
    [canonicalExpr, looseShape].map((shape) => {
      const key = (r: Rule) =>
        `${r.kind}\u0000${shape(r.expr)}\u0000${JSON.stringify(Object.entries(r.labels).sort())}`;
      const count = (list: readonly Rule[], k: string) => list.filter((r) => key(r) === k).length;
      return (a: Rule, b: Rule, { olds, news }: { readonly olds: readonly Rule[]; readonly news: readonly Rule[] }) => {
        const k = key(a);
        return key(b) === k && count(olds, k) === 1 && count(news, k) === 1 && deepEqual(a.labels, b.labels);
      };
    }),
  );
}
