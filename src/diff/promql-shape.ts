// The structure of a PromQL expression as a string, for "is this the same expression" questions:
// the lezer-promql syntax tree serialised. Whitespace and comments do not count, everything inside a
// token does (`job="a b"` ≠ `job="a  b"`), and chosen number literals (the thresholds) can be masked
// so that an expression whose threshold moved still has the same shape.
import type { SyntaxNode } from '../kernel/promql.js';

export interface Span {
  readonly from: number;
  readonly to: number;
}

/** What a masked literal becomes in a shape. */
export const MASK = '#';

/** The shape of `node`: `Name(child child)` for inner nodes, `Name"text"` for tokens; `masked` spans become `#`. */
export function shapeOf(node: SyntaxNode, expr: string, masked: readonly Span[] = []): string {
  if (masked.some((m) => m.from === node.from && m.to === node.to)) return MASK;
  const first = node.firstChild;
  if (!first) return `${node.type.isError ? '⚠' : node.name}${JSON.stringify(expr.slice(node.from, node.to))}`;
  const parts: string[] = [];
  for (let c: SyntaxNode | null = first; c; c = c.nextSibling)
    if (c.name !== 'LineComment') parts.push(shapeOf(c, expr, masked));
  return `${node.name}(${parts.join(' ')})`;
}
