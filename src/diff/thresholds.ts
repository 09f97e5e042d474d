// Numbers inside PromQL: the comparison thresholds (`x > 0.005`), every number literal, and the
// metric names an expression reads, from the lezer-promql syntax tree.
import { parsePromDuration } from '../kernel/duration.js';
import { children as childrenOf, hasSyntaxError, parseTree, type SyntaxNode, type Tree } from '../kernel/promql.js';
import { comparisonPolarities, type Polarity } from './polarity.js';
import { shapeOf } from './promql-shape.js';
import type { ComparisonOp, Threshold, ThresholdChange, Verdict } from './types.js';

const COMPARISON: Readonly<Record<string, ComparisonOp>> = {
  Gtr: '>',
  Gte: '>=',
  Lss: '<',
  Lte: '<=',
  Eql: '==',
  Neq: '!=',
};
const FLIP: Readonly<Record<ComparisonOp, ComparisonOp>> = {
  '>': '<',
  '>=': '<=',
  '<': '>',
  '<=': '>=',
  '==': '==',
  '!=': '!=',
};
// lezer-promql ≥ 0.300 names it NumberDurationLiteral; older versions NumberLiteral.
const NUMBER = new Set(['NumberDurationLiteral', 'NumberLiteral']);

export interface ParsedExpr {
  readonly tree: Tree;
  /** The parser recovered from a syntax error somewhere in the expression. */
  readonly hasErrors: boolean;
}

export function parseExpr(expr: string): ParsedExpr {
  const tree = parseTree(expr);
  return { tree, hasErrors: hasSyntaxError(tree) };
}

/** The value of a PromQL number literal (`0.005`, `-5`, `1e3`, `0x10`, `Inf`, `5m` as seconds). */
export function numberValue(literal: string): number {
  let s = literal.replace(/\s+/g, '').replace(/_/g, '');
  let sign = 1;
  if (s.startsWith('-') || s.startsWith('+')) {
    if (s.startsWith('-')) sign = -1;
    s = s.slice(1);
  }
  const lower = s.toLowerCase();
  if (lower === 'inf') return sign * Infinity;
  if (lower === 'nan') return NaN;
  if (/^0x[0-9a-f]+$/.test(lower)) return sign * parseInt(lower.slice(2), 16);
  const duration = parsePromDuration(s);
  if (duration !== undefined && !/^\d+$/.test(s)) return sign * duration;
  return sign * Number(s);
}

/** A number literal, possibly wrapped in parentheses or a unary minus: its value. */
function numberOperand(node: SyntaxNode, expr: string): { value: number } | undefined {
  if (NUMBER.has(node.name)) return { value: numberValue(expr.slice(node.from, node.to)) };
  if (node.name === 'ParenExpr') {
    const inner = node.firstChild;
    return inner && !inner.nextSibling ? numberOperand(inner, expr) : undefined;
  }
  if (node.name === 'UnaryExpr') {
    const op = node.firstChild;
    const operand = op?.nextSibling;
    if (!op || !operand) return undefined;
    const inner = numberOperand(operand, expr);
    if (!inner) return undefined;
    return { value: expr.slice(op.from, op.to).trim() === '-' ? -inner.value : inner.value };
  }
  return undefined;
}

/** A BinaryExpr's operands and operator; modifiers (`bool`, `on (...)`) are skipped. */
function operands(node: SyntaxNode): { left?: SyntaxNode; op?: SyntaxNode; right?: SyntaxNode; bool: boolean } {
  const children = childrenOf(node);
  const at = children.findIndex((c) => COMPARISON[c.name] !== undefined);
  if (at < 1) return { bool: false };
  const after = children.slice(at + 1);
  return {
    left: children[at - 1],
    op: children[at],
    right: after.find((c) => c.name !== 'BoolModifier' && c.name !== 'MatchingModifierClause'),
    bool: after.some((c) => c.name === 'BoolModifier'),
  };
}

/**
 * Every comparison of an expression against a number literal, in order of appearance, normalised
 * so that the number is on the right (`0.3 < x` → `> 0.3`), each with the shape of its other operand.
 */
export function extractThresholds(expr: string): Threshold[] {
  const { tree } = parseExpr(expr);
  const polarity = comparisonPolarities(tree.topNode, expr);
  const found: { threshold: Omit<Threshold, 'operand'>; operand: SyntaxNode }[] = [];
  tree.iterate({
    enter: (ref) => {
      if (ref.name !== 'BinaryExpr') return;
      const { left, op, right, bool } = operands(ref.node);
      if (!left || !op || !right) return;
      const comparison = COMPARISON[op.name];
      if (!comparison) return;
      const r = numberOperand(right, expr);
      const l = r ? undefined : numberOperand(left, expr);
      const hit = r ?? l;
      const side = r ? right : left;
      if (!hit) return;
      found.push({
        threshold: {
          op: r ? comparison : FLIP[comparison],
          value: hit.value,
          literal: expr.slice(side.from, side.to).trim(),
          bool,
          polarity: polarity.get(`${ref.from}:${ref.to}`) ?? 0,
          from: side.from,
          to: side.to,
        },
        operand: r ? left : right,
      });
    },
  });
  // Thresholds nested in an operand are masked in its shape: a guard whose number moved still pairs.
  const literals = found.map((f) => f.threshold);
  return found
    .map((f) => ({ ...f.threshold, operand: shapeOf(f.operand, expr, literals) }))
    .sort((a, b) => a.from - b.from);
}

/** Every number literal (not durations in `[5m]`/`offset`), as written, in order. */
export function extractNumbers(expr: string): string[] {
  const { tree } = parseExpr(expr);
  const out: string[] = [];
  tree.iterate({
    enter: (n) => {
      if (NUMBER.has(n.name)) out.push(expr.slice(n.from, n.to));
    },
  });
  return out;
}

/** Metric names read by the expression's selectors (`job:x:ratio_rate5m`, `up`, ...). */
export function referencedMetrics(expr: string): Set<string> {
  const { tree } = parseExpr(expr);
  const out = new Set<string>();
  tree.iterate({
    enter: (n) => {
      if (n.name !== 'VectorSelector') return;
      const id = n.node.firstChild;
      if (id?.name === 'Identifier') out.add(expr.slice(id.from, id.to));
    },
  });
  return out;
}

/** The expression's shape with its threshold literals masked: equal when only threshold numbers differ. */
export function shapeWithoutThresholds(expr: string, thresholds: readonly Threshold[]): string {
  return shapeOf(parseExpr(expr).tree.topNode, expr, thresholds);
}

/** The expression's shape with every number literal masked: equal when only numbers differ. */
export function shapeWithoutNumbers(expr: string): string {
  const { tree } = parseExpr(expr);
  const spans: { from: number; to: number }[] = [];
  tree.iterate({
    enter: (n) => {
      if (NUMBER.has(n.name)) spans.push({ from: n.from, to: n.to });
    },
  });
  return shapeOf(tree.topNode, expr, spans);
}

const UPPER = new Set<ComparisonOp>(['>', '>=']);
const LOWER = new Set<ComparisonOp>(['<', '<=']);

/**
 * The direction of one threshold change for an alert (the alert fires when the comparison holds):
 * for `>`/`>=` a higher number fires later (weaker); for `<`/`<=` a lower one does. At the same
 * number, `>=` → `>` (or `<=` → `<`) excludes the boundary: weaker. Anything else needs a human.
 */
export function thresholdVerdict(
  old: { op: ComparisonOp; value: number },
  now: { op: ComparisonOp; value: number },
): Verdict | undefined {
  if (old.op === now.op && Object.is(old.value, now.value)) return undefined;
  const family =
    UPPER.has(old.op) && UPPER.has(now.op) ? 'upper' : LOWER.has(old.op) && LOWER.has(now.op) ? 'lower' : undefined;
  if (!family || Number.isNaN(old.value) || Number.isNaN(now.value)) return 'review';
  if (old.value !== now.value) {
    const higher = now.value > old.value;
    return family === 'upper' ? (higher ? 'weaker' : 'stricter') : higher ? 'stricter' : 'weaker';
  }
  // Same number, inclusive ↔ exclusive.
  const inclusive = (op: ComparisonOp) => op.endsWith('=');
  return inclusive(old.op) ? 'weaker' : 'stricter';
}

/**
 * Pairs each old comparison with the new one whose other operand has the same shape (the first
 * such, so equal shapes pair in order of appearance). Pairing by position instead would shift every
 * pair when a guard (`x > 0 and ...`) is added in front. Then a comparison whose operand changed but
 * whose operator and number did not pairs with such a twin (an edited selector is not "one comparison
 * removed, one added"); what is left was added or removed. Returns the changed pairs and the
 * unpaired comparisons, in old order, then the new ones.
 */
export function diffThresholds(old: readonly Threshold[], now: readonly Threshold[]): ThresholdChange[] {
  const unpaired = [...now];
  const partner = new Map<Threshold, Threshold>();
  for (const same of [
    (a: Threshold, b: Threshold) => a.operand === b.operand,
    (a: Threshold, b: Threshold) => a.op === b.op && a.literal === b.literal,
  ]) {
    for (const a of old) {
      if (partner.has(a)) continue;
      const at = unpaired.findIndex((b) => same(a, b));
      if (at >= 0) partner.set(a, unpaired.splice(at, 1)[0]!);
    }
  }
  const strip = (t: Threshold) => ({ op: t.op, value: t.value, literal: t.literal });
  const out: ThresholdChange[] = [];
  for (const a of old) {
    const b = partner.get(a);
    if (!b) {
      out.push({ old: strip(a), verdict: 'review' });
      continue;
    }
    const pull = a.polarity === b.polarity ? a.polarity : 0;
    const verdict = judged(thresholdVerdict(a, b), pull);
    if (verdict || a.literal !== b.literal)
      out.push({
        old: strip(a),
        new: strip(b),
        ...(verdict ? { verdict } : {}),
        ...(verdict && pull !== 1 ? { polarity: pull === -1 ? 'inverted' : 'unknown' } : {}),
      });
  }
  for (const b of unpaired) out.push({ new: strip(b), verdict: 'review' });
  return out;
}

/** A threshold's verdict under its polarity: inverted under `unless`/`absent()`, unknown → review. */
function judged(verdict: Verdict | undefined, polarity: Polarity): Verdict | undefined {
  if (verdict === undefined || verdict === 'review' || polarity === 1) return verdict;
  if (polarity === -1) return verdict === 'weaker' ? 'stricter' : 'weaker';
  return 'review';
}
