// promql/impossible: parts of a query that can never match. `foo{job="a"} unless sum(foo)`: sum()
// removed every label, so no series on the left has the right's (empty) label set; `by (cluster)` or
// `on (cluster)` after an aggregation that dropped `cluster`; a comparison with a constant that never
// holds: `vector(1) > 2`, `absent(x) > 1` (absent() is 1), `count(x) == 0` (count() returns no
// series, never 0).
import { callArgs, functionName, unwrapParens, type SyntaxNode } from '../../kernel/promql.js';
import { numberValue } from '../../diff/index.js';
import { objectOf, type ForeignCheck, type Problem } from '../context.js';
import { aggregateModifier, binaryParts, canHave, labelsOf, matching } from '../labels.js';
import { eachNode, source } from './walk.js';

const COMPARE = new Set(['Gtr', 'Gte', 'Lss', 'Lte', 'Eql', 'Neq']);

/** The values a node can take, when its syntax bounds them: [min, max]. */
function range(node: SyntaxNode, expr: string): [number, number] | undefined {
  const n = unwrapParens(node);
  if (/^Number/.test(n.name)) {
    const v = numberValue(expr.slice(n.from, n.to));
    return [v, v];
  }
  if (n.name === 'FunctionCall') {
    const fn = functionName(n, expr);
    if (fn === 'absent' || fn === 'absent_over_time') return [1, 1];
    if (fn === 'vector') return callArgs(n)[0] ? range(callArgs(n)[0]!, expr) : undefined;
  }
  if (n.name === 'AggregateExpr' && functionName(n, expr) === 'count') return [1, Infinity];
  return undefined;
}

/** Whether `op` holds for some value in [lo, hi] against the constant `c`. */
function canHold(op: string, [lo, hi]: [number, number], c: number): boolean {
  if (op === 'Gtr') return hi > c;
  if (op === 'Gte') return hi >= c;
  if (op === 'Lss') return lo < c;
  if (op === 'Lte') return lo <= c;
  if (op === 'Eql') return lo <= c && c <= hi;
  return !(lo === hi && lo === c);
}

export const impossibleCheck: ForeignCheck = {
  id: 'promql/impossible',
  severity: 'error',
  summary: 'a query part that can never match: labels an aggregation removed, a constant comparison that never holds',
  check: (ctx) => {
    const out: Problem[] = [];
    eachNode(ctx.rules, (node, rule, expr) => {
      const report = (message: string, fix: string) =>
        out.push({ file: rule.file, object: objectOf(rule), message: `${source(node, expr)}: ${message}`, fix });
      if (node.name === 'AggregateExpr') {
        const { by } = aggregateModifier(node, expr);
        const args = callArgs(node);
        const inner = args.length ? labelsOf(args[args.length - 1]!, expr) : undefined;
        for (const l of by ?? [])
          if (inner && !canHave(inner, l))
            report(`by (${l}): the inner expression has no ${l} label any more`, `keep ${l} in the inner aggregation`);
        return;
      }
      if (node.name !== 'BinaryExpr') return;
      const { left, op, right, modifier, bool } = binaryParts(node);
      if (!left || !right) return;
      if (COMPARE.has(op) && !bool) {
        const l = range(left, expr);
        const r = range(right, expr);
        const never =
          l && r && r[0] === r[1]
            ? !canHold(op, l, r[0])
            : l && r && l[0] === l[1]
              ? !canHold(flip(op), r, l[0])
              : false;
        if (never)
          report(
            `this comparison can never hold, so the ${rule.kind} never ${rule.kind === 'alert' ? 'fires' : 'records'}`,
            'compare what the query returns: count() returns no series instead of 0 (use absent()), absent() returns 1',
          );
        return;
      }
      const m = matching(modifier, expr);
      const [a, b] = [labelsOf(left, expr), labelsOf(right, expr)];
      for (const l of m.on ?? [])
        for (const [side, set] of [
          ['left', a],
          ['right', b],
        ] as const)
          if (!canHave(set, l))
            report(`on (${l}): the ${side} side has no ${l} label`, `keep ${l} on the ${side} side (by (..., ${l}))`);
      if ((op === 'And' || op === 'Unless') && !m.on && !m.ignoring) {
        const empty = (s: typeof a) => s.kind === 'exact' && s.labels.size === 0;
        const sure = (s: typeof a) => (s.kind === 'open' ? [...s.sure] : []);
        if ((empty(b) && sure(a).length) || (empty(a) && sure(b).length))
          report(
            `one side has no labels and the other has ${[...sure(a), ...sure(b)].join(', ')}: label sets never match`,
            `match on chosen labels (${op.toLowerCase()} on (...)) or keep the labels in the aggregation`,
          );
      }
    });
    return out;
  },
};

const flip = (op: string) => ({ Gtr: 'Lss', Gte: 'Lte', Lss: 'Gtr', Lte: 'Gte' })[op] ?? op;
