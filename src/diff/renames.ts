// Alerts and recording rules renamed in the same change: a removed rule and an added one of the same
// kind, with the same labels and the same expression (its syntax tree, so re-indenting is no
// difference), are one rule renamed. Failing that, the same expression shape with only threshold
// numbers changed is a rename with a change (samber/awesome-prometheus-alerts' JenkinsOffline →
// JenkinsNodeOffline, `> 1` → `> 0`), judged like any change. A pairing must be one-to-one: when two
// candidates fit equally, nothing is paired and they stay removed + added.
import type { Rule } from './rule-files.js';
import { extractThresholds, parseExpr, shapeWithoutThresholds } from './thresholds.js';
import { shapeOf } from './promql-shape.js';
import { deepEqual } from './util.js';

/** The expression's syntax tree as text: equal for expressions that differ only in layout and comments. */
export const canonicalExpr = (expr: string): string => shapeOf(parseExpr(expr).tree.topNode, expr);
const looseShape = (expr: string): string => shapeWithoutThresholds(expr, extractThresholds(expr));

/** Pairs removed with added rules that are renames; the rest stay removed / added. */
export function pairRenames(
  removed: readonly Rule[],
  added: readonly Rule[],
): { pairs: [Rule, Rule][]; removed: Rule[]; added: Rule[] } {
  const olds = [...removed];
  const news = [...added];
  const pairs: [Rule, Rule][] = [];
  for (const shape of [canonicalExpr, looseShape]) {
    const key = (r: Rule) => `${r.kind}\u0000${shape(r.expr)}\u0000${JSON.stringify(Object.entries(r.labels).sort())}`;
    const count = (list: readonly Rule[], k: string) => list.filter((r) => key(r) === k).length;
    for (let i = 0; i < olds.length;) {
      const k = key(olds[i]!);
      const j = news.findIndex((n) => key(n) === k);
      if (j < 0 || count(olds, k) !== 1 || count(news, k) !== 1 || !deepEqual(olds[i]!.labels, news[j]!.labels)) {
        i++;
        continue;
      }
      pairs.push([olds[i]!, news[j]!]);
      olds.splice(i, 1);
      news.splice(j, 1);
    }
  }
  return { pairs, removed: olds, added: news };
}
