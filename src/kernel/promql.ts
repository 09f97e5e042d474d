// The one PromQL parser: the Prometheus project's own lezer grammar (@prometheus-io/lezer-promql),
// with the typed helpers the lint, the diff, the live check, the drills and the mutation pass share.
// Node names come from the grammar (print `parseTree(expr).toString()` to see them).
import { parser } from '@prometheus-io/lezer-promql';
import { parsePromDuration } from './duration.js';

/** The parser's node and tree types, without depending on @lezer/common (a transitive dependency) directly. */
export type Tree = ReturnType<typeof parser.parse>;
export type SyntaxNode = Tree['topNode'];

export type MatchOp = '=' | '!=' | '=~' | '!~';

export interface LabelMatcher {
  readonly label: string;
  readonly op: MatchOp;
  readonly value: string;
}

export interface Selector {
  /** Empty when the selector names no metric (`{job="x"}`) or matches `__name__` other than by `=`. */
  readonly metric: string;
  /** Every matcher but the one on `__name__`. */
  readonly matchers: readonly LabelMatcher[];
  /** The `__name__` matcher, when the selector has one. */
  readonly nameMatcher?: LabelMatcher;
}

/** A range window (`x[5m]`, `expr[1h:1m]`) as written, and in seconds where it is a Prometheus duration. */
export interface RangeWindow {
  /** The window's node (DurationExpr), e.g. to replace its text. */
  readonly node: SyntaxNode;
  readonly text: string;
  readonly seconds?: number;
  /** A subquery's resolution. */
  readonly step?: { readonly node: SyntaxNode; readonly text: string; readonly seconds?: number };
}

const MATCH_OPS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

export function parseTree(expr: string): Tree {
  return parser.parse(expr);
}

/** Whether the grammar had to recover from a syntax error somewhere in the expression. */
export function hasSyntaxError(tree: Tree): boolean {
  let broken = false;
  tree.iterate({ enter: (n) => void (n.type.isError && (broken = true)) });
  return broken;
}

/** A syntax tree with no error nodes: an expression Prometheus's grammar accepts. */
export const parses = (expr: string): boolean => !hasSyntaxError(parseTree(expr));

/** A node's children, in order. */
export function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) out.push(c);
  return out;
}

/** Strips parentheses: `(x)` is x. */
export function unwrapParens(node: SyntaxNode): SyntaxNode {
  while (node.name === 'ParenExpr' && node.firstChild) node = node.firstChild;
  return node;
}

/** The name of a function call (`rate`) or aggregation (`sum`). */
export const functionName = (call: SyntaxNode, expr: string): string => {
  const id = call.getChild('FunctionIdentifier') ?? call.getChild('AggregateOp') ?? call;
  return expr.slice(id.from, id.to);
};

/** Arguments of a function call or aggregation, in order. */
export const callArgs = (call: SyntaxNode): SyntaxNode[] => children(call.getChild('FunctionCallBody') ?? call);

/** PromQL string literal to its value: double/single quotes with escapes, backticks raw. */
export function unquote(s: string): string {
  if (s.startsWith('`')) return s.slice(1, -1);
  const body = s.slice(1, -1);
  try {
    return JSON.parse(`"${s.startsWith("'") ? body.replace(/\\'/g, "'").replace(/"/g, '\\"') : body}"`) as string;
  } catch {
    return body;
  }
}

/** A VectorSelector's metric and matchers (`{"metric.name", ...}`: a quoted name alone is the metric, Prometheus 3 UTF-8 names). */
export function selectorOf(vs: SyntaxNode, expr: string): Selector {
  const text = (n: SyntaxNode) => expr.slice(n.from, n.to);
  let metric = vs.getChild('Identifier') ? text(vs.getChild('Identifier')!) : '';
  const matchers: LabelMatcher[] = [];
  let nameMatcher: LabelMatcher | undefined;
  for (const m of children(vs.getChild('LabelMatchers') ?? vs)) {
    if (m.name === 'QuotedLabelName') metric = unquote(text(m.getChild('StringLiteral') ?? m));
    if (m.name !== 'UnquotedLabelMatcher' && m.name !== 'QuotedLabelMatcher') continue;
    const nameNode = m.getChild('LabelName') ?? m.getChild('QuotedLabelName')?.getChild('StringLiteral');
    const valueNode = m.getChild('StringLiteral');
    if (!nameNode || !valueNode) continue;
    const label = nameNode.name === 'StringLiteral' ? unquote(text(nameNode)) : text(nameNode);
    const op = MATCH_OPS[m.getChild('MatchOp')?.firstChild?.name ?? ''] ?? '=';
    const value = unquote(text(valueNode));
    if (label === '__name__') ((nameMatcher = { label, op, value }), (metric = op === '=' ? value : ''));
    else matchers.push({ label, op, value });
  }
  return { metric, matchers, ...(nameMatcher ? { nameMatcher } : {}) };
}

/** Every vector selector of an expression, in order. */
export function selectors(expr: string): Selector[] {
  const out: Selector[] = [];
  parseTree(expr).iterate({
    enter: (ref) => void (ref.name === 'VectorSelector' && out.push(selectorOf(ref.node, expr))),
  });
  return out;
}

/** The window of a MatrixSelector or SubqueryExpr node; undefined for any other node. */
export function rangeWindowOf(node: SyntaxNode, expr: string): RangeWindow | undefined {
  if (node.name !== 'MatrixSelector' && node.name !== 'SubqueryExpr') return undefined;
  const [window, step] = node.getChildren('DurationExpr');
  if (!window) return undefined;
  const part = (n: SyntaxNode) => {
    const text = expr.slice(n.from, n.to);
    const seconds = parsePromDuration(text);
    return { node: n, text, ...(seconds !== undefined ? { seconds } : {}) };
  };
  return { ...part(window), ...(step ? { step: part(step) } : {}) };
}

/** Every range window of an expression, in order. */
export function rangeWindows(expr: string): RangeWindow[] {
  const out: RangeWindow[] = [];
  parseTree(expr).iterate({
    enter: (ref) => {
      const w = rangeWindowOf(ref.node, expr);
      if (w) out.push(w);
    },
  });
  return out;
}
