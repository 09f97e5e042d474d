// promql/nan: a division (or modulo) inside sum/avg/stddev/stdvar whose divisor can be 0: one
// member's 0/0 is NaN (x/0 ±Inf), and it makes the whole aggregate NaN. `sum by (job) (errors /
// total)` breaks whenever one instance is idle; divide after the sum, or filter the divisor
// (`total > 0`) or clamp it (`clamp_min(total, 1)`).
import { callArgs, functionName, unwrapParens, type SyntaxNode } from '../../kernel/promql.js';
import { numberValue } from '../../diff/index.js';
import { objectOf, type ForeignCheck, type Problem } from '../context.js';
import { binaryParts } from '../labels.js';
import { eachNode, source } from './walk.js';

const ARITHMETIC_AGGREGATIONS = new Set(['sum', 'avg', 'stddev', 'stdvar']);
const literal = (n: SyntaxNode, expr: string) =>
  /^Number/.test(unwrapParens(n).name) ? numberValue(expr.slice(n.from, n.to)) : undefined;

/** A divisor that cannot be 0: a non-zero number, clamp_min(x, >0), or filtered `x > 0`, `x != 0`, `x >= N>0`. */
function guarded(divisor: SyntaxNode, expr: string): boolean {
  const n = unwrapParens(divisor);
  const v = literal(n, expr);
  if (v !== undefined) return v !== 0;
  if (n.name === 'FunctionCall' && functionName(n, expr) === 'clamp_min') {
    const min = callArgs(n)[1];
    return min !== undefined && (literal(min, expr) ?? 0) > 0;
  }
  if (n.name === 'BinaryExpr') {
    const { op, right, bool } = binaryParts(n);
    const c = right ? literal(right, expr) : undefined;
    if (bool || c === undefined) return false;
    return (op === 'Gtr' && c >= 0) || (op === 'Gte' && c > 0) || (op === 'Neq' && c === 0);
  }
  return false;
}

/** Divisions in `node`, not descending into nested aggregations (they are checked on their own). */
function divisions(node: SyntaxNode, expr: string, out: SyntaxNode[] = []): SyntaxNode[] {
  for (let c = node.firstChild; c; c = c.nextSibling) {
    if (c.name === 'AggregateExpr') continue;
    if (c.name === 'BinaryExpr' && ['Div', 'Mod'].includes(binaryParts(c).op)) out.push(c);
    divisions(c, expr, out);
  }
  return out;
}

export const nanCheck: ForeignCheck = {
  id: 'promql/nan',
  severity: 'warning',
  summary: 'a division inside sum()/avg() whose divisor can be 0: one 0/0 makes the whole aggregate NaN',
  check: (ctx) => {
    const out: Problem[] = [];
    eachNode(ctx.rules, (node, rule, expr) => {
      if (node.name !== 'AggregateExpr' || !ARITHMETIC_AGGREGATIONS.has(functionName(node, expr))) return;
      for (const d of divisions(node.getChild('FunctionCallBody') ?? node, expr)) {
        const { right } = binaryParts(d);
        if (!right || guarded(right, expr)) continue;
        out.push({
          file: rule.file,
          object: objectOf(rule),
          message: `${source(d, expr)} inside ${functionName(node, expr)}(): where ${source(right, expr)} is 0 the member is NaN or Inf, and so is the whole ${functionName(node, expr)}()`,
          fix: `aggregate first and divide after (sum(a) / sum(b)), or guard the divisor: (${source(right, expr)}) > 0`,
        });
      }
    });
    return out;
  },
};
