// Walking every node of every rule's expression, for the checks.
import { parseTree, hasSyntaxError, type SyntaxNode } from '../../kernel/promql.js';
import type { ForeignRule } from '../context.js';

/** Calls `visit` on every node of each rule's expression that parses (promtool reports the rest). */
export function eachNode(
  rules: readonly ForeignRule[],
  visit: (node: SyntaxNode, rule: ForeignRule, expr: string) => void,
): void {
  for (const rule of rules) {
    const tree = parseTree(rule.expr);
    if (hasSyntaxError(tree)) continue;
    tree.iterate({ enter: (ref) => void visit(ref.node, rule, rule.expr) });
  }
}

export const source = (node: SyntaxNode, expr: string) => expr.slice(node.from, node.to).replace(/\s+/g, ' ').trim();
